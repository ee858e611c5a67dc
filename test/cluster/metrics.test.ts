// metrics.k8s.io on the real fixture: metrics-server (built by build.sh) registered as an APIService behind the real
// kube-apiserver's aggregation layer, scraping KWOK's kubelets, which report the usage they are configured with: a
// pod's kwok.x-k8s.io/usage-{cpu,memory} annotations (KWOK's usage-from-annotation ClusterResourceUsage, per
// container; 1m / 1Mi without them) or a ResourceUsage for one pod (per container, and it wins). Checks the API's
// PodMetrics and NodeMetrics, `kubectl top pods -A` / `kubectl top nodes` (the oracle for the app's metrics columns),
// RBAC on the metrics resources (403 for the restricted user), and the API with metrics-server stopped (503) and
// started again. Last, the same registration for a server of the test's own (what the simulator could be later): the
// aggregator reaches it with the front-proxy client certificate and names the caller in X-Remote-User/-Group.
//
// CPU is a rate metrics-server computes between two scrapes of KWOK's cumulative counter (which KWOK integrates over
// real time), so it is compared with a tolerance; memory is a gauge and compared exactly.
import assert from "node:assert/strict";
import https from "node:https";
import type { AddressInfo } from "node:net";
import { after, before, describe, test } from "node:test";
import type { TLSSocket } from "node:tls";
import { type Cluster, startCluster } from "./cluster.ts";
import { kubectl } from "./lib/kubectl.ts";
import { EXTERNAL, fixtureOnly } from "./lib/target.ts";
import { kubectlTopNodes, kubectlTopPods, parseQuantity } from "./lib/top.ts";
import {
  apiServiceServing,
  FRONT_PROXY_CLIENT,
  METRICS_API_SERVICE,
  makeServingCert,
  USAGE_CPU_ANNOTATION,
  USAGE_MEMORY_ANNOTATION,
} from "./metrics-server/fixture.ts";

const FIXTURE = fixtureOnly("it starts its own KWOK and metrics-server");
const NS = "metrics";
const Mi = 2 ** 20;

type Json = Record<string, unknown>;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** What KWOK is configured to report for one container: millicores and bytes. */
interface Usage {
  cpuMillis: number;
  memBytes: number;
}

/** The test pods: where each runs, and the usage configured for each container. */
const PODS: { name: string; node: string; annotations?: Record<string, string>; containers: Record<string, Usage> }[] =
  [
    {
      name: "web",
      node: "kwok-node-0",
      annotations: { [USAGE_CPU_ANNOTATION]: "250m", [USAGE_MEMORY_ANNOTATION]: "64Mi" },
      containers: { app: { cpuMillis: 250, memBytes: 64 * Mi } },
    },
    {
      // The annotations apply to each container.
      name: "db",
      node: "kwok-node-1",
      annotations: { [USAGE_CPU_ANNOTATION]: "100m", [USAGE_MEMORY_ANNOTATION]: "200Mi" },
      containers: { db: { cpuMillis: 100, memBytes: 200 * Mi }, backup: { cpuMillis: 100, memBytes: 200 * Mi } },
    },
    {
      // No annotations: KWOK's default of the usage-from-annotation rule.
      name: "plain",
      node: "kwok-node-0",
      containers: { app: { cpuMillis: 1, memBytes: 1 * Mi } },
    },
    {
      // A ResourceUsage for this pod (below), which wins over the annotations.
      name: "fixed",
      node: "kwok-node-1",
      annotations: { [USAGE_CPU_ANNOTATION]: "900m", [USAGE_MEMORY_ANNOTATION]: "900Mi" },
      containers: { main: { cpuMillis: 300, memBytes: 32 * Mi }, sidecar: { cpuMillis: 50, memBytes: 16 * Mi } },
    },
  ];

const podTotal = (pod: (typeof PODS)[number]): Usage => {
  const usages = Object.values(pod.containers);
  return {
    cpuMillis: usages.reduce((sum, u) => sum + u.cpuMillis, 0),
    memBytes: usages.reduce((sum, u) => sum + u.memBytes, 0),
  };
};

const nodeTotal = (node: string): Usage => {
  const totals = PODS.filter((p) => p.node === node).map(podTotal);
  return {
    cpuMillis: totals.reduce((sum, u) => sum + u.cpuMillis, 0),
    memBytes: totals.reduce((sum, u) => sum + u.memBytes, 0),
  };
};

