// The simulator's write verbs through HTTP, as kube-apiserver answers them: PATCH (merge, strategic, JSON patch),
// PUT with optimistic concurrency, the scale subresource with the controllers converging, a rollout restart rolling a
// new ReplicaSet, DELETE per propagation policy, eviction against a PodDisruptionBudget, cordon, a Job from a
// CronJob, access reviews and deny lists.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { KubeObject } from "../../../src/kube/objects.ts";
import { type SimServer, startSimServer } from "../../../src/sim/index.ts";
import { call, Watch } from "./helpers.ts";

type Json = Record<string, unknown>;

let sim: SimServer;

before(async () => {
  sim = await startSimServer({
    pods: 400,
    seed: 23,
    nodes: 4,
    deleteGraceMs: 250,
    users: [
      { name: "jane", token: "jane-token", deny: ["deployments"] },
      { name: "ro", token: "ro-token", deny: ["delete:pods", "patch:deployments", "create:pods/eviction"] },
    ],
  });
});

after(async () => {
  await sim.stop();
});

/** A DELETE with DeleteOptions: Node sends a DELETE's body only with a Content-Length, as kubectl's client does. */
function del(path: string, options: Json, token?: string) {
  const body = JSON.stringify(options);
  return call(sim, path, {
    method: "DELETE",
    body,
    headers: { "content-type": "application/json", "content-length": String(Buffer.byteLength(body)) },
    ...(token ? { token } : {}),
  });
}

const MERGE = { "content-type": "application/merge-patch+json" };
const STRATEGIC = { "content-type": "application/strategic-merge-patch+json" };
const JSONPATCH = { "content-type": "application/json-patch+json" };

async function waitFor<T>(what: string, fn: () => T | undefined | false, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const ownedBy = (o: KubeObject, uid: string) =>
  ((o.metadata as Json).ownerReferences as { uid: string }[] | undefined)?.some((r) => r.uid === uid) ?? false;
const live = (o: KubeObject) => !o.metadata?.deletionTimestamp;
const specOf = (o: KubeObject) => (o.spec ?? {}) as Json;
const statusOf = (o: KubeObject) => (o.status ?? {}) as Json;

/** A deployment (of at least `min` replicas) no PDB covers, not yet used by another test. */
const used = new Set<string>();
function pickDeployment(min = 2): KubeObject {
  const budgeted = new Set(
    sim.store.list("poddisruptionbudgets").map((p) => `${p.metadata!.namespace}/${p.metadata!.name}`),
  );
  const d = sim.store.list("deployments").find((x) => {
    const key = `${x.metadata!.namespace}/${x.metadata!.name}`;
    return Number(specOf(x).replicas) >= min && Number(specOf(x).replicas) <= 6 && !budgeted.has(key) && !used.has(key);
  });
  assert.ok(d, "a deployment to work on");
  used.add(`${d.metadata!.namespace}/${d.metadata!.name}`);
  return d;
}

function deploymentPath(d: KubeObject): string {
  return `/apis/apps/v1/namespaces/${d.metadata!.namespace}/deployments/${d.metadata!.name}`;
}

function replicaSetsOf(d: KubeObject): KubeObject[] {
  return sim.store.list("replicasets", d.metadata!.namespace).filter((r) => ownedBy(r, d.metadata!.uid!));
}

function podsOf(owner: KubeObject): KubeObject[] {
  return sim.store.list("pods", owner.metadata!.namespace).filter((p) => ownedBy(p, owner.metadata!.uid!));
}

describe("POST", () => {
  test("a created Deployment gets a ReplicaSet and running pods; generateName, namespace and name checks", async () => {
    const ns = "default";
    const labels = { app: "hello" };
    const body = {
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name: "hello", namespace: ns },
      spec: {
        replicas: 2,
        selector: { matchLabels: labels },
        template: { metadata: { labels }, spec: { containers: [{ name: "web", image: "nginx:1.27" }] } },
      },
    };
    const r = await call(sim, `/apis/apps/v1/namespaces/${ns}/deployments`, {
      method: "POST",
      body: JSON.stringify(body),
    });
    assert.equal(r.status, 201);
    const d = r.json();
    assert.ok(d.metadata.uid);
    assert.equal(d.metadata.generation, 1);
    assert.equal(d.spec.strategy.type, "RollingUpdate", "defaults filled in");
    await waitFor("two running pods", () => {
      const [rs] = replicaSetsOf(d);
      return rs && podsOf(rs).filter((p) => statusOf(p).phase === "Running").length === 2;
    });
    const [rs] = replicaSetsOf(d);
    assert.equal((rs!.metadata!.labels as Json)["pod-template-hash"], rs!.metadata!.name!.slice("hello-".length));
    const pod = podsOf(rs!)[0]!;
    assert.equal(((specOf(pod).containers as Json[])[0] as Json).image, "nginx:1.27");
    assert.ok(specOf(pod).nodeName);
    await waitFor(
      "the deployment's status",
      () => statusOf(sim.store.get("deployments", ns, "hello")!).availableReplicas === 2,
    );

    const other = await call(sim, `/apis/apps/v1/namespaces/${ns}/deployments`, {
      method: "POST",
      body: JSON.stringify({ ...body, metadata: { name: "hello2", namespace: "elsewhere" } }),
    });
    assert.equal(other.status, 400);
    assert.equal(
      other.json().message,
      "the namespace of the provided object does not match the namespace sent on the request",
    );
    const bad = await call(sim, `/api/v1/namespaces/${ns}/configmaps`, {
      method: "POST",
      body: JSON.stringify({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "Not_Valid" } }),
    });
    assert.equal(bad.status, 422);
    assert.equal(bad.json().details.causes[0].field, "metadata.name");
    const gen = await call(sim, `/api/v1/namespaces/${ns}/configmaps`, {
      method: "POST",
      body: JSON.stringify({
        apiVersion: "v1",
        kind: "ConfigMap",
        metadata: { generateName: "cfg-" },
        data: { a: "b" },
      }),
    });
    assert.equal(gen.status, 201);
    assert.match(gen.json().metadata.name, /^cfg-[a-z0-9]{5}$/);
    assert.equal(gen.json().metadata.generation, undefined, "a ConfigMap has no generation");
  });
});

