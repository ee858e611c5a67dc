import assert from "node:assert/strict";
import { test } from "node:test";
import { compareRows, RowStore, rowKey } from "../../../src/kube/store.ts";
import type { BaseRow } from "../../../src/resources/types.ts";

interface Row extends BaseRow {
  node: string;
}

function row(namespace: string, name: string, createdAt: number, node = "n1"): Row {
  return { namespace, name, uid: `${namespace}-${name}`, createdAt, node };
}

function names(rows: readonly Row[]): string[] {
  return rows.map(rowKey);
}

function expectedOrder(store: RowStore<Row>): string[] {
  return [...store.keys()]
    .map((k) => store.get(k)!)
    .sort(compareRows)
    .map(rowKey);
}

test("rows are sorted newest first, then namespace, then name", () => {
  const store = new RowStore<Row>();
  store.upsert(row("b", "x", 10));
  store.upsert(row("a", "y", 10));
  store.upsert(row("a", "b", 10));
  store.upsert(row("z", "new", 20));
  store.upsert(row("a", "old", 1));
  assert.deepEqual(names(store.rows()), ["z/new", "a/b", "a/y", "b/x", "a/old"]);
});

test("rows() returns the same array until something changes, and never mutates a handed-out snapshot", () => {
  const store = new RowStore<Row>();
  store.upsert(row("a", "1", 1));
  const first = store.rows();
  assert.equal(store.rows(), first);
  store.upsert(row("a", "2", 2));
  const second = store.rows();
  assert.notEqual(second, first);
  assert.deepEqual(names(first), ["a/1"]);
  assert.deepEqual(names(second), ["a/2", "a/1"]);
});

test("updates move a row, deletes remove it, in both the patch and the merge paths", () => {
  for (const batch of [3, 500]) {
    const store = new RowStore<Row>();
    for (let i = 0; i < 1000; i++) store.upsert(row(`ns${i % 7}`, `p${i}`, i % 50));
    store.rows();
    for (let i = 0; i < batch; i++) {
      const k = (i * 37) % 1000;
      if (i % 3 === 0) store.remove(`ns${k % 7}/p${k}`);
      else store.upsert(row(`ns${k % 7}`, `p${k}`, 100 + i));
    }
    // Replace the same key twice before a snapshot is taken.
    store.upsert(row("ns1", "p1", 5000));
    store.upsert(row("ns1", "p1", 6000));
    assert.deepEqual(names(store.rows()), expectedOrder(store), `batch ${batch}`);
    assert.equal(store.rows().length, store.size);
  }
});

test("retainOnly drops rows the server no longer has", () => {
  const store = new RowStore<Row>();
  for (const n of ["a", "b", "c"]) store.upsert(row("ns", n, 1));
  store.rows();
  assert.equal(store.retainOnly(new Set(["ns/a", "ns/c"])), 1);
  assert.deepEqual(names(store.rows()), ["ns/a", "ns/c"]);
});

test("secondary indexes follow updates and deletes", () => {
  const store = new RowStore<Row>({ node: (r) => r.node, namespace: (r) => r.namespace });
  store.upsert(row("a", "1", 1, "n1"));
  store.upsert(row("a", "2", 2, "n1"));
  store.upsert(row("b", "3", 3, "n2"));
  assert.deepEqual(names(store.indexed("node", "n1")), ["a/2", "a/1"]);
  store.upsert(row("a", "2", 2, "n2"));
  assert.deepEqual(names(store.indexed("node", "n1")), ["a/1"]);
  assert.deepEqual(names(store.indexed("node", "n2")), ["b/3", "a/2"]);
  store.remove("a/1");
  assert.deepEqual(store.indexValues("node"), ["n2"]);
  assert.deepEqual(store.indexValues("namespace"), ["a", "b"]);
});

test("an index is built from every row on its first query, then follows changes", () => {
  const store = new RowStore<Row>({ node: (r) => r.node, namespace: (r) => r.namespace });
  store.upsert(row("a", "1", 1, "n1"));
  store.upsert(row("a", "2", 2, "n1"));
  store.rows();
  // Before any query the node index does not exist: a node change is a replacement in place, seen when it is built.
  store.upsert(row("a", "2", 2, "n2"));
  store.remove("a/1");
  store.upsert(row("b", "3", 3, "n1"));
  assert.deepEqual(names(store.indexed("node", "n1")), ["b/3"]);
  assert.deepEqual(names(store.indexed("node", "n2")), ["a/2"]);
  store.upsert(row("b", "3", 3, "n2"));
  assert.deepEqual(names(store.indexed("node", "n1")), []);
  assert.deepEqual(names(store.indexed("node", "n2")), ["b/3", "a/2"]);
  // The namespace index is still unbuilt; its first query sees every row too.
  assert.deepEqual(store.indexValues("namespace"), ["a", "b"]);
  assert.deepEqual(names(store.rows()), ["b/3", "a/2"]);
});