/**
 * CPU within 5% (+ 1m for kubectl, which rounds millicores up): a rate over a 10 s window on a busy 2-core machine. The
 * configured values differ by far more than that (1m, 100m, 250m, 300m), so a wrong source would still fail.
 */
function assertCpu(actualMillis: number, expectedMillis: number, what: string, slackMillis = 0): void {
  const tolerance = expectedMillis * 0.05 + slackMillis;
  assert.ok(
    Math.abs(actualMillis - expectedMillis) <= tolerance,
    `${what}: CPU ${actualMillis}m, expected ${expectedMillis}m ± ${tolerance}m`,
  );
}

let cluster: Cluster;
/** When every test pod was Running (KWOK took them), for the time to the first metrics. */
let podsRunningAt = 0;

async function get(path: string): Promise<Json> {
  const res = await cluster.request("GET", path);
  assert.equal(res.status, 200, `GET ${path}: HTTP ${res.status}: ${res.body.toString()}`);
  return res.json as Json;
}

async function until<T>(what: string, check: () => Promise<T | undefined>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(500);
  }
}

/** PodMetrics of the test namespace, once metrics-server has a rate for every test pod (two complete scrapes). */
async function allPodMetrics(): Promise<Json[]> {
  return await until(
    "PodMetrics for every test pod",
    async () => {
      const items = ((await get(`/apis/metrics.k8s.io/v1beta1/namespaces/${NS}/pods`)).items as Json[]) ?? [];
      const names = new Set(items.map((item) => (item.metadata as Json).name));
      return PODS.every((p) => names.has(p.name)) ? items : undefined;
    },
    // One resolution for KWOK's first (zero) CPU counter, two for a rate; generous for a loaded machine.
    120_000,
  );
}

before(async () => {
  if (EXTERNAL) return;
  cluster = await startCluster({
    kwok: {
      nodes: 2,
      config: [
        {
          apiVersion: "kwok.x-k8s.io/v1alpha1",
          kind: "ResourceUsage",
          metadata: { name: "fixed", namespace: NS },
          spec: {
            usages: [
              { containers: ["main"], usage: { cpu: { value: "300m" }, memory: { value: "32Mi" } } },
              { containers: ["sidecar"], usage: { cpu: { value: "50m" }, memory: { value: "16Mi" } } },
            ],
          },
        },
      ],
    },
    metrics: true,
    log: (m) => console.log(`[cluster] ${m}`),
  });
  const ns = await cluster.request("POST", "/api/v1/namespaces", {
    apiVersion: "v1",
    kind: "Namespace",
    metadata: { name: NS },
  });
  assert.equal(ns.status, 201, ns.body.toString());
  for (const pod of PODS) {
    const res = await cluster.request("POST", `/api/v1/namespaces/${NS}/pods`, {
      apiVersion: "v1",
      kind: "Pod",
      metadata: { name: pod.name, annotations: pod.annotations ?? {} },
      spec: {
        nodeName: pod.node, // no scheduler runs: bound straight to the KWOK node
        containers: Object.keys(pod.containers).map((name) => ({ name, image: `fake/${name}:1` })),
      },
    });
    assert.equal(res.status, 201, res.body.toString());
  }
  await until(
    "every test pod Running",
    async () => {
      const items = ((await get(`/api/v1/namespaces/${NS}/pods`)).items as Json[]) ?? [];
      const running = items.filter((p) => (p.status as Json).phase === "Running").length;
      return running === PODS.length ? true : undefined;
    },
    30_000,
  );
  podsRunningAt = performance.now();
});

after(async () => {
  await cluster?.stop();
});

