// The write actions against a cluster that behaves like one: kube-apiserver with kube-controller-manager,
// kube-scheduler and KWOK as the kubelets of two nodes (one fixture for the file). Each action is taken the way the
// app takes it: a TableView over a real InformerRepository (a Session, as src/cli/session.ts opens it) offers the key,
// its dialog is filled in, the write action it ends with is started as an operation (src/app/operations.ts) and its
// requests are sent with session.write, as src/cli/ui.ts sends them; the drain runs its DrainView with the effects
// performed as ui.ts performs them. What is checked is what the cluster did: the garbage collector's work for each
// propagation policy, pods that really appear and go, a rollout, a drain that a PodDisruptionBudget holds up, a Job
// made from a CronJob that runs, and RBAC's refusals.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { accessCheck, deleteRequest } from "../../src/app/actions.ts";
import type { DialogView } from "../../src/app/views/dialog.ts";
import type { DrainView } from "../../src/app/views/drain.ts";
import type { TableView } from "../../src/app/views/table.ts";
import type { Action, View, ViewContext } from "../../src/app/views/view.ts";
import { openSession, type Session } from "../../src/cli/session.ts";
import { KubeError } from "../../src/kube/errors.ts";
import type { InformerOptions } from "../../src/repository/informer-repository.ts";
import { type Cluster, startCluster } from "./cluster.ts";
import {
  bindingFor,
  contextFor,
  drive,
  openTable,
  press,
  type Run,
  runWrite,
  select,
  typeText,
  type WriteAction,
} from "./lib/drive.ts";
import { sleep, until } from "./lib/informer.ts";

