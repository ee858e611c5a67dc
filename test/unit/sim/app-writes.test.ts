// The app's own write requests (app/actions.ts, sent by kube/write.ts) against the simulator: what the demo's actions
// do. Capabilities from the simulator's discovery, then scale, restart, cordon, suspend, trigger, drain's eviction
// refused by a PodDisruptionBudget, kill, delete in the foreground, and a refusal worded for the verb.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import {
  capabilitiesOf,
  cordonRequest,
  deleteRequest,
  evictionRequest,
  killRequest,
  restartRequest,
  scaleRequest,
  suspendRequest,
  triggerRequest,
} from "../../../src/app/actions.ts";
import { discover } from "../../../src/kube/discovery.ts";
import { KubeError } from "../../../src/kube/errors.ts";
import type { ApiKind } from "../../../src/kube/kinds.ts";
import type { KubeObject } from "../../../src/kube/objects.ts";
import type { BaseRow } from "../../../src/kube/row.ts";
import { Transport } from "../../../src/kube/transport.ts";
import { write } from "../../../src/kube/write.ts";
import { type SimServer, startSimServer } from "../../../src/sim/index.ts";

type Json = Record<string, unknown>;

let sim: SimServer;
let transport: Transport;
let kinds: Map<string, ApiKind>;

function transportFor(token: string): Transport {
  return new Transport({
    server: sim.url,
    credentials: () => ({ ca: sim.caPem || undefined, headers: { Authorization: `Bearer ${token}` } }),
    connectTimeoutMs: 5_000,
  });
}

before(async () => {
  sim = await startSimServer({
    pods: 300,
    seed: 41,
    nodes: 3,
    deleteGraceMs: 200,
    users: [{ name: "viewer", token: "viewer-token", deny: ["delete:pods", "patch:deployments/scale"] }],
  });
  transport = transportFor(sim.token);
  kinds = new Map((await discover(transport)).kinds.map((k) => [k.key, k]));
});

after(async () => {
  transport.close();
  await sim.stop();
});

const kind = (key: string) => {
  const k = kinds.get(key);
  assert.ok(k, key);
  return k;
};
const rowOf = (o: KubeObject): BaseRow => ({
  namespace: o.metadata!.namespace ?? "",
  name: o.metadata!.name!,
  uid: o.metadata!.uid!,
  createdAt: Date.parse(o.metadata!.creationTimestamp!),
});
const specOf = (o: KubeObject) => (o.spec ?? {}) as Json;
const statusOf = (o: KubeObject) => (o.status ?? {}) as Json;
const ownedBy = (o: KubeObject, uid: string) =>
  ((o.metadata as Json).ownerReferences as { uid: string }[] | undefined)?.some((r) => r.uid === uid) ?? false;

