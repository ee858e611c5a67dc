// Custom resources: the kind a CustomResourceDefinition serves, and its server-side Table built from the CRD's
// additionalPrinterColumns the way apiextensions-apiserver's tableconvertor does it (simple JSONPath, cells typed by
// the column's type, a date column sent as an age, a missing field as null).
import type { KubeObject } from "../kube/objects.ts";
import { humanDuration, parseTime } from "../resources/format.ts";
import type { TableColumnDefinition } from "../resources/index.ts";
import type { KindInfo, PrinterColumn } from "./kinds.ts";

type Json = Record<string, unknown>;

/** ObjectMeta.name's description, which the real server puts on every Table's Name column. */
const nameDescription =
  "Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names";

const creationTimestampDescription =
  "CreationTimestamp is a timestamp representing the server time when this object was created. It is not guaranteed to be set in happens-before order across separate operations. Clients may not set this value. It is represented in RFC3339 form and is in UTC.\n\nPopulated by the system. Read-only. Null for lists. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata";

/** The columns a CRD version without additionalPrinterColumns gets (serveDefaultColumnsIfEmpty). */
const defaultColumns: PrinterColumn[] = [
  { name: "Age", type: "date", description: creationTimestampDescription, jsonPath: ".metadata.creationTimestamp" },
];

/** The kind a CRD serves (its storage version, if served), or undefined for a CRD that serves nothing. */
export function kindFromCrd(crd: KubeObject): KindInfo | undefined {
  const spec = crd.spec as Json | undefined;
  const names = spec?.names as Json | undefined;
  const versions = (spec?.versions as Json[] | undefined) ?? [];
  const v = versions.find((x) => x.storage === true && x.served !== false) ?? versions.find((x) => x.served !== false);
  if (!spec || !names || !v) return undefined;
  const columns = (v.additionalPrinterColumns as PrinterColumn[] | undefined) ?? [];
  const subresources = v.subresources as Json | undefined;
  return {
    resource: String(names.plural),
    kind: String(names.kind),
    group: String(spec.group),
    version: String(v.name),
    namespaced: spec.scope === "Namespaced",
    singular: String(names.singular ?? String(names.kind).toLowerCase()),
    shortNames: (names.shortNames as string[] | undefined) ?? [],
    categories: (names.categories as string[] | undefined) ?? [],
    fields: [],
    subresources: [...(subresources?.status ? ["status"] : []), ...(subresources?.scale ? ["scale"] : [])],
    crd: { name: crd.metadata?.name ?? "", columns: columns.length ? columns : defaultColumns },
  };
}

type Step = { key: string } | { index: number } | { filterKey: string; filterValue: string };

const parsedPaths = new Map<string, Step[] | null>();

/**
 * The steps of a simple JSONPath as CRDs use them: `.spec.size`, `.status.conditions[0].status`,
 * `.status.conditions[?(@.type=="Ready")].status`, `.metadata.labels['app\.kubernetes\.io/name']`. null when the
 * path is beyond that (the column is then always empty).
 */
function parsePath(path: string): Step[] | null {
  const cached = parsedPaths.get(path);
  if (cached !== undefined) return cached;
  const steps: Step[] = [];
  const re = /\.([A-Za-z0-9_-]+)|\[(\d+)\]|\[\?\(@\.([A-Za-z0-9_-]+)\s*==\s*["']([^"']*)["']\)\]|\[['"]([^'"]+)['"]\]/y;
  let i = 0;
  let ok = true;
  while (i < path.length) {
    re.lastIndex = i;
    const m = re.exec(path);
    if (!m) {
      ok = false;
      break;
    }
    if (m[1] !== undefined) steps.push({ key: m[1] });
    else if (m[2] !== undefined) steps.push({ index: Number(m[2]) });
    else if (m[3] !== undefined) steps.push({ filterKey: m[3], filterValue: m[4]! });
    else steps.push({ key: m[5]!.replace(/\\\./g, ".") });
    i = re.lastIndex;
  }
  const out = ok ? steps : null;
  parsedPaths.set(path, out);
  return out;
}

/** The value at a simple JSONPath, or undefined when any step is missing. */
export function evalPath(obj: unknown, path: string): unknown {
  const steps = parsePath(path);
  if (!steps) return undefined;
  let cur: unknown = obj;
  for (const s of steps) {
    if (cur === null || cur === undefined) return undefined;
    if ("key" in s) {
      if (typeof cur !== "object" || Array.isArray(cur)) return undefined;
      cur = (cur as Json)[s.key];
    } else if ("index" in s) {
      if (!Array.isArray(cur)) return undefined;
      cur = cur[s.index];
    } else {
      if (!Array.isArray(cur)) return undefined;
      cur = cur.find((x) => x && typeof x === "object" && String((x as Json)[s.filterKey]) === s.filterValue);
    }
  }
  return cur;
}

/** columnDefinitions of a custom resource's Table: Name, then the CRD's printer columns. */
export function crColumnDefinitions(k: KindInfo): TableColumnDefinition[] {
  const out: TableColumnDefinition[] = [
    { name: "Name", type: "string", format: "name", description: nameDescription, priority: 0 },
  ];
  for (const c of k.crd?.columns ?? []) {
    out.push({
      name: c.name,
      type: c.type,
      format: c.format ?? "",
      description: c.description || `Custom resource definition column (in JSONPath format): ${c.jsonPath}`,
      priority: c.priority ?? 0,
    });
  }
  return out;
}

/** One row's cells. A string column prints whatever is there (jsonpath's text form); the other types keep only a
 * value of their type, and null otherwise (kubectl prints nothing for it). */
export function crCells(k: KindInfo, obj: KubeObject, now: number): (string | number | boolean | null)[] {
  const cells: (string | number | boolean | null)[] = [obj.metadata?.name ?? ""];
  for (const c of k.crd?.columns ?? []) {
    const v = evalPath(obj, c.jsonPath);
    if (v === undefined || v === null) {
      cells.push(null);
      continue;
    }
    switch (c.type) {
      case "string":
        cells.push(typeof v === "object" ? JSON.stringify(v) : String(v));
        break;
      case "integer":
        cells.push(typeof v === "number" ? Math.trunc(v) : null);
        break;
      case "number":
        cells.push(typeof v === "number" ? v : null);
        break;
      case "boolean":
        cells.push(typeof v === "boolean" ? v : null);
        break;
      case "date": {
        if (typeof v !== "string") {
          cells.push(null);
          break;
        }
        const t = parseTime(v);
        cells.push(t === 0 ? "<invalid>" : humanDuration(now - t));
        break;
      }
      default:
        cells.push(null);
    }
  }
  return cells;
}
