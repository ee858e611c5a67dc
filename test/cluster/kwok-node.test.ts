// The KWOK node of a fixture with kube-controller-manager keeps its addresses past the node lifecycle controller's
// 50 s grace period (node-monitor-grace-period), so logs and port-forward through the apiserver keep working.
//
// What broke before the fix (test/cluster/README.md): the kwok binary renewed no node Lease (its
// --node-lease-duration-seconds defaults to 0) and the node-heartbeat-with-lease stage writes the status only every
// 10–20 min, so 50 s after start the node lifecycle controller set the node's conditions to Unknown; KWOK's
// node-initialize stage (Ready not True) then ran again and, with an InternalIP but no Hostname address, patched
// `addresses: null`: every port-forward / log / exec / attach got 500 "no preferred addresses found".
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import net from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { type Cluster, startCluster } from "./cluster.ts";
import { KUBECTL } from "./lib/kubectl.ts";
import { EXTERNAL, fixtureOnly } from "./lib/target.ts";

const FIXTURE = fixtureOnly("it starts its own kube-controller-manager, kube-scheduler and KWOK");
const NS = "kwok-node";
const POD_PORT = 8080;
/** Past the 50 s grace period plus the 5 s monitor period and KWOK's answer to it, with a margin. */
const WAIT_PAST_MS = 75_000;

type Json = Record<string, unknown>;
interface NodeView {
  addresses?: { type: string; address: string }[];
  conditions?: { type: string; status: string }[];
}

let cluster: Cluster;
let dir: string;
let echo: net.Server;
let echoPort: number;
let startedAt: number;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function nodeStatus(): Promise<NodeView> {
  const res = await cluster.request("GET", `/api/v1/nodes/${cluster.kwokNodes[0]}`);
  assert.equal(res.status, 200, res.body.toString());
  return ((res.json as Json).status ?? {}) as NodeView;
}

const internalIp = (status: NodeView) => status.addresses?.find((a) => a.type === "InternalIP")?.address;
const ready = (status: NodeView) => status.conditions?.find((c) => c.type === "Ready")?.status;

/** GET …/pods/web/log through the apiserver (which dials the node's InternalIP, i.e. KWOK). */
async function podLog(): Promise<{ status: number; text: string }> {
  const res = await cluster.request("GET", `/api/v1/namespaces/${NS}/pods/web/log`, undefined, {
    headers: { Accept: "*/*" },
  });
  return { status: res.status, text: res.body.toString("utf8") };
}

/** kubectl port-forward pod/web :8080, one line through it to the echo server; the forwarder is stopped after. */
async function portForwardEcho(line: string): Promise<string> {
  const proc = spawn(KUBECTL, [
    "--kubeconfig",
    cluster.kubeconfigPath,
    "-n",
    NS,
    "port-forward",
    "pod/web",
    `:${POD_PORT}`,
  ]);
  let out = "";
  let err = "";
  proc.stdout.on("data", (chunk: Buffer) => (out += chunk.toString()));
  proc.stderr.on("data", (chunk: Buffer) => (err += chunk.toString()));
  try {
    const deadline = Date.now() + 20_000;
    let local: number | undefined;
    while (!local) {
      local = Number(out.match(/Forwarding from 127\.0\.0\.1:(\d+)/)?.[1]) || undefined;
      if (proc.exitCode !== null || Date.now() > deadline) throw new Error(`port-forward: ${out} ${err}`);
      await sleep(100);
    }
    const socket = net.connect(local, "127.0.0.1");
    const answer = await new Promise<string>((resolve, reject) => {
      let got = "";
      socket.on("data", (data) => {
        got += data.toString();
        if (got.endsWith("\n")) resolve(got);
      });
      socket.on("error", reject);
      socket.setTimeout(10_000, () => reject(new Error(`port-forward: no answer; stderr: ${err}`)));
      socket.write(`${line}\n`);
    });
    socket.destroy();
    // kubectl prints the apiserver's refusal (e.g. 500 no preferred addresses found) on stderr and may go on running.
    assert.doesNotMatch(err, /error|no preferred addresses/i, `port-forward stderr: ${err}`);
    return answer;
  } finally {
    proc.kill("SIGKILL");
  }
}

