// `kubectl top` as the oracle for metrics columns: what kubectl prints for each pod's (or node's) CPU and memory, as
// numbers. kubectl prints CPU in millicores ("250m") and memory in whole mebibytes ("64Mi", truncated), so the app's
// values are compared at that precision.
import { type KubectlTarget, kubectlOk } from "./kubectl.ts";

/** One line of `kubectl top pods -A --no-headers`. */
export interface TopPod {
  namespace: string;
  name: string;
  /** CPU usage in millicores (kubectl's "250m" → 250). */
  cpuMillis: number;
  /** Memory working set in bytes, at kubectl's precision ("64Mi" → 67108864). */
  memBytes: number;
}

/** One line of `kubectl top nodes --no-headers` (the CPU% and MEMORY% columns are left out: they depend on capacity). */
export interface TopNode {
  name: string;
  cpuMillis: number;
  memBytes: number;
}

const BINARY_SUFFIX: Record<string, number> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40 };

const SUFFIX: Record<string, number> = {
  n: 1e-9,
  u: 1e-6,
  m: 1e-3,
  "": 1,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  ...BINARY_SUFFIX,
};

/**
 * A Kubernetes quantity as the metrics API writes it ("250016981n", "64Mi", "1", "1.5"), as a number of units (cores,
 * bytes). Exponent forms ("1e3") are not used by metrics-server and are refused.
 */
export function parseQuantity(text: string): number {
  const match = /^(\d+(?:\.\d+)?)(n|u|m|k|M|G|T|Ki|Mi|Gi|Ti)?$/.exec(text);
  if (!match) throw new Error(`not a quantity: "${text}"`);
  return Number(match[1]) * (SUFFIX[match[2] ?? ""] ?? 1);
}

/** A quantity as kubectl top prints it, in millicores: "250m" → 250, "2" → 2000. */
export function parseCpuMillis(text: string): number {
  const match = /^(\d+)(m?)$/.exec(text);
  if (!match) throw new Error(`kubectl top: not a CPU quantity: "${text}"`);
  return match[2] === "m" ? Number(match[1]) : Number(match[1]) * 1000;
}

/** A quantity as kubectl top prints it, in bytes: "64Mi" → 67108864, "512Ki", "1Gi", "100" (bytes). */
export function parseMemBytes(text: string): number {
  const match = /^(\d+)(Ki|Mi|Gi|Ti)?$/.exec(text);
  if (!match) throw new Error(`kubectl top: not a memory quantity: "${text}"`);
  return Number(match[1]) * (match[2] ? (BINARY_SUFFIX[match[2]] ?? 1) : 1);
}

/** Parses `kubectl top pods -A --no-headers` (NAMESPACE NAME CPU MEMORY, space-aligned; no cell holds a space). */
export function parseTopPods(text: string): TopPod[] {
  return text
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => {
      const cells = line.trim().split(/\s+/);
      if (cells.length !== 4) throw new Error(`kubectl top pods -A: expected 4 columns, got "${line}"`);
      const [namespace, name, cpu, mem] = cells as [string, string, string, string];
      return { namespace, name, cpuMillis: parseCpuMillis(cpu), memBytes: parseMemBytes(mem) };
    });
}

/** Parses `kubectl top nodes --no-headers` (NAME CPU CPU% MEMORY MEMORY%; newer kubectl may add more columns). */
export function parseTopNodes(text: string): TopNode[] {
  return text
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => {
      const cells = line.trim().split(/\s+/);
      if (cells.length < 5) throw new Error(`kubectl top nodes: expected at least 5 columns, got "${line}"`);
      const [name, cpu, , mem] = cells as [string, string, string, string];
      return { name, cpuMillis: parseCpuMillis(cpu), memBytes: parseMemBytes(mem) };
    });
}

/** `kubectl top pods -A --no-headers`, parsed; fails the test when kubectl fails (e.g. metrics not available yet). */
export function kubectlTopPods(cluster: KubectlTarget): TopPod[] {
  return parseTopPods(kubectlOk(cluster, "top", "pods", "-A", "--no-headers"));
}

/** `kubectl top nodes --no-headers`, parsed. */
export function kubectlTopNodes(cluster: KubectlTarget): TopNode[] {
  return parseTopNodes(kubectlOk(cluster, "top", "nodes", "--no-headers"));
}
