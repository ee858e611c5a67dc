// The cache of one resource kind: rows keyed by namespace/name, secondary indexes, and a sorted snapshot.
//
// Screens call rows() many times per second, so it must not sort 100k rows per call. The store keeps the last sorted
// snapshot and a list of what changed since; rows() returns the same array while nothing changed (O(1)), patches a
// copy with binary-search inserts for a few changes, and merges for many. A snapshot is never mutated after it is
// handed out, so callers may cache work keyed by its identity.
import { type BaseRow, rowKey } from "./row.ts";

export { rowKey };

export type Indexer<Row> = (row: Row) => string;

/** Newest first, then namespace, then name. */
export function compareRows(a: BaseRow, b: BaseRow): number {
  if (a.createdAt !== b.createdAt) return b.createdAt - a.createdAt;
  if (a.namespace !== b.namespace) return a.namespace < b.namespace ? -1 : 1;
  if (a.name !== b.name) return a.name < b.name ? -1 : 1;
  return 0;
}

/** Changes up to this many are patched into a copy of the snapshot; more are merged. */
const PATCH_LIMIT = 64;

export class RowStore<Row extends BaseRow> {
  private readonly byKey = new Map<string, Row>();
  private readonly indexes = new Map<string, Map<string, Set<string>>>();
  /** The indexers with their maps, as an array: upsert runs 100k times during a sync. */
  private readonly indexList: { indexer: Indexer<Row>; byValue: Map<string, Set<string>> }[];
  private snapshot: Row[] = [];
  /** Rows that are in the snapshot but have since been replaced or removed. */
  private readonly stale = new Set<Row>();
  /** Keys upserted since the snapshot was built. */
  private readonly fresh = new Set<string>();
  /**
   * Keys whose row was replaced by one that sorts and indexes the same (a metrics poll, a status change): the
   * snapshot keeps its order and only the row at that place changes, without touching the indexes or re-sorting.
   */
  private readonly replaced = new Set<string>();
  private version = 0;

  constructor(indexers: Record<string, Indexer<Row>> = {}) {
    this.indexList = Object.entries(indexers).map(([name, indexer]) => {
      const byValue = new Map<string, Set<string>>();
      this.indexes.set(name, byValue);
      return { indexer, byValue };
    });
  }

  get size(): number {
    return this.byKey.size;
  }

  /** Bumped on every change; cheap change detection for callers. */
  get changeCount(): number {
    return this.version;
  }

  get(key: string): Row | undefined {
    return this.byKey.get(key);
  }

  keys(): IterableIterator<string> {
    return this.byKey.keys();
  }

  upsert(row: Row): void {
    const key = rowKey(row);
    const previous = this.byKey.get(key);
    if (previous && previous.createdAt === row.createdAt && this.sameIndexes(previous, row)) {
      this.replaceInPlace(key, row);
      return;
    }
    this.settleReplaced(key);
    if (previous) {
      this.unindex(key, previous);
      this.markStale(previous);
    }
    this.byKey.set(key, row);
    this.index(key, row);
    this.fresh.add(key);
    this.version++;
  }

  /**
   * Replaces a row by one that sorts and indexes the same, which the caller guarantees (a copy with new usage figures:
   * a metrics poll replaces every pod): upsert without comparing the index values. Anything else goes through upsert.
   */
  replace(row: Row): void {
    const key = rowKey(row);
    const previous = this.byKey.get(key);
    if (previous && previous.createdAt === row.createdAt) this.replaceInPlace(key, row);
    else this.upsert(row);
  }

  /** Same place in the order, same index entries: only the row object changes (see rows()). */
  private replaceInPlace(key: string, row: Row): void {
    this.byKey.set(key, row);
    if (!this.fresh.has(key)) this.replaced.add(key);
    this.version++;
  }

  remove(key: string): boolean {
    const previous = this.byKey.get(key);
    if (!previous) return false;
    this.settleReplaced(key);
    this.byKey.delete(key);
    this.unindex(key, previous);
    this.markStale(previous);
    this.fresh.delete(key);
    this.version++;
    return true;
  }

  /** Removes every row whose key is not in `keep` (after a relist: objects deleted while we were not watching). */
  retainOnly(keep: Set<string>): number {
    let removed = 0;
    for (const key of [...this.byKey.keys()]) {
      if (!keep.has(key) && this.remove(key)) removed++;
    }
    return removed;
  }

  clear(): void {
    for (const key of [...this.byKey.keys()]) this.remove(key);
  }

  /** Keys of rows whose indexed value equals `value`. */
  indexed(indexName: string, value: string): Row[] {
    const keys = this.indexes.get(indexName)?.get(value);
    if (!keys) return [];
    const rows: Row[] = [];
    for (const key of keys) {
      const row = this.byKey.get(key);
      if (row) rows.push(row);
    }
    return rows.sort(compareRows);
  }