/** Screen lines without SGR sequences. */
const plain = (lines: string[]) => lines.map((l) => l.replace(/\x1b\[[0-9;]*m/g, ""));

import { fixtureOnly } from "./lib/target.ts";

const FIXTURE = fixtureOnly("it starts its own kube-controller-manager, kube-scheduler and KWOK");
const OPTIONS: InformerOptions = { backoff: { initialMs: 50, maxMs: 1000, factor: 2 }, metrics: false };

type Json = Record<string, unknown>;

let cluster: Cluster;
let admin: Session;
let ctx: () => ViewContext;
const sessions: Session[] = [];

async function get(path: string): Promise<Json | undefined> {
  const res = await cluster.request("GET", path);
  if (res.status === 404) return undefined;
  assert.equal(res.status, 200, `GET ${path}: HTTP ${res.status}: ${res.body.toString()}`);
  return res.json as Json;
}

async function mustGet(path: string): Promise<Json> {
  const obj = await get(path);
  assert.ok(obj, `GET ${path}: not found`);
  return obj;
}

async function items(path: string): Promise<Json[]> {
  return ((await mustGet(path)).items as Json[]) ?? [];
}

async function create(path: string, body: Json): Promise<Json> {
  const res = await cluster.request("POST", path, body);
  assert.equal(res.status, 201, `POST ${path}: HTTP ${res.status}: ${res.body.toString()}`);
  return res.json as Json;
}

async function mergePatch(path: string, body: Json): Promise<void> {
  const res = await cluster.request("PATCH", path, body, {
    headers: { "Content-Type": "application/merge-patch+json" },
  });
  assert.equal(res.status, 200, `PATCH ${path}: HTTP ${res.status}: ${res.body.toString()}`);
}

/** Polls `check` until it gives a value (generous limits: the machine is shared). */
async function waitFor<T>(what: string, check: () => Promise<T | undefined>, limitMs = 60_000): Promise<T> {
  const deadline = Date.now() + limitMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${limitMs} ms waiting for ${what}`);
    await sleep(200);
  }
}

const meta = (o: Json) => o.metadata as Json & { name: string; uid: string };
const nameOf = (o: Json) => meta(o).name;
const ownerRefs = (o: Json) => (meta(o).ownerReferences as Json[] | undefined) ?? [];

function deployment(name: string, replicas: number, podSpec: Json = {}): Json {
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: { containers: [{ name: "app", image: `fake/${name}:1` }], ...podSpec },
      },
    },
  };
}

async function namespace(name: string): Promise<void> {
  const res = await cluster.request("POST", "/api/v1/namespaces", {
    apiVersion: "v1",
    kind: "Namespace",
    metadata: { name },
  });
  assert.ok(res.status === 201 || res.status === 409, res.body.toString());
}

const podsOf = (ns: string, app: string) => items(`/api/v1/namespaces/${ns}/pods?labelSelector=app%3D${app}`);
const replicaSetsOf = (ns: string) => items(`/apis/apps/v1/namespaces/${ns}/replicasets`);

function running(pod: Json): boolean {
  const spec = pod.spec as Json;
  return (
    !meta(pod).deletionTimestamp &&
    cluster.kwokNodes.includes(String(spec.nodeName)) &&
    (pod.status as Json | undefined)?.phase === "Running"
  );
}

/** Exactly `n` pods of app `app` in `ns`, all Running on a KWOK node, none being deleted. */
async function runningPods(ns: string, app: string, n: number): Promise<Json[]> {
  return await waitFor(`${n} Running pods of ${ns}/${app}`, async () => {
    const pods = await podsOf(ns, app);
    return pods.length === n && pods.every(running) ? pods : undefined;
  });
}

/** The one view a list of actions pushes (a dialog). */
function pushed(actions: readonly Action[]): View {
  const push = actions.find((a) => a.type === "push");
  assert.ok(push && push.type === "push", `no push in ${JSON.stringify(actions.map((a) => a.type))}`);
  return push.view;
}

/** The body of a write action's first request. */
function bodyOf(write: WriteAction): Json {
  const request = write.requests[0];
  assert.ok(request, "the write has a request");
  return request.body as Json;
}

/** Runs a binding that must be there. */
function runBinding(binding: { run(): [View, Action[]] } | undefined): Action[] {
  assert.ok(binding, "the binding is offered");
  return binding.run()[1];
}

/** The one write action among `actions`. */
function writeOf(actions: readonly Action[]): WriteAction {
  const writes = actions.filter((a): a is WriteAction => a.type === "write");
  assert.equal(writes.length, 1, `one write action in ${JSON.stringify(actions.map((a) => a.type))}`);
  return writes[0] as WriteAction;
}

/** Ctrl-D on the one deployment of `ns`, `rights` presses of → in the dialog's propagation field, then Enter. */
async function deleteThroughDialog(ns: string, rights: number): Promise<WriteAction> {
  const { view, release } = await openTable(admin, ctx, "deployments.apps", "deploy", ns);
  try {
    const [, opened] = press(view, "ctrl+d", ctx());
    let dialog = pushed(opened);
    assert.ok(plain(dialog.body(ctx())).some((line) => line.includes(`Delete deploy/web in ${ns}?`)));
    for (let i = 0; i < rights; i++) [dialog] = press(dialog, "right", ctx());
    const [, submitted] = press(dialog, "enter", ctx());
    assert.equal(submitted[0]?.type, "pop", "Enter closes the dialog");
    return writeOf(submitted);
  } finally {
    release();
  }
}

before(async () => {
  if (FIXTURE.skip) return;
  cluster = await startCluster({ controllers: true, kwok: { nodes: 2 }, log: (m) => console.log(`[cluster] ${m}`) });
  admin = await openSession({ kubeconfig: cluster.kubeconfigPath }, OPTIONS);
  sessions.push(admin);
  await admin.repo.startPriority();
  ctx = contextFor(admin);
});

after(async () => {
  await Promise.all(sessions.map((s) => s.stop()));
  await cluster?.stop();
});

describe("delete: the propagation policies, with the real garbage collector", () => {
  test("Background: the deployment goes at once, then its replicaset and pods", FIXTURE, async () => {
    const ns = "prop-bg";
    await namespace(ns);
    await create(`/apis/apps/v1/namespaces/${ns}/deployments`, deployment("web", 2));
    await runningPods(ns, "web", 2);
    assert.equal((await replicaSetsOf(ns)).length, 1);
    const write = await deleteThroughDialog(ns, 0);
    assert.deepEqual(write.requests[0]?.body, {
      kind: "DeleteOptions",
      apiVersion: "v1",
      propagationPolicy: "Background",
    });
    const outcome = await runWrite(admin, write);
    assert.deepEqual(outcome.line, { text: "deleted deploy/web in prop-bg", error: false });
    assert.equal(await get(`/apis/apps/v1/namespaces/${ns}/deployments/web`), undefined, "gone at once");
    await waitFor("no replicasets and no pods", async () => {
      const left = (await replicaSetsOf(ns)).length + (await podsOf(ns, "web")).length;
      return left === 0 ? true : undefined;
    });
  });

  test(
    "Foreground: the deployment stays, deletionTimestamp and foregroundDeletion, until its dependents are gone",
    FIXTURE,
    async () => {
      const ns = "prop-fg";
      await namespace(ns);
      await create(`/apis/apps/v1/namespaces/${ns}/deployments`, deployment("web", 2));
      await runningPods(ns, "web", 2);
      // A finalizer of the test's own holds the replicaset (KWOK clears the pods' finalizers, not a replicaset's), so
      // that "until its dependents are gone" is a state the test can look at rather than a race it might win.
      const [rs] = await replicaSetsOf(ns);
      assert.ok(rs);
      const rsPath = `/apis/apps/v1/namespaces/${ns}/replicasets/${nameOf(rs)}`;
      await mergePatch(rsPath, { metadata: { finalizers: ["timoneiro.test/hold"] } });
      const write = await deleteThroughDialog(ns, 1);
      assert.equal(bodyOf(write).propagationPolicy, "Foreground");
      const outcome = await runWrite(admin, write);
      assert.deepEqual(outcome.line, { text: "deleted deploy/web in prop-fg", error: false });
      // The server answers with the deployment as it now is: being deleted, held by the finalizer.
      const answer = (outcome.answers[0] as { value: Json }).value;
      assert.ok(meta(answer).deletionTimestamp, "the answer has a deletionTimestamp");
      assert.deepEqual(meta(answer).finalizers, ["foregroundDeletion"]);
      // The garbage collector deletes the dependents first: the pods go, the replicaset is being deleted…
      await waitFor("the pods gone, the replicaset being deleted", async () => {
        const held = await get(rsPath);
        return (await podsOf(ns, "web")).length === 0 && held && meta(held).deletionTimestamp ? true : undefined;
      });
      // … and while the replicaset is there, so is the deployment.
      const owner = await mustGet(`/apis/apps/v1/namespaces/${ns}/deployments/web`);
      assert.ok(meta(owner).deletionTimestamp);
      assert.deepEqual(meta(owner).finalizers, ["foregroundDeletion"]);
      await mergePatch(rsPath, { metadata: { finalizers: null } });
      // Sampled owner first, then dependents: the owner must never be gone while a dependent is still there.
      await waitFor("the deployment and its replicaset gone", async () => {
        const deployment = await get(`/apis/apps/v1/namespaces/${ns}/deployments/web`);
        const dependents = (await replicaSetsOf(ns)).length + (await podsOf(ns, "web")).length;
        if (!deployment) assert.equal(dependents, 0, "the deployment went while dependents were still there");
        return deployment === undefined && dependents === 0 ? true : undefined;
      });
    },
  );

  test(
    "Orphan: the deployment goes; its replicaset stays without the ownerReference, its pods stay",
    FIXTURE,
    async () => {
      const ns = "prop-orphan";
      await namespace(ns);
      await create(`/apis/apps/v1/namespaces/${ns}/deployments`, deployment("web", 2));
      const before = await runningPods(ns, "web", 2);
      const [rs] = await replicaSetsOf(ns);
      assert.ok(rs);
      const write = await deleteThroughDialog(ns, 2);
      assert.equal(bodyOf(write).propagationPolicy, "Orphan");
      const outcome = await runWrite(admin, write);
      assert.deepEqual(outcome.line, { text: "deleted deploy/web in prop-orphan", error: false });
      await waitFor("the deployment gone (the orphan finalizer done)", async () =>
        (await get(`/apis/apps/v1/namespaces/${ns}/deployments/web`)) === undefined ? true : undefined,
      );
      const after = await replicaSetsOf(ns);
      assert.deepEqual(after.map(nameOf), [nameOf(rs)]);
      assert.equal(meta(after[0] as Json).uid, meta(rs).uid, "the same replicaset");
      assert.deepEqual(ownerRefs(after[0] as Json), [], "no ownerReference to the deployment left");
      const pods = await runningPods(ns, "web", 2);
      assert.deepEqual(pods.map(nameOf).sort(), before.map(nameOf).sort(), "the same pods");
      for (const pod of pods) assert.equal(ownerRefs(pod)[0]?.uid, meta(rs).uid, "still owned by the replicaset");
    },
  );

  test("Ctrl-K (kill): grace period 0, the pod is gone at once", FIXTURE, async () => {
    const ns = "prop-orphan";
    const [victim] = await runningPods(ns, "web", 2);
    const name = nameOf(victim as Json);
    const { view, release } = await openTable(admin, ctx, "pods", "po", ns, 2);
    try {
      const selected = select(view, name, ctx());
      const [, actions] = press(selected, "ctrl+k", ctx());
      const write = writeOf(actions);
      assert.equal(write.confirm, `kill po/${name} in ${ns} now (grace period 0)? y/n`);
      assert.deepEqual(write.requests[0]?.body, { kind: "DeleteOptions", apiVersion: "v1", gracePeriodSeconds: 0 });
      const outcome = await runWrite(admin, write);
      assert.deepEqual(outcome.line, { text: `killed po/${name} in ${ns}`, error: false });
      // No graceful termination for KWOK to carry out: no deletionTimestamp phase at all.
      assert.equal(await get(`/api/v1/namespaces/${ns}/pods/${name}`), undefined, "gone right after the answer");
    } finally {
      release();
    }
    // The replicaset (orphaned, but still a controller) replaces it.
    const pods = await runningPods(ns, "web", 2);
    assert.ok(!pods.map(nameOf).includes(name));
  });
});

describe("scale and restart, with the real controllers", () => {
  test("s: the scale subresource; KWOK pods appear Running, then go", FIXTURE, async () => {
    const ns = "scale";
    await namespace(ns);
    await create(`/apis/apps/v1/namespaces/${ns}/deployments`, deployment("web", 1));
    await runningPods(ns, "web", 1);
    let current = 1;
    const scaleTo = async (replicas: number): Promise<void> => {
      await until(
        () =>
          admin.repo
            .rows({ kind: "deployments.apps", namespace: ns })
            .some((r) => (r as unknown as { desired: number }).desired === current),
        `the row says ${current} desired`,
      );
      const { view, release } = await openTable(admin, ctx, "deployments.apps", "deploy", ns);
      try {
        const [, opened] = press(view, "s", ctx());
        let dialog = pushed(opened);
        // Filled in with what the row says is desired now.
        assert.equal((dialog as DialogView).values.replicas, String(current));
        [dialog] = press(dialog, "ctrl+u", ctx());
        dialog = typeText(dialog, String(replicas), ctx());
        const [, submitted] = press(dialog, "enter", ctx());
        const write = writeOf(submitted);
        assert.equal(write.requests[0]?.path, `/apis/apps/v1/namespaces/${ns}/deployments/web/scale`);
        const outcome = await runWrite(admin, write);
        assert.deepEqual(outcome.line, { text: `scaled deploy/web in ${ns} to ${replicas}`, error: false });
        current = replicas;
      } finally {
        release();
      }
    };
    await scaleTo(3);
    assert.equal(((await mustGet(`/apis/apps/v1/namespaces/${ns}/deployments/web`)).spec as Json).replicas, 3);
    await runningPods(ns, "web", 3);
    await scaleTo(0);
    await runningPods(ns, "web", 0);
    const scale = await mustGet(`/apis/apps/v1/namespaces/${ns}/deployments/web/scale`);
    assert.deepEqual(
      // Zero is omitted on the wire (omitempty): no replicas is 0.
      { spec: (scale.spec as Json).replicas ?? 0, status: (scale.status as Json).replicas ?? 0 },
      { spec: 0, status: 0 },
    );
  });

  test("r: rollout restart rolls a new replicaset; the old one is scaled to 0", FIXTURE, async () => {
    const ns = "restart";
    await namespace(ns);
    await create(`/apis/apps/v1/namespaces/${ns}/deployments`, deployment("web", 2));
    const before = await runningPods(ns, "web", 2);
    const [old] = await replicaSetsOf(ns);
    assert.ok(old);
    const { view, release } = await openTable(admin, ctx, "deployments.apps", "deploy", ns);
    let write: WriteAction;
    try {
      write = writeOf(press(view, "r", ctx())[1]);
    } finally {
      release();
    }
    assert.equal(write.confirm, `restart deploy/web in ${ns}? y/n`);
    const at = (
      ((bodyOf(write).spec as Json).template as Json).metadata as {
        annotations: Record<string, string>;
      }
    ).annotations["kubectl.kubernetes.io/restartedAt"];
    assert.match(at ?? "", /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    const outcome = await runWrite(admin, write);
    assert.deepEqual(outcome.line, { text: `restarted deploy/web in ${ns}`, error: false });
    const rolled = await waitFor("the rollout done: a new replicaset with 2 ready pods, the old one at 0", async () => {
      const sets = await replicaSetsOf(ns);
      const next = sets.find((s) => meta(s).uid !== meta(old).uid);
      const previous = sets.find((s) => meta(s).uid === meta(old).uid);
      if (!next || !previous) return undefined;
      const pods = await podsOf(ns, "web");
      const done =
        (next.status as Json).readyReplicas === 2 &&
        (previous.spec as Json).replicas === 0 &&
        ((previous.status as Json).replicas ?? 0) === 0 &&
        pods.length === 2 &&
        pods.every(running);
      return done ? { next, pods } : undefined;
    });
    const template = ((rolled.next.spec as Json).template as Json).metadata as { annotations?: Record<string, string> };
    assert.equal(template.annotations?.["kubectl.kubernetes.io/restartedAt"], at);
    for (const pod of rolled.pods) assert.equal(ownerRefs(pod)[0]?.uid, meta(rolled.next).uid);
    const fresh = new Set(rolled.pods.map(nameOf));
    assert.ok(
      before.every((p) => !fresh.has(nameOf(p))),
      "every pod was replaced",
    );
  });
});

describe("nodes: cordon, uncordon, drain", () => {
  const nodeSpec = async (name: string) => (await mustGet(`/api/v1/nodes/${name}`)).spec as Json;
  const nodeRow = (name: string) => admin.repo.rows({ kind: "nodes" }).find((r) => r.name === name);

  test("c and u: a cordoned node gets no new pods; uncordoned it does again", FIXTURE, async () => {
    const node = "kwok-node-1";
    let { view, release } = await openTable(admin, ctx, "nodes", "no", undefined, 2);
    try {
      view = select(view, node, ctx());
      const cordon = writeOf(press(view, "c", ctx())[1]);
      assert.deepEqual(cordon.requests[0]?.body, { spec: { unschedulable: true } });
      assert.deepEqual((await runWrite(admin, cordon)).line, { text: `cordoned no/${node}`, error: false });
      assert.equal((await nodeSpec(node)).unschedulable, true);
      await until(
        () => (nodeRow(node) as unknown as { unschedulable?: boolean } | undefined)?.unschedulable === true,
        "the node row says cordoned",
      );

      // The real scheduler honours it: everything the drain test needs lands on kwok-node-0.
      const ns = "drain";
      await namespace(ns);
      await create(`/apis/apps/v1/namespaces/${ns}/deployments`, deployment("free", 2));
      await create(`/apis/apps/v1/namespaces/${ns}/deployments`, deployment("guarded", 1));
      await create(`/apis/apps/v1/namespaces/${ns}/daemonsets`, {
        apiVersion: "apps/v1",
        kind: "DaemonSet",
        metadata: { name: "agent" },
        spec: {
          selector: { matchLabels: { app: "agent" } },
          template: {
            metadata: { labels: { app: "agent" } },
            spec: { containers: [{ name: "agent", image: "fake/agent:1" }] },
          },
        },
      });
      for (const pod of [...(await runningPods(ns, "free", 2)), ...(await runningPods(ns, "guarded", 1))]) {
        assert.equal(
          (pod.spec as Json).nodeName,
          "kwok-node-0",
          `${nameOf(pod)} was not scheduled to the cordoned node`,
        );
      }
      // DaemonSet pods tolerate the cordon: one per node.
      await runningPods(ns, "agent", 2);

      [view] = view.update({ type: "data" }, ctx()) as [TableView, Action[]];
      view = select(view, node, ctx());
      const uncordon = writeOf(press(view, "u", ctx())[1]);
      assert.deepEqual(uncordon.requests[0]?.body, { spec: { unschedulable: null } });
      assert.deepEqual((await runWrite(admin, uncordon)).line, { text: `uncordoned no/${node}`, error: false });
      assert.equal((await nodeSpec(node)).unschedulable, undefined);
    } finally {
      release();
    }
  });

  test(
    "r (drain): cordon, evictions; a PodDisruptionBudget holds one back until relaxed; DaemonSet pods stay",
    FIXTURE,
    async () => {
      const ns = "drain";
      const node = "kwok-node-0";
      await create(`/apis/policy/v1/namespaces/${ns}/poddisruptionbudgets`, {
        apiVersion: "policy/v1",
        kind: "PodDisruptionBudget",
        metadata: { name: "guarded" },
        spec: { minAvailable: 1, selector: { matchLabels: { app: "guarded" } } },
      });
      const pdbPath = `/apis/policy/v1/namespaces/${ns}/poddisruptionbudgets/guarded`;
      const pdbStatus = async () => (await mustGet(pdbPath)).status as Json;
      await waitFor("the disruption controller counts the guarded pod: 0 disruptions allowed", async () => {
        const s = await pdbStatus();
        return s.currentHealthy === 1 && s.desiredHealthy === 1 && s.disruptionsAllowed === 0 ? true : undefined;
      });
      const onNode = async () => items(`/api/v1/pods?fieldSelector=spec.nodeName%3D${node}`);
      const key = (p: Json) => `${meta(p).namespace}/${nameOf(p)}`;
      const before = await onNode();
      const agent = before.find((p) => (meta(p).labels as Json).app === "agent");
      const guarded = before.find((p) => (meta(p).labels as Json).app === "guarded");
      assert.ok(agent, "the DaemonSet's pod on the node");
      assert.ok(guarded, "the guarded pod on the node");
      // The drain namespace's pods, and those the earlier tests left there (replicaset pods, no budget).
      const evictable = before.filter((p) => p !== agent);
      assert.ok(evictable.length >= 3, before.map(key).join(" "));
      await until(
        () => admin.repo.rows({ kind: "pods", node }).length === before.length,
        `the cache has the node's ${before.length} pods`,
      );

      const { view, release } = await openTable(admin, ctx, "nodes", "no", undefined, 2);
      let run: Run;
      let relaxed = false;
      try {
        const [, opened] = press(select(view, node, ctx()), "r", ctx());
        const [, started] = press(pushed(opened), "enter", ctx());
        assert.equal(started[0]?.type, "pop");
        const drainView = pushed(started) as DrainView;
        run = await drive(
          admin,
          ctx,
          drainView,
          started.filter((a) => a.type === "effect"),
          {
            timerMs: 200,
            // The guarded pod was refused twice (the first try, then its retry): relax the budget.
            beforeTimer: async (n) => {
              if (n !== 1) return;
              await mergePatch(pdbPath, { spec: { minAvailable: 0 } });
              await waitFor("1 disruption allowed", async () =>
                (await pdbStatus()).disruptionsAllowed === 1 ? true : undefined,
              );
              relaxed = true;
            },
            until: (r) => r.messages.length > 0,
            limitMs: 120_000,
          },
        );
      } finally {
        release();
      }
      assert.deepEqual(run.messages, [
        { text: `node ${node} drained (1 DaemonSet or mirror pod(s) stay)`, error: false },
      ]);
      assert.equal(run.view.title(ctx()), `Drain ${node} ${evictable.length} of ${evictable.length}`);
      // What was sent: the cordon, one eviction per pod, and the guarded pod's again after each refusal.
      const evictions = new Map<string, { ok: number; refused: string[] }>();
      for (const msg of run.results) {
        if (msg.type !== "result") continue;
        const m = /#evict:([^/]*\/.*):\d+$/.exec(msg.id);
        if (!m) continue;
        const pod = m[1] as string;
        const entry = evictions.get(pod) ?? { ok: 0, refused: [] };
        if (msg.error === undefined) entry.ok++;
        else entry.refused.push(msg.error);
        evictions.set(pod, entry);
      }
      assert.deepEqual([...evictions.keys()].sort(), evictable.map(key).sort(), "every pod but the agent's is evicted");
      for (const pod of evictable) {
        if (pod !== guarded) assert.deepEqual(evictions.get(key(pod)), { ok: 1, refused: [] }, key(pod));
      }
      const g = evictions.get(key(guarded)) as { ok: number; refused: string[] };
      assert.equal(g.ok, 1);
      assert.equal(g.refused.length, 2, JSON.stringify(g.refused));
      // The budget's refusal in the server's words (not "throttling": a 429 from an eviction is a refusal).
      for (const error of g.refused) {
        assert.equal(error, "refused (429): Cannot evict pod as it would violate the pod's disruption budget.");
      }
      assert.ok(relaxed, "the budget was relaxed during the drain");

      // The cluster agrees: cordoned, only the DaemonSet's pod left, the others replaced on the other node.
      assert.equal((await nodeSpec(node)).unschedulable, true);
      const left = await onNode();
      assert.deepEqual(left.map(nameOf), [nameOf(agent)]);
      for (const app of ["free", "guarded"]) {
        const pods = await runningPods(ns, app, app === "free" ? 2 : 1);
        for (const pod of pods) assert.equal((pod.spec as Json).nodeName, "kwok-node-1");
      }
    },
  );
});

