// The `/` filter: space-separated terms, all of which must match (AND). A plain term matches fzf-style fuzzily: its
// characters appear in order inside one field (namespace, name, status, ...), not spread across fields. `!term`
// excludes rows containing the term as a substring. Matching is case-insensitive.
//
// Cost model for 100k rows: every row gets a lowercase "haystack" (its fields joined by "\n", which no term can
// contain) built once per row object, and the matched row indices are kept so that a query that only extends the
// previous one filters the previous matches instead of all rows.

export interface Term {
  text: string; // lowercase, non-empty
  negate: boolean;
}

export function parseQuery(query: string): Term[] {
  const terms: Term[] = [];
  for (const word of query.toLowerCase().split(/\s+/)) {
    if (word === "") continue;
    if (word.startsWith("!")) {
      if (word.length > 1) terms.push({ text: word.slice(1), negate: true });
      continue;
    }
    terms.push({ text: word, negate: false });
  }
  return terms;
}

/** Field separator inside a haystack. Terms never contain it, since they are split on whitespace. */
export const FIELD_SEPARATOR = "\n";

export function buildHaystack(fields: readonly string[]): string {
  return fields.join(FIELD_SEPARATOR).toLowerCase();
}

/** Does `term` occur as a subsequence inside one field of `hay`? Greedy within a field is optimal. */
export function fuzzyInAnyField(hay: string, term: string): boolean {
  const n = term.length;
  let j = 0;
  let want = term.charCodeAt(0);
  for (let i = 0; i < hay.length; i++) {
    const c = hay.charCodeAt(i);
    if (c === want) {
      if (++j === n) return true;
      want = term.charCodeAt(j);
    } else if (c === 10) {
      j = 0;
      want = term.charCodeAt(0);
    }
  }
  return false;
}

export function matchesHaystack(hay: string, terms: readonly Term[]): boolean {
  for (const t of terms) {
    if (t.negate ? hay.includes(t.text) : !fuzzyInAnyField(hay, t.text)) return false;
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

/** Highlight positions per field for the positive terms (negated terms only exclude, nothing to show). */
export function highlightFields(fields: readonly string[], terms: readonly Term[]): Set<number>[] {
  const result = fields.map(() => new Set<number>());
  for (const t of terms) {
    if (t.negate) continue;
    for (let f = 0; f < fields.length; f++) {
      const positions = fuzzyPositions(fields[f] ?? "", t.text);
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
  source: readonly Row[];
  query: string;
  terms: Term[];
  indices: Int32Array | null;
  length: number;
}

export function rowAt<Row>(f: FilteredRows<Row>, i: number): Row | undefined {
  if (f.indices === null) return f.source[i];
  const idx = f.indices[i];
  return idx === undefined ? undefined : f.source[idx];
}

export function unfiltered<Row>(source: readonly Row[]): FilteredRows<Row> {
  return { source, query: "", terms: [], indices: null, length: source.length };
}

/** Per-row haystacks, cached by row object: rows that did not change between repository updates keep theirs. */
export class HaystackCache<Row extends object> {
  private readonly byRow = new WeakMap<Row, string>();
  private readonly byArray = new WeakMap<readonly Row[], string[]>();
  private readonly fieldsOf: (row: Row) => readonly string[];

  constructor(fieldsOf: (row: Row) => readonly string[]) {
    this.fieldsOf = fieldsOf;
  }

  forRows(rows: readonly Row[]): string[] {
    let hays = this.byArray.get(rows);
    if (hays) return hays;
    hays = new Array(rows.length);
    for (let i = 0; i < rows.length; i++) {
      const row = rows[i] as Row;
      let h = this.byRow.get(row);
      if (h === undefined) {
        h = buildHaystack(this.fieldsOf(row));
        this.byRow.set(row, h);
      }
      hays[i] = h;
    }
    this.byArray.set(rows, hays);
    return hays;
  }
}

/** Applies `query` to `source`, reusing `prev` when the query only narrowed it. */
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
  const out = new Int32Array(prev?.source === source && narrows(prev.query, query) ? prev.length : source.length);
  let n = 0;
  if (prev && prev.source === source && prev.indices !== null && narrows(prev.query, query)) {
    const candidates = prev.indices;
    for (let k = 0; k < prev.length; k++) {
      const i = candidates[k] as number;
      if (matchesHaystack(hays[i] as string, terms)) out[n++] = i;
    }
  } else {
    for (let i = 0; i < hays.length; i++) {
      if (matchesHaystack(hays[i] as string, terms)) out[n++] = i;
    }
  }
  return { source, query, terms, indices: out.subarray(0, n), length: n };
}
