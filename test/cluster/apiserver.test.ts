// Smoke test of the real-Kubernetes fixture: etcd + kube-apiserver built from source by build.sh (built here if the
// binaries are missing; fails loudly, never skips, if Go is missing), driven with kubectl and the REST API.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { after, before, test } from "node:test";
import { type Cluster, startCluster } from "./cluster.ts";
import { EXTERNAL, fixtureOnly } from "./lib/target.ts";

const KUBECTL = "/usr/bin/kubectl";
let cluster: Cluster;

function kubectl(...args: string[]): { status: number; stdout: string; stderr: string } {
  const res = spawnSync(KUBECTL, ["--kubeconfig", cluster.kubeconfigPath, ...args], {
    encoding: "utf8",
    timeout: 60_000,
  });
  return { status: res.status ?? -1, stdout: res.stdout, stderr: res.stderr };
}

function kubectlOk(...args: string[]): string {
  const res = kubectl(...args);
  assert.equal(res.status, 0, `kubectl ${args.join(" ")} failed:\n${res.stderr}`);
  return res.stdout;
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** Every test here needs the local fixture: skipped, with this reason, on an external cluster. */
const FIXTURE = fixtureOnly("this file tests the fixture itself (its tokens, RBAC user, fault helpers and flags)");

before(async () => {
  if (EXTERNAL) return;
  cluster = await startCluster({ log: (m) => console.log(`[cluster] ${m}`) });
  console.log(`cluster up in ${cluster.startupMs} ms at ${cluster.server}`);
});

after(async () => {
  await cluster?.stop();
});

test("kubectl reaches the apiserver as admin; watch-list is on by default", FIXTURE, async () => {
  assert.ok(existsSync(KUBECTL), `${KUBECTL} is missing`);
  const version = (await cluster.request("GET", "/version")).json as { gitVersion: string };
  console.log(`kube-apiserver ${version.gitVersion}`);
  assert.match(version.gitVersion, /^v1\.\d+\.\d+$/);
  const ns = kubectlOk("get", "ns");
  assert.match(ns, /^default\s+Active/m);
  assert.match(ns, /^allowed\s+Active/m);
  kubectlOk("get", "pods", "-A");
  // A watch-list request (streaming LIST): the initial events end with a BOOKMARK annotated initial-events-end.
  const watchList = await cluster.request(
    "GET",
    "/api/v1/namespaces/default/pods?watch=1&sendInitialEvents=true&resourceVersionMatch=NotOlderThan" +
      "&allowWatchBookmarks=true&timeoutSeconds=1",
  );
  assert.equal(watchList.status, 200, watchList.body.toString());
  assert.match(watchList.body.toString(), /"type":"BOOKMARK".*"k8s.io\/initial-events-end":"true"/);
});

test("a pod created through the API and set Running via the status subresource shows as Running", FIXTURE, async () => {
  const ns = await cluster.request("POST", "/api/v1/namespaces", {
    apiVersion: "v1",
    kind: "Namespace",
    metadata: { name: "smoke" },
  });
  assert.equal(ns.status, 201, ns.body.toString());
  const pod = await cluster.request("POST", "/api/v1/namespaces/smoke/pods", {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name: "web", labels: { app: "web" } },
    spec: { containers: [{ name: "nginx", image: "nginx:1.27" }] },
  });
  assert.equal(pod.status, 201, pod.body.toString());

  const now = new Date().toISOString().replace(/\.\d+Z$/, "Z");
  const status = await cluster.request(
    "PATCH",
    "/api/v1/namespaces/smoke/pods/web/status",
    {
      status: {
        phase: "Running",
        podIP: "10.244.0.7",
        startTime: now,
        conditions: [
          { type: "Ready", status: "True", lastTransitionTime: now },
          { type: "ContainersReady", status: "True", lastTransitionTime: now },
        ],
        containerStatuses: [
          {
            name: "nginx",
            image: "nginx:1.27",
            imageID: "",
            ready: true,
            started: true,
            restartCount: 0,
            state: { running: { startedAt: now } },
          },
        ],
      },
    },
    { headers: { "Content-Type": "application/merge-patch+json" } },
  );
  assert.equal(status.status, 200, status.body.toString());
  assert.equal((status.json as { status: { phase: string } }).status.phase, "Running");

  const pods = kubectlOk("get", "pods", "-A");
  assert.match(pods, /^smoke\s+web\s+1\/1\s+Running\s+0\s/m, pods);
});

