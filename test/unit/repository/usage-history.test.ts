// The usage history and its ingest into rows, without a server: stale samples, samples of pods the cache does not
// have, a pod recreated under its name, the ring wrapping, and the memory it takes.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { UsageSample } from "../../../src/kube/metrics.ts";
import { RowStore } from "../../../src/kube/store.ts";
import { KindUsage, REPLACE_SLICE, UsageHistory } from "../../../src/repository/metrics.ts";
import { makePod } from "../../../src/repository/static-repository.ts";
import type { PodRow } from "../../../src/resources/pods.ts";
import type { BaseRow } from "../../../src/resources/types.ts";

const T0 = Date.parse("2025-01-01T00:00:00Z");

function sample(name: string, at: number, cpu: number, mem = 1024 * 1024): UsageSample {
  return {
    namespace: "default",
    name,
    key: `default/${name}`,
    timestamp: T0 + at * 15_000,
    windowMs: 15_000,
    cpuMillis: cpu,
    memoryBytes: mem,
  };
}

function poll(...samples: UsageSample[]) {
  return { samples, windowMs: 15_000, decodeMs: 0 };
}

function setup() {
  const store = new RowStore<BaseRow>();
  for (const name of ["a", "b", "c"]) store.upsert(makePod({ name }));
  const usage = new KindUsage("pods", { stores: () => [store] }, 4);
  const row = (name: string) => store.get(`default/${name}`) as PodRow;
  return { store, usage, row };
}

