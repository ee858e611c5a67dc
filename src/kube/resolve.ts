// kubectl's resource names over discovered kinds: what `kubectl get <name>` would list, and Tab completion for the `:`
// command line.
//
// kubectl (cli-runtime's Builder.mappingFor over client-go's shortcut expander and PriorityRESTMapper) reads a name as
//   1. "resource.version.group" when it has two dots or more ("deployments.v1.apps"),
//   2. else / then "resource.group" ("deploy.apps", "widgets.demo.timoneiro.dev"),
//   3. and at last as a Kind ("Deployment", "deployment.apps").
// For each reading: an exact plural or singular wins over a short name ("pods" is never taken as someone's short
// name); a given group must match exactly, and only if nothing matches is it taken as a group prefix ("hpa.autoscal").
// Several groups serving the same name are ordered by RESTMapper priority: core v1 first, then the server's group
// order. discover() returns kinds in that order, so the first match wins ("events" → core v1 events, not
// events.events.k8s.io).
import type { ApiKind } from "./kinds.ts";

/** The kind `name` means, as kubectl resolves it; undefined when nothing matches. */
export function resolveKind(kinds: readonly ApiKind[], name: string): ApiKind | undefined {
  return resolveKindAll(kinds, name)[0];
}

/**
 * Every kind `name` matches at its best reading, highest priority first: the first is what kubectl uses, the others
 * are what kubectl warns about ("short name "x" could also match lower priority resource y").
 */
export function resolveKindAll(kinds: readonly ApiKind[], name: string): ApiKind[] {
  const wanted = name.trim().toLowerCase();
  if (wanted === "" || wanted.startsWith(".") || wanted.endsWith(".")) return [];
  const parts = wanted.split(".");
  const head = parts[0]!;
  if (parts.length >= 3) {
    // "deployments.v1.apps": the version must be one the group serves the resource in.
    const version = parts[1]!;
    const group = parts.slice(2).join(".");
    const found = byResource(kinds, head, group, version);
    if (found.length > 0) return found.map((kind) => atVersion(kind, version));
  }
  const group = parts.length >= 2 ? parts.slice(1).join(".") : undefined;
  const found = byResource(kinds, head, group, undefined);
  if (found.length > 0) return found;
  return byKind(kinds, head, group);
}

/** By plural, singular or short name, in one group (exact, then as a prefix) or in any group. */
function byResource(
  kinds: readonly ApiKind[],
  name: string,
  group: string | undefined,
  version: string | undefined,
): ApiKind[] {
  const inGroup = (kind: ApiKind, exact: boolean) =>
    (group === undefined || (exact ? kind.group === group : kind.group.startsWith(group))) &&
    (version === undefined || servesVersion(kind, version));
  const named = (kind: ApiKind) => kind.resource === name || kind.singular === name;
  const short = (kind: ApiKind) => kind.shortNames.some((s) => s.toLowerCase() === name);
  for (const exact of group === undefined ? [true] : [true, false]) {
    for (const matches of [named, short]) {
      const found = kinds.filter((kind) => inGroup(kind, exact) && matches(kind));
      if (found.length > 0) return found;
    }
  }
  return [];
}

/** By Kind, case-insensitive ("Deployment", "deployment.apps"); the group must match exactly, as in kubectl. */
function byKind(kinds: readonly ApiKind[], name: string, group: string | undefined): ApiKind[] {
  const found = kinds.filter(
    (kind) => kind.kind.toLowerCase() === name && (group === undefined || kind.group === group),
  );
  if (found.length > 0 || group === undefined) return found;
  // "Deployment.v1.apps": a Kind with version and group.
  const dot = group.indexOf(".");
  if (dot <= 0) return [];
  const version = group.slice(0, dot);
  const rest = group.slice(dot + 1);
  return kinds
    .filter((kind) => kind.kind.toLowerCase() === name && kind.group === rest && servesVersion(kind, version))
    .map((kind) => atVersion(kind, version));
}

function servesVersion(kind: ApiKind, version: string): boolean {
  return kind.version === version || (kind.versions?.includes(version) ?? false);
}

function atVersion(kind: ApiKind, version: string): ApiKind {
  return kind.version === version ? kind : { ...kind, version };
}

/**
 * Names to offer for Tab after `prefix` on the `:` line: plural names and "plural.group" keys that start with it
 * (case-insensitive), each once. The kind that `prefix` itself resolves to ("deploy", "po", "Deployment") comes first
 * as its plain name, then the rest in alphabetical order.
 */
export function completeKindNames(kinds: readonly ApiKind[], prefix: string): string[] {
  const wanted = prefix.trim().toLowerCase();
  const names = new Set<string>();
  for (const kind of kinds) {
    if (kind.resource.startsWith(wanted)) names.add(kind.resource);
    if (kind.key.startsWith(wanted)) names.add(kind.key);
  }
  const sorted = [...names].sort();
  const exact = wanted === "" ? undefined : resolveKind(kinds, wanted);
  if (!exact) return sorted;
  // The name as typed would work: offer it completed the way it resolves, unambiguous (plain when the plain plural
  // resolves to the same kind, else the key).
  const first = resolveKind(kinds, exact.resource)?.key === exact.key ? exact.resource : exact.key;
  return [first, ...sorted.filter((name) => name !== first)];
}
