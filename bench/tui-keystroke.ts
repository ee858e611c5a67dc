// Keystroke → frame latency of the real UI in a real pseudo-terminal.
//   node bench/tui-keystroke.ts [--pods 10000,100000] [--cols 160] [--rows 50] [--json FILE]
//                               [--node-flags "--cpu-prof --cpu-prof-dir=DIR"]   (flags for the UI's node)
// For each pod count, starts test/e2e/static-ui-driver.ts (the app, cli/ui.ts runApp, over a StaticRepository of generated pods) in a pty,
// waits for the first frame, then types filters one key at a time and moves the cursor, timing each key from the
// write to the end of the frame it caused (the synchronized-output end marker, ESC[?2026l). Prints a table.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import pty from "@lydell/node-pty";

const { values } = parseArgs({
  options: {
    pods: { type: "string", default: "10000,100000" },
    cols: { type: "string", default: "160" },
    rows: { type: "string", default: "50" },
    json: { type: "string" },
    verbose: { type: "boolean", default: false },
    "node-flags": { type: "string", default: "" },
  },
});

const END_SYNC = "\x1b[?2026l";
const root = join(import.meta.dirname, "..");
const driver = join(root, "test/e2e/static-ui-driver.ts");

interface Sample {
  key: string;
  ms: number;
  bytes: number;
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function measure(pods: number) {
  const dir = mkdtempSync(join(tmpdir(), "tui-bench-"));
  const statsFile = join(dir, "stats.jsonl");
  const spawnedAt = performance.now();
  const term = pty.spawn(
    process.execPath,
    [
      ...values["node-flags"].split(" ").filter((flag) => flag !== ""),
      driver,
      "--pods",
      String(pods),
      "--stats",
      statsFile,
    ],
    {
      cols: Number(values.cols),
      rows: Number(values.rows),
      cwd: root,
      name: "xterm-256color",
      env: process.env as Record<string, string>,
    },
  );
  let buffer = "";
  let waiter: ((frame: string) => void) | null = null;
  term.onData((data) => {
    buffer += data;
    const end = buffer.indexOf(END_SYNC);
    if (end >= 0 && waiter) {
      const frame = buffer.slice(0, end + END_SYNC.length);
      buffer = buffer.slice(end + END_SYNC.length);
      const w = waiter;
      waiter = null;
      w(frame);
    }
  });
  const exited = new Promise<number>((resolve) => term.onExit((e) => resolve(e.exitCode)));
  const nextFrame = (timeoutMs = 30_000) =>
    new Promise<string>((resolve, reject) => {
      const end = buffer.indexOf(END_SYNC);
      if (end >= 0) {
        const frame = buffer.slice(0, end + END_SYNC.length);
        buffer = buffer.slice(end + END_SYNC.length);
        resolve(frame);
        return;
      }
      const timer = setTimeout(() => reject(new Error("no frame")), timeoutMs);
      waiter = (f) => {
        clearTimeout(timer);
        resolve(f);
      };
    });

  await nextFrame(120_000);
  const firstFrameMs = performance.now() - spawnedAt;
  await sleep(300);
  buffer = "";

  const press = async (key: string): Promise<Sample> => {
    buffer = "";
    const t0 = performance.now();
    term.write(key);
    const frame = await nextFrame();
    const ms = performance.now() - t0;
    return { key, ms, bytes: Buffer.byteLength(frame.slice(frame.lastIndexOf("\x1b[?2026h"))) };
  };

  const filter: Sample[] = [];
  const nav: Sample[] = [];
  const typed = async (keys: string[], into: Sample[]) => {
    for (const k of keys) {
      into.push(await press(k));
      await sleep(30); // a fast typist: ~30 ms between the frame and the next key
    }
  };
  for (const query of ["web-1a", "crash !kube", "node-01 run"]) {
    await press("/"); // opens the filter; haystacks warm while the user starts typing
    await sleep(150);
    await typed([...query], filter);
    await typed(Array(query.length).fill("\x7f"), filter); // Backspace back to empty
    await press("\x1b");
    await sleep(100);
  }
  await typed([..."jjjjjjjjjjjjjjjjjjjj", "\x1b[6~", "\x1b[6~", "\x1b[6~", "\x1b[5~", "G", "g"], nav);

  if (values.verbose) {
    for (const s of [...filter, ...nav]) console.log(pods, JSON.stringify(s.key), s.ms.toFixed(1), s.bytes);
  }
  term.write("q");
  const code = await exited;
  const records = readFileSync(statsFile, "utf8")
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l) as Record<string, number | string>);
  rmSync(dir, { recursive: true, force: true });
  const start = records.find((r) => r.event === "start");
  const first = records.find((r) => r.event === "frame");
  const exit = records.find((r) => r.event === "exit");
  const inputFrames = records.filter((r) => r.event === "frame" && r.cause === "input");
  const renders = inputFrames.map((r) => Number(r.renderMs));
  const updates = inputFrames.map((r) => Number(r.updateMs));
  if (values.verbose) console.log(pods, "update ms per input frame:", updates.map((u) => u.toFixed(1)).join(" "));
  return {
    pods,
    exitCode: code,
    firstFrameMs,
    setupMs: Number(start?.setupMs),
    runUiToFirstFrameMs: Number(first?.t) - Number(start?.t),
    filterP50: percentile(
      filter.map((s) => s.ms),
      50,
    ),
    filterP95: percentile(
      filter.map((s) => s.ms),
      95,
    ),
    filterMax: Math.max(...filter.map((s) => s.ms)),
    filterBytes: filter.reduce((a, s) => a + s.bytes, 0) / filter.length,
    navP50: percentile(
      nav.map((s) => s.ms),
      50,
    ),
    navP95: percentile(
      nav.map((s) => s.ms),
      95,
    ),
    navBytes: nav.reduce((a, s) => a + s.bytes, 0) / nav.length,
    viewP50: percentile(renders, 50),
    updateP50: percentile(updates, 50),
    updateP95: percentile(updates, 95),
    rssMB: Number(exit?.rss) / 1024 / 1024,
    keys: filter.length + nav.length,
  };
}