describe("PATCH", () => {
  test("merge, strategic and JSON patches bump the resourceVersion and are watched as MODIFIED", async () => {
    const d = pickDeployment();
    const ns = d.metadata!.namespace!;
    const w = new Watch(
      sim,
      `/apis/apps/v1/namespaces/${ns}/deployments?watch=1&resourceVersion=${sim.store.revision()}`,
    );
    try {
      const r = await call(sim, deploymentPath(d), {
        method: "PATCH",
        headers: MERGE,
        body: JSON.stringify({ metadata: { labels: { team: "blue" } } }),
      });
      assert.equal(r.status, 200);
      const patched = r.json();
      assert.equal(patched.metadata.labels.team, "blue");
      assert.ok(Number(patched.metadata.resourceVersion) > Number(d.metadata!.resourceVersion));
      const ev = await w.until((e) => e.type === "MODIFIED" && e.object.metadata.name === d.metadata!.name);
      assert.equal(ev.object.metadata.resourceVersion, patched.metadata.resourceVersion);

      // Strategic: containers merge by name, the other fields stay.
      const container = ((specOf(d).template as Json).spec as { containers: { name: string; image: string }[] })
        .containers[0]!;
      const s = await call(sim, deploymentPath(d), {
        method: "PATCH",
        headers: STRATEGIC,
        body: JSON.stringify({
          metadata: { labels: { team: null } },
          spec: { template: { spec: { containers: [{ name: container.name, image: "busybox:1.37" }] } } },
        }),
      });
      assert.equal(s.status, 200);
      const c0 = s.json().spec.template.spec.containers[0];
      assert.equal(c0.image, "busybox:1.37");
      assert.ok(c0.resources, "the container's other fields are kept");
      assert.equal(s.json().metadata.labels.team, undefined);
      assert.equal(s.json().metadata.generation, patched.metadata.generation + 1, "a spec change bumps generation");

      // JSON patch: a failed test fails it all (422); a replace applies.
      const t = await call(sim, deploymentPath(d), {
        method: "PATCH",
        headers: JSONPATCH,
        body: JSON.stringify([
          { op: "test", path: "/spec/replicas", value: 999 },
          { op: "replace", path: "/spec/revisionHistoryLimit", value: 3 },
        ]),
      });
      assert.equal(t.status, 422);
      assert.match(t.json().message, /test failed/);
      const j = await call(sim, deploymentPath(d), {
        method: "PATCH",
        headers: JSONPATCH,
        body: JSON.stringify([{ op: "replace", path: "/spec/revisionHistoryLimit", value: 3 }]),
      });
      assert.equal(j.status, 200);
      assert.equal(j.json().spec.revisionHistoryLimit, 3);
    } finally {
      w.close();
    }
  });

  test("415 for another content type, 404 for a missing object, 422 for negative replicas, 409 for a stale patch", async () => {
    const d = pickDeployment();
    const bad = await call(sim, deploymentPath(d), {
      method: "PATCH",
      headers: { "content-type": "application/json" },
      body: "{}",
    });
    assert.equal(bad.status, 415);
    assert.equal(bad.json().reason, "UnsupportedMediaType");
    const missing = await call(sim, `/apis/apps/v1/namespaces/${d.metadata!.namespace}/deployments/nope`, {
      method: "PATCH",
      headers: MERGE,
      body: "{}",
    });
    assert.equal(missing.status, 404);
    assert.equal(missing.json().message, 'deployments.apps "nope" not found');
    const neg = await call(sim, deploymentPath(d), {
      method: "PATCH",
      headers: MERGE,
      body: JSON.stringify({ spec: { replicas: -1 } }),
    });
    assert.equal(neg.status, 422);
    assert.deepEqual(neg.json(), {
      kind: "Status",
      apiVersion: "v1",
      metadata: {},
      status: "Failure",
      message: `Deployment.apps "${d.metadata!.name}" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0`,
      reason: "Invalid",
      details: {
        name: d.metadata!.name,
        group: "apps",
        kind: "Deployment",
        causes: [
          {
            reason: "FieldValueInvalid",
            message: "Invalid value: -1: must be greater than or equal to 0",
            field: "spec.replicas",
          },
        ],
      },
      code: 422,
    });
    const stale = await call(sim, deploymentPath(d), {
      method: "PATCH",
      headers: MERGE,
      body: JSON.stringify({ metadata: { resourceVersion: "1" }, spec: { paused: true } }),
    });
    assert.equal(stale.status, 409);
    assert.equal(stale.json().reason, "Conflict");
    const str = await call(sim, deploymentPath(d), {
      method: "PATCH",
      headers: MERGE,
      body: JSON.stringify({ spec: { replicas: "3" } }),
    });
    assert.equal(str.status, 400);
    assert.match(
      str.json().message,
      /cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32/,
    );
  });
});

