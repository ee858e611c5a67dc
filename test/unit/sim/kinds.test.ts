// The kinds beyond pods and workloads: discovery, LIST/WATCH, consistency of the generated objects with the pods and
// workloads they belong to, the demo CRDs' Tables from their printer columns, and a CRD deleted at run time.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { type SimServer, startSimServer } from "../../../src/sim/index.ts";
import { call, Watch } from "./helpers.ts";

let sim: SimServer;

before(async () => {
  sim = await startSimServer({ pods: 300, seed: 5 });
});

after(async () => {
  await sim.stop();
});

const V2 = "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json";
const TABLE = "application/json;as=Table;v=v1;g=meta.k8s.io,application/json";
const WIDGETS = "widgets.demo.timoneiro.dev";

interface DiscoveredResource {
  resource: string;
  scope: string;
  verbs: string[];
  shortNames?: string[];
  categories?: string[];
}

/** Aggregated discovery as "group/version/resource" → entry. */
async function discovered(): Promise<Map<string, DiscoveredResource>> {
  const out = new Map<string, DiscoveredResource>();
  for (const path of ["/api", "/apis"]) {
    const doc = (await call(sim, path, { headers: { accept: V2 } })).json();
    for (const g of doc.items) {
      for (const v of g.versions) {
        for (const r of v.resources) out.set(`${g.metadata.name ?? ""}/${v.version}/${r.resource}`, r);
      }
    }
  }
  return out;
}

describe("discovery", () => {
  test("aggregated discovery lists the new kinds with their scope, verbs, short names and categories", async () => {
    const d = await discovered();
    const expect: [string, string, string[], string[]][] = [
      ["/v1/configmaps", "Namespaced", ["cm"], []],
      ["/v1/secrets", "Namespaced", [], []],
      ["/v1/events", "Namespaced", ["ev"], []],
      ["/v1/persistentvolumes", "Cluster", ["pv"], []],
      ["/v1/persistentvolumeclaims", "Namespaced", ["pvc"], []],
      ["/v1/serviceaccounts", "Namespaced", ["sa"], []],
      ["batch/v1/jobs", "Namespaced", [], ["all"]],
      ["batch/v1/cronjobs", "Namespaced", ["cj"], ["all"]],
      ["autoscaling/v2/horizontalpodautoscalers", "Namespaced", ["hpa"], ["all"]],
      ["networking.k8s.io/v1/ingresses", "Namespaced", ["ing"], []],
      ["networking.k8s.io/v1/networkpolicies", "Namespaced", ["netpol"], []],
      ["discovery.k8s.io/v1/endpointslices", "Namespaced", [], []],
      ["rbac.authorization.k8s.io/v1/clusterroles", "Cluster", [], []],
      ["rbac.authorization.k8s.io/v1/rolebindings", "Namespaced", [], []],
      ["storage.k8s.io/v1/storageclasses", "Cluster", ["sc"], []],
      ["apiextensions.k8s.io/v1/customresourcedefinitions", "Cluster", ["crd", "crds"], ["api-extensions"]],
      ["demo.timoneiro.dev/v1/widgets", "Namespaced", ["wdg"], []],
      ["demo.timoneiro.dev/v1/clusterpolicies", "Cluster", ["cpol"], []],
    ];
    for (const [key, scope, shortNames, categories] of expect) {
      const r = d.get(key);
      assert.ok(r, `${key} is discovered`);
      assert.equal(r.scope, scope, key);
      assert.deepEqual(r.shortNames ?? [], shortNames, key);
      assert.deepEqual(r.categories ?? [], categories, key);
      for (const verb of ["get", "list", "watch", "delete"]) assert.ok(r.verbs.includes(verb), `${key} ${verb}`);
    }
  });

  test("legacy discovery: the groups, their resource lists and 404 for a group nobody serves", async () => {
    const groups = (await call(sim, "/apis")).json().groups.map((g: { name: string }) => g.name);
    for (const g of ["batch", "networking.k8s.io", "rbac.authorization.k8s.io", "demo.timoneiro.dev"]) {
      assert.ok(groups.includes(g), g);
    }
    const batch = (await call(sim, "/apis/batch/v1")).json();
    assert.equal(batch.groupVersion, "batch/v1");
    const names = batch.resources.map((r: { name: string }) => r.name);
    assert.deepEqual(names, ["jobs", "jobs/status", "cronjobs", "cronjobs/status"]);
    assert.equal((await call(sim, "/apis/nope.example.com/v1")).status, 404);
    assert.equal((await call(sim, "/apis/batch/v1/namespaces/default/widgets")).status, 404);
  });
});

