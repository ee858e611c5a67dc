import assert from "node:assert/strict";
import { test } from "node:test";
import {
  buildHaystack,
  filterRows,
  fuzzyInAnyField,
  fuzzyPositions,
  HaystackCache,
  highlightFields,
  matchesHaystack,
  narrows,
  parseQuery,
  rowAt,
} from "../../../src/app/filter.ts";

const hay = (...fields: string[]) => buildHaystack(fields);

test("parseQuery splits terms, lowercases, and reads !negation and ~fuzzy", () => {
  assert.deepEqual(parseQuery("  Web  !Kube ~Crsh"), [
    { text: "web", negate: false, fuzzy: false },
    { text: "kube", negate: true, fuzzy: false },
    { text: "crsh", negate: false, fuzzy: true },
  ]);
  assert.deepEqual(parseQuery("! ~"), [], "a lone ! or ~ is not a term yet");
});

test("a plain term is a substring of one field; ~term is fuzzy", () => {
  const h = hay("default", "web-7d4b9c8f6-x2x9z", "CrashLoopBackOff", "node-1", "10.0.0.1");
  assert.ok(matchesHaystack(h, parseQuery("crash")));
  assert.ok(!matchesHaystack(h, parseQuery("crsh")), "not a substring");
  assert.ok(matchesHaystack(h, parseQuery("~crsh")), "fuzzy");
  assert.ok(!matchesHaystack(h, parseQuery("faultweb")), "never across fields");
});

test("fuzzy terms match in order inside one field, not across fields", () => {
  const h = hay("default", "web-7d4b9c8f6-x2x9z", "Running", "node-1", "10.0.0.1");
  assert.ok(fuzzyInAnyField(h, "w7x"));
  assert.ok(fuzzyInAnyField(h, "running"), "case-insensitive");
  assert.ok(!fuzzyInAnyField(h, "x7w"), "order matters");
  assert.ok(!fuzzyInAnyField(h, "faultweb"), "'default' + 'web' spans two fields");
  assert.ok(fuzzyInAnyField(h, "10001"));
});

test("terms are ANDed; !term excludes by substring", () => {
  const web = hay("default", "web-1", "Running", "node-1", "10.0.0.1");
  const crash = hay("kube-system", "web-2", "CrashLoopBackOff", "node-2", "10.0.0.2");
  const q = parseQuery("web crash");
  assert.ok(!matchesHaystack(web, q));
  assert.ok(matchesHaystack(crash, q));
  const neg = parseQuery("web !kube");
  assert.ok(matchesHaystack(web, neg));
  assert.ok(!matchesHaystack(crash, neg));
  // Negation is a substring test, not fuzzy: "!kbe" does not exclude "kube-system".
  assert.ok(matchesHaystack(crash, parseQuery("!kbe")));
});

test("fuzzyPositions finds the tightest match ending at the first complete occurrence", () => {
  assert.deepEqual(fuzzyPositions("my-website-web-0", "web"), [3, 4, 5]);
  assert.deepEqual(fuzzyPositions("worker-aa-7benb", "web"), [0, 4, 11]);
  assert.deepEqual(fuzzyPositions("WEB", "web"), [0, 1, 2]);
  assert.equal(fuzzyPositions("abc", "x"), null);
});

test("highlightFields marks the first matching field of each positive term (NAME first for substrings)", () => {
  const sets = highlightFields(["default", "web-1", "Running"], parseQuery("~web run !x"));
  assert.deepEqual([...(sets[0] ?? [])], []);
  assert.deepEqual([...(sets[1] ?? [])], [0, 1, 2]);
  assert.deepEqual([...(sets[2] ?? [])], [0, 1, 2]);
});

test("narrows: extending a positive term narrows, extending a negation widens", () => {
  assert.ok(narrows("", "w"));
  assert.ok(narrows("we", "web"));
  assert.ok(narrows("web", "web x"));
  assert.ok(narrows("web !", "web !k"));
  assert.ok(!narrows("web !k", "web !ku"));
  assert.ok(narrows("web !k", "web !k x"));
  assert.ok(!narrows("web", "we"));
});

interface R {
  namespace: string;
  name: string;
}
const rows: R[] = Array.from({ length: 500 }, (_, i) => ({
  namespace: ["default", "kube-system", "payments"][i % 3] as string,
  name: `app-${i}-${(i * 7919).toString(36)}`,
}));