/** Frames caused by a churning repository (a pod created on top and one deleted, 50 times a second) for 3 s. */
async function measureChurn(pods: number) {
  const dir = mkdtempSync(join(tmpdir(), "tui-bench-"));
  const statsFile = join(dir, "stats.jsonl");
  const term = pty.spawn(process.execPath, [driver, "--pods", String(pods), "--stats", statsFile, "--churn", "20"], {
    cols: Number(values.cols),
    rows: Number(values.rows),
    cwd: root,
    name: "xterm-256color",
    env: process.env as Record<string, string>,
  });
  let started = false;
  term.onData((d) => {
    if (d.includes(END_SYNC)) started = true;
  });
  const exited = new Promise<number>((resolve) => term.onExit((e) => resolve(e.exitCode)));
  while (!started) await sleep(20);
  await sleep(3000);
  term.write("q");
  await exited;
  const frames = readFileSync(statsFile, "utf8")
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l) as Record<string, number | string>)
    .filter((r) => r.event === "frame" && r.cause === "data");
  rmSync(dir, { recursive: true, force: true });
  const avg = (key: string) => frames.reduce((a, r) => a + Number(r[key]), 0) / frames.length;
  return { churnFrames: frames.length / 3, churnBytes: avg("bytes"), churnMs: avg("updateMs") + avg("renderMs") };
}

const results = [];
for (const n of values.pods.split(",").map(Number)) results.push({ ...(await measure(n)), ...(await measureChurn(n)) });

const f = (n: number, digits = 1) => n.toFixed(digits);
console.log(`\nTUI keystroke → frame latency, ${values.cols}x${values.rows} pty, Node ${process.version}\n`);
console.log(
  "| pods | first frame ms (spawn→frame / runApp→frame) | filter key p50 / p95 / max ms | filter B/frame | nav key p50 / p95 ms | nav B/frame | update p50 / p95 ms | view+diff p50 ms | RSS MB | churn 50/s: frames/s, B/frame, ms/frame |",
);
console.log("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
for (const r of results) {
  console.log(
    `| ${r.pods} | ${f(r.firstFrameMs, 0)} / ${f(r.runUiToFirstFrameMs)} | ${f(r.filterP50)} / ${f(r.filterP95)} / ${f(r.filterMax)} | ${f(r.filterBytes, 0)} | ${f(r.navP50)} / ${f(r.navP95)} | ${f(r.navBytes, 0)} | ${f(r.updateP50)} / ${f(r.updateP95)} | ${f(r.viewP50, 2)} | ${f(r.rssMB, 0)} | ${f(r.churnFrames)}, ${f(r.churnBytes, 0)}, ${f(r.churnMs, 2)} |`,
  );
}
if (values.json) writeFileSync(values.json, JSON.stringify(results, null, 2));
if (results.some((r) => r.exitCode !== 0)) process.exitCode = 1;
