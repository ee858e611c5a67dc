// The informer against the simulated API server over real HTTPS: sync, live changes, and recovery from every fault,
// each ending with the check that the cache equals a fresh LIST, object for object.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { rowKey } from "../../../src/kube/store.ts";
import { assertConverges, FAST, startHarness, until } from "./sim-harness.ts";

describe("informer sync", () => {
  for (const pods of [10, 1000]) {
    test(`syncs ${pods} pods and serves them sorted from memory`, async () => {
      const h = await startHarness({ pods });
      try {
        await h.repo.startPriority();
        const status = h.repo.getLoadingStatus("pods");
        assert.equal(status.synced, true);
        assert.equal(status.count, pods);
        assert.equal(status.error, undefined);
        assert.ok(status.syncedAt! >= status.startedAt!);
        await assertConverges(h, "after sync");
      } finally {
        await h.close();
      }
    });
  }

  test("watch-list mode syncs from one stream and ends on the initial-events-end bookmark", async () => {
    const h = await startHarness({ pods: 300 }, { ...FAST, listMode: "watchlist", pageSize: 50 });
    try {
      await h.repo.startPriority();
      assert.equal(h.repo.getLoadingStatus("pods").count, 300);
      await assertConverges(h, "after watch-list");
      h.sim.store.createPod();
      await assertConverges(h, "after a create on the same stream");
    } finally {
      await h.close();
    }
  });

  test("preloaded kinds load in the background after pods and report their status under their kind keys", async () => {
    const h = await startHarness(
      { pods: 50 },
      { ...FAST, resources: ["pods", "deployments", "namespaces", "services"] },
    );
    try {
      await h.repo.startPriority();
      await until(h.repo, () => h.repo.getAllLoadingStatus().every((s) => s.synced), "every kind synced");
      assert.deepEqual(
        h.repo.getAllLoadingStatus().map((s) => s.resource),
        ["pods", "deployments.apps", "namespaces", "services"],
      );
      assert.equal(h.repo.getDeployments().length, h.sim.store.list("deployments").length);
      assert.equal(h.repo.getServices().length, h.sim.store.list("services").length);
      assert.equal(h.repo.getLoadingStatus("nodes").synced, false);
    } finally {
      await h.close();
    }
  });

  test("one namespace only (-n)", async () => {
    const h = await startHarness({ pods: 200 });
    const namespace = h.sim.store.list("pods")[0]!.metadata!.namespace!;
    await h.repo.stopAndWait();
    const { InformerRepository } = await import("../../../src/repository/informer-repository.ts");
    const repo = await InformerRepository.fromKubeconfig({ kubeconfig: h.kubeconfig }, { ...FAST, namespace });
    try {
      await repo.startPriority();
      const expected = h.sim.store.list("pods", namespace).length;
      assert.ok(expected > 0);
      assert.equal(repo.getPods().length, expected);
      assert.ok(repo.getPods().every((p) => p.namespace === namespace));
    } finally {
      await repo.stopAndWait();
      await h.sim.stop();
    }
  });
});

