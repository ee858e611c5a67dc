// A live watch is read in batches (ReflectorOptions.watchBatchMs): what the server sends while the connection is left
// unread must all arrive, in order, in one go; the initial state (list or watch-list replay) must never wait; and
// stopping or losing the connection during a pause must not hang or lose events.
import assert from "node:assert/strict";
import { test } from "node:test";
import type { ListMode } from "../../../src/kube/reflector.ts";
import { rowKey } from "../../../src/kube/store.ts";
import type { InformerRepository } from "../../../src/repository/informer-repository.ts";
import { assertConverges, FAST, type Harness, startHarness, until } from "./sim-harness.ts";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const keyOf = (pod: { metadata?: { namespace?: string; name?: string } }) =>
  `${pod.metadata!.namespace}/${pod.metadata!.name}`;

const has = (repo: InformerRepository, key: string) => repo.getPods().some((row) => rowKey(row) === key);

/** Creates a pod and waits until the cache has it: reading a change starts a batch's pause. */
async function changeSeen(h: Harness, what: string): Promise<void> {
  const key = keyOf(h.sim.store.createPod());
  await until(h.repo, () => has(h.repo, key), what);
}

for (const listMode of ["list", "watchlist"] satisfies ListMode[]) {
  test(`listMode ${listMode}: changes sent during a batch's pause reach the store together, all of them`, async () => {
    const h = await startHarness({ pods: 30 }, { ...FAST, listMode, watchBatchMs: 400 });
    try {
      await h.repo.startPriority();
      // Reading a change starts a pause (the one before it may have been started by a bookmark). The simulator runs
      // in this process, so a pod created in the same turn as that read would still be read with it: wait a little.
      await changeSeen(h, "the first change");
      await sleep(50);
      const seen: string[][] = [];
      const unsubscribe = h.repo.subscribe(() => {
        seen.push(h.repo.getPods().map(rowKey));
      });
      const later: string[] = [];
      for (let i = 0; i < 3; i++) {
        later.push(keyOf(h.sim.store.createPod()));
        await sleep(60);
      }
      await until(h.repo, () => later.every((key) => has(h.repo, key)), "the later changes");
      unsubscribe();
      // Read one by one, the first of them would show alone; in a batch, the first store change holding one of them
      // holds them all.
      const firstWithAny = seen.find((keys) => later.some((key) => keys.includes(key)));
      assert.ok(firstWithAny, "a store change brought the later pods");
      assert.deepEqual(
        later.filter((key) => !firstWithAny.includes(key)),
        [],
        "the pods created 60 ms apart during the pause came in one batch",
      );
    } finally {
      await h.close();
    }
  });
}

test("under churn with batches, the cache ends equal to a fresh LIST, row for row", async () => {
  const h = await startHarness({ pods: 200, churn: 300 }, { ...FAST, watchBatchMs: 150 });
  try {
    await h.repo.startPriority();
    await sleep(2_000);
    h.sim.churn.setRate(0);
    await assertConverges(h, "after 2 s of churn read in batches");
  } finally {
    await h.close();
  }
});

test("a watch-list's replay is read as fast as it comes, however long the batches", async () => {
  const h = await startHarness({ pods: 2_000 }, { ...FAST, listMode: "watchlist", watchBatchMs: 60_000 });
  try {
    const started = performance.now();
    await h.repo.startPriority();
    assert.equal(h.repo.getPods().length, 2_000);
    // Several MB of replay come in many reads; one pause between them would take a minute.
    assert.ok(performance.now() - started < 30_000, "synced without waiting for a batch");
    assert.equal(h.repo.reflector("pods")!.status.watching, true);
  } finally {
    await h.close();
  }
});

test("stopping while a batch waits ends at once", async () => {
  const h = await startHarness({ pods: 20 }, { ...FAST, watchBatchMs: 60_000 });
  try {
    await h.repo.startPriority();
    await changeSeen(h, "a change, which starts a minute's pause");
    h.sim.store.createPod();
    const stopped = h.repo.stopAndWait().then(() => "stopped");
    assert.equal(await Promise.race([stopped, sleep(5_000).then(() => "still waiting")]), "stopped");
  } finally {
    await h.sim.stop();
  }
});

test("a watch cut during a batch's pause resumes from the last event it delivered, and loses nothing", async () => {
  const h = await startHarness({ pods: 20 }, { ...FAST, watchBatchMs: 500 });
  try {
    await h.repo.startPriority();
    await changeSeen(h, "a change, which starts a pause");
    const during = keyOf(h.sim.store.createPod());
    assert.ok(h.sim.faults.dropWatches() >= 1, "a watch was open");
    const after = keyOf(h.sim.store.createPod());
    await until(h.repo, () => has(h.repo, during) && has(h.repo, after), "both changes");
    assert.equal(h.repo.reflector("pods")!.status.relists, 0);
  } finally {
    await h.close();
  }
});
