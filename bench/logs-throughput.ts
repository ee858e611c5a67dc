// The logs view under 10 MB/s of log lines, in process: chunks fed to the root's update at that rate for 20 s,
// frames painted as the runtime would (10/s), a scroll key between chunks timed (update + view, the keystroke →
// frame cost), CPU from process.cpuUsage, memory once the buffer is past its bound (100k lines / 64 MB).
//   node bench/logs-throughput.ts [--seconds 20] [--mbps 10] [--merged]
import { heldStreams, newRootModel, type RootModel, update, view } from "../src/app/root.ts";
import { makePod, StaticRepository } from "../src/repository/static-repository.ts";

const arg = (name: string, def: number) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? Number(process.argv[i + 1]) : def;
};
const SECONDS = arg("--seconds", 20);
const RATE = arg("--mbps", 10) * 1024 * 1024;
const merged = process.argv.includes("--merged");
const now = Date.now();
const repo = new StaticRepository({
  pods: [makePod({ name: "p0" })],
  contextName: "bench",
  clusterName: "b",
  now: () => now,
});
let m: RootModel = newRootModel(repo, { width: 160, height: 50, now });
const key = (name: string) => ({ type: "key" as const, name, ctrl: false, alt: false, shift: false, text: name });
const pod = {
  metadata: { name: "p0", namespace: "default" },
  spec: { containers: [{ name: "app" }, { name: "side" }] },
};
const [opened, effects] = update(m, key("l"));
m = opened;
const get = effects.find((e) => (e as { type: string }).type === "get") as { id: string };
m = update(m, { type: "result", id: get.id, value: pod })[0];
m = update(m, merged ? key("a") : { ...key("enter"), text: "" })[0];
const keysOf = () => heldStreams(m).map((s) => s.key);

let seq = 0;
function chunkOf(bytes: number, at: number): string {
  let out = "";
  while (out.length < bytes) {
    const t = new Date(at).toISOString().replace("Z", `${String(seq % 1000000).padStart(6, "0")}Z`);
    out +=
      seq % 5 === 0
        ? `${t} {"level":"info","msg":"request served","ts":"${t}","path":"/api/v1/items/${seq}","ms":${seq % 97}}\n`
        : `${t} 10.0.${seq % 255}.7 - - "GET /api/v1/items/${seq} HTTP/1.1" 200 ${seq % 4096} "-" "curl/8.5"\n`;
    seq++;
  }
  return out;
}

const CHUNK = 64 * 1024;
const interval = (CHUNK / RATE) * 1000;
const frameEvery = 100;
const latencies: number[] = [];
let bytes = 0;
let frames = 0;
const cpu0 = process.cpuUsage();
const t0 = performance.now();
let nextChunk = t0;
let nextFrame = t0;
let chunks = 0;
let scrollUp = true;
while (performance.now() - t0 < SECONDS * 1000) {
  const t = performance.now();
  if (t >= nextChunk) {
    const ks = keysOf();
    const k = ks[chunks % ks.length] as string;
    const text = chunkOf(CHUNK, now + (t - t0));
    m = update(m, { type: "stream", key: k, event: "chunk", text })[0];
    bytes += text.length;
    chunks++;
    nextChunk += interval;
    // A keystroke between chunks, every 8th chunk: update + the frame it causes.
    if (chunks % 8 === 0) {
      const k0 = performance.now();
      m = update(m, key(scrollUp ? "k" : "G"))[0];
      view(m);
      latencies.push(performance.now() - k0);
      scrollUp = !scrollUp;
    }
  } else if (t >= nextFrame) {
    view(m);
    frames++;
    nextFrame += frameEvery;
  } else {
    await new Promise((r) => setTimeout(r, Math.max(0, Math.min(nextChunk, nextFrame) - performance.now())));
  }
}
const wall = (performance.now() - t0) / 1000;
const cpu = process.cpuUsage(cpu0);
latencies.sort((a, b) => a - b);
const p = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0;
globalThis.gc?.();
const mem = process.memoryUsage();
const top = m.stack.at(-1) as unknown as { buffer: { length: number; bytes: number; dropped: number } };
console.log(
  JSON.stringify(
    {
      mode: merged ? "merged (a, 2 containers)" : "one container",
      seconds: +wall.toFixed(1),
      fedMBps: +(bytes / 1048576 / wall).toFixed(2),
      lines: seq,
      frames,
      cpuPercentOfOneCore: +(((cpu.user + cpu.system) / 1e6 / wall) * 100).toFixed(1),
      keystrokeToFrameMs: {
        p50: +p(0.5).toFixed(2),
        p95: +p(0.95).toFixed(2),
        max: +p(1).toFixed(2),
        n: latencies.length,
      },
      buffer: { lines: top.buffer.length, mb: +(top.buffer.bytes / 1048576).toFixed(1), dropped: top.buffer.dropped },
      rssMB: +(mem.rss / 1048576).toFixed(0),
      heapUsedMB: +(mem.heapUsed / 1048576).toFixed(0),
    },
    null,
    1,
  ),
);