describe("metrics.k8s.io: metrics-server behind kube-apiserver, scraping KWOK", () => {
  test("the APIService is registered and Available, served by metrics-server", FIXTURE, async (t) => {
    t.diagnostic(`fixture with 2 KWOK nodes + metrics-server ready (APIService Available) in ${cluster.startupMs} ms`);
    const apiService = await get(`/apis/apiregistration.k8s.io/v1/apiservices/${METRICS_API_SERVICE}`);
    const spec = apiService.spec as Json;
    const service = spec.service as Json;
    assert.equal(service.namespace, "kube-system");
    assert.equal(service.name, "metrics-server");
    assert.equal(typeof service.port, "number");
    const conditions = ((apiService.status as Json).conditions as Json[]) ?? [];
    assert.equal(conditions.find((c) => c.type === "Available")?.status, "True");
    const discovery = await get("/apis/metrics.k8s.io/v1beta1");
    const resources = ((discovery.resources as Json[]) ?? []).map((r) => r.name).sort();
    assert.deepEqual(resources, ["nodes", "pods"]);
    assert.ok(cluster.metricsServerPid > 0);
  });

  test("PodMetrics carry each container's configured usage", FIXTURE, async (t) => {
    const items = await allPodMetrics();
    t.diagnostic(`first PodMetrics for all pods ${Math.round(performance.now() - podsRunningAt)} ms after they ran`);
    for (const pod of PODS) {
      const item = items.find((i) => (i.metadata as Json).name === pod.name);
      assert.ok(item, `no PodMetrics for ${pod.name}`);
      assert.equal((item.metadata as Json).namespace, NS);
      assert.match(String(item.window), /^\d+(\.\d+)?s$/);
      const containers = item.containers as { name: string; usage: { cpu: string; memory: string } }[];
      assert.deepEqual(containers.map((c) => c.name).sort(), Object.keys(pod.containers).sort(), pod.name);
      for (const container of containers) {
        const expected = pod.containers[container.name]!;
        assert.equal(parseQuantity(container.usage.memory), expected.memBytes, `${pod.name}/${container.name} memory`);
        assertCpu(parseQuantity(container.usage.cpu) * 1000, expected.cpuMillis, `${pod.name}/${container.name}`);
      }
    }
    // One pod by name, as `kubectl top pod NAME` and a detail view ask for it.
    const web = await get(`/apis/metrics.k8s.io/v1beta1/namespaces/${NS}/pods/web`);
    assert.equal(web.kind, "PodMetrics");
  });

  test("NodeMetrics: each KWOK node reports the sum of its pods", FIXTURE, async () => {
    await allPodMetrics();
    const items = ((await get("/apis/metrics.k8s.io/v1beta1/nodes")).items as Json[]) ?? [];
    assert.deepEqual(items.map((i) => (i.metadata as Json).name).sort(), cluster.kwokNodes);
    for (const node of cluster.kwokNodes) {
      const item = items.find((i) => (i.metadata as Json).name === node)!;
      const usage = item.usage as { cpu: string; memory: string };
      const expected = nodeTotal(node);
      assert.equal(parseQuantity(usage.memory), expected.memBytes, `${node} memory`);
      assertCpu(parseQuantity(usage.cpu) * 1000, expected.cpuMillis, node);
    }
  });

  test("kubectl top pods -A and kubectl top nodes print the same usage (the oracle)", FIXTURE, async () => {
    await allPodMetrics();
    const rows = kubectlTopPods(cluster).filter((row) => row.namespace === NS);
    assert.deepEqual(rows.map((r) => r.name).sort(), PODS.map((p) => p.name).sort());
    for (const pod of PODS) {
      const row = rows.find((r) => r.name === pod.name)!;
      const expected = podTotal(pod);
      // kubectl prints whole mebibytes: all configured values are whole mebibytes.
      assert.equal(row.memBytes, expected.memBytes, `${pod.name} memory`);
      assertCpu(row.cpuMillis, expected.cpuMillis, `kubectl top ${pod.name}`, 1);
    }
    const nodes = kubectlTopNodes(cluster);
    assert.deepEqual(nodes.map((n) => n.name).sort(), cluster.kwokNodes);
    for (const node of nodes) {
      const expected = nodeTotal(node.name);
      assert.equal(node.memBytes, expected.memBytes, `${node.name} memory`);
      assertCpu(node.cpuMillis, expected.cpuMillis, `kubectl top node ${node.name}`, 1);
    }
  });

  test("RBAC applies to pods.metrics.k8s.io: the restricted user gets 403", FIXTURE, async () => {
    // "restricted" may list pods in namespace "allowed", but not pods.metrics.k8s.io (kube-apiserver's authorizer
    // answers before proxying; metrics-server would ask the same RBAC through a SubjectAccessReview).
    const res = await cluster.request("GET", "/apis/metrics.k8s.io/v1beta1/namespaces/allowed/pods", undefined, {
      token: cluster.restrictedToken,
    });
    assert.equal(res.status, 403, res.body.toString());
    assert.equal(
      (res.json as { message?: string }).message,
      'pods.metrics.k8s.io is forbidden: User "restricted" cannot list resource "pods" in API group "metrics.k8s.io" ' +
        'in the namespace "allowed"',
    );
  });

  test("with metrics-server stopped the API answers 503; started again, it serves", FIXTURE, async (t) => {
    await cluster.stopMetricsServer();
    assert.equal(cluster.metricsServerPid, -1);
    for (const path of [
      "/apis/metrics.k8s.io/v1beta1/nodes",
      "/apis/metrics.k8s.io/v1beta1/pods",
      `/apis/metrics.k8s.io/v1beta1/namespaces/${NS}/pods/web`,
    ]) {
      const res = await cluster.request("GET", path);
      assert.equal(res.status, 503, `GET ${path}: HTTP ${res.status}: ${res.body.toString()}`);
      assert.match(res.body.toString(), /error trying to reach service|service unavailable/i, path);
      t.diagnostic(`GET ${path}: ${res.status} ${res.headers["content-type"]}: ${res.body.toString().trim()}`);
    }
    const top = kubectl(cluster, "top", "pods", "-A", "--no-headers");
    assert.notEqual(top.status, 0, `kubectl top pods succeeded without metrics-server:\n${top.stdout}`);
    assert.match(top.stderr, /Metrics API not available|service unavailable|the server is currently unable/i);
    t.diagnostic(`kubectl top pods -A without metrics-server: exit ${top.status}: ${top.stderr.trim()}`);

    await cluster.startMetricsServer();
    assert.ok(cluster.metricsServerPid > 0);
    const res = await cluster.request("GET", `/apis/metrics.k8s.io/v1beta1/namespaces/${NS}/pods`);
    assert.equal(res.status, 200, res.body.toString());
    // A fresh metrics-server needs two scrapes again before it has a rate.
    const restartedAt = performance.now();
    const items = await allPodMetrics();
    t.diagnostic(`PodMetrics again ${Math.round(performance.now() - restartedAt)} ms after metrics-server served`);
    assert.equal(items.length, PODS.length);
  });
});

