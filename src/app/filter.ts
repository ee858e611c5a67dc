// The `/` filter: space-separated terms, all of which must match (AND). A plain term matches as a substring of one
// field (namespace, name, status, ...), as k9s's filter does, and rows whose NAME holds every term come first. `~term`
// matches fzf-style fuzzily (its characters in order inside one field) and ranks the rows by how well they match, as
// fzf does. `!term` excludes rows containing the term as a substring. Matching is case-insensitive.
//
// Cost model for 100k rows: every row has a lowercase "haystack" (its fields joined by "\n", which no term can
// contain), built once when the row is made at ingest (resources/search.ts), so a key reads one string per row and
// builds nothing; and the matched row indices are kept so that a query that only extends the previous one filters
// the previous matches instead of all rows.

import { type RowList, rowArray } from "../kube/sorted-rows.ts";
import { FIELD_SEPARATOR, NAME_FIELD, searchText } from "../resources/search.ts";

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

/**
 * Where a positive term matches in `hay`, or -1: a substring's first start, a fuzzy term's earliest end (see
 * fuzzyMatchEnd). Either is where a longer form of the same term can continue from (see filterRows).
 */
function matchAt(hay: string, term: Term): number {
  return term.fuzzy ? fuzzyMatchEnd(hay, term.text) : hay.indexOf(term.text);
}

export { FIELD_SEPARATOR, NAME_FIELD, searchText as buildHaystack };

/**
 * Where `term` ends (index in `hay`) in the first field that contains it as a subsequence, searching fields from
 * `from` on; -1 if none. Greedy within a field gives the earliest possible end, which is what lets a longer term be
 * checked from there (see filterRows). Scans with indexOf (native, much faster than a charCodeAt loop over 100k
 * haystacks): find the first character, then each next one after it, and if one falls beyond the field's end,
 * start again at the next field.
 */
