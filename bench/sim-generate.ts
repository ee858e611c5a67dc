// How fast the simulator generates and serialises its cluster:
// `node bench/sim-generate.ts [--pods 100000] [--seed 1] [--http]` (--http: no TLS, so no certificates to make).
// Prints the time to a ready server and the process's memory after a GC (run one size per process: RSS never shrinks).
// "Off-heap buffers" counts the store's slabs whole, their untouched tails included (address space, not RSS).
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { startSimServer } from "../src/sim/index.ts";

function arg(name: string, dflt: number): number {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : dflt;
}

const pods = arg("--pods", 100_000);
const seed = arg("--seed", 1);
setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;
const mb = (n: number) => (n / 1e6).toFixed(0);

const t0 = performance.now();
const cpu0 = process.cpuUsage();
const sim = await startSimServer({ pods, seed, tls: !process.argv.includes("--http") });
const ms = performance.now() - t0;
const cpu = process.cpuUsage(cpu0);
const peakRss = process.resourceUsage().maxRSS * 1024;
gc();
const mem = process.memoryUsage();
console.log(
  `sim-generate: ${pods} pods (seed ${seed}) ready in ${(ms / 1000).toFixed(2)} s ` +
    `(CPU ${((cpu.user + cpu.system) / 1e6).toFixed(2)} s, all threads); after GC rss ${mb(mem.rss)} MB, ` +
    `JS heap ${mb(mem.heapUsed)} MB, off-heap buffers ${mb(mem.arrayBuffers)} MB; peak rss ${mb(peakRss)} MB`,
);
await sim.stop();