describe("PUT", () => {
  test("a stale resourceVersion is a 409 Conflict, a name that differs a 400, the current one a 200", async () => {
    const d = pickDeployment();
    const cur = (await call(sim, deploymentPath(d))).json();
    const stale = structuredClone(cur);
    stale.metadata.resourceVersion = String(Number(cur.metadata.resourceVersion) - 1);
    const r = await call(sim, deploymentPath(d), { method: "PUT", body: JSON.stringify(stale) });
    assert.equal(r.status, 409);
    assert.deepEqual(r.json(), {
      kind: "Status",
      apiVersion: "v1",
      metadata: {},
      status: "Failure",
      message: `Operation cannot be fulfilled on deployments.apps "${d.metadata!.name}": the object has been modified; please apply your changes to the latest version and try again`,
      reason: "Conflict",
      details: { name: d.metadata!.name, group: "apps", kind: "deployments" },
      code: 409,
    });
    const renamed = { ...cur, metadata: { ...cur.metadata, name: "other" } };
    const n = await call(sim, deploymentPath(d), { method: "PUT", body: JSON.stringify(renamed) });
    assert.equal(n.status, 400);
    assert.equal(
      n.json().message,
      `the name of the object (other) does not match the name on the URL (${d.metadata!.name})`,
    );
    cur.metadata.annotations = { ...cur.metadata.annotations, note: "edited" };
    const ok = await call(sim, deploymentPath(d), { method: "PUT", body: JSON.stringify(cur) });
    assert.equal(ok.status, 200);
    assert.equal(ok.json().metadata.annotations.note, "edited");
    assert.ok(Number(ok.json().metadata.resourceVersion) > Number(cur.metadata.resourceVersion));
  });

  test("a pod's image may change, its nodeName may not (422 with causes)", async () => {
    const pod = sim.store.list("pods").find((p) => live(p) && specOf(p).nodeName)!;
    const path = `/api/v1/namespaces/${pod.metadata!.namespace}/pods/${pod.metadata!.name}`;
    const cur = (await call(sim, path)).json();
    cur.spec.nodeName = "elsewhere";
    const r = await call(sim, path, { method: "PUT", body: JSON.stringify(cur) });
    assert.equal(r.status, 422);
    const body = r.json();
    assert.equal(body.reason, "Invalid");
    assert.match(
      body.message,
      new RegExp(
        `^Pod "${pod.metadata!.name}" is invalid: spec: Forbidden: pod updates may not change fields other than`,
      ),
    );
    assert.equal(body.details.kind, "Pod");
    assert.equal(body.details.causes[0].field, "spec");
    assert.equal(body.details.causes[0].reason, "FieldValueForbidden");
    const fresh = (await call(sim, path)).json();
    fresh.spec.containers[0].image = "busybox:1.37";
    const ok = await call(sim, path, { method: "PUT", body: JSON.stringify(fresh) });
    assert.equal(ok.status, 200);
    assert.equal(ok.json().spec.containers[0].image, "busybox:1.37");
  });
});

describe("scale", () => {
  test("GET the Scale, PUT with a stale resourceVersion (409), PATCH up and down: the pods follow", async () => {
    const d = pickDeployment();
    const path = `${deploymentPath(d)}/scale`;
    const g = await call(sim, path);
    assert.equal(g.status, 200);
    const scale = g.json();
    assert.equal(scale.kind, "Scale");
    assert.equal(scale.apiVersion, "autoscaling/v1");
    assert.equal(scale.spec.replicas, specOf(d).replicas);
    assert.match(scale.status.selector, /app.kubernetes.io\/instance=/);
    const stale = { ...scale, metadata: { ...scale.metadata, resourceVersion: "2" }, spec: { replicas: 1 } };
    assert.equal((await call(sim, path, { method: "PUT", body: JSON.stringify(stale) })).status, 409);

    const [rs] = replicaSetsOf(d);
    assert.ok(rs);
    const want = Number(specOf(d).replicas) + 2;
    const w = new Watch(
      sim,
      `/api/v1/namespaces/${d.metadata!.namespace}/pods?watch=1&resourceVersion=${sim.store.revision()}`,
    );
    try {
      const up = await call(sim, path, {
        method: "PATCH",
        headers: MERGE,
        body: JSON.stringify({ spec: { replicas: want } }),
      });
      assert.equal(up.status, 200);
      assert.equal(up.json().spec.replicas, want);
      const added = await w.until((e) => e.type === "ADDED" && ownedBy(e.object, rs.metadata!.uid!));
      assert.equal(added.object.status.phase, "Pending");
      await w.until(
        (e) =>
          e.type === "MODIFIED" &&
          e.object.metadata.uid === added.object.metadata.uid &&
          e.object.status.phase === "Running",
      );
    } finally {
      w.close();
    }
    await waitFor("the deployment at the new size", () => {
      const cur = sim.store.get("deployments", d.metadata!.namespace!, d.metadata!.name!);
      return podsOf(rs).filter(live).length === want && statusOf(cur!).replicas === want;
    });
    assert.equal(statusOf(sim.store.get("replicasets", rs.metadata!.namespace!, rs.metadata!.name!)!).replicas, want);

    const down = await call(sim, path, {
      method: "PATCH",
      headers: MERGE,
      body: JSON.stringify({ spec: { replicas: 1 } }),
    });
    assert.equal(down.status, 200);
    await waitFor("the extra pods Terminating", () => podsOf(rs).some((p) => !live(p)));
    await waitFor(
      "one pod left",
      () =>
        podsOf(rs).length === 1 &&
        statusOf(sim.store.get("deployments", d.metadata!.namespace!, d.metadata!.name!)!).replicas === 1,
    );
    const neg = await call(sim, path, {
      method: "PATCH",
      headers: MERGE,
      body: JSON.stringify({ spec: { replicas: -2 } }),
    });
    assert.equal(neg.status, 422);
    assert.match(neg.json().message, /^Scale.autoscaling ".*" is invalid: spec.replicas: Invalid value: -2/);
  });
});

