// Port-forward (src/kube/portforward.ts, and the app's manager src/cli/port-forwards.ts) through the real
// kube-apiserver to KWOK's kubelet endpoint: KWOK's ClusterPortForward sends a pod's port 80 to a local HTTP server,
// port 7 to a local TCP echo and port 81 to a local port nothing listens on, all started by this file.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import http from "node:http";
import net from "node:net";
import { after, before, describe, test } from "node:test";
import type { ActiveForward } from "../../src/app/effects.ts";
import { PortForwards } from "../../src/cli/port-forwards.ts";
import { loadKubeconfig } from "../../src/kube/kubeconfig.ts";
import { checkPortForward, type PortForward, startPortForward } from "../../src/kube/portforward.ts";
import type { Transport } from "../../src/kube/transport.ts";
import { transportFor } from "../../src/repository/informer-repository.ts";
import { type Cluster, startCluster } from "./cluster.ts";
import { fixtureOnly } from "./lib/target.ts";

const FIXTURE = fixtureOnly("it starts its own KWOK with port-forward targets of its own");
const NS = "pf";
const POD = "web";
/** The restricted user may get pods in "allowed", and nothing more: not pods/portforward. */
const RESTRICTED_NS = "allowed";

let cluster: Cluster;
let httpServer: http.Server;
let echo: net.Server;
let closedPort: number;
let admin: Transport;
let restricted: Transport;

type Json = Record<string, unknown>;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until<T>(what: string, check: () => Promise<T | undefined> | T | undefined, ms = 30_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await sleep(100);
  }
}

async function listenLocal(server: net.Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return (server.address() as net.AddressInfo).port;
}

/** A pod bound to the KWOK node, once Running. */
async function runningPod(namespace: string, name: string): Promise<void> {
  const res = await cluster.request("POST", `/api/v1/namespaces/${namespace}/pods`, {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name },
    spec: {
      nodeName: cluster.kwokNodes[0],
      containers: [{ name: "app", image: "fake/web:1", ports: [{ containerPort: 80 }, { containerPort: 7 }] }],
    },
  });
  assert.equal(res.status, 201, res.body.toString());
  await until(`${namespace}/${name} Running`, async () => {
    const got = await cluster.request("GET", `/api/v1/namespaces/${namespace}/pods/${name}`);
    return ((got.json as Json).status as Json | undefined)?.phase === "Running" ? true : undefined;
  });
}

/** Connects to a local port; resolves once connected. */
function connect(port: number): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, "127.0.0.1", () => resolve(socket));
    socket.once("error", reject);
  });
}

/** Everything the socket receives until the other side closes it. */
function readToEnd(socket: net.Socket): Promise<Buffer> {
  const chunks: Buffer[] = [];
  return new Promise((resolve, reject) => {
    socket.on("data", (c: Buffer) => chunks.push(c));
    socket.once("close", () => resolve(Buffer.concat(chunks)));
    socket.once("error", reject);
  });
}

/** Reads from the socket until `n` bytes have come. */
function readBytes(socket: net.Socket, n: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let got = 0;
  return new Promise((resolve, reject) => {
    const onData = (c: Buffer) => {
      chunks.push(c);
      got += c.length;
      if (got >= n) {
        socket.off("data", onData);
        resolve(Buffer.concat(chunks));
      }
    };
    socket.on("data", onData);
    socket.once("close", () => reject(new Error(`closed after ${got} of ${n} bytes`)));
  });
}

/** GET / through a local port, with a fresh connection. */
async function httpGet(port: number): Promise<{ status: number; body: string }> {
  return await new Promise((resolve, reject) => {
    const req = http.get({ host: "127.0.0.1", port, path: "/", agent: false }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (c: string) => {
        body += c;
      });
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on("error", reject);
  });
}

