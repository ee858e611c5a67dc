// A CustomResourceDefinition on the real server: discovery lists it and every kubectl name resolves to it; its rows,
// served as server-side Tables (no built-in definition), print like `kubectl get KIND -A -o wide` cell for cell,
// printer columns of every type included (integer, string, date, priority 1 = wide only, a field some objects lack);
// then the CRD is deleted while a view holds it: the query's status says the kind is gone, and the rest works on.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import type { InformerRepository } from "../../src/repository/informer-repository.ts";
import { builtinKindOrThrow } from "../../src/resources/index.ts";
import { createNamespace, type Json, rfc3339 } from "./lib/api.ts";
import { contextOf, informer, until } from "./lib/informer.ts";
import { compareWithKubectl } from "./lib/oracle.ts";
import { EXTERNAL, fixtureOnly, type TestCluster, testCluster } from "./lib/target.ts";

const SKIP = fixtureOnly("creates and deletes a cluster-scoped CustomResourceDefinition");
const GROUP = "demo.timoneiro.test";
const KEY = `gadgets.${GROUP}`;
const CRDS = "/apis/apiextensions.k8s.io/v1/customresourcedefinitions";

let cluster: TestCluster;
let repo: InformerRepository;

const string = { type: "string" };
const crd: Json = {
  apiVersion: "apiextensions.k8s.io/v1",
  kind: "CustomResourceDefinition",
  metadata: { name: KEY },
  spec: {
    group: GROUP,
    scope: "Namespaced",
    names: { plural: "gadgets", singular: "gadget", kind: "Gadget", listKind: "GadgetList", shortNames: ["gdg"] },
    versions: [
      {
        name: "v1",
        served: true,
        storage: true,
        schema: {
          openAPIV3Schema: {
            type: "object",
            properties: {
              spec: {
                type: "object",
                properties: { replicas: { type: "integer" }, color: string, owner: string, note: string },
              },
              status: {
                type: "object",
                properties: { phase: string, startedAt: { type: "string", format: "date-time" } },
              },
            },
          },
        },
        additionalPrinterColumns: [
          { name: "Replicas", type: "integer", jsonPath: ".spec.replicas" },
          { name: "Color", type: "string", jsonPath: ".spec.color", description: "what it looks like" },
          { name: "Phase", type: "string", jsonPath: ".status.phase" },
          { name: "Owner", type: "string", jsonPath: ".spec.owner", priority: 1 },
          { name: "Note", type: "string", jsonPath: ".spec.note", priority: 1 },
          { name: "Started", type: "date", jsonPath: ".status.startedAt" },
          { name: "Age", type: "date", jsonPath: ".metadata.creationTimestamp" },
        ],
      },
    ],
  },
};

/** Days ago: a date cell the server prints once ("3d") and that does not change while the test runs. */
const daysAgo = (days: number) => rfc3339(new Date(Date.now() - days * 86_400_000 - 3_600_000));

const GADGETS: { ns: string; name: string; spec: Json; status?: Json }[] = [
  {
    ns: "gadgets-a",
    name: "sprocket",
    spec: { replicas: 3, color: "red", owner: "team-a" },
    status: { phase: "Ready", startedAt: daysAgo(3) },
  },
  { ns: "gadgets-a", name: "widget", spec: { replicas: 0, color: "blue" } },
  {
    ns: "gadgets-b",
    name: "gizmo",
    spec: { replicas: 12, owner: "team-b", note: "first line\nsecond line" },
    status: { phase: "Degraded", startedAt: daysAgo(40) },
  },
  { ns: "gadgets-b", name: "bare", spec: {} },
];

