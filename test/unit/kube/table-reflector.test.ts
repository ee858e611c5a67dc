// Any kind as server-side Tables through the ordinary reflector, against the simulator: discovery → TableSource →
// LIST + WATCH, rows following the server's objects, and a custom resource printed with its CRD's columns.
import assert from "node:assert/strict";
import { test } from "node:test";
import { discover } from "../../../src/kube/discovery.ts";
import type { KubeObject } from "../../../src/kube/objects.ts";
import { Reflector } from "../../../src/kube/reflector.ts";
import { resolveKind } from "../../../src/kube/resolve.ts";
import { RowStore } from "../../../src/kube/store.ts";
import { type TableRow, TableSource, tableCell } from "../../../src/kube/table.ts";
import { startSimTransport } from "./sim-transport.ts";

const FAST = { backoff: { initialMs: 20, maxMs: 200 }, idleTimeoutMs: 5_000 };

/** Resolves once `predicate` holds, checking on every reflector change; fails after `limitMs`. */
function until(subscribe: (f: () => void) => void, predicate: () => boolean, what: string, limitMs = 10_000) {
  return new Promise<void>((resolve, reject) => {
    if (predicate()) return resolve();
    const limit = setTimeout(() => reject(new Error(`timed out waiting for: ${what}`)), limitMs);
    subscribe(() => {
      if (!predicate()) return;
      clearTimeout(limit);
      resolve();
    });
  });
}

function tableReflector(h: Awaited<ReturnType<typeof startSimTransport>>, source: TableSource) {
  const listeners: (() => void)[] = [];
  const store = new RowStore<TableRow>();
  const reflector = new Reflector(h.transport, source, store, {
    ...FAST,
    // The source's own list mode wins: Tables are always listed with paginated LISTs.
    listMode: "auto",
    onChange: () => {
      for (const l of listeners) l();
    },
  });
  const synced = () =>
    Promise.race([
      reflector.whenSynced(),
      new Promise((_, reject) => setTimeout(() => reject(new Error("no sync within 10 s")), 10_000).unref()),
    ]);
  return { store, reflector, synced, subscribe: (f: () => void) => listeners.push(f) };
}

test("pods as Tables: the LIST brings columns and rows, the watch adds and removes rows", async () => {
  const h = await startSimTransport({ pods: 30 });
  const { kinds } = await discover(h.transport);
  const source = new TableSource(resolveKind(kinds, "po")!);
  const { store, reflector, synced, subscribe } = tableReflector(h, source);
  try {
    reflector.start();
    await synced();
    const pods = h.sim.store.list("pods");
    assert.equal(store.size, pods.length);
    const columns = source.columns()!;
    assert.deepEqual(
      columns.slice(0, 5).map((c) => c.name),
      ["Name", "Ready", "Status", "Restarts", "Age"],
    );
    assert.equal(source.ageColumn, 4);
    const first = pods[0]!;
    const row = store.get(`${first.metadata!.namespace}/${first.metadata!.name}`)!;
    assert.equal(row.uid, first.metadata!.uid);
    assert.equal(row.cells[0], first.metadata!.name);
    assert.equal(row.cells.length, columns.length);
    assert.equal(row.createdAt, Date.parse(first.metadata!.creationTimestamp!));
    assert.equal(row.ownerKind, first.metadata!.ownerReferences?.find((o) => o.controller)?.kind);
    assert.equal(tableCell(source, row, 4, row.createdAt + 61_000), "61s");

    const added = h.sim.store.createPod(first.metadata!.namespace!) as KubeObject;
    const key = `${added.metadata!.namespace}/${added.metadata!.name}`;
    await until(subscribe, () => store.get(key) !== undefined, "the new pod's row");
    assert.equal(store.get(key)!.cells[0], added.metadata!.name);
    assert.ok(source.columns()!.length > 0, "columns survive watch events without columnDefinitions");

    h.sim.store.delete("pods", added.metadata!.namespace!, added.metadata!.name!);
    await until(subscribe, () => store.get(key) === undefined, "the deleted pod's row gone");
    assert.equal(reflector.status.error, undefined);
  } finally {
    await reflector.stop();
    await h.close();
  }
});

test("cluster-scoped kinds as Tables are keyed by name alone", async () => {
  const h = await startSimTransport({ pods: 10 });
  const { kinds } = await discover(h.transport);
  const source = new TableSource(resolveKind(kinds, "nodes")!);
  const { store, reflector, synced } = tableReflector(h, source);
  try {
    reflector.start();
    await synced();
    const nodes = h.sim.store.list("nodes");
    assert.equal(store.size, nodes.length);
    assert.ok(nodes.every((n) => store.get(n.metadata!.name!)?.namespace === ""));
  } finally {
    await reflector.stop();
    await h.close();
  }
});

