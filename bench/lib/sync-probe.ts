// Runs in its own process (bundled by the harness like dist/timoneiro.js, started with --expose-gc): builds an
// InformerRepository for pods from a kubeconfig, waits for the full sync, then measures memory and getPods() and
// prints one JSON line. The harness times the full sync from before it spawned this process, so start-up counts.
//
//   node --expose-gc sync-probe.js --kubeconfig F [--context C] [--expect N] [--wire protobuf|json]
//
// Only pods are loaded (the UI also loads deployments, services, ...): kubectl get pods and the client-go peer load
// pods only, and retained bytes per pod must not include other kinds.
import { parseArgs } from "node:util";
import { InformerRepository, type WireFormat } from "../../src/repository/informer-repository.ts";
import type { PodRow } from "../../src/resources/pods.ts";

const { values } = parseArgs({
  options: {
    kubeconfig: { type: "string" },
    context: { type: "string" },
    expect: { type: "string" },
    // Without it, timoneiro's default (DEFAULT_WIRE).
    wire: { type: "string" },
    "query-iterations": { type: "string", default: "20000" },
    "change-iterations": { type: "string", default: "300" },
  },
});

// global.gc exists only with --expose-gc; without it memory figures would include garbage, so refuse.
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) {
  process.stderr.write("sync-probe: run with node --expose-gc\n");
  process.exit(2);
}

function settle(): void {
  // Two passes: the first may only schedule finalization of weak structures.
  gc?.();
  gc?.();
}

function percentileUs(samplesNs: Float64Array, p: number): number {
  const sorted = samplesNs.slice().sort(); // typed arrays sort numerically
  const rank = Math.max(0, Math.ceil((p / 100) * sorted.length) - 1);
  return Math.round(((sorted[rank] ?? 0) / 1000) * 100) / 100;
}

const mb = (bytes: number) => Math.round((bytes / 2 ** 20) * 10) / 10;

const repo = await InformerRepository.fromKubeconfig(
  { ...(values.kubeconfig && { kubeconfig: values.kubeconfig }), ...(values.context && { context: values.context }) },
  { resources: ["pods"], ...(values.wire !== undefined && { wire: values.wire as WireFormat }) },
);
settle();
const heapEmpty = process.memoryUsage().heapUsed;

await repo.startPriority(AbortSignal.timeout(30 * 60_000));
const syncedAtEpochMs = performance.timeOrigin + performance.now();
// CPU time to the sync (all threads: GC and compiler workers too): on a busy machine steadier than the wall clock.
const syncCpu = process.cpuUsage();
const syncedMsSinceOrigin = performance.now();
const pods = repo.getLoadingStatus("pods").count;

// Memory: the list's transient buffers are garbage now; what is left is the cache (and the idle watch).
repo.getPods(); // builds the sorted snapshot, which the UI needs anyway and which is part of what a pod costs
settle();
const mem = process.memoryUsage();
const bytesPerPod = pods > 0 ? (mem.heapUsed - heapEmpty) / pods : 0;

// getPods() in steady state: nothing changed since the last call.
const iterations = Number(values["query-iterations"]);
const steady = new Float64Array(iterations);
for (let i = 0; i < iterations; i++) {
  const t0 = process.hrtime.bigint();
  repo.getPods();
  steady[i] = Number(process.hrtime.bigint() - t0);
}

// getPods() right after a change: one pod replaced (as a watch MODIFIED event does), then the first read.
const store = repo.reflector("pods")?.store;
const changes = Number(values["change-iterations"]);
const afterChange = new Float64Array(changes);
if (store && pods > 0) {
  const rows = repo.getPods();
  for (let i = 0; i < changes; i++) {
    const row = rows[(i * 7919) % rows.length] as PodRow;
    store.upsert({ ...row });
    const t0 = process.hrtime.bigint();
    repo.getPods();
    afterChange[i] = Number(process.hrtime.bigint() - t0);
  }
}

// The table's read right after a change: list() (the sorted rows by position, what a screen shows a window of).
const afterChangeList = new Float64Array(changes);
if (store && pods > 0) {
  const list = repo.list({ kind: "pods" });
  for (let i = 0; i < changes; i++) {
    const row = list.at((i * 7919) % list.length) as PodRow;
    store.upsert({ ...row });
    const t0 = process.hrtime.bigint();
    repo.list({ kind: "pods" });
    afterChangeList[i] = Number(process.hrtime.bigint() - t0);
  }
}

const result = {
  pods,
  expected: values.expect === undefined ? undefined : Number(values.expect),
  syncedAtEpochMs,
  syncedMsSinceOrigin: Math.round(syncedMsSinceOrigin * 10) / 10,
  syncCpuMs: Math.round((syncCpu.user + syncCpu.system) / 1000),
  rssMb: mb(mem.rss),
  heapMb: mb(mem.heapUsed),
  heapEmptyMb: mb(heapEmpty),
  bytesPerPod: Math.round(bytesPerPod),
  queryP50Us: percentileUs(steady, 50),
  queryP99Us: percentileUs(steady, 99),
  queryAfterChangeP50Us: percentileUs(afterChange, 50),
  queryAfterChangeP99Us: percentileUs(afterChange, 99),
  listAfterChangeP50Us: percentileUs(afterChangeList, 50),
  listAfterChangeP99Us: percentileUs(afterChangeList, 99),
};
process.stdout.write(`${JSON.stringify(result)}\n`);
await repo.stopAndWait();
process.exit(0);