test("filterRows narrowing the previous result gives the same rows as filtering from scratch", () => {
  const cache = new HaystackCache<R>((r) => [r.namespace, r.name]);
  let prev = filterRows(rows, "", cache);
  assert.equal(prev.indices, null);
  assert.equal(prev.length, rows.length);
  let query = "";
  for (const ch of "~app1 !kube ~2") {
    query += ch;
    const narrowed = filterRows(rows, query, cache, prev);
    const scratch = filterRows(rows, query, new HaystackCache<R>((r) => [r.namespace, r.name]));
    assert.deepEqual([...(narrowed.indices ?? [])], [...(scratch.indices ?? [])], `query "${query}"`);
    prev = narrowed;
  }
  assert.ok(prev.length > 0 && prev.length < rows.length);
  for (let i = 0; i < prev.length; i++) {
    const r = rowAt(prev, i) as R;
    assert.ok(!r.namespace.includes("kube"));
  }
  // Substring terms narrow the same way, a longer term continuing from where its shorter form first occurred.
  prev = filterRows(rows, "", cache);
  query = "";
  for (const ch of "app-1 !kube 2") {
    query += ch;
    const narrowed = filterRows(rows, query, cache, prev);
    const scratch = filterRows(rows, query, new HaystackCache<R>((r) => [r.namespace, r.name]));
    assert.deepEqual([...(narrowed.indices ?? [])], [...(scratch.indices ?? [])], `query "${query}"`);
    prev = narrowed;
  }
  assert.ok(prev.length > 0 && prev.length < rows.length);
});

test("substring: rows whose NAME holds the term come first; ~fuzzy ranks by score, tight matches first", () => {
  const pods: R[] = [
    { namespace: "crash-lab", name: "api-1" },
    { namespace: "default", name: "crash-reporter" },
    { namespace: "default", name: "c-r-a-s-h" },
    { namespace: "default", name: "crashy" },
  ];
  const cache = new HaystackCache<R>((r) => [r.namespace, r.name]);
  const names = (q: string) => {
    const f = filterRows(pods, q, cache);
    return Array.from({ length: f.length }, (_, i) => (rowAt(f, i) as R).name);
  };
  assert.deepEqual(names("crash"), ["crash-reporter", "crashy", "api-1"], "NAME matches first, then the table's order");
  assert.deepEqual(names("~crash").slice(0, 2).sort(), ["crash-reporter", "crashy"]);
  assert.equal(names("~crash").at(-1), "c-r-a-s-h", "the scattered match ranks last");
});

test("filterRows after a negation is lengthened re-filters from all rows", () => {
  const cache = new HaystackCache<R>((r) => [r.namespace, r.name]);
  const a = filterRows(rows, "!k", cache);
  const b = filterRows(rows, "!ku", cache, a);
  assert.equal(b.length, rows.length - rows.filter((r) => `${r.namespace}\n${r.name}`.includes("ku")).length);
  assert.ok(b.length > a.length);
});

test("Backspace returns the kept result; a query narrowing an older one starts from it", () => {
  const cache = new HaystackCache<R>((r) => [r.namespace, r.name]);
  const a = filterRows(rows, "~app1", cache);
  const b = filterRows(rows, "~app12", cache, a);
  assert.equal(filterRows(rows, "~app1", cache, b), a, "the same result object, nothing re-evaluated");
  const c = filterRows(rows, "~app1 !kube", cache, a);
  const scratch = filterRows(rows, "~app1 !kube", new HaystackCache<R>((r) => [r.namespace, r.name]));
  assert.deepEqual([...(c.indices ?? [])], [...(scratch.indices ?? [])]);
});

test("warm builds the search text in slices of whole chunks and then reports done", () => {
  let built = 0;
  const cache = new HaystackCache<R>((r) => {
    built++;
    return [r.namespace, r.name];
  });
  const many: R[] = Array.from({ length: 3000 }, (_, i) => ({ namespace: "default", name: `pod-${i}` }));
  assert.equal(cache.warm(many, 0, 200), 1024, "the first chunk of an array: 1,024 rows");
  assert.equal(built, 1024);
  assert.equal(cache.warm(many, 1024, 1500), -1, "1,500 rows asked: the two chunks left");
  assert.equal(built, many.length);
  filterRows(many, "x", cache);
  assert.equal(built, many.length, "filtering after warming builds nothing");
  assert.equal(cache.warm(many, 0, 10), -1);
});