describe("generated objects", () => {
  test("Job pods belong to stored Jobs, some Jobs to stored CronJobs", () => {
    const jobs = new Map(sim.store.list("jobs").map((j) => [j.metadata!.uid!, j]));
    const cronJobs = new Map(sim.store.list("cronjobs").map((c) => [c.metadata!.uid!, c]));
    const jobPods = sim.store.list("pods").filter((p) => p.metadata!.ownerReferences?.[0]?.kind === "Job");
    assert.ok(jobPods.length > 0);
    for (const p of jobPods) {
      const ref = p.metadata!.ownerReferences![0]!;
      const job = jobs.get(ref.uid ?? "");
      assert.ok(job, `job of ${p.metadata!.name}`);
      assert.equal(job.metadata!.name, ref.name);
      assert.equal(job.metadata!.namespace, p.metadata!.namespace);
    }
    let owned = 0;
    for (const j of jobs.values()) {
      const ref = j.metadata!.ownerReferences?.[0];
      if (!ref) continue;
      owned++;
      assert.equal(ref.kind, "CronJob");
      assert.equal(ref.controller, true);
      assert.equal(cronJobs.get(ref.uid ?? "")?.metadata?.name, ref.name);
    }
    assert.ok(owned > 0 && owned < jobs.size, `${owned} of ${jobs.size} Jobs owned by CronJobs`);
  });

  test("EndpointSlices list the IPs of their Service's pods; every Service has one", () => {
    const pods = new Map(sim.store.list("pods").map((p) => [p.metadata!.uid!, p]));
    const slices = sim.store.list("endpointslices");
    const services = sim.store.list("services");
    for (const s of services) {
      const name = s.metadata!.name!;
      assert.ok(
        slices.some((e) => e.metadata!.labels?.["kubernetes.io/service-name"] === name),
        `slice for ${name}`,
      );
    }
    let endpoints = 0;
    for (const e of slices) {
      for (const ep of (e as unknown as { endpoints: { addresses: string[]; targetRef: { uid: string } }[] })
        .endpoints) {
        const pod = pods.get(ep.targetRef.uid);
        assert.ok(pod, "endpoint of a stored pod");
        assert.equal(ep.addresses[0], (pod.status as { podIP?: string }).podIP);
        endpoints++;
      }
    }
    assert.ok(endpoints > 0);
  });

  test("PVCs and PVs are bound pairs but one Pending claim; one default StorageClass; four Secret types", () => {
    const pvs = new Map(sim.store.list("persistentvolumes").map((p) => [p.metadata!.name!, p]));
    const claims = sim.store.list("persistentvolumeclaims");
    const pending = claims.filter((c) => (c.status as { phase: string }).phase === "Pending");
    assert.equal(pending.length, 1);
    for (const c of claims) {
      if (c === pending[0]) continue;
      const pv = pvs.get((c.spec as { volumeName: string }).volumeName);
      assert.ok(pv, `PV of ${c.metadata!.name}`);
      assert.equal((pv.spec as { claimRef: { uid: string } }).claimRef.uid, c.metadata!.uid);
    }
    assert.equal(claims.length - 1, pvs.size);
    const defaults = sim.store
      .list("storageclasses")
      .filter((s) => s.metadata!.annotations?.["storageclass.kubernetes.io/is-default-class"] === "true");
    assert.equal(defaults.length, 1);
    const types = new Set(sim.store.list("secrets").map((s) => (s as unknown as { type: string }).type));
    assert.deepEqual([...types].sort(), [
      "Opaque",
      "kubernetes.io/dockerconfigjson",
      "kubernetes.io/service-account-token",
      "kubernetes.io/tls",
    ]);
    const namespaces = sim.store.list("namespaces").map((n) => n.metadata!.name!);
    const accounts = sim.store.list("serviceaccounts").filter((s) => s.metadata!.name === "default");
    assert.deepEqual(accounts.map((s) => s.metadata!.namespace).sort(), [...namespaces].sort());
  });

  test("Events point at stored pods and Deployments; Normal and Warning ones with counts and timestamps", () => {
    const uids = new Set(
      [...sim.store.list("pods"), ...sim.store.list("deployments"), ...sim.store.list("persistentvolumeclaims")].map(
        (o) => o.metadata!.uid!,
      ),
    );
    const events = sim.store.list("events") as unknown as {
      involvedObject: { uid: string; kind: string };
      type: string;
      reason: string;
      count: number;
      firstTimestamp: string;
      lastTimestamp: string;
      source: { component: string };
    }[];
    assert.ok(events.length > 20);
    for (const e of events) {
      assert.ok(uids.has(e.involvedObject.uid), `${e.reason} about a stored ${e.involvedObject.kind}`);
      assert.ok(e.count >= 1);
      assert.ok(e.firstTimestamp <= e.lastTimestamp);
      assert.ok(e.source.component);
    }
    const reasons = new Set(events.map((e) => e.reason));
    for (const r of ["Scheduled", "Pulled", "Created", "Started", "BackOff"]) assert.ok(reasons.has(r), r);
    assert.deepEqual([...new Set(events.map((e) => e.type))].sort(), ["Normal", "Warning"]);
  });

  test("HPAs target stored Deployments", () => {
    const deployments = new Set(
      sim.store.list("deployments").map((d) => `${d.metadata!.namespace}/${d.metadata!.name}`),
    );
    const hpas = sim.store.list("horizontalpodautoscalers");
    assert.ok(hpas.length > 0);
    for (const h of hpas) {
      const ref = (h.spec as { scaleTargetRef: { kind: string; name: string } }).scaleTargetRef;
      assert.equal(ref.kind, "Deployment");
      assert.ok(deployments.has(`${h.metadata!.namespace}/${ref.name}`));
    }
  });
});

