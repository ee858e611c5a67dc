// The real kubectl (v1.32) against the simulator over HTTPS with the kubeconfig it writes: what users see.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { type SimServer, startSimServer } from "../../../src/sim/index.ts";

const KUBECTL = "/usr/bin/kubectl";
const skip = existsSync(KUBECTL) ? false : "kubectl is not installed at /usr/bin/kubectl";

let sim: SimServer;
let dir: string;
let kubeconfig: string;

before(async () => {
  sim = await startSimServer({ pods: 40, seed: 11, deleteGraceMs: 200 });
  dir = mkdtempSync(join(tmpdir(), "sim-kubectl-"));
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
      timeout: 20_000,
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

test("kubectl get pods -A prints NAMESPACE NAME READY STATUS RESTARTS AGE and every pod", { skip }, async () => {
  const r = await kubectl("get", "pods", "-A");
  assert.equal(r.status, 0, r.stderr);
  const lines = r.stdout.trimEnd().split("\n");
  assert.match(lines[0]!, /^NAMESPACE\s+NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE$/);
  const pods = sim.store.list("pods");
  assert.equal(lines.length - 1, pods.length);
  for (const p of pods) {
    const row = lines.find((l) => l.split(/\s+/)[1] === p.metadata!.name);
    assert.ok(row, `row for ${p.metadata!.name}`);
    assert.equal(row.split(/\s+/)[0], p.metadata!.namespace);
  }
  assert.ok(lines.some((l) => /\s\d+\/\d+\s+Running\s/.test(l)));
});

test("kubectl get deploy -A", { skip }, async () => {
  const r = await kubectl("get", "deploy", "-A");
  assert.equal(r.status, 0, r.stderr);
  const lines = r.stdout.trimEnd().split("\n");
  assert.match(lines[0]!, /^NAMESPACE\s+NAME\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+AGE$/);
  assert.equal(lines.length - 1, sim.store.list("deployments").length);
});

test("kubectl get pod NAME -o yaml", { skip }, async () => {
  const p = sim.store.list("pods")[0]!;
  const r = await kubectl("get", "pod", p.metadata!.name!, "-n", p.metadata!.namespace!, "-o", "yaml");
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^apiVersion: v1\nkind: Pod\n/);
  assert.ok(r.stdout.includes(`  name: ${p.metadata!.name}\n`));
  assert.ok(r.stdout.includes(`uid: ${p.metadata!.uid}`));
});

test("kubectl delete pod NAME", { skip }, async () => {
  const p = sim.store
    .list("pods")
    .find((x) => (x.spec as { nodeName?: string }).nodeName && !x.metadata!.deletionTimestamp)!;
  const { name, namespace } = p.metadata as { name: string; namespace: string };
  const r = await kubectl("delete", "pod", name, "-n", namespace, "--wait=false");
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout.trim(), `pod "${name}" deleted`);
  assert.ok(sim.store.get("pods", namespace, name)?.metadata?.deletionTimestamp, "Terminating");
  const waited = await kubectl(
    "delete",
    "pod",
    sim.store.list("pods")[1]!.metadata!.name!,
    "-n",
    sim.store.list("pods")[1]!.metadata!.namespace!,
  );
  assert.equal(waited.status, 0, waited.stderr);
  while (sim.store.get("pods", namespace, name)) await new Promise((res) => setTimeout(res, 20));
});

test("kubectl get pods -A -w prints pods created while it watches", { skip }, async () => {
  const child = spawn(
    KUBECTL,
    ["--kubeconfig", kubeconfig, "--cache-dir", join(dir, "cache"), "get", "pods", "-A", "-w"],
    {
      env: { ...process.env, HOME: dir },
    },
  );
  let out = "";
  let err = "";
  child.stdout.setEncoding("utf8").on("data", (c: string) => {
    out += c;
  });
  child.stderr.setEncoding("utf8").on("data", (c: string) => {
    err += c;
  });
  const waitFor = async (text: string) => {
    for (let i = 0; i < 500 && !out.includes(text); i++) await new Promise((r) => setTimeout(r, 20));
    assert.ok(out.includes(text), `kubectl output lacks ${text}:\n${out}\n${err}`);
  };
  try {
    const first = sim.store.list("pods")[0]!.metadata!.name!;
    await waitFor(first);
    const pod = sim.store.createPod(undefined, "Running");
    await waitFor(pod.metadata!.name!);
    const line = out.split("\n").find((l) => l.includes(pod.metadata!.name!))!;
    assert.match(line, /^\S+\s+\S+\s+\d+\/\d+\s+Running\s+\d+\s+\S+$/);
  } finally {
    child.kill();
  }
});

