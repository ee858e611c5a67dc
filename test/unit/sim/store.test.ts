// The store's buffers: bulk-loaded objects share large slabs; once most of a slab's objects are gone, the survivors
// move out so that the slab can be freed. Objects stored later each own their bytes.
import assert from "node:assert/strict";
import { test } from "node:test";
import { PodMessages } from "../../../src/sim/protobuf.ts";
import { Store } from "../../../src/sim/store.ts";

function pod(i: number, rv: number): string {
  return JSON.stringify({
    kind: "Pod",
    apiVersion: "v1",
    metadata: { name: `p-${i}`, namespace: "ns", resourceVersion: String(rv) },
    spec: { pad: "x".repeat(10_000) },
  });
}

test("repack moves the survivors of a partly dead slab out of it, bytes unchanged", () => {
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

  // A twentieth of it gone: not worth copying the rest.
  for (const k of firstSlab) if (!keep(k, 20)) store.delete("pods", "ns", k.slice(3));
  store.compact(store.rev);
  store.repack();
  assert.equal(inFirst(), firstSlab.length - firstSlab.filter((k) => !keep(k, 20)).length);

  // Most of it gone: the survivors move into a slab of their exact size, the bytes stay the same; the last slab,
  // only partly filled when the bulk load ended but all alive, is left alone.
  for (const k of firstSlab) if (keep(k, 20) && keep(k, 3)) store.delete("pods", "ns", k.slice(3));
  store.compact(store.rev);
  const before = new Map([...pods.entries].map(([k, e]) => [k, e.cur.buf!.toString()]));
  const last = pods.entries.get("ns/p-2999")!.cur.buf!;
  const lastSlab = last.buffer;
  store.repack();
  assert.equal(inFirst(), 0);
  assert.equal(pods.entries.size, before.size);
  for (const [k, e] of pods.entries) assert.equal(e.cur.buf!.toString(), before.get(k));
  const moved = [...pods.entries.values()].map((e) => e.cur.buf!).filter((b) => b.buffer !== lastSlab);
  assert.equal(new Set(moved.map((b) => b.buffer)).size, 1);
  assert.equal(
    moved[0]!.buffer.byteLength,
    moved.reduce((n, b) => n + b.length, 0),
  );
  assert.equal(pods.entries.get("ns/p-2999")!.cur.buf, last);

  // Once a fifth of the last slab is gone too, it goes as well: no slab is kept for good once the bulk load is over.
  const inLast = [...pods.entries.keys()].filter((k) => pods.entries.get(k)!.cur.buf!.buffer === lastSlab);
  assert.ok(inLast.length > 1000);
  for (const k of inLast) if (!keep(k, 5)) store.delete("pods", "ns", k.slice(3));
  store.compact(store.rev);
  store.repack();
  assert.equal([...pods.entries.values()].filter((e) => e.cur.buf!.buffer === lastSlab).length, 0);
  assert.equal(pods.entries.get("ns/p-2999")!.cur.buf!.toString(), last.toString());
});

test("an object stored after the bulk load holds a buffer of its own, not a view into a shared pool", () => {
  const store = new Store({ historyWindow: 10 });
  const small = { kind: "ConfigMap", apiVersion: "v1", metadata: { name: "c", namespace: "ns" }, data: { a: "b" } };
  const created = store.create("configmaps", small);
  const updated = store.update("configmaps", { ...small, data: { a: "c" } });
  const serialised = store.createSerialised("pods", {
    namespace: "ns",
    name: "p-1",
    labels: {},
    fields: {},
    json: (rv) => pod(1, rv),
  });
  const deleted = store.delete("pods", "ns", "p-1");
  for (const v of [created, updated, serialised, deleted]) {
    // A view into a pool would keep the whole pool alive for as long as this version lives.
    assert.equal(v.buf!.byteOffset, 0);
    assert.equal(v.buf!.buffer.byteLength, v.buf!.length);
  }
  assert.equal(JSON.parse(updated.buf!.toString()).data.a, "c");
});

test("a pod's protobuf message transcoded after the bulk load is a buffer of its own", () => {
  const store = new Store({ historyWindow: 10 });
  const messages = new PodMessages(store.rev);
  const v = store.create("pods", { kind: "Pod", apiVersion: "v1", metadata: { name: "p", namespace: "ns" } });
  const bytes = messages.of(v);
  assert.equal(bytes.byteOffset, 0);
  assert.equal(bytes.buffer.byteLength, bytes.length);
  assert.equal(messages.of(v), bytes);
});