describe("rollout restart", () => {
  test("a changed template rolls a new ReplicaSet up and the old one down to 0; the status ends consistent", async () => {
    const d = pickDeployment(3);
    const ns = d.metadata!.namespace!;
    const desired = Number(specOf(d).replicas);
    const [old] = replicaSetsOf(d);
    assert.ok(old);
    const w = new Watch(
      sim,
      `/apis/apps/v1/namespaces/${ns}/replicasets?watch=1&resourceVersion=${sim.store.revision()}`,
    );
    try {
      const at = new Date().toISOString();
      const r = await call(sim, deploymentPath(d), {
        method: "PATCH",
        headers: STRATEGIC,
        body: JSON.stringify({
          spec: { template: { metadata: { annotations: { "kubectl.kubernetes.io/restartedAt": at } } } },
        }),
      });
      assert.equal(r.status, 200);
      const added = await w.until((e) => e.type === "ADDED" && ownedBy(e.object, d.metadata!.uid!));
      const fresh = added.object as KubeObject;
      assert.notEqual(fresh.metadata!.name, old.metadata!.name);
      assert.equal(
        ((specOf(fresh).template as Json).metadata as Json as { annotations: Json }).annotations[
          "kubectl.kubernetes.io/restartedAt"
        ],
        at,
      );
      // Mid-rollout both have pods wanted.
      let both = false;
      const sizes = new Map<string, number>([[old.metadata!.name!, Number(specOf(old).replicas)]]);
      await waitFor(
        "the old ReplicaSet scaled to 0",
        () => {
          for (const e of w.events) {
            if (e.object?.metadata && ownedBy(e.object, d.metadata!.uid!))
              sizes.set(e.object.metadata.name, e.object.spec.replicas);
            if ((sizes.get(old.metadata!.name!) ?? 0) > 0 && (sizes.get(fresh.metadata!.name!) ?? 0) > 0) both = true;
          }
          const o = sim.store.get("replicasets", ns, old.metadata!.name!);
          return o && specOf(o).replicas === 0;
        },
        15_000,
      );
      assert.ok(both, "both ReplicaSets were scaled up at one moment");
    } finally {
      w.close();
    }
    const done = await waitFor(
      "the rollout complete",
      () => {
        const cur = sim.store.get("deployments", ns, d.metadata!.name!)!;
        const st = statusOf(cur);
        const progressing = (st.conditions as Json[]).find((c) => c.type === "Progressing");
        return (
          podsOf(old).length === 0 &&
          st.updatedReplicas === desired &&
          progressing?.reason === "NewReplicaSetAvailable" &&
          cur
        );
      },
      15_000,
    );
    const st = statusOf(done);
    assert.equal(st.replicas, desired);
    assert.equal(st.availableReplicas, desired);
    assert.equal(st.unavailableReplicas, undefined);
    assert.equal(
      Number((done.metadata!.annotations as Json)["deployment.kubernetes.io/revision"]),
      Number((d.metadata!.annotations as Json)["deployment.kubernetes.io/revision"]) + 1,
    );
    const sets = replicaSetsOf(d);
    assert.equal(sets.length, 2);
    const current = sets.find((s) => s.metadata!.name !== old.metadata!.name)!;
    assert.equal(podsOf(current).filter((p) => statusOf(p).phase === "Running").length, desired);
  });

  test("a paused deployment scales but does not roll; resumed, it rolls", async () => {
    const d = pickDeployment();
    const ns = d.metadata!.namespace!;
    const patch = (body: Json, headers = MERGE) =>
      call(sim, deploymentPath(d), { method: "PATCH", headers, body: JSON.stringify(body) });
    assert.equal((await patch({ spec: { paused: true } })).status, 200);
    await patch(
      { spec: { template: { metadata: { annotations: { "kubectl.kubernetes.io/restartedAt": "paused" } } } } },
      STRATEGIC,
    );
    const want = Number(specOf(d).replicas) + 1;
    await call(sim, `${deploymentPath(d)}/scale`, {
      method: "PATCH",
      headers: MERGE,
      body: JSON.stringify({ spec: { replicas: want } }),
    });
    const [only] = await waitFor("the current ReplicaSet scaled", () => {
      const sets = replicaSetsOf(d);
      return sets.length === 1 && specOf(sets[0]!).replicas === want && sets;
    });
    const progressing = await waitFor("the paused condition", () => {
      const st = statusOf(sim.store.get("deployments", ns, d.metadata!.name!)!);
      return (st.conditions as Json[]).find((c) => c.type === "Progressing" && c.reason === "DeploymentPaused");
    });
    assert.equal(progressing.status, "Unknown");
    assert.equal(progressing.message, "Deployment is paused");
    assert.equal(replicaSetsOf(d).length, 1, "no new ReplicaSet while paused");
    assert.equal((await patch({ spec: { paused: null } })).status, 200);
    await waitFor(
      "the rollout after resuming",
      () => {
        const sets = replicaSetsOf(d);
        const old = sets.find((x) => x.metadata!.uid === only!.metadata!.uid);
        return sets.length === 2 && old && specOf(old).replicas === 0;
      },
      15_000,
    );
  });

  test("a StatefulSet's pods are recreated one at a time, highest ordinal first", async () => {
    const sts = sim.store
      .list("statefulsets")
      .find((s) => Number(specOf(s).replicas) >= 2 && Number(specOf(s).replicas) <= 5);
    assert.ok(sts, "a statefulset");
    const ns = sts.metadata!.namespace!;
    const w = new Watch(sim, `/api/v1/namespaces/${ns}/pods?watch=1&resourceVersion=${sim.store.revision()}`);
    try {
      const r = await call(sim, `/apis/apps/v1/namespaces/${ns}/statefulsets/${sts.metadata!.name}`, {
        method: "PATCH",
        headers: STRATEGIC,
        body: JSON.stringify({
          spec: { template: { metadata: { annotations: { "kubectl.kubernetes.io/restartedAt": "now" } } } },
        }),
      });
      assert.equal(r.status, 200);
      const revision = await waitFor("a new update revision", () => {
        const cur = sim.store.get("statefulsets", ns, sts.metadata!.name!)!;
        const s = statusOf(cur);
        return s.updateRevision !== statusOf(sts).updateRevision && String(s.updateRevision);
      });
      const n = Number(specOf(sts).replicas);
      await waitFor(
        "every pod of the new revision",
        () => {
          const pods = podsOf(sts).filter(live);
          return (
            pods.length === n &&
            pods.every(
              (p) =>
                (p.metadata!.labels as Json)["controller-revision-hash"] === revision &&
                statusOf(p).phase === "Running",
            )
          );
        },
        20_000,
      );
      // One at a time: never two of its pods Terminating together.
      const terminating = new Set<string>();
      let most = 0;
      for (const e of w.events) {
        if (!e.object?.metadata || !ownedBy(e.object, sts.metadata!.uid!)) continue;
        if (e.type === "DELETED") terminating.delete(e.object.metadata.name);
        else if (e.object.metadata.deletionTimestamp) terminating.add(e.object.metadata.name);
        most = Math.max(most, terminating.size);
      }
      assert.equal(most, 1);
      const order = w.events
        .filter((e) => e.type === "DELETED" && ownedBy(e.object, sts.metadata!.uid!))
        .map((e) => e.object.metadata.name as string);
      assert.deepEqual(
        order,
        Array.from({ length: n }, (_, i) => `${sts.metadata!.name}-${n - 1 - i}`),
      );
    } finally {
      w.close();
    }
  });
});