test("incremental filtering agrees with a plain scan for random typing, deleting and negating", () => {
  let seed = 7;
  const rand = (n: number) => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed % n;
  };
  const alphabet = "abc-1";
  const word = () => Array.from({ length: 1 + rand(8) }, () => alphabet[rand(alphabet.length)]).join("");
  const small: R[] = Array.from({ length: 300 }, () => ({ namespace: word(), name: `${word()}-${word()}` }));
  const cache = new HaystackCache<R>((r) => [r.namespace, r.name]);
  const keys = "abc-1 !";
  let query = "";
  let prev = filterRows(small, query, cache);
  for (let step = 0; step < 400; step++) {
    if (rand(4) === 0 && query.length > 0) query = query.slice(0, -1);
    else query += keys[rand(keys.length)];
    const got = filterRows(small, query, cache, prev);
    const terms = parseQuery(query);
    const want = small.flatMap((r, i) => (matchesHaystack(buildHaystack([r.namespace, r.name]), terms) ? [i] : []));
    assert.deepEqual(got.indices ? [...got.indices] : small.map((_, i) => i), want, `query "${query}"`);
    prev = got;
  }
});

test("a row's haystack is the one it was made with; rows made without one get theirs built once, ahead of the first key", async () => {
  const { HaystackCache, buildHaystack, filterRows } = await import("../../../src/app/filter.ts");
  interface R {
    name: string;
    haystack?: string;
  }
  let built = 0;
  const cache = new HaystackCache<R>((row) => {
    built++;
    return [row.name];
  });
  // Made at ingest: read as they are (even when they say something else than the fields would), never rebuilt.
  const made: R[] = [
    { name: "web-1", haystack: "web-1\nrunning" },
    { name: "db-1", haystack: "db-1\npending" },
  ];
  assert.equal(cache.warm(made, 0, 10), -1);
  assert.deepEqual([...(filterRows(made, "running", cache).indices ?? [])], [0]);
  assert.equal(built, 0);
  // Made without: built by warm(), then cached per row object.
  const plain: R[] = Array.from({ length: 25 }, (_, i) => ({ name: `Pod-${i}` }));
  assert.equal(cache.warm(plain, 0, 10), -1);
  assert.equal(built, 25);
  assert.equal(cache.haystack(plain[3]!), buildHaystack(["Pod-3"]));
  assert.deepEqual([...(filterRows(plain, "pod-2", cache).indices ?? [])], [2, 20, 21, 22, 23, 24]);
  assert.equal(built, 25, "no haystack is built twice");
});

/** Rows as a table shows them: positions of the expected rows by a plain scan, NAME matches first for plain terms. */
function expected(list: readonly R[], query: string): string[] {
  const terms = parseQuery(query);
  const hays = list.map((r) => buildHaystack([r.namespace, r.name]));
  const matched = list.filter((_, i) => matchesHaystack(hays[i] as string, terms));
  const positive = terms.filter((t) => !t.negate);
  if (positive.length === 0 || positive.some((t) => t.fuzzy)) return matched.map((r) => r.name);
  const named = matched.filter((r) => positive.every((t) => r.name.toLowerCase().includes(t.text)));
  return [...named, ...matched.filter((r) => !named.includes(r))].map((r) => r.name);
}
const shown = (f: { length: number }, at: (i: number) => R | undefined) =>
  Array.from({ length: f.length }, (_, i) => (at(i) as R).name);

