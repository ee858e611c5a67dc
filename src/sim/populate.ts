// Fills a store with a generated cluster: namespaces, nodes, then each workload with its pods and Service.
import { ClusterModel, type PodState, readyState } from "./generate.ts";
import type { Store } from "./store.ts";

export interface PopulateOptions {
  pods: number;
  seed: number;
  namespaces?: number;
  nodes?: number;
  now: number;
}

export function populate(store: Store, o: PopulateOptions): ClusterModel {
  const model = new ClusterModel(o.seed, o.now);
  model.plan(o.pods, o.namespaces, o.nodes);
  store.beginBulk();
  for (const ns of model.namespaces) store.create("namespaces", model.namespaceObject(ns));
  const clusterStart = Math.min(...model.namespaces.map((n) => n.createdAt));
  for (const n of model.nodes) store.create("nodes", model.nodeObject(n, clusterStart));
  for (const w of model.workloads) {
    // The workload is stored before its pods, as in a real cluster, with status counts that match them: their states
    // are drawn first. Each pod is stored as soon as it is made (a short-lived JSON string, not a batch of them).
    const states: PodState[] = [];
    for (let i = 0; i < w.replicas; i++) states.push(model.podState(w));
    const ready = states.filter(readyState).length;
    for (const [resource, obj] of model.workloadObjects(w, ready, states.length)) store.create(resource, obj);
    if (w.kind === "Deployment" || w.kind === "StatefulSet") store.create("services", model.serviceObject(w));
    for (let i = 0; i < states.length; i++) store.createSerialised("pods", model.generatePod(w, i, states[i]));
    // The cache only speeds up making this workload's pods; churn rebuilds the few it needs.
    w.cache = undefined;
  }
  store.endBulk();
  return model;
}
