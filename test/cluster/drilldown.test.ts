// Enter on a row, against the real server at the size: LOAD_PODS unrelated pods spread over namespaces and
// nodes, plus one deployment's chain written by hand (no controller-manager: replicasets with ownerReferences to the
// deployment, pods with ownerReferences to the replicasets), with the look-alikes a label scan would wrongly pick up.
// The queries are the ones src/app/drill.ts builds (a deployment's pods through the owner index, a service's pods
// through a label selector informer, a node's pods through the node index) and the namespace scope; each must equal
// what kubectl prints, cell for cell.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { drillDown } from "../../src/app/drill.ts";
import type { TableSource, TableView } from "../../src/app/views/table.ts";
import type { ViewContext } from "../../src/app/views/view.ts";
import type { InformerRepository } from "../../src/repository/informer-repository.ts";
import type { RowQuery } from "../../src/repository/types.ts";
import { builtinKindOrThrow } from "../../src/resources/index.ts";
import type { BaseRow, Column } from "../../src/resources/types.ts";
import { type Json, listPods, runningStatus } from "./lib/api.ts";
import { contextOf, informer, until } from "./lib/informer.ts";
import { kubectlOk } from "./lib/kubectl.ts";
import { bulkClient, compareWithKubectl } from "./lib/oracle.ts";
import { EXTERNAL, fixtureOnly, type TestCluster, testCluster } from "./lib/target.ts";

/** The size. Created through the API with 16 requests in flight over kept-alive connections. */
const LOAD_PODS = Number(process.env.TIMONEIRO_DRILL_PODS ?? 10_000);
const LOAD_NAMESPACES = 10;
const NODES = 20;
const NS = "shop";
const SKIP = fixtureOnly(`creates ${NODES} nodes and ${LOAD_PODS} pods bound to them`);

let cluster: TestCluster;
let repo: InformerRepository;
let bulk: ReturnType<typeof bulkClient>;
const releases: (() => void)[] = [];
const PODS = builtinKindOrThrow("pods").columns as Column<BaseRow>[];

const nodeName = (i: number) => `node-${String(i % NODES).padStart(2, "0")}`;

async function created(path: string, body: Json): Promise<Json> {
  const res = await bulk.send("POST", path, body);
  assert.equal(res.status, 201, `POST ${path}: ${JSON.stringify(res.json).slice(0, 1000)}`);
  return res.json;
}

const uidOf = (obj: Json) => (obj.metadata as Json).uid as string;
const controller = (apiVersion: string, kind: string, obj: Json) => ({
  apiVersion,
  kind,
  name: (obj.metadata as Json).name as string,
  uid: uidOf(obj),
  controller: true,
  blockOwnerDeletion: true,
});

function pod(name: string, node: number, labels: Json, owner?: Json): Json {
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name, labels, ...(owner && { ownerReferences: [owner] }) },
    spec: { nodeName: nodeName(node), containers: [{ name: "app", image: "registry.example/app:1" }] },
  };
}

async function replicaSet(ns: string, name: string, labels: Json, owner?: Json): Promise<Json> {
  return await created(`/apis/apps/v1/namespaces/${ns}/replicasets`, {
    metadata: { name, labels, ...(owner && { ownerReferences: [owner] }) },
    spec: {
      replicas: 1,
      selector: { matchLabels: { app: labels.app } },
      template: { metadata: { labels }, spec: { containers: [{ name: "app", image: "registry.example/app:1" }] } },
    },
  });
}

async function ownedPods(ns: string, rs: Json, count: number, labels: Json, first: number): Promise<void> {
  for (let i = 0; i < count; i++) {
    const name = `${(rs.metadata as Json).name}-${i}`;
    await created(
      `/api/v1/namespaces/${ns}/pods`,
      pod(name, first + i, labels, controller("apps/v1", "ReplicaSet", rs)),
    );
    const res = await bulk.send(
      "PATCH",
      `/api/v1/namespaces/${ns}/pods/${name}/status`,
      { status: runningStatus(`10.244.${first + i}.${i + 10}`) },
      "application/merge-patch+json",
    );
    assert.equal(res.status, 200, JSON.stringify(res.json));
  }
}

