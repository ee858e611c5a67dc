// StaticRepository (src/repository/static-repository.ts) is the UI's test and benchmark data source; kept here
// with the app tests that depend on it.
import assert from "node:assert/strict";
import { test } from "node:test";
import { generatePods, makePod, StaticRepository } from "../../../src/repository/static-repository.ts";

test("rows are sorted newest first, then namespace, then name, and everything is synced", () => {
  const repo = new StaticRepository({
    pods: [
      makePod({ name: "b", namespace: "x", createdAt: 1 }),
      makePod({ name: "a", namespace: "x", createdAt: 1 }),
      makePod({ name: "z", namespace: "a", createdAt: 1 }),
      makePod({ name: "new", createdAt: 5 }),
    ],
  });
  assert.deepEqual(
    repo.getPods().map((p) => p.name),
    ["new", "z", "a", "b"],
  );
  assert.deepEqual(
    repo.getAllLoadingStatus().map((s) => [s.resource, s.synced, s.count]),
    [["pods", true, 4]],
  );
  assert.equal(repo.isResourceSynced("pods"), true);
  assert.equal(repo.isResourceSynced("services"), false);
  assert.deepEqual(repo.getServices(), []);
});

test("setRows and setLoadingStatus notify subscribers; errors can be set and cleared", () => {
  const repo = new StaticRepository({ pods: generatePods(10, 1_000_000) });
  let calls = 0;
  const unsubscribe = repo.subscribe(() => calls++);
  const before = repo.getPods();
  repo.setPods(generatePods(5, 1_000_000));
  assert.equal(calls, 1);
  assert.notEqual(repo.getPods(), before, "a change gives a new array");
  assert.equal(repo.getLoadingStatus("pods").count, 5);
  repo.setLoadingStatus("pods", { error: "boom" });
  assert.equal(repo.getLoadingStatus("pods").error, "boom");
  repo.setPods(generatePods(6, 1_000_000));
  assert.equal(repo.getLoadingStatus("pods").error, "boom", "the error stays until cleared");
  repo.setLoadingStatus("pods", { error: undefined });
  assert.equal("error" in repo.getLoadingStatus("pods"), false);
  const sorted = [makePod({ name: "keep-order-2", createdAt: 1 }), makePod({ name: "keep-order-1", createdAt: 2 })];
  repo.setRows("pods", sorted, { sorted: true });
  assert.equal(repo.getPods(), sorted, "already-sorted rows are kept as given");
  unsubscribe();
  repo.setPods([]);
  assert.equal(calls, 5);
  assert.equal(repo.listenerCount, 0);
});

test("generatePods is deterministic and covers failing, pending and completed pods", () => {
  const a = generatePods(2000, 1_700_000_000_000);
  const b = generatePods(2000, 1_700_000_000_000);
  assert.deepEqual(a, b);
  const statuses = new Set(a.map((p) => p.status));
  for (const s of ["Running", "Pending", "CrashLoopBackOff", "Completed", "ImagePullBackOff"])
    assert.ok(statuses.has(s), s);
  assert.equal(new Set(a.map((p) => `${p.namespace}/${p.name}`)).size, a.length, "keys are unique");
});

