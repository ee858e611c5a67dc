// The `/` filter: space-separated terms, all of which must match (AND). A plain term matches as a substring of one
// field (namespace, name, status, ...), as k9s's filter does, and rows whose NAME holds every term come first. `~term`
// matches fzf-style fuzzily (its characters in order inside one field) and ranks the rows by how well they match, as
// fzf does. `!term` excludes rows containing the term as a substring. Matching is case-insensitive.
//
// Cost model for 100k rows: every row has a lowercase "haystack" (its fields joined by "\n", which no term can
// contain), built once when the row is made at ingest (resources/search.ts). Per chunk of rows they are joined into
// one text (search-chunks.ts), so a term is looked for by native scans rather than by a call per row; the chunks' text
// is kept while the chunk lives, so churn rebuilds only the chunks it touched. The matched positions are kept, so that
// a query that only extends the previous one checks the previous matches instead of all rows.

import { type RowList, rowArray, SortedRows } from "../kube/sorted-rows.ts";
import { FIELD_SEPARATOR, NAME_FIELD, searchText } from "../resources/search.ts";
import { buildSearchChunk, filterPositions, PositionList, type SearchChunk, subtract } from "./search-chunks.ts";
import { sameItems } from "./table.ts";

/** One term of a query. */
export interface Term {
  text: string; // lowercase, non-empty
  negate: boolean;
  /** `~term`: matched fuzzily, and ranked by score. */
  fuzzy: boolean;
}

export function parseQuery(query: string): Term[] {
  const terms: Term[] = [];
  for (const word of query.toLowerCase().split(/\s+/)) {
    if (word === "") continue;
    if (word.startsWith("!")) {
      if (word.length > 1) terms.push({ text: word.slice(1), negate: true, fuzzy: false });
      continue;
    }
    if (word.startsWith("~")) {
      if (word.length > 1) terms.push({ text: word.slice(1), negate: false, fuzzy: true });
      continue;
    }
    terms.push({ text: word, negate: false, fuzzy: false });
  }
  return terms;
}

export { FIELD_SEPARATOR, NAME_FIELD, searchText as buildHaystack };

/**
 * Where `term` ends (index in `hay`) in the first field that contains it as a subsequence; -1 if none. Scans with
 * indexOf (native, much faster than a charCodeAt loop): find the first character, then each next one after it, and
 * if one falls beyond the field's end, start again at the next field.
 */
function fuzzyMatchEnd(hay: string, term: string): number {
  const n = term.length;
  const first = term[0] as string;
  let start = 0;
  for (;;) {
    const p = hay.indexOf(first, start);
    if (p < 0) return -1;
    let fieldEnd = hay.indexOf(FIELD_SEPARATOR, p);
    if (fieldEnd < 0) fieldEnd = hay.length;
    let q = p;
    let j = 1;
    for (; j < n; j++) {
      q = hay.indexOf(term[j] as string, q + 1);
      if (q < 0) return -1; // not anywhere further on, so not in a later field either
      if (q >= fieldEnd) break;
    }
    if (j === n) return q;
    start = fieldEnd + 1;
  }
}

/** Does `term` occur as a subsequence inside one field of `hay`? */
export function fuzzyInAnyField(hay: string, term: string): boolean {
  return fuzzyMatchEnd(hay, term) >= 0;
}

export function matchesHaystack(hay: string, terms: readonly Term[]): boolean {
  for (const t of terms) {
    if (t.negate ? hay.includes(t.text) : t.fuzzy ? !fuzzyInAnyField(hay, t.text) : !hay.includes(t.text)) {
      return false;
    }
  }
  return true;
}

/**
 * Positions (UTF-16 indices into `text`) of the characters that `term` matches, or null. Like fzf's v1 algorithm:
 * find the first place the whole term fits going forward, then walk back from its end to get the tightest match,
 * so "web" in "my-website-web-0" highlights "web" rather than scattered letters.
 */
export function fuzzyPositions(text: string, term: string): number[] | null {
  const lower = text.toLowerCase();
  // toLowerCase can change lengths for a few non-ASCII letters; then positions would be off, so fall back to none.
  if (lower.length !== text.length || term.length === 0) return null;
  let j = 0;
  let end = -1;
  for (let i = 0; i < lower.length; i++) {
    if (lower.charCodeAt(i) === term.charCodeAt(j) && ++j === term.length) {
      end = i;
      break;
    }
  }
  if (end < 0) return null;
  const positions: number[] = new Array(term.length);
  j = term.length - 1;
  for (let i = end; i >= 0 && j >= 0; i--) {
    if (lower.charCodeAt(i) === term.charCodeAt(j)) positions[j--] = i;
  }
  return positions;
}

