// Sorting a table by a column. The repository hands rows newest first (its own order, kept without re-sorting);
// another order is a sorted copy, made once per rows array and sort, with each row's key computed once per row object
// (rows are immutable: a changed object is a new row), so the comparator only compares prepared keys.
import type { BaseRow } from "../resources/types.ts";
import type { PresentedColumn, SortKey } from "./presentation.ts";

/** A sort: the column (by header name) and the direction. */
export interface Sort {
  column: string;
  descending: boolean;
}

const keyCaches = new WeakMap<PresentedColumn<BaseRow>, WeakMap<BaseRow, SortKey>>();

function keyOf(column: PresentedColumn<BaseRow>, row: BaseRow): SortKey {
  let cache = keyCaches.get(column);
  if (!cache) {
    cache = new WeakMap();
    keyCaches.set(column, cache);
  }
  let k = cache.get(row);
  if (k === undefined) {
    k = column.sortKey ? column.sortKey(row) : column.cell(row, 0);
    cache.set(row, k);
  }
  return k;
}

const sortedCache = new WeakMap<readonly BaseRow[], Map<string, readonly BaseRow[]>>();

/** `rows` in the order of `sort` (stable: ties keep the repository's order). */
export function sortRows(
  rows: readonly BaseRow[],
  columns: readonly PresentedColumn<BaseRow>[],
  sort: Sort | null,
): readonly BaseRow[] {
  if (!sort) return rows;
  const column = columns.find((c) => c.name === sort.column);
  if (!column) return rows;
  const signature = `${sort.column}\u0000${sort.descending}`;
  let perRows = sortedCache.get(rows);
  const hit = perRows?.get(signature);
  if (hit) return hit;
  const n = rows.length;
  const keys = new Array<SortKey>(n);
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    keys[i] = keyOf(column, rows[i] as BaseRow);
    order[i] = i;
  }
  const sign = sort.descending ? -1 : 1;
  order.sort((a, b) => {
    const ka = keys[a] as SortKey;
    const kb = keys[b] as SortKey;
    if (ka !== kb) {
      if (typeof ka === "number" && typeof kb === "number") return sign * (ka - kb);
      return sign * (String(ka) < String(kb) ? -1 : 1);
    }
    return a - b;
  });
  const sorted = new Array<BaseRow>(n);
  for (let i = 0; i < n; i++) sorted[i] = rows[order[i] as number] as BaseRow;
  if (!perRows) {
    perRows = new Map();
    sortedCache.set(rows, perRows);
  }
  perRows.set(signature, sorted);
  return sorted;
}
