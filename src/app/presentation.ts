// How a kind's rows look in a table: which columns (with the order in which they hide on a narrow terminal), what the
// `/` filter searches, how rows are coloured and how columns sort. Pods have their own; a built-in kind gets kubectl's
// columns from its ResourceDef; any other kind gets the columns of the server's Table.
import type { Repository } from "../repository/types.ts";
import { builtinKind } from "../resources/index.ts";
import { nodeUsageColumns } from "../resources/nodes.ts";
import type { PodRow } from "../resources/pods.ts";
import { podColumn, podUsageColumns, podUsageLevel } from "../resources/pods.ts";
import { nameSearchFields, podSearchFields } from "../resources/search.ts";
import type { BaseRow, Column } from "../resources/types.ts";
import { HaystackCache } from "./filter.ts";
import { podRowState, type RowState } from "./row-style.ts";
import type { TableColumn } from "./table.ts";

/** A sort key: numbers sort numerically, strings by code point. */
export type SortKey = number | string;

/** A table column with what sorting needs. */
export interface PresentedColumn<Row> extends TableColumn<Row> {
  /** The key rows sort by in this column; default: the cell text, or its leading number for numeric columns. */
  sortKey?(row: Row): SortKey;
  /** One of kubectl's `-o wide` columns (priority 1): Ctrl-W hides them all. */
  wide?: boolean;
}

/** The table of one kind. */
export interface Presentation<Row extends BaseRow = BaseRow> {
  /** "Pods", for the header. */
  title: string;
  namespaced: boolean;
  columns: readonly PresentedColumn<Row>[];
  /** Texts the `/` filter searches, in the order that TableColumn.filterField refers to. */
  filterFields(row: Row): readonly string[];
  rowState(row: Row): RowState;
  haystacks: HaystackCache<Row>;
}

const nameLength = (row: BaseRow) => row.name.length;
const namespaceLength = (row: BaseRow) => row.namespace.length;

export const NAMESPACE_COLUMN: PresentedColumn<BaseRow> = {
  name: "NAMESPACE",
  cell: (row) => row.namespace,
  hideOrder: 1,
  widthBound: namespaceLength,
  filterField: 0,
};

export const NAME_COLUMN: PresentedColumn<BaseRow> = {
  name: "NAME",
  cell: (row) => row.name,
  hideOrder: 0,
  flex: true,
  widthBound: nameLength,
  filterField: 1,
};

/** A table column from a resource column, with how soon it hides and whether the filter searches it. */
export function fromColumn<Row extends BaseRow>(
  column: Column<Row>,
  hideOrder: number,
  filterField?: number,
): PresentedColumn<Row> {
  const c: PresentedColumn<Row> = { name: column.name, cell: column.cell, hideOrder };
  if (filterField !== undefined) c.filterField = filterField;
  if (column.priority === 1) c.wide = true;
  if (column.name === "AGE" || column.type === "date") c.sortKey = (row) => -row.createdAt;
  else if (column.type === "integer" || column.type === "number" || column.numeric || column.name === "RESTARTS") {
    c.sortKey = (row) => leadingNumber(column.cell(row, 0));
  }
  return c;
}

/** "3 (5m ago)" → 3, "1/2" → 1, "<none>" → -1: numeric columns sort by the number they start with. */
export function leadingNumber(text: string): number {
  const m = /^-?\d+(\.\d+)?/.exec(text);
  return m ? Number(m[0]) : -1;
}

const podStatus = podColumn("STATUS");
const podNode = podColumn("NODE");
const podIp = podColumn("IP");

/** The usage columns (metrics.k8s.io) as k9s shows them: CPU and MEM hide after IP, the percentages before it. */
function usageColumn<Row extends BaseRow>(column: Column<Row>): PresentedColumn<Row> {
  return fromColumn(column, column.name.startsWith("%") ? 5 : 3);
}

/**
 * A pod's colour: its state's; a healthy pod near or over a limit (80 %, 100 %) is painted as on its way or failing,
 * so that the pod eating its node stands out.
 */
function podState(row: PodRow): RowState {
  const state = podRowState(row);
  if (state !== "normal") return state;
  const level = podUsageLevel(row);
  return level === "over" ? "failing" : level === "high" ? "progress" : state;
}

/**
 * Pods: kubectl's columns, then the usage columns (CPU, MEM, %CPU/R, %CPU/L, %MEM/R, %MEM/L), then NODE and IP from
 * `-o wide`, coloured by state; the percentages hide first, then IP, then CPU and MEM, then NODE, then NAMESPACE.
 */
