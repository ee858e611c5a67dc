// What the `/` filter searches in a row, as one lowercase text built when the row is made (at ingest), so that
// neither the first key of a filter nor churn pays for it: pods are searched by namespace, name, STATUS, NODE and IP
// (as printed, so "<none>" finds unscheduled pods); every other kind by namespace and name.
import { type PodRow, podColumn } from "./pods.ts";
import type { BaseRow } from "./types.ts";

/** Field separator inside a search text. Filter terms never contain it, since they are split on whitespace. */
export const FIELD_SEPARATOR = "\n";

/** Where NAME is among the search fields (namespace first, then name): the field that ranks first. */
export const NAME_FIELD = 1;

/** The search text of some fields: joined by FIELD_SEPARATOR, lowercase. */
export function searchText(fields: readonly string[]): string {
  return fields.join(FIELD_SEPARATOR).toLowerCase();
}

/** The fields of a row that the filter searches, in order (namespace, name, …). */
export type SearchFields<Row> = (row: Row) => readonly string[];

const podStatus = podColumn("STATUS");
const podNode = podColumn("NODE");
const podIp = podColumn("IP");

/** Pods: namespace, name, status, node, IP. */
export const podSearchFields: SearchFields<PodRow> = (row) => [
  row.namespace,
  row.name,
  podStatus.cell(row, 0),
  podNode.cell(row, 0),
  podIp.cell(row, 0),
];

/** Any other kind: namespace and name. */
export const nameSearchFields: SearchFields<BaseRow> = (row) => [row.namespace, row.name];

/** `row` with its search text set (made once, when the row is made at ingest). */
export function withSearchText<Row extends BaseRow>(row: Row, fields: SearchFields<Row>): Row {
  row.haystack = searchText(fields(row));
  return row;
}

/** The search fields of a kind, by resource key ("pods", "deployments.apps", "widgets.example.com"). */
export function searchFieldsOf(kindKey: string): SearchFields<BaseRow> {
  return kindKey === "pods" ? (podSearchFields as SearchFields<BaseRow>) : nameSearchFields;
}
