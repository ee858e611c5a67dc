// Live usage through InformerRepository against the simulator's metrics API: the pods' and nodes' usage columns
// filled from metrics.k8s.io while a view is held, the history kept per row, node pod counts, polling only while held,
// and the n/a reason when the API is absent or its backend down.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { listUsage, wholeMebibytes, wholeMillicores } from "../../../src/kube/metrics.ts";
import { Transport } from "../../../src/kube/transport.ts";
import { builtinApiKinds } from "../../../src/repository/kinds.ts";
import { type NodeRow, nodeUsageColumns } from "../../../src/resources/nodes.ts";
import { type PodRow, podUsageColumns } from "../../../src/resources/pods.ts";
import { startRepo, until } from "./harness.ts";

const PODS = { kind: "pods" };
const NODES = { kind: "nodes" };
const HOUR = 3_600_000;

function cell(row: PodRow, name: string): string {
  return podUsageColumns.find((c) => c.name === name)!.cell(row, 0);
}

describe("usage columns from the metrics API", () => {
  test("a held pods view gets every running pod's usage, equal to what the API says; other pods say n/a", async () => {
    // A resolution of an hour: the sample does not move during the test, so the rows can be compared with the API.
    const h = await startRepo({ pods: 120, metrics: { resolutionMs: HOUR } }, { metrics: { minIntervalMs: 10 } });
    const { repo, sim } = h;
    try {
      await repo.startPriority();
      const release = repo.hold(PODS);
      await until(repo, () => (repo.rows(PODS) as PodRow[]).some((r) => r.cpuUsage >= 0), "usage in the pod rows");
      const transport = new Transport({
        server: sim.url,
        credentials: () => ({ ca: sim.caPem, headers: { Authorization: `Bearer ${sim.token}` } }),
      });
      const direct = new Map<string, { cpu: number; mem: number }>();
      try {
        const answer = await listUsage(transport, "pods", undefined);
        for (const s of answer.samples)
          direct.set(`${s.namespace}/${s.name}`, { cpu: s.cpuMillis, mem: s.memoryBytes });
      } finally {
        transport.close();
      }
      const rows = repo.rows(PODS) as PodRow[];
      let withUsage = 0;
      for (const row of rows) {
        const expected = direct.get(`${row.namespace}/${row.name}`);
        if (row.phase === "Running" && !row.deleting) {
          assert.ok(expected, `${row.name} is running: the API has it`);
        }
        if (!expected) {
          assert.equal(cell(row, "CPU"), "n/a", row.name);
          continue;
        }
        withUsage++;
        assert.equal(cell(row, "CPU"), String(wholeMillicores(expected.cpu)), row.name);
        assert.equal(cell(row, "MEM"), String(wholeMebibytes(expected.mem)), row.name);
        // The simulator's pods request CPU and memory and limit memory only.
        assert.notEqual(cell(row, "%CPU/R"), "n/a", row.name);
        assert.equal(cell(row, "%CPU/L"), "n/a", row.name);
        assert.equal(
          cell(row, "%MEM/L"),
          String(Math.floor((expected.mem * 100) / row.memLimit)),
          `${row.name} %MEM/L`,
        );
        const series = repo.metrics("pods", row.namespace, row.name);
        assert.equal(series?.current.cpuMillis, expected.cpu);
      }
      assert.ok(withUsage > 50, `${withUsage} pods with usage`);
      const status = repo.statuses().find((s) => s.resource === "pod-metrics");
      assert.equal(status?.synced, true);
      assert.equal(status?.count, direct.size);

      // A change of a pod (a new row from the watch) keeps the usage the last poll gave it: no poll comes for an hour.
      const target = rows.find((r) => direct.has(`${r.namespace}/${r.name}`))!;
      const pod = sim.store.get("pods", target.namespace, target.name)!;
      sim.store.update("pods", { ...pod, metadata: { ...pod.metadata, deletionTimestamp: new Date().toISOString() } });
      const changed = () => (repo.rows(PODS) as PodRow[]).find((r) => r.name === target.name && r.deleting);
      await until(repo, () => changed() !== undefined, "the changed pod's new row");
      assert.equal(changed()!.cpuUsage, target.cpuUsage);

      release();
      assert.equal(
        repo.statuses().find((s) => s.resource === "pod-metrics"),
        undefined,
        "released: no polling, no status",
      );
    } finally {
      await h.close();
    }
  });

  test("history: one point per new sample, timestamps rising", async () => {
    const h = await startRepo({ pods: 40, metrics: { resolutionMs: 100 } }, { metrics: { minIntervalMs: 10 } });
    const { repo } = h;
    try {
      await repo.startPriority();
      const release = repo.hold(PODS);
      const running = () => (repo.rows(PODS) as PodRow[]).find((r) => r.phase === "Running" && !r.deleting)!;
      await until(repo, () => running() !== undefined && running().cpuUsage >= 0, "a running pod's usage");
      const { namespace, name } = running();
      await until(repo, () => (repo.metrics("pods", namespace, name)?.timestamps.length ?? 0) >= 4, "4 samples");
      const series = repo.metrics("pods", namespace, name)!;
      for (let i = 1; i < series.timestamps.length; i++) {
        assert.ok(series.timestamps[i]! > series.timestamps[i - 1]!, "timestamps rise");
      }
      assert.equal(series.cpuMillis.length, series.timestamps.length);
      assert.equal(series.cpuMillis[series.cpuMillis.length - 1], Math.fround(series.current.cpuMillis));
      assert.ok(new Set(series.cpuMillis).size > 1, "usage moves");
      release();
    } finally {
      await h.close();
    }
  });

  test("nodes: usage, percent of allocatable and the pods on each node", async () => {
    const h = await startRepo({ pods: 60, metrics: { resolutionMs: HOUR } }, { metrics: { minIntervalMs: 10 } });
    const { repo } = h;
    try {
      await repo.startPriority();
      const release = repo.hold(NODES);
      await until(
        repo,
        () => {
          const nodes = repo.rows(NODES) as NodeRow[];
          return nodes.length > 0 && nodes.every((n) => n.cpuUsage >= 0 && n.pods >= 0);
        },
        "node usage and counts",
      );
      const pods = repo.rows(PODS) as PodRow[];
      for (const node of repo.rows(NODES) as NodeRow[]) {
        const cellOf = (name: string) => nodeUsageColumns.find((c) => c.name === name)!.cell(node, 0);
        assert.equal(cellOf("PODS"), String(pods.filter((p) => p.node === node.name).length), node.name);
        assert.equal(cellOf("%CPU"), String(Math.floor((wholeMillicores(node.cpuUsage) * 100) / node.allocatableCpu)));
        assert.ok(repo.metrics("nodes", "", node.name), node.name);
      }
      release();
    } finally {
      await h.close();
    }
  });

  test("an absent metrics API (no metrics-server): n/a, and the status says why", async () => {
    const h = await startRepo(
      { pods: 20, metrics: { availability: "absent" } },
      { metrics: { minIntervalMs: 10, refusalRetryMs: 60_000 } },
    );
    const { repo } = h;
    try {
      await repo.startPriority();
      const release = repo.hold(PODS);
      await until(repo, () => repo.statuses().some((s) => s.resource === "pod-metrics" && s.error), "an error");
      const status = repo.statuses().find((s) => s.resource === "pod-metrics")!;
      assert.match(status.error!, /not served|404/);
      assert.equal(status.refused, true);
      for (const row of repo.rows(PODS) as PodRow[]) assert.equal(cell(row, "CPU"), "n/a");
      release();
    } finally {
      await h.close();
    }
  });

  test("discovery: a metrics group it could not read is polled (the 503 says why); one it does not list is not", async () => {
    for (const failed of [true, false]) {
      const h = await startRepo(
        { pods: 20, metrics: { availability: "unavailable" } },
        {
          metrics: { minIntervalMs: 10, refusalRetryMs: 60_000 },
          // As kube/discovery answers with the metrics APIService down (its group "Stale" or its document a 503).
          discover: async () => ({
            kinds: builtinApiKinds(),
            failed: failed ? [{ groupVersion: "metrics.k8s.io/v1beta1", error: "server error 503" }] : [],
          }),
        },
      );
      const { repo } = h;
      try {
        await repo.startPriority();
        await until(repo, () => repo.kindsStatus().source === "discovery", "discovery");
        const release = repo.hold(PODS);
        await until(repo, () => repo.statuses().some((s) => s.resource === "pod-metrics" && s.error), "an error");
        const error = repo.statuses().find((s) => s.resource === "pod-metrics")!.error!;
        if (failed) assert.match(error, /unavailable \(503\)/);
        else assert.match(error, /discovery does not list/);
        release();
      } finally {
        await h.close();
      }
    }
  });

  test("an unavailable APIService (503), then back: n/a with the reason, then the columns fill", async () => {
    const h = await startRepo(
      { pods: 20, metrics: { availability: "unavailable", resolutionMs: 100 } },
      { metrics: { minIntervalMs: 10, refusalRetryMs: 100 } },
    );
    const { repo, sim } = h;
    try {
      await repo.startPriority();
      const release = repo.hold(PODS);
      await until(repo, () => repo.statuses().some((s) => s.resource === "pod-metrics" && s.error), "an error");
      assert.match(repo.statuses().find((s) => s.resource === "pod-metrics")!.error!, /503/);
      sim.metrics.availability = "ok";
      await until(repo, () => (repo.rows(PODS) as PodRow[]).some((r) => r.cpuUsage >= 0), "usage after recovery");
      const status = repo.statuses().find((s) => s.resource === "pod-metrics")!;
      assert.equal(status.error, undefined);
      assert.equal(status.synced, true);
      release();
    } finally {
      await h.close();
    }
  });
});
