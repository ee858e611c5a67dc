// A sorted, immutable sequence of rows kept in chunks, so that a new version with a few rows changed costs a copy of
// the chunks those rows are in (at most MAX_CHUNK rows each) and of the list of chunks, not of every row: at 100k
// rows and a few changes per frame, the next version costs microseconds instead of copying 100k references and
// leaving 800 KB for the garbage collector every frame. Versions share their unchanged chunks.
//
// A screen reads a window of it by position (at), so it never needs the whole as one array; code that does (a sort
// by a column, the filter) asks for toArray(), built once per version.

/** Rows in order, read by position: an array, or a SortedRows. */
export interface RowList<Row> {
  readonly length: number;
  at(index: number): Row | undefined;
  [Symbol.iterator](): Iterator<Row>;
}

/** A chunk is split in two when it grows beyond this. */
const MAX_CHUNK = 1024;
/** Chunks made from a whole array hold this many rows. */
const CHUNK = 512;

/** The rows of a list as one array: the list itself when it is one, else its toArray(). */
export function rowArray<Row>(list: RowList<Row>): readonly Row[] {
  if (Array.isArray(list)) return list as readonly Row[];
  if (list instanceof SortedRows) return list.toArray();
  return [...list];
}

/** An immutable sorted row sequence in chunks (see the module comment). */
export class SortedRows<Row> implements RowList<Row> {
  readonly length: number;
  private readonly chunks: readonly (readonly Row[])[];
  /** starts[c] is the position of chunks[c]'s first row; starts[chunks.length] is the length. */
  private readonly starts: Int32Array;
  private flat: readonly Row[] | undefined;

  private constructor(chunks: readonly (readonly Row[])[], flat?: readonly Row[]) {
    this.chunks = chunks;
    const starts = new Int32Array(chunks.length + 1);
    let n = 0;
    for (let c = 0; c < chunks.length; c++) {
      starts[c] = n;
      n += (chunks[c] as readonly Row[]).length;
    }
    starts[chunks.length] = n;
    this.starts = starts;
    this.length = n;
    this.flat = flat;
  }

  /** A list of no rows. */
  static empty<Row>(): SortedRows<Row> {
    return new SortedRows<Row>([], []);
  }

  /** A list of `rows`, which must already be sorted and is not changed (it serves as toArray()). */
  static fromArray<Row>(rows: readonly Row[]): SortedRows<Row> {
    const chunks: Row[][] = [];
    for (let i = 0; i < rows.length; i += CHUNK) chunks.push(rows.slice(i, i + CHUNK));
    return new SortedRows(chunks, rows);
  }

  at(index: number): Row | undefined {
    if (!(index >= 0 && index < this.length)) return undefined; // NaN too
    const c = this.chunkAt(index);
    return (this.chunks[c] as readonly Row[])[index - (this.starts[c] as number)];
  }

  /** Every row, as one array (built once per version). */
  toArray(): readonly Row[] {
    if (this.flat) return this.flat;
    const out = new Array<Row>(this.length);
    let k = 0;
    for (const chunk of this.chunks) for (let i = 0; i < chunk.length; i++) out[k++] = chunk[i] as Row;
    this.flat = out;
    return out;
  }

  *[Symbol.iterator](): Iterator<Row> {
    for (const chunk of this.chunks) yield* chunk;
  }

  /**
   * The chunks, in order (immutable; shared with other versions that did not change them): what an index kept per
   * chunk (the filter's search text) can reuse from one version to the next.
   */
  chunkArrays(): readonly (readonly Row[])[] {
    return this.chunks;
  }

  /** The position of the first row that sorts at or after `row` under `compare`. */
  lowerBound(row: Row, compare: (a: Row, b: Row) => number): number {
    const [c, j] = locate(this.chunks, row, compare);
    return c < this.chunks.length ? (this.starts[c] as number) + j : this.length;
  }