describe("registerApiService: an aggregated API server of the test's own, on loopback", () => {
  const GROUP = "echo.timoneiro.test";
  let echo: https.Server | undefined;

  after(() => {
    echo?.close();
  });

  test("kube-apiserver proxies to it with its front-proxy certificate, naming the caller", FIXTURE, async () => {
    const serving = await makeServingCert("default", "echo");
    // Answers discovery of echo.timoneiro.test/v1 and, for any other path in it, who the aggregator said was asking.
    echo = https.createServer(
      {
        cert: serving.certPem,
        key: serving.keyPem,
        ca: cluster.frontProxyCaPem,
        requestCert: true,
        rejectUnauthorized: false, // checked below, so that a missing certificate shows in the answer
      },
      (req, res) => {
        const socket = req.socket as TLSSocket;
        const send = (status: number, body: unknown) => {
          res.writeHead(status, { "Content-Type": "application/json" });
          res.end(JSON.stringify(body));
        };
        if (req.url === `/apis/${GROUP}/v1`) {
          send(200, {
            kind: "APIResourceList",
            apiVersion: "v1",
            groupVersion: `${GROUP}/v1`,
            resources: [
              { name: "whoamis", singularName: "whoami", namespaced: false, kind: "WhoAmI", verbs: ["list"] },
            ],
          });
        } else if (req.url?.startsWith(`/apis/${GROUP}/v1/`)) {
          send(200, {
            kind: "WhoAmI",
            apiVersion: `${GROUP}/v1`,
            user: req.headers["x-remote-user"],
            groups: req.headersDistinct["x-remote-group"] ?? [],
            clientName: socket.getPeerCertificate().subject?.CN,
            clientVerified: socket.authorized,
          });
        } else {
          send(404, { kind: "Status", apiVersion: "v1", status: "Failure", code: 404 });
        }
      },
    );
    await new Promise<void>((resolve) => echo!.listen(0, "127.0.0.1", resolve));
    const port = (echo.address() as AddressInfo).port;
    await cluster.registerApiService({
      group: GROUP,
      version: "v1",
      namespace: "default",
      service: "echo",
      port,
      caPem: serving.caPem,
    });
    await until(
      "the echo APIService served",
      async () => ((await apiServiceServing(cluster.request, GROUP, "v1")) === true ? true : undefined),
      60_000,
    );
    const whoami = await get(`/apis/${GROUP}/v1/whoamis`);
    assert.equal(whoami.user, "admin");
    assert.ok((whoami.groups as string[]).includes("system:masters"), JSON.stringify(whoami));
    assert.equal(whoami.clientName, FRONT_PROXY_CLIENT);
    assert.equal(whoami.clientVerified, true);
    // kube-apiserver authorizes before it proxies: the restricted user never reaches the server.
    const denied = await cluster.request("GET", `/apis/${GROUP}/v1/whoamis`, undefined, {
      token: cluster.restrictedToken,
    });
    assert.equal(denied.status, 403, denied.body.toString());
  });
});
