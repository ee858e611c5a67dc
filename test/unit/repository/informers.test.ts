// InformerRepository against the simulator: informers started by hold() and stopped when no one holds them, views
// over one cache (namespace, owner, node), selector informers, and kinds served through the server's Table.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { controllerOf, keys, serverKeys, startRepo, until } from "./harness.ts";

const DEPLOYMENTS = { kind: "deployments" };

describe("hold and release", () => {
  test("a held kind loads; released, it stops after idleStopMs and frees its cache; held again, it relists", async () => {
    const h = await startRepo({ pods: 40 }, { idleStopMs: 50 });
    const { repo, sim } = h;
    try {
      await repo.startPriority();
      assert.deepEqual(
        repo.statuses().map((s) => s.resource),
        ["pods"],
        "only pods start by default",
      );
      assert.equal(repo.rows(DEPLOYMENTS).length, 0);

      const release = repo.hold(DEPLOYMENTS);
      assert.equal(repo.holders(DEPLOYMENTS), 1);
      await until(repo, () => repo.status(DEPLOYMENTS).synced, "deployments synced");
      assert.equal(repo.status(DEPLOYMENTS).resource, "deployments.apps");
      assert.deepEqual(keys(repo.rows(DEPLOYMENTS)), serverKeys(sim.store.list("deployments")));
      assert.deepEqual(
        repo.statuses().map((s) => s.resource),
        ["pods", "deployments.apps"],
      );

      // A second holder (another view, another name for the kind) shares the informer.
      const releaseOther = repo.hold({ kind: "deploy.apps", namespace: "catalog" });
      assert.equal(repo.holders(DEPLOYMENTS), 2);
      release();
      release(); // idempotent
      assert.equal(repo.holders(DEPLOYMENTS), 1);
      releaseOther();
      assert.equal(repo.holders(DEPLOYMENTS), 0);
      assert.ok(repo.status(DEPLOYMENTS).synced, "still running right after the last release");

      await until(repo, () => !repo.statuses().some((s) => s.resource === "deployments.apps"), "idle stop");
      assert.equal(repo.rows(DEPLOYMENTS).length, 0, "the cache is gone");
      assert.equal(repo.status(DEPLOYMENTS).synced, false);
      assert.ok(repo.status({ kind: "pods" }).synced, "pods are never stopped");

      // Changed while nobody watched: holding again lists afresh.
      const gone = sim.store.list("deployments")[0]!;
      sim.store.delete("deployments", gone.metadata!.namespace!, gone.metadata!.name!);
      const releaseAgain = repo.hold(DEPLOYMENTS);
      await until(repo, () => repo.status(DEPLOYMENTS).synced, "deployments synced again");
      assert.deepEqual(keys(repo.rows(DEPLOYMENTS)), serverKeys(sim.store.list("deployments")));
      releaseAgain();
    } finally {
      await h.close();
    }
  });

  test("holding again before idleStopMs keeps the same informer and its cache", async () => {
    const h = await startRepo({ pods: 20 }, { idleStopMs: 60_000 });
    const { repo } = h;
    try {
      await repo.startPriority();
      const release = repo.hold({ kind: "services" });
      await until(repo, () => repo.status({ kind: "services" }).synced, "services synced");
      const startedAt = repo.status({ kind: "services" }).startedAt;
      const rows = repo.rows({ kind: "services" });
      release();
      const again = repo.hold({ kind: "svc" });
      assert.equal(repo.status({ kind: "services" }).startedAt, startedAt, "not restarted");
      assert.equal(repo.rows({ kind: "services" }), rows, "same cache, same array");
      again();
    } finally {
      await h.close();
    }
  });

  test("preloaded kinds (the benchmark's behaviour) start after pods and are never idle-stopped", async () => {
    const h = await startRepo({ pods: 20 }, { idleStopMs: 1, resources: ["pods", "nodes"] });
    const { repo } = h;
    try {
      await repo.startPriority();
      await until(repo, () => repo.status({ kind: "nodes" }).synced, "nodes synced");
      repo.hold({ kind: "nodes" })();
      // A timer of 1 ms would have fired by the time discovery has answered too.
      await until(repo, () => repo.kindsStatus().source === "discovery", "discovery answered");
      await new Promise((resolve) => setTimeout(resolve, 20));
      assert.ok(repo.status({ kind: "nodes" }).synced);
    } finally {
      await h.close();
    }
  });
});