/** Positions of `term` as a substring of `text` (its first occurrence), or null. */
function substringPositions(text: string, term: string): number[] | null {
  const lower = text.toLowerCase();
  if (lower.length !== text.length) return null;
  const at = lower.indexOf(term);
  return at < 0 ? null : Array.from({ length: term.length }, (_, i) => at + i);
}

/** Highlight positions per field for the positive terms (negated terms only exclude, nothing to show). */
export function highlightFields(fields: readonly string[], terms: readonly Term[]): Set<number>[] {
  const result = fields.map(() => new Set<number>());
  for (const t of terms) {
    if (t.negate) continue;
    // A substring term is highlighted in NAME first (where it ranked the row), a fuzzy one in its first field.
    const order = t.fuzzy
      ? fields.map((_, i) => i)
      : [NAME_FIELD, ...fields.map((_, i) => i).filter((i) => i !== NAME_FIELD)];
    for (const f of order) {
      const positions = t.fuzzy ? fuzzyPositions(fields[f] ?? "", t.text) : substringPositions(fields[f] ?? "", t.text);
      if (positions) {
        for (const p of positions) result[f]?.add(p);
        break; // the first field that matches is the one shown, as the filter only needs one
      }
    }
  }
  return result;
}

/**
 * Whether every row matching `next` also matches `prev`, so `next` can be evaluated on `prev`'s matches only:
 * true when `next` extends `prev` by typing, except when that lengthens a `!term` (a longer excluded substring
 * excludes fewer rows).
 */
export function narrows(prev: string, next: string): boolean {
  if (!next.startsWith(prev)) return false;
  if (prev === "" || /\s$/.test(prev)) return true;
  const lastWord = prev.slice(prev.search(/\S+$/));
  if (lastWord.startsWith("!") && lastWord.length > 1)
    return next.length === prev.length || /^\s/.test(next.slice(prev.length));
  return true;
}

/** A filtered view of a row list: positions in `source`, or null when nothing is filtered out. */
export interface FilteredRows<Row> {
  /** The rows filtered (positions in `indices` and `ranked` are theirs). */
  source: RowList<Row>;
  query: string;
  terms: Term[];
  /** The matched rows' positions in the source's order (what a longer query narrows). */
  indices: Int32Array | null;
  length: number;
  /** The matched rows as shown: ranked (names first, or by fuzzy score); absent when they show in source order. */
  ranked?: Int32Array;
}

export function rowAt<Row>(f: FilteredRows<Row>, i: number): Row | undefined {
  const order = f.ranked ?? f.indices;
  if (order === null) return f.source.at(i);
  const idx = order[i];
  return idx === undefined ? undefined : f.source.at(idx);
}

/** The source position of the row shown at `i`, or -1. */
export function sourcePosition<Row>(f: FilteredRows<Row>, i: number): number {
  if (!(i >= 0 && i < f.length)) return -1;
  const order = f.ranked ?? f.indices;
  return order === null ? i : (order[i] as number);
}

/** Where the row at source position `p` is shown, or -1 when the filter leaves it out (a native scan of positions). */
export function shownAt<Row>(f: FilteredRows<Row>, p: number): number {
  const order = f.ranked ?? f.indices;
  if (order === null) return p >= 0 && p < f.length ? p : -1;
  return order.indexOf(p);
}

export function unfiltered<Row>(source: RowList<Row>): FilteredRows<Row> {
  return { source, query: "", terms: [], indices: null, length: source.length };
}

/** How many recent filter results are kept per rows list (for Backspace and for narrowing from an older query). */
const RESULTS_KEPT = 16;

/** Rows of an array per search chunk (a SortedRows brings its own chunks). */
const ARRAY_CHUNK = 1024;

/** A row that may carry its search text, built when it was made (see resources/search.ts). */
export interface SearchableRow {
  haystack?: string;
}

/** A list's search chunks in order, and where each begins in the list. */
interface ChunkedText {
  chunks: SearchChunk[];
  /** bases[c] is the position of chunk c's first row; bases[chunks.length] is the list's length. */
  bases: Int32Array;
  total: number;
}

