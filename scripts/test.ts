// Runs a test suite with Node's built-in test runner on the project's own Node (24 LTS, from the `node` devDependency).
//   node scripts/test.ts                 unit + end-to-end suites (the README's test command)
//   node scripts/test.ts --suite NAME    one suite: unit | e2e | cluster
import { spawnSync } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/** Where each suite's counts go, for CI's closing line. */
const RESULTS_DIR = ".cache/test-results";

const suites: Record<string, string[]> = {
  default: ["test/unit", "test/e2e"],
  unit: ["test/unit"],
  e2e: ["test/e2e"],
  cluster: ["test/cluster"],
};

const suiteIndex = process.argv.indexOf("--suite");
const suite = suiteIndex >= 0 ? (process.argv[suiteIndex + 1] ?? "") : "default";
const dirs = suites[suite];
if (!dirs) {
  console.error(`unknown suite "${suite}"; known: ${Object.keys(suites).join(", ")}`);
  process.exit(2);
}

function testFiles(dir: string): string[] {
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return [];
  }
  return entries.flatMap((entry) => {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) return testFiles(path);
    return entry.endsWith(".test.ts") ? [path] : [];
  });
}

const files = dirs.flatMap(testFiles).sort();
console.log(`timoneiro tests (${suite}) on Node ${process.version}: ${files.length} files`);
if (files.length === 0) {
  console.error("no test files found");
  process.exit(1);
}
const extra = process.argv.slice(2).filter((a, i, all) => a !== "--suite" && all[i - 1] !== "--suite");
// A second reporter (TAP, to a file) gives the counts for the closing summary line that CI sums up.
mkdirSync(RESULTS_DIR, { recursive: true });
const tapFile = join(RESULTS_DIR, `${suite}.tap`);
const result = spawnSync(
  process.execPath,
  [
    "--test",
    "--test-reporter=spec",
    "--test-reporter-destination=stdout",
    "--test-reporter=tap",
    `--test-reporter-destination=${tapFile}`,
    `--test-concurrency=${suite === "cluster" ? 1 : 2}`,
    ...extra,
    ...files,
  ],
  { stdio: "inherit" },
);
const tap = readFileSync(tapFile, "utf8");
const count = (name: string) => Number(new RegExp(`^# ${name} (\\d+)$`, "m").exec(tap)?.[1] ?? 0);
const summary = { suite, passed: count("pass"), failed: count("fail") + count("cancelled"), skipped: count("skipped") };
writeFileSync(join(RESULTS_DIR, `${suite}.json`), JSON.stringify(summary));
console.log(`${suite}: ${summary.passed} passed, ${summary.failed} failed, ${summary.skipped} skipped`);
process.exit(result.status ?? 1);
