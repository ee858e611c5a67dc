// Helpers the describers of services, endpoint slices, ingresses, config maps, secrets, claims, nodes, namespaces,
// service accounts and autoscalers share beyond writer.ts: name lists, optional numbers, and resource.Quantity
// arithmetic (a node's "Allocated resources" sums its pods' requests and limits the way kubectl does).
import type { KubeObject } from "../../kube/objects.ts";
import { canonicalQuantity } from "../quantity.ts";
import { type DescribeWriter, obj, str } from "./writer.ts";

type Json = Record<string, unknown>;

/** A number field, undefined when absent (kubectl's *int32 nil). */
export function optNum(value: unknown): number | undefined {
  return typeof value === "number" ? value : undefined;
}

/** The object's metadata fields kubectl prints. */
export function meta(o: KubeObject): { name: string; namespace: string; labels: Json; annotations: Json } {
  const m = obj(o.metadata);
  return { name: str(m.name), namespace: str(m.namespace), labels: obj(m.labels), annotations: obj(m.annotations) };
}

/** printPodsMultiline / any name list: "Title:\tname", the others under it; "<none>" when empty. */
export function writeList(w: DescribeWriter, title: string, items: readonly string[]): void {
  w.write(0, `${title}:\t`);
  if (items.length === 0) {
    w.write(0, "<none>\n");
    return;
  }
  items.forEach((item, i) => {
    if (i !== 0) w.write(0, "\t");
    w.write(0, `${item}\n`);
  });
}

/** Go's %v of a []string: "[a b c]". */
export function goList(items: readonly unknown[]): string {
  return `[${items.map((i) => str(i)).join(" ")}]`;
}

// ---- resource.Quantity: value in nano units (exact), and the format a sum keeps (its first non-zero term's).

export type QuantityFormat = "DecimalSI" | "BinarySI" | "DecimalExponent";
export interface Quantity {
  nanos: bigint;
  format: QuantityFormat;
}

export const ZERO: Quantity = { nanos: 0n, format: "DecimalSI" };

const DECIMAL_EXP: Record<string, number> = { n: -9, u: -6, m: -3, "": 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
const BINARY_POW: Record<string, number> = { Ki: 1, Mi: 2, Gi: 3, Ti: 4, Pi: 5, Ei: 6 };

/** A quantity of API JSON; zero when missing or unparsable. */
export function parseQuantity(value: unknown): Quantity {
  const text = typeof value === "number" ? String(value) : str(value).trim();
  const m = /^([+-]?)(\d*)(?:\.(\d*))?([a-zA-Z]*|[eE][+-]?\d+)$/.exec(text);
  if (!m || (m[2] === "" && (m[3] ?? "") === "")) return ZERO;
  const [, sign, whole = "", fraction = "", suffix = ""] = m;
  let mantissa = BigInt(whole + fraction || "0");
  let exp = -fraction.length + 9; // into nanos
  let format: QuantityFormat = "DecimalSI";
  if (suffix in DECIMAL_EXP) exp += DECIMAL_EXP[suffix]!;
  else if (suffix in BINARY_POW) {
    mantissa *= 1n << BigInt(10 * BINARY_POW[suffix]!);
    format = "BinarySI";
  } else if (/^[eE]/.test(suffix)) {
    exp += Number(suffix.slice(1));
    format = "DecimalExponent";
  } else return ZERO;
  let nanos: bigint;
  if (exp >= 0) nanos = mantissa * 10n ** BigInt(exp);
  else {
    const div = 10n ** BigInt(-exp);
    nanos = (mantissa + div - 1n) / div; // rounded up, as ParseQuantity does below nano precision
  }
  return { nanos: sign === "-" ? -nanos : nanos, format };
}

/** Quantity.Add: the sum keeps the receiver's format, unless the receiver is zero. */
export function addQuantity(a: Quantity, b: Quantity): Quantity {
  return { nanos: a.nanos + b.nanos, format: a.nanos === 0n ? b.format : a.format };
}

/** Quantity.String(). */
export function quantityString(q: Quantity): string {
  if (q.nanos === 0n) return "0";
  const abs = q.nanos < 0n ? -q.nanos : q.nanos;
  const sign = q.nanos < 0n ? "-" : "";
  const NANO = 1_000_000_000n;
  if (q.format === "BinarySI" && abs >= 1024n * NANO && abs % NANO === 0n) {
    let value = abs / NANO;
    let power = 0;
    const suffixes = ["", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"];
    while (power < 6 && value % 1024n === 0n) {
      value /= 1024n;
      power++;
    }
    return `${sign}${value}${suffixes[power]}`;
  }
  return canonicalQuantity(q.format === "DecimalExponent" ? `${q.nanos}e-9` : `${q.nanos}n`);
}

/** Quantity.MilliValue(): rounded up to a milli-unit. */
export function milliValue(q: Quantity): bigint {
  return ceilDiv(q.nanos, 1_000_000n);
}

/** Quantity.Value(): rounded up to a unit. */
export function unitValue(q: Quantity): bigint {
  return ceilDiv(q.nanos, 1_000_000_000n);
}

function ceilDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return a % b !== 0n && a > 0n ? q + 1n : q;
}

/** int64(float64(a) / float64(b) * 100), Go's conversion of a non-finite float on amd64 included. */
export function percent(a: bigint, b: bigint): string {
  const f = (Number(a) / Number(b)) * 100;
  return Number.isFinite(f) ? String(Math.trunc(f)) : "-9223372036854775808";
}

/** A ResourceList of API JSON as quantities. */
export type ResourceList = Map<string, Quantity>;

export function resourceList(value: unknown): ResourceList {
  const map: ResourceList = new Map();
  const o = obj(value);
  for (const k of Object.keys(o)) map.set(k, parseQuantity(o[k]));
  return map;
}

export function addResourceList(list: ResourceList, add: ResourceList): void {
  for (const [k, q] of add) {
    const have = list.get(k);
    list.set(k, have ? addQuantity(have, q) : q);
  }
}

export function maxResourceList(list: ResourceList, other: ResourceList): void {
  for (const [k, q] of other) {
    const have = list.get(k);
    if (!have || q.nanos > have.nanos) list.set(k, q);
  }
}