export const podsPresentation: Presentation<PodRow> = {
  title: "Pods",
  namespaced: true,
  columns: [
    NAMESPACE_COLUMN,
    NAME_COLUMN,
    fromColumn(podColumn("READY"), 0),
    fromColumn(podStatus, 0, 2),
    fromColumn(podColumn("RESTARTS"), 0),
    fromColumn(podColumn("AGE"), 0),
    ...podUsageColumns.map((c) => usageColumn(c)),
    fromColumn(podNode, 2, 3),
    fromColumn(podIp, 4, 4),
  ],
  filterFields: podSearchFields,
  rowState: podState,
  haystacks: new HaystackCache<PodRow>(podSearchFields),
};

/**
 * A kind's table from its columns: NAMESPACE (namespaced kinds), NAME, then the kind's columns; `-o wide` columns hide
 * first (the rightmost before the others), then NAMESPACE. The filter searches namespace and name.
 */
export function presentationOf<Row extends BaseRow>(
  title: string,
  namespaced: boolean,
  kindColumns: readonly Column<Row>[],
  name: { cell?: (row: Row) => string; last?: boolean } = {},
): Presentation<Row> {
  const wide = kindColumns.filter((c) => c.priority === 1).length + (name.last ? 1 : 0);
  let wideSeen = 0;
  const columns: PresentedColumn<Row>[] = [];
  if (namespaced) columns.push(NAMESPACE_COLUMN);
  const nameCell = name.cell;
  const nameColumn: PresentedColumn<Row> = nameCell
    ? { ...NAME_COLUMN, cell: (row) => nameCell(row), widthBound: (row) => nameCell(row).length }
    : NAME_COLUMN;
  // kubectl prints an event's NAME last and only with -o wide: it is the first to hide here.
  if (!name.last) columns.push(nameColumn);
  for (const column of kindColumns) {
    columns.push(fromColumn(column, column.priority === 1 ? 1 + wide - wideSeen++ : 0));
  }
  if (name.last) {
    columns.push({ ...nameColumn, flex: false, hideOrder: 1 + wide, wide: true });
    // Without NAME first, the text that gives way on a narrow terminal is the message (events), else the last
    // column kubectl always prints.
    const flexAt = columns.findLastIndex(
      (c, i) => i < columns.length - 1 && (c.name === "MESSAGE" || c.hideOrder === 0),
    );
    const flex = columns[flexAt];
    if (flex) columns[flexAt] = { ...flex, flex: true, widthBound: (row) => flex.cell(row, 0).length };
  }
  const fields: (row: Row) => readonly string[] = nameSearchFields;
  return {
    title,
    namespaced,
    columns,
    filterFields: fields,
    rowState: () => "normal",
    haystacks: new HaystackCache<Row>(fields),
  };
}

/** "deployments" → "Deployments", "customresourcedefinitions" → "CustomResourceDefinitions" (from the Kind). */
export function pluralTitle(kind: string, resource: string): string {
  if (kind === "") return resource;
  const lower = kind.toLowerCase();
  // The plural as the API spells it, with the Kind's capitals where the two agree ("NetworkPolicy" → "NetworkPolicies").
  if (resource.startsWith(lower.slice(0, -1))) {
    let out = "";
    for (let i = 0; i < resource.length; i++)
      out += i < kind.length && lower[i] === resource[i] ? kind[i] : resource[i];
    return out;
  }
  return kind;
}

// Built-ins are made once; Table kinds once per columns array (the repository hands the same array until the
// server's column definitions change).
const builtins = new Map<string, Presentation>();
const byColumns = new WeakMap<readonly Column<BaseRow>[], Presentation>();

/**
 * The presentation of a kind (by key: "pods", "deployments.apps", "widgets.example.com"), or undefined while a Table
 * kind's columns have not arrived.
 */
export function presentationFor(repo: Repository, kindKey: string): Presentation | undefined {
  if (kindKey === "pods") return podsPresentation as unknown as Presentation;
  const cached = builtins.get(kindKey);
  if (cached) return cached;
  const kind = repo.kinds().find((k) => k.key === kindKey);
  const dot = kindKey.indexOf(".");
  const def = builtinKind(dot < 0 ? kindKey : kindKey.slice(0, dot));
  if (def && def.group === (dot < 0 ? "" : kindKey.slice(dot + 1))) {
    // Nodes also show their pods and usage (PODS, CPU, %CPU, MEM, %MEM), as k9s does.
    const columns = def.type === "nodes" ? [...def.columns, ...nodeUsageColumns] : def.columns;
    const p = presentationOf(pluralTitle(def.kind, def.type), def.namespaced, columns as typeof def.columns, {
      ...(def.nameCell && { cell: def.nameCell }),
      last: def.namePosition === "wide-last",
    });
    builtins.set(kindKey, p);
    return p;
  }
  const columns = repo.columns(kindKey);
  if (!columns) return undefined;
  let p = byColumns.get(columns);
  if (!p) {
    p = presentationOf(kind ? pluralTitle(kind.kind, kind.resource) : kindKey, kind?.namespaced ?? true, columns);
    byColumns.set(columns, p);
  }
  return p;
}