  /** Distinct values of an index (e.g. namespaces that have rows). */
  indexValues(indexName: string): string[] {
    return [...(this.indexes.get(indexName)?.keys() ?? [])].sort();
  }

  /** All rows, sorted newest first. The array is shared: do not mutate it. */
  rows(): readonly Row[] {
    if (this.stale.size === 0 && this.fresh.size === 0 && this.replaced.size === 0) return this.snapshot;
    // Rows replaced in place first, on a copy, where their old rows were (their keys are never stale or fresh): a
    // few found by binary search (O(k log n)), many (a metrics poll of every pod) in one pass (O(n)). No sort.
    let base = this.snapshot;
    if (this.replaced.size > 0) {
      base = this.snapshot.slice();
      if (this.replaced.size * 16 < base.length) {
        for (const key of this.replaced) {
          const row = this.byKey.get(key) as Row;
          base[lowerBound(base, row)] = row;
        }
      } else {
        for (let i = 0; i < base.length; i++) {
          const key = rowKey(base[i] as Row);
          // Only the keys replaced in place: another may have gone (stale) or moved (fresh) meanwhile.
          if (this.replaced.has(key)) base[i] = this.byKey.get(key) as Row;
        }
      }
      this.replaced.clear();
    }
    // Then the other changes, against that: the stale rows are still where they were.
    const changes = this.stale.size + this.fresh.size;
    if (changes > 0) base = changes <= PATCH_LIMIT ? this.patched(base, base !== this.snapshot) : this.merged(base);
    this.stale.clear();
    this.fresh.clear();
    this.snapshot = base;
    return base;
  }

  /** A key replaced in place becomes an ordinary change: its snapshot row stale, the key fresh. */
  private settleReplaced(key: string): void {
    if (!this.replaced.delete(key)) return;
    const current = this.byKey.get(key) as Row;
    const old = this.snapshot[lowerBound(this.snapshot, current)];
    if (old !== undefined && rowKey(old) === key) this.stale.add(old);
    this.fresh.add(key);
  }

  private sameIndexes(a: Row, b: Row): boolean {
    for (const { indexer } of this.indexList) if (indexer(a) !== indexer(b)) return false;
    return true;
  }

  private markStale(row: Row): void {
    // A row that never made it into a snapshot has nothing to remove from it.
    if (this.fresh.has(rowKey(row)) && !this.inSnapshot(row)) return;
    this.stale.add(row);
  }

  private inSnapshot(row: Row): boolean {
    const i = lowerBound(this.snapshot, row);
    return this.snapshot[i] === row;
  }

  /** `base` with the stale rows taken out and the fresh ones put in; `owned`: base is a copy that may be changed. */
  private patched(base: Row[], owned: boolean): Row[] {
    const next = owned ? base : base.slice();
    for (const row of this.stale) {
      const i = lowerBound(next, row);
      if (next[i] === row) next.splice(i, 1);
    }
    for (const key of this.fresh) {
      const row = this.byKey.get(key);
      if (row) next.splice(lowerBound(next, row), 0, row);
    }
    return next;
  }

  private merged(base: Row[]): Row[] {
    const kept = this.stale.size ? base.filter((row) => !this.stale.has(row)) : base;
    const added: Row[] = [];
    for (const key of this.fresh) {
      const row = this.byKey.get(key);
      if (row) added.push(row);
    }
    added.sort(compareRows);
    if (kept.length === 0) return added;
    const out = new Array<Row>(kept.length + added.length);
    let i = 0;
    let j = 0;
    let k = 0;
    while (i < kept.length && j < added.length) {
      out[k++] = compareRows(kept[i]!, added[j]!) <= 0 ? kept[i++]! : added[j++]!;
    }
    while (i < kept.length) out[k++] = kept[i++]!;
    while (j < added.length) out[k++] = added[j++]!;
    return out;
  }

  private index(key: string, row: Row): void {
    for (const { indexer, byValue } of this.indexList) {
      const value = indexer(row);
      const keys = byValue.get(value);
      if (keys) keys.add(key);
      else byValue.set(value, new Set([key]));
    }
  }

  private unindex(key: string, row: Row): void {
    for (const { indexer, byValue } of this.indexList) {
      const value = indexer(row);
      const keys = byValue.get(value);
      if (!keys) continue;
      keys.delete(key);
      if (keys.size === 0) byValue.delete(value);
    }
  }
}

/** First index whose row sorts at or after `row`. */
function lowerBound<Row extends BaseRow>(rows: readonly Row[], row: Row): number {
  let lo = 0;
  let hi = rows.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (compareRows(rows[mid]!, row) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