test("many rows, in chunks that change between keys: the scans of the chunks' text agree with a plain scan", async () => {
  const { SortedRows } = await import("../../../src/kube/sorted-rows.ts");
  let seed = 11;
  const rand = (n: number) => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed % n;
  };
  const alphabet = "abcd-12";
  const word = () => Array.from({ length: 1 + rand(6) }, () => alphabet[rand(alphabet.length)]).join("");
  // Enough rows (20k) that terms go to the native scans, not the row-by-row checks (up to 2,048 candidates).
  // Namespaces of few values, names of many.
  const namespaces = Array.from({ length: 12 }, word);
  const namespace = () => namespaces[rand(namespaces.length)] as string;
  let list: R[] = Array.from({ length: 20000 }, (_, i) => ({
    namespace: namespace(),
    name: `${word()}-${i % 97}-${word()}`,
  }));
  const cache = new HaystackCache<R>((r) => [r.namespace, r.name]);
  const queries = ["a", "ab", "ab-", "a !b", "a !bc", "1 2", "~ab1", "d", "dd", "-1", "!a", "c-1 !d ~a"];
  for (let round = 0; round < 6; round++) {
    const sorted = SortedRows.fromArray(list);
    let prev = filterRows(sorted, "", cache);
    for (const query of queries) {
      const got = filterRows(sorted, query, cache, prev);
      const want = expected(list, query);
      if (parseQuery(query).some((t) => t.fuzzy))
        assert.deepEqual(shown(got, (i) => rowAt(got, i)).sort(), [...want].sort(), query);
      else
        assert.deepEqual(
          shown(got, (i) => rowAt(got, i)),
          want,
          `round ${round}, query "${query}"`,
        );
      prev = got;
    }
    // The next version: some rows replaced by copies (same text), some changed, some gone, some new.
    const next = [...list];
    for (let k = 0; k < 300; k++) {
      const i = rand(next.length);
      const r = next[i] as R;
      next[i] = rand(2) === 0 ? { ...r } : { namespace: rand(4) === 0 ? word() : namespace(), name: `${word()}-${k}` };
    }
    next.splice(rand(next.length), 50);
    next.splice(rand(next.length), 0, ...Array.from({ length: 40 }, () => ({ namespace: namespace(), name: word() })));
    list = next;
  }
});

test("a new version whose chunks were copied with the same rows' text reuses their search text", async () => {
  const { SortedRows } = await import("../../../src/kube/sorted-rows.ts");
  const cache = new HaystackCache<R>((r) => [r.namespace, r.name]);
  // Rows that carry their haystack keep it on a copy ({ ...row }), as the repository's rows do.
  const made = Array.from({ length: 5000 }, (_, i) => {
    const r = { namespace: "default", name: `pod-${i}` };
    return { ...r, haystack: buildHaystack([r.namespace, r.name]) };
  });
  const b = SortedRows.fromArray(made);
  const before = cache.chunked(b).chunks;
  const copies = made.map((r) => ({ ...r }));
  copies[7] = { namespace: "default", name: "renamed", haystack: buildHaystack(["default", "renamed"]) };
  const c = SortedRows.fromArray(copies);
  const after = cache.chunked(c).chunks;
  assert.equal(after.length, before.length);
  assert.notEqual(after[0], before[0], "the chunk with a changed row is built again");
  for (let i = 1; i < after.length; i++) assert.equal(after[i], before[i], `chunk ${i} reused`);
  const result = filterRows(c, "pod-1", cache);
  assert.deepEqual(
    shown(result, (i) => rowAt(result, i)),
    copies.filter((r) => r.name.includes("pod-1")).map((r) => r.name),
  );
  assert.equal(filterRows(c, "renamed", cache).length, 1);
});

test("sourcePosition and shownAt map between a row's place on screen and in the rows, ranked or not", async () => {
  const { shownAt, sourcePosition } = await import("../../../src/app/filter.ts");
  const pods: R[] = [
    { namespace: "crash-lab", name: "api-1" },
    { namespace: "default", name: "web-1" },
    { namespace: "default", name: "crash-reporter" },
    { namespace: "default", name: "db-1" },
  ];
  const cache = new HaystackCache<R>((r) => [r.namespace, r.name]);
  const all = filterRows(pods, "", cache);
  assert.equal(sourcePosition(all, 3), 3);
  assert.equal(shownAt(all, 3), 3);
  const crash = filterRows(pods, "crash", cache);
  // Shown: crash-reporter (NAME) first, then api-1.
  assert.deepEqual(
    [0, 1].map((i) => sourcePosition(crash, i)),
    [2, 0],
  );
  assert.equal(shownAt(crash, 0), 1);
  assert.equal(shownAt(crash, 2), 0);
  assert.equal(shownAt(crash, 1), -1, "web-1 is filtered out");
  assert.equal(sourcePosition(crash, 2), -1);
});