/** The runs of rows a list is searched in: a SortedRows's own chunks, or ranges of an array. */
interface Parts<Row> {
  list: RowList<Row>;
  /** The chunks of a SortedRows, or null for an array. */
  chunks: readonly (readonly Row[])[] | null;
  array: readonly Row[];
  count: number;
  built: (SearchChunk | undefined)[];
}

/**
 * The search text of rows (see search-chunks.ts): each row's haystack, the one it was made with (the repository builds
 * it at ingest) or else one built here once per row object; per chunk of rows, the chunk's text, kept while the chunk
 * lives, so that a new version of the store's snapshot builds only the chunks it changed. Also keeps the last few
 * filter results for the current rows list.
 */
export class HaystackCache<Row extends object> {
  private readonly byRow = new WeakMap<Row, string>();
  private readonly byChunk = new WeakMap<readonly Row[], SearchChunk>();
  private readonly byArray = new WeakMap<readonly Row[], (SearchChunk | undefined)[]>();
  private readonly fieldsOf: (row: Row) => readonly string[];
  /** The list being indexed, and the search chunks of the one before by position (a copied chunk may reuse one). */
  private parts: Parts<Row> | null = null;
  private previous: readonly (SearchChunk | undefined)[] = [];
  private resultsFor: RowList<Row> | null = null;
  private results = new Map<string, FilteredRows<Row>>();

  constructor(fieldsOf: (row: Row) => readonly string[]) {
    this.fieldsOf = fieldsOf;
  }

  haystack(row: Row): string {
    const made = (row as SearchableRow).haystack;
    if (made !== undefined) return made;
    let h = this.byRow.get(row);
    if (h === undefined) {
      h = searchText(this.fieldsOf(row));
      this.byRow.set(row, h);
    }
    return h;
  }

  /** The search chunks of `list`, building the missing ones. */
  chunked(list: RowList<Row>): ChunkedText {
    const parts = this.partsOf(list);
    const n = parts.built.length;
    const chunks = new Array<SearchChunk>(n);
    const bases = new Int32Array(n + 1);
    let at = 0;
    for (let c = 0; c < n; c++) {
      const chunk = this.chunkOf(parts, c);
      chunks[c] = chunk;
      bases[c] = at;
      at += chunk.count;
    }
    bases[n] = at;
    return { chunks, bases, total: at };
  }

  /**
   * Builds the search chunks of `list` from row `from` on, whole chunks, until `count` rows are done, ahead of the first
   * key of a filter: the runtime calls it in slices when the filter prompt opens. Returns the next row, or -1 when done.
   */
  warm(list: RowList<Row>, from: number, count: number): number {
    const parts = this.partsOf(list);
    let row = 0;
    let done = 0;
    for (let c = 0; c < parts.built.length; c++) {
      const size = this.partSize(parts, c);
      if (row + size > from && parts.built[c] === undefined) {
        if (done >= count) return row;
        done += this.chunkOf(parts, c).count;
      }
      row += size;
    }
    return -1;
  }

  private partsOf(list: RowList<Row>): Parts<Row> {
    if (this.parts?.list === list) return this.parts;
    if (this.parts) this.previous = this.parts.built;
    const chunks = list instanceof SortedRows ? (list as SortedRows<Row>).chunkArrays() : null;
    const array = chunks === null ? rowArray(list) : [];
    const count = chunks === null ? Math.ceil(array.length / ARRAY_CHUNK) : chunks.length;
    let built: (SearchChunk | undefined)[];
    if (chunks !== null) built = chunks.map((chunk) => this.byChunk.get(chunk));
    else {
      built = this.byArray.get(array) ?? new Array<SearchChunk | undefined>(count).fill(undefined);
      this.byArray.set(array, built);
    }
    this.parts = { list, chunks, array, count, built };
    return this.parts;
  }

  private partSize(parts: Parts<Row>, c: number): number {
    if (parts.chunks !== null) return (parts.chunks[c] as readonly Row[]).length;
    return Math.min(ARRAY_CHUNK, parts.array.length - c * ARRAY_CHUNK);
  }

  private chunkOf(parts: Parts<Row>, c: number): SearchChunk {
    const done = parts.built[c];
    if (done !== undefined) return done;
    const rows = parts.chunks !== null ? (parts.chunks[c] as readonly Row[]) : parts.array;
    const from = parts.chunks !== null ? 0 : c * ARRAY_CHUNK;
    const size = this.partSize(parts, c);
    const hays = new Array<string>(size);
    for (let i = 0; i < size; i++) hays[i] = this.haystack(rows[from + i] as Row);
    // A chunk copied with new rows that search the same (a metrics poll replaces every pod with a copy carrying its
    // new usage) keeps the text built for the chunk it was copied from.
    const before = this.previous[c];
    const chunk = before !== undefined && sameItems(before.hays, hays) ? before : buildSearchChunk(hays);
    parts.built[c] = chunk;
    if (parts.chunks !== null) this.byChunk.set(parts.chunks[c] as readonly Row[], chunk);
    return chunk;
  }