async function waitFor<T>(what: string, fn: () => T | undefined | false, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const used = new Set<string>();
function deployment(): KubeObject {
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

test("the simulator's discovery gives the app every action it offers", () => {
  assert.deepEqual(capabilitiesOf(kind("deployments.apps")), {
    delete: true,
    edit: true,
    scale: true,
    restart: true,
    kill: false,
    cordon: false,
    trigger: false,
  });
  assert.equal(capabilitiesOf(kind("pods")).kill, true);
  assert.equal(capabilitiesOf(kind("nodes")).cordon, true);
  assert.equal(capabilitiesOf(kind("cronjobs.batch")).trigger, true);
  assert.equal(capabilitiesOf(kind("statefulsets.apps")).scale, true);
  assert.equal(capabilitiesOf(kind("daemonsets.apps")).scale, false);
  assert.ok(kinds.has("poddisruptionbudgets.policy"));
});

test("scale and restart: the pods follow, a new ReplicaSet rolls", async () => {
  const d = deployment();
  const deploy = kind("deployments.apps");
  const want = Number(specOf(d).replicas) + 1;
  const scale = (await write(transport, scaleRequest(deploy, rowOf(d), want))) as Json;
  assert.equal((scale.spec as Json).replicas, want);
  await waitFor("the deployment at its new size", () => {
    const st = statusOf(sim.store.get("deployments", d.metadata!.namespace!, d.metadata!.name!)!);
    return st.replicas === want && st.updatedReplicas === want;
  });
  await write(transport, restartRequest(deploy, rowOf(d), Date.now()));
  await waitFor("the restart rolled out", () => {
    const sets = sim.store.list("replicasets", d.metadata!.namespace).filter((r) => ownedBy(r, d.metadata!.uid!));
    const st = statusOf(sim.store.get("deployments", d.metadata!.namespace!, d.metadata!.name!)!);
    const progressing = (st.conditions as Json[]).find((c) => c.type === "Progressing");
    return sets.length === 2 && progressing?.reason === "NewReplicaSetAvailable" && st.updatedReplicas === want;
  });
});

test("cordon and uncordon a node; suspend and trigger a CronJob (its Job completes)", async () => {
  const node = sim.store.list("nodes")[0]!;
  await write(transport, cordonRequest(kind("nodes"), rowOf(node), true));
  assert.equal(specOf(sim.store.get("nodes", "", node.metadata!.name!)!).unschedulable, true);
  await write(transport, cordonRequest(kind("nodes"), rowOf(node), false));
  assert.equal(specOf(sim.store.get("nodes", "", node.metadata!.name!)!).unschedulable, undefined);

  const cj = sim.store.list("cronjobs")[0]!;
  await write(transport, suspendRequest(kind("cronjobs.batch"), rowOf(cj), true));
  assert.equal(specOf(sim.store.get("cronjobs", cj.metadata!.namespace!, cj.metadata!.name!)!).suspend, true);
  const job = (await write(transport, triggerRequest(cj, "x7k2p"))) as KubeObject;
  assert.equal(job.metadata!.name, `${cj.metadata!.name!.slice(0, 63 - 5 - 8)}-manual-x7k2p`);
  await waitFor("the triggered job Complete", () => {
    const j = sim.store.get("jobs", cj.metadata!.namespace!, job.metadata!.name!);
    return j && ((statusOf(j).conditions as Json[] | undefined) ?? []).some((c) => c.type === "Complete");
  });
});

test("drain's eviction is refused by a PodDisruptionBudget with the server's words", async () => {
  const pdb = sim.store.list("poddisruptionbudgets").find((p) => specOf(p).minAvailable !== undefined)!;
  const labels = ((specOf(pdb).selector as Json).matchLabels ?? {}) as Record<string, string>;
  const pod = sim.store
    .list("pods", pdb.metadata!.namespace)
    .find((p) => Object.entries(labels).every(([k, v]) => (p.metadata!.labels as Json)[k] === v))!;
  await assert.rejects(write(transport, evictionRequest(rowOf(pod))), (e: unknown) => {
    assert.ok(e instanceof KubeError);
    assert.equal(e.status, 429);
    assert.match(e.message, /Cannot evict pod as it would violate the pod's disruption budget\./);
    return true;
  });
  assert.ok(sim.store.get("pods", pod.metadata!.namespace!, pod.metadata!.name!));
});

test("kill removes a pod at once and its ReplicaSet replaces it; delete in the foreground keeps the owner a moment", async () => {
  const d = deployment();
  const rs = sim.store.list("replicasets", d.metadata!.namespace).find((r) => ownedBy(r, d.metadata!.uid!))!;
  const victim = sim.store.list("pods", d.metadata!.namespace).find((p) => ownedBy(p, rs.metadata!.uid!))!;
  await write(transport, killRequest(kind("pods"), rowOf(victim)));
  assert.equal(sim.store.get("pods", victim.metadata!.namespace!, victim.metadata!.name!), undefined);
  await waitFor("a replacement", () => {
    const pods = sim.store.list("pods", d.metadata!.namespace).filter((p) => ownedBy(p, rs.metadata!.uid!));
    return pods.length === Number(specOf(rs).replicas);
  });
  const kept = (await write(
    transport,
    deleteRequest(kind("deployments.apps"), rowOf(d), { propagation: "foreground", force: false }),
  )) as KubeObject;
  assert.ok(kept.metadata?.deletionTimestamp);
  assert.deepEqual((kept.metadata as Json).finalizers, ["foregroundDeletion"]);
  await waitFor("the deployment and its pods gone", () => {
    const pods = sim.store.list("pods", d.metadata!.namespace).filter((p) => ownedBy(p, rs.metadata!.uid!));
    return !sim.store.get("deployments", d.metadata!.namespace!, d.metadata!.name!) && pods.length === 0;
  });
});

test("a user's refused write is worded for its verb", async () => {
  const viewer = transportFor("viewer-token");
  try {
    const pod = sim.store.list("pods").find((p) => !p.metadata?.deletionTimestamp)!;
    await assert.rejects(write(viewer, killRequest(kind("pods"), rowOf(pod))), (e: unknown) => {
      assert.ok(e instanceof KubeError);
      assert.equal(e.status, 403);
      assert.equal(e.message, `forbidden: cannot delete pods in namespace ${pod.metadata!.namespace}`);
      return true;
    });
    const d = deployment();
    await assert.rejects(write(viewer, scaleRequest(kind("deployments.apps"), rowOf(d), 1)), /forbidden/);
    assert.ok(sim.store.get("pods", pod.metadata!.namespace!, pod.metadata!.name!), "not deleted");
  } finally {
    viewer.close();
  }
});
