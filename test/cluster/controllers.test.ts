// A fixture that behaves like a cluster: kube-controller-manager and kube-scheduler (same k8s.io/kubernetes pin as the
// apiserver) and KWOK as the kubelet of one fake node. A Deployment becomes a ReplicaSet and pods that are scheduled
// and turn Running; scaling and a Background delete go through the real controllers and garbage collector; logs,
// attach and port-forward go through the real apiserver to KWOK's kubelet endpoints. Exec reaches KWOK too, which
// refuses it: the fixture configures no KWOK Exec (KWOK would run whatever command the request names, locally).
import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import net from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { type Cluster, startCluster } from "./cluster.ts";
import { KUBECTL, kubectl, kubectlOk, parseTable } from "./lib/kubectl.ts";
import { EXTERNAL, fixtureOnly } from "./lib/target.ts";

const FIXTURE = fixtureOnly("it starts its own kube-controller-manager, kube-scheduler and KWOK");
const NS = "ctl";
const LOG_LINES = ["hello from a kwok pod", "second line"];
const ATTACH_LINE = "attached line";
const POD_PORT = 8080;

let cluster: Cluster;
let dir: string;
let echo: net.Server;
let echoPort: number;

/** A CRI log line (`<RFC3339Nano> stdout F <text>`): the format KWOK reads its logs and attach files in. */
const criLine = (text: string) => `${new Date().toISOString().replace("Z", "000000Z")} stdout F ${text}\n`;

type Json = Record<string, unknown>;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until<T>(what: string, check: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(200);
  }
}

async function get(path: string): Promise<Json> {
  const res = await cluster.request("GET", path);
  assert.equal(res.status, 200, `GET ${path}: HTTP ${res.status}: ${res.body.toString()}`);
  return res.json as Json;
}

async function items(path: string): Promise<Json[]> {
  return ((await get(path)).items as Json[]) ?? [];
}

const webPods = () => items(`/api/v1/namespaces/${NS}/pods?labelSelector=app%3Dweb`);

/** Waits until exactly `n` pods of the deployment exist, all Running on a KWOK node, none being deleted. */
async function runningPods(n: number): Promise<Json[]> {
  return await until(`${n} Running pods`, async () => {
    const pods = await webPods();
    const ok =
      pods.length === n &&
      pods.every((p) => {
        const meta = p.metadata as Json;
        const spec = p.spec as Json;
        const status = p.status as Json;
        return (
          !meta.deletionTimestamp && cluster.kwokNodes.includes(String(spec.nodeName)) && status.phase === "Running"
        );
      });
    return ok ? pods : undefined;
  });
}

async function scale(replicas: number): Promise<void> {
  const res = await cluster.request(
    "PATCH",
    `/apis/apps/v1/namespaces/${NS}/deployments/web/scale`,
    { spec: { replicas } },
    { headers: { "Content-Type": "application/merge-patch+json" } },
  );
  assert.equal(res.status, 200, res.body.toString());
}

/** Runs kubectl in the background and resolves when its stdout matches `pattern` (the process is left running). */
function kubectlUntil(
  args: string[],
  pattern: RegExp,
  timeoutMs = 20_000,
): Promise<{ proc: ChildProcess; match: RegExpMatchArray }> {
  const proc = spawn(KUBECTL, ["--kubeconfig", cluster.kubeconfigPath, ...args], { stdio: ["pipe", "pipe", "pipe"] });
  let out = "";
  let err = "";
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      proc.kill("SIGKILL");
      reject(
        new Error(`kubectl ${args.join(" ")}: no ${pattern} after ${timeoutMs} ms; stdout: ${out} stderr: ${err}`),
      );
    }, timeoutMs);
    proc.stdout.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      const match = out.match(pattern);
      if (match) {
        clearTimeout(timer);
        resolve({ proc, match });
      }
    });
    proc.stderr.on("data", (chunk: Buffer) => {
      err += chunk.toString();
    });
    proc.on("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`kubectl ${args.join(" ")} exited (${code}) before ${pattern}; stdout: ${out} stderr: ${err}`));
    });
  });
}

