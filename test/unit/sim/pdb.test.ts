// PodDisruptionBudgets: the disruption arithmetic and the demo data's budgets.
import assert from "node:assert/strict";
import { test } from "node:test";
import type { KubeObject } from "../../../src/kube/objects.ts";
import { budget, selectorMatches } from "../../../src/sim/pdb.ts";
import { populate } from "../../../src/sim/populate.ts";
import { Store } from "../../../src/sim/store.ts";

const pod = (ready: boolean): KubeObject => ({
  metadata: { name: "p" },
  status: { conditions: [{ type: "Ready", status: ready ? "True" : "False" }] },
});

test("budget: minAvailable and maxUnavailable as counts and percentages (rounded up)", () => {
  const pods = [pod(true), pod(true), pod(true), pod(false)];
  assert.deepEqual(budget({ spec: { minAvailable: 2 } }, pods), {
    expectedPods: 4,
    currentHealthy: 3,
    desiredHealthy: 2,
    disruptionsAllowed: 1,
  });
  assert.equal(budget({ spec: { minAvailable: "50%" } }, pods).desiredHealthy, 2);
  assert.equal(budget({ spec: { minAvailable: "51%" } }, pods).desiredHealthy, 3);
  assert.equal(budget({ spec: { maxUnavailable: 1 } }, pods).desiredHealthy, 3);
  assert.equal(budget({ spec: { maxUnavailable: "30%" } }, pods).desiredHealthy, 2);
  assert.equal(budget({ spec: { minAvailable: 4 } }, pods).disruptionsAllowed, 0);
});

test("budget: a pod being deleted is not healthy; maxUnavailable expects the controllers' scale", () => {
  const going: KubeObject = { ...pod(true), metadata: { name: "g", deletionTimestamp: "2026-01-01T00:00:00Z" } };
  const pods = [pod(true), pod(true), going];
  assert.deepEqual(budget({ spec: { maxUnavailable: 1 } }, pods, 3), {
    expectedPods: 3,
    currentHealthy: 2,
    desiredHealthy: 2,
    disruptionsAllowed: 0,
  });
  assert.equal(
    budget({ spec: { minAvailable: 1 } }, pods, 3).expectedPods,
    2,
    "minAvailable as a count: the pods there are",
  );
});

test("selectorMatches: matchLabels and expressions", () => {
  const labels = { app: "web", tier: "front" };
  assert.ok(selectorMatches({ matchLabels: { app: "web" } }, labels));
  assert.ok(!selectorMatches({ matchLabels: { app: "api" } }, labels));
  assert.ok(
    selectorMatches({ matchExpressions: [{ key: "tier", operator: "In", values: ["front", "back"] }] }, labels),
  );
  assert.ok(!selectorMatches({ matchExpressions: [{ key: "tier", operator: "NotIn", values: ["front"] }] }, labels));
  assert.ok(!selectorMatches({ matchExpressions: [{ key: "zone", operator: "Exists" }] }, labels));
  assert.ok(selectorMatches({ matchExpressions: [{ key: "zone", operator: "DoesNotExist" }] }, labels));
});

test("the demo data has budgets: the first allows no disruption, the others one pod down; statuses match the pods", () => {
  const store = new Store({ historyWindow: 100 });
  populate(store, { pods: 300, seed: 5, now: Date.parse("2026-01-01T00:00:00Z") });
  const k = store.kind("poddisruptionbudgets");
  const pdbs = k.keys.map((key) => JSON.parse(k.entries.get(key)!.cur.buf!.toString()) as KubeObject);
  assert.equal(pdbs.length, 3);
  const strict = pdbs.filter((p) => (p.spec as { minAvailable?: number }).minAvailable !== undefined);
  assert.equal(strict.length, 1);
  for (const p of pdbs) {
    const ns = p.metadata!.namespace!;
    const sel = (p.spec as { selector: unknown }).selector;
    const pods = store
      .kind("pods")
      .keys.filter((key) => key.startsWith(`${ns}/`))
      .map((key) => JSON.parse(store.kind("pods").entries.get(key)!.cur.buf!.toString()) as KubeObject)
      .filter(
        (x) =>
          !x.metadata?.deletionTimestamp && selectorMatches(sel, (x.metadata?.labels ?? {}) as Record<string, string>),
      );
    assert.ok(pods.length >= 2, "a budget over a workload of two pods or more");
    const d = JSON.parse(store.get("deployments", ns, p.metadata!.name!)!.buf!.toString()) as KubeObject;
    const b = budget(p, pods, (d.spec as { replicas: number }).replicas);
    const st = p.status as Record<string, number>;
    assert.equal(st.expectedPods, b.expectedPods);
    assert.equal(st.currentHealthy, b.currentHealthy);
    assert.equal(st.disruptionsAllowed, b.disruptionsAllowed);
  }
  assert.equal((strict[0]!.status as { disruptionsAllowed: number }).disruptionsAllowed, 0);
});
