// The minimal shape of a cached row, owned by the data layer: what the store keys, indexes and orders by. Kinds
// (resources/) extend it with their own fields; the data layer never needs more than this.

/** Fields every row has. Times are epoch milliseconds so that rows stay small and AGE is computed at paint time. */
export interface BaseRow {
  namespace: string; // "" for cluster-scoped kinds
  name: string;
  uid: string;
  createdAt: number;
  /**
   * The lowercase text the `/` filter searches, built once when the row is made (resources/search.ts). The data layer
   * never reads it; it lives on the row so that a filter over 100k rows reads one field per row and builds nothing.
   */
  haystack?: string;
}

/** The cache key of an object: "namespace/name", or "name" for cluster-scoped objects. */
export function rowKey(row: Pick<BaseRow, "namespace" | "name">): string {
  return row.namespace ? `${row.namespace}/${row.name}` : row.name;
}