export function fuzzyMatchEnd(hay: string, term: string, from = 0): number {
  const n = term.length;
  const first = term[0] as string;
  let start = from;
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

/**
 * `extended` = a term whose match in `hay` ended at `end`, plus `suffix`: where the extended term ends. Continues in
 * the same field from `end`; if the suffix is not there, the extended term may still match in a later field.
 */
function extendMatch(hay: string, end: number, suffix: string, extended: string): number {
  let fieldEnd = hay.indexOf(FIELD_SEPARATOR, end);
  if (fieldEnd < 0) fieldEnd = hay.length;
  let q = end;
  for (let j = 0; j < suffix.length; j++) {
    q = hay.indexOf(suffix[j] as string, q + 1);
    if (q < 0) return -1;
    if (q >= fieldEnd) return fieldEnd < hay.length ? fuzzyMatchEnd(hay, extended, fieldEnd + 1) : -1;
  }
  return q;
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

/** A filtered view of a row array: `indices` into `source`, or null when nothing is filtered out. */
export interface FilteredRows<Row> {
  /** An array when rows are filtered out (indices point into it); any list when nothing is. */
  source: RowList<Row>;
  query: string;
  terms: Term[];
  /** The matched rows in the source's order (what a longer query narrows). */
  indices: Int32Array | null;
  length: number;
  /** When the last term is positive: where it matched in each row's haystack (parallel to indices; see matchAt). */
  ends?: Int32Array;
  /** The matched rows as shown: ranked (names first, or by fuzzy score); absent when they show in source order. */
  ranked?: Int32Array;
}

export function rowAt<Row>(f: FilteredRows<Row>, i: number): Row | undefined {
  const order = f.ranked ?? f.indices;
  if (order === null) return f.source.at(i);
  const idx = order[i];
  return idx === undefined ? undefined : f.source.at(idx);
}

export function unfiltered<Row>(source: RowList<Row>): FilteredRows<Row> {
  return { source, query: "", terms: [], indices: null, length: source.length };
}

/** How many recent filter results are kept per rows array (for Backspace and for narrowing from an older query). */
const RESULTS_KEPT = 16;

/** A row that may carry its search text, built when it was made (see resources/search.ts). */
export interface SearchableRow {
  haystack?: string;
}

/**
 * The haystack of each row: the one it was made with (the repository builds it at ingest), or else one built here
 * once per row object; and per rows array, the haystacks as one string array for the scans. Also keeps the last few
 * filter results for the current rows array.
 */
export class HaystackCache<Row extends object> {
  private readonly byRow = new WeakMap<Row, string>();
  private readonly byArray = new WeakMap<readonly Row[], readonly string[]>();
  private readonly fieldsOf: (row: Row) => readonly string[];
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

  /**
   * The haystacks of `rows` as one array, read once per rows array: the scans then read a string array rather than a
   * field of row objects of several shapes (decoded, with usage, ...), which V8 reads several times slower.
   */
  forRows(rows: readonly Row[]): readonly string[] {
    const done = this.byArray.get(rows);
    if (done) return done;
    this.warm(rows, 0, rows.length);
    return this.byArray.get(rows) as readonly string[];
  }

  // The array being filled by warm(), slice by slice, and how far it got.
  private warming: { rows: readonly Row[]; hays: string[]; next: number } | null = null;

  /**
   * Fills the haystack array of `rows` (see forRows) by `count` more rows, ahead of the first key of a filter: the
   * runtime calls it in slices when the filter prompt opens. Returns the next index, or -1 when done.
   */
  warm(list: RowList<Row>, from: number, count: number): number {
    const rows = rowArray(list);
    if (this.byArray.has(rows)) return -1;
    if (this.warming?.rows !== rows) this.warming = { rows, hays: new Array<string>(rows.length), next: 0 };
    const w = this.warming;
    const end = Math.min(rows.length, Math.max(from, w.next) + count);
    for (let i = w.next; i < end; i++) w.hays[i] = this.haystack(rows[i] as Row);
    w.next = end;
    if (end < rows.length) return end;
    this.byArray.set(rows, w.hays);
    this.warming = null;
    return -1;
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
 * looked at, only against the terms that changed, and a lengthened last term continues from where its shorter form
 * matched. A query seen before (Backspace) returns the kept result as it is.
 */
export function filterRows<Row extends object>(
  source: readonly Row[],
  query: string,
  cache: HaystackCache<Row>,
  prev?: FilteredRows<Row>,
): FilteredRows<Row> {
  const terms = parseQuery(query);
  if (terms.length === 0) return { ...unfiltered(source), query };
  if (prev && prev.source === source && prev.query === query) return prev;
  const hays = cache.forRows(source);
  let base = cache.candidates(source, query);
  if (base?.query === query) return base;
  if (prev && prev.source === source && prev.indices !== null && narrows(prev.query, query)) {
    if (!base || prev.length < base.length) base = prev;
  }
  const last = terms.length - 1;
  const lastTerm = terms[last] as Term;
  const wantEnds = !lastTerm.negate;
  let out: Int32Array;
  let ends: Int32Array | undefined;
  let n = 0;
  if (base?.indices) {
    // The base rows already satisfy the base's terms; the first `k` are unchanged and need no second look.
    let k = 0;
    while (k < base.terms.length && sameTerm(base.terms[k], terms[k])) k++;
    const candidates = base.indices;
    out = new Int32Array(base.length);
    if (wantEnds) ends = new Int32Array(base.length);
    const baseLast = base.terms[k];
    const extending =
      k === last &&
      k === base.terms.length - 1 &&
      base.ends !== undefined &&
      baseLast !== undefined &&
      !baseLast.negate &&
      baseLast.fuzzy === lastTerm.fuzzy &&
      wantEnds &&
      lastTerm.text.startsWith(baseLast.text);
    if (extending && ends && base.ends) {
      const suffix = lastTerm.text.slice((baseLast as Term).text.length);
      const baseEnds = base.ends;
      for (let c = 0; c < base.length; c++) {
        const i = candidates[c] as number;
        const hay = hays[i] as string;
        // A substring's longer form first occurs at or after where the shorter one first did.
        const e = lastTerm.fuzzy
          ? extendMatch(hay, baseEnds[c] as number, suffix, lastTerm.text)
          : hay.indexOf(lastTerm.text, baseEnds[c] as number);
        if (e >= 0) {
          ends[n] = e;
          out[n++] = i;
        }
      }
    } else {
      const rest = terms.slice(k, last);
      for (let c = 0; c < base.length; c++) {
        const i = candidates[c] as number;
        const hay = hays[i] as string;
        if (k <= last - 1 && !matchesHaystack(hay, rest)) continue;
        if (k === terms.length) {
          // Nothing changed in the terms (only spaces or a lone "!" were typed): keep the row and its end.
          if (ends) ends[n] = base.ends?.[c] ?? matchAt(hay, lastTerm);
          out[n++] = i;
          continue;
        }
        if (ends) {
          const e = matchAt(hay, lastTerm);
          if (e < 0) continue;
          ends[n] = e;
        } else if (hay.includes(lastTerm.text)) continue;
        out[n++] = i;
      }
    }
  } else {
    out = new Int32Array(source.length);
    if (wantEnds) ends = new Int32Array(source.length);
    const rest = terms.slice(0, last);
    for (let i = 0; i < source.length; i++) {
      const hay = hays[i] as string;
      if (last > 0 && !matchesHaystack(hay, rest)) continue;
      if (ends) {
        const e = matchAt(hay, lastTerm);
        if (e < 0) continue;
        ends[n] = e;
      } else if (hay.includes(lastTerm.text)) continue;
      out[n++] = i;
    }
  }
  const result: FilteredRows<Row> = { source, query, terms, indices: out.slice(0, n), length: n };
  if (ends) result.ends = ends.slice(0, n);
  const ranked = rank(result.indices as Int32Array, hays, terms);
  if (ranked) result.ranked = ranked;
  cache.keep(result);
  return result;
}

/** NAME's text in a haystack: [start, end). */
function nameField(hay: string): [number, number] {
  const start = hay.indexOf(FIELD_SEPARATOR) + 1;
  if (start === 0) return [0, 0];
  const end = hay.indexOf(FIELD_SEPARATOR, start);
  return [start, end < 0 ? hay.length : end];
}

/**
 * The matched rows in the order they are shown, or undefined for the source's order. With fuzzy terms: by score,
 * best first (a counting sort over small integer scores: linear, whatever the number of matches). Otherwise rows whose
 * NAME holds every positive term first, each group in the source's order.
 */
function rank(indices: Int32Array, hays: readonly string[], terms: readonly Term[]): Int32Array | undefined {
  const positive = terms.filter((t) => !t.negate);
  if (positive.length === 0 || indices.length < 2) return undefined;
  const fuzzy = positive.filter((t) => t.fuzzy);
  if (fuzzy.length === 0) {
    // Two passes into one array, no intermediate lists: NAME matches, then the others, each in source order.
    const inName = new Uint8Array(indices.length);
    let named = 0;
    for (let c = 0; c < indices.length; c++) {
      const hay = hays[indices[c] as number] as string;
      const [start, end] = nameField(hay);
      let all = true;
      for (const t of positive) {
        const at = hay.indexOf(t.text, start);
        if (at < 0 || at + t.text.length > end) {
          all = false;
          break;
        }
      }
      if (all) {
        inName[c] = 1;
        named++;
      }
    }
    if (named === 0 || named === indices.length) return undefined;
    const out = new Int32Array(indices.length);
    let front = 0;
    let back = named;
    for (let c = 0; c < indices.length; c++) out[inName[c] ? front++ : back++] = indices[c] as number;
    return out;
  }
  const scores = new Int32Array(indices.length);
  let max = 0;
  for (let c = 0; c < indices.length; c++) {
    const hay = hays[indices[c] as number] as string;
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