describe("views over one cache", () => {
  test("a namespace is a view of the all-namespaces cache, equal to a LIST of that namespace, same array until a change", async () => {
    const h = await startRepo({ pods: 300 });
    const { repo, sim } = h;
    try {
      await repo.startPriority();
      const namespaces = [...new Set(sim.store.list("pods").map((p) => p.metadata!.namespace!))];
      assert.ok(namespaces.length > 1);
      for (const namespace of namespaces) {
        const query = { kind: "pods", namespace };
        const release = repo.hold(query);
        assert.deepEqual(keys(repo.rows(query)), serverKeys(sim.store.list("pods", namespace)), namespace);
        assert.equal(repo.rows(query), repo.rows(query), "the same array while nothing changed");
        release();
      }
      assert.equal(repo.statuses().length, 1, "namespace queries share the one pods informer");

      const query = { kind: "pods", namespace: namespaces[0]! };
      const before = repo.rows(query);
      const created = sim.store.createPod(namespaces[0]!);
      await until(repo, () => repo.rows(query).some((p) => p.name === created.metadata!.name), "the new pod shows");
      assert.notEqual(repo.rows(query), before);
      assert.deepEqual(keys(repo.rows(query)), serverKeys(sim.store.list("pods", namespaces[0]!)));
    } finally {
      await h.close();
    }
  });

  test("drill-down: a deployment's replica sets' pods are the pods the server says they own", async () => {
    const h = await startRepo({ pods: 200 });
    const { repo, sim } = h;
    try {
      await repo.startPriority();
      const release = repo.hold({ kind: "replicasets" });
      await until(repo, () => repo.status({ kind: "replicasets" }).synced, "replica sets synced");
      let checked = 0;
      for (const deployment of sim.store.list("deployments")) {
        const owner = `${deployment.metadata!.namespace}/Deployment/${deployment.metadata!.name}`;
        const replicaSets = repo.rows({ kind: "replicasets", owners: [owner] });
        const expectedSets = sim.store.list("replicasets").filter((rs) => controllerOf(rs) === owner);
        assert.deepEqual(keys(replicaSets), serverKeys(expectedSets), owner);
        const setOwners = replicaSets.map((rs) => `${rs.namespace}/ReplicaSet/${rs.name}`);
        const pods = repo.rows({ kind: "pods", owners: setOwners });
        const expectedPods = sim.store.list("pods").filter((p) => setOwners.includes(controllerOf(p) ?? ""));
        assert.deepEqual(keys(pods), serverKeys(expectedPods), `pods of ${owner}`);
        if (pods.length > 0) checked++;
      }
      assert.ok(checked > 0, "some deployment has pods");
      release();
    } finally {
      await h.close();
    }
  });

  test("pods on a node are the node index's, also within one namespace", async () => {
    const h = await startRepo({ pods: 200, nodes: 5 });
    const { repo, sim } = h;
    try {
      await repo.startPriority();
      const all = sim.store.list("pods");
      const node = (all[0]!.spec as { nodeName: string }).nodeName;
      const onNode = all.filter((p) => (p.spec as { nodeName?: string }).nodeName === node);
      assert.ok(onNode.length > 0 && onNode.length < all.length);
      assert.deepEqual(keys(repo.rows({ kind: "pods", node })), serverKeys(onNode));
      const namespace = onNode[0]!.metadata!.namespace!;
      assert.deepEqual(
        keys(repo.rows({ kind: "pods", node, namespace })),
        serverKeys(onNode.filter((p) => p.metadata!.namespace === namespace)),
      );
    } finally {
      await h.close();
    }
  });

  test("a label selector gets an informer of its own that lists and watches only what it selects", async () => {
    const h = await startRepo({ pods: 200 });
    const { repo, sim } = h;
    try {
      await repo.startPriority();
      const pod = sim.store.list("pods")[0]!;
      const namespace = pod.metadata!.namespace!;
      const app = pod.metadata!.labels!.app!;
      const query = { kind: "pods", namespace, labelSelector: `app=${app}` };
      const selected = () => sim.store.list("pods", namespace).filter((p) => p.metadata?.labels?.app === app);
      const release = repo.hold(query);
      await until(repo, () => repo.status(query).synced, "selector informer synced");
      assert.deepEqual(keys(repo.rows(query)), serverKeys(selected()));
      const selectorStatus = repo.statuses().find((s) => s.labelSelector !== undefined);
      assert.deepEqual(
        [selectorStatus?.resource, selectorStatus?.namespace, selectorStatus?.count],
        ["pods", namespace, selected().length],
      );
      // Only what the selector picks arrives: the store holds nothing else.
      const created = sim.store.createPod(namespace);
      await until(
        repo,
        () => repo.rows({ kind: "pods" }).some((p) => p.name === created.metadata!.name),
        "the shared informer sees the new pod",
      );
      assert.deepEqual(keys(repo.rows(query)), serverKeys(selected()));
      release();
    } finally {
      await h.close();
    }
  });
});