before(async () => {
  if (EXTERNAL) return;
  cluster = await testCluster();
  repo = await informer(contextOf(cluster), { resources: ["pods"] });
  await repo.startPriority();
  const created = await cluster.request("POST", CRDS, crd);
  assert.equal(created.status, 201, created.body.toString());
  await until(async () => {
    const res = await cluster.request("GET", `${CRDS}/${KEY}`);
    const conditions = ((res.json as Json).status as Json | undefined)?.conditions as Json[] | undefined;
    return conditions?.some((c) => c.type === "Established" && c.status === "True") ?? false;
  }, "the CRD is established");
  for (const ns of new Set(GADGETS.map((g) => g.ns))) await createNamespace(cluster, ns);
  for (const g of GADGETS) {
    // A fresh CRD may answer 404 for a moment after it is established (the handler is being installed).
    await until(async () => {
      const res = await cluster.request("POST", `/apis/${GROUP}/v1/namespaces/${g.ns}/gadgets`, {
        apiVersion: `${GROUP}/v1`,
        kind: "Gadget",
        metadata: { name: g.name },
        spec: g.spec,
        ...(g.status && { status: g.status }),
      });
      if (res.status !== 404) assert.equal(res.status, 201, res.body.toString());
      return res.status === 201;
    }, `gadget ${g.ns}/${g.name} created`);
  }
});

after(async () => {
  await repo?.stopAndWait();
  await cluster?.stop();
});

test(
  "discovery lists the CRD; plural, singular, short name, Kind and plural.group all resolve to it",
  SKIP,
  async () => {
    await until(async () => {
      await repo.refreshKinds();
      return repo.kinds().some((k) => k.key === KEY);
    }, `discovery lists ${KEY}`);
    assert.equal(repo.kindsStatus().source, "discovery");
    assert.equal(repo.kindsStatus().error, undefined);
    const kind = repo.kinds().find((k) => k.key === KEY)!;
    assert.equal(kind.group, GROUP);
    assert.equal(kind.version, "v1");
    assert.equal(kind.namespaced, true);
    assert.deepEqual([...kind.shortNames], ["gdg"]);
    for (const name of ["gadgets", "gadget", "gdg", "Gadget", KEY, `gadgets.v1.${GROUP}`, `gdg.${GROUP}`]) {
      assert.equal(repo.resolve(name)?.key, KEY, `resolve(${name})`);
    }
  },
);

test("the CRD's rows through the Table path print like kubectl get gadgets -A -o wide", SKIP, async () => {
  await until(async () => {
    await repo.refreshKinds();
    return repo.resolve("gadgets") !== undefined;
  }, "gadgets resolvable");
  const query = { kind: "gadgets" };
  const release = repo.hold(query);
  try {
    await until(() => repo.status(query).synced, `gadgets synced (${JSON.stringify(repo.status(query))})`);
    assert.equal(repo.status(query).resource, KEY);
    assert.equal(repo.status(query).error, undefined);
    const columns = repo.columns("gadgets");
    assert.ok(columns, "the Table's columns arrived");
    assert.deepEqual(
      columns.map((c) => [c.name, c.priority]),
      [
        ["REPLICAS", 0],
        ["COLOR", 0],
        ["PHASE", 0],
        ["OWNER", 1],
        ["NOTE", 1],
        ["STARTED", 0],
        ["AGE", 0],
      ],
    );
    const rows = repo.rows(query);
    assert.equal(rows.length, GADGETS.length);
    assert.ok(
      rows.every((row) => Array.isArray((row as { cells?: unknown }).cells)),
      "rows are server-side Table rows",
    );
    for (const args of [
      ["get", "gadgets", "-A", "-o", "wide"],
      ["get", KEY, "-A", "-o", "wide"],
    ]) {
      const result = compareWithKubectl(cluster, args, rows, columns, { namespaceColumn: true });
      assert.deepEqual(result.differences, [], result.out);
      assert.equal(result.printed.length, GADGETS.length, result.out);
    }
    // Without -o wide kubectl leaves out the priority-1 columns; a view does the same with columns of priority 0.
    const narrow = columns.filter((c) => c.priority === 0);
    const result = compareWithKubectl(cluster, ["get", "gdg", "-A"], rows, narrow, { namespaceColumn: true });
    assert.deepEqual(result.differences, [], result.out);
    // A field some objects lack prints empty; a multi-line one is cut at its first line break, as kubectl cuts it.
    const widget = result.printed.find((r) => r.NAME === "widget");
    assert.equal(widget?.PHASE, "");
    const wide = compareWithKubectl(cluster, ["get", "gdg", "-A", "-o", "wide"], rows, columns, {
      namespaceColumn: true,
    });
    assert.equal(wide.printed.find((r) => r.NAME === "gizmo")?.NOTE, "first line...", wide.out);
    // One namespace through the namespace index.
    assert.deepEqual(
      repo
        .rows({ kind: "gadgets", namespace: "gadgets-b" })
        .map((r) => r.name)
        .sort(),
      ["bare", "gizmo"],
    );
  } finally {
    release();
  }
});

