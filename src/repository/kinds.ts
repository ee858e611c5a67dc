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

/** The ApiKind of a built-in definition, as discovery of a stock cluster describes it. */
export function apiKindOf(def: ResourceDef): ApiKind {
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

/**
 * A kind from a name as typed after `kubectl get`: its key, plural, singular, short name or Kind (case-insensitive),
 * optionally qualified by group ("deployments.apps") or version and group ("deployments.v1.apps"). Like kubectl, an
 * exact plural beats a singular, which beats a short name, which beats a Kind; among equals the earlier kind in
 * `kinds` wins (discovery lists the core group first).
 */
export function resolveKindName(kinds: readonly ApiKind[], name: string): ApiKind | undefined {
  const wanted = name.trim().toLowerCase();
  if (wanted === "") return undefined;
  for (const kind of kinds) if (kind.key === wanted) return kind;
  const passes: ((kind: ApiKind, head: string) => boolean)[] = [
    (kind, head) => kind.resource === head,
    (kind, head) => kind.singular === head,
    (kind, head) => kind.shortNames.some((s) => s.toLowerCase() === head),
    (kind, head) => kind.kind.toLowerCase() === head,
  ];
  for (const matches of passes) {
    for (const kind of kinds) if (matches(kind, wanted)) return kind;
  }
  // Qualified: "<name>.<group>" or "<name>.<version>.<group>"; the name part itself has no dots.
  const dot = wanted.indexOf(".");
  if (dot <= 0) return undefined;
  const head = wanted.slice(0, dot);
  const rest = wanted.slice(dot + 1);
  const qualified = (kind: ApiKind) => rest === kind.group || rest === `${kind.version}.${kind.group}`;
  for (const matches of passes) {
    for (const kind of kinds) if (qualified(kind) && matches(kind, head)) return kind;
  }
  return undefined;
}