describe("LIST and WATCH", () => {
  test("events list in pages that add up to the whole list", async () => {
    const all = sim.store.list("events").length;
    let seen = 0;
    let cont = "";
    let pages = 0;
    do {
      const r = (await call(sim, `/api/v1/events?limit=40${cont ? `&continue=${cont}` : ""}`)).json();
      assert.equal(r.kind, "EventList");
      seen += r.items.length;
      cont = r.metadata.continue ?? "";
      pages++;
    } while (cont);
    assert.equal(seen, all);
    assert.ok(pages > 1);
    const ns = (await call(sim, "/apis/batch/v1/namespaces/kube-system/jobs")).json();
    assert.equal(ns.kind, "JobList");
  });

  test("field selectors on events: involvedObject.name and type", async () => {
    const e = sim.store.list("events")[0] as unknown as { involvedObject: { name: string } };
    const r = await call(
      sim,
      `/api/v1/events?fieldSelector=${encodeURIComponent(`involvedObject.name=${e.involvedObject.name},type=Warning`)}`,
    );
    assert.equal(r.status, 200);
    for (const item of r.json().items) {
      assert.equal(item.involvedObject.name, e.involvedObject.name);
      assert.equal(item.type, "Warning");
    }
  });

  test("a watch on widgets sees a status change; a watch on jobs sees a new Job", async () => {
    const list = (await call(sim, "/apis/demo.timoneiro.dev/v1/widgets")).json();
    assert.equal(list.kind, "WidgetList");
    const rv = list.metadata.resourceVersion;
    const w = new Watch(sim, `/apis/demo.timoneiro.dev/v1/widgets?watch=1&resourceVersion=${rv}`);
    const j = new Watch(sim, `/apis/batch/v1/jobs?watch=1&resourceVersion=${rv}`);
    try {
      const widget = sim.store.list(WIDGETS)[0]!;
      widget.status = { phase: "Degraded", ready: "0/3" };
      sim.store.update(WIDGETS, widget);
      const e = await w.until((x) => x.type === "MODIFIED");
      assert.equal(e.object.metadata.name, widget.metadata!.name);
      assert.equal(e.object.status.phase, "Degraded");
      const job = structuredClone(sim.store.list("jobs")[0]!);
      job.metadata = { name: "manual-run", namespace: job.metadata!.namespace };
      sim.store.create("jobs", job);
      const added = await j.until((x) => x.type === "ADDED");
      assert.equal(added.object.kind, "Job");
      assert.equal(added.object.metadata.name, "manual-run");
    } finally {
      w.close();
      j.close();
    }
  });

  test("churn records Events for pod changes and changes Widgets' status", async () => {
    const rv = sim.store.revision();
    const w = new Watch(sim, `/api/v1/events?watch=1&resourceVersion=${rv}`);
    const ww = new Watch(sim, `/apis/demo.timoneiro.dev/v1/widgets?watch=1&resourceVersion=${rv}`);
    try {
      sim.churn.step(300);
      const e = await w.until((x) => x.type === "ADDED");
      assert.equal(e.object.involvedObject.kind, "Pod");
      assert.ok(sim.store.get("pods", e.object.metadata.namespace, e.object.involvedObject.name));
      await ww.until((x) => x.type === "MODIFIED");
    } finally {
      w.close();
      ww.close();
    }
  });
});

