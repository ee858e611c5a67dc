// The store's slabs: bulk-loaded objects share large Buffers; once most of a slab's objects are gone, the survivors
// move out so that the slab can be freed.
import assert from "node:assert/strict";
import { test } from "node:test";
import { Store } from "../../../src/sim/store.ts";

function pod(i: number, rv: number): string {
  return JSON.stringify({
    kind: "Pod",
    apiVersion: "v1",
    metadata: { name: `p-${i}`, namespace: "ns", resourceVersion: String(rv) },
    spec: { pad: "x".repeat(10_000) },
  });
}

test("repack moves the survivors of a mostly dead slab out of it, bytes unchanged", () => {
  const store = new Store({ historyWindow: 10 });
  store.beginBulk();
  // ~30 MB: the first 16 MB slab fills up, the second is still being filled.
  for (let i = 0; i < 3000; i++) {
    store.createSerialised("pods", {
      namespace: "ns",
      name: `p-${i}`,
      labels: {},
      fields: {},
      json: (rv) => pod(i, rv),
    });
  }
  store.endBulk();
  const pods = store.kind("pods");
  const first = pods.entries.get("ns/p-0")!.cur.buf!.buffer;
  const inFirst = () => [...pods.entries.values()].filter((e) => e.cur.buf?.buffer === first).length;
  assert.ok(inFirst() > 1000);

  const firstSlab = [...pods.entries.keys()].filter((k) => pods.entries.get(k)!.cur.buf!.buffer === first);
  const keep = (k: string, n: number) => Number(k.slice("ns/p-".length)) % n !== 0;

  // A tenth of it gone: not worth copying the rest.
  for (const k of firstSlab) if (!keep(k, 10)) store.delete("pods", "ns", k.slice(3));
  store.compact(store.rev);
  store.repack();
  assert.equal(inFirst(), firstSlab.length - firstSlab.filter((k) => !keep(k, 10)).length);

  // Most of it gone: the survivors move, the bytes stay the same, the slab being filled is left alone.
  for (const k of firstSlab) if (keep(k, 10) && keep(k, 3)) store.delete("pods", "ns", k.slice(3));
  store.compact(store.rev);
  const before = new Map([...pods.entries].map(([k, e]) => [k, e.cur.buf!.toString()]));
  const last = pods.entries.get("ns/p-2999")!.cur.buf!;
  store.repack();
  assert.equal(inFirst(), 0);
  assert.equal(pods.entries.size, before.size);
  for (const [k, e] of pods.entries) assert.equal(e.cur.buf!.toString(), before.get(k));
  assert.equal(pods.entries.get("ns/p-2999")!.cur.buf, last);
});
