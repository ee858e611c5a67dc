// The kinds the simulator serves, described the way discovery and storage need them. Field selectors per kind are the
// ones kube-apiserver's registry exposes (pod.GetAttrs, node.GetAttrs, ...); anything else is a 400 like the real one.
import type { KubeObject } from "../kube/objects.ts";

export interface KindInfo {
  resource: string; // "pods"
  kind: string; // "Pod"
  group: string; // "" for core
  version: string;
  namespaced: boolean;
  singular: string;
  shortNames: string[];
  categories: string[];
  /** Field selector labels this kind supports beyond metadata.name/metadata.namespace. */
  fields: string[];
}

const all = ["all"];

export const kinds: KindInfo[] = [
  {
    resource: "pods",
    kind: "Pod",
    group: "",
    version: "v1",
    namespaced: true,
    singular: "pod",
    shortNames: ["po"],
    categories: all,
    fields: [
      "spec.nodeName",
      "spec.restartPolicy",
      "spec.schedulerName",
      "spec.serviceAccountName",
      "spec.hostNetwork",
      "status.phase",
      "status.podIP",
      "status.nominatedNodeName",
    ],
  },
  {
    resource: "namespaces",
    kind: "Namespace",
    group: "",
    version: "v1",
    namespaced: false,
    singular: "namespace",
    shortNames: ["ns"],
    categories: [],
    fields: ["status.phase"],
  },
  {
    resource: "nodes",
    kind: "Node",
    group: "",
    version: "v1",
    namespaced: false,
    singular: "node",
    shortNames: ["no"],
    categories: [],
    fields: ["spec.unschedulable"],
  },
  {
    resource: "services",
    kind: "Service",
    group: "",
    version: "v1",
    namespaced: true,
    singular: "service",
    shortNames: ["svc"],
    categories: all,
    fields: [],
  },
  {
    resource: "deployments",
    kind: "Deployment",
    group: "apps",
    version: "v1",
    namespaced: true,
    singular: "deployment",
    shortNames: ["deploy"],
    categories: all,
    fields: [],
  },
  {
    resource: "replicasets",
    kind: "ReplicaSet",
    group: "apps",
    version: "v1",
    namespaced: true,
    singular: "replicaset",
    shortNames: ["rs"],
    categories: all,
    fields: ["status.replicas"],
  },
  {
    resource: "statefulsets",
    kind: "StatefulSet",
    group: "apps",
    version: "v1",
    namespaced: true,
    singular: "statefulset",
    shortNames: ["sts"],
    categories: all,
    fields: [],
  },
  {
    resource: "daemonsets",
    kind: "DaemonSet",
    group: "apps",
    version: "v1",
    namespaced: true,
    singular: "daemonset",
    shortNames: ["ds"],
    categories: all,
    fields: [],
  },
];

export const kindByResource = new Map(kinds.map((k) => [k.resource, k]));

export function apiVersionOf(k: KindInfo): string {
  return k.group === "" ? k.version : `${k.group}/${k.version}`;
}

/** "pods" or "deployments.apps": how errors name a resource (schema.GroupResource.String()). */
export function qualifiedResource(k: KindInfo): string {
  return k.group === "" ? k.resource : `${k.resource}.${k.group}`;
}

const splitPaths = new Map<string, string[]>();

function path(obj: KubeObject, dotted: string): string {
  let parts = splitPaths.get(dotted);
  if (!parts) {
    parts = dotted.split(".");
    splitPaths.set(dotted, parts);
  }
  let cur: unknown = obj;
  for (const part of parts) {
    if (cur === null || typeof cur !== "object") return "";
    cur = (cur as Record<string, unknown>)[part];
  }
  if (cur === undefined || cur === null) return "";
  return String(cur);
}

/** The selectable field values of an object, as the watch cache keeps them (metadata.* plus the kind's own). */
export function fieldsOf(k: KindInfo, obj: KubeObject): Record<string, string> {
  const out: Record<string, string> = {
    "metadata.name": obj.metadata?.name ?? "",
    "metadata.namespace": k.namespaced ? (obj.metadata?.namespace ?? "") : "",
  };
  for (const f of k.fields) {
    // Go formats bools as "true"/"false" and a missing spec.hostNetwork/unschedulable as "false".
    const v = path(obj, f);
    out[f] = v === "" && (f === "spec.hostNetwork" || f === "spec.unschedulable") ? "false" : v;
  }
  return out;
}