test("rows(query): namespace, owner, node and label selector filters, the same array while rows are unchanged", () => {
  const pods = [
    makePod({ name: "a", namespace: "shop", node: "n1", ownerKind: "ReplicaSet", ownerName: "web-1", createdAt: 3 }),
    makePod({ name: "b", namespace: "shop", node: "n2", ownerKind: "ReplicaSet", ownerName: "web-2", createdAt: 2 }),
    makePod({ name: "c", namespace: "blog", node: "n1", ownerKind: "ReplicaSet", ownerName: "web-1", createdAt: 1 }),
  ];
  const labelled = [
    { ...pods[0]!, labels: { app: "web", tier: "front" } },
    { ...pods[1]!, labels: { app: "web" } },
    { ...pods[2]!, labels: { app: "blog" } },
  ];
  const repo = new StaticRepository({ pods: labelled });
  const names = (query: Parameters<typeof repo.rows>[0]) => repo.rows(query).map((p) => p.name);
  assert.deepEqual(names({ kind: "pods", namespace: "shop" }), ["a", "b"]);
  assert.deepEqual(names({ kind: "po", owners: ["shop/ReplicaSet/web-1", "shop/ReplicaSet/web-2"] }), ["a", "b"]);
  assert.deepEqual(names({ kind: "pods", owners: ["shop/ReplicaSet/web-1"] }), ["a"], "owners are namespaced");
  assert.deepEqual(names({ kind: "pods", node: "n1" }), ["a", "c"]);
  assert.deepEqual(names({ kind: "pods", node: "n1", namespace: "blog" }), ["c"]);
  assert.deepEqual(names({ kind: "pods", labelSelector: "app=web,tier!=front" }), ["b"]);
  assert.deepEqual(names({ kind: "pods", labelSelector: "tier" }), ["a"]);
  assert.deepEqual(names({ kind: "pods", labelSelector: "!tier,app" }), ["b", "c"]);
  const query = { kind: "pods", namespace: "shop" };
  assert.equal(repo.rows(query), repo.rows({ ...query }), "same query, same array");
  assert.equal(repo.rows({ kind: "pods" }), repo.getPods());
  const before = repo.rows(query);
  repo.setPods(labelled.slice(1));
  assert.notEqual(repo.rows(query), before, "a change gives a new array");
  assert.deepEqual(names(query), ["b"]);
  assert.deepEqual(repo.rows({ kind: "deployments" }), []);
});

test("kinds, resolve and columns come from the built-in definitions; extra kinds bring their own", () => {
  const widgets = {
    key: "widgets.demo.example",
    group: "demo.example",
    version: "v1",
    resource: "widgets",
    singular: "widget",
    kind: "Widget",
    namespaced: true,
    shortNames: ["wdg"],
    verbs: ["list", "watch"],
    categories: [],
  };
  const columns = [{ name: "SIZE", priority: 0 as const, cell: () => "3" }];
  const repo = new StaticRepository({
    extraKinds: [{ kind: widgets, columns }],
    rows: { wdg: [{ namespace: "x", name: "w", uid: "u", createdAt: 1 }], deploy: [] },
  });
  assert.ok(repo.kinds().some((k) => k.key === "pods"));
  assert.equal(repo.resolve("deploy")?.key, "deployments.apps");
  assert.equal(repo.resolve("Deployment")?.key, "deployments.apps");
  assert.equal(repo.resolve("wdg")?.key, "widgets.demo.example");
  assert.equal(repo.resolve("nonsense"), undefined);
  assert.equal(repo.columns("po")?.[0]?.name, "READY");
  assert.equal(repo.columns("widgets"), columns);
  assert.equal(repo.rows({ kind: "widgets.demo.example" }).length, 1);
  assert.deepEqual(
    repo.statuses().map((s) => s.resource),
    ["pods", "widgets.demo.example", "deployments.apps"],
    "pods first",
  );
  assert.equal(repo.status({ kind: "deployments" }).synced, true);
  assert.equal(repo.kindsStatus().source, "builtin");
});

test("hold() counts holders per informer: same kind, namespace and selector count together", () => {
  const repo = new StaticRepository();
  const a = repo.hold({ kind: "pods", namespace: "shop" });
  const b = repo.hold({ kind: "po", namespace: "shop", owners: ["shop/ReplicaSet/web"] });
  const c = repo.hold({ kind: "pods" });
  assert.equal(repo.holders({ kind: "pods", namespace: "shop" }), 2);
  assert.equal(repo.holders({ kind: "pods" }), 1);
  assert.equal(repo.holdCount, 3);
  a();
  a();
  assert.equal(repo.holders({ kind: "pods", namespace: "shop" }), 1, "a release counts once");
  b();
  c();
  assert.equal(repo.holdCount, 0);
});
