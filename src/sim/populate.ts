// Fills a store with a generated cluster: namespaces, nodes, the cluster-wide and per-namespace objects (extras.ts),
// then each workload with its pods, its Service and what goes with it (Job, PVCs, EndpointSlices, Events, ...).
import { ClusterExtras, type PodInfo } from "./extras.ts";
import { ClusterModel, type PodState, readyState, type Workload } from "./generate.ts";
import { pdbObject } from "./pdb.ts";
import { Rng } from "./prng.ts";
import type { Store } from "./store.ts";

export interface PopulateOptions {
  pods: number;
  seed: number;
  namespaces?: number;
  nodes?: number;
  now: number;
}

/** A generated cluster: the model the churn keeps changing, and the extras it adds Events and statuses to. */
export interface Populated {
  model: ClusterModel;
  extras: ClusterExtras;
}

export function populate(store: Store, o: PopulateOptions): Populated {
  const model = new ClusterModel(o.seed, o.now);
  model.plan(o.pods, o.namespaces, o.nodes);
  const extras = new ClusterExtras(model, o.seed, o.pods);
  const budgeted: { w: Workload; expected: number; ready: number }[] = [];
  store.beginBulk();
  for (const ns of model.namespaces) store.create("namespaces", model.namespaceObject(ns));
  const clusterStart = Math.min(...model.namespaces.map((n) => n.createdAt));
  for (const n of model.nodes) store.create("nodes", model.nodeObject(n, clusterStart));
  // CRDs come before their objects here: creating a CRD is what makes the store serve its kind.
  for (const [resource, obj] of extras.clusterObjects()) store.create(resource, obj);
  for (const w of model.workloads) {
    // The workload is stored before its pods, as in a real cluster, with status counts that match them: their states
    // are drawn first. Each pod is stored as soon as it is made (a short-lived JSON string, not a batch of them).
    const states: PodState[] = [];
    for (let i = 0; i < w.replicas; i++) states.push(model.podState(w));
    const ready = states.filter(readyState).length;
    if (w.kind === "Deployment" && w.replicas >= 2 && budgeted.length < 3) {
      budgeted.push({ w, expected: states.filter((s) => s !== "Terminating").length, ready });
    }
    for (const [resource, obj] of model.workloadObjects(w, ready, states.length)) store.create(resource, obj);
    let serviceName: string | undefined;
    if (w.kind === "Deployment" || w.kind === "StatefulSet") {
      const svc = model.serviceObject(w);
      serviceName = svc.metadata?.name;
      store.create("services", svc);
    }
    const pods: PodInfo[] = [];
    for (let i = 0; i < states.length; i++) {
      const p = model.generatePod(w, i, states[i]);
      store.createSerialised("pods", p);
      pods.push({
        name: p.name,
        uid: p.uid,
        ip: p.fields["status.podIP"] ?? "",
        node: p.fields["spec.nodeName"] ?? "",
        state: states[i]!,
        createdAt: p.createdAt,
      });
    }
    for (const [resource, obj] of extras.workloadObjects(w, pods, serviceName)) store.create(resource, obj);
    // The cache only speeds up making this workload's pods; the churn builds one for each pod it makes.
    w.cache = undefined;
  }
  for (const [resource, obj] of extras.pendingClaim()) store.create(resource, obj);
  // PodDisruptionBudgets over the first few deployments of two pods or more, so that a drain can be shown both going
  // through and blocked: the first asks for every pod to stay (minAvailable = replicas: no eviction allowed), the
  // others allow one pod down. Made last, with their own random numbers, so that the rest of the cluster is the same
  // as without them.
  const pdbRng = new Rng(o.seed ^ 0x9db);
  budgeted.forEach(({ w, expected, ready }, i) => {
    const limit = i === 0 ? { minAvailable: w.replicas } : { maxUnavailable: 1 };
    // minAvailable as a count expects the pods there are; maxUnavailable the controller's scale (pdb.ts usesScale).
    const expectedPods = i === 0 ? expected : w.replicas;
    const desired = i === 0 ? w.replicas : Math.max(0, w.replicas - 1);
    const b = {
      expectedPods,
      currentHealthy: ready,
      desiredHealthy: desired,
      disruptionsAllowed: Math.max(0, ready - desired),
    };
    const selector = { "app.kubernetes.io/name": w.name, "app.kubernetes.io/instance": w.name };
    store.create(
      "poddisruptionbudgets",
      pdbObject(w.namespace, w.name, pdbRng.uuid(), selector, limit, b, w.createdAt),
    );
  });
  store.endBulk();
  model.namesGenerated();
  return { model, extras };
}