describe("daemonsets", () => {
  test("a DaemonSet's restart recreates its pods one node at a time, each on its node", async () => {
    const ds = sim.store.list("daemonsets")[0];
    assert.ok(ds, "a daemonset");
    const ns = ds.metadata!.namespace!;
    const nodes = new Set(sim.store.list("nodes").map((n) => n.metadata!.name));
    const before = podsOf(ds).filter(live);
    assert.equal(before.length, nodes.size);
    const w = new Watch(sim, `/api/v1/namespaces/${ns}/pods?watch=1&resourceVersion=${sim.store.revision()}`);
    try {
      const r = await call(sim, `/apis/apps/v1/namespaces/${ns}/daemonsets/${ds.metadata!.name}`, {
        method: "PATCH",
        headers: STRATEGIC,
        body: JSON.stringify({
          spec: { template: { metadata: { annotations: { "kubectl.kubernetes.io/restartedAt": "now" } } } },
        }),
      });
      assert.equal(r.status, 200);
      const generation = String(r.json().metadata.generation);
      assert.equal(r.json().metadata.annotations["deprecated.daemonset.template.generation"], generation);
      const after = await waitFor(
        "every pod replaced",
        () => {
          const pods = podsOf(ds).filter(live);
          return (
            pods.length === nodes.size &&
            pods.every(
              (p) =>
                (p.metadata!.labels as Json)["pod-template-generation"] === generation &&
                statusOf(p).phase === "Running",
            ) &&
            pods
          );
        },
        20_000,
      );
      assert.deepEqual(new Set(after.map((p) => specOf(p).nodeName)), nodes, "one pod per node");
      let down = 0;
      let most = 0;
      for (const e of w.events) {
        if (!e.object?.metadata || !ownedBy(e.object, ds.metadata!.uid!)) continue;
        if (e.type === "MODIFIED" && e.object.metadata.deletionTimestamp) down++;
        if (e.type === "ADDED") down--;
        most = Math.max(most, down);
      }
      assert.equal(most, 1, "one node's pod at a time");
      const st = await waitFor("the status caught up", () => {
        const s = statusOf(sim.store.get("daemonsets", ns, ds.metadata!.name!)!);
        return s.numberReady === nodes.size && s;
      });
      assert.equal(st.updatedNumberScheduled, nodes.size);
      assert.equal(st.numberUnavailable, undefined);
    } finally {
      w.close();
    }
  });
});

