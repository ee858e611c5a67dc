// Discovery documents: the legacy per-group-version form and the aggregated (apidiscovery.k8s.io/v2) form kubectl 1.32
// asks for first.
import type { KindInfo } from "./kinds.ts";

const verbs = ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"];
const namespaceVerbs = ["create", "delete", "get", "list", "patch", "update", "watch"];

function verbsOf(k: KindInfo): string[] {
  // The metrics API (an aggregated APIService) serves get and list only: no watch, no writes.
  if (k.group === "metrics.k8s.io") return ["get", "list"];
  return k.resource === "namespaces" ? namespaceVerbs : verbs;
}

/** What kube-apiserver's discovery says of each subresource: its kind (when not the parent's) and its verbs. */
const SUBRESOURCE_KINDS: Record<string, string> = {
  scale: "Scale",
  eviction: "Eviction",
  exec: "PodExecOptions",
  attach: "PodAttachOptions",
  portforward: "PodPortForwardOptions",
  binding: "Binding",
};
const SUBRESOURCE_VERBS: Record<string, string[]> = {
  status: ["get", "patch", "update"],
  scale: ["get", "patch", "update"],
  eviction: ["create"],
  binding: ["create"],
  exec: ["create", "get"],
  attach: ["create", "get"],
  portforward: ["create", "get"],
};

function subresources(k: KindInfo): string[] {
  if (k.subresources) return k.subresources;
  if (k.resource === "pods") return ["status", "log", "exec", "attach", "portforward", "binding", "eviction"];
  if (["deployments", "replicasets", "statefulsets"].includes(k.resource)) return ["status", "scale"];
  return ["status"];
}

/** The served kinds grouped by group/version, in the order the kinds come (built-ins first, then CRDs'). */
export function groupVersions(kinds: Iterable<KindInfo>): { group: string; version: string; kinds: KindInfo[] }[] {
  const out = new Map<string, { group: string; version: string; kinds: KindInfo[] }>();
  for (const k of kinds) {
    const key = `${k.group}/${k.version}`;
    let gv = out.get(key);
    if (!gv) {
      gv = { group: k.group, version: k.version, kinds: [] };
      out.set(key, gv);
    }
    gv.kinds.push(k);
  }
  return [...out.values()];
}

export function apiVersions(serverAddress: string): unknown {
  return {
    kind: "APIVersions",
    versions: ["v1"],
    serverAddressByClientCIDRs: [{ clientCIDR: "0.0.0.0/0", serverAddress }],
  };
}

function apiGroup(group: string, version: string): unknown {
  const gv = { groupVersion: `${group}/${version}`, version };
  return { name: group, versions: [gv], preferredVersion: gv };
}

export function apiGroupList(kinds: Iterable<KindInfo>): unknown {
  return {
    kind: "APIGroupList",
    apiVersion: "v1",
    groups: groupVersions(kinds)
      .filter((g) => g.group !== "")
      .map((g) => apiGroup(g.group, g.version)),
  };
}

export function apiGroupDoc(kinds: Iterable<KindInfo>, group: string): unknown | undefined {
  const gv = groupVersions(kinds).find((g) => g.group === group && group !== "");
  return gv ? { kind: "APIGroup", apiVersion: "v1", ...(apiGroup(gv.group, gv.version) as object) } : undefined;
}

export function apiResourceList(kinds: Iterable<KindInfo>, group: string, version: string): unknown | undefined {
  const gv = groupVersions(kinds).find((g) => g.group === group && g.version === version);
  if (!gv) return undefined;
  const resources: unknown[] = [];
  for (const k of gv.kinds) {
    resources.push({
      name: k.resource,
      singularName: k.singular,
      namespaced: k.namespaced,
      kind: k.kind,
      verbs: verbsOf(k),
      ...(k.shortNames.length ? { shortNames: k.shortNames } : {}),
      ...(k.categories.length ? { categories: k.categories } : {}),
    });
    for (const sub of subresources(k)) {
      resources.push({
        name: `${k.resource}/${sub}`,
        singularName: "",
        namespaced: k.namespaced,
        // A subresource of another group's kind says which (kubectl drain looks for pods/eviction's policy/v1 here).
        ...(sub === "scale" ? { group: "autoscaling", version: "v1" } : {}),
        ...(sub === "eviction" ? { group: "policy", version: "v1" } : {}),
        kind: SUBRESOURCE_KINDS[sub] ?? k.kind,
        verbs: SUBRESOURCE_VERBS[sub] ?? ["get"],
      });
    }
  }
  return group === ""
    ? { kind: "APIResourceList", groupVersion: version, resources }
    : { kind: "APIResourceList", apiVersion: "v1", groupVersion: `${group}/${version}`, resources };
}

function discoveryResource(k: KindInfo): unknown {
  return {
    resource: k.resource,
    responseKind: { group: k.group, version: k.version, kind: k.kind },
    scope: k.namespaced ? "Namespaced" : "Cluster",
    singularResource: k.singular,
    verbs: verbsOf(k),
    ...(k.shortNames.length ? { shortNames: k.shortNames } : {}),
    ...(k.categories.length ? { categories: k.categories } : {}),
    subresources: subresources(k).map((sub) => ({
      subresource: sub,
      responseKind: {
        group: sub === "scale" ? "autoscaling" : sub === "eviction" ? "policy" : k.group,
        version: "v1",
        kind: sub === "scale" ? "Scale" : sub === "eviction" ? "Eviction" : k.kind,
      },
      verbs:
        sub === "status" || sub === "scale" ? ["get", "patch", "update"] : sub === "eviction" ? ["create"] : ["get"],
    })),
  };
}

/** Aggregated discovery for /api (legacy: true) or /apis. */
export function aggregatedDiscovery(kinds: Iterable<KindInfo>, legacy: boolean): unknown {
  const items = groupVersions(kinds)
    .filter((g) => (g.group === "") === legacy)
    .map((g) => ({
      metadata: legacy ? { creationTimestamp: null } : { name: g.group, creationTimestamp: null },
      versions: [{ version: g.version, resources: g.kinds.map(discoveryResource), freshness: "Current" }],
    }));
  return { kind: "APIGroupDiscoveryList", apiVersion: "apidiscovery.k8s.io/v2", metadata: {}, items };
}

export const discoveryV2ContentType = "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList";
