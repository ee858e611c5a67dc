// The results as a Markdown table (printed by the harness, embedded in BENCHMARKS.md by the report).
import type { RunEntry } from "./results.ts";

export const TOOL_ORDER = ["timoneiro", "raw", "kubectl-json", "kubectl-table", "client-go"];
const SERVER_ORDER = ["sim", "cluster"];
const TOOL_LABEL: Record<string, string> = {
  timoneiro: "timoneiro",
  raw: "raw download of the same LIST pages",
  "kubectl-json": "kubectl get pods -A -o json",
  "kubectl-table": "kubectl get pods -A",
  "client-go": "client-go informer",
};

export function toolLabel(tool: string): string {
  return TOOL_LABEL[tool] ?? tool;
}

export function formatMs(ms: number | undefined): string {
  if (ms === undefined) return "";
  if (ms < 10) return `${ms.toFixed(1)} ms`;
  if (ms < 1000) return `${Math.round(ms)} ms`;
  return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
}

export function formatPods(n: number): string {
  return n >= 1000 && n % 1000 === 0 ? `${n / 1000}k` : String(n);
}

function withRange(entry: RunEntry, field: string, format: (v: number) => string): string {
  const v = entry[field];
  if (typeof v !== "number") return "";
  const min = entry[`${field}Min`];
  const max = entry[`${field}Max`];
  if (typeof min === "number" && typeof max === "number" && min !== max) {
    return `${format(v)} <sub>${format(min)}–${format(max)}</sub>`;
  }
  return format(v);
}

const num = (digits: number) => (v: number) => v.toFixed(digits);
const pct = (v: number) => `${v.toFixed(v < 10 ? 2 : 1)} %`;
const us = (v: number) => `${v < 10 ? v.toFixed(2) : Math.round(v)} µs`;

export function sortEntries(entries: readonly RunEntry[]): RunEntry[] {
  return [...entries].sort(
    (a, b) =>
      SERVER_ORDER.indexOf(a.server) - SERVER_ORDER.indexOf(b.server) ||
      a.pods - b.pods ||
      TOOL_ORDER.indexOf(a.tool) - TOOL_ORDER.indexOf(b.tool),
  );
}

/** Markdown table: one row per (server, pods, tool); medians with the min–max of the runs in small print. */
export function formatTable(entries: readonly RunEntry[]): string {
  const header = [
    "server",
    "pods",
    "tool",
    "first frame",
    "full sync",
    "RSS MB",
    "heap MB",
    "bytes/pod",
    "getPods p99",
    "key→frame p95",
    "CPU idle",
    "CPU 100 ev/s",
  ];
  const lines = [`| ${header.join(" | ")} |`, `|${header.map((_, i) => (i < 3 ? "---" : "---:")).join("|")}|`];
  for (const e of sortEntries(entries)) {
    const failed = (e.samples ?? 0) === 0 && e.errors !== undefined;
    const rss =
      typeof e.rssMb === "number"
        ? num(0)(e.rssMb)
        : typeof e.peakRssMb === "number"
          ? `peak ${e.outOfMemory ? "> " : ""}${num(0)(e.peakRssMb)}`
          : "";
    const sync = e.outOfMemory
      ? "**did not finish**: out of memory"
      : failed
        ? "**failed** (see notes)"
        : withRange(e, "fullSyncMs", formatMs);
    const cells = [
      e.server,
      formatPods(e.pods),
      toolLabel(e.tool),
      withRange(e, "firstFrameMs", formatMs),
      sync,
      rss,
      typeof e.heapMb === "number" ? num(0)(e.heapMb) : "",
      withRange(e, "bytesPerPod", num(0)),
      withRange(e, "queryP99Us", us),
      withRange(e, "keystrokeP95Ms", (v) => `${v.toFixed(1)} ms`),
      withRange(e, "idleCpuPct", pct),
      withRange(e, "churnCpuPct", pct),
    ];
    lines.push(`| ${cells.join(" | ")} |`);
  }
  return lines.join("\n");
}

/** One line per failure, for under the table. */
export function formatErrors(entries: readonly RunEntry[]): string[] {
  return sortEntries(entries).flatMap((e) =>
    (e.errors ?? []).map((err) => `${e.server} ${formatPods(e.pods)} ${toolLabel(e.tool)}: ${err}`),
  );
}
