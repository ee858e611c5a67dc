// Fills a store with a generated cluster: namespaces, nodes, then each workload with its pods and Service.
import type { KubeObject } from "../kube/objects.ts";
import { ClusterModel } from "./generate.ts";
import type { Store } from "./store.ts";

export interface PopulateOptions {
  pods: number;
  seed: number;
  namespaces?: number;
  nodes?: number;
  now: number;
}

export function isReady(pod: KubeObject): boolean {
  const conds = (pod.status as { conditions?: { type: string; status: string }[] } | undefined)?.conditions ?? [];
  return conds.some((c) => c.type === "Ready" && c.status === "True") && !pod.metadata?.deletionTimestamp;
}

export function populate(store: Store, o: PopulateOptions): ClusterModel {
  const model = new ClusterModel(o.seed, o.now);
  model.plan(o.pods, o.namespaces, o.nodes);
  store.beginBulk();
  for (const ns of model.namespaces) store.create("namespaces", model.namespaceObject(ns));
  const clusterStart = Math.min(...model.namespaces.map((n) => n.createdAt));
  for (const n of model.nodes) store.create("nodes", model.nodeObject(n, clusterStart));
  for (const w of model.workloads) {
    const pods: KubeObject[] = [];
    for (let i = 0; i < w.replicas; i++) pods.push(model.makePod(w, i));
    const ready = pods.filter(isReady).length;
    for (const [resource, obj] of model.workloadObjects(w, ready, pods.length)) store.create(resource, obj);
    if (w.kind === "Deployment" || w.kind === "StatefulSet") store.create("services", model.serviceObject(w));
    for (const p of pods) store.create("pods", p);
    w.cache = undefined;
  }
  store.endBulk();
  // The per-workload serialisation caches only speed up generation; churn rebuilds the few it needs.
  for (const w of model.workloads) w.cache = undefined;
  return model;
}