let deployment: Json;

before(async () => {
  if (EXTERNAL) return;
  cluster = await testCluster();
  bulk = bulkClient(cluster.fixture!, 16);
  for (let i = 0; i < NODES; i++) {
    await created("/api/v1/nodes", {
      metadata: { name: nodeName(i), labels: { "kubernetes.io/hostname": nodeName(i) } },
    });
  }
  for (const ns of [NS, "other", ...Array.from({ length: LOAD_NAMESPACES }, (_, i) => `load-${i}`)]) {
    await created("/api/v1/namespaces", { metadata: { name: ns } });
  }

  // The chain: deployment web owns web-7f9c (current, 3 pods) and web-5b1d (old, 2 pods, mid-rollout).
  deployment = await created(`/apis/apps/v1/namespaces/${NS}/deployments`, {
    metadata: { name: "web" },
    spec: {
      replicas: 3,
      selector: { matchLabels: { app: "web" } },
      template: { metadata: { labels: { app: "web" } }, spec: { containers: [{ name: "app", image: "a:1" }] } },
    },
  });
  const byDeployment = controller("apps/v1", "Deployment", deployment);
  const current = await replicaSet(NS, "web-7f9c", { app: "web", tier: "front" }, byDeployment);
  const old = await replicaSet(NS, "web-5b1d", { app: "web", tier: "back" }, byDeployment);
  await ownedPods(NS, current, 3, { app: "web", tier: "front" }, 1);
  await ownedPods(NS, old, 2, { app: "web", tier: "back" }, 4);
  // Look-alikes: a replicaset with the same labels that no deployment owns, a bare pod with the labels, a deployment
  // "web" of another namespace with a replicaset of the same name, and another deployment here.
  const adopted = await replicaSet(NS, "web-legacy", { app: "web", tier: "front" });
  await ownedPods(NS, adopted, 1, { app: "web", tier: "front" }, 6);
  await created(`/api/v1/namespaces/${NS}/pods`, pod("web-stray", 7, { app: "web", tier: "front" }));
  const otherDeployment = await created("/apis/apps/v1/namespaces/other/deployments", {
    metadata: { name: "web" },
    spec: deployment.spec as Json,
  });
  const otherRs = await replicaSet(
    "other",
    "web-7f9c",
    { app: "web", tier: "front" },
    {
      ...controller("apps/v1", "Deployment", otherDeployment),
    },
  );
  await ownedPods("other", otherRs, 2, { app: "web", tier: "front" }, 1);
  const api = await created(`/apis/apps/v1/namespaces/${NS}/deployments`, {
    metadata: { name: "api" },
    spec: {
      selector: { matchLabels: { app: "api" } },
      template: { metadata: { labels: { app: "api" } }, spec: { containers: [{ name: "app", image: "a:1" }] } },
    },
  });
  const apiRs = await replicaSet(NS, "api-6d4b", { app: "api" }, controller("apps/v1", "Deployment", api));
  await ownedPods(NS, apiRs, 2, { app: "api" }, 8);
  await created(`/api/v1/namespaces/${NS}/services`, {
    metadata: { name: "web" },
    spec: { selector: { app: "web", tier: "front" }, ports: [{ port: 80 }] },
  });

  // The load: LOAD_PODS pods, Pending, on every node, in LOAD_NAMESPACES namespaces.
  const started = Date.now();
  await bulk.inParallel(LOAD_PODS, 16, async (i) => {
    await created(
      `/api/v1/namespaces/load-${i % LOAD_NAMESPACES}/pods`,
      pod(`load-${i}`, i, { app: `load-${i % 7}`, tier: "front" }),
    );
  });
  console.log(`[drilldown] created ${LOAD_PODS} pods in ${((Date.now() - started) / 1000).toFixed(1)} s`);

  repo = await informer(contextOf(cluster), { resources: ["pods"] });
  await repo.startPriority();
});

