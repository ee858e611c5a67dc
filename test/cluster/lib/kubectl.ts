// kubectl as the oracle: run it against a test cluster and read its table output by the header's column positions
// (cells such as "5 (3m2s ago)" and headers such as "NOMINATED NODE" contain single spaces).
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";

export const KUBECTL = "/usr/bin/kubectl";

export interface KubectlResult {
  status: number;
  stdout: string;
  stderr: string;
}

/** Where kubectl points: a kubeconfig and, optionally, a context in it. */
export interface KubectlTarget {
  kubeconfigPath: string;
  context?: string | undefined;
}

export function kubectl(cluster: KubectlTarget, ...args: string[]): KubectlResult {
  const target = ["--kubeconfig", cluster.kubeconfigPath, ...(cluster.context ? ["--context", cluster.context] : [])];
  const res = spawnSync(KUBECTL, [...target, ...args], {
    encoding: "utf8",
    timeout: 60_000,
  });
  return { status: res.status ?? -1, stdout: res.stdout, stderr: res.stderr };
}

export function kubectlOk(cluster: KubectlTarget, ...args: string[]): string {
  const res = kubectl(cluster, ...args);
  assert.equal(res.status, 0, `kubectl ${args.join(" ")} failed:\n${res.stderr}`);
  return res.stdout;
}

export type TableRow = Record<string, string>;

/**
 * Parses kubectl's aligned table: a column starts where its header starts (headers are separated by at least two
 * spaces, kubectl pads with three), and a cell runs to the start of the next column.
 */
export function parseTable(text: string): { headers: string[]; rows: TableRow[] } {
  const lines = text.split("\n").filter((line) => line.trim() !== "");
  const header = lines[0] ?? "";
  const columns: { name: string; start: number }[] = [];
  for (const match of header.matchAll(/\S+(?: \S+)*/g)) columns.push({ name: match[0], start: match.index });
  const rows = lines.slice(1).map((line) => {
    const row: TableRow = {};
    columns.forEach((column, i) => {
      const end = i + 1 < columns.length ? columns[i + 1]!.start : line.length;
      row[column.name] = line.slice(column.start, end).trim();
    });
    return row;
  });
  return { headers: columns.map((c) => c.name), rows };
}
