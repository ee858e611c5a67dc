// The cache of one resource kind: rows keyed by namespace/name, secondary indexes, and a sorted snapshot.
//
// Screens ask for the snapshot at every data frame, so it must neither sort nor copy 100k rows per call. The store
// keeps the last sorted snapshot (a SortedRows, in chunks) and what changed since; list() returns the same snapshot
// while nothing changed (O(1)), and for a few changes a new version that copies only the chunks they touch (O(k ·
// (chunk + chunks))); many changes (a page of a LIST, a metrics poll) are merged into a whole new array in one pass.
// A snapshot is never mutated after it is handed out, so callers may cache work keyed by its identity.
import { type BaseRow, rowKey } from "./row.ts";
import { type RowList, rowArray, SortedRows } from "./sorted-rows.ts";

export { type RowList, rowArray, rowKey, SortedRows };

export type Indexer<Row> = (row: Row) => string;

/** Newest first, then namespace, then name. */
export function compareRows(a: BaseRow, b: BaseRow): number {
  if (a.createdAt !== b.createdAt) return b.createdAt - a.createdAt;
  if (a.namespace !== b.namespace) return a.namespace < b.namespace ? -1 : 1;
  if (a.name !== b.name) return a.name < b.name ? -1 : 1;
  return 0;
}

/** Rows that come, go or move: up to this many, and 1/PATCH_SHARE of the rows, go in chunk by chunk; more are merged. */
const PATCH_LIMIT = 512;
const PATCH_SHARE = 16;
/** Rows replaced in place, up to 1/REPLACE_SHARE of the rows, go into a new version chunk by chunk; more are merged. */
const REPLACE_SHARE = 4;

/** One secondary index: the keys of the rows by indexed value, once built. */
interface IndexState<Row> {
  indexer: Indexer<Row>;
  byValue: Map<string, Set<string>>;
  built: boolean;
}

function addToIndex<Row>({ indexer, byValue }: IndexState<Row>, key: string, row: Row): void {
  const value = indexer(row);
  const keys = byValue.get(value);
  if (keys) keys.add(key);
  else byValue.set(value, new Set([key]));
}

export class RowStore<Row extends BaseRow> {
  private readonly byKey = new Map<string, Row>();
  private readonly indexes = new Map<string, IndexState<Row>>();
  /**
   * The indexes built so far, as an array: upsert runs 100k times during a sync. An index is built after the sync (in
   * the background, buildIndexesSoon) or on its first query, whichever comes first, and kept up to date from then on;
   * until then it costs nothing (at 100k pods the three indexes were a tenth of the sync's CPU).
   */
  private readonly indexList: IndexState<Row>[] = [];
  /** A background build under way (buildIndexesSoon): its indexes are kept up to date, and filled as it goes. */
  private pendingBuild: { states: IndexState<Row>[]; entries: MapIterator<[string, Row]> } | undefined;
  private snapshot: SortedRows<Row> = SortedRows.empty<Row>();
  /** Rows that are in the snapshot but have since been replaced or removed. */
  private readonly stale = new Set<Row>();
  /** Keys upserted since the snapshot was built. */
  private readonly fresh = new Set<string>();
  /**
   * Keys whose row was replaced by one that sorts and indexes the same (a metrics poll, a status change): the
   * snapshot keeps its order and only the row at that place changes, without touching the indexes or re-sorting.
   */
  private readonly replaced = new Set<string>();
  /**
   * The snapshot's row of each key when it was first replaced in place, to that key: a merge finds the replaced rows
   * by object. Building every row's key to look it up in `replaced` was most of a merge's time at 100k rows.
   */
  private readonly replacedRows = new Map<Row, string>();
  private version = 0;