describe("informer live changes and faults", () => {
  test("creates, updates and deletes arrive through the watch", async () => {
    const h = await startHarness({ pods: 100 });
    try {
      await h.repo.startPriority();
      const created = h.sim.store.createPod(undefined, "Running");
      const key = `${created.metadata!.namespace}/${created.metadata!.name}`;
      await until(h.repo, () => h.repo.getPods().some((p) => rowKey(p) === key), "created pod appears");
      h.sim.churn.step(30); // status changes, restarts, deletes, rollouts
      await assertConverges(h, "after churn");
      h.sim.store.delete("pods", created.metadata!.namespace!, created.metadata!.name!);
      await until(h.repo, () => !h.repo.getPods().some((p) => rowKey(p) === key), "deleted pod disappears");
      await assertConverges(h, "after delete");
    } finally {
      await h.close();
    }
  });

  test("a watch dropped mid-stream resumes from the last resourceVersion without a relist", async () => {
    const h = await startHarness({ pods: 200 });
    try {
      await h.repo.startPriority();
      for (let i = 0; i < 3; i++) {
        await until(h.repo, () => h.sim.watchCount() >= 1, "the watch is open");
        assert.ok(h.sim.faults.dropWatches() >= 1, "a watch was open");
        h.sim.churn.step(10);
        await assertConverges(h, `after drop ${i + 1}`);
      }
      assert.equal(h.repo.reflector("pods")!.status.relists, 0);
    } finally {
      await h.close();
    }
  });

  test("410 on resume → relist, and objects deleted meanwhile vanish", async () => {
    const h = await startHarness({ pods: 200 });
    try {
      await h.repo.startPriority();
      // Hide changes from the watch, delete pods, compact history, then cut the watch: the resume gets 410.
      h.sim.faults.stallWatches(true);
      const victims = h.sim.store.list("pods").slice(0, 5);
      for (const pod of victims) h.sim.store.delete("pods", pod.metadata!.namespace!, pod.metadata!.name!);
      h.sim.store.createPod();
      h.sim.store.compact();
      h.sim.faults.stallWatches(false);
      h.sim.faults.dropWatches();
      await assertConverges(h, "after compaction");
      for (const pod of victims) {
        assert.ok(
          !h.repo.getPods().some((p) => p.name === pod.metadata!.name && p.namespace === pod.metadata!.namespace),
        );
      }
      assert.ok(h.repo.reflector("pods")!.status.relists >= 1, "relisted");
      // And the ERROR-event form of 410.
      h.sim.faults.expireNextWatch(1);
      h.sim.faults.dropWatches();
      h.sim.churn.step(5);
      await assertConverges(h, "after a 410 ERROR event");
    } finally {
      await h.close();
    }
  });

  test("server restarted on the same port → recovery", async () => {
    const h = await startHarness({ pods: 100 });
    try {
      await h.repo.startPriority();
      // Discovery's requests may still be mid-TLS-handshake: the restart closes those connections too.
      await h.sim.restart();
      h.sim.churn.step(10);
      await assertConverges(h, "after restart");
      await h.sim.faults.refuse(300);
      h.sim.churn.step(10);
      await assertConverges(h, "after refused connections");
    } finally {
      await h.close();
    }
  });

  test("429 and 500 bursts → backoff with the error visible, then recovery", async () => {
    const h = await startHarness({ pods: 100 });
    try {
      await h.repo.startPriority();
      const errors: string[] = [];
      h.repo.subscribe(() => {
        const e = h.repo.getLoadingStatus("pods").error;
        if (e && !errors.includes(e)) errors.push(e);
      });
      h.sim.faults.fail(500, 3);
      h.sim.faults.dropWatches();
      await until(h.repo, () => errors.some((e) => e.includes("500")), "500 visible in status");
      h.sim.faults.fail(429, 2, 0);
      h.sim.faults.dropWatches();
      await until(h.repo, () => errors.some((e) => e.includes("429")), "429 visible in status");
      h.sim.churn.step(10);
      await assertConverges(h, "after bursts");
      await until(h.repo, () => h.repo.getLoadingStatus("pods").error === undefined, "error cleared");
      assert.equal(h.repo.isResourceSynced("pods"), true, "stays synced through reconnects");
    } finally {
      await h.close();
    }
  });

  test("a black-holed watch is detected by silence and reconnected", async () => {
    const h = await startHarness({ pods: 100, bookmarkIntervalMs: 200 }, { ...FAST, idleTimeoutMs: 800 });
    try {
      await h.repo.startPriority();
      h.sim.faults.stallWatches(true);
      h.sim.churn.step(10); // not delivered: the watch is silent
      await until(h.repo, () => (h.repo.getLoadingStatus("pods").error ?? "").includes("silent"), "silence detected");
      h.sim.faults.stallWatches(false);
      await assertConverges(h, "after the black hole");
    } finally {
      await h.close();
    }
  });

  test("a stalled LIST page is abandoned and retried", async () => {
    const h = await startHarness({ pods: 50 }, { ...FAST, idleTimeoutMs: 500 });
    try {
      h.sim.faults.stall(1);
      await h.repo.startPriority();
      await assertConverges(h, "after a stalled list");
    } finally {
      await h.close();
    }
  });
});
