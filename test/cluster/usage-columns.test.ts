// The usage columns (CPU, MEM, %CPU/R, %CPU/L, %MEM/R, %MEM/L; nodes' CPU, MEM, %CPU, %MEM, PODS) against
// `kubectl top` on the same cluster: metrics-server behind the real kube-apiserver, scraping KWOK kubelets configured
// with each pod's usage (kwok.x-k8s.io/usage-* annotations). The app polls through InformerRepository, as the pods and
// nodes views do; kubectl top is the oracle for CPU and memory, and the percentages are checked against the pods'
// requests and limits as created here.
//
// CPU is a rate over metrics-server's window of KWOK's integrated counter: it moves a little between scrapes, so CPU is
// compared within 5 % (+1m, kubectl rounds up); memory is a gauge and compared exactly.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { InformerRepository } from "../../src/repository/informer-repository.ts";
import { type NodeRow, nodeUsageColumns } from "../../src/resources/nodes.ts";
import { type PodRow, podUsageColumns } from "../../src/resources/pods.ts";
import { type Cluster, startCluster } from "./cluster.ts";
import { informer } from "./lib/informer.ts";
import { EXTERNAL, fixtureOnly } from "./lib/target.ts";
import { kubectlTopNodes, kubectlTopPods } from "./lib/top.ts";
import { USAGE_CPU_ANNOTATION, USAGE_MEMORY_ANNOTATION } from "./metrics-server/fixture.ts";

const FIXTURE = fixtureOnly("it starts its own KWOK and metrics-server");
const NS = "usage";
const Mi = 2 ** 20;

type Json = Record<string, unknown>;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Test pods: usage as KWOK reports it (per container), and the resources the pod asks for. */
const PODS: {
  name: string;
  node: string;
  cpu: string;
  memory: string;
  containers: number;
  resources?: Json;
  /** The cells expected, from usage and resources (per container usage × containers). */
  expect: { "%CPU/R": string; "%CPU/L": string; "%MEM/R": string; "%MEM/L": string };
}[] = [
  {
    name: "limited",
    node: "kwok-node-0",
    cpu: "200m",
    memory: "100Mi",
    containers: 1,
    resources: { requests: { cpu: "100m", memory: "50Mi" }, limits: { cpu: "250m", memory: "125Mi" } },
    expect: { "%CPU/R": "200", "%CPU/L": "80", "%MEM/R": "200", "%MEM/L": "80" },
  },
  {
    // Requests only: no limit, so %…/L is n/a (never 0 % or a division by zero).
    name: "requests-only",
    node: "kwok-node-1",
    cpu: "100m",
    memory: "64Mi",
    containers: 2,
    resources: { requests: { cpu: "100m", memory: "256Mi" } },
    // Per container: 100m of 100m, 64Mi of 256Mi; the pod sums both sides.
    expect: { "%CPU/R": "100", "%CPU/L": "n/a", "%MEM/R": "25", "%MEM/L": "n/a" },
  },
  {
    name: "best-effort",
    node: "kwok-node-0",
    cpu: "50m",
    memory: "32Mi",
    containers: 1,
    expect: { "%CPU/R": "n/a", "%CPU/L": "n/a", "%MEM/R": "n/a", "%MEM/L": "n/a" },
  },
];

let cluster: Cluster;
let repo: InformerRepository;
const releases: (() => void)[] = [];

async function until<T>(what: string, check: () => T | undefined | Promise<T | undefined>, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(500);
  }
}

function assertCpu(actual: number, expected: number, what: string): void {
  const tolerance = expected * 0.05 + 1;
  assert.ok(
    Math.abs(actual - expected) <= tolerance,
    `${what}: CPU ${actual}m, kubectl top ${expected}m ± ${tolerance}m`,
  );
}

const podCell = (row: PodRow, name: string) => podUsageColumns.find((c) => c.name === name)!.cell(row, 0);
const nodeCell = (row: NodeRow, name: string) => nodeUsageColumns.find((c) => c.name === name)!.cell(row, 0);

