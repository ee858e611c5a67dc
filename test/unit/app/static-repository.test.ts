// StaticRepository (src/repository/static-repository.ts) is the UI's test and benchmark data source; kept here
// with the app tests that depend on it.
import assert from "node:assert/strict";
import { test } from "node:test";
import { generatePods, makePod, StaticRepository } from "../../../src/repository/static-repository.ts";

test("rows are sorted newest first, then namespace, then name, and everything is synced", () => {
  const repo = new StaticRepository({
    pods: [
      makePod({ name: "b", namespace: "x", createdAt: 1 }),
      makePod({ name: "a", namespace: "x", createdAt: 1 }),
      makePod({ name: "z", namespace: "a", createdAt: 1 }),
      makePod({ name: "new", createdAt: 5 }),
    ],
  });
  assert.deepEqual(
    repo.getPods().map((p) => p.name),
    ["new", "z", "a", "b"],
  );
  assert.deepEqual(
    repo.getAllLoadingStatus().map((s) => [s.resource, s.synced, s.count]),
    [["pods", true, 4]],
  );
  assert.equal(repo.isResourceSynced("pods"), true);
  assert.equal(repo.isResourceSynced("services"), false);
  assert.deepEqual(repo.getServices(), []);
});

test("setRows and setLoadingStatus notify subscribers; errors can be set and cleared", () => {
  const repo = new StaticRepository({ pods: generatePods(10, 1_000_000) });
  let calls = 0;
  const unsubscribe = repo.subscribe(() => calls++);
  const before = repo.getPods();
  repo.setPods(generatePods(5, 1_000_000));
  assert.equal(calls, 1);
  assert.notEqual(repo.getPods(), before, "a change gives a new array");
  assert.equal(repo.getLoadingStatus("pods").count, 5);
  repo.setLoadingStatus("pods", { error: "boom" });
  assert.equal(repo.getLoadingStatus("pods").error, "boom");
  repo.setPods(generatePods(6, 1_000_000));
  assert.equal(repo.getLoadingStatus("pods").error, "boom", "the error stays until cleared");
  repo.setLoadingStatus("pods", { error: undefined });
  assert.equal("error" in repo.getLoadingStatus("pods"), false);
  const sorted = [makePod({ name: "keep-order-2", createdAt: 1 }), makePod({ name: "keep-order-1", createdAt: 2 })];
  repo.setRows("pods", sorted, { sorted: true });
  assert.equal(repo.getPods(), sorted, "already-sorted rows are kept as given");
  unsubscribe();
  repo.setPods([]);
  assert.equal(calls, 5);
  assert.equal(repo.listenerCount, 0);
});

test("generatePods is deterministic and covers failing, pending and completed pods", () => {
  const a = generatePods(2000, 1_700_000_000_000);
  const b = generatePods(2000, 1_700_000_000_000);
  assert.deepEqual(a, b);
  const statuses = new Set(a.map((p) => p.status));
  for (const s of ["Running", "Pending", "CrashLoopBackOff", "Completed", "ImagePullBackOff"])
    assert.ok(statuses.has(s), s);
  assert.equal(new Set(a.map((p) => `${p.namespace}/${p.name}`)).size, a.length, "keys are unique");
});
