// Runs the app (cli/ui.ts runApp) on a StaticRepository of generated pods, in whatever terminal it is started in. Used by the
// end-to-end tests and bench/tui-keystroke.ts (both start it in a pseudo-terminal).
//   node test/e2e/static-ui-driver.ts [--pods N] [--stats FILE] [--now EPOCH_MS] [--churn MS] [--error TEXT]
//                                     [--crash MS]
// --stats appends one JSON line per frame (and start/exit records) to FILE; --churn MS creates a pod (at the top:
// newest first) and deletes a random one every MS;
// --error shows pods as failing; --crash throws an uncaught error after MS (to test that the terminal is restored).
import { appendFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { runApp } from "../../src/cli/ui.ts";
import { generatePods, makePod, StaticRepository } from "../../src/repository/static-repository.ts";

const { values } = parseArgs({
  options: {
    pods: { type: "string", default: "100" },
    stats: { type: "string" },
    now: { type: "string" },
    churn: { type: "string" },
    error: { type: "string" },
    crash: { type: "string" },
  },
});

const statsFile = values.stats;
const record = (event: Record<string, unknown>) => {
  if (statsFile)
    appendFileSync(statsFile, `${JSON.stringify({ t: performance.timeOrigin + performance.now(), ...event })}\n`);
};

const fixedNow = values.now ? Number(values.now) : undefined;
const clock = fixedNow === undefined ? Date.now : () => fixedNow;
const started = performance.now();
const pods = generatePods(Number(values.pods), clock());
const repo = new StaticRepository({ pods, contextName: "static-ctx", clusterName: "static-cluster", now: clock });
if (values.error) repo.setLoadingStatus("pods", { error: values.error, lastContactAt: clock() - 125_000 });
record({ event: "start", pods: pods.length, setupMs: performance.now() - started });

let churnTimer: NodeJS.Timeout | undefined;
if (values.churn) {
  let n = 0;
  let seed = 99;
  churnTimer = setInterval(() => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    const current = repo.getPods();
    const gone = seed % current.length;
    const created = makePod({ name: `churn-${n++}`, namespace: "churn", createdAt: clock(), uid: `churn-${n}` });
    const next = [created, ...current.slice(0, gone), ...current.slice(gone + 1)];
    repo.setRows("pods", next, { sorted: true });
  }, Number(values.churn));
}

if (values.crash) {
  setTimeout(() => {
    throw new Error("driver crash on purpose");
  }, Number(values.crash));
}

const code = await runApp(repo, {
  stdin: process.stdin,
  stdout: process.stdout,
  now: clock,
  onFrame: (frame) => record({ event: "frame", ...frame }),
});
clearInterval(churnTimer);
const mem = process.memoryUsage();
record({ event: "exit", code, rss: mem.rss, heapUsed: mem.heapUsed });
process.exit(code);