after(async () => {
  for (const release of releases) release();
  await repo?.stopAndWait();
  bulk?.close();
  await cluster?.stop();
});

function ctx(): ViewContext {
  return { repo, now: Date.now(), width: 200, height: 50, namespace: undefined, readOnly: false, forwards: [] };
}

/** Holds a query (released in `after`) and waits until its informer is synced. */
async function held(query: RowQuery): Promise<void> {
  releases.push(repo.hold(query));
  await until(
    () => repo.status(query).synced,
    `${JSON.stringify(query)} synced (${JSON.stringify(repo.status(query))})`,
  );
}

/** What Enter opens on the row `name` of a `kind` table, as src/app/drill.ts builds it: the child view's source. */
async function enter(kind: string, name: string, namespace = ""): Promise<TableSource> {
  await held({ kind });
  const row = repo.rows({ kind }).find((r) => r.name === name && r.namespace === namespace);
  assert.ok(row, `${kind} ${namespace}/${name} is cached`);
  const source: TableSource = { id: kind, crumb: kind, short: kind, kind, query: () => ({ kind }) };
  const [action] = drillDown(source, row, ctx());
  assert.equal(action?.type, "push", JSON.stringify(action));
  const view = (action as unknown as { view: TableView }).view;
  for (const extra of view.source.extraHolds?.(ctx()) ?? []) await held(extra);
  await held(view.source.query(ctx()));
  return view.source;
}

function ownerOf(obj: { metadata: { ownerReferences?: { kind: string; name: string; controller?: boolean }[] } }) {
  return obj.metadata.ownerReferences?.find((o) => o.controller);
}

type Listed = {
  items: { metadata: { name: string; ownerReferences?: { kind: string; name: string; controller?: boolean }[] } }[];
};

test(`${LOAD_PODS} pods: the cache holds exactly the pods a fresh LIST has`, SKIP, async () => {
  // The server's LIST rather than kubectl: kubectl takes some 15 s to print 10k pods on this machine.
  const listed = (await listPods(cluster)).map((p) => `${p.metadata?.namespace}/${p.metadata?.name}`).sort();
  assert.ok(listed.length >= LOAD_PODS + 10, `${listed.length} pods`);
  const cached = () =>
    repo
      .getPods()
      .map((p) => `${p.namespace}/${p.name}`)
      .sort();
  await until(() => cached().length === listed.length, `${listed.length} pods cached (${repo.getPods().length})`);
  assert.deepEqual(cached(), listed);
});

test(
  "a deployment's pods = kubectl get pods -l <its selector>, less those its replicasets do not own",
  SKIP,
  async () => {
    const source = await enter("deployments.apps", "web", NS);
    const query = source.query(ctx());
    assert.equal(query.kind, "pods");
    assert.deepEqual([...(query.owners ?? [])].sort(), [`${NS}/ReplicaSet/web-5b1d`, `${NS}/ReplicaSet/web-7f9c`]);
    // The oracle: the replicasets whose controller is deployment web, then the labelled pods whose controller is one.
    const replicasets = (JSON.parse(kubectlOk(cluster, "get", "rs", "-n", NS, "-o", "json")) as Listed).items
      .filter((rs) => ownerOf(rs)?.kind === "Deployment" && ownerOf(rs)?.name === "web")
      .map((rs) => rs.metadata.name);
    const labelled = (JSON.parse(kubectlOk(cluster, "get", "pods", "-n", NS, "-l", "app=web", "-o", "json")) as Listed)
      .items;
    const owned = new Set(
      labelled
        .filter((p) => ownerOf(p)?.kind === "ReplicaSet" && replicasets.includes(ownerOf(p)!.name))
        .map((p) => p.metadata.name),
    );
    assert.equal(owned.size, 5);
    assert.ok(labelled.length > owned.size, "the label alone picks look-alikes too");
    const rows = repo.rows(query);
    const result = compareWithKubectl(cluster, ["get", "pods", "-n", NS, "-l", "app=web", "-o", "wide"], rows, PODS, {
      namespaceColumn: false,
      keep: (printed) => owned.has(printed.NAME ?? ""),
    });
    assert.deepEqual(result.differences, [], result.out);
    assert.equal(rows.length, 5);

    // A rollout goes on: a new replicaset of the deployment and its pod join the drill-down as they are written.
    const next = await replicaSet(
      NS,
      "web-9a0e",
      { app: "web", tier: "front" },
      controller("apps/v1", "Deployment", deployment),
    );
    await ownedPods(NS, next, 1, { app: "web", tier: "front" }, 9);
    await until(() => repo.rows(source.query(ctx())).some((r) => r.name === "web-9a0e-0"), "the new replicaset's pod");
    assert.deepEqual(
      repo
        .rows(source.query(ctx()))
        .map((r) => r.name)
        .sort(),
      ["web-5b1d-0", "web-5b1d-1", "web-7f9c-0", "web-7f9c-1", "web-7f9c-2", "web-9a0e-0"],
    );
  },
);

