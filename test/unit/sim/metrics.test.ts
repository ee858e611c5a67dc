// The simulated metrics-server: discovery, paginated LISTs of PodMetrics (all namespaces and one) and NodeMetrics,
// usage that moves within requests and limits, deterministic per seed and step, and its 404/503/403 modes.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { discover } from "../../../src/kube/discovery.ts";
import { KubeError } from "../../../src/kube/errors.ts";
import { listUsage, type UsageSample } from "../../../src/kube/metrics.ts";
import { Transport } from "../../../src/kube/transport.ts";
import { podRow } from "../../../src/resources/pods.ts";
import { type SimServer, startSimServer } from "../../../src/sim/index.ts";
import { SimMetrics } from "../../../src/sim/metrics.ts";
import { populate } from "../../../src/sim/populate.ts";
import { Store } from "../../../src/sim/store.ts";

async function withSim(fn: (sim: SimServer, t: Transport) => Promise<void>, resolutionMs = 15_000) {
  const sim = await startSimServer({ pods: 150, seed: 5, tls: false, metrics: { resolutionMs } });
  const t = new Transport({
    server: sim.url,
    credentials: () => ({ headers: { Authorization: `Bearer ${sim.token}` } }),
  });
  try {
    await fn(sim, t);
  } finally {
    t.close();
    await sim.stop();
  }
}

const key = (s: UsageSample) => `${s.namespace}/${s.name}`;

describe("simulated metrics API", () => {
  test("discovery lists both kinds with get and list; absent, it lists neither", async () => {
    await withSim(async (sim, t) => {
      const metricsKinds = async () =>
        (await discover(t)).kinds.filter((k) => k.group === "metrics.k8s.io").map((k) => [k.key, [...k.verbs]]);
      assert.deepEqual(await metricsKinds(), [
        ["pods.metrics.k8s.io", ["get", "list"]],
        ["nodes.metrics.k8s.io", ["get", "list"]],
      ]);
      sim.metrics.availability = "absent";
      assert.deepEqual(await metricsKinds(), []);
    });
  });

  test("running pods only, in pages equal to one big page; a namespace's are the cluster-wide ones of it", async () => {
    await withSim(async (sim, t) => {
      const all = await listUsage(t, "pods", undefined, { pageSize: 7 });
      const whole = await listUsage(t, "pods", undefined, { pageSize: 10_000 });
      assert.deepEqual(all.samples, whole.samples);
      const running = sim.store
        .list("pods")
        .filter((p) => (p.status as { phase?: string } | undefined)?.phase === "Running")
        .map((p) => `${p.metadata?.namespace}/${p.metadata?.name}`)
        .sort();
      assert.deepEqual(all.samples.map(key).sort(), running);
      const ns = all.samples[0]!.namespace;
      const one = await listUsage(t, "pods", ns, { pageSize: 3 });
      assert.deepEqual(
        one.samples,
        all.samples.filter((s) => s.namespace === ns),
      );
      assert.equal(all.windowMs, 15_000);
    });
  });

  test("usage within the pods' bounds; nodes carry their pods' usage and more", async () => {
    await withSim(async (sim, t) => {
      const pods = new Map(sim.store.list("pods").map((p) => [`${p.metadata?.namespace}/${p.metadata?.name}`, p]));
      const usage = await listUsage(t, "pods", undefined);
      for (const s of usage.samples) {
        const row = podRow(pods.get(key(s))!);
        assert.ok(s.cpuMillis > 0 && s.cpuMillis <= row.cpuRequest * 1.6, `${key(s)} cpu ${s.cpuMillis}`);
        assert.ok(s.memoryBytes > 0 && s.memoryBytes < row.memLimit, `${key(s)} memory under its limit`);
      }
      const nodes = await listUsage(t, "nodes", undefined, { pageSize: 2 });
      assert.deepEqual(
        nodes.samples.map((s) => s.name).sort(),
        sim.store
          .list("nodes")
          .map((n) => n.metadata?.name)
          .sort(),
      );
      const byNode = new Map<string, number>();
      for (const s of usage.samples) {
        const node = podRow(pods.get(key(s))!).node;
        byNode.set(node, (byNode.get(node) ?? 0) + s.cpuMillis);
      }
      for (const n of nodes.samples) assert.ok(n.cpuMillis > (byNode.get(n.name) ?? 0), n.name);
    });
  });

  test("the same seed and step give the same usage; the next step moves it, with a later timestamp", () => {
    const origin = 1_700_000_000_000;
    const store = new Store({ historyWindow: 1000 });
    populate(store, { pods: 80, seed: 9, now: origin });
    const list = (m: SimMetrics, at: number) =>
      JSON.parse(m.list("pods", "", { limit: 0, continueToken: undefined, user: "u", deny: [] }, at)).items as {
        timestamp: string;
        containers: { usage: { cpu: string } }[];
      }[];
    const m1 = new SimMetrics(store, { seed: 9, origin });
    const first = list(m1, origin + 20_000);
    assert.ok(first.length > 40);
    assert.deepEqual(list(new SimMetrics(store, { seed: 9, origin }), origin + 20_000), first);
    assert.notDeepEqual(list(new SimMetrics(store, { seed: 10, origin }), origin + 20_000), first, "another seed");
    const next = list(m1, origin + 35_000);
    assert.equal(first[0]!.timestamp, "2023-11-14T22:13:35Z");
    assert.equal(next[0]!.timestamp, "2023-11-14T22:13:50Z");
    assert.notDeepEqual(
      next.map((i) => i.containers[0]!.usage.cpu),
      first.map((i) => i.containers[0]!.usage.cpu),
    );
  });

  test("unavailable: 503; denied: 403", async () => {
    await withSim(async (sim, t) => {
      sim.metrics.availability = "unavailable";
      await assert.rejects(listUsage(t, "pods", undefined), (e: unknown) => e instanceof KubeError && e.status === 503);
      sim.metrics.availability = "ok";
      sim.faults.deny("pods.metrics.k8s.io");
      await assert.rejects(listUsage(t, "pods", undefined), (e: unknown) => e instanceof KubeError && e.status === 403);
      assert.ok((await listUsage(t, "nodes", undefined)).samples.length > 0, "nodes are still allowed");
    });
  });
});