  /** A kept result for `query` on `rows`, or the kept result of the longest query that `query` narrows. */
  candidates(rows: RowList<Row>, query: string): FilteredRows<Row> | undefined {
    if (this.resultsFor !== rows) return undefined;
    const exact = this.results.get(query);
    if (exact) return exact;
    let best: FilteredRows<Row> | undefined;
    for (const r of this.results.values()) {
      if (r.indices !== null && narrows(r.query, query) && (!best || r.length < best.length)) best = r;
    }
    return best;
  }

  keep(result: FilteredRows<Row>): void {
    if (this.resultsFor !== result.source) {
      this.resultsFor = result.source;
      this.results = new Map();
    }
    this.results.delete(result.query);
    this.results.set(result.query, result);
    if (this.results.size > RESULTS_KEPT) this.results.delete(this.results.keys().next().value as string);
  }
}

function sameTerm(a: Term | undefined, b: Term | undefined): boolean {
  return a !== undefined && b !== undefined && a.text === b.text && a.negate === b.negate && a.fuzzy === b.fuzzy;
}

/**
 * Applies `query` to `source`. When the query narrows an earlier result (typing more), only that result's rows are
 * looked at, and only against the terms that changed. A query seen before (Backspace) returns the kept result as it
 * is.
 */
export function filterRows<Row extends object>(
  source: RowList<Row>,
  query: string,
  cache: HaystackCache<Row>,
  prev?: FilteredRows<Row>,
): FilteredRows<Row> {
  const terms = parseQuery(query);
  if (terms.length === 0) return { ...unfiltered(source), query };
  if (prev && prev.source === source && prev.query === query) return prev;
  let base = cache.candidates(source, query);
  if (base?.query === query) return base;
  if (prev && prev.source === source && prev.indices !== null && narrows(prev.query, query)) {
    if (!base || prev.length < base.length) base = prev;
  }
  const text = cache.chunked(source);
  let indices: Int32Array;
  if (base?.indices) {
    // The base rows already satisfy the base's terms; the first `k` are unchanged and need no second look.
    let k = 0;
    while (k < base.terms.length && sameTerm(base.terms[k], terms[k])) k++;
    indices = evaluate(text, terms.slice(k), base.indices);
  } else indices = evaluate(text, terms, null);
  const result: FilteredRows<Row> = { source, query, terms, indices, length: indices.length };
  const ranked = rank(text, indices, terms);
  if (ranked) result.ranked = ranked;
  cache.keep(result);
  return result;
}

/**
 * The rows (of `candidates`, or of all) that every term matches. Substring terms go first, positive ones before
 * negations (they cut the most), as native searches of the chunks' text; fuzzy terms are checked row by row.
 */
function evaluate(text: ChunkedText, terms: readonly Term[], candidates: Int32Array | null): Int32Array {
  const ordered = [
    ...terms.filter((t) => !t.fuzzy && !t.negate),
    ...terms.filter((t) => t.negate),
    ...terms.filter((t) => t.fuzzy),
  ];
  let current = candidates;
  for (const t of ordered) {
    if (!t.fuzzy) {
      current = filterPositions(text.chunks, text.bases, current, t.text, false, !t.negate);
      continue;
    }
    const hays = haysAt(text, current);
    const keep = new PositionList(hays.length);
    for (let i = 0; i < hays.length; i++) {
      if (fuzzyInAnyField(hays[i] as string, t.text)) keep.push(current === null ? i : (current[i] as number));
    }
    current = keep.done();
  }
  return current ?? Int32Array.from({ length: text.total }, (_, i) => i);
}

/** The haystacks of the rows at sorted `positions` (null: of every row). */
function haysAt(text: ChunkedText, positions: Int32Array | null): string[] {
  if (positions === null) {
    const all = new Array<string>(text.total);
    let k = 0;
    for (const chunk of text.chunks) for (let i = 0; i < chunk.count; i++) all[k++] = chunk.hays[i] as string;
    return all;
  }
  const out = new Array<string>(positions.length);
  let c = 0;
  for (let i = 0; i < positions.length; i++) {
    const p = positions[i] as number;
    while ((text.bases[c + 1] as number) <= p) c++;
    out[i] = (text.chunks[c] as SearchChunk).hays[p - (text.bases[c] as number)] as string;
  }
  return out;
}