test("indexes built in the background, a few rows a turn, through changes made meanwhile", async () => {
  const turn = () => new Promise((resolve) => setImmediate(resolve));
  const store = new RowStore<Row>({ node: (r) => r.node, namespace: (r) => r.namespace });
  for (let i = 0; i < 50; i++) store.upsert(row(`ns${i % 3}`, `p${i}`, i, `n${i % 4}`));
  store.buildIndexesSoon(7);
  store.buildIndexesSoon(7); // a second call while one is under way does nothing
  for (let round = 0; round < 5; round++) {
    await turn();
    // Behind the build and ahead of it: moved to another node, removed, added.
    store.upsert(row("ns0", `p${round * 3}`, round * 3, "n9"));
    store.remove(`ns${(40 + round) % 3}/p${40 + round}`);
    store.upsert(row("ns1", `new${round}`, 100 + round, "n1"));
  }
  for (let i = 0; i < 10; i++) await turn();
  const expect = (node: string) => [...store.keys()].filter((k) => store.get(k)?.node === node).sort();
  for (const n of ["n0", "n1", "n2", "n3", "n9"])
    assert.deepEqual(store.indexed("node", n).map(rowKey).sort(), expect(n));
  assert.deepEqual(store.indexValues("namespace"), ["ns0", "ns1", "ns2"]);
});

test("a query during a background build finishes it first", () => {
  const store = new RowStore<Row>({ node: (r) => r.node });
  for (let i = 0; i < 20; i++) store.upsert(row("ns", `p${i}`, i, i < 10 ? "n1" : "n2"));
  store.buildIndexesSoon(3);
  assert.equal(store.indexed("node", "n2").length, 10);
  assert.equal(store.indexed("node", "n1").length, 10);
});

test("rows replaced in place (same order and indexes) mixed with moves, adds and removes: always the true order", () => {
  // A seeded walk over every path: in-place replacement alone, mixed with ordinary changes, and removals of rows
  // replaced in place (which must not leave a ghost of their snapshot row behind).
  let seed = 42;
  const rand = (n: number) => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed % n;
  };
  const store = new RowStore<Row>({ node: (r) => r.node });
  for (let i = 0; i < 300; i++) store.upsert(row(`ns${i % 3}`, `p${i}`, i % 50, `n${i % 4}`));
  store.rows();
  for (let round = 0; round < 400; round++) {
    const ops = 1 + rand(120);
    for (let o = 0; o < ops; o++) {
      const i = rand(330);
      const key = `ns${i % 3}/p${i}`;
      const current = store.get(key);
      const op = rand(10);
      if (op < 6 && current)
        store.upsert({ ...current }); // same place, same node: in place
      else if (op < 7 && current) store.upsert({ ...current, node: `n${rand(4)}` });
      else if (op < 8 && current) store.upsert({ ...current, createdAt: rand(50) });
      else if (op < 9) store.remove(key);
      else store.upsert(row(`ns${i % 3}`, `p${i}`, rand(50), `n${i % 4}`));
    }
    const rows = store.rows();
    assert.deepEqual(names(rows), expectedOrder(store), `round ${round}`);
    for (const r of rows) assert.equal(store.get(rowKey(r)), r, "the snapshot holds the current row objects");
    for (const n of ["n0", "n1", "n2", "n3"]) {
      const want = [...store.keys()].filter((k) => store.get(k)?.node === n).sort();
      assert.deepEqual(store.indexed("node", n).map(rowKey).sort(), want);
    }
  }
});

