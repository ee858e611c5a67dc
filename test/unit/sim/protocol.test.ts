// The simulator speaks kube-apiserver's protocol: discovery, LIST (pagination, continue, resourceVersion semantics,
// selectors), WATCH (resume, 410, bookmarks, watch-list, timeouts), GET/DELETE, error Statuses and Tables.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { type SimServer, startSimServer } from "../../../src/sim/index.ts";
import { call, Watch } from "./helpers.ts";

let sim: SimServer;

before(async () => {
  sim = await startSimServer({
    pods: 80,
    seed: 7,
    bookmarkIntervalMs: 150,
    deleteGraceMs: 300,
    historyWindow: 500,
    tooLargeWaitMs: 200,
    users: [{ name: "jane", token: "jane-token", deny: ["pods"] }],
  });
});

after(async () => {
  await sim.stop();
});

const podsIn = (ns?: string) => sim.store.list("pods", ns);

/** The fields of a listed pod these tests look at. */
interface Item {
  metadata: { name: string; namespace: string };
  spec: { nodeName?: string };
  status: { phase?: string };
}

describe("discovery", () => {
  test("/version is public, /api and /apis answer both the legacy and the aggregated form", async () => {
    const v = await call(sim, "/version", { token: null });
    assert.equal(v.status, 200);
    assert.equal(v.json().major, "1");
    const api = await call(sim, "/api");
    assert.deepEqual(api.json().versions, ["v1"]);
    const agg = await call(sim, "/apis", {
      headers: { accept: "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json" },
    });
    assert.equal(agg.headers["content-type"], "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList");
    const apps = agg.json().items.find((i: { metadata: { name: string } }) => i.metadata.name === "apps");
    const names = apps.versions[0].resources.map((r: { resource: string }) => r.resource);
    assert.deepEqual(names.sort(), ["daemonsets", "deployments", "replicasets", "statefulsets"]);
    const v1 = (await call(sim, "/api/v1")).json();
    const pods = v1.resources.find((r: { name: string }) => r.name === "pods");
    assert.equal(pods.kind, "Pod");
    assert.deepEqual(pods.shortNames, ["po"]);
    assert.equal((await call(sim, "/apis/apps/v1")).json().groupVersion, "apps/v1");
  });
});

describe("authentication and errors", () => {
  test("401 without a token or with a wrong one", async () => {
    for (const token of [null, "nope"]) {
      const r = await call(sim, "/api/v1/pods", { token });
      assert.equal(r.status, 401);
      assert.deepEqual(r.json(), {
        kind: "Status",
        apiVersion: "v1",
        metadata: {},
        status: "Failure",
        message: "Unauthorized",
        reason: "Unauthorized",
        code: 401,
      });
    }
  });

  test("404 NotFound for a missing pod and for an unknown path", async () => {
    const r = await call(sim, "/api/v1/namespaces/default/pods/nope");
    assert.equal(r.status, 404);
    assert.deepEqual(r.json(), {
      kind: "Status",
      apiVersion: "v1",
      metadata: {},
      status: "Failure",
      message: 'pods "nope" not found',
      reason: "NotFound",
      details: { name: "nope", kind: "pods" },
      code: 404,
    });
    const d = await call(sim, "/apis/apps/v1/namespaces/default/deployments/nope");
    assert.equal(d.json().message, 'deployments.apps "nope" not found');
    assert.deepEqual(d.json().details, { name: "nope", group: "apps", kind: "deployments" });
    const u = await call(sim, "/api/v1/widgets");
    assert.equal(u.status, 404);
    assert.equal(u.json().reason, "NotFound");
  });

  test("403 Forbidden with kube-apiserver's wording, cluster-wide and namespaced", async () => {
    const r = await call(sim, "/api/v1/pods", { token: "jane-token" });
    assert.equal(r.status, 403);
    assert.equal(
      r.json().message,
      'pods is forbidden: User "jane" cannot list resource "pods" in API group "" at the cluster scope',
    );
    assert.equal(r.json().reason, "Forbidden");
    assert.deepEqual(r.json().details, { kind: "pods" });
    const n = await call(sim, "/api/v1/namespaces/default/pods?watch=true", { token: "jane-token" });
    assert.equal(
      n.json().message,
      'pods is forbidden: User "jane" cannot watch resource "pods" in API group "" in the namespace "default"',
    );
    assert.equal((await call(sim, "/api/v1/nodes", { token: "jane-token" })).status, 200);
  });
});