/**
 * The matched rows in the order they are shown, or undefined for the source's order. With fuzzy terms: by score,
 * best first (a counting sort over small integer scores: linear, whatever the number of matches). Otherwise rows whose
 * NAME holds every positive term first, each group in the source's order.
 */
function rank(text: ChunkedText, indices: Int32Array, terms: readonly Term[]): Int32Array | undefined {
  const positive = terms.filter((t) => !t.negate);
  if (positive.length === 0 || indices.length < 2) return undefined;
  const fuzzy = positive.filter((t) => t.fuzzy);
  if (fuzzy.length === 0) {
    let named = indices;
    for (const t of positive) named = filterPositions(text.chunks, text.bases, named, t.text, true, true);
    if (named.length === 0 || named.length === indices.length) return undefined;
    const out = new Int32Array(indices.length);
    out.set(named);
    out.set(subtract(indices, named), named.length);
    return out;
  }
  const hays = haysAt(text, indices);
  const scores = new Int32Array(indices.length);
  let max = 0;
  for (let c = 0; c < indices.length; c++) {
    const hay = hays[c] as string;
    let score = 0;
    for (const t of fuzzy) score += fuzzyScore(hay, t.text);
    scores[c] = score;
    if (score > max) max = score;
  }
  const counts = new Int32Array(max + 2);
  for (const s of scores) counts[max - s + 1] = (counts[max - s + 1] as number) + 1;
  for (let b = 1; b < counts.length; b++) counts[b] = (counts[b] as number) + (counts[b - 1] as number);
  const out = new Int32Array(indices.length);
  for (let c = 0; c < indices.length; c++) {
    const bucket = max - (scores[c] as number);
    out[counts[bucket] as number] = indices[c] as number;
    counts[bucket] = (counts[bucket] as number) + 1;
  }
  return out;
}

/**
 * How well `term` matches fuzzily in `hay`'s best field, fzf-style (≥ 0, higher is better), on the tightest match of
 * each field (as fuzzyPositions finds it): 16 per character; a boundary bonus (8) for a character that starts a word
 * (after - . / _ or at the field's start), which the rest of a consecutive run keeps; the first character's bonus
 * counts twice; a gap costs 3, and 1 per more character; a match in NAME gets 12 more. Reads the (lowercase)
 * haystack in place: no slices, no allocation per row.
 */
export function fuzzyScore(hay: string, term: string): number {
  const n = term.length;
  let best = 0;
  let fieldStart = 0;
  let field = 0;
  while (fieldStart <= hay.length) {
    let fieldEnd = hay.indexOf(FIELD_SEPARATOR, fieldStart);
    if (fieldEnd < 0) fieldEnd = hay.length;
    // Forward: where the first complete match in this field ends.
    let j = 0;
    let end = -1;
    for (let i = fieldStart; i < fieldEnd; i++) {
      if (hay.charCodeAt(i) === term.charCodeAt(j) && ++j === n) {
        end = i;
        break;
      }
    }
    if (end >= 0) {
      // Backward from there: the tightest positions, scored from the last character to the first.
      let score = 16 * n;
      let next = -1;
      let k = n - 1;
      const positions: number[] = [];
      for (let i = end; i >= fieldStart && k >= 0; i--) {
        if (hay.charCodeAt(i) === term.charCodeAt(k)) {
          positions.push(i);
          k--;
        }
      }
      positions.reverse();
      let runBonus = 0;
      for (let q = 0; q < positions.length; q++) {
        const p = positions[q] as number;
        const before = p === fieldStart ? 0 : hay.charCodeAt(p - 1);
        const boundary = p === fieldStart || before === 45 || before === 46 || before === 47 || before === 95 ? 8 : 0;
        const consecutive = q > 0 && p === next + 1;
        runBonus = consecutive ? Math.max(runBonus, boundary) : boundary;
        score += q === 0 ? 2 * runBonus : runBonus;
        if (q > 0 && !consecutive) score -= 3 + Math.min(p - next - 2, 6);
        next = p;
      }
      if (field === NAME_FIELD) score += 12;
      if (score > best) best = score;
    }
    fieldStart = fieldEnd + 1;
    field++;
  }
  return Math.max(0, best);
}