before(async () => {
  if (EXTERNAL) return;
  dir = mkdtempSync(join(tmpdir(), "timoneiro-kwok-files-"));
  writeFileSync(join(dir, "pod.log"), LOG_LINES.map(criLine).join(""));
  writeFileSync(join(dir, "attach.log"), "");
  // What port-forward reaches: a local TCP server that answers each line with "echo: <line>".
  echo = net.createServer((socket) => socket.on("data", (data) => socket.write(`echo: ${data.toString()}`)));
  await new Promise<void>((resolve) => echo.listen(0, "127.0.0.1", resolve));
  echoPort = (echo.address() as net.AddressInfo).port;
  const selector = { matchNamespaces: [NS] };
  cluster = await startCluster({
    controllers: true,
    kwok: {
      nodes: 1,
      config: [
        {
          apiVersion: "kwok.x-k8s.io/v1alpha1",
          kind: "ClusterLogs",
          metadata: { name: "fixture-logs" },
          spec: { selector, logs: [{ logsFile: join(dir, "pod.log") }] },
        },
        {
          apiVersion: "kwok.x-k8s.io/v1alpha1",
          kind: "ClusterAttach",
          metadata: { name: "fixture-attach" },
          spec: { selector, attaches: [{ logsFile: join(dir, "attach.log") }] },
        },
        {
          apiVersion: "kwok.x-k8s.io/v1alpha1",
          kind: "ClusterPortForward",
          metadata: { name: "fixture-port-forward" },
          spec: { selector, forwards: [{ ports: [POD_PORT], target: { address: "127.0.0.1", port: echoPort } }] },
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
});

after(async () => {
  await cluster?.stop();
  echo?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("controllers + scheduler + KWOK", () => {
  test("the fixture refuses KWOK Exec (KWOK would run any command a request names)", FIXTURE, async () => {
    await assert.rejects(
      startCluster({ kwok: { config: [{ apiVersion: "kwok.x-k8s.io/v1alpha1", kind: "ClusterExec", spec: {} }] } }),
      /ClusterExec is refused/,
    );
  });

  test("a Deployment becomes a ReplicaSet and pods scheduled to the KWOK node, Running", FIXTURE, async () => {
    const res = await cluster.request("POST", `/apis/apps/v1/namespaces/${NS}/deployments`, {
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name: "web" },
      spec: {
        replicas: 2,
        selector: { matchLabels: { app: "web" } },
        template: {
          metadata: { labels: { app: "web" } },
          spec: { containers: [{ name: "app", image: "fake/web:1", ports: [{ containerPort: POD_PORT }] }] },
        },
      },
    });
    assert.equal(res.status, 201, res.body.toString());
    const replicaSets = await until("a ReplicaSet", async () => {
      const rs = await items(`/apis/apps/v1/namespaces/${NS}/replicasets`);
      return rs.length === 1 ? rs : undefined;
    });
    const owner = ((replicaSets[0]!.metadata as Json).ownerReferences as Json[])[0]!;
    assert.equal(owner.kind, "Deployment");
    assert.equal(owner.name, "web");
    const pods = await runningPods(2);
    for (const pod of pods) {
      const refs = (pod.metadata as Json).ownerReferences as Json[];
      assert.equal(refs[0]!.kind, "ReplicaSet");
      assert.equal(refs[0]!.name, (replicaSets[0]!.metadata as Json).name);
    }
    // kubectl says so too, and the Deployment's status (written by the deployment controller) agrees.
    const table = parseTable(kubectlOk(cluster, "get", "pods", "-n", NS, "-o", "wide"));
    assert.equal(table.rows.length, 2);
    for (const row of table.rows) {
      assert.equal(row.STATUS, "Running");
      assert.equal(row.READY, "1/1");
      assert.equal(row.NODE, cluster.kwokNodes[0]);
    }
    await until("deployment status 2/2 available", async () => {
      const status = (await get(`/apis/apps/v1/namespaces/${NS}/deployments/web`)).status as Json;
      return status.availableReplicas === 2 && status.readyReplicas === 2 ? true : undefined;
    });
  });

  test("scaling the Deployment changes the pod count", FIXTURE, async () => {
    await scale(3);
    await runningPods(3);
    await scale(1);
    await runningPods(1);
  });

  test(
    "kubectl logs POD: the configured log file, through the apiserver and KWOK's kubelet endpoint",
    FIXTURE,
    async () => {
      const [pod] = await runningPods(1);
      const name = String((pod!.metadata as Json).name);
      assert.equal(kubectlOk(cluster, "logs", "-n", NS, name), `${LOG_LINES.join("\n")}\n`);
      assert.equal(kubectlOk(cluster, "logs", "-n", NS, name, "--tail=1"), `${LOG_LINES[1]}\n`);
    },
  );

  test("kubectl attach POD: new lines of the configured attach file", FIXTURE, async () => {
    const [pod] = await runningPods(1);
    const name = String((pod!.metadata as Json).name);
    // KWOK's attach follows the file from its end: append until the running attach prints the line.
    const timer = setInterval(() => appendFileSync(join(dir, "attach.log"), criLine(ATTACH_LINE)), 300);
    try {
      const { proc } = await kubectlUntil(["attach", "-n", NS, name], new RegExp(ATTACH_LINE));
      proc.kill("SIGKILL");
    } finally {
      clearInterval(timer);
    }
  });

  test("kubectl port-forward POD: a connection reaches the configured local port", FIXTURE, async () => {
    const [pod] = await runningPods(1);
    const name = String((pod!.metadata as Json).name);
    const { proc, match } = await kubectlUntil(
      ["port-forward", "-n", NS, `pod/${name}`, `:${POD_PORT}`],
      /Forwarding from 127\.0\.0\.1:(\d+) ->/,
    );
    try {
      const reply = await new Promise<string>((resolve, reject) => {
        const socket = net.connect(Number(match[1]), "127.0.0.1", () => socket.write("ping"));
        let data = "";
        const timer = setTimeout(() => {
          socket.destroy();
          reject(new Error(`no answer through the port-forward after 10 s (got ${JSON.stringify(data)})`));
        }, 10_000);
        socket.on("data", (chunk: Buffer) => {
          data += chunk.toString();
          if (data.length >= "echo: ping".length) {
            clearTimeout(timer);
            socket.destroy();
            resolve(data);
          }
        });
        socket.on("error", (error) => {
          clearTimeout(timer);
          reject(error);
        });
      });
      assert.equal(reply, "echo: ping");
    } finally {
      proc.kill("SIGKILL");
    }
  });

  test(
    "kubectl exec POD: reaches KWOK through the apiserver, which refuses it (no Exec configured)",
    FIXTURE,
    async () => {
      const [pod] = await runningPods(1);
      const name = String((pod!.metadata as Json).name);
      const res = kubectl(cluster, "exec", "-n", NS, name, "--", "echo", "hello");
      assert.notEqual(res.status, 0);
      assert.equal(res.stdout, "");
      assert.match(res.stderr, /no exec found for container "app" in pod "ctl\//);
    },
  );

  test(
    "deleting the Deployment with propagationPolicy Background: the garbage collector removes its ReplicaSets and pods",
    FIXTURE,
    async () => {
      const res = await cluster.request("DELETE", `/apis/apps/v1/namespaces/${NS}/deployments/web`, {
        apiVersion: "v1",
        kind: "DeleteOptions",
        propagationPolicy: "Background",
      });
      assert.equal(res.status, 200, res.body.toString());
      await until("no ReplicaSets and no pods", async () => {
        const rs = await items(`/apis/apps/v1/namespaces/${NS}/replicasets`);
        const pods = await webPods();
        return rs.length === 0 && pods.length === 0 ? true : undefined;
      });
      assert.equal(kubectlOk(cluster, "get", "pods", "-n", NS, "-o", "name"), "");
    },
  );
});
