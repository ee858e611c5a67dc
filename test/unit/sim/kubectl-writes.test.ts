// The real kubectl (v1.32) writing to the simulator: scale, rollout restart/status, cordon, drain blocked by a
// PodDisruptionBudget, create job --from, run, wait, delete --cascade, auth can-i. kubectl's typed clients send some of
// these in protobuf (Eviction, Job, Pod, SelfSubjectAccessReview), so this also covers the simulator's decoding.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import type { KubeObject } from "../../../src/kube/objects.ts";
import { type SimServer, startSimServer } from "../../../src/sim/index.ts";

const KUBECTL = "/usr/bin/kubectl";
const skip = existsSync(KUBECTL) ? false : "kubectl is not installed at /usr/bin/kubectl";

type Json = Record<string, unknown>;

let sim: SimServer;
let dir: string;
let kubeconfig: string;

before(async () => {
  sim = await startSimServer({
    pods: 300,
    seed: 31,
    nodes: 3,
    deleteGraceMs: 200,
    users: [{ name: "jane", token: "jane-token", deny: ["delete:pods", "pods/eviction"] }],
  });
  dir = mkdtempSync(join(tmpdir(), "sim-kubectl-writes-"));
  kubeconfig = join(dir, "kubeconfig");
  sim.writeKubeconfig(kubeconfig);
});

after(async () => {
  await sim.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** Runs kubectl without blocking the event loop (the simulator answers from this very process). */
function kubectl(...args: string[]): Promise<{ stdout: string; stderr: string; status: number | null }> {
  return new Promise((resolve) => {
    const child = spawn(KUBECTL, ["--kubeconfig", kubeconfig, "--cache-dir", join(dir, "cache"), ...args], {
      env: { ...process.env, HOME: dir },
      timeout: 40_000,
    });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (c: string) => {
      stdout += c;
    });
    child.stderr.setEncoding("utf8").on("data", (c: string) => {
      stderr += c;
    });
    child.on("close", (status) => resolve({ stdout, stderr, status }));
  });
}

const specOf = (o: KubeObject) => (o.spec ?? {}) as Json;
const ownedBy = (o: KubeObject, uid: string) =>
  ((o.metadata as Json).ownerReferences as { uid: string }[] | undefined)?.some((r) => r.uid === uid) ?? false;

const used = new Set<string>();
/** A deployment of 2-6 replicas no PDB covers, one per test. */
function pickDeployment(): KubeObject {
  const budgeted = new Set(
    sim.store.list("poddisruptionbudgets").map((p) => `${p.metadata!.namespace}/${p.metadata!.name}`),
  );
  const d = sim.store.list("deployments").find((x) => {
    const key = `${x.metadata!.namespace}/${x.metadata!.name}`;
    const n = Number(specOf(x).replicas);
    return n >= 2 && n <= 6 && !budgeted.has(key) && !used.has(key);
  });
  assert.ok(d);
  used.add(`${d.metadata!.namespace}/${d.metadata!.name}`);
  return d;
}

test("kubectl scale, then rollout status sees the deployment at its new size", { skip }, async () => {
  const d = pickDeployment();
  const ns = d.metadata!.namespace!;
  const want = Number(specOf(d).replicas) + 2;
  const s = await kubectl("-n", ns, "scale", `deployment/${d.metadata!.name}`, `--replicas=${want}`);
  assert.equal(s.status, 0, s.stderr);
  assert.equal(s.stdout.trim(), `deployment.apps/${d.metadata!.name} scaled`);
  const r = await kubectl("-n", ns, "rollout", "status", `deployment/${d.metadata!.name}`, "--timeout=30s");
  assert.equal(r.status, 0, r.stderr);
  const live = sim.store
    .list("pods", ns)
    .filter(
      (p) =>
        ownedBy(p, sim.store.list("replicasets", ns).find((x) => ownedBy(x, d.metadata!.uid!))!.metadata!.uid!) &&
        !p.metadata?.deletionTimestamp,
    );
  assert.equal(live.length, want);
});

test("kubectl rollout restart rolls a new ReplicaSet; rollout status waits for it", { skip }, async () => {
  const d = pickDeployment();
  const ns = d.metadata!.namespace!;
  const r = await kubectl("-n", ns, "rollout", "restart", `deployment/${d.metadata!.name}`);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout.trim(), `deployment.apps/${d.metadata!.name} restarted`);
  const st = await kubectl("-n", ns, "rollout", "status", `deployment/${d.metadata!.name}`, "--timeout=30s");
  assert.equal(st.status, 0, st.stderr);
  assert.match(st.stdout, /successfully rolled out/);
  const sets = sim.store.list("replicasets", ns).filter((x) => ownedBy(x, d.metadata!.uid!));
  assert.equal(sets.length, 2);
  assert.deepEqual(sets.map((x) => specOf(x).replicas).sort(), [0, specOf(d).replicas].sort());
});

