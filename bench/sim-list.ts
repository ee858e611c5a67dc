// How fast the simulator serves a paginated pod list: `node bench/sim-list.ts [--pods 100000] [--limit 500] [--runs 3]`.
// The simulator runs in this process; the client (HTTPS, keep-alive, reads and discards the bytes) in a child process
// so that the two do not share an event loop. Prints one line per run and the simulator's memory.
import { spawn } from "node:child_process";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { startSimServer } from "../src/sim/index.ts";

function arg(name: string, dflt: number): number {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : dflt;
}

const pods = arg("--pods", 100_000);
const limit = arg("--limit", 500);
const runs = arg("--runs", 3);

setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;
const mb = (n: number) => (n / 1e6).toFixed(0);

const t0 = performance.now();
const sim = await startSimServer({ pods, seed: 1 });
const startMs = performance.now() - t0;
gc();
const mem = process.memoryUsage();
console.log(
  `sim: ${pods} pods generated and serialised in ${(startMs / 1000).toFixed(1)} s; memory rss ${mb(mem.rss)} MB, ` +
    `JS heap ${mb(mem.heapUsed)} MB, off-heap buffers ${mb(mem.arrayBuffers)} MB`,
);

const client = `
  import https from "node:https";
  const [url, token, ca, limit] = JSON.parse(process.argv[1]);
  const agent = new https.Agent({ keepAlive: true, ca });
  const get = (path) => new Promise((resolve, reject) => {
    https.get(url + path, { agent, headers: { authorization: "Bearer " + token } }, (res) => {
      const chunks = []; let n = 0;
      res.on("data", (c) => { chunks.push(c); n += c.length; });
      res.on("end", () => resolve({ n, body: Buffer.concat(chunks) }));
    }).on("error", reject);
  });
  const t = performance.now();
  let bytes = 0, items = 0, pages = 0, cont = "";
  do {
    const { n, body } = await get("/api/v1/pods?limit=" + limit + (cont ? "&continue=" + encodeURIComponent(cont) : ""));
    bytes += n; pages++;
    // Only the small list metadata is looked at; items are counted, not parsed.
    const head = body.subarray(0, 4096).toString();
    const m = /"continue":"([^"]*)"/.exec(head);
    cont = m ? m[1] : "";
    items += limit;
  } while (cont);
  const ms = performance.now() - t;
  console.log(JSON.stringify({ ms, bytes, pages }));
  agent.destroy();
`;

for (let run = 1; run <= runs; run++) {
  const cpu0 = process.cpuUsage();
  const out = await new Promise<string>((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ["--input-type=module", "-e", client, JSON.stringify([sim.url, sim.token, sim.caPem, limit])],
      { stdio: ["ignore", "pipe", "inherit"] },
    );
    let s = "";
    child.stdout.setEncoding("utf8").on("data", (c: string) => {
      s += c;
    });
    child.on("exit", (code) => (code === 0 ? resolve(s) : reject(new Error(`client exited ${code}`))));
  });
  const cpu = process.cpuUsage(cpu0);
  const r = JSON.parse(out) as { ms: number; bytes: number; pages: number };
  console.log(
    `sim-list run ${run}: ${pods} pods, limit=${limit}, ${r.pages} pages, ${mb(r.bytes)} MB in ${(r.ms / 1000).toFixed(2)} s = ` +
      `${(r.bytes / 1e6 / (r.ms / 1000)).toFixed(0)} MB/s (HTTPS, keep-alive, client in another process); ` +
      `simulator CPU ${((cpu.user + cpu.system) / 1e6).toFixed(2)} s`,
  );
}
await sim.stop();