  constructor(indexers: Record<string, Indexer<Row>> = {}) {
    for (const [name, indexer] of Object.entries(indexers)) {
      this.indexes.set(name, { indexer, byValue: new Map<string, Set<string>>(), built: false });
    }
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

  /** Adds or replaces the row of its key; returns the key (made once here, as the reflector needs it too). */
  upsert(row: Row): string {
    const key = rowKey(row);
    const previous = this.byKey.get(key);
    if (previous && previous.createdAt === row.createdAt && this.sameIndexes(previous, row)) {
      this.replaceInPlace(key, row, previous);
      return key;
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
    return key;
  }

  /**
   * Replaces a row by one that sorts and indexes the same, which the caller guarantees (a copy with new usage figures:
   * a metrics poll replaces every pod): upsert without comparing the index values. Anything else goes through upsert.
   */
  replace(row: Row): void {
    const key = rowKey(row);
    const previous = this.byKey.get(key);
    if (previous && previous.createdAt === row.createdAt) this.replaceInPlace(key, row, previous);
    else this.upsert(row);
  }

  /** Same place in the order, same index entries: only the row object changes (see rows()). */
  private replaceInPlace(key: string, row: Row, previous: Row): void {
    this.byKey.set(key, row);
    // Neither fresh nor replaced since the snapshot: the previous row is the snapshot's.
    if (!this.fresh.has(key) && !this.replaced.has(key)) {
      this.replaced.add(key);
      this.replacedRows.set(previous, key);
    }
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

  /**
   * Forgets every row at once: a store being dropped (a view closed, the program quitting) or a kind no longer served.
   * Removing 100k rows one by one, each out of the indexes and the snapshot, took about 0.2 s at quit.
   */
  clear(): void {
    if (this.byKey.size === 0) return;
    this.byKey.clear();
    for (const state of this.indexes.values()) state.byValue.clear();
    // A background index build has nothing left to add: its indexes are complete (empty).
    this.pendingBuild = undefined;
    this.snapshot = SortedRows.empty<Row>();
    this.stale.clear();
    this.fresh.clear();
    this.replaced.clear();
    this.replacedRows.clear();
    this.version++;
  }

  /** Keys of rows whose indexed value equals `value`. */
  indexed(indexName: string, value: string): Row[] {
    const keys = this.builtIndex(indexName)?.get(value);
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
    return [...(this.builtIndex(indexName)?.keys() ?? [])].sort();
  }

  /**
   * Builds the indexes not built yet in the background, `rowsPerTurn` rows per turn of the event loop, so that a
   * query after the sync finds them built without the sync, or any one turn, paying for all the rows (at 100k pods
   * the owner index alone took ~150 ms to build). A query meanwhile finishes the build there and then. Called once a
   * kind has synced; does nothing when every index is built or a build is under way.
   */
  buildIndexesSoon(rowsPerTurn = 2000): void {
    if (this.pendingBuild !== undefined || this.indexList.length === this.indexes.size) return;
    const states = [...this.indexes.values()].filter((state) => !state.built);
    // Kept up to date from now on: a row changed behind the build's position is indexed by upsert; ahead of it, by both
    // (a set ignores the second add); the entries iterator skips rows removed before it reaches them.
    for (const state of states) {
      state.built = true;
      this.indexList.push(state);
    }
    this.pendingBuild = { states, entries: this.byKey.entries() };
    const step = () => {
      if (!this.advanceBuild(rowsPerTurn)) setImmediate(step).unref();
    };
    setImmediate(step).unref();
  }

  /** Adds up to `limit` more rows to the background build; true once it is done (or there is none). */
  private advanceBuild(limit: number): boolean {
    const build = this.pendingBuild;
    if (build === undefined) return true;
    for (let n = 0; n < limit; n++) {
      const next = build.entries.next();
      if (next.done) {
        this.pendingBuild = undefined;
        return true;
      }
      const [key, row] = next.value;
      for (const state of build.states) addToIndex(state, key, row);
    }
    return false;
  }

  /** The map of an index, built from every row on its first use (or finished, if a background build has it). */
  private builtIndex(indexName: string): Map<string, Set<string>> | undefined {
    const state = this.indexes.get(indexName);
    if (state === undefined) return undefined;
    if (this.pendingBuild?.states.includes(state)) this.advanceBuild(Number.POSITIVE_INFINITY);
    if (!state.built) {
      state.built = true;
      this.indexList.push(state);
      for (const [key, row] of this.byKey) addToIndex(state, key, row);
    }
    return state.byValue;
  }

  /** All rows, sorted newest first, as one array (built once per snapshot). The array is shared: do not mutate it. */
  rows(): readonly Row[] {
    return this.list().toArray();
  }

  /** All rows, sorted newest first, read by position: what a screen showing a window of them needs. Immutable. */
  list(): SortedRows<Row> {
    const moves = this.stale.size + this.fresh.size;
    if (moves + this.replaced.size === 0) return this.snapshot;
    // A row replaced in place costs a binary search and at most one chunk copy per chunk: a slice of a metrics poll
    // (thousands of rows) still goes chunk by chunk; only rows that come, go or move count towards a merge.
    const few = moves <= PATCH_LIMIT && moves * PATCH_SHARE <= this.snapshot.length;
    this.snapshot = few && this.replaced.size * REPLACE_SHARE <= this.snapshot.length ? this.patched() : this.merged();
    this.replaced.clear();
    this.replacedRows.clear();
    this.stale.clear();
    this.fresh.clear();
    return this.snapshot;
  }

  /** A key replaced in place becomes an ordinary change: its snapshot row stale, the key fresh. */
  private settleReplaced(key: string): void {
    if (this.replaced.size === 0 || !this.replaced.delete(key)) return;
    const current = this.byKey.get(key) as Row;
    const old = this.snapshot.at(this.snapshot.lowerBound(current, compareRows));
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
    return this.snapshot.at(this.snapshot.lowerBound(row, compareRows)) === row;
  }

  /** The next version, chunk by chunk: rows replaced in place where their old rows were, stale ones out, fresh ones in. */
  private patched(): SortedRows<Row> {
    const editor = this.snapshot.edit(compareRows);
    // Replaced keys are never stale or fresh: their old rows are still in the snapshot, where the new ones go.
    for (const key of this.replaced) editor.replace(this.byKey.get(key) as Row);
    for (const row of this.stale) editor.remove(row);
    for (const key of this.fresh) {
      const row = this.byKey.get(key);
      if (row) editor.insert(row);
    }
    return editor.done();
  }

  /**
   * The snapshot's rows less the stale ones, each replaced one by its current row. `byObject`: the replaced rows are
   * found through replacedRows (undefined if that did not find them all); else by building each row's key.
   */
  private keptRows(base: readonly Row[], byObject: boolean): Row[] | undefined {
    const replaced = this.replaced;
    const kept: Row[] = [];
    let found = 0;
    for (let i = 0; i < base.length; i++) {
      let row = base[i] as Row;
      if (this.stale.has(row)) continue;
      // Only the keys replaced in place: another may have gone (stale) or moved (fresh) meanwhile.
      if (replaced.size > 0) {
        const key = byObject ? this.replacedRows.get(row) : rowKey(row);
        if (key !== undefined && replaced.has(key)) {
          row = this.byKey.get(key) as Row;
          found++;
        }
      }
      kept.push(row);
    }
    return byObject && found < replaced.size ? undefined : kept;
  }

  /** The next version as a whole new array: one pass over the rows and a merge with the sorted fresh ones. */
  private merged(): SortedRows<Row> {
    const base = this.snapshot.toArray();
    let kept = this.keptRows(base, true);
    // Every key still replaced should have been found by its snapshot row; if one was not, look them up by key.
    if (kept === undefined) kept = this.keptRows(base, false) as Row[];
    const added: Row[] = [];
    for (const key of this.fresh) {
      const row = this.byKey.get(key);
      if (row) added.push(row);
    }
    added.sort(compareRows);
    if (kept.length === 0) return SortedRows.fromArray(added);
    if (added.length === 0) return SortedRows.fromArray(kept);
    const out = new Array<Row>(kept.length + added.length);
    let i = 0;
    let j = 0;
    let k = 0;
    while (i < kept.length && j < added.length) {
      out[k++] = compareRows(kept[i]!, added[j]!) <= 0 ? kept[i++]! : added[j++]!;
    }
    while (i < kept.length) out[k++] = kept[i++]!;
    while (j < added.length) out[k++] = added[j++]!;
    return SortedRows.fromArray(out);
  }

  private index(key: string, row: Row): void {
    for (const state of this.indexList) addToIndex(state, key, row);
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
