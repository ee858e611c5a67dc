// A resource kind as Timoneiro knows it: where it lives in the API, how an API object becomes a compact row
// (the transform at ingest: the cache keeps rows, never whole objects), and how rows print as kubectl prints them.
import type { KubeObject } from "../kube/objects.ts";
import type { ListSource } from "../kube/reflector.ts";
import type { BaseRow } from "../kube/row.ts";

export type { BaseRow };

/**
 * A kind's resource name as the API spells it in paths (plural, lower-case: "pods", "cronjobs"). Built-in kinds are
 * registered under it in resources/index.ts; any other kind the server serves is found through discovery.
 */
export type ResourceType = string;

export interface Column<Row> {
  /** Header as kubectl prints it, e.g. "READY". */
  name: string;
  /** 0 = shown by `kubectl get`, 1 = only with `-o wide` (also the server-side Table priority). */
  priority: 0 | 1;
  /** The cell text exactly as kubectl prints it; `now` is epoch ms (AGE and "(5m ago)" depend on it). */
  cell(row: Row, now: number): string;
  /** Column name in the server-side Table ("Up-to-date", "Nominated Node"); kubectl prints it upper-cased. */
  title?: string;
  /** Server-side Table column type (kube-apiserver's printers.go); "string" when omitted. */
  type?: "string" | "integer" | "number" | "boolean" | "date";
  /** The server-side Table cell is a JSON number (printers.go appends an int64), even where `type` says string. */
  numeric?: boolean;
  /** Server-side Table column description. */
  description?: string;
}

export interface ResourceDef<Row extends BaseRow = BaseRow> {
  type: ResourceType;
  kind: string; // "Pod"
  group: string; // "" for core
  version: string; // "v1"
  namespaced: boolean;
  /** Short names kubectl accepts (`po`, `deploy`), used by the `:` command line too. */
  shortNames: string[];
  /** Columns after NAMESPACE/NAME, in kubectl's order (NAME is always first and printed by the caller). */
  columns: Column<Row>[];
  /** Transform at ingest: keep only what screens and printing need. Must not retain `obj` or its sub-objects. */
  toRow(obj: KubeObject): Row;
  /** The NAME cell when it is more than the name (a storage class's "gp3 (default)"). */
  nameCell?(row: Row): string;
  /** Where kubectl prints NAME: first (default), or last and only with `-o wide` (events). */
  namePosition?: "first" | "wide-last";
}

/** API path prefix of a kind: `/api/v1` or `/apis/apps/v1`. */
export function apiPrefix(def: Pick<ResourceDef, "group" | "version">): string {
  return def.group === "" ? `/api/${def.version}` : `/apis/${def.group}/${def.version}`;
}

/** Collection path, cluster-wide or in one namespace. */
export function collectionPath(
  def: Pick<ResourceDef, "group" | "version" | "namespaced" | "type">,
  namespace?: string,
): string {
  const prefix = apiPrefix(def);
  return def.namespaced && namespace
    ? `${prefix}/namespaces/${encodeURIComponent(namespace)}/${def.type}`
    : `${prefix}/${def.type}`;
}

/** What the data layer's reflector needs of a kind: its name, its collection path and its transform. */
export function listSourceOf<Row extends BaseRow>(def: ResourceDef<Row>): ListSource<Row> {
  return {
    name: def.group === "" ? def.type : `${def.type}.${def.group}`,
    path: (namespace) => collectionPath(def, namespace),
    toRow: def.toRow,
  };
}
