// `npm run bench:report [-- --json FILE...]`: regenerates the generated part of BENCHMARKS.md (between
// <!-- generated:start --> and <!-- generated:end -->) and bench/full-sync.svg from benchmark JSON files.
//
// Without --json: every bench/results/*.json (git-ignored, written by `npm run bench -- --json ...`) is copied to
// bench/data/ (committed), and the report is built from all of bench/data/*.json — so running it again on a fresh
// clone gives the same report. With --json: those files are copied to bench/data/ and the report uses only them.
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { basename, join, relative, resolve } from "node:path";
import { fullSyncChart, mergeRuns, type ResultFile, renderGenerated, replaceGenerated } from "./lib/report.ts";
import type { BenchResults } from "./lib/results.ts";

const repoDir = resolve(import.meta.dirname, "..");
const resultsDir = join(repoDir, "bench", "results");
const dataDir = join(repoDir, "bench", "data");
const benchmarksMd = join(repoDir, "BENCHMARKS.md");
const chartFile = join(repoDir, "bench", "full-sync.svg");

const SKELETON = `# Benchmarks

How fast Timoneiro gets a cluster's pods on screen and keeps them there, against \`kubectl\` and a client-go
informer, on the simulator and on a real kube-apiserver. The harness and what each number means:
[bench/README.md](bench/README.md). Regenerate the section below with \`npm run bench\` then \`npm run bench:report\`.
`;

function jsonFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith(".json"))
    .sort()
    .map((f) => join(dir, f));
}

function load(path: string): ResultFile {
  const results = JSON.parse(readFileSync(path, "utf8")) as BenchResults;
  if (typeof results !== "object" || !results.machine || !Array.isArray(results.runs)) {
    throw new Error(`${path}: not a benchmark result (expected {"machine": {...}, "runs": [...]})`);
  }
  return { path: relative(repoDir, path), results };
}

function main(argv: string[]): number {
  const explicit: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === "--json") {
      while (argv[i + 1] !== undefined && !(argv[i + 1] as string).startsWith("--")) explicit.push(argv[++i] as string);
    } else if (arg.startsWith("--json=")) explicit.push(arg.slice("--json=".length));
    else if (arg === "-h" || arg === "--help") {
      process.stdout.write("npm run bench:report [-- --json FILE...]\n");
      return 0;
    } else {
      process.stderr.write(`bench:report: unknown argument "${arg}"\n`);
      return 2;
    }
  }

  mkdirSync(dataDir, { recursive: true });
  const copy = (file: string) => {
    const target = join(dataDir, basename(file));
    if (resolve(file) !== target) copyFileSync(file, target);
    return target;
  };
  let sources: string[];
  if (explicit.length > 0) {
    for (const f of explicit) load(f); // validate before copying anything
    sources = explicit.map(copy);
  } else {
    for (const f of jsonFiles(resultsDir)) {
      load(f);
      copy(f);
    }
    sources = jsonFiles(dataDir);
  }
  if (sources.length === 0) {
    process.stderr.write(
      "bench:report: no results: run `npm run bench -- --json bench/results/sim.json` first (or pass --json FILE)\n",
    );
    return 1;
  }
  // Sorted, so that the same files give the same report whatever order they were named in.
  const files = sources.map(load).sort((a, b) => a.path.localeCompare(b.path));
  const chartRel = relative(repoDir, chartFile);
  writeFileSync(chartFile, fullSyncChart(mergeRuns(files)));
  const current = existsSync(benchmarksMd) ? readFileSync(benchmarksMd, "utf8") : SKELETON;
  writeFileSync(benchmarksMd, replaceGenerated(current, renderGenerated(files, chartRel)));
  process.stdout.write(
    `bench:report: ${relative(repoDir, benchmarksMd)} and ${chartRel} from ${files.map((f) => f.path).join(", ")}\n`,
  );
  return 0;
}

process.exitCode = main(process.argv.slice(2));
