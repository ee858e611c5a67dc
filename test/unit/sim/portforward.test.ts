// Port-forward against the simulator, through kube/portforward.ts and the transport: the v4 channel protocol, an HTTP
// GET and a POST's bytes back through a forward, a port no container declares refused on the error channel (the
// connection closes, the listener stays), checkPortForward (a pod that is not running, a user without
// pods/portforward), the refused upgrade's 403, the protocol negotiation and a pod deleted mid-connection.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import http from "node:http";
import net from "node:net";
import { after, before, test } from "node:test";
import WebSocket from "ws";
import type { KubeObject } from "../../../src/kube/objects.ts";
import { checkPortForward, type PortForward, startPortForward } from "../../../src/kube/portforward.ts";
import { Transport } from "../../../src/kube/transport.ts";
import { type SimServer, startSimServer } from "../../../src/sim/index.ts";
import { listeningPorts, parsePorts } from "../../../src/sim/portforward.ts";

let sim: SimServer;
let admin: Transport;
let viewer: Transport;
let pod: KubeObject;
let port: number;
const forwards: PortForward[] = [];

type Obj = Record<string, unknown>;

before(async () => {
  sim = await startSimServer({
    pods: 60,
    seed: 5,
    tls: false,
    users: [{ name: "viewer", token: "viewer-token", deny: ["pods/portforward"] }],
  });
  const transport = (token: string) =>
    new Transport({ server: sim.url, credentials: () => ({ headers: { Authorization: `Bearer ${token}` } }) });
  admin = transport(sim.token);
  viewer = transport("viewer-token");
  const found = sim.store
    .list("pods")
    .find((p) => (p.status as Obj).phase === "Running" && !p.metadata?.deletionTimestamp && listeningPorts(p).size > 0);
  assert.ok(found, "a running pod that declares a port");
  pod = found;
  port = [...listeningPorts(pod)][0] as number;
});

after(async () => {
  for (const f of forwards) await f.stop();
  admin.close();
  viewer.close();
  await sim.stop();
});

const ns = () => pod.metadata?.namespace ?? "";
const name = () => pod.metadata?.name ?? "";

async function forward(remote: number, transport = admin): Promise<PortForward> {
  const f = await startPortForward(transport, {
    namespace: ns(),
    pod: name(),
    address: "127.0.0.1",
    ports: [{ local: 0, remote }],
  });
  forwards.push(f);
  return f;
}

function request(localPort: number, method: string, body?: Buffer): Promise<{ status: number; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: "127.0.0.1", port: localPort, method, path: "/", agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks) }));
    });
    req.on("error", reject);
    req.end(body);
  });
}

function closedWithNothing(localPort: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(localPort, "127.0.0.1");
    let got = 0;
    socket.on("data", (c: Buffer) => {
      got += c.length;
    });
    socket.on("close", () => resolve(got));
    socket.on("error", reject);
  });
}

async function until<T>(what: string, check: () => T | undefined, ms = 5000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = check();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

test("a declared port answers HTTP from inside the simulator: GET says hello, POST sends the bytes back", async () => {
  const f = await forward(port);
  const got = await request(f.ports[0]!.local, "GET");
  assert.equal(got.status, 200);
  assert.equal(got.body.toString(), `hello from ${name()}\n`);
  const sent = randomBytes(300_000);
  const echoed = await request(f.ports[0]!.local, "POST", sent);
  assert.ok(echoed.body.equals(sent), "the POST body came back changed");
  assert.equal(f.lastError(), undefined);
});

test("a port no container declares: the error channel's connection refused, that connection closes, the listener stays", async () => {
  const undeclared = [81, 82, 83, 84].find((p) => !listeningPorts(pod).has(p)) as number;
  const f = await forward(undeclared);
  assert.equal(await closedWithNothing(f.ports[0]!.local), 0);
  const error = await until("lastError", () => f.lastError());
  assert.match(
    error,
    new RegExp(`^error forwarding port ${undeclared} to pod ${name()}_${ns()}, uid .*: connect: connection refused$`),
  );
  assert.equal(await closedWithNothing(f.ports[0]!.local), 0);
  await until("no connections", () => (f.connections() === 0 ? true : undefined));
});

test("a user without pods/portforward: the upgrade's 403 is the connection's error; checkPortForward refuses first", async () => {
  const f = await forward(port, viewer);
  await closedWithNothing(f.ports[0]!.local);
  const error = await until("lastError", () => f.lastError());
  assert.match(
    error,
    /^forbidden \(403\): \S+ "[^"]+" is forbidden: User "viewer" cannot create resource "pods\/portforward"/,
  );
  await assert.rejects(checkPortForward(viewer, ns(), name()), {
    message: `forbidden (403): this user may not create pods/portforward in namespace "${ns()}"`,
  });
  await checkPortForward(admin, ns(), name());
});