test("kubectl drain is refused by a PodDisruptionBudget (the node stays cordoned), uncordon", { skip }, async () => {
  const pdb = sim.store.list("poddisruptionbudgets").find((p) => specOf(p).minAvailable !== undefined)!;
  const labels = ((specOf(pdb).selector as Json).matchLabels ?? {}) as Record<string, string>;
  const pod = sim.store
    .list("pods", pdb.metadata!.namespace)
    .find(
      (p) => Object.entries(labels).every(([k, v]) => (p.metadata!.labels as Json)[k] === v) && specOf(p).nodeName,
    )!;
  const node = String(specOf(pod).nodeName);
  const r = await kubectl("drain", node, "--ignore-daemonsets", "--delete-emptydir-data", "--force", "--timeout=4s");
  assert.notEqual(r.status, 0);
  assert.match(r.stderr, /Cannot evict pod as it would violate the pod's disruption budget\./);
  assert.ok(sim.store.get("pods", pod.metadata!.namespace!, pod.metadata!.name!), "the budgeted pod stays");
  const nodes = await kubectl("get", "node", node, "--no-headers");
  assert.match(nodes.stdout, /Ready,SchedulingDisabled/);
  const u = await kubectl("uncordon", node);
  assert.equal(u.status, 0, u.stderr);
  assert.equal(u.stdout.trim(), `node/${node} uncordoned`);
  assert.doesNotMatch((await kubectl("get", "node", node, "--no-headers")).stdout, /SchedulingDisabled/);
});

test("kubectl create job --from=cronjob, then wait --for=condition=complete", { skip }, async () => {
  const cj = sim.store.list("cronjobs")[0]!;
  const ns = cj.metadata!.namespace!;
  const c = await kubectl("-n", ns, "create", "job", "manual-run", `--from=cronjob/${cj.metadata!.name}`);
  assert.equal(c.status, 0, c.stderr);
  assert.equal(c.stdout.trim(), "job.batch/manual-run created");
  const w = await kubectl("-n", ns, "wait", "--for=condition=complete", "job/manual-run", "--timeout=30s");
  assert.equal(w.status, 0, w.stderr);
  const job = sim.store.get("jobs", ns, "manual-run")!;
  assert.equal((job.metadata!.annotations as Json)["cronjob.kubernetes.io/instantiate"], "manual");
  assert.ok(ownedBy(job, cj.metadata!.uid!));
});

test("kubectl run, wait for Ready, delete --cascade=foreground of a deployment waits for it to go", {
  skip,
}, async () => {
  const ns = sim.store.list("namespaces").find((n) => n.metadata!.name === "default")!.metadata!.name!;
  const run = await kubectl("-n", ns, "run", "tester", "--image=busybox:1.37", "--", "sleep", "3600");
  assert.equal(run.status, 0, run.stderr);
  const ready = await kubectl("-n", ns, "wait", "--for=condition=Ready", "pod/tester", "--timeout=30s");
  assert.equal(ready.status, 0, ready.stderr);
  const pod = sim.store.get("pods", ns, "tester")!;
  assert.deepEqual(
    (specOf(pod).containers as Json[]).map((c) => c.args),
    [["sleep", "3600"]],
  );
  const d = pickDeployment();
  const del = await kubectl(
    "-n",
    d.metadata!.namespace!,
    "delete",
    "deployment",
    d.metadata!.name!,
    "--cascade=foreground",
    "--timeout=30s",
  );
  assert.equal(del.status, 0, del.stderr);
  assert.equal(sim.store.get("deployments", d.metadata!.namespace!, d.metadata!.name!), undefined);
  assert.equal(
    sim.store.list("replicasets", d.metadata!.namespace).filter((x) => ownedBy(x, d.metadata!.uid!)).length,
    0,
  );
});

test("kubectl auth can-i answers from the user's deny list", { skip }, async () => {
  const admin = await kubectl("auth", "can-i", "delete", "pods", "-n", "default");
  assert.equal(admin.stdout.trim(), "yes");
  const jane = await kubectl("--token", "jane-token", "auth", "can-i", "delete", "pods", "-n", "default");
  assert.equal(jane.stdout.trim(), "no");
  assert.equal(jane.status, 1);
  const janeGet = await kubectl("--token", "jane-token", "auth", "can-i", "get", "pods", "-n", "default");
  assert.equal(janeGet.stdout.trim(), "yes");
  const evict = await kubectl(
    "--token",
    "jane-token",
    "auth",
    "can-i",
    "create",
    "pods",
    "--subresource=eviction",
    "-n",
    "default",
  );
  assert.equal(evict.stdout.trim(), "no");
});