test("customresourcedefinitions (built-in kind) print like kubectl get crd -A -o wide", SKIP, async () => {
  const query = { kind: "crd" };
  const release = repo.hold(query);
  try {
    await until(() => repo.status(query).synced, "crds synced");
    const columns = repo.columns("crd");
    assert.ok(columns);
    assert.deepEqual(
      columns.map((c) => c.name),
      builtinKindOrThrow("customresourcedefinitions").columns.map((c) => c.name),
    );
    const rows = repo.rows(query);
    const result = compareWithKubectl(cluster, ["get", "crd", "-A", "-o", "wide"], rows, columns, {
      namespaceColumn: false,
    });
    assert.deepEqual(result.differences, [], result.out);
    assert.ok(result.printed.some((r) => r.NAME === KEY));
  } finally {
    release();
  }
});

test(
  "the CRD deleted while held: its status says the server no longer serves it, nothing else breaks",
  SKIP,
  async () => {
    await until(async () => {
      await repo.refreshKinds();
      return repo.resolve("gadgets") !== undefined;
    }, "gadgets resolvable");
    const query = { kind: KEY, namespace: "gadgets-a" };
    const release = repo.hold(query);
    try {
      await until(() => repo.status(query).synced, "gadgets synced");
      assert.equal(repo.rows(query).length, 2);
      const deleted = await cluster.request("DELETE", `${CRDS}/${KEY}`);
      assert.ok(deleted.status === 200 || deleted.status === 202, deleted.body.toString());
      await until(
        () => repo.status(query).error !== undefined,
        `an error on the gadgets query (${JSON.stringify(repo.status(query))})`,
        45_000,
      );
      const status = repo.status(query);
      assert.match(status.error ?? "", /no longer serves gadgets\.demo\.timoneiro\.test|404|not found/i);
      assert.equal(status.refused, true, JSON.stringify(status));
      // Discovery catches up (the repository asks again after a 404): the kind leaves kinds(), the held query still
      // answers, with its status, and never throws.
      await until(async () => {
        await repo.refreshKinds();
        return !repo.kinds().some((k) => k.key === KEY);
      }, "discovery no longer lists the CRD");
      assert.match(repo.status(query).error ?? "", /the server no longer serves gadgets\.demo\.timoneiro\.test/);
      assert.doesNotThrow(() => repo.rows(query));
      assert.doesNotThrow(() => repo.columns(KEY));
      // The rest of the repository works on: pods still sync, and another kind can be held.
      assert.equal(repo.status({ kind: "pods" }).synced, true);
      assert.equal(repo.status({ kind: "pods" }).error, undefined);
      const other = repo.hold({ kind: "configmaps" });
      try {
        await until(() => repo.status({ kind: "configmaps" }).synced, "configmaps synced after the CRD is gone");
      } finally {
        other();
      }
    } finally {
      release();
    }
    // Released, the informer idles with its refusal: a view opened on the name again is told at once.
    assert.match(
      repo.status({ kind: "gadgets" }).error ?? "",
      /the server no longer serves gadgets\.demo\.timoneiro\.test/,
    );
  },
);