before(async () => {
  if (EXTERNAL) return;
  dir = mkdtempSync(join(tmpdir(), "timoneiro-kwok-node-"));
  writeFileSync(join(dir, "pod.log"), "2026-01-01T00:00:00.000000000Z stdout F still reachable\n");
  echo = net.createServer((socket) => socket.on("data", (data) => socket.write(`echo: ${data.toString()}`)));
  await new Promise<void>((resolve) => echo.listen(0, "127.0.0.1", resolve));
  echoPort = (echo.address() as net.AddressInfo).port;
  const selector = { matchNamespaces: [NS] };
  startedAt = Date.now();
  cluster = await startCluster({
    controllers: true,
    kwok: {
      nodes: 1,
      config: [
        {
          apiVersion: "kwok.x-k8s.io/v1alpha1",
          kind: "ClusterLogs",
          metadata: { name: "kwok-node-logs" },
          spec: { selector, logs: [{ logsFile: join(dir, "pod.log") }] },
        },
        {
          apiVersion: "kwok.x-k8s.io/v1alpha1",
          kind: "ClusterPortForward",
          metadata: { name: "kwok-node-port-forward" },
          spec: { selector, forwards: [{ ports: [POD_PORT], target: { address: "127.0.0.1", port: echoPort } }] },
        },
      ],
    },
  });
});

after(async () => {
  await cluster?.stop();
  echo?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test("past the node lifecycle controller's grace period the KWOK node stays Ready with its InternalIP; logs and port-forward still work", {
  ...FIXTURE,
  timeout: 180_000,
}, async () => {
  const ns = await cluster.request("POST", "/api/v1/namespaces", { metadata: { name: NS } });
  assert.equal(ns.status, 201, ns.body.toString());
  const pod = await cluster.request("POST", `/api/v1/namespaces/${NS}/pods`, {
    metadata: { name: "web" },
    spec: { containers: [{ name: "app", image: "web", ports: [{ containerPort: POD_PORT }] }] },
  });
  assert.equal(pod.status, 201, pod.body.toString());
  const deadline = Date.now() + 30_000;
  for (;;) {
    const res = await cluster.request("GET", `/api/v1/namespaces/${NS}/pods/web`);
    const status = (res.json as Json).status as Json;
    if (status?.phase === "Running") break;
    assert.ok(Date.now() < deadline, `pod web not Running: ${res.body.toString()}`);
    await sleep(200);
  }
  // Before the grace period: what must still hold after it.
  assert.equal(internalIp(await nodeStatus()), "127.0.0.1");
  assert.deepEqual(await podLog(), { status: 200, text: "still reachable\n" });

  // The one long wait: sample the node every second, so a flip to Unknown and back is seen too.
  const seen = new Set<string>();
  while (Date.now() - startedAt < WAIT_PAST_MS) {
    const status = await nodeStatus();
    seen.add(`Ready=${ready(status)} InternalIP=${internalIp(status)}`);
    await sleep(1000);
  }
  assert.deepEqual([...seen], ["Ready=True InternalIP=127.0.0.1"], "the node's Ready and InternalIP over the wait");
  const lease = await cluster.request(
    "GET",
    `/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/${cluster.kwokNodes[0]}`,
  );
  assert.equal(lease.status, 200, `KWOK renews the node's Lease: ${lease.body.toString()}`);
  const renewed = Date.parse(String(((lease.json as Json).spec as Json).renewTime));
  assert.ok(Date.now() - renewed < 30_000, `Lease renewed ${Date.now() - renewed} ms ago`);

  assert.deepEqual(await podLog(), { status: 200, text: "still reachable\n" });
  assert.equal(await portForwardEcho("ping"), "echo: ping\n");
});
