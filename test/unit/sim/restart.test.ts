// restart() and stop() close every connection, whatever state it is in: mid-TLS-handshake (raw TCP, before the server
// has a TLS socket for it), idle keep-alive, a request in flight, a watch stream. A connection the server forgets would
// keep close() from calling back, so restart()/stop() would never resolve: each test has a timeout to fail instead.
import assert from "node:assert/strict";
import https from "node:https";
import net from "node:net";
import { type TestContext, test } from "node:test";
import { type SimOptions, type SimServer, startSimServer } from "../../../src/sim/index.ts";
import { call, Watch } from "./helpers.ts";

const TIMEOUT = { timeout: 10_000 };

/** The first bytes of a TLS ClientHello: a handshake record announcing 200 bytes, then only 6 of them. */
const PARTIAL_CLIENT_HELLO = Buffer.from([0x16, 0x03, 0x01, 0x00, 0xc8, 0x01, 0x00, 0x00, 0xc4, 0x03, 0x03]);

interface Clients {
  add<S extends net.Socket>(s: S): S;
  /** Resolves once the server has closed every socket added so far. */
  closed(): Promise<void>;
  /** A restart() or stop() of the test, awaited by the clean-up. */
  op(p: Promise<void>): Promise<void>;
}

/** A simulator for one test and the client sockets the test opens to it. After the test, even one that timed out, the
 * client sockets are destroyed (so that a server stuck in close() can drain), the test's restart()/stop() are given a
 * moment to finish, then the simulator is stopped: a hang fails its test without keeping the file from exiting. */
async function setup(t: TestContext, options: Partial<SimOptions> = {}): Promise<{ sim: SimServer; c: Clients }> {
  const sim = await startSimServer({ pods: 5, ...options });
  const all: net.Socket[] = [];
  const ops: Promise<void>[] = [];
  let done = false;
  const bounded = (p: Promise<unknown>) => Promise.race([p, new Promise((r) => setTimeout(r, 2000).unref())]);
  t.after(async () => {
    done = true;
    for (const s of all) s.destroy();
    await bounded(Promise.allSettled(ops));
    await bounded(sim.stop());
  });
  const c: Clients = {
    add(s) {
      s.on("error", () => {});
      all.push(s);
      if (done) s.destroy();
      return s;
    },
    closed: () => Promise.all(all.map((s) => (s.closed ? undefined : new Promise((r) => s.once("close", r))))).then(),
    op(p) {
      ops.push(p);
      return p;
    },
  };
  return { sim, c };
}

/** Raw TCP connections that start a TLS (or HTTP) exchange and never finish it: one silent, one mid-ClientHello. */
async function pendingHandshakes(sim: SimServer, c: Clients, partial: Buffer): Promise<void> {
  const silent = c.add(net.connect(sim.port, "127.0.0.1"));
  const half = c.add(net.connect(sim.port, "127.0.0.1"));
  await Promise.all([silent, half].map((s) => new Promise((r) => s.once("connect", r))));
  half.write(partial);
  // Let the server accept them and read the partial bytes.
  await new Promise((r) => setTimeout(r, 50));
}

test("restart() and stop() resolve with TLS handshakes pending, and close those connections", TIMEOUT, async (t) => {
  const { sim, c } = await setup(t);
  await pendingHandshakes(sim, c, PARTIAL_CLIENT_HELLO);
  await c.op(sim.restart());
  await c.closed();
  assert.equal((await call(sim, "/version")).status, 200, "serves again on the same port");

  await pendingHandshakes(sim, c, PARTIAL_CLIENT_HELLO);
  await c.op(sim.stop());
  await c.closed();
});

test("restart() closes handshaking, idle keep-alive, in-flight and watch connections at once", TIMEOUT, async (t) => {
  const { sim, c } = await setup(t);

  // An idle keep-alive connection, back in its agent's pool after one request.
  const agent = new https.Agent({ keepAlive: true });
  t.after(() => agent.destroy());
  await new Promise<void>((resolve, reject) => {
    const req = https.get(`${sim.url}/version`, { agent, ca: sim.caPem }, (res) => {
      res.resume();
      res.on("end", resolve);
    });
    req.on("socket", (s) => c.add(s));
    req.on("error", reject);
  });
  // A request the server holds without answering.
  sim.faults.stall(1);
  const inFlight = https.get(`${sim.url}/api/v1/pods`, {
    ca: sim.caPem,
    agent: false,
    headers: { authorization: `Bearer ${sim.token}` },
  });
  inFlight.on("socket", (s) => c.add(s));
  inFlight.on("error", () => {});
  // A watch.
  const w = new Watch(sim, `/api/v1/pods?watch=true&resourceVersion=${sim.store.revision()}`);
  while (sim.watchCount() !== 1) await new Promise((r) => setTimeout(r, 5));
  await pendingHandshakes(sim, c, PARTIAL_CLIENT_HELLO);

  await c.op(sim.restart());
  assert.equal(await w.ended, "error");
  await c.closed();
  assert.equal(sim.watchCount(), 0);
  assert.equal((await call(sim, "/version")).status, 200);
});

test("plain HTTP: restart() and stop() resolve with half-sent requests pending", TIMEOUT, async (t) => {
  const { sim, c } = await setup(t, { tls: false });
  await pendingHandshakes(sim, c, Buffer.from("GET /version HTTP/1.1\r\nHost: sim\r\n"));
  await c.op(sim.restart());
  await c.closed();
  await pendingHandshakes(sim, c, Buffer.from("GET /ver"));
  await c.op(sim.stop());
  await c.closed();
});