test("a service's pods = kubectl get pods -n NS -l <its selector>", SKIP, async () => {
  const source = await enter("services", "web", NS);
  const query = source.query(ctx());
  assert.equal(query.labelSelector, "app=web,tier=front");
  assert.equal(query.namespace, NS);
  const rows = repo.rows(query);
  const result = compareWithKubectl(
    cluster,
    ["get", "pods", "-n", NS, "-l", "app=web,tier=front", "-o", "wide"],
    rows,
    PODS,
    {
      namespaceColumn: false,
    },
  );
  assert.deepEqual(result.differences, [], result.out);
  assert.ok(rows.length >= 5, "owned, adopted-looking and stray pods alike: the selector decides");
  assert.equal(repo.status(query).labelSelector, "app=web,tier=front");
});

test("a node's pods = kubectl get pods -A --field-selector spec.nodeName=NODE", SKIP, async () => {
  const node = nodeName(3);
  const source = await enter("nodes", node);
  const query = source.query(ctx());
  assert.deepEqual(
    { kind: query.kind, node: query.node, namespace: query.namespace },
    { kind: "pods", node, namespace: undefined },
  );
  const rows = repo.rows(query);
  const result = compareWithKubectl(
    cluster,
    ["get", "pods", "-A", "--field-selector", `spec.nodeName=${node}`, "-o", "wide"],
    rows,
    PODS,
    { namespaceColumn: true },
  );
  assert.deepEqual(result.differences, [], result.out);
  assert.ok(rows.length >= LOAD_PODS / NODES, `${rows.length} pods on ${node}`);
  assert.ok(rows.every((r) => (r as BaseRow & { node: string }).node === node));
});

test("namespace scope: rows({kind: pods, namespace}) = kubectl get pods -n NS", SKIP, async () => {
  for (const namespace of [NS, "load-4"]) {
    const rows = repo.rows({ kind: "pods", namespace });
    const result = compareWithKubectl(cluster, ["get", "pods", "-n", namespace, "-o", "wide"], rows, PODS, {
      namespaceColumn: false,
    });
    assert.deepEqual(result.differences, [], result.out);
    assert.ok(rows.length > 0);
  }
  // Enter on a namespace scopes the app to it (the pods view then asks exactly this query).
  await held({ kind: "namespaces" });
  const row = repo.rows({ kind: "namespaces" }).find((r) => r.name === NS)!;
  const source: TableSource = {
    id: "namespaces",
    crumb: "ns",
    short: "ns",
    kind: "namespaces",
    query: () => ({ kind: "namespaces" }),
  };
  assert.deepEqual(drillDown(source, row, ctx()), [{ type: "scope", namespace: NS, open: "pods" }]);
});
