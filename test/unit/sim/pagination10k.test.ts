// One larger run: 10,000 pods listed in pages of 500, exactly once each, in key order, from one revision.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { type SimServer, startSimServer } from "../../../src/sim/index.ts";
import { call } from "./helpers.ts";

let sim: SimServer;

before(async () => {
  sim = await startSimServer({ pods: 10_000, seed: 42, churn: 200 });
});

after(async () => {
  await sim.stop();
});

test("10k pods in pages of 500 under churn: every pod of the first page's revision, once", async () => {
  const names: string[] = [];
  let rv = "";
  let pages = 0;
  let cont = "";
  do {
    const r = (await call(sim, `/api/v1/pods?limit=500${cont ? `&continue=${encodeURIComponent(cont)}` : ""}`)).json();
    if (!rv) rv = r.metadata.resourceVersion;
    assert.equal(r.metadata.resourceVersion, rv);
    for (const p of r.items) names.push(`${p.metadata.namespace}/${p.metadata.name}`);
    pages++;
    cont = r.metadata.continue ?? "";
    if (cont) assert.equal(r.metadata.remainingItemCount + names.length >= 10_000, true);
  } while (cont);
  assert.equal(new Set(names).size, names.length, "no duplicates");
  assert.deepEqual([...names].sort(), names, "key order");
  const exact = (await call(sim, `/api/v1/pods?resourceVersion=${rv}&resourceVersionMatch=Exact`)).json();
  assert.equal(names.length, exact.items.length);
  assert.ok(pages >= 20);
});