describe("kinds", () => {
  test("every row carries its filter text from ingest: pods by namespace, name, status, node and IP; others by namespace and name", async () => {
    const { searchText } = await import("../../../src/resources/search.ts");
    const h = await startRepo({ pods: 30 });
    const { repo, sim } = h;
    try {
      await repo.startPriority();
      await until(repo, () => repo.status({ kind: "pods" }).synced, "pods synced");
      const pods = repo.rows({ kind: "pods" }) as unknown as readonly PodLike[];
      assert.ok(pods.length > 0);
      for (const row of pods) {
        const fields = [row.namespace, row.name, row.status, row.node || "<none>", row.ip || "<none>"];
        assert.equal(row.haystack, searchText(fields), `${row.namespace}/${row.name}`);
      }
      // A changed object is a new row with a new text.
      const pod = sim.store.list("pods")[0]!;
      sim.store.update("pods", { ...pod, metadata: { ...pod.metadata, deletionTimestamp: new Date().toISOString() } });
      const key = { namespace: pod.metadata!.namespace!, name: pod.metadata!.name! };
      const changed = () =>
        (repo.rows({ kind: "pods" }) as unknown as readonly PodLike[]).find(
          (r) => r.name === key.name && r.namespace === key.namespace,
        );
      await until(repo, () => changed()?.status === "Terminating", "the pod shows Terminating");
      assert.match(changed()!.haystack!, /\nterminating\n/);

      const release = repo.hold(DEPLOYMENTS);
      await until(repo, () => repo.status(DEPLOYMENTS).synced, "deployments synced");
      for (const row of repo.rows(DEPLOYMENTS)) assert.equal(row.haystack, searchText([row.namespace, row.name]));
      await until(repo, () => repo.resolve("wdg") !== undefined, "discovery answered");
      const releaseWidgets = repo.hold({ kind: "wdg" });
      await until(repo, () => repo.status({ kind: "wdg" }).synced, "widgets synced (server's Table)");
      const widgets = repo.rows({ kind: "wdg" });
      assert.ok(widgets.length > 0);
      for (const row of widgets) assert.equal(row.haystack, searchText([row.namespace, row.name]));
      release();
      releaseWidgets();
    } finally {
      await h.close();
    }
  });

  test("built-in kinds until discovery answers, then discovery's, resolved by kubectl's names", async () => {
    const h = await startRepo({ pods: 10 });
    const { repo } = h;
    try {
      assert.equal(repo.kindsStatus().source, "builtin");
      assert.equal(repo.resolve("deploy")?.key, "deployments.apps");
      assert.equal(repo.resolve("wdg"), undefined, "a CRD is unknown before discovery");
      const release = repo.hold({ kind: "wdg" });
      await repo.startPriority();
      await until(repo, () => repo.kindsStatus().source === "discovery", "discovery answered");
      assert.equal(repo.kindsStatus().error, undefined);
      assert.equal(repo.resolve("wdg")?.key, "widgets.demo.timoneiro.dev");
      assert.equal(repo.resolve("Widget")?.key, "widgets.demo.timoneiro.dev");
      assert.equal(repo.resolve("po")?.key, "pods");
      assert.ok(repo.kinds().some((k) => k.key === "clusterpolicies.demo.timoneiro.dev"));
      await until(repo, () => repo.status({ kind: "wdg" }).synced, "held before discovery, started after it");
      release();
    } finally {
      await h.close();
    }
  });

  test("a custom resource lists through the server's Table with its printer columns; AGE counts live", async () => {
    const h = await startRepo({ pods: 10 });
    const { repo, sim } = h;
    try {
      await repo.startPriority();
      await until(repo, () => repo.resolve("wdg") !== undefined, "discovery answered");
      const query = { kind: "wdg" };
      assert.equal(repo.columns("wdg"), undefined, "no columns before the Table arrived");
      const release = repo.hold(query);
      await until(repo, () => repo.status(query).synced, "widgets synced");
      const widgets = sim.store.list("widgets.demo.timoneiro.dev");
      assert.ok(widgets.length > 0);
      assert.deepEqual(keys(repo.rows(query)), serverKeys(widgets));

      const crd = sim.store.get("customresourcedefinitions", "", "widgets.demo.timoneiro.dev")!;
      const version = (
        crd.spec as { versions: { storage: boolean; additionalPrinterColumns?: PrinterColumn[] }[] }
      ).versions.find((v) => v.storage)!;
      const printed = (version.additionalPrinterColumns ?? []).map((c) => ({
        name: c.name.toUpperCase(),
        priority: (c.priority ?? 0) > 0 ? 1 : 0,
      }));
      const columns = repo.columns("widgets.demo.timoneiro.dev")!;
      assert.ok(columns, "columns after the first LIST");
      assert.equal(repo.columns("wdg"), columns, "the same array while the definitions are the same");
      // The server's columns: Name (printed by the view) first, then the CRD's, then Age if the CRD has none.
      const expected = printed.some((c) => c.name === "AGE") ? printed : [...printed, { name: "AGE", priority: 0 }];
      assert.deepEqual(
        columns.map((c) => ({ name: c.name, priority: c.priority })),
        expected,
      );
      const row = repo.rows(query)[0]!;
      const age = columns.find((c) => c.name === "AGE")!;
      assert.equal(age.cell(row, row.createdAt + 90_000), "90s");
      assert.equal(age.cell(row, row.createdAt + 3 * 3600_000), "3h");
      release();
    } finally {
      await h.close();
    }
  });

  test("a CRD deleted while shown: the status says the server no longer serves it, and no ghost rows stay", async () => {
    const h = await startRepo({ pods: 10 });
    const { repo, sim } = h;
    try {
      await repo.startPriority();
      await until(repo, () => repo.resolve("wdg") !== undefined, "discovery answered");
      const query = { kind: "widgets.demo.timoneiro.dev" };
      const release = repo.hold(query);
      await until(repo, () => repo.status(query).synced, "widgets synced");
      assert.ok(repo.rows(query).length > 0);
      sim.store.delete("customresourcedefinitions", "", "widgets.demo.timoneiro.dev");
      await until(
        repo,
        () => repo.status(query).error === "the server no longer serves widgets.demo.timoneiro.dev",
        "the kind is reported gone",
      );
      assert.equal(repo.status(query).refused, true);
      assert.equal(repo.rows(query).length, 0, "its objects are gone with it");
      release();
    } finally {
      await h.close();
    }
  });
});

/** The pod fields the filter text is made of. */
interface PodLike {
  namespace: string;
  name: string;
  status: string;
  node: string;
  ip: string;
  haystack?: string;
}

interface PrinterColumn {
  name: string;
  priority?: number;
}
