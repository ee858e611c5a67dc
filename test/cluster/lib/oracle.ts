// kubectl as the oracle for rows a Repository answers: run `kubectl get …`, then compare every printed row with the
// row of the same namespace/name, cell for cell, through the columns the Repository gives for the kind. Cells that
// depend on the clock (AGE, LAST SEEN, DURATION, "(5m ago)") may take any value they had while kubectl ran, sampled
// every second, so nothing is left out of the comparison.
import https from "node:https";
import type { BaseRow, Column } from "../../../src/resources/types.ts";
import type { Cluster } from "../cluster.ts";
import type { Json } from "./api.ts";
import { type KubectlTarget, kubectlOk, parseTable, type TableRow } from "./kubectl.ts";

export interface OracleResult {
  /** Every difference, one line each: empty when the rows print like kubectl's. */
  differences: string[];
  /** kubectl's output, for the assertion message. */
  out: string;
  headers: string[];
  printed: TableRow[];
}

export interface OracleOptions {
  /** Whether kubectl prints a NAMESPACE column (namespaced kind listed with -A). */
  namespaceColumn: boolean;
  /** The NAME cell as kubectl prints it (default: row.name). */
  nameCell?: (row: BaseRow) => string;
  /** Only kubectl's rows this keeps are compared (e.g. pods a label picks, less those no replicaset owns). */
  keep?: (printed: TableRow) => boolean;
}

/**
 * `kubectl ARGS` against `rows` printed through `columns`: the headers must be NAMESPACE (when printed), NAME and the
 * columns' names (in any order: kubectl puts the events' NAME last), and every row must match one printed row.
 */
export function compareWithKubectl(
  target: KubectlTarget,
  args: string[],
  rows: readonly BaseRow[],
  columns: readonly Column<BaseRow>[],
  options: OracleOptions,
): OracleResult {
  const from = Date.now();
  const out = kubectlOk(target, ...args);
  const to = Date.now();
  const table = parseTable(out);
  const differences: string[] = [];
  const expected = [...(options.namespaceColumn ? ["NAMESPACE"] : []), "NAME", ...columns.map((c) => c.name)];
  if (out.trim() !== "" && [...table.headers].sort().join("|") !== [...expected].sort().join("|")) {
    differences.push(`headers: kubectl ${JSON.stringify(table.headers)}, Timoneiro ${JSON.stringify(expected)}`);
  }
  const nameCell = options.nameCell ?? ((row: BaseRow) => row.name);
  const key = (namespace: string, name: string) => (options.namespaceColumn ? `${namespace}/${name}` : name);
  const ours = new Map(rows.map((row) => [key(row.namespace, nameCell(row)), row]));
  const printedRows = options.keep ? table.rows.filter(options.keep) : table.rows;
  for (const printed of printedRows) {
    const k = key(printed.NAMESPACE ?? "", printed.NAME ?? "");
    const row = ours.get(k);
    if (!row) {
      differences.push(`${k}: printed by kubectl, not in Timoneiro's rows`);
      continue;
    }
    ours.delete(k);
    for (const column of columns) {
      const candidates = new Set<string>();
      for (let t = from; t < to; t += 1000) candidates.add(column.cell(row, t));
      candidates.add(column.cell(row, to));
      if (!candidates.has(printed[column.name] ?? "")) {
        differences.push(
          `${k} ${column.name}: kubectl "${printed[column.name]}", Timoneiro ${[...candidates].map((c) => `"${c}"`).join(" or ")}`,
        );
      }
    }
  }
  for (const k of ours.keys()) differences.push(`${k}: in Timoneiro's rows, not printed by kubectl`);
  return { differences, out, headers: table.headers, printed: printedRows };
}

/**
 * Many requests to the fixture over a few kept-alive TLS connections (Cluster.request opens one connection per
 * request: fine for dozens, slow for thousands). Resolves with each answer's status and JSON body.
 */
export function bulkClient(cluster: Cluster, connections = 8) {
  const agent = new https.Agent({ keepAlive: true, maxSockets: connections, ca: cluster.caPem });
  const url = new URL(cluster.server);
  const send = (method: string, path: string, body?: Json, contentType = "application/json") =>
    new Promise<{ status: number; json: Json }>((resolve, reject) => {
      const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
      const req = https.request(
        {
          host: url.hostname,
          port: url.port,
          path,
          method,
          agent,
          headers: {
            Authorization: `Bearer ${cluster.adminToken}`,
            Accept: "application/json",
            ...(payload && { "Content-Type": contentType, "Content-Length": String(payload.length) }),
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (c: Buffer) => chunks.push(c));
          res.on("end", () => {
            const text = Buffer.concat(chunks).toString("utf8");
            let json: Json = {};
            try {
              json = JSON.parse(text) as Json;
            } catch {
              json = { raw: text };
            }
            resolve({ status: res.statusCode ?? 0, json });
          });
          res.on("error", reject);
        },
      );
      req.setTimeout(60_000, () => req.destroy(new Error(`${method} ${path}: timed out`)));
      req.on("error", reject);
      req.end(payload);
    });
  return {
    send,
    /** Runs `each(i)` for i in [0, count) with at most `parallel` in flight. */
    async inParallel(count: number, parallel: number, each: (i: number) => Promise<void>): Promise<void> {
      let next = 0;
      const worker = async () => {
        while (next < count) await each(next++);
      };
      await Promise.all(Array.from({ length: Math.min(parallel, count) }, worker));
    },
    close: () => agent.destroy(),
  };
}
