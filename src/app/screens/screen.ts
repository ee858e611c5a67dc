// A screen is a table of one resource kind. Screens differ only in data: which rows, which columns, what the filter
// searches and how rows are coloured. Adding deployments or services is a new entry built by resourceScreen().
import type { Repository } from "../../repository/types.ts";
import type { BaseRow, Column, ResourceDef, ResourceType } from "../../resources/types.ts";
import { HaystackCache } from "../filter.ts";
import type { RowState } from "../row-style.ts";
import type { TableColumn } from "../table.ts";

export interface ScreenDef<Row extends BaseRow = BaseRow> {
  /** Resource shown; also the screen's id. */
  resource: ResourceType;
  /** "Pods", for the header. */
  title: string;
  /** Names accepted by the `:` command line. */
  aliases: readonly string[];
  rows(repo: Repository): readonly Row[];
  columns: readonly TableColumn<Row>[];
  /** Texts the `/` filter searches, in the order that TableColumn.filterField refers to. */
  filterFields(row: Row): readonly string[];
  rowState(row: Row): RowState;
  haystacks: HaystackCache<Row>;
}

export function rowKey(row: BaseRow): string {
  return row.namespace === "" ? row.name : `${row.namespace}/${row.name}`;
}

const nameLength = (row: BaseRow) => row.name.length;
const namespaceLength = (row: BaseRow) => row.namespace.length;

export const NAMESPACE_COLUMN: TableColumn<BaseRow> = {
  name: "NAMESPACE",
  cell: (row) => row.namespace,
  hideOrder: 1,
  widthBound: namespaceLength,
  filterField: 0,
};

export const NAME_COLUMN: TableColumn<BaseRow> = {
  name: "NAME",
  cell: (row) => row.name,
  hideOrder: 0,
  flex: true,
  widthBound: nameLength,
  filterField: 1,
};

/** A TableColumn from a resource column, with how soon it hides and whether the filter searches it. */
export function fromColumn<Row>(column: Column<Row>, hideOrder: number, filterField?: number): TableColumn<Row> {
  const c: TableColumn<Row> = { name: column.name, cell: column.cell, hideOrder };
  if (filterField !== undefined) c.filterField = filterField;
  return c;
}

/**
 * The default screen for a kind: NAMESPACE (namespaced kinds), NAME, then the kind's kubectl columns; `-o wide`
 * columns hide first (the rightmost before the others), then NAMESPACE. The filter searches namespace and name.
 */
export function resourceScreen<Row extends BaseRow>(def: ResourceDef<Row>, title: string): ScreenDef<Row> {
  const wide = def.columns.filter((c) => c.priority === 1).length;
  let wideSeen = 0;
  const columns: TableColumn<Row>[] = [];
  if (def.namespaced) columns.push(NAMESPACE_COLUMN);
  columns.push(NAME_COLUMN);
  for (const column of def.columns) {
    columns.push(fromColumn(column, column.priority === 1 ? 1 + wide - wideSeen++ : 0));
  }
  return {
    resource: def.type,
    title,
    aliases: [def.type, def.kind.toLowerCase(), ...def.shortNames],
    rows: (repo) => repo.getRows<Row>(def.type),
    columns,
    filterFields: (row) => [row.namespace, row.name],
    rowState: () => "normal",
    haystacks: new HaystackCache<Row>((row) => [row.namespace, row.name]),
  };
}
