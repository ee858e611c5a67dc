// A kind as the server's discovery describes it. The data layer keys informers by it; the registry of built-in
// definitions (resources/) and the `:` command line resolve names to it.

/** One resource the server serves, from discovery (aggregated v2 or the legacy per-group documents). */
export interface ApiKind {
  /** "resource" for the core group, else "resource.group" ("pods", "deployments.apps", "widgets.example.com"). */
  key: string;
  group: string; // "" for core
  /** The version used for requests: the group's preferred version. */
  version: string;
  resource: string; // plural, lower-case: "deployments"
  singular: string; // "deployment"
  kind: string; // "Deployment"
  namespaced: boolean;
  shortNames: readonly string[];
  verbs: readonly string[];
  categories: readonly string[];
  /**
   * Every version of the group that serves this resource, preferred first (from discovery; `version` is the first).
   * Lets "deployments.v1beta1.apps" name a version that is not the preferred one.
   */
  versions?: readonly string[];
  /** Subresources the server serves for it ("scale", "status", "log", "exec"), when discovery said. */
  subresources?: readonly string[];
}

/** The key of a group and resource: "pods", "deployments.apps". */
export function kindKey(group: string, resource: string): string {
  return group === "" ? resource : `${resource}.${group}`;
}

/** API path prefix of a kind: `/api/v1` or `/apis/apps/v1`. */
export function apiPrefixOf(kind: Pick<ApiKind, "group" | "version">): string {
  return kind.group === "" ? `/api/${kind.version}` : `/apis/${kind.group}/${kind.version}`;
}

/** Collection path of a kind, cluster-wide (namespace undefined) or in one namespace. */
export function collectionPathOf(
  kind: Pick<ApiKind, "group" | "version" | "resource" | "namespaced">,
  namespace: string | undefined,
): string {
  const prefix = apiPrefixOf(kind);
  return kind.namespaced && namespace
    ? `${prefix}/namespaces/${encodeURIComponent(namespace)}/${kind.resource}`
    : `${prefix}/${kind.resource}`;
}