before(async () => {
  if (FIXTURE.skip) return;
  httpServer = http.createServer((req, res) => {
    res.writeHead(200, { "Content-Type": "text/plain" });
    res.end(`hello from the target: ${req.method} ${req.url}`);
  });
  const httpPort = await listenLocal(httpServer);
  echo = net.createServer((socket) => socket.pipe(socket));
  const echoPort = await listenLocal(echo);
  const probe = net.createServer();
  closedPort = await listenLocal(probe);
  await new Promise((r) => probe.close(r));
  const target = (port: number) => ({ address: "127.0.0.1", port });
  // KWOK alone, pods bound to its node by name: with kube-controller-manager, its node lifecycle controller acts on the
  // KWOK node after its 50 s grace period and KWOK's next status write leaves the node without addresses, after which
  // the apiserver answers every port-forward with 500 "no preferred addresses found".
  cluster = await startCluster({
    kwok: {
      nodes: 1,
      config: [
        {
          apiVersion: "kwok.x-k8s.io/v1alpha1",
          kind: "ClusterPortForward",
          metadata: { name: "portforward-test" },
          spec: {
            selector: { matchNamespaces: [NS, RESTRICTED_NS] },
            forwards: [
              { ports: [80], target: target(httpPort) },
              { ports: [7], target: target(echoPort) },
              { ports: [81], target: target(closedPort) },
            ],
          },
        },
      ],
    },
  });
  const res = await cluster.request("POST", "/api/v1/namespaces", {
    apiVersion: "v1",
    kind: "Namespace",
    metadata: { name: NS },
  });
  assert.equal(res.status, 201, res.body.toString());
  await runningPod(NS, POD);
  await runningPod(RESTRICTED_NS, POD);
  admin = await transportFor(loadKubeconfig({ kubeconfig: cluster.kubeconfigPath, context: "envtest-admin" }));
  restricted = await transportFor(
    loadKubeconfig({ kubeconfig: cluster.kubeconfigPath, context: "envtest-restricted" }),
  );
});

after(async () => {
  admin?.close();
  restricted?.close();
  await cluster?.stop();
  httpServer?.close();
  echo?.close();
});

