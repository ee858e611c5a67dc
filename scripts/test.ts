// Runs test suites with Node's built-in test runner on the project's own Node (24 LTS, from the `node` devDependency).
//   node scripts/test.ts                 unit + end-to-end + scale suites (the README's test command)
//   node scripts/test.ts --suite NAME    one suite: main (unit + e2e) | unit | e2e | scale | cluster
// Each suite is one run of the runner; the scale suite (100k pods) runs alone so that it does not starve the
// terminal tests of CPU on a 2-core machine.
import { spawnSync } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/** Where each suite's counts go, for CI's closing line. */
const RESULTS_DIR = ".cache/test-results";

interface Suite {
  dirs: string[];
  concurrency: number;
}

const suites: Record<string, Suite> = {
  main: { dirs: ["test/unit", "test/e2e"], concurrency: 2 },
  unit: { dirs: ["test/unit"], concurrency: 2 },
  e2e: { dirs: ["test/e2e"], concurrency: 2 },
  scale: { dirs: ["test/scale"], concurrency: 1 },
  cluster: { dirs: ["test/cluster"], concurrency: 1 },
};

const suiteIndex = process.argv.indexOf("--suite");
const requested = suiteIndex >= 0 ? (process.argv[suiteIndex + 1] ?? "") : "default";
const names = requested === "default" ? ["main", "scale"] : [requested];
if (!names.every((name) => name in suites)) {
  console.error(`unknown suite "${requested}"; known: default, ${Object.keys(suites).join(", ")}`);
  process.exit(2);
}
const extra = process.argv.slice(2).filter((a, i, all) => a !== "--suite" && all[i - 1] !== "--suite");

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

interface Summary {
  suite: string;
  passed: number;
  failed: number;
  skipped: number;
}

function run(name: string): { status: number; summary: Summary } {
  const suite = suites[name]!;
  const files = suite.dirs.flatMap(testFiles).sort();
  console.log(`timoneiro tests (${name}) on Node ${process.version}: ${files.length} files`);
  if (files.length === 0) {
    console.error("no test files found");
    return { status: 1, summary: { suite: name, passed: 0, failed: 1, skipped: 0 } };
  }
  // A second reporter (TAP, to a file) gives the counts for the closing summary line that CI sums up.
  mkdirSync(RESULTS_DIR, { recursive: true });
  const tapFile = join(RESULTS_DIR, `${name}.tap`);
  const result = spawnSync(
    process.execPath,
    [
      "--test",
      "--test-reporter=spec",
      "--test-reporter-destination=stdout",
      "--test-reporter=tap",
      `--test-reporter-destination=${tapFile}`,
      `--test-concurrency=${suite.concurrency}`,
      ...extra,
      ...files,
    ],
    { stdio: "inherit" },
  );
  const tap = readFileSync(tapFile, "utf8");
  const count = (key: string) => Number(new RegExp(`^# ${key} (\\d+)$`, "m").exec(tap)?.[1] ?? 0);
  const summary = {
    suite: name,
    passed: count("pass"),
    failed: count("fail") + count("cancelled"),
    skipped: count("skipped"),
  };
  writeFileSync(join(RESULTS_DIR, `${name}.json`), JSON.stringify(summary));
  return { status: result.status ?? 1, summary };
}

let status = 0;
const totals = { passed: 0, failed: 0, skipped: 0 };
for (const name of names) {
  const outcome = run(name);
  if (outcome.status !== 0) status = outcome.status;
  totals.passed += outcome.summary.passed;
  totals.failed += outcome.summary.failed;
  totals.skipped += outcome.summary.skipped;
}
console.log(`${requested}: ${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exit(status);
