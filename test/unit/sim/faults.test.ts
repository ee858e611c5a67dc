// Fault injection: each fault, switched on at run time, and the --faults list syntax.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import https from "node:https";
import { after, before, test } from "node:test";
import { parseFaults, type SimServer, startSimServer } from "../../../src/sim/index.ts";
import { call, Watch } from "./helpers.ts";

let sim: SimServer;

before(async () => {
  sim = await startSimServer({ pods: 30, seed: 3, deleteGraceMs: 200 });
});

after(async () => {
  await sim.stop();
});

/** Waits until the simulator has exactly `n` watch streams open (closes are noticed asynchronously). */
async function watchesOpen(n: number): Promise<void> {
  while (sim.watchCount() !== n) await new Promise((r) => setTimeout(r, 5));
}

test("--faults list syntax", () => {
  assert.deepEqual(
    parseFaults(
      "drop-watch=5s,latency=200ms,rbac-deny=pods|nodes,429=3,retry-after=2,500=1,watch-410,refuse=1m,stall=2,stall-watch",
    ),
    {
      dropWatchEveryMs: 5000,
      latencyMs: 200,
      rbacDeny: ["pods", "nodes"],
      status429: 3,
      retryAfterSeconds: 2,
      status500: 1,
      expireWatches: 1,
      refuseMs: 60_000,
      stallRequests: 2,
      stallWatches: true,
    },
  );
  assert.throws(() => parseFaults("explode=1"), /unknown fault "explode"/);
  assert.throws(() => parseFaults("latency=soon"), /invalid duration/);
});

test("429 and 500 bursts answer Status errors for N requests, then recover", async () => {
  sim.faults.fail(429, 2, 3);
  for (let i = 0; i < 2; i++) {
    const r = await call(sim, "/api/v1/pods");
    assert.equal(r.status, 429);
    assert.equal(r.headers["retry-after"], "3");
    assert.equal(r.json().reason, "TooManyRequests");
    assert.equal(r.json().details.retryAfterSeconds, 3);
  }
  assert.equal((await call(sim, "/api/v1/pods")).status, 200);
  sim.faults.fail(500, 1);
  const r = await call(sim, "/api/v1/pods");
  assert.equal(r.status, 500);
  assert.equal(r.json().reason, "InternalError");
  assert.match(r.json().message, /^Internal error occurred: /);
  assert.equal((await call(sim, "/api/v1/pods")).status, 200);
});

test("rbac-deny answers 403 for that kind until allowed again", async () => {
  sim.faults.deny("nodes");
  const r = await call(sim, "/api/v1/nodes");
  assert.equal(r.status, 403);
  assert.equal(
    r.json().message,
    'nodes is forbidden: User "timoneiro" cannot list resource "nodes" in API group "" at the cluster scope',
  );
  sim.faults.allow("nodes");
  assert.equal((await call(sim, "/api/v1/nodes")).status, 200);
});

test("latency delays answers", async () => {
  sim.faults.latency(150);
  const t = performance.now();
  assert.equal((await call(sim, "/version")).status, 200);
  assert.ok(performance.now() - t >= 140);
  sim.faults.latency(0);
});

test("watch-410 forces an Expired ERROR on the next watch only", async () => {
  sim.faults.expireNextWatch();
  const w = new Watch(sim, `/api/v1/pods?watch=true&resourceVersion=${sim.store.revision()}`);
  const e = await w.until(() => true);
  assert.equal(e.type, "ERROR");
  assert.equal(e.object.code, 410);
  assert.equal(e.object.reason, "Expired");
  const ok = new Watch(sim, `/api/v1/pods?watch=true&resourceVersion=${sim.store.revision()}`);
  try {
    const pod = sim.store.createPod(undefined, "Running");
    assert.equal((await ok.until((x) => x.object.metadata?.name === pod.metadata!.name)).type, "ADDED");
  } finally {
    ok.close();
  }
});

test("dropWatches cuts open watch connections", async () => {
  await watchesOpen(0);
  const w = new Watch(sim, `/api/v1/pods?watch=true&resourceVersion=${sim.store.revision()}`);
  await watchesOpen(1);
  assert.equal(sim.faults.dropWatches(), 1);
  assert.equal(await w.ended, "error");
});

test("stall-watch keeps the connection open but sends nothing", async () => {
  await watchesOpen(0);
  const w = new Watch(sim, `/api/v1/pods?watch=true&resourceVersion=${sim.store.revision()}`);
  try {
    await watchesOpen(1);
    sim.faults.stallWatches(true);
    sim.store.createPod(undefined, "Running");
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(w.events.length, 0);
    assert.equal(sim.watchCount(), 1);
  } finally {
    sim.faults.stallWatches(false);
    w.close();
  }
});

test("stall accepts a request and never answers it", async () => {
  sim.faults.stall(1);
  const answered = await new Promise<boolean>((resolve) => {
    const req = https.get(`${sim.url}/version`, { ca: sim.caPem, agent: false }, () => resolve(true));
    req.on("error", () => undefined);
    setTimeout(() => {
      req.destroy();
      resolve(false);
    }, 300);
  });
  assert.equal(answered, false);
  assert.equal((await call(sim, "/version")).status, 200);
});

test("refuse closes the listener, then reopens on the same port; restart() does the same at once", async () => {
  const reopened = sim.faults.refuse(300);
  await new Promise((r) => setTimeout(r, 50));
  await assert.rejects(call(sim, "/version"), /ECONNREFUSED/);
  await reopened;
  assert.equal((await call(sim, "/version")).status, 200);
  await watchesOpen(0);
  const w = new Watch(sim, `/api/v1/pods?watch=true&resourceVersion=${sim.store.revision()}`);
  await watchesOpen(1);
  await sim.restart();
  assert.equal(await w.ended, "error");
  assert.equal((await call(sim, "/version")).status, 200);
});

test("drop-watch=N closes watches periodically", async () => {
  await watchesOpen(0);
  sim.faults.set({ dropWatchEveryMs: 100 });
  try {
    const w = new Watch(sim, `/api/v1/pods?watch=true&resourceVersion=${sim.store.revision()}`);
    assert.equal(await w.ended, "error");
  } finally {
    sim.faults.clear();
  }
});

test("stop() releases every socket and timer: a process that starts and stops a simulator exits by itself", () => {
  const script = `
    import { startSimServer } from ${JSON.stringify(new URL("../../../src/sim/index.ts", import.meta.url).pathname)};
    const s = await startSimServer({ pods: 20, churn: 50, faults: { dropWatchEveryMs: 1000 } });
    await fetch(s.url.replace("https", "http")).catch(() => {});
    await s.stop();
    console.log("stopped");
  `;
  const r = spawnSync(process.execPath, ["--input-type=module", "-e", script], { encoding: "utf8", timeout: 20_000 });
  assert.equal(r.stdout.trim(), "stopped", r.stderr);
  assert.equal(r.status, 0);
});