describe("port-forward through kube-apiserver to KWOK", () => {
  const forwards: PortForward[] = [];
  const start = async (ports: { local: number; remote: number }[], transport = admin, namespace = NS) => {
    const pf = await startPortForward(transport, { namespace, pod: POD, address: "127.0.0.1", ports });
    forwards.push(pf);
    return pf;
  };
  after(async () => {
    for (const pf of forwards) await pf.stop();
  });

  test("an HTTP request through a forward reaches the pod's port 80", FIXTURE, async () => {
    const pf = await start([{ local: 0, remote: 80 }]);
    const port = pf.ports[0]!.local;
    assert.notEqual(port, 0);
    assert.deepEqual(await httpGet(port), { status: 200, body: "hello from the target: GET /" });
    // A second request on a new connection: the listener stays.
    assert.deepEqual(await httpGet(port), { status: 200, body: "hello from the target: GET /" });
    assert.equal(pf.lastError(), undefined);
    await until("the connections closed", () => (pf.connections() === 0 ? true : undefined));
  });

  test("bytes both ways: 1 MiB of random bytes comes back from a TCP echo, byte for byte", FIXTURE, async () => {
    const pf = await start([{ local: 0, remote: 7 }]);
    const socket = await connect(pf.ports[0]!.local);
    const sent = randomBytes(1 << 20);
    const received = readBytes(socket, sent.length);
    socket.write(sent);
    const back = await received;
    assert.equal(back.length, sent.length);
    assert.ok(back.equals(sent), "the echoed bytes differ from the ones sent");
    socket.destroy();
  });

  test("two concurrent connections each get their own bytes; the count follows them", FIXTURE, async () => {
    let changes = 0;
    const pf = await startPortForward(
      admin,
      { namespace: NS, pod: POD, address: "127.0.0.1", ports: [{ local: 0, remote: 7 }] },
      { onChange: () => changes++ },
    );
    forwards.push(pf);
    const port = pf.ports[0]!.local;
    const [a, b] = await Promise.all([connect(port), connect(port)]);
    await until("2 connections", () => (pf.connections() === 2 ? true : undefined));
    const fromA = readBytes(a!, 6);
    const fromB = readBytes(b!, 6);
    b!.write("bbb");
    a!.write("aaa");
    b!.write("BBB");
    a!.write("AAA");
    assert.equal((await fromA).toString(), "aaaAAA");
    assert.equal((await fromB).toString(), "bbbBBB");
    a!.destroy();
    await until("1 connection", () => (pf.connections() === 1 ? true : undefined));
    b!.destroy();
    await until("0 connections", () => (pf.connections() === 0 ? true : undefined));
    assert.ok(changes >= 4, `onChange called ${changes} times for 2 opens and 2 closes`);
  });

  test(
    "half-close: a client that ends its side still gets the whole answer, then the connection ends",
    FIXTURE,
    async () => {
      const pf = await start([{ local: 0, remote: 80 }]);
      const socket = await connect(pf.ports[0]!.local);
      const all = readToEnd(socket);
      socket.end("GET /x HTTP/1.1\r\nHost: pod\r\nConnection: close\r\n\r\n");
      const text = (await all).toString();
      assert.match(text, /^HTTP\/1\.1 200 OK\r\n/);
      // Node's server answers `Connection: close` in chunks: the body, then the last (empty) chunk.
      assert.match(text, /\r\n\r\n1d\r\nhello from the target: GET \/x\r\n0\r\n\r\n$/);
      await until("the connection closed", () => (pf.connections() === 0 ? true : undefined));
    },
  );

  test(
    "a port nothing listens on inside the pod: the error channel's message, that connection only",
    FIXTURE,
    async () => {
      const pf = await start([
        { local: 0, remote: 81 },
        { local: 0, remote: 80 },
      ]);
      const socket = await connect(pf.ports[0]!.local);
      const data = await readToEnd(socket);
      assert.equal(data.length, 0);
      const error = await until("lastError", () => pf.lastError());
      assert.match(error, /connection refused/);
      assert.match(error, new RegExp(`127\\.0\\.0\\.1:${closedPort}`));
      // The listeners stay: the same port fails again, the other pair works.
      const again = await connect(pf.ports[0]!.local);
      await readToEnd(again);
      assert.deepEqual(await httpGet(pf.ports[1]!.local), { status: 200, body: "hello from the target: GET /" });
    },
  );

  test("a local port in use: a clear error, and no listener is left behind", FIXTURE, async () => {
    const busy = net.createServer();
    const port = await listenLocal(busy);
    try {
      const free = net.createServer();
      const freePort = await listenLocal(free);
      await new Promise((r) => free.close(r));
      await assert.rejects(
        startPortForward(admin, {
          namespace: NS,
          pod: POD,
          address: "127.0.0.1",
          ports: [
            { local: freePort, remote: 80 },
            { local: port, remote: 7 },
          ],
        }),
        { message: `127.0.0.1:${port} is in use` },
      );
      // The first pair's listener was closed again: its port is free.
      const again = net.createServer();
      await new Promise<void>((resolve, reject) => {
        again.once("error", reject);
        again.listen(freePort, "127.0.0.1", resolve);
      });
      await new Promise((r) => again.close(r));
    } finally {
      busy.close();
    }
  });

  test("stop closes the listener and the open connections", FIXTURE, async () => {
    const pf = await start([{ local: 0, remote: 7 }]);
    const port = pf.ports[0]!.local;
    const socket = await connect(port);
    const echoed = readBytes(socket, 4);
    socket.write("ping");
    assert.equal((await echoed).toString(), "ping");
    const closed = readToEnd(socket);
    await pf.stop();
    await closed;
    await assert.rejects(connect(port), { code: "ECONNREFUSED" });
    assert.equal(pf.connections(), 0);
  });

  test("a user without pods/portforward: the apiserver's 403 names it; the listener stays", FIXTURE, async () => {
    const pf = await start([{ local: 0, remote: 80 }], restricted, RESTRICTED_NS);
    const socket = await connect(pf.ports[0]!.local);
    await readToEnd(socket);
    const error = await until("lastError", () => pf.lastError());
    assert.match(error, /^forbidden \(403\): /);
    assert.match(
      error,
      /User "restricted" cannot \w+ resource "pods\/portforward" in API group "" in the namespace "allowed"/,
    );
    // Still listening.
    (await connect(pf.ports[0]!.local)).destroy();
    // What the app asks before it listens: the same refusal from a SelfSubjectAccessReview (the kubeconfig's user
    // name in it), and admin may.
    await assert.rejects(checkPortForward(restricted, RESTRICTED_NS, POD), {
      message: `forbidden (403): user "envtest-restricted" may not create pods/portforward in namespace "${RESTRICTED_NS}"`,
    });
    await checkPortForward(admin, RESTRICTED_NS, POD);
  });

  test("the app's manager: start, forwards messages, stop and stopAll", FIXTURE, async () => {
    const messages: (readonly ActiveForward[])[] = [];
    let now = 1_000;
    const manager = new PortForwards({ transport: async () => admin, send: (f) => messages.push(f), now: () => now });
    const spec = { namespace: NS, pod: POD, address: "127.0.0.1", ports: [{ local: 0, remote: 80 }] };
    const first = await manager.start(spec);
    assert.equal(first.since, 1_000);
    assert.equal(first.connections, 0);
    assert.notEqual(first.ports[0]!.local, 0);
    assert.deepEqual(messages.at(-1), [first]);
    now = 2_000;
    const second = await manager.start({ ...spec, ports: [{ local: 0, remote: 7 }] });
    assert.deepEqual(
      manager.list().map((f) => f.id),
      [first.id, second.id],
    );
    assert.deepEqual(await httpGet(first.ports[0]!.local), { status: 200, body: "hello from the target: GET /" });
    await manager.stop(first.id);
    assert.deepEqual(
      messages.at(-1)?.map((f) => f.id),
      [second.id],
    );
    await assert.rejects(connect(first.ports[0]!.local), { code: "ECONNREFUSED" });
    await manager.stopAll();
    assert.deepEqual(messages.at(-1), []);
    await assert.rejects(connect(second.ports[0]!.local), { code: "ECONNREFUSED" });
  });
});