test("checkPortForward: a pod that is not running, a pod that does not exist", async () => {
  const pending = sim.store.createPod(ns(), "Pending");
  await assert.rejects(checkPortForward(admin, ns(), pending.metadata?.name ?? ""), {
    message: `pod ${ns()}/${pending.metadata?.name} is not running (Pending): nothing to forward to`,
  });
  await assert.rejects(checkPortForward(admin, ns(), "nope"), { message: 'not found (404): pods "nope" not found' });
});

test("the protocol: v4.channel.k8s.io only, port prefixes on both channels, ?ports= checked", async () => {
  assert.deepEqual(parsePorts(new URLSearchParams("ports=80,8080&ports=9")), [80, 8080, 9]);
  assert.throws(() => parsePorts(new URLSearchParams("")), /query parameter "port" is required/);
  assert.throws(() => parsePorts(new URLSearchParams("ports=0")), /must be > 0/);
  assert.throws(() => parsePorts(new URLSearchParams("ports=x")), /unable to parse "x" as a port/);
  const url = `${sim.url.replace("http", "ws")}/api/v1/namespaces/${ns()}/pods/${name()}/portforward?ports=${port}`;
  const headers = { Authorization: `Bearer ${sim.token}` };
  const frames = await new Promise<Buffer[]>((resolve, reject) => {
    const ws = new WebSocket(url, ["v4.channel.k8s.io"], { headers });
    const got: Buffer[] = [];
    ws.on("message", (data: Buffer) => {
      got.push(data);
      if (got.length === 2) {
        ws.close();
        resolve(got);
      }
    });
    ws.on("error", reject);
  });
  const prefix = [port & 0xff, port >> 8];
  assert.deepEqual(
    frames.map((f) => [...f]),
    [
      [0, ...prefix],
      [1, ...prefix],
    ],
  );
  const refused = await new Promise<number>((resolve) => {
    const ws = new WebSocket(url, ["v5.channel.k8s.io"], { headers });
    ws.on("unexpected-response", (_req, res) => resolve(res.statusCode ?? 0));
    ws.on("error", () => {});
  });
  assert.equal(refused, 400);
});

test("the pod deleted mid-connection: the local connection ends", async () => {
  const victim = sim.store.createPod(ns(), "Running");
  const victimPort = [...listeningPorts(victim)][0];
  assert.ok(victimPort !== undefined, "the new pod declares a port");
  const f = await startPortForward(admin, {
    namespace: ns(),
    pod: victim.metadata?.name ?? "",
    address: "127.0.0.1",
    ports: [{ local: 0, remote: victimPort }],
  });
  forwards.push(f);
  const socket = net.connect(f.ports[0]!.local, "127.0.0.1");
  const closed = new Promise((r) => socket.once("close", r));
  await until("a connection", () => (f.connections() === 1 ? true : undefined));
  // The WebSocket is up once the pod answers a request on it.
  socket.write("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
  await new Promise((r) => socket.once("data", r));
  sim.store.delete("pods", ns(), victim.metadata?.name ?? "");
  await closed;
  await until("no connections", () => (f.connections() === 0 ? true : undefined));
});