describe("usage history and rows", () => {
  test("a poll of many pods replaces its rows in slices, and a row changed meanwhile keeps its change", async () => {
    const store = new RowStore<BaseRow>();
    const n = REPLACE_SLICE * 2 + 500;
    for (let i = 0; i < n; i++) store.upsert(makePod({ name: `p${i}` }));
    const usage = new KindUsage("pods", { stores: () => [store] }, 4);
    const row = (i: number) => store.get(`default/p${i}`) as PodRow;
    let later = 0;
    let done = 0;
    const samples = Array.from({ length: n }, (_, i) => sample(`p${i}`, 1, 100 + (i % 7)));
    const now = usage.ingest(
      poll(...samples),
      () => later++,
      () => done++,
    );
    assert.equal(now, REPLACE_SLICE, "one slice at once");
    assert.equal(done, 0, "slices are left");
    assert.equal(row(0).cpuUsage, 100);
    assert.equal(row(n - 1).cpuUsage, -1, "not yet");
    // A watch event replaces a row that is still waiting (its transform fills this poll's usage, as decorate does).
    const changed: PodRow = { ...row(n - 1), status: "Terminating" };
    usage.decorate(changed);
    store.upsert(changed);
    while (later < 2) await new Promise((resolve) => setImmediate(resolve));
    for (let i = 0; i < n; i++) assert.equal(row(i).cpuUsage, 100 + (i % 7), `p${i}`);
    assert.equal(row(n - 1).status, "Terminating", "the watch's change is kept");
    assert.equal(later, 2, "told after each later slice");
    assert.equal(done, 1, "done once, after the last slice");
    // A newer poll takes over from one still in slices.
    const first = usage.ingest(
      poll(...samples.map((s) => ({ ...s, timestamp: s.timestamp + 15_000, cpuMillis: 1 }))),
      () => later++,
      () => done++,
    );
    let wholeDone = 0;
    usage.ingest(
      poll(...samples.map((s) => ({ ...s, timestamp: s.timestamp + 30_000, cpuMillis: 2 }))),
      undefined,
      () => wholeDone++,
    );
    assert.equal(first, REPLACE_SLICE);
    assert.equal(wholeDone, 1, "a poll taken whole is done at once");
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(later, 2, "the older poll's slices stopped");
    assert.equal(done, 2, "the poll cut short is done too (its poller is not left waiting)");
    for (let i = 0; i < n; i++) assert.equal(row(i).cpuUsage, 2);
  });

  test("a poll taken in slices leaves the same history as one taken at once, and only after its last slice", async () => {
    const n = REPLACE_SLICE * 2 + 500;
    const make = () => {
      const store = new RowStore<BaseRow>();
      for (let i = 0; i < n; i++) store.upsert(makePod({ name: `p${i}` }));
      return { store, usage: new KindUsage("pods", { stores: () => [store] }, 4) };
    };
    const whole = make();
    const sliced = make();
    for (let round = 1; round <= 3; round++) {
      // Every third pod has no sample in round 2; a pod the cache does not have comes in every round.
      const samples = Array.from({ length: n }, (_, i) => sample(`p${i}`, round, round * 10 + (i % 5))).filter(
        (_, i) => round !== 2 || i % 3 !== 0,
      );
      samples.push(sample("not-listed", round, 1));
      whole.usage.ingest(poll(...samples));
      let later = 0;
      const slices = Math.ceil(samples.length / REPLACE_SLICE) - 1;
      sliced.usage.ingest(poll(...samples), () => later++);
      assert.equal(sliced.usage.history.series(`default/p${n - 1}`)?.cpuMillis.length ?? 0, round - 1, "not yet");
      for (let turn = 0; later < slices && turn < 100; turn++) await new Promise((resolve) => setImmediate(resolve));
      assert.equal(later, slices);
      for (const i of [0, 1, REPLACE_SLICE + 3, n - 1]) {
        assert.deepEqual(sliced.usage.history.series(`default/p${i}`), whole.usage.history.series(`default/p${i}`));
        assert.equal(
          (sliced.store.get(`default/p${i}`) as PodRow).cpuUsage,
          (whole.store.get(`default/p${i}`) as PodRow).cpuUsage,
        );
      }
    }
  });

  test("samples go into the rows; a sample not newer than the last is ignored", () => {
    const { usage, row } = setup();
    usage.ingest(poll(sample("a", 1, 10), sample("b", 1, 20)));
    assert.equal(row("a").cpuUsage, 10);
    assert.equal(row("c").cpuUsage, -1, "no sample: n/a");
    // The API answers the same sample until its next scrape, and an older one must never win.
    usage.ingest(poll(sample("a", 1, 99), sample("b", 0, 99)));
    assert.equal(row("a").cpuUsage, 10);
    assert.equal(row("b").cpuUsage, 20);
    assert.equal(usage.history.series("default/a")!.timestamps.length, 1, "no column for a poll without news");
    usage.ingest(poll(sample("a", 2, 12)));
    const series = usage.history.series("default/a")!;
    assert.deepEqual([...series.cpuMillis], [10, 12]);
    assert.deepEqual(
      [...usage.history.series("default/b")!.cpuMillis].map((v) => (Number.isNaN(v) ? "gap" : v)),
      [20, "gap"],
    );
  });

  test("metrics of pods the cache does not have create no rows and no history", () => {
    const { store, usage } = setup();
    usage.ingest(poll(sample("gone", 1, 5), sample("a", 1, 5)));
    assert.equal(store.size, 3);
    assert.equal(store.get("default/gone"), undefined);
    assert.equal(usage.history.series("default/gone"), undefined);
    assert.equal(usage.history.size, 1);
  });

  test("a deleted pod's history goes; a pod recreated under its name starts afresh", () => {
    const { store, usage } = setup();
    usage.ingest(poll(sample("a", 1, 10), sample("b", 1, 20)));
    store.remove("default/b");
    usage.ingest(poll(sample("a", 2, 11)));
    assert.equal(usage.history.series("default/b"), undefined);
    store.upsert(makePod({ name: "a", uid: "new-uid" }));
    usage.ingest(poll(sample("a", 3, 30)));
    assert.deepEqual(
      [...usage.history.series("default/a")!.cpuMillis].filter((v) => !Number.isNaN(v)),
      [30],
    );
  });

  test("a row made after the poll (a watch update, or listed late) gets the poll's usage", () => {
    const { store, usage } = setup();
    usage.ingest(poll(sample("a", 1, 10), sample("late", 1, 7)));
    const changed = makePod({ name: "a", status: "Terminating" });
    usage.decorate(changed);
    assert.equal(changed.cpuUsage, 10);
    const late = makePod({ name: "late" });
    usage.decorate(late);
    store.upsert(late);
    assert.equal(late.cpuUsage, 7);
    assert.equal(usage.history.series("default/late")!.current.cpuMillis, 7);
  });

  test("a first poll that comes before the informer has listed anything still fills the rows as they arrive", () => {
    const store = new RowStore<BaseRow>();
    const usage = new KindUsage("pods", { stores: () => [store] }, 4);
    usage.ingest(poll(sample("a", 1, 10)));
    const a = makePod({ name: "a" });
    usage.decorate(a);
    assert.equal(a.cpuUsage, 10);
    assert.deepEqual([...usage.history.series("default/a")!.cpuMillis], [10]);
  });

  test("the ring keeps the last `capacity` samples, oldest first", () => {
    const { usage } = setup();
    for (let i = 1; i <= 6; i++) usage.ingest(poll(sample("a", i, i)));
    const series = usage.history.series("default/a")!;
    assert.deepEqual([...series.cpuMillis], [3, 4, 5, 6]);
    assert.deepEqual(
      [...series.timestamps],
      [3, 4, 5, 6].map((i) => T0 + i * 15_000),
    );
    assert.equal(series.current.cpuMillis, 6);
  });

  test("a row whose printed usage did not change is not replaced", () => {
    const { usage, row } = setup();
    usage.ingest(poll(sample("a", 1, 10.2)));
    const before = row("a");
    usage.ingest(poll(sample("a", 2, 10.6)));
    assert.equal(row("a"), before, "still 11m and 1 MiB");
    usage.ingest(poll(sample("a", 3, 12)));
    assert.notEqual(row("a"), before);
  });

  test("memory: 8 bytes a sample plus 24 a row; 50.4 MB at 100k pods × 60 samples", () => {
    const history = new UsageHistory(60, 1);
    const samples: UsageSample[] = [];
    for (let i = 0; i < 1000; i++) samples.push(sample(`p${i}`, 1, 1));
    history.add(samples, (s) => s.name);
    assert.equal(history.size, 1000);
    assert.equal(history.bytes(), UsageHistory.bytesFor(1000, 60), "grown to fit the poll, not doubled");
    assert.equal(UsageHistory.bytesFor(100_000, 60), 50_400_480);
  });
});