test("the restricted user may list pods in namespace allowed only", FIXTURE, async () => {
  const token = cluster.restrictedToken;
  const clusterWide = await cluster.request("GET", "/api/v1/pods", undefined, { token });
  assert.equal(clusterWide.status, 403, clusterWide.body.toString());
  const inAllowed = await cluster.request("GET", "/api/v1/namespaces/allowed/pods", undefined, { token });
  assert.equal(inAllowed.status, 200, inAllowed.body.toString());
  const elsewhere = await cluster.request("GET", "/api/v1/namespaces/smoke/pods", undefined, { token });
  assert.equal(elsewhere.status, 403, elsewhere.body.toString());

  const denied = kubectl("--context", "envtest-restricted", "get", "pods", "-A");
  assert.notEqual(denied.status, 0);
  assert.match(denied.stderr, /Forbidden|forbidden/);
  const allowed = kubectl("--context", "envtest-restricted", "get", "pods", "-n", "allowed");
  assert.equal(allowed.status, 0, allowed.stderr);
});

test(
  "fault helpers: pause/resume, compact + restart gives 410 Gone on resume, data survives a restart",
  FIXTURE,
  async () => {
    const created = await cluster.request("POST", "/api/v1/namespaces/smoke/configmaps", { metadata: { name: "c0" } });
    assert.equal(created.status, 201, created.body.toString());
    const oldRv = (created.json as { metadata: { resourceVersion: string } }).metadata.resourceVersion;
    for (const name of ["c1", "c2"]) {
      await cluster.request("POST", "/api/v1/namespaces/smoke/configmaps", { metadata: { name } });
    }

    cluster.pauseApiserver();
    // A stopped process cannot answer at all, so this times out whatever the machine's speed.
    await assert.rejects(cluster.request("GET", "/readyz", undefined, { timeoutMs: 1000 }), /timed out/);
    cluster.resumeApiserver();
    assert.equal((await cluster.request("GET", "/readyz")).status, 200);

    const revision = await cluster.compact();
    assert.ok(revision > Number(oldRv), `compacted at ${revision}, expected past ${oldRv}`);
    const oldPid = cluster.apiserverPid;
    await cluster.restartApiserver();
    assert.notEqual(cluster.apiserverPid, oldPid);
    const watch = await cluster.request(
      "GET",
      `/api/v1/namespaces/smoke/configmaps?watch=1&resourceVersion=${oldRv}&timeoutSeconds=2`,
    );
    assert.equal(watch.status, 200);
    const firstEvent = JSON.parse(watch.body.toString().split("\n")[0] ?? "") as {
      type: string;
      object: { code?: number };
    };
    assert.equal(firstEvent.type, "ERROR", watch.body.toString());
    assert.equal(firstEvent.object.code, 410);

    const pods = kubectlOk("get", "pods", "-n", "smoke");
    assert.match(pods, /^web\s+1\/1\s+Running/m);
  },
);

test("stop() kills both processes and removes the temporary folder", FIXTURE, async () => {
  const { apiserverPid, etcdPid, tmpDir } = cluster;
  assert.ok(alive(apiserverPid) && alive(etcdPid));
  await cluster.stop();
  assert.ok(!alive(apiserverPid), "kube-apiserver still runs");
  assert.ok(!alive(etcdPid), "etcd still runs");
  assert.ok(!existsSync(tmpDir), `${tmpDir} still exists`);
});

test(
  "extra apiserver flags reach kube-apiserver: --feature-gates=WatchList=false forbids watch-list requests",
  FIXTURE,
  async () => {
    const watchList =
      "/api/v1/namespaces/default/pods?watch=1&sendInitialEvents=true&resourceVersionMatch=NotOlderThan" +
      "&allowWatchBookmarks=true&timeoutSeconds=1";
    const off = await startCluster({ apiserverFlags: ["--feature-gates=WatchList=false"] });
    try {
      const res = await off.request("GET", watchList);
      assert.equal(res.status, 422, res.body.toString());
      assert.match(res.body.toString(), /sendInitialEvents/);
    } finally {
      await off.stop();
    }
  },
);