describe("Tables", () => {
  test("widgets as a Table: Name, then the CRD's printer columns; missing fields are null cells", async () => {
    const t = (await call(sim, "/apis/demo.timoneiro.dev/v1/widgets", { headers: { accept: TABLE } })).json();
    assert.equal(t.kind, "Table");
    const cols = t.columnDefinitions.map((c: { name: string; type: string; priority: number }) => [
      c.name,
      c.type,
      c.priority,
    ]);
    assert.deepEqual(cols, [
      ["Name", "string", 0],
      ["Size", "integer", 0],
      ["Phase", "string", 0],
      ["Ready", "string", 1],
      ["Age", "date", 0],
    ]);
    assert.equal(t.columnDefinitions[0].format, "name");
    assert.equal(
      t.columnDefinitions[2].description,
      "Custom resource definition column (in JSONPath format): .status.phase",
    );
    const objects = new Map(sim.store.list(WIDGETS).map((w) => [w.metadata!.name!, w]));
    assert.equal(t.rows.length, objects.size);
    let empty = 0;
    for (const row of t.rows) {
      const [name, size, phase, ready, age] = row.cells;
      const o = objects.get(name)! as { spec: { size?: number }; status?: { phase: string; ready: string } };
      assert.equal(size, o.spec.size ?? null);
      assert.equal(phase, o.status?.phase ?? null);
      assert.equal(ready, o.status?.ready ?? null);
      // A date column is sent as an age, the way kube-apiserver's tableconvertor sends it.
      assert.match(age, /^\d+[smhdy]/);
      if (phase === null) empty++;
      assert.equal(row.object.kind, "PartialObjectMetadata");
    }
    assert.ok(empty > 0, "some widgets have no status yet");
  });

  test("cluster policies: a boolean column; a kind without a resources/ definition still gets Name and Age", async () => {
    const t = (await call(sim, "/apis/demo.timoneiro.dev/v1/clusterpolicies", { headers: { accept: TABLE } })).json();
    assert.deepEqual(
      t.columnDefinitions.map((c: { name: string }) => c.name),
      ["Name", "Action", "Enforced", "Violations", "Age"],
    );
    assert.ok(t.rows.some((r: { cells: unknown[] }) => r.cells[2] === true));
    assert.ok(t.rows.some((r: { cells: unknown[] }) => r.cells[3] === null));
    for (const path of ["/apis/storage.k8s.io/v1/storageclasses", "/api/v1/events", "/apis/batch/v1/jobs"]) {
      const r = (await call(sim, path, { headers: { accept: TABLE } })).json();
      assert.equal(r.kind, "Table", path);
      // kube-apiserver prints an event's Name last, as a wide column; every other kind's first.
      const name = path.endsWith("/events") ? r.columnDefinitions.at(-1) : r.columnDefinitions[0];
      assert.equal(name.name, "Name", path);
      assert.ok(r.rows.length > 0, path);
    }
  });
});

describe("a CRD deleted at run time", () => {
  test("leaves discovery, its collection answers 404 and its watches end", async () => {
    const s = await startSimServer({ pods: 20, seed: 2 });
    try {
      const path = "/apis/demo.timoneiro.dev/v1/namespaces";
      const widget = s.store.list(WIDGETS)[0]!;
      const ns = widget.metadata!.namespace!;
      assert.equal((await call(s, `${path}/${ns}/widgets`)).status, 200);
      const w = new Watch(s, `/apis/demo.timoneiro.dev/v1/widgets?watch=1&resourceVersion=${s.store.revision()}`);
      await new Promise((r) => setTimeout(r, 50));
      s.store.delete("customresourcedefinitions", "", WIDGETS);
      assert.equal(await w.ended, "end");
      assert.equal((await call(s, `${path}/${ns}/widgets`)).status, 404);
      assert.equal((await call(s, `${path}/${ns}/widgets/${widget.metadata!.name}`)).status, 404);
      const doc = (await call(s, "/apis", { headers: { accept: V2 } })).json();
      const demo = doc.items.find((g: { metadata: { name: string } }) => g.metadata.name === "demo.timoneiro.dev");
      assert.deepEqual(
        demo.versions[0].resources.map((r: { resource: string }) => r.resource),
        ["clusterpolicies"],
      );
      const legacy = (await call(s, "/apis/demo.timoneiro.dev/v1")).json();
      assert.deepEqual(
        legacy.resources.map((r: { name: string }) => r.name),
        ["clusterpolicies", "clusterpolicies/status"],
      );
      const crds = s.store.list("customresourcedefinitions").map((c) => c.metadata!.name);
      assert.deepEqual(crds, ["clusterpolicies.demo.timoneiro.dev"]);
      s.store.delete("customresourcedefinitions", "", "clusterpolicies.demo.timoneiro.dev");
      const groups = (await call(s, "/apis")).json().groups.map((g: { name: string }) => g.name);
      assert.ok(!groups.includes("demo.timoneiro.dev"));
      assert.equal((await call(s, "/apis/demo.timoneiro.dev")).status, 404);
      s.churn.step(100);
    } finally {
      await s.stop();
    }
  });
});