test("kubectl get widgets -A prints the CRD's printer columns; -o wide adds its priority-1 column", {
  skip,
}, async () => {
  const r = await kubectl("get", "widgets", "-A");
  assert.equal(r.status, 0, r.stderr);
  const lines = r.stdout.trimEnd().split("\n");
  assert.match(lines[0]!, /^NAMESPACE\s+NAME\s+SIZE\s+PHASE\s+AGE$/);
  const widgets = sim.store.list("widgets.demo.timoneiro.dev");
  assert.equal(lines.length - 1, widgets.length);
  for (const w of widgets) {
    const row = lines.find((l) => l.split(/\s+/)[1] === w.metadata!.name)!;
    const phase = (w.status as { phase?: string } | undefined)?.phase;
    // A widget without a status has an empty PHASE cell: the row is one word shorter.
    if (phase) assert.match(row, new RegExp(`\\s${phase}\\s+\\d+[smhdy]`));
    else assert.match(row, /^\S+\s+\S+\s+(\d+\s+)?\d+[smhdy]\S*$/);
  }
  const wide = await kubectl("get", "wdg", "-A", "-o", "wide");
  assert.equal(wide.status, 0, wide.stderr);
  assert.match(wide.stdout.split("\n")[0]!, /^NAMESPACE\s+NAME\s+SIZE\s+PHASE\s+READY\s+AGE$/);
  assert.match(wide.stdout, /\s\d+\/\d+\s+\d+[smhdy]/);
});

test("kubectl get jobs -A and get events -A list every Job and Event", { skip }, async () => {
  for (const [resource, count] of [
    ["jobs", sim.store.list("jobs").length],
    ["events", sim.store.list("events").length],
    ["cronjobs", sim.store.list("cronjobs").length],
  ] as const) {
    const r = await kubectl("get", resource, "-A");
    assert.equal(r.status, 0, r.stderr);
    const lines = r.stdout.trimEnd().split("\n");
    // kubectl prints events without NAME (it is their last, wide column), like against a real server.
    assert.match(
      lines[0]!,
      resource === "events" ? /^NAMESPACE\s+LAST SEEN\s+TYPE\s+REASON\s+OBJECT\s+MESSAGE$/ : /^NAMESPACE\s+NAME\s/,
      resource,
    );
    assert.ok(count > 0, resource);
    assert.equal(lines.length - 1, count, resource);
  }
});

test("kubectl get widgets after the CRD is deleted: no such resource type", { skip }, async () => {
  sim.store.delete("customresourcedefinitions", "", "widgets.demo.timoneiro.dev");
  // With discovery cached from before, kubectl lists and gets the 404 of a collection no longer served.
  const cached = await kubectl("get", "widgets", "-A");
  assert.notEqual(cached.status, 0);
  assert.match(cached.stderr, /NotFound.*the server could not find the requested resource/);
  // Fresh discovery no longer has the resource at all.
  const r = await kubectl("--cache-dir", join(dir, "fresh-cache"), "get", "widgets", "-A");
  assert.notEqual(r.status, 0);
  assert.match(r.stderr, /the server doesn't have a resource type "widgets"/);
  const crds = await kubectl("get", "crd");
  assert.equal(crds.status, 0, crds.stderr);
  assert.doesNotMatch(crds.stdout, /widgets/);
});

test("kubectl logs: --tail with --timestamps, -p's error, a waiting container's message", { skip }, async () => {
  type Obj = Record<string, unknown>;
  // Pods running for a while (the ones the tests above created have no lines yet).
  const old = (p: { metadata?: { creationTimestamp?: string } }) =>
    Date.parse(p.metadata?.creationTimestamp ?? "") < Date.now() - 3_600_000;
  const pods = sim.store
    .list("pods")
    .filter((p) => (p.status as Obj).phase === "Running" && !p.metadata?.deletionTimestamp && old(p));
  const single = (p: (typeof pods)[number]) => ((p.spec as Obj).containers as Obj[]).length === 1;
  const pod = pods.find(single);
  assert.ok(pod);
  const ns = pod.metadata!.namespace!;
  const r = await kubectl("logs", "-n", ns, pod.metadata!.name!, "--tail=7", "--timestamps");
  assert.equal(r.status, 0, r.stderr);
  const lines = r.stdout.trimEnd().split("\n");
  assert.equal(lines.length, 7);
  assert.match(lines[0]!, /^\d{4}-\d\d-\d\dT\S+Z /);
  const fresh = pods.find(
    (p) => single(p) && (((p.status as Obj).containerStatuses ?? []) as Obj[]).every((s) => !s.restartCount),
  );
  assert.ok(fresh);
  const p = await kubectl("logs", "-n", fresh.metadata!.namespace!, fresh.metadata!.name!, "-p");
  assert.equal(p.status, 1);
  assert.match(p.stderr, /Error from server \(BadRequest\): previous terminated container ".*" in pod ".*" not found/);
  const waiting = sim.store.createPod(ns, "ContainerCreating");
  const c = String(((waiting.spec as Obj).containers as Obj[])[0]!.name);
  const w = await kubectl("logs", "-n", ns, waiting.metadata!.name!, "-c", c);
  assert.equal(w.status, 1);
  assert.match(w.stderr, /is waiting to start: ContainerCreating/);
});