describe("cronjobs: trigger, suspend and resume", () => {
  test("t: a Job owned by the CronJob (controller), instantiate=manual, that runs on KWOK", FIXTURE, async () => {
    const ns = "cron";
    await namespace(ns);
    const cronJob = await create(`/apis/batch/v1/namespaces/${ns}/cronjobs`, {
      apiVersion: "batch/v1",
      kind: "CronJob",
      metadata: { name: "nightly" },
      spec: {
        schedule: "0 3 1 1 *",
        jobTemplate: {
          metadata: { labels: { team: "ops" }, annotations: { note: "from the template" } },
          spec: {
            template: {
              metadata: { labels: { app: "nightly" } },
              spec: { restartPolicy: "Never", containers: [{ name: "job", image: "fake/job:1" }] },
            },
          },
        },
      },
    });
    const { view, release } = await openTable(admin, ctx, "cronjobs.batch", "cj", ns);
    let run: Run;
    try {
      const [table, actions] = press(view, "t", ctx());
      run = await drive(admin, ctx, table, actions);
    } finally {
      release();
    }
    assert.deepEqual(run.messages, [{ text: `triggering cj/nightly in ${ns}…`, error: false }]);
    const write = writeOf(run.writes);
    const outcome = await runWrite(admin, write);
    const jobName = write.requests[0]?.name as string;
    assert.match(jobName, /^nightly-manual-[a-z0-9]+$/);
    assert.deepEqual(outcome.line, { text: `created job ${jobName}`, error: false });
    const job = await mustGet(`/apis/batch/v1/namespaces/${ns}/jobs/${jobName}`);
    assert.deepEqual(ownerRefs(job), [
      { apiVersion: "batch/v1", kind: "CronJob", name: "nightly", uid: meta(cronJob).uid, controller: true },
    ]);
    const annotations = meta(job).annotations as Record<string, string>;
    assert.equal(annotations["cronjob.kubernetes.io/instantiate"], "manual");
    assert.equal(annotations.note, "from the template");
    assert.equal((meta(job).labels as Json).team, "ops");
    // The job controller makes its pod, the scheduler places it on a KWOK node, KWOK runs it.
    const pod = await waitFor("the job's pod Running (or done) on a KWOK node", async () => {
      const pods = await items(`/api/v1/namespaces/${ns}/pods?labelSelector=job-name%3D${jobName}`);
      const p = pods[0];
      const phase = (p?.status as Json | undefined)?.phase;
      return p &&
        cluster.kwokNodes.includes(String((p.spec as Json).nodeName)) &&
        (phase === "Running" || phase === "Succeeded")
        ? p
        : undefined;
    });
    assert.equal(ownerRefs(pod)[0]?.uid, meta(job).uid);
  });

  test("s: suspend, then resume (spec.suspend)", FIXTURE, async () => {
    const ns = "cron";
    const path = `/apis/batch/v1/namespaces/${ns}/cronjobs/nightly`;
    const suspendedRow = (want: string) =>
      admin.repo
        .rows({ kind: "cronjobs.batch", namespace: ns })
        .some((r) => (r as unknown as { suspend: string }).suspend === want);
    let { view, release } = await openTable(admin, ctx, "cronjobs.batch", "cj", ns);
    try {
      const suspend = bindingFor(view.bindings(ctx()), "s");
      assert.match(suspend?.label ?? "", /^suspend/);
      const write = writeOf(runBinding(suspend));
      assert.deepEqual((await runWrite(admin, write)).line, { text: `suspended cj/nightly in ${ns}`, error: false });
      assert.equal(((await mustGet(path)).spec as Json).suspend, true);
      await until(() => suspendedRow("True"), "the row says suspended");
      [view] = view.update({ type: "data" }, ctx()) as [TableView, Action[]];
      const resume = bindingFor(view.bindings(ctx()), "s");
      assert.match(resume?.label ?? "", /^resume/);
      const again = writeOf(runBinding(resume));
      assert.deepEqual((await runWrite(admin, again)).line, { text: `resumed cj/nightly in ${ns}`, error: false });
      assert.equal(((await mustGet(path)).spec as Json).suspend, false);
    } finally {
      release();
    }
  });
});

