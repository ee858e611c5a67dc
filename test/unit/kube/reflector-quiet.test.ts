// A quiet watch is not a dead one. A real kube-apiserver sends a bookmark only when the resource's resourceVersion has
// moved past where the watch started, so on a cluster where no pod changes, a healthy watch can stay silent for minutes
// (measured on v1.37: 120-150 s; the default idle timeout is 90 s). The reflector must not report such a watch as dead:
// it asks the server to end its watches well within the idle timeout, so that a healthy server is never silent that
// long, and a watch-list stream, which keeps a long timeout for its replay, gives way to such a watch when it falls
// silent after the replay. Found against a real kube-apiserver (the simulator sends bookmarks on a timer whatever
// happened).
import assert from "node:assert/strict";
import { test } from "node:test";
import type { ListMode } from "../../../src/kube/reflector.ts";
import { FAST, startHarness } from "./sim-harness.ts";

for (const listMode of ["list", "watchlist"] satisfies ListMode[]) {
  test(`listMode ${listMode}: a watch with no events and no bookmarks for longer than the idle timeout is not reported as dead`, async () => {
    const h = await startHarness({ pods: 10, bookmarkIntervalMs: 0 }, { ...FAST, idleTimeoutMs: 3000, listMode });
    try {
      await h.repo.startPriority();
      const errors: string[] = [];
      const timer = setInterval(() => {
        const error = h.repo.getLoadingStatus("pods").error;
        if (error !== undefined) errors.push(error);
      }, 20);
      h.repo.subscribe(() => {
        const error = h.repo.getLoadingStatus("pods").error;
        if (error !== undefined) errors.push(error);
      });
      await new Promise((resolve) => setTimeout(resolve, 7000));
      clearInterval(timer);
      assert.deepEqual([...new Set(errors)], []);
      assert.equal(h.repo.reflector("pods")!.status.relists, 0);
    } finally {
      await h.close();
    }
  });
}
