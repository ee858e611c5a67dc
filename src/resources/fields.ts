// Small readers shared by the kinds: pull primitive values out of API JSON (never sub-objects, so rows do not keep the
// parsed object alive) and format label maps and selectors the way kube-apiserver's printers do.
import type { KubeObject } from "../kube/objects.ts";
import { parseTime } from "./format.ts";
import type { BaseRow } from "./types.ts";

/** Loose view of a JSON object whose fields we read defensively. */
export type Json = Record<string, unknown>;

export function obj(value: unknown): Json | undefined {
  return typeof value === "object" && value !== null ? (value as Json) : undefined;
}

export function str(value: unknown): string {
  return typeof value === "string" ? value : "";
}

/** Integer fields (int32 in the API); a missing value reads as Go's zero value. */
export function int(value: unknown): number {
  return typeof value === "number" ? value : 0;
}

export function arr(value: unknown): readonly unknown[] {
  return Array.isArray(value) ? value : EMPTY;
}
const EMPTY: readonly unknown[] = [];

// Values that repeat across many rows (namespaces, node names, statuses, owner names) share one string instance.
// Bounded so that a long-running session with churning names cannot grow it forever.
const interned = new Map<string, string>();
const INTERN_LIMIT = 50_000;

export function intern(value: string): string {
  const known = interned.get(value);
  if (known !== undefined) return known;
  if (interned.size >= INTERN_LIMIT) interned.clear();
  interned.set(value, value);
  return value;
}

/**
 * A pool of its own for one field's values (node names): a map of a few thousand entries stays in the CPU's caches
 * while a LIST streams megabytes through them; the shared map of every interned string (owners, statuses, namespaces
 * of every kind) does not, and a lookup in it cost ~2 µs a pod at ingest.
 */
export class FieldInterner {
  private readonly values = new Map<string, string>();
  private readonly limit: number;

  constructor(limit: number) {
    this.limit = limit;
  }

  of(value: string): string {
    const known = this.values.get(value);
    if (known !== undefined) return known;
    if (this.values.size >= this.limit) this.values.clear();
    this.values.set(value, value);
    return value;
  }
}

/**
 * intern() at one call site that sees runs of the same value: rows are made in runs that share them (a LIST comes
 * sorted by namespace and name, so a namespace's pods and one owner's pods come together), and comparing with the
 * last value is cheaper than a lookup in the map of every interned string (22k of them at 100k pods).
 */
export class RunInterner {
  private last = "";
  private lastInterned = "";

  of(value: string): string {
    if (value === this.last) return this.lastInterned;
    const interned = intern(value);
    this.last = value;
    this.lastInterned = interned;
    return interned;
  }
}

/** namespace, name, uid and createdAt of any object. */
export function baseFields(o: KubeObject): BaseRow {
  const meta = o.metadata;
  return {
    namespace: intern(str(meta?.namespace)),
    name: str(meta?.name),
    uid: str(meta?.uid),
    createdAt: parseTime(meta?.creationTimestamp),
  };
}

/** labels.FormatLabels: "k=v,k2=v2" sorted as whole strings, "<none>" when empty. */
export function formatLabels(labels: unknown): string {
  const map = obj(labels);
  if (!map) return "<none>";
  const pieces: string[] = [];
  for (const key in map) pieces.push(`${key}=${str(map[key])}`);
  if (pieces.length === 0) return "<none>";
  pieces.sort(compareBytes);
  return pieces.join(",");
}

/**
 * metav1.LabelSelectorAsSelector(...).String(): requirements sorted by key; `k=v`, `k in (a,b)`, `k notin (a,b)`,
 * `k`, `!k`. Returns "" for a missing or empty selector and undefined when the selector is invalid.
 */
export function labelSelectorString(selector: unknown): string | undefined {
  const sel = obj(selector);
  if (!sel) return "";
  const reqs: { key: string; text: string }[] = [];
  const matchLabels = obj(sel.matchLabels);
  if (matchLabels) {
    for (const key in matchLabels) reqs.push({ key, text: `${key}=${str(matchLabels[key])}` });
  }
  for (const item of arr(sel.matchExpressions)) {
    const expr = obj(item);
    if (!expr) continue;
    const key = str(expr.key);
    const values = arr(expr.values).map(str);
    switch (expr.operator) {
      case "In":
      case "NotIn": {
        if (values.length === 0) return undefined;
        const op = expr.operator === "In" ? " in " : " notin ";
        reqs.push({ key, text: `${key}${op}(${values.sort(compareBytes).join(",")})` });
        break;
      }
      case "Exists":
        if (values.length !== 0) return undefined;
        reqs.push({ key, text: key });
        break;
      case "DoesNotExist":
        if (values.length !== 0) return undefined;
        reqs.push({ key, text: `!${key}` });
        break;
      default:
        return undefined;
    }
  }
  reqs.sort((a, b) => compareBytes(a.key, b.key));
  return reqs.map((r) => r.text).join(",");
}

/** metav1.FormatLabelSelector: like labelSelectorString but "<none>" when empty and "<error>" when invalid. */
export function formatLabelSelector(selector: unknown): string {
  const text = labelSelectorString(selector);
  if (text === undefined) return "<error>";
  return text === "" ? "<none>" : text;
}

/** layoutContainerCells: container names and images of a pod template, comma-separated. */
export function templateContainers(template: unknown): { names: string; images: string } {
  const containers = arr(obj(obj(template)?.spec)?.containers);
  let names = "";
  let images = "";
  for (let i = 0; i < containers.length; i++) {
    const c = obj(containers[i]);
    if (i > 0) {
      names += ",";
      images += ",";
    }
    names += str(c?.name);
    images += str(c?.image);
  }
  return { names, images };
}

/** Go compares strings byte-wise; for the ASCII that label keys and values are made of, so does this. */
export function compareBytes(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
