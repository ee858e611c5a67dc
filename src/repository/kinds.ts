// Kinds as the repository knows them before (or without) discovery: the built-in definitions as ApiKinds, and a
// resolver of kubectl-style names over any list of ApiKinds.
import { type ApiKind, kindKey } from "../kube/kinds.ts";
import { builtinKinds } from "../resources/index.ts";
import type { ResourceDef } from "../resources/types.ts";

/** The verbs every built-in kind is served with (what discovery says of them on a stock cluster). */
const STANDARD_VERBS: readonly string[] = [
  "create",
  "delete",
  "deletecollection",
  "get",
  "list",
  "patch",
  "update",
  "watch",
];

/** Subresources of the built-in kinds that actions use, as discovery of a stock cluster lists them. */
const BUILTIN_SUBRESOURCES: Readonly<Record<string, readonly string[]>> = {
  pods: ["attach", "binding", "eviction", "exec", "log", "portforward", "status"],
  "deployments.apps": ["scale", "status"],
  "statefulsets.apps": ["scale", "status"],
  "replicasets.apps": ["scale", "status"],
  replicationcontrollers: ["scale", "status"],
};

/** The ApiKind of a built-in definition, as discovery of a stock cluster describes it. */
export function apiKindOf(def: ResourceDef): ApiKind {
  const subresources = BUILTIN_SUBRESOURCES[kindKey(def.group, def.type)];
  return {
    key: kindKey(def.group, def.type),
    group: def.group,
    version: def.version,
    resource: def.type,
    singular: def.kind.toLowerCase(),
    kind: def.kind,
    namespaced: def.namespaced,
    shortNames: def.shortNames,
    verbs: STANDARD_VERBS,
    categories: [],
    ...(subresources && { subresources }),
  };
}

/** Built-in definitions by kind key ("pods", "deployments.apps"). */
const defsByKey = new Map<string, ResourceDef>(builtinKinds.map((def) => [kindKey(def.group, def.type), def]));

/** The built-in definition of a kind key, if Timoneiro has one. */
export function builtinDefOf(key: string): ResourceDef | undefined {
  return defsByKey.get(key);
}

/** Every built-in kind as an ApiKind, in registry order (core kinds first, as discovery lists them). */
export function builtinApiKinds(): ApiKind[] {
  return sortCoreFirst(builtinKinds.map(apiKindOf));
}

/** Core group first (kubectl's preference when a name is ambiguous), otherwise stable. */
function sortCoreFirst(kinds: ApiKind[]): ApiKind[] {
  return kinds
    .map((kind, i) => ({ kind, i }))
    .sort((a, b) => Number(a.kind.group !== "") - Number(b.kind.group !== "") || a.i - b.i)
    .map(({ kind }) => kind);
}