describe("LIST", () => {
  test("a list is a PodList at the current revision whose items carry no kind/apiVersion", async () => {
    const r = await call(sim, "/api/v1/pods");
    const list = r.json();
    assert.equal(r.headers["content-type"], "application/json");
    assert.equal(list.kind, "PodList");
    assert.equal(list.apiVersion, "v1");
    assert.equal(list.metadata.resourceVersion, String(sim.store.revision()));
    assert.equal(list.items.length, podsIn().length);
    assert.equal(list.items[0].kind, undefined);
    assert.ok(list.items[0].metadata.resourceVersion);
    const one = await call(
      sim,
      `/api/v1/namespaces/${list.items[0].metadata.namespace}/pods/${list.items[0].metadata.name}`,
    );
    assert.equal(one.json().kind, "Pod");
    assert.equal(one.json().apiVersion, "v1");
  });

  test("limit + continue pages through one consistent snapshot, with remainingItemCount", async () => {
    const total = podsIn().length;
    let r = (await call(sim, "/api/v1/pods?limit=7")).json();
    const rv = r.metadata.resourceVersion;
    assert.equal(r.items.length, 7);
    assert.equal(r.metadata.remainingItemCount, total - 7);
    // Changes after the first page must not show up in later pages.
    const added = sim.store.createPod(undefined, "Running");
    const names = r.items.map((p: { metadata: { name: string } }) => p.metadata.name);
    while (r.metadata.continue) {
      const token = r.metadata.continue;
      const decoded = JSON.parse(Buffer.from(token, "base64url").toString());
      assert.equal(decoded.v, "meta.k8s.io/v1");
      assert.equal(String(decoded.rv), rv);
      r = (await call(sim, `/api/v1/pods?limit=7&continue=${encodeURIComponent(token)}`)).json();
      assert.equal(r.metadata.resourceVersion, rv);
      names.push(...r.items.map((p: { metadata: { name: string } }) => p.metadata.name));
      if (r.metadata.continue) assert.equal(r.metadata.remainingItemCount, total - names.length);
      else assert.equal(r.metadata.remainingItemCount, undefined);
    }
    assert.equal(names.length, total);
    assert.ok(!names.includes(added.metadata!.name));
    const keys = (await call(sim, "/api/v1/pods"))
      .json()
      .items.map((p: Item) => `${p.metadata.namespace}/${p.metadata.name}`);
    assert.deepEqual([...keys].sort(), keys, "etcd key order");
  });

  test("a continue token whose revision was compacted answers 410 Expired with a token to go on inconsistently", async () => {
    const first = (await call(sim, "/api/v1/pods?limit=5")).json();
    sim.store.createPod(undefined, "Running");
    sim.store.compact();
    const r = await call(sim, `/api/v1/pods?limit=5&continue=${encodeURIComponent(first.metadata.continue)}`);
    assert.equal(r.status, 410);
    assert.equal(r.json().reason, "Expired");
    assert.match(r.json().message, /^The provided continue parameter is too old to display a consistent list result/);
    const retry = await call(sim, `/api/v1/pods?limit=5&continue=${encodeURIComponent(r.json().metadata.continue)}`);
    assert.equal(retry.status, 200);
    assert.equal(retry.json().metadata.resourceVersion, String(sim.store.revision()));
  });

  test("an invalid continue token is a 400", async () => {
    const r = await call(sim, "/api/v1/pods?limit=5&continue=garbage!");
    assert.equal(r.status, 400);
    assert.match(r.json().message, /^invalid continue token/);
  });

  test("resourceVersion semantics: unset = latest, 0 = any (limit ignored), Exact = history, too old = 410", async () => {
    const ns = podsIn()[0]!.metadata!.namespace!;
    const before = (await call(sim, `/api/v1/namespaces/${ns}/pods`)).json();
    const rv0 = Number(before.metadata.resourceVersion);
    const created = sim.store.createPod(ns, "Running");
    const latest = (await call(sim, `/api/v1/namespaces/${ns}/pods`)).json();
    assert.equal(latest.items.length, before.items.length + 1);
    const any = (await call(sim, `/api/v1/namespaces/${ns}/pods?resourceVersion=0&limit=1`)).json();
    assert.equal(any.items.length, before.items.length + 1, "the watch cache ignores limit for rv=0");
    assert.equal(any.metadata.continue, undefined);
    const exact = (
      await call(sim, `/api/v1/namespaces/${ns}/pods?resourceVersion=${rv0}&resourceVersionMatch=Exact`)
    ).json();
    assert.equal(exact.metadata.resourceVersion, String(rv0));
    assert.equal(exact.items.length, before.items.length);
    assert.ok(!exact.items.some((p: Item) => p.metadata.name === created.metadata!.name));
    const notOlder = (
      await call(sim, `/api/v1/namespaces/${ns}/pods?resourceVersion=${rv0}&resourceVersionMatch=NotOlderThan`)
    ).json();
    assert.equal(notOlder.metadata.resourceVersion, String(sim.store.revision()));
    sim.store.compact();
    const old = await call(sim, `/api/v1/pods?resourceVersion=${rv0}&resourceVersionMatch=Exact`);
    assert.equal(old.status, 410);
    assert.equal(old.json().message, "The resourceVersion for the provided list is too old.");
    const future = await call(
      sim,
      `/api/v1/pods?resourceVersion=${sim.store.revision() + 100}&resourceVersionMatch=NotOlderThan`,
    );
    assert.equal(future.status, 504);
    assert.equal(future.json().reason, "Timeout");
    assert.match(future.json().message, /^Timeout: Too large resource version: \d+, current: \d+$/);
    const invalid = await call(sim, "/api/v1/pods?resourceVersionMatch=Exact");
    assert.equal(invalid.status, 422);
    assert.equal(
      invalid.json().message,
      'ListOptions.meta.k8s.io "" is invalid: resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden unless resourceVersion is provided',
    );
  });

  test("label selectors: =, ==, !=, in, notin, exists, !key", async () => {
    const all = podsIn();
    const app = all[0]!.metadata!.labels!.app!;
    const other = all.find((p) => p.metadata!.labels!.app !== app)!.metadata!.labels!.app!;
    const cases: [string, (l: Record<string, string>) => boolean][] = [
      [`app=${app}`, (l) => l.app === app],
      [`app==${app}`, (l) => l.app === app],
      [`app!=${app}`, (l) => l.app !== app],
      [`app in (${app},${other})`, (l) => l.app === app || l.app === other],
      [`app notin (${app})`, (l) => l.app !== app],
      ["pod-template-hash", (l) => "pod-template-hash" in l],
      ["!pod-template-hash", (l) => !("pod-template-hash" in l)],
      [`app=${app},pod-template-hash`, (l) => l.app === app && "pod-template-hash" in l],
    ];
    for (const [sel, pred] of cases) {
      const r = (await call(sim, `/api/v1/pods?labelSelector=${encodeURIComponent(sel)}`)).json();
      const want = all.filter((p) => pred(p.metadata!.labels!)).map((p) => p.metadata!.name);
      assert.deepEqual(r.items.map((p: Item) => p.metadata.name).sort(), want.sort(), sel);
    }
    const bad = await call(sim, `/api/v1/pods?labelSelector=${encodeURIComponent("app in x")}`);
    assert.equal(bad.status, 400);
  });

  test("field selectors: metadata.name, metadata.namespace, spec.nodeName, status.phase; = == !=", async () => {
    const all = podsIn();
    const p = all[3]!;
    const node = (p.spec as { nodeName: string }).nodeName;
    const cases: [string, (x: Item) => boolean][] = [
      [`metadata.name=${p.metadata!.name}`, (x) => x.metadata.name === p.metadata!.name],
      [`metadata.namespace==${p.metadata!.namespace}`, (x) => x.metadata.namespace === p.metadata!.namespace],
      [`spec.nodeName=${node}`, (x) => x.spec.nodeName === node],
      ["status.phase!=Running", (x) => x.status.phase !== "Running"],
      ["status.phase=Running,spec.nodeName!=", (x) => x.status.phase === "Running" && !!x.spec.nodeName],
    ];
    for (const [sel, pred] of cases) {
      const r = (await call(sim, `/api/v1/pods?fieldSelector=${encodeURIComponent(sel)}`)).json();
      const want = (all as unknown as Item[]).filter(pred).map((x) => x.metadata!.name);
      assert.deepEqual(r.items.map((x: Item) => x.metadata.name).sort(), want.sort(), sel);
      assert.ok(want.length > 0 || sel.includes("!="), sel);
    }
    const paged = (await call(sim, "/api/v1/pods?fieldSelector=status.phase%3DRunning&limit=3")).json();
    assert.equal(paged.items.length, 3);
    assert.equal(paged.metadata.remainingItemCount, undefined, "no count with a selector");
    const bad = await call(sim, "/api/v1/pods?fieldSelector=spec.foo%3Dbar");
    assert.equal(bad.status, 400);
    assert.equal(bad.json().message, "field label not supported: spec.foo");
  });
});

