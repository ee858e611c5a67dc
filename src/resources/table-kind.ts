// Columns of a kind without a built-in definition: the server-side Table's column definitions (kube/table.ts) as the
// Column<BaseRow>s views print, the way `kubectl get` prints a Table.
import type { TableColumnDef, TableRow } from "../kube/table.ts";
import { age } from "./format.ts";
import type { BaseRow, Column } from "./types.ts";

const COLUMN_TYPES = new Set(["string", "integer", "number", "boolean", "date"]);

/**
 * The columns after NAME, from a Table's definitions: headers upper-cased as kubectl prints them, priority above 0
 * only in the wide view, and the creation-time column (`ageColumn`, its index in the definitions; -1 for none)
 * computed live from the row's createdAt, since the server printed it once and it would stand still otherwise. The
 * Name column is left out: the view prints NAME itself. Rows must be TableRows whose cells align with `defs`.
 */
export function tableColumns(defs: readonly TableColumnDef[], ageColumn: number): Column<BaseRow>[] {
  const nameIndex = nameColumnOf(defs);
  const columns: Column<BaseRow>[] = [];
  defs.forEach((def, index) => {
    if (index === nameIndex) return;
    const live = index === ageColumn;
    columns.push({
      name: def.name.toUpperCase(),
      title: def.name,
      priority: def.priority > 0 ? 1 : 0,
      ...(COLUMN_TYPES.has(def.type) && { type: def.type as NonNullable<Column<BaseRow>["type"]> }),
      ...(def.description !== "" && { description: def.description }),
      cell: live ? (row, now) => age(row.createdAt, now) : (row) => (row as TableRow).cells?.[index] ?? "",
    });
  });
  return columns;
}

/** Index of the Name column: the one whose format is "name", else one called Name; -1 when there is none. */
function nameColumnOf(defs: readonly TableColumnDef[]): number {
  const byFormat = defs.findIndex((def) => def.format === "name");
  return byFormat >= 0 ? byFormat : defs.findIndex((def) => def.name.toLowerCase() === "name");
}