  /** A writer for the next version, sharing this one's chunks until it changes them. */
  edit(compare: (a: Row, b: Row) => number): SortedRowsEditor<Row> {
    return new SortedRowsEditor(this.chunks, compare);
  }

  /** Index of the chunk holding position `index` (0 ≤ index < length). */
  private chunkAt(index: number): number {
    let lo = 0;
    let hi = this.chunks.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if ((this.starts[mid] as number) <= index) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  /** @internal Built by SortedRowsEditor.done(). */
  static of<Row>(chunks: readonly (readonly Row[])[]): SortedRows<Row> {
    return new SortedRows(chunks);
  }
}

/**
 * [chunk, index in chunk] of the first row at or after `row`: the first chunk whose last row sorts at or after it.
 * [chunks.length, 0] when every row sorts before it.
 */
function locate<Row>(
  chunks: readonly (readonly Row[])[],
  row: Row,
  compare: (a: Row, b: Row) => number,
): [number, number] {
  let lo = 0;
  let hi = chunks.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const chunk = chunks[mid] as readonly Row[];
    if (compare(chunk[chunk.length - 1] as Row, row) < 0) lo = mid + 1;
    else hi = mid;
  }
  if (lo === chunks.length) return [lo, 0];
  return [lo, lowerBound(chunks[lo] as readonly Row[], row, compare)];
}

/** Index of the first row of sorted `rows` that does not sort before `row` (rows.length when every row does). */
export function lowerBound<Row>(rows: readonly Row[], row: Row, compare: (a: Row, b: Row) => number): number {
  let lo = 0;
  let hi = rows.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (compare(rows[mid] as Row, row) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Changes to a SortedRows, made on copies of the chunks they touch (each copied once per editor), then published
 * as a new version by done(). Chunks never become empty in a published version, and never grow beyond MAX_CHUNK.
 */
export class SortedRowsEditor<Row> {
  private readonly chunks: Row[][];
  private readonly owned = new Set<Row[]>();
  private readonly compare: (a: Row, b: Row) => number;

  constructor(chunks: readonly (readonly Row[])[], compare: (a: Row, b: Row) => number) {
    this.chunks = chunks.slice() as Row[][];
    this.compare = compare;
  }

  /** Puts `row` in the place of the row that sorts equal to it (the same object's previous version). */
  replace(row: Row): boolean {
    const [c, j] = locate(this.chunks, row, this.compare);
    const chunk = this.chunks[c];
    if (chunk === undefined || j >= chunk.length || this.compare(chunk[j] as Row, row) !== 0) return false;
    this.own(c)[j] = row;
    return true;
  }

  /** Removes `row` (this very object) if it is there. */
  remove(row: Row): boolean {
    const [c, j] = locate(this.chunks, row, this.compare);
    const chunk = this.chunks[c];
    if (chunk === undefined || chunk[j] !== row) return false;
    if (chunk.length === 1) this.chunks.splice(c, 1);
    else this.own(c).splice(j, 1);
    return true;
  }

  /** Inserts `row` in its sorted place. */
  insert(row: Row): void {
    if (this.chunks.length === 0) {
      const chunk = [row];
      this.owned.add(chunk);
      this.chunks.push(chunk);
      return;
    }
    let [c, j] = locate(this.chunks, row, this.compare);
    if (c === this.chunks.length) {
      c = this.chunks.length - 1;
      j = (this.chunks[c] as Row[]).length;
    }
    const chunk = this.own(c);
    chunk.splice(j, 0, row);
    if (chunk.length > MAX_CHUNK) {
      const half = chunk.length >>> 1;
      const tail = chunk.splice(half);
      this.owned.add(tail);
      this.chunks.splice(c + 1, 0, tail);
    }
  }

  done(): SortedRows<Row> {
    return SortedRows.of(this.chunks);
  }

  private own(c: number): Row[] {
    const chunk = this.chunks[c] as Row[];
    if (this.owned.has(chunk)) return chunk;
    const copy = chunk.slice();
    this.owned.add(copy);
    this.chunks[c] = copy;
    return copy;
  }
}