describe("DELETE with a propagation policy", () => {
  test("Background: the deployment goes at once, its ReplicaSets and their pods shortly after", async () => {
    const d = pickDeployment();
    const [rs] = replicaSetsOf(d);
    const r = await del(deploymentPath(d), {
      kind: "DeleteOptions",
      apiVersion: "v1",
      propagationPolicy: "Background",
    });
    assert.equal(r.status, 200);
    assert.equal(r.json().status, "Success");
    assert.equal((await call(sim, deploymentPath(d))).status, 404);
    await waitFor("its replicasets and pods gone", () => replicaSetsOf(d).length === 0 && podsOf(rs!).length === 0);
  });

  test("Foreground: deletionTimestamp and the foregroundDeletion finalizer, dependents first, then the owner", async () => {
    const d = pickDeployment();
    const [rs] = replicaSetsOf(d);
    const r = await call(sim, `${deploymentPath(d)}?propagationPolicy=Foreground`, { method: "DELETE" });
    assert.equal(r.status, 200);
    const body = r.json();
    assert.equal(body.kind, "Deployment");
    assert.ok(body.metadata.deletionTimestamp);
    assert.deepEqual(body.metadata.finalizers, ["foregroundDeletion"]);
    const still = await call(sim, deploymentPath(d));
    assert.equal(still.status, 200, "the owner stays while its dependents go");
    await waitFor("the pods and the replicaset gone", () => podsOf(rs!).length === 0 && replicaSetsOf(d).length === 0);
    await waitFor(
      "the deployment gone",
      () => !sim.store.get("deployments", d.metadata!.namespace!, d.metadata!.name!),
    );
  });

  test("Orphan: the owner goes, its dependents stay without their ownerReferences", async () => {
    const d = pickDeployment();
    const [rs] = replicaSetsOf(d);
    const pods = podsOf(rs!).length;
    const r = await del(deploymentPath(d), { propagationPolicy: "Orphan" });
    assert.equal(r.status, 200);
    await waitFor(
      "the deployment gone",
      () => !sim.store.get("deployments", d.metadata!.namespace!, d.metadata!.name!),
    );
    const kept = sim.store.get("replicasets", rs!.metadata!.namespace!, rs!.metadata!.name!);
    assert.ok(kept, "the replicaset stays");
    assert.equal((kept.metadata as Json).ownerReferences, undefined);
    assert.equal(podsOf(rs!).length, pods, "its pods stay");
  });

  test("preconditions: a wrong uid or resourceVersion is a 409", async () => {
    const d = pickDeployment();
    const uid = await del(deploymentPath(d), { preconditions: { uid: "x" } });
    assert.equal(uid.status, 409);
    assert.equal(
      uid.json().message,
      `Operation cannot be fulfilled on deployments.apps "${d.metadata!.name}": Precondition failed: UID in precondition: x, UID in object meta: ${d.metadata!.uid}`,
    );
    const rv = await del(deploymentPath(d), { preconditions: { resourceVersion: "1" } });
    assert.equal(rv.status, 409);
    assert.ok(sim.store.get("deployments", d.metadata!.namespace!, d.metadata!.name!), "still there");
  });

  test("a pod killed with gracePeriodSeconds=0 goes at once and its ReplicaSet replaces it", async () => {
    const d = pickDeployment();
    const [rs] = replicaSetsOf(d);
    const before = podsOf(rs!).filter(live);
    const victim = before[0]!;
    const r = await call(
      sim,
      `/api/v1/namespaces/${victim.metadata!.namespace}/pods/${victim.metadata!.name}?gracePeriodSeconds=0`,
      {
        method: "DELETE",
      },
    );
    assert.equal(r.status, 200);
    assert.equal(r.json().metadata.name, victim.metadata!.name);
    assert.equal(sim.store.get("pods", victim.metadata!.namespace!, victim.metadata!.name!), undefined);
    await waitFor("a replacement pod", () => {
      const now = podsOf(rs!).filter(live);
      return now.length === before.length && now.some((p) => !before.some((b) => b.metadata!.uid === p.metadata!.uid));
    });
  });
});

describe("eviction", () => {
  test("blocked by a PodDisruptionBudget (429 with its cause), else the pod is deleted gracefully", async () => {
    const pdbs = sim.store.list("poddisruptionbudgets");
    const strict = pdbs.find((p) => specOf(p).minAvailable !== undefined);
    assert.ok(strict, "the demo data has a PDB that allows no disruption");
    const ns = strict.metadata!.namespace!;
    const labels = ((specOf(strict).selector as Json).matchLabels ?? {}) as Record<string, string>;
    const covered = sim.store
      .list("pods", ns)
      .find(
        (p) =>
          live(p) &&
          Object.entries(labels).every(([k, v]) => (p.metadata!.labels as Json)[k] === v) &&
          statusOf(p).phase === "Running",
      );
    assert.ok(covered);
    const path = `/api/v1/namespaces/${ns}/pods/${covered.metadata!.name}/eviction`;
    const body = JSON.stringify({
      apiVersion: "policy/v1",
      kind: "Eviction",
      metadata: { name: covered.metadata!.name, namespace: ns },
    });
    const r = await call(sim, path, { method: "POST", body });
    assert.equal(r.status, 429);
    const st = r.json();
    assert.equal(st.reason, "TooManyRequests");
    assert.equal(st.message, "Cannot evict pod as it would violate the pod's disruption budget.");
    assert.equal(st.details.causes[0].reason, "DisruptionBudget");
    assert.match(
      st.details.causes[0].message,
      new RegExp(`^The disruption budget ${strict.metadata!.name} needs \\d+ healthy pods and has \\d+ currently$`),
    );
    assert.ok(sim.store.get("pods", ns, covered.metadata!.name!), "the pod stays");

    const d = pickDeployment();
    const free = podsOf(replicaSetsOf(d)[0]!).find((p) => live(p) && statusOf(p).phase === "Running")!;
    const ok = await call(sim, `/api/v1/namespaces/${free.metadata!.namespace}/pods/${free.metadata!.name}/eviction`, {
      method: "POST",
      body: JSON.stringify({ apiVersion: "policy/v1", kind: "Eviction", metadata: { name: free.metadata!.name } }),
    });
    assert.equal(ok.status, 201);
    assert.deepEqual(ok.json(), { kind: "Status", apiVersion: "v1", metadata: {}, status: "Success", code: 201 });
    const gone = sim.store.get("pods", free.metadata!.namespace!, free.metadata!.name!);
    assert.ok(!gone || gone.metadata?.deletionTimestamp, "the evicted pod is Terminating or gone");
  });
});

