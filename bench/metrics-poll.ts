// The cost of one poll of pod metrics (metrics.k8s.io) at N pods, on the UI's thread: the paginated LIST read and
// decoded (kube/metrics.ts listUsage), the samples taken into the history and the rows (repository/metrics.ts
// KindUsage.ingest: rows whose printed usage changed are replaced in the store), and the store's next snapshot (what
// the table asks for after the poll). The metrics server runs in a worker thread, so that its CPU is not counted:
// times are this thread's CPU (process.threadCpuUsage) and wall clock; bytes are the wire bytes and the history's
// typed arrays, and the heap after the polls (after a GC, when run with --expose-gc).
//
//   node --expose-gc bench/metrics-poll.ts [--pods 100000] [--polls 5] [--containers 2] [--page 500]
import http from "node:http";
import type { AddressInfo } from "node:net";
import { isMainThread, parentPort, Worker, workerData } from "node:worker_threads";
import { listUsage } from "../src/kube/metrics.ts";
import { RowStore } from "../src/kube/store.ts";
import { Transport } from "../src/kube/transport.ts";
import { ownerKeyOf } from "../src/repository/informer-repository.ts";
import { KindUsage } from "../src/repository/metrics.ts";
import { generatePods } from "../src/repository/static-repository.ts";
import type { PodRow } from "../src/resources/pods.ts";
import type { BaseRow } from "../src/resources/types.ts";

interface Setup {
  pods: { namespace: string; name: string }[];
  containers: number;
  page: number;
}

const T0 = Date.parse("2025-03-01T08:00:00Z");

/** The worker: a metrics API answering LISTs of `setup.pods`, a new sample per poll (first page = a new poll). */
function serve(setup: Setup): void {
  let poll = -1;
  let seed = 1;
  const rand = () => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed / 0x7fffffff;
  };
  let pages: Buffer[] = [];
  const build = () => {
    poll++;
    const timestamp = new Date(T0 + poll * 15_000).toISOString().replace(/\.\d{3}Z$/, "Z");
    pages = [];
    for (let start = 0; start < setup.pods.length; start += setup.page) {
      const items = [];
      for (let i = start; i < Math.min(setup.pods.length, start + setup.page); i++) {
        const p = setup.pods[i]!;
        const containers = [];
        for (let c = 0; c < setup.containers; c++) {
          containers.push({
            name: c === 0 ? "app" : `sidecar-${c}`,
            usage: {
              cpu: `${Math.round(rand() * 400_000_000)}n`,
              memory: `${Math.round(20_000 + rand() * 400_000)}Ki`,
            },
          });
        }
        items.push({
          metadata: {
            name: p.name,
            namespace: p.namespace,
            creationTimestamp: timestamp,
            labels: { app: p.name.split("-")[0], "pod-template-hash": "6d4cf56db6" },
          },
          timestamp,
          window: "15.004s",
          containers,
        });
      }
      const next = start + setup.page < setup.pods.length ? String(pages.length + 1) : undefined;
      pages.push(
        Buffer.from(
          JSON.stringify({
            kind: "PodMetricsList",
            apiVersion: "metrics.k8s.io/v1beta1",
            metadata: next ? { continue: next } : {},
            items,
          }),
        ),
      );
    }
  };
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://x");
    const token = url.searchParams.get("continue");
    if (!token) build();
    const body = pages[token ? Number(token) : 0]!;
    parentPort!.postMessage({ bytes: body.length });
    res.writeHead(200, { "Content-Type": "application/json", "Content-Length": String(body.length) });
    res.end(body);
  });
  server.listen(0, "127.0.0.1", () => parentPort!.postMessage({ port: (server.address() as AddressInfo).port }));
}

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

const ms = (micros: number) => (micros / 1000).toFixed(0);
const mb = (bytes: number) => (bytes / 1e6).toFixed(1);

async function main(): Promise<void> {
  const count = arg("pods", 100_000);
  const polls = arg("polls", 5);
  const containers = arg("containers", 2);
  const page = arg("page", 500);
  const gc = (globalThis as { gc?: () => void }).gc;

  const store = new RowStore<BaseRow>({
    namespace: (row) => row.namespace,
    owner: ownerKeyOf,
    node: (row) => (row as PodRow).node,
  });
  // Only the store keeps the rows: the heap figure after the polls is then the store's rows plus what the polls left.
  const setup: Setup = { pods: [], containers, page };
  for (const row of generatePods(count, T0)) {
    store.upsert(row);
    setup.pods.push({ namespace: row.namespace, name: row.name });
  }
  store.rows();

  const worker = new Worker(new URL(import.meta.url), { workerData: setup });
  let wire = 0;
  const port = await new Promise<number>((resolve) =>
    worker.on("message", (m: { port?: number; bytes?: number }) => {
      if (m.port !== undefined) resolve(m.port);
      if (m.bytes !== undefined) wire += m.bytes;
    }),
  );
  const transport = new Transport({ server: `http://127.0.0.1:${port}`, credentials: () => ({ headers: {} }) });
  const usage = new KindUsage("pods", { stores: () => [store] });

  gc?.();
  const before = process.memoryUsage();
  console.log(`${count} pods, ${containers} containers each, pages of ${page}; CPU is this thread's, ms`);
  console.log("poll  wire MB  fetch+decode cpu/wall  ingest cpu (rows replaced)  snapshot cpu  total cpu");
  const totals: number[] = [];
  for (let i = 0; i < polls; i++) {
    wire = 0;
    const c0 = process.threadCpuUsage();
    const w0 = performance.now();
    const poll = await listUsage(transport, "pods", undefined, { pageSize: page });
    const c1 = process.threadCpuUsage(c0);
    const w1 = performance.now();
    const replaced = usage.ingest(poll);
    const c2 = process.threadCpuUsage(c0);
    store.rows();
    const c3 = process.threadCpuUsage(c0);
    const cpu = (c: NodeJS.CpuUsage) => c.user + c.system;
    totals.push(cpu(c3));
    gc?.();
    const heap = process.memoryUsage().heapUsed - before.heapUsed;
    console.log(
      `${String(i + 1).padStart(4)}  ${mb(wire).padStart(7)}  ${ms(cpu(c1)).padStart(8)} / ${(w1 - w0).toFixed(0).padStart(5)}` +
        `  ${ms(cpu(c2) - cpu(c1)).padStart(10)} (${replaced})`.padEnd(28) +
        `  ${ms(cpu(c3) - cpu(c2)).padStart(12)}  ${ms(cpu(c3)).padStart(9)}  ${gc ? `heap +${mb(heap)} MB` : ""}`,
    );
  }
  gc?.();
  const after = process.memoryUsage();
  const sorted = [...totals].sort((a, b) => a - b);
  console.log(`median total CPU per poll: ${ms(sorted[Math.floor(sorted.length / 2)]!)} ms`);
  console.log(
    `history typed arrays: ${mb(usage.history.bytes())} MB for ${usage.history.size} pods ` +
      `(capacity ${usage.history.capacity}); after the polls ${gc ? "(after GC) " : ""}` +
      `JS heap +${mb(after.heapUsed - before.heapUsed)} MB, array buffers +${mb(after.arrayBuffers - before.arrayBuffers)} MB`,
  );
  transport.close();
  await worker.terminate();
}

if (isMainThread) await main();
else serve(workerData as Setup);