describe("WATCH", () => {
  test("from a resourceVersion: ADDED, MODIFIED, DELETED, newline-delimited, chunked application/json", async () => {
    const ns = podsIn()[0]!.metadata!.namespace!;
    const rv = (await call(sim, `/api/v1/namespaces/${ns}/pods`)).json().metadata.resourceVersion;
    const w = new Watch(sim, `/api/v1/namespaces/${ns}/pods?watch=1&resourceVersion=${rv}`);
    try {
      const pod = sim.store.createPod(ns, "Running");
      const name = pod.metadata!.name!;
      const added = await w.until((e) => e.object.metadata.name === name);
      assert.equal(added.type, "ADDED");
      assert.equal(added.object.kind, "Pod");
      assert.equal(w.headers["content-type"], "application/json");
      assert.equal(w.headers["transfer-encoding"], "chunked");
      const cur = sim.store.get("pods", ns, name)!;
      cur.metadata!.labels = { ...cur.metadata!.labels, touched: "yes" };
      sim.store.update("pods", cur);
      const mod = await w.until((e) => e.object.metadata.name === name);
      assert.equal(mod.type, "MODIFIED");
      assert.equal(mod.object.metadata.labels.touched, "yes");
      sim.store.delete("pods", ns, name);
      const del = await w.until((e) => e.object.metadata.name === name);
      assert.equal(del.type, "DELETED");
      assert.equal(del.object.metadata.resourceVersion, String(sim.store.revision()));
      assert.ok(Number(added.object.metadata.resourceVersion) < Number(mod.object.metadata.resourceVersion));
    } finally {
      w.close();
    }
  });

  test("rv unset or 0 starts with synthetic ADDED events of the current state", async () => {
    const ns = podsIn()[0]!.metadata!.namespace!;
    const want = podsIn(ns).length;
    for (const q of ["", "&resourceVersion=0"]) {
      const w = new Watch(sim, `/api/v1/namespaces/${ns}/pods?watch=true${q}`);
      try {
        for (let i = 0; i < want; i++) assert.equal((await w.until(() => true)).type, "ADDED");
      } finally {
        w.close();
      }
    }
  });

  test("a watch from a compacted resourceVersion gets an ERROR event with a 410 Expired Status", async () => {
    const rv = sim.store.revision();
    sim.store.createPod(undefined, "Running");
    sim.store.createPod(undefined, "Running");
    sim.store.compact();
    const w = new Watch(sim, `/api/v1/pods?watch=true&resourceVersion=${rv}`);
    const e = await w.until(() => true);
    assert.equal(e.type, "ERROR");
    assert.equal(e.object.kind, "Status");
    assert.equal(e.object.code, 410);
    assert.equal(e.object.reason, "Expired");
    assert.equal(e.object.message, `too old resource version: ${rv} (${sim.store.revision()})`);
    assert.equal(await w.ended, "end");
    assert.equal(w.status, 200);
  });

  test("bookmarks arrive periodically when allowed, carrying the current resourceVersion", async () => {
    const rv = sim.store.revision();
    const w = new Watch(sim, `/api/v1/pods?watch=true&resourceVersion=${rv}&allowWatchBookmarks=true`);
    try {
      const b = await w.until((e) => e.type === "BOOKMARK");
      assert.equal(b.object.kind, "Pod");
      assert.equal(b.object.metadata.resourceVersion, String(sim.store.revision()));
    } finally {
      w.close();
    }
  });

  test("watch-list sends the current state, then a BOOKMARK marked k8s.io/initial-events-end", async () => {
    const ns = podsIn()[0]!.metadata!.namespace!;
    const want = podsIn(ns).length;
    const w = new Watch(
      sim,
      `/api/v1/namespaces/${ns}/pods?watch=true&sendInitialEvents=true&resourceVersionMatch=NotOlderThan&allowWatchBookmarks=true`,
    );
    try {
      for (let i = 0; i < want; i++) assert.equal((await w.until(() => true)).type, "ADDED");
      const b = await w.until(() => true);
      assert.equal(b.type, "BOOKMARK");
      assert.equal(b.object.metadata.annotations["k8s.io/initial-events-end"], "true");
      assert.equal(b.object.metadata.resourceVersion, String(sim.store.revision()));
    } finally {
      w.close();
    }
    const bad = await call(sim, "/api/v1/pods?watch=true&sendInitialEvents=true");
    assert.equal(bad.status, 422);
    assert.equal(
      bad.json().message,
      'ListOptions.meta.k8s.io "" is invalid: resourceVersionMatch: Forbidden: sendInitialEvents requires setting resourceVersionMatch to NotOlderThan',
    );
    const list = await call(sim, "/api/v1/pods?sendInitialEvents=true");
    assert.equal(list.status, 422);
  });

  test("timeoutSeconds ends the stream", async () => {
    const w = new Watch(sim, `/api/v1/pods?watch=true&resourceVersion=${sim.store.revision()}&timeoutSeconds=1`);
    assert.equal(await w.ended, "end");
  });

  test("graceful DELETE returns the pod Terminating; a DELETED event follows after the grace period", async () => {
    const pod = sim.store.createPod(undefined, "Running");
    const { namespace, name } = pod.metadata as { namespace: string; name: string };
    const w = new Watch(sim, `/api/v1/namespaces/${namespace}/pods?watch=true&resourceVersion=${sim.store.revision()}`);
    try {
      const r = await call(sim, `/api/v1/namespaces/${namespace}/pods/${name}`, { method: "DELETE" });
      assert.equal(r.status, 200);
      assert.equal(r.json().kind, "Pod");
      assert.ok(r.json().metadata.deletionTimestamp);
      assert.equal(r.json().metadata.deletionGracePeriodSeconds, 30);
      assert.equal((await w.until((e) => e.object.metadata.name === name)).type, "MODIFIED");
      assert.equal((await w.until((e) => e.object.metadata.name === name)).type, "DELETED");
      assert.equal(sim.store.get("pods", namespace, name), undefined);
    } finally {
      w.close();
    }
    const dep = sim.store.list("deployments")[0]!;
    const d = await call(sim, `/apis/apps/v1/namespaces/${dep.metadata!.namespace}/deployments/${dep.metadata!.name}`, {
      method: "DELETE",
    });
    assert.deepEqual(d.json(), {
      kind: "Status",
      apiVersion: "v1",
      metadata: {},
      status: "Success",
      details: { name: dep.metadata!.name, group: "apps", kind: "deployments", uid: dep.metadata!.uid },
    });
  });
});