const DEMO_CRD: KubeObject = {
  apiVersion: "apiextensions.k8s.io/v1",
  kind: "CustomResourceDefinition",
  metadata: { name: "gizmos.test.timoneiro.dev" },
  spec: {
    group: "test.timoneiro.dev",
    scope: "Namespaced",
    names: { plural: "gizmos", singular: "gizmo", kind: "Gizmo", shortNames: ["gz"], listKind: "GizmoList" },
    versions: [
      {
        name: "v1",
        served: true,
        storage: true,
        schema: { openAPIV3Schema: { type: "object", "x-kubernetes-preserve-unknown-fields": true } },
        additionalPrinterColumns: [
          { name: "Size", type: "integer", jsonPath: ".spec.size" },
          { name: "Phase", type: "string", jsonPath: ".status.phase" },
          { name: "Age", type: "date", jsonPath: ".metadata.creationTimestamp" },
        ],
      },
    ],
  },
};

test("a custom resource as a Table: its CRD's printer columns, null cells empty, live age", async (t) => {
  const h = await startSimTransport({ pods: 5 });
  try {
    try {
      h.sim.store.create("customresourcedefinitions", DEMO_CRD);
    } catch (err) {
      t.skip(`the simulator cannot create CRDs yet (${(err as Error).message})`);
      return;
    }
    const { kinds } = await discover(h.transport);
    const kind = resolveKind(kinds, "gz.test.timoneiro.dev");
    if (!kind) {
      t.skip("the simulator does not serve a created CRD's kind yet");
      return;
    }
    assert.equal(kind.key, "gizmos.test.timoneiro.dev");
    assert.equal(resolveKind(kinds, "gizmos.v1.test.timoneiro.dev")?.key, kind.key);
    const namespace = h.sim.store.list("namespaces")[0]!.metadata!.name!;
    h.sim.store.create(kind.key, {
      apiVersion: "test.timoneiro.dev/v1",
      kind: "Gizmo",
      metadata: { name: "g1", namespace },
      spec: { size: 3 },
    });
    const source = new TableSource(kind);
    const { store, reflector, synced } = tableReflector(h, source);
    try {
      reflector.start();
      await synced();
      assert.deepEqual(
        source.columns()!.map((c) => [c.name, c.type]),
        [
          ["Name", "string"],
          ["Size", "integer"],
          ["Phase", "string"],
          ["Age", "date"],
        ],
      );
      const row = store.get(`${namespace}/g1`)!;
      assert.deepEqual(row.cells.slice(0, 3), ["g1", "3", ""]);
      assert.equal(source.ageColumn, 3);
      assert.equal(tableCell(source, row, 3, row.createdAt + 3 * 3600_000), "3h");
    } finally {
      await reflector.stop();
    }
  } finally {
    await h.close();
  }
});

test("the simulator's demo CRDs as Tables: widgets (namespaced, a missing status prints empty), clusterpolicies (booleans)", async (t) => {
  const h = await startSimTransport({ pods: 50 });
  try {
    const { kinds } = await discover(h.transport);
    const widgets = resolveKind(kinds, "widgets.demo.timoneiro.dev");
    const policies = resolveKind(kinds, "clusterpolicies.demo.timoneiro.dev");
    if (!widgets || !policies) {
      t.skip("the simulator does not serve its demo CRDs");
      return;
    }
    assert.equal(resolveKind(kinds, "wdg")?.key, widgets.key);
    assert.equal(resolveKind(kinds, "Widget")?.key, widgets.key);

    const source = new TableSource(widgets);
    const { store, reflector, synced } = tableReflector(h, source);
    try {
      reflector.start();
      await synced();
      const objects = h.sim.store.list(widgets.key);
      assert.ok(objects.length > 0);
      assert.equal(store.size, objects.length);
      assert.deepEqual(
        source.columns()!.map((c) => [c.name, c.type, c.priority]),
        [
          ["Name", "string", 0],
          ["Size", "integer", 0],
          ["Phase", "string", 0],
          ["Ready", "string", 1],
          ["Age", "date", 0],
        ],
      );
      assert.equal(source.ageColumn, 4);
      for (const obj of objects) {
        const row = store.get(`${obj.metadata!.namespace}/${obj.metadata!.name}`)!;
        const spec = obj.spec as { size?: number };
        const status = obj.status as { phase?: string } | undefined;
        assert.equal(row.cells[1], spec.size === undefined ? "" : String(spec.size), `${row.name} size`);
        assert.equal(row.cells[2], status?.phase ?? "", `${row.name} phase`);
      }
    } finally {
      await reflector.stop();
    }

    const policySource = new TableSource(policies);
    const p = tableReflector(h, policySource);
    try {
      p.reflector.start();
      await p.synced();
      const enforced = policySource.columns()!.findIndex((c) => c.name === "Enforced");
      assert.ok(enforced > 0);
      for (const obj of h.sim.store.list(policies.key)) {
        const row = p.store.get(obj.metadata!.name!)!;
        const value = (obj.spec as { enforced?: boolean }).enforced;
        assert.equal(row.cells[enforced], value === undefined ? "" : String(value));
      }
    } finally {
      await p.reflector.stop();
    }
  } finally {
    await h.close();
  }
});
