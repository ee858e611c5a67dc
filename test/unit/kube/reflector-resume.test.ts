// A watch cut by a network error (not ended by the server) must resume from the last resourceVersion the reflector
// saw, like client-go, not from where that watch started (which the server may have compacted away: 410 and a full
// relist) nor with a whole new watch-list (a full replay of every object); and the status must say what happened.
// Both found by test/cluster/faults.test.ts against a real kube-apiserver.
import assert from "node:assert/strict";
import { test } from "node:test";
import { loadKubeconfig } from "../../../src/kube/kubeconfig.ts";
import type { ListMode } from "../../../src/kube/reflector.ts";
import { rowKey } from "../../../src/kube/store.ts";
import { InformerRepository, transportFor } from "../../../src/repository/informer-repository.ts";
import { FAST, startHarness, until } from "./sim-harness.ts";

for (const listMode of ["list", "watchlist"] satisfies ListMode[]) {
  test(`listMode ${listMode}: a watch cut mid-stream resumes from the last event it delivered`, async () => {
    const h = await startHarness({ pods: 50 });
    await h.repo.stopAndWait();
    const loaded = loadKubeconfig({ kubeconfig: h.kubeconfig });
    const transport = await transportFor(loaded);
    const streams: URLSearchParams[] = [];
    const stream = transport.stream.bind(transport);
    transport.stream = (path, opts) => {
      streams.push(new URLSearchParams(path.split("?")[1]));
      return stream(path, opts);
    };
    const repo = new InformerRepository(transport, { contextName: "sim", clusterName: "sim" }, { ...FAST, listMode });
    try {
      await repo.startPriority();
      // Changes arrive on the open watch, then history up to them is compacted: only a resume from the last delivered
      // resourceVersion can go on without 410.
      const created = [h.sim.store.createPod(), h.sim.store.createPod(), h.sim.store.createPod()];
      const keys = created.map((pod) => `${pod.metadata!.namespace}/${pod.metadata!.name}`);
      await until(repo, () => keys.every((key) => repo.getPods().some((p) => rowKey(p) === key)), "creates delivered");
      // The store's revision also counts other kinds (the Events a new pod gets): the pods watch's last event is the
      // newest pod's version.
      const lastPod = Math.max(...h.sim.store.list("pods").map((p) => Number(p.metadata!.resourceVersion)));
      h.sim.store.compact(lastPod);
      const opened = streams.length;
      assert.ok(h.sim.faults.dropWatches() >= 1, "a watch was open");
      await until(repo, () => streams.length > opened && h.sim.watchCount() >= 1, "a new watch is open");
      const resumed = streams[opened]!;
      assert.equal(resumed.get("sendInitialEvents"), null, "resumed with a plain watch, not a new watch-list");
      assert.equal(resumed.get("resourceVersion"), String(lastPod));
      assert.equal(repo.reflector("pods")!.status.relists, 0);
    } finally {
      await repo.stopAndWait();
      await h.sim.stop();
    }
  });
}

test('a watch cut mid-stream reports the cause, not a bare "aborted"', async () => {
  const h = await startHarness({ pods: 20 });
  try {
    await h.repo.startPriority();
    const errors: string[] = [];
    h.repo.subscribe(() => {
      const error = h.repo.getLoadingStatus("pods").error;
      if (error !== undefined) errors.push(error);
    });
    await until(h.repo, () => h.sim.watchCount() >= 1, "the watch is open");
    h.sim.faults.dropWatches();
    await until(h.repo, () => errors.length > 0, "the cut is reported");
    assert.match(errors[0]!, /^connection to https:\/\/127\.0\.0\.1:\d+ was reset$/);
  } finally {
    await h.close();
  }
});