describe("Tables", () => {
  const accept =
    "application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json";

  test("pods list as a Table: kubectl's columns, cells and PartialObjectMetadata rows", async () => {
    const r = (await call(sim, "/api/v1/pods?limit=10", { headers: { accept } })).json();
    assert.equal(r.kind, "Table");
    assert.equal(r.apiVersion, "meta.k8s.io/v1");
    assert.deepEqual(
      r.columnDefinitions.map((c: { name: string }) => c.name),
      ["Name", "Ready", "Status", "Restarts", "Age", "IP", "Node", "Nominated Node", "Readiness Gates"],
    );
    assert.equal(r.rows.length, 10);
    assert.ok(r.metadata.continue);
    const row = r.rows[0];
    assert.equal(row.object.kind, "PartialObjectMetadata");
    assert.equal(row.cells[0], row.object.metadata.name);
    assert.match(row.cells[1], /^\d+\/\d+$/);
    const none = (await call(sim, "/api/v1/pods?limit=1&includeObject=None", { headers: { accept } })).json();
    assert.equal(none.rows[0].object, undefined);
  });

  test("one deployment as a Table", async () => {
    const dep = sim.store.list("deployments")[0]!;
    const r = (
      await call(sim, `/apis/apps/v1/namespaces/${dep.metadata!.namespace}/deployments/${dep.metadata!.name}`, {
        headers: { accept },
      })
    ).json();
    assert.deepEqual(
      r.columnDefinitions.filter((c: { priority: number }) => c.priority === 0).map((c: { name: string }) => c.name),
      ["Name", "Ready", "Up-to-date", "Available", "Age"],
    );
    assert.equal(r.rows[0].cells[0], dep.metadata!.name);
  });
});