before(async () => {
  if (EXTERNAL) return;
  cluster = await startCluster({ kwok: { nodes: 2 }, metrics: true, log: (m) => console.log(`[cluster] ${m}`) });
  const ns = await cluster.request("POST", "/api/v1/namespaces", {
    apiVersion: "v1",
    kind: "Namespace",
    metadata: { name: NS },
  });
  assert.equal(ns.status, 201, ns.body.toString());
  for (const pod of PODS) {
    const containers = Array.from({ length: pod.containers }, (_, i) => ({
      name: `c${i}`,
      image: `fake/c${i}:1`,
      ...(pod.resources && { resources: pod.resources }),
    }));
    const res = await cluster.request("POST", `/api/v1/namespaces/${NS}/pods`, {
      apiVersion: "v1",
      kind: "Pod",
      metadata: {
        name: pod.name,
        annotations: { [USAGE_CPU_ANNOTATION]: pod.cpu, [USAGE_MEMORY_ANNOTATION]: pod.memory },
      },
      spec: { nodeName: pod.node, containers },
    });
    assert.equal(res.status, 201, res.body.toString());
  }
  // The resolution of the fixture's metrics-server decides how soon samples come; the app follows its window.
  repo = await informer(
    { kubeconfig: cluster.kubeconfigPath },
    { resources: ["pods"], metrics: { minIntervalMs: 1000 } },
  );
  await repo.startPriority();
  releases.push(repo.hold({ kind: "pods", namespace: NS }), repo.hold({ kind: "nodes" }));
});

after(async () => {
  for (const release of releases) release();
  await repo?.stopAndWait();
  await cluster?.stop();
});

describe("usage columns = kubectl top", () => {
  test("pods: CPU and MEM as kubectl top pods prints them; percentages of requests and limits", FIXTURE, async () => {
    const rows = await until(
      "usage for every test pod",
      () => {
        const found = (repo.rows({ kind: "pods", namespace: NS }) as PodRow[]).filter((r) => r.cpuUsage > 0);
        return found.length === PODS.length ? found : undefined;
      },
      180_000,
    );
    const top = await until(
      "kubectl top pods for every test pod",
      () => {
        try {
          const lines = kubectlTopPods(cluster).filter((p) => p.namespace === NS);
          return lines.length === PODS.length ? lines : undefined;
        } catch {
          return undefined; // metrics not available to kubectl yet
        }
      },
      60_000,
    );
    // The latest rows, read after kubectl: both saw the latest scrape (the memory gauge is the same in every one).
    const latest = repo.rows({ kind: "pods", namespace: NS }) as PodRow[];
    for (const pod of PODS) {
      const row = latest.find((r) => r.name === pod.name) ?? rows.find((r) => r.name === pod.name)!;
      const line = top.find((t) => t.name === pod.name);
      assert.ok(line, `kubectl top has ${pod.name}`);
      assert.equal(Number(podCell(row, "MEM")) * Mi, line.memBytes, `${pod.name} MEM`);
      assertCpu(Number(podCell(row, "CPU")), line.cpuMillis, pod.name);
      for (const [column, expected] of Object.entries(pod.expect)) {
        const cell = podCell(row, column);
        if (expected === "n/a" || column.startsWith("%MEM")) assert.equal(cell, expected, `${pod.name} ${column}`);
        else
          assert.ok(
            Math.abs(Number(cell) - Number(expected)) <= Number(expected) * 0.06 + 1,
            `${pod.name} ${column}: ${cell}, ~${expected}`,
          );
      }
    }
    const status = repo.statuses().find((s) => s.resource === "pod-metrics");
    assert.equal(status?.error, undefined);
    assert.equal(status?.synced, true);
  });

  test("nodes: CPU and MEM as kubectl top nodes prints them; PODS from the node index", FIXTURE, async () => {
    await until(
      "node usage",
      () => {
        const nodes = repo.rows({ kind: "nodes" }) as NodeRow[];
        return nodes.length === 2 && nodes.every((n) => n.cpuUsage >= 0 && n.pods >= 0) ? nodes : undefined;
      },
      180_000,
    );
    const top = kubectlTopNodes(cluster);
    const nodes = repo.rows({ kind: "nodes" }) as NodeRow[];
    for (const node of nodes) {
      const line = top.find((t) => t.name === node.name);
      assert.ok(line, `kubectl top nodes has ${node.name}`);
      assert.equal(Number(nodeCell(node, "MEM")) * Mi, line.memBytes, `${node.name} MEM`);
      assertCpu(Number(nodeCell(node, "CPU")), line.cpuMillis, node.name);
      const expectedPods = (repo.rows({ kind: "pods" }) as PodRow[]).filter((p) => p.node === node.name).length;
      assert.equal(nodeCell(node, "PODS"), String(expectedPods), `${node.name} PODS`);
      if (node.allocatableCpu > 0) {
        assert.equal(
          nodeCell(node, "%CPU"),
          String(Math.floor((Number(nodeCell(node, "CPU")) * 100) / node.allocatableCpu)),
        );
      }
    }
  });
});