describe("eviction with one pod down allowed", () => {
  test("the first eviction goes through, the next is refused until the replacement is ready", async () => {
    const pdb = sim.store.list("poddisruptionbudgets").find((p) => specOf(p).maxUnavailable === 1);
    assert.ok(pdb);
    const ns = pdb.metadata!.namespace!;
    const labels = ((specOf(pdb).selector as Json).matchLabels ?? {}) as Record<string, string>;
    const matching = () =>
      sim.store
        .list("pods", ns)
        .filter((p) => live(p) && Object.entries(labels).every(([k, v]) => (p.metadata!.labels as Json)[k] === v));
    const ready = (p: KubeObject) =>
      ((statusOf(p).conditions as Json[] | undefined) ?? []).some((c) => c.type === "Ready" && c.status === "True");
    const d = sim.store.get("deployments", ns, pdb.metadata!.name!)!;
    const want = Number(specOf(d).replicas);
    const [old] = replicaSetsOf(d);
    assert.ok(old);
    // Every pod ready first (the generated ones may not all be): a restart replaces them with ready ones.
    await call(sim, deploymentPath(d), {
      method: "PATCH",
      headers: STRATEGIC,
      body: JSON.stringify({
        spec: { template: { metadata: { annotations: { "kubectl.kubernetes.io/restartedAt": "e" } } } },
      }),
    });
    await waitFor(
      "all of its pods ready",
      () => {
        const pods = sim.store
          .list("pods", ns)
          .filter((p) => Object.entries(labels).every(([k, v]) => (p.metadata!.labels as Json)[k] === v));
        const st = statusOf(sim.store.get("deployments", ns, d.metadata!.name!)!);
        const progressing = (st.conditions as Json[]).find((c) => c.type === "Progressing");
        // The rollout done: no old ReplicaSet's pods left to be scaled away under the test.
        return (
          progressing?.reason === "NewReplicaSetAvailable" &&
          pods.length === want &&
          pods.every((p) => live(p) && ready(p) && !ownedBy(p, old.metadata!.uid!))
        );
      },
      20_000,
    );
    const [first, second] = matching();
    const evict = (p: KubeObject) =>
      call(sim, `/api/v1/namespaces/${ns}/pods/${p.metadata!.name}/eviction`, {
        method: "POST",
        body: JSON.stringify({ apiVersion: "policy/v1", kind: "Eviction", metadata: { name: p.metadata!.name } }),
      });
    const firstReply = await evict(first!);
    assert.equal(firstReply.status, 201, firstReply.text);
    const blocked = await evict(second!);
    assert.equal(blocked.status, 429);
    assert.equal(
      blocked.json().details.causes[0].message,
      `The disruption budget ${pdb.metadata!.name} needs ${want - 1} healthy pods and has ${want - 1} currently`,
    );
    const st = statusOf(sim.store.get("poddisruptionbudgets", ns, pdb.metadata!.name!)!);
    assert.equal(st.disruptionsAllowed, 0);
    await waitFor("a ready replacement", () => matching().filter(ready).length === want, 10_000);
    // The disruption controller gives the disruption back once the replacement is ready, without being asked.
    const back = await waitFor("the budget recounted", () => {
      const cur = statusOf(sim.store.get("poddisruptionbudgets", ns, pdb.metadata!.name!)!);
      return cur.disruptionsAllowed === 1 && cur;
    });
    assert.equal(back.currentHealthy, want);
    assert.equal(back.expectedPods, want);
    assert.equal(back.disruptedPods, undefined);
    assert.equal((await evict(second!)).status, 201);
  });
});

describe("cordon", () => {
  const TABLE = "application/json;as=Table;v=v1;g=meta.k8s.io,application/json";
  test("spec.unschedulable shows as SchedulingDisabled, and new pods avoid cordoned nodes", async () => {
    const nodes = sim.store.list("nodes");
    const open = nodes.find((n) => !specOf(n).taints)!;
    const others = nodes.filter((n) => n !== open);
    for (const n of others) {
      const r = await call(sim, `/api/v1/nodes/${n.metadata!.name}`, {
        method: "PATCH",
        headers: MERGE,
        body: JSON.stringify({ spec: { unschedulable: true } }),
      });
      assert.equal(r.status, 200);
      assert.equal(r.json().spec.unschedulable, true);
    }
    const t = (await call(sim, `/api/v1/nodes/${others[0]!.metadata!.name}`, { headers: { accept: TABLE } })).json();
    assert.match(t.rows[0].cells[1], /SchedulingDisabled$/);
    try {
      const d = pickDeployment();
      const [rs] = replicaSetsOf(d);
      const before = new Set(podsOf(rs!).map((p) => p.metadata!.uid));
      const want = Number(specOf(d).replicas) + 3;
      await call(sim, `${deploymentPath(d)}/scale`, {
        method: "PATCH",
        headers: MERGE,
        body: JSON.stringify({ spec: { replicas: want } }),
      });
      const added = await waitFor("the new pods", () => {
        const fresh = podsOf(rs!).filter((p) => !before.has(p.metadata!.uid));
        return fresh.length === 3 && fresh;
      });
      for (const p of added) assert.equal(specOf(p).nodeName, open.metadata!.name);
    } finally {
      for (const n of others) {
        const r = await call(sim, `/api/v1/nodes/${n.metadata!.name}`, {
          method: "PATCH",
          headers: MERGE,
          body: JSON.stringify({ spec: { unschedulable: null } }),
        });
        assert.equal(r.json().spec.unschedulable, undefined);
      }
    }
    const after = (
      await call(sim, `/api/v1/nodes/${others[0]!.metadata!.name}`, { headers: { accept: TABLE } })
    ).json();
    assert.doesNotMatch(after.rows[0].cells[1], /SchedulingDisabled/);
  });
});