test("the chunked snapshot: a few changes make a new version that shares untouched chunks; old versions never change", () => {
  // 6,000 rows in chunks of 512: inserts crowd one region until its chunk splits, removals empty whole chunks, and
  // replacements land where their rows were. Every version is checked by position against the true order, and
  // every earlier version against what it was when handed out.
  let seed = 7;
  const rand = (n: number) => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed % n;
  };
  const store = new RowStore<Row>({ node: (r) => r.node });
  for (let i = 0; i < 6000; i++) store.upsert(row(`ns${i % 5}`, `p${i}`, i, `n${i % 4}`));
  const kept: { list: ReturnType<RowStore<Row>["list"]>; names: string[] }[] = [];
  let next = 6000;
  for (let round = 0; round < 300; round++) {
    const ops = 1 + rand(40);
    for (let o = 0; o < ops; o++) {
      const op = rand(10);
      const list = store.list();
      const at = list.at(rand(list.length));
      if (op < 4 || !at) {
        // New rows crowd the region of createdAt 3000: that chunk splits again and again.
        store.upsert(row(`ns${next % 5}`, `q${next}`, 3000, `n${next % 4}`));
        next++;
      } else if (op < 5)
        store.upsert({ ...at }); // in place
      else if (op < 6)
        store.upsert({ ...at, createdAt: rand(7000) }); // moves
      else if (op < 9 || round % 20 !== 0) store.remove(rowKey(at));
      else {
        // A run of neighbours goes: whole chunks empty out.
        const from = list.lowerBound(at, compareRows);
        for (let i = from; i < Math.min(list.length, from + 600); i++) store.remove(rowKey(list.at(i)!));
      }
    }
    const list = store.list();
    const want = expectedOrder(store);
    assert.equal(list.length, want.length, `round ${round}`);
    const byPosition = Array.from({ length: list.length }, (_, i) => rowKey(list.at(i)!));
    assert.deepEqual(byPosition, want, `round ${round}: at(i)`);
    assert.deepEqual(names(list.toArray()), want, `round ${round}: toArray()`);
    assert.deepEqual(names([...list]), want, `round ${round}: iteration`);
    assert.equal(list.at(-1), undefined);
    assert.equal(list.at(list.length), undefined);
    if (round % 25 === 0) kept.push({ list, names: byPosition });
    if (store.size < 2000) for (let i = 0; i < 3000; i++) store.upsert(row("refill", `r${next++}`, rand(7000)));
  }
  for (const { list, names: was } of kept) {
    assert.deepEqual(
      Array.from({ length: list.length }, (_, i) => rowKey(list.at(i)!)),
      was,
      "a handed-out version is unchanged",
    );
  }
  assert.equal(store.list(), store.list(), "the same version while nothing changed");
});

test("the chunked snapshot's editor empties a chunk row by row, then fills the place again", async () => {
  const { SortedRows } = await import("../../../src/kube/sorted-rows.ts");
  const all = Array.from({ length: 1000 }, (_, i) => row("ns", `p${String(i).padStart(4, "0")}`, 5000 - i));
  const v1 = SortedRows.fromArray(all);
  const editor = v1.edit(compareRows);
  // The second chunk (rows 512..999) goes one row at a time.
  for (let i = 999; i >= 512; i--) assert.ok(editor.remove(all[i]!));
  assert.equal(editor.remove(all[700]!), false, "a row that is not there");
  const v2 = editor.done();
  assert.deepEqual(names(v2.toArray()), names(all.slice(0, 512)));
  const e2 = v2.edit(compareRows);
  e2.insert(all[999]!);
  e2.insert(all[600]!);
  assert.ok(e2.replace({ ...all[0]! }));
  assert.equal(e2.replace(row("ns", "absent", 1)), false);
  const v3 = e2.done();
  assert.deepEqual(names(v3.toArray()), names([...all.slice(0, 512), all[600]!, all[999]!]));
  assert.notEqual(v3.at(0), all[0], "replaced in place");
  assert.deepEqual(names(v1.toArray()), names(all), "the first version is unchanged");
  assert.equal(v1.toArray(), all, "fromArray keeps the array it was given as its toArray()");
});

test("clear forgets every row at once, indexes and snapshot included, and the store fills again as new", async () => {
  for (const buildFirst of ["query", "background", "none"] as const) {
    const store = new RowStore<Row>({ node: (r) => r.node });
    for (let i = 0; i < 50; i++) store.upsert(row("a", `p${i}`, i, `n${i % 3}`));
    if (buildFirst === "query") assert.equal(store.indexed("node", "n1").length, 17);
    if (buildFirst === "background") store.buildIndexesSoon(5);
    const handedOut = store.rows();
    const version = store.changeCount;
    store.clear();
    assert.equal(store.size, 0);
    assert.deepEqual(store.rows(), []);
    assert.equal(store.list().length, 0);
    assert.deepEqual(store.indexed("node", "n1"), [], buildFirst);
    assert.deepEqual(store.indexValues("node"), []);
    assert.ok(store.changeCount > version);
    assert.equal(handedOut.length, 50, "a snapshot handed out before is unchanged");
    await new Promise((resolve) => setImmediate(resolve));
    store.upsert(row("b", "x", 1, "n1"));
    store.upsert(row("b", "y", 2, "n2"));
    assert.deepEqual(names(store.rows()), ["b/y", "b/x"]);
    assert.deepEqual(names(store.indexed("node", "n1")), ["b/x"], buildFirst);
    assert.deepEqual(store.indexValues("node"), ["n1", "n2"]);
  }
});
