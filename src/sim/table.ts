// Server-side Tables (Accept: application/json;as=Table;v=v1;g=meta.k8s.io), with the same columns and cell text
// Timoneiro prints, so kubectl against the simulator prints what it prints against a real cluster.
import type { KubeObject } from "../kube/objects.ts";
import { age, parseTime } from "../resources/format.ts";
import { builtinKind, type TableColumnDefinition, tableCells, tableColumnDefinitions } from "../resources/index.ts";
import { crCells, crColumnDefinitions } from "./crd.ts";
import type { KindInfo } from "./kinds.ts";

export type IncludeObject = "None" | "Metadata" | "Object";

export interface TableRequest {
  group: "meta.k8s.io";
  version: "v1" | "v1beta1";
  includeObject: IncludeObject;
}

export interface TableRow {
  cells: (string | number | boolean | null)[];
  object?: unknown;
}

/** The columns of a kind without a definition in resources/ (yet): Name and Age, enough for kubectl to list it. */
const minimalColumns: TableColumnDefinition[] = [
  {
    name: "Name",
    type: "string",
    format: "name",
    description: "Name must be unique within a namespace.",
    priority: 0,
  },
  { name: "Age", type: "string", format: "", description: "Time since the object was created.", priority: 0 },
];

/** The built-in definition of a kind from resources/ (custom resources and kinds without one have none). */
function defOf(k: KindInfo) {
  return k.crd ? undefined : builtinKind(k.resource);
}

function cellsOf(k: KindInfo, obj: KubeObject, now: number): TableRow["cells"] {
  if (k.crd) return crCells(k, obj, now);
  const def = defOf(k);
  if (def) return tableCells(def, def.toRow(obj), now);
  return [obj.metadata?.name ?? "", age(parseTime(obj.metadata?.creationTimestamp), now)];
}

export function tableRow(k: KindInfo, obj: KubeObject, includeObject: IncludeObject, now: number): TableRow {
  const cells = cellsOf(k, obj, now);
  if (includeObject === "None") return { cells };
  if (includeObject === "Object") return { cells, object: obj };
  return {
    cells,
    object: { kind: "PartialObjectMetadata", apiVersion: `meta.k8s.io/${"v1"}`, metadata: obj.metadata },
  };
}

export function columnDefinitions(k: KindInfo): TableColumnDefinition[] {
  if (k.crd) return crColumnDefinitions(k);
  const def = defOf(k);
  return def ? tableColumnDefinitions(def) : minimalColumns;
}

/** A Table document; `columns: false` leaves columnDefinitions null, as watch events after the first do. */
export function tableJson(
  k: KindInfo,
  t: TableRequest,
  listMeta: Record<string, unknown>,
  rows: TableRow[],
  columns = true,
): string {
  const apiVersion = `meta.k8s.io/${t.version}`;
  for (const r of rows) {
    const o = r.object as { kind?: string; apiVersion?: string } | undefined;
    if (o?.kind === "PartialObjectMetadata") o.apiVersion = apiVersion;
  }
  return JSON.stringify({
    kind: "Table",
    apiVersion,
    metadata: listMeta,
    columnDefinitions: columns ? columnDefinitions(k) : null,
    rows,
  });
}

/** Parses the Accept header the way kube-apiserver negotiates: the first acceptable media type wins. */
export function negotiate(accept: string | undefined): { table?: TableRequest; discoveryV2?: boolean; json: boolean } {
  if (!accept) return { json: true };
  for (const part of accept.split(",")) {
    const [type, ...params] = part
      .trim()
      .split(";")
      .map((s) => s.trim());
    const p = new Map(params.map((kv) => kv.split("=") as [string, string]));
    if (type !== "application/json" && type !== "*/*" && type !== "application/*") continue;
    const as = p.get("as");
    if (!as) return { json: true };
    if (as === "Table" && p.get("g") === "meta.k8s.io" && (p.get("v") === "v1" || p.get("v") === "v1beta1")) {
      return {
        json: true,
        table: { group: "meta.k8s.io", version: p.get("v") as "v1" | "v1beta1", includeObject: "Metadata" },
      };
    }
    if (as === "APIGroupDiscoveryList" && p.get("g") === "apidiscovery.k8s.io" && p.get("v") === "v2") {
      return { json: true, discoveryV2: true };
    }
  }
  return { json: false };
}