describe("cronjobs", () => {
  test("a Job created from a CronJob's template runs a pod to completion; suspend is a merge patch", async () => {
    const cj = sim.store.list("cronjobs")[0];
    assert.ok(cj, "a cronjob");
    const ns = cj.metadata!.namespace!;
    const template = specOf(cj).jobTemplate as Json;
    const name = `${cj.metadata!.name}-manual-x1z`;
    const r = await call(sim, `/apis/batch/v1/namespaces/${ns}/jobs`, {
      method: "POST",
      body: JSON.stringify({
        apiVersion: "batch/v1",
        kind: "Job",
        metadata: {
          name,
          namespace: ns,
          annotations: { "cronjob.kubernetes.io/instantiate": "manual" },
          ownerReferences: [
            {
              apiVersion: "batch/v1",
              kind: "CronJob",
              name: cj.metadata!.name,
              uid: cj.metadata!.uid,
              controller: true,
            },
          ],
        },
        spec: template.spec,
      }),
    });
    assert.equal(r.status, 201);
    const job = r.json();
    assert.ok(job.metadata.uid);
    assert.equal(job.spec.selector.matchLabels["batch.kubernetes.io/controller-uid"], job.metadata.uid);
    const again = await call(sim, `/apis/batch/v1/namespaces/${ns}/jobs`, {
      method: "POST",
      body: JSON.stringify(job),
    });
    assert.equal(again.status, 409);
    assert.equal(again.json().reason, "AlreadyExists");
    const done = await waitFor("the job Complete", () => {
      const j = sim.store.get("jobs", ns, name);
      return j && ((statusOf(j).conditions as Json[] | undefined) ?? []).some((c) => c.type === "Complete") && j;
    });
    assert.equal(statusOf(done).succeeded, 1);
    const pods = podsOf(done);
    assert.equal(pods.length, 1);
    assert.equal(statusOf(pods[0]!).phase, "Succeeded");

    const s = await call(sim, `/apis/batch/v1/namespaces/${ns}/cronjobs/${cj.metadata!.name}`, {
      method: "PATCH",
      headers: MERGE,
      body: JSON.stringify({ spec: { suspend: true } }),
    });
    assert.equal(s.status, 200);
    assert.equal(s.json().spec.suspend, true);
    // Deleting the CronJob in the background takes its Jobs and their pods along.
    await del(`/apis/batch/v1/namespaces/${ns}/cronjobs/${cj.metadata!.name}`, { propagationPolicy: "Background" });
    await waitFor("its jobs gone", () => !sim.store.get("jobs", ns, name) && podsOf(done).length === 0);
  });
});

describe("authorization", () => {
  const review = (verb: string, resource: string, namespace: string, subresource = "") =>
    JSON.stringify({
      apiVersion: "authorization.k8s.io/v1",
      kind: "SelfSubjectAccessReview",
      spec: {
        resourceAttributes: { namespace, verb, group: resource === "deployments" ? "apps" : "", resource, subresource },
      },
    });
  const SSAR = "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews";

  test("SelfSubjectAccessReview answers from the user's deny list", async () => {
    const admin = await call(sim, SSAR, { method: "POST", body: review("delete", "pods", "default") });
    assert.equal(admin.status, 201);
    assert.equal(admin.json().status.allowed, true);
    assert.equal(admin.json().spec.resourceAttributes.verb, "delete");
    const jane = await call(sim, SSAR, {
      method: "POST",
      token: "jane-token",
      body: review("patch", "deployments", "default"),
    });
    assert.deepEqual(jane.json().status, { allowed: false });
    const janePods = await call(sim, SSAR, {
      method: "POST",
      token: "jane-token",
      body: review("delete", "pods", "default"),
    });
    assert.equal(janePods.json().status.allowed, true);
    const ro = await call(sim, SSAR, { method: "POST", token: "ro-token", body: review("delete", "pods", "default") });
    assert.equal(ro.json().status.allowed, false);
    const roGet = await call(sim, SSAR, { method: "POST", token: "ro-token", body: review("get", "pods", "default") });
    assert.equal(roGet.json().status.allowed, true);
    const roEvict = await call(sim, SSAR, {
      method: "POST",
      token: "ro-token",
      body: review("create", "pods", "default", "eviction"),
    });
    assert.equal(roEvict.json().status.allowed, false);
  });

  test("SelfSubjectRulesReview lists what a user may do", async () => {
    const SSRR = "/apis/authorization.k8s.io/v1/selfsubjectrulesreviews";
    const body = JSON.stringify({
      apiVersion: "authorization.k8s.io/v1",
      kind: "SelfSubjectRulesReview",
      spec: { namespace: "default" },
    });
    const admin = (await call(sim, SSRR, { method: "POST", body })).json();
    assert.deepEqual(admin.status.resourceRules[0], { verbs: ["*"], apiGroups: ["*"], resources: ["*"] });
    const ro = (await call(sim, SSRR, { method: "POST", token: "ro-token", body })).json();
    const pods = ro.status.resourceRules.find((r: { resources: string[] }) => r.resources[0] === "pods");
    assert.ok(!pods.verbs.includes("delete"));
    assert.ok(pods.verbs.includes("get"));
  });

  test("writes a deny list refuses are 403 with kube-apiserver's wording", async () => {
    const d = pickDeployment();
    const j = await call(sim, deploymentPath(d), { method: "PATCH", token: "jane-token", headers: MERGE, body: "{}" });
    assert.equal(j.status, 403);
    assert.equal(
      j.json().message,
      `deployments.apps "${d.metadata!.name}" is forbidden: User "jane" cannot patch resource "deployments" in API group "apps" in the namespace "${d.metadata!.namespace}"`,
    );
    const pod = podsOf(replicaSetsOf(d)[0]!)[0]!;
    const ns = pod.metadata!.namespace!;
    const del = await call(sim, `/api/v1/namespaces/${ns}/pods/${pod.metadata!.name}`, {
      method: "DELETE",
      token: "ro-token",
    });
    assert.equal(del.status, 403);
    assert.equal(
      del.json().message,
      `pods "${pod.metadata!.name}" is forbidden: User "ro" cannot delete resource "pods" in API group "" in the namespace "${ns}"`,
    );
    const ev = await call(sim, `/api/v1/namespaces/${ns}/pods/${pod.metadata!.name}/eviction`, {
      method: "POST",
      token: "ro-token",
      body: "{}",
    });
    assert.equal(ev.status, 403);
    assert.equal(
      ev.json().message,
      `pods "${pod.metadata!.name}" is forbidden: User "ro" cannot create resource "pods/eviction" in API group "" in the namespace "${ns}"`,
    );
    const put = await call(sim, deploymentPath(d), { method: "PUT", token: "jane-token", body: "{}" });
    assert.match(put.json().message, /cannot update resource "deployments"/);
    assert.ok(sim.store.get("pods", ns, pod.metadata!.name!), "nothing was done");
  });
});
