// A LIST page's remainingItemCount: the count the real server gives (every live object after the page), also once
// objects have been deleted, re-created and compacted away — counted from the tombstones instead of every key.
import assert from "node:assert/strict";
import { test } from "node:test";
import { type ListQuery, readPage, Tombstones } from "../../../src/sim/list.ts";
import { Store } from "../../../src/sim/store.ts";

function pod(namespace: string, name: string) {
  return { kind: "Pod", apiVersion: "v1", metadata: { namespace, name } };
}

function query(namespace: string, limit: number): ListQuery {
  return { namespace, limit, labels: [], fields: [] };
}

/** Live pods after the page's last item (in key order), counted the long way. */
function liveAfter(store: Store, namespace: string, lastName: string, lastNamespace: string): number {
  const k = store.kind("pods");
  const last = `${lastNamespace}/${lastName}`;
  return k.keys
    .filter((key) => key > last && (!namespace || key.startsWith(`${namespace}/`)))
    .filter((key) => k.entries.get(key)!.cur.buf !== null).length;
}

test("remainingItemCount counts live objects only, through deletions, re-creations and compaction", async () => {
  const store = new Store({ historyWindow: 50 });
  for (const ns of ["a", "b", "c"])
    for (let i = 0; i < 40; i++) store.create("pods", pod(ns, `p-${String(i).padStart(2, "0")}`));
  const tombstones = new Tombstones(store);
  const k = store.kind("pods");
  const check = async (step: string) => {
    for (const [namespace, limit] of [
      ["", 10],
      ["b", 5],
      ["a", 39],
      ["c", 1],
    ] as const) {
      const fast = await readPage(store, k, query(namespace, limit), 100, tombstones);
      const slow = await readPage(store, k, query(namespace, limit), 100);
      const last = fast.items.at(-1)!;
      const meta = JSON.parse(last.buf!.toString()).metadata as { name: string; namespace: string };
      // The last page has no count (nor a continue token).
      const after = liveAfter(store, namespace, meta.name, meta.namespace);
      const expected = after > 0 ? after : undefined;
      assert.equal(fast.remainingItemCount, expected, `${step}: ns "${namespace}" limit ${limit}`);
      assert.equal(slow.remainingItemCount, expected, `${step}: the long way, ns "${namespace}" limit ${limit}`);
      assert.equal(fast.continueToken, slow.continueToken, step);
    }
  };
  await check("nothing deleted");
  for (const name of ["p-03", "p-20", "p-39"]) store.delete("pods", "b", name);
  store.delete("pods", "a", "p-00");
  store.delete("pods", "c", "p-10");
  assert.ok(k.deleted > 0);
  await check("deleted, tombstones kept");
  store.create("pods", pod("b", "p-20"));
  await check("one re-created");
  store.compact(store.rev);
  assert.equal(k.deleted, 0);
  await check("compacted");
  store.delete("pods", "a", "p-05");
  await check("deleted after compaction");
});

test("an index made after some deletions finds them", async () => {
  const store = new Store({ historyWindow: 50 });
  for (let i = 0; i < 30; i++) store.create("pods", pod("a", `p-${String(i).padStart(2, "0")}`));
  store.delete("pods", "a", "p-25");
  store.delete("pods", "a", "p-26");
  const page = await readPage(store, store.kind("pods"), query("", 10), 100, new Tombstones(store));
  assert.equal(page.remainingItemCount, 18);
});
