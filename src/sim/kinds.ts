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
  /** Subresources discovery lists (["status"] when omitted). */
  subresources?: string[];
  /** Set for a custom resource: the CRD it comes from and the Table columns it declares. */
  crd?: CrdInfo;
}

/** What a custom resource's kind keeps of its CustomResourceDefinition. */
export interface CrdInfo {
  /** The CRD's name, `<plural>.<group>`: also the resource's key in the store. */
  name: string;
  columns: PrinterColumn[];
}

/** One of a CRD version's additionalPrinterColumns. */
export interface PrinterColumn {
  name: string;
  type: string;
  format?: string;
  description?: string;
  priority?: number;
  jsonPath: string;
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
  {
    resource: "configmaps",
    kind: "ConfigMap",
    group: "",
    version: "v1",
    namespaced: true,
    singular: "configmap",
    shortNames: ["cm"],
    categories: [],
    fields: [],
    subresources: [],
  },
  {
    resource: "secrets",
    kind: "Secret",
    group: "",
    version: "v1",
    namespaced: true,
    singular: "secret",
    shortNames: [],
    categories: [],
    fields: ["type"],
    subresources: [],
  },
  {
    resource: "serviceaccounts",
    kind: "ServiceAccount",
    group: "",
    version: "v1",
    namespaced: true,
    singular: "serviceaccount",
    shortNames: ["sa"],
    categories: [],
    fields: [],
    subresources: [],
  },
  {
    resource: "persistentvolumeclaims",
    kind: "PersistentVolumeClaim",
    group: "",
    version: "v1",
    namespaced: true,
    singular: "persistentvolumeclaim",
    shortNames: ["pvc"],
    categories: [],
    fields: [],
  },
  {
    resource: "persistentvolumes",
    kind: "PersistentVolume",
    group: "",
    version: "v1",
    namespaced: false,
    singular: "persistentvolume",
    shortNames: ["pv"],
    categories: [],
    fields: [],
  },
  {
    resource: "events",
    kind: "Event",
    group: "",
    version: "v1",
    namespaced: true,
    singular: "event",
    shortNames: ["ev"],
    categories: [],
    // The core Event's field labels (event.GetAttrs); "source" is source.component.
    fields: [
      "involvedObject.kind",
      "involvedObject.namespace",
      "involvedObject.name",
      "involvedObject.uid",
      "involvedObject.apiVersion",
      "involvedObject.resourceVersion",
      "involvedObject.fieldPath",
      "reason",
      "reportingComponent",
      "source",
      "type",
    ],
    subresources: [],
  },
  {
    resource: "jobs",
    kind: "Job",
    group: "batch",
    version: "v1",
    namespaced: true,
    singular: "job",
    shortNames: [],
    categories: all,
    fields: ["status.successful"],
  },
  {
    resource: "cronjobs",
    kind: "CronJob",
    group: "batch",
    version: "v1",
    namespaced: true,
    singular: "cronjob",
    shortNames: ["cj"],
    categories: all,
    fields: [],
  },
  {
    resource: "horizontalpodautoscalers",
    kind: "HorizontalPodAutoscaler",
    group: "autoscaling",
    version: "v2",
    namespaced: true,
    singular: "horizontalpodautoscaler",
    shortNames: ["hpa"],
    categories: all,
    fields: [],
  },
  {
    resource: "ingresses",
    kind: "Ingress",
    group: "networking.k8s.io",
    version: "v1",
    namespaced: true,
    singular: "ingress",
    shortNames: ["ing"],
    categories: [],
    fields: [],
  },
  {
    resource: "networkpolicies",
    kind: "NetworkPolicy",
    group: "networking.k8s.io",
    version: "v1",
    namespaced: true,
    singular: "networkpolicy",
    shortNames: ["netpol"],
    categories: [],
    fields: [],
    subresources: [],
  },
  {
    resource: "poddisruptionbudgets",
    kind: "PodDisruptionBudget",
    group: "policy",
    version: "v1",
    namespaced: true,
    singular: "poddisruptionbudget",
    shortNames: ["pdb"],
    categories: [],
    fields: [],
  },
  {
    resource: "endpointslices",
    kind: "EndpointSlice",
    group: "discovery.k8s.io",
    version: "v1",
    namespaced: true,
    singular: "endpointslice",
    shortNames: [],
    categories: [],
    fields: [],
    subresources: [],
  },
  {
    resource: "roles",
    kind: "Role",
    group: "rbac.authorization.k8s.io",
    version: "v1",
    namespaced: true,
    singular: "role",
    shortNames: [],
    categories: [],
    fields: [],
    subresources: [],
  },
  {
    resource: "rolebindings",
    kind: "RoleBinding",
    group: "rbac.authorization.k8s.io",
    version: "v1",
    namespaced: true,
    singular: "rolebinding",
    shortNames: [],
    categories: [],
    fields: [],
    subresources: [],
  },
  {
    resource: "clusterroles",
    kind: "ClusterRole",
    group: "rbac.authorization.k8s.io",
    version: "v1",
    namespaced: false,
    singular: "clusterrole",
    shortNames: [],
    categories: [],
    fields: [],
    subresources: [],
  },
  {
    resource: "clusterrolebindings",
    kind: "ClusterRoleBinding",
    group: "rbac.authorization.k8s.io",
    version: "v1",
    namespaced: false,
    singular: "clusterrolebinding",
    shortNames: [],
    categories: [],
    fields: [],
    subresources: [],
  },
  {
    resource: "storageclasses",
    kind: "StorageClass",
    group: "storage.k8s.io",
    version: "v1",
    namespaced: false,
    singular: "storageclass",
    shortNames: ["sc"],
    categories: [],
    fields: [],
    subresources: [],
  },
  {
    resource: "customresourcedefinitions",
    kind: "CustomResourceDefinition",
    group: "apiextensions.k8s.io",
    version: "v1",
    namespaced: false,
    singular: "customresourcedefinition",
    shortNames: ["crd", "crds"],
    categories: ["api-extensions"],
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

/** Where a kind keeps its objects in the store: the resource for built-ins, `<plural>.<group>` (the CRD's name) for
 * custom resources, so that a CRD's plural can never shadow a built-in. */
export function storeKeyOf(k: KindInfo): string {
  return k.crd ? k.crd.name : k.resource;
}

/** Field labels whose value lives at another path than their name. */
const fieldPaths: Record<string, string> = { source: "source.component" };

/** The selectable field values of an object, as the watch cache keeps them (metadata.* plus the kind's own). */
export function fieldsOf(k: KindInfo, obj: KubeObject): Record<string, string> {
  const out: Record<string, string> = {
    "metadata.name": obj.metadata?.name ?? "",
    "metadata.namespace": k.namespaced ? (obj.metadata?.namespace ?? "") : "",
  };
  for (const f of k.fields) {
    // Go formats bools as "true"/"false" and a missing spec.hostNetwork/unschedulable as "false".
    const v = path(obj, fieldPaths[f] ?? f);
    out[f] = v === "" && (f === "spec.hostNetwork" || f === "spec.unschedulable") ? "false" : v;
  }
  return out;
}