describe("RBAC: what the user may not do is not offered, and refused if tried", () => {
  test(
    "restricted (get/list/watch pods in allowed): no Ctrl-D, no Ctrl-K; a delete by hand: forbidden",
    FIXTURE,
    async () => {
      const ns = "allowed";
      await create(`/api/v1/namespaces/${ns}/pods`, {
        apiVersion: "v1",
        kind: "Pod",
        metadata: { name: "mine" },
        spec: { containers: [{ name: "app", image: "fake/app:1" }] },
      });
      const restricted = await openSession(
        { kubeconfig: cluster.kubeconfigPath, context: "envtest-restricted" },
        { ...OPTIONS, namespace: ns },
      );
      sessions.push(restricted);
      await restricted.repo.startPriority();
      const rctx = contextFor(restricted, { namespace: ns });
      let check: ReturnType<typeof accessCheck> | undefined;
      let announced = false;
      // A listener that learns of the answer: the repository announces it as a change.
      const unsubscribe = restricted.repo.subscribe(() => {
        if (check && restricted.repo.can(check) === false) announced = true;
      });
      const { view, release } = await openTable(restricted, rctx, "pods", "po", ns);
      try {
        const kind = restricted.repo.resolve("pods");
        assert.ok(kind);
        const row = view.selected;
        assert.equal(row?.name, "mine");
        check = accessCheck(kind, "delete", row);
        assert.deepEqual(check, { verb: "delete", resource: "pods", group: "", namespace: ns });
        // Not answered yet: offered (the server decides if it is taken); asking is what the table's bindings do.
        assert.ok(bindingFor(view.bindings(rctx()), "ctrl+d"), "Ctrl-D offered while the answer is not in");
        await until(() => announced, "a change announced with the SelfSubjectAccessReview's answer: not allowed");
        const offered = view.bindings(rctx());
        for (const spec of ["ctrl+d", "ctrl+k", "e"])
          assert.equal(bindingFor(offered, spec), undefined, `${spec} is not offered`);

        // The admin may: the same table over the admin session offers both.
        const adminTable = await openTable(admin, ctx, "pods", "po", ns);
        try {
          const adminCheck = accessCheck(admin.repo.resolve("pods")!, "delete", adminTable.view.selected);
          adminTable.view.bindings(ctx());
          await until(() => admin.repo.can(adminCheck) === true, "admin may delete pods in allowed");
          const adminOffers = adminTable.view.bindings(ctx());
          for (const spec of ["ctrl+d", "ctrl+k", "e"])
            assert.ok(bindingFor(adminOffers, spec), `${spec} is offered to admin`);
        } finally {
          adminTable.release();
        }

        // Built by hand anyway: the server refuses it, in one line.
        const request = deleteRequest(kind, row!, { propagation: "background", force: false });
        await assert.rejects(restricted.write(request), (err: unknown) => {
          assert.ok(err instanceof KubeError);
          assert.equal(err.message, `forbidden: cannot delete pods in namespace ${ns}`);
          assert.equal(err.status, 403);
          return true;
        });
        const outcome = await runWrite(restricted, {
          type: "write",
          verb: "delete",
          done: "deleted",
          what: `po/mine in ${ns}`,
          requests: [request],
        });
        assert.deepEqual(outcome.line, {
          text: `delete po/mine in ${ns}: forbidden: cannot delete pods in namespace ${ns}`,
          error: true,
        });
        assert.ok(await get(`/api/v1/namespaces/${ns}/pods/mine`), "the pod is still there");
      } finally {
        release();
        unsubscribe();
      }
    },
  );
});
