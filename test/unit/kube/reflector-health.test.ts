// How current the cache is, as the reflector's status says it. A quiet cluster sends nothing for minutes through a
// healthy watch, and its data is current all along: when the server then goes away, the data's age must count from
// the moment the watch broke, not from the last byte (the header said "data from 13s ago" two seconds into an outage).
// And a refusal (403) is marked as such and not retried in a hurry.
import assert from "node:assert/strict";
import { test } from "node:test";
import { collectionPathOf } from "../../../src/kube/kinds.ts";
import type { KubeObject } from "../../../src/kube/objects.ts";
import { dataAgeMs, type ListMode, type ListSource, Reflector } from "../../../src/kube/reflector.ts";
import type { BaseRow } from "../../../src/kube/row.ts";
import { RowStore } from "../../../src/kube/store.ts";
import { startSimTransport } from "./sim-transport.ts";

const pods: ListSource<BaseRow> = {
  name: "pods",
  path: (namespace) => collectionPathOf({ group: "", version: "v1", resource: "pods", namespaced: true }, namespace),
  toRow: (obj: KubeObject) => ({
    namespace: obj.metadata?.namespace ?? "",
    name: obj.metadata?.name ?? "",
    uid: obj.metadata?.uid ?? "",
    createdAt: Date.parse(obj.metadata?.creationTimestamp ?? "") || 0,
  }),
};

function waitFor(predicate: () => boolean, what: string, limitMs = 10_000): Promise<void> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const timer = setInterval(() => {
      if (predicate()) {
        clearInterval(timer);
        resolve();
      } else if (Date.now() - started > limitMs) {
        clearInterval(timer);
        reject(new Error(`timed out waiting for: ${what}`));
      }
    }, 10);
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

for (const listMode of ["list", "watchlist"] satisfies ListMode[]) {
  test(`listMode ${listMode}: after a quiet watch breaks, the data's age starts from the break, not the last byte`, async () => {
    const h = await startSimTransport({ pods: 10, bookmarkIntervalMs: 0 });
    const reflector = new Reflector(h.transport, pods, new RowStore<BaseRow>(), {
      listMode,
      backoff: { initialMs: 50, maxMs: 200 },
      idleTimeoutMs: 30_000,
    });
    try {
      reflector.start();
      await reflector.whenSynced();
      await waitFor(() => reflector.status.watching, "an open watch");
      assert.equal(dataAgeMs(reflector.status, Date.now() + 60_000), 0, "an open watch is current data");
      // A quiet cluster: no events, no bookmarks.
      await sleep(300);
      const lastByte = reflector.status.lastContactAt!;
      const outage = Date.now();
      assert.ok(lastByte < outage, "precondition: nothing arrived during the quiet spell");

      await h.sim.stop();
      await waitFor(() => !reflector.status.watching && reflector.status.error !== undefined, "the outage noticed");
      const contact = reflector.status.lastContactAt!;
      assert.ok(contact >= outage, `data current until the watch broke (${contact - outage} ms after the outage)`);
      assert.equal(dataAgeMs(reflector.status, contact + 2_000), 2_000);
      // Failed reconnects are no contact.
      await waitFor(() => reflector.status.failures >= 2, "a second failed reconnect");
      assert.equal(reflector.status.lastContactAt, contact);
      assert.equal(reflector.status.refused, false);
    } finally {
      await reflector.stop();
      h.transport.close();
    }
  });
}

test("a 403 is marked refused, retried slowly, and cleared once the server lets us in", async () => {
  const h = await startSimTransport({ pods: 10 });
  h.sim.faults.deny("pods");
  let refusals = 0;
  let sawRefused = false;
  const reflector = new Reflector(h.transport, pods, new RowStore<BaseRow>(), {
    backoff: { initialMs: 20, maxMs: 5_000 },
    random: () => 0.5,
    onChange: () => {
      if (reflector.status.refused) sawRefused = true;
    },
  });
  try {
    reflector.start();
    await waitFor(() => reflector.status.refused, "the refusal");
    assert.match(reflector.status.error!, /forbidden \(403\)/);
    refusals = reflector.status.failures;
    // Unrefused, 20 ms doubling would have tried 4 more times in 300 ms; a refusal waits 320 ms, then 640 ms.
    await sleep(300);
    assert.ok(reflector.status.failures - refusals <= 1, `${reflector.status.failures - refusals} retries in 300 ms`);
    h.sim.faults.allow("pods");
    await reflector.whenSynced();
    assert.equal(reflector.status.refused, false);
    assert.equal(reflector.status.error, undefined);
    assert.ok(sawRefused);
  } finally {
    await reflector.stop();
    await h.close();
  }
});
