// Discovery: aggregated (v2, v2beta1) first, legacy documents when the server answers in that form, and a group
// version that fails (an aggregated APIService down) reported without losing the others.
import assert from "node:assert/strict";
import http from "node:http";
import { test } from "node:test";
import { DISCOVERY_ACCEPT, discover } from "../../../src/kube/discovery.ts";
import { KubeError } from "../../../src/kube/errors.ts";
import { resolveKind } from "../../../src/kube/resolve.ts";
import { Transport } from "../../../src/kube/transport.ts";
import { startSimTransport } from "./sim-transport.ts";

type Handler = (path: string, accept: string) => { status?: number; type?: string; body: unknown } | undefined;

/** A plain HTTP server answering discovery paths from `handler`, and the requests it saw. */
async function fakeServer(handler: Handler) {
  const seen: { path: string; accept: string }[] = [];
  const server = http.createServer((req, res) => {
    const path = req.url ?? "/";
    const accept = req.headers.accept ?? "";
    seen.push({ path, accept });
    const answer = handler(path, accept);
    if (!answer) {
      res.writeHead(404, { "Content-Type": "application/json" });
      res.end(JSON.stringify({ kind: "Status", apiVersion: "v1", status: "Failure", code: 404, message: "nope" }));
      return;
    }
    res.writeHead(answer.status ?? 200, { "Content-Type": answer.type ?? "application/json" });
    res.end(JSON.stringify(answer.body));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  const transport = new Transport({ server: `http://127.0.0.1:${port}`, credentials: () => ({ headers: {} }) });
  return {
    transport,
    seen,
    async close() {
      transport.close();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

const V2 = "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList";
const V2BETA1 = "application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList";

function aggregatedResource(resource: string, kind: string, extra: Record<string, unknown> = {}) {
  return {
    resource,
    responseKind: { group: "", version: "", kind },
    scope: "Namespaced",
    singularResource: kind.toLowerCase(),
    verbs: ["get", "list", "watch"],
    subresources: [{ subresource: "status", verbs: ["get"] }],
    ...extra,
  };
}

test("the Accept header is client-go's: aggregated v2, then v2beta1, then legacy JSON", () => {
  assert.equal(DISCOVERY_ACCEPT, `${V2},${V2BETA1},application/json`);
});

test("aggregated discovery from the simulator: every kind once, core first, subresources on their kind", async () => {
  const h = await startSimTransport();
  try {
    const d = await discover(h.transport);
    assert.equal(d.mode, "aggregated");
    assert.deepEqual(d.failed, []);
    const keys = d.kinds.map((k) => k.key);
    assert.equal(new Set(keys).size, keys.length);
    assert.equal(keys[0], "pods");
    assert.ok(keys.indexOf("deployments.apps") > keys.indexOf("services"));
    assert.ok(!keys.some((k) => k.includes("/")));
    const { subresources, ...pods } = d.kinds.find((k) => k.key === "pods")!;
    assert.deepEqual(
      [...(subresources ?? [])].sort(),
      ["attach", "binding", "eviction", "exec", "log", "portforward", "status"],
      "what the actions need: exec, attach, portforward, eviction",
    );
    assert.deepEqual(d.kinds.find((k) => k.key === "deployments.apps")?.subresources, ["status", "scale"]);
    assert.deepEqual(
      { ...pods, verbs: pods.verbs.includes("watch") },
      {
        key: "pods",
        group: "",
        version: "v1",
        resource: "pods",
        singular: "pod",
        kind: "Pod",
        namespaced: true,
        shortNames: ["po"],
        verbs: true,
        categories: ["all"],
        versions: ["v1"],
      },
    );
    const nodes = d.kinds.find((k) => k.key === "nodes")!;
    assert.equal(nodes.namespaced, false);
    assert.equal(resolveKind(d.kinds, "deploy")?.key, "deployments.apps");
    assert.equal(resolveKind(d.kinds, "deployments.v1.apps")?.key, "deployments.apps");
  } finally {
    await h.close();
  }
});

test("the simulator's legacy documents describe the same kinds as its aggregated discovery", async () => {
  const h = await startSimTransport();
  try {
    const aggregated = await discover(h.transport);
    const legacy = await discover(h.transport, { legacy: true });
    assert.equal(legacy.mode, "legacy");
    assert.deepEqual(legacy.failed, []);
    const shape = (kinds: typeof legacy.kinds) =>
      kinds.map((k) => [k.key, k.version, k.singular, k.kind, k.namespaced, [...k.shortNames], [...k.categories]]);
    assert.deepEqual(shape(legacy.kinds), shape(aggregated.kinds));
  } finally {
    await h.close();
  }
});

test("aggregated v2beta1 is read like v2; a stale group version is reported and the rest kept", async () => {
  const f = await fakeServer((path) => {
    if (path === "/api") {
      return {
        type: V2BETA1,
        body: {
          kind: "APIGroupDiscoveryList",
          apiVersion: "apidiscovery.k8s.io/v2beta1",
          items: [
            { versions: [{ version: "v1", resources: [aggregatedResource("pods", "Pod")], freshness: "Current" }] },
          ],
        },
      };
    }
    if (path === "/apis") {
      return {
        type: V2BETA1,
        body: {
          kind: "APIGroupDiscoveryList",
          items: [
            {
              metadata: { name: "metrics.k8s.io" },
              versions: [{ version: "v1beta1", freshness: "Stale" }],
            },
            {
              metadata: { name: "autoscaling" },
              versions: [
                {
                  version: "v2",
                  resources: [aggregatedResource("horizontalpodautoscalers", "HorizontalPodAutoscaler")],
                  freshness: "Current",
                },
                {
                  version: "v1",
                  resources: [
                    aggregatedResource("horizontalpodautoscalers", "HorizontalPodAutoscaler"),
                    aggregatedResource("oldthings", "OldThing", { singularResource: "", scope: "Cluster" }),
                    { resource: "nokind", verbs: ["get"] },
                  ],
                  freshness: "Current",
                },
              ],
            },
          ],
        },
      };
    }
    return undefined;
  });
  try {
    const d = await discover(f.transport);
    assert.equal(d.mode, "aggregated");
    assert.deepEqual(
      d.kinds.map((k) => [k.key, k.version, k.versions, k.singular, k.namespaced]),
      [
        ["pods", "v1", ["v1"], "pod", true],
        ["horizontalpodautoscalers.autoscaling", "v2", ["v2", "v1"], "horizontalpodautoscaler", true],
        ["oldthings.autoscaling", "v1", ["v1"], "oldthing", false],
      ],
    );
    assert.equal(d.failed.length, 1);
    assert.equal(d.failed[0]!.groupVersion, "metrics.k8s.io/v1beta1");
    assert.match(d.failed[0]!.error, /stale/);
    assert.ok(f.seen.every((r) => r.accept === DISCOVERY_ACCEPT));
  } finally {
    await f.close();
  }
});

test("legacy discovery: per group version, preferred version first, singular derived from the kind, one 503 kept apart", async () => {
  const f = await fakeServer((path) => {
    switch (path) {
      case "/api":
        return { body: { kind: "APIVersions", versions: ["v1"] } };
      case "/apis":
        return {
          body: {
            kind: "APIGroupList",
            groups: [
              {
                name: "apps",
                versions: [{ groupVersion: "apps/v1", version: "v1" }],
                preferredVersion: { groupVersion: "apps/v1", version: "v1" },
              },
              {
                name: "events.k8s.io",
                versions: [{ groupVersion: "events.k8s.io/v1", version: "v1" }],
                preferredVersion: { groupVersion: "events.k8s.io/v1", version: "v1" },
              },
              {
                name: "metrics.k8s.io",
                versions: [{ groupVersion: "metrics.k8s.io/v1beta1", version: "v1beta1" }],
                preferredVersion: { groupVersion: "metrics.k8s.io/v1beta1", version: "v1beta1" },
              },
              {
                name: "autoscaling",
                versions: [
                  { groupVersion: "autoscaling/v1", version: "v1" },
                  { groupVersion: "autoscaling/v2", version: "v2" },
                ],
                preferredVersion: { groupVersion: "autoscaling/v2", version: "v2" },
              },
            ],
          },
        };
      case "/api/v1":
        return {
          body: {
            kind: "APIResourceList",
            groupVersion: "v1",
            resources: [
              { name: "pods", singularName: "", namespaced: true, kind: "Pod", verbs: ["list"], shortNames: ["po"] },
              { name: "pods/log", singularName: "", namespaced: true, kind: "Pod", verbs: ["get"] },
              { name: "events", singularName: "event", namespaced: true, kind: "Event", verbs: ["list"] },
            ],
          },
        };
      case "/apis/apps/v1":
        return {
          body: {
            kind: "APIResourceList",
            groupVersion: "apps/v1",
            resources: [
              {
                name: "deployments",
                singularName: "deployment",
                namespaced: true,
                kind: "Deployment",
                verbs: ["list"],
              },
              { name: "deployments/scale", singularName: "", namespaced: true, kind: "Scale", verbs: ["get"] },
            ],
          },
        };
      case "/apis/events.k8s.io/v1":
        return {
          body: {
            kind: "APIResourceList",
            resources: [{ name: "events", singularName: "event", namespaced: true, kind: "Event", verbs: ["list"] }],
          },
        };
      case "/apis/metrics.k8s.io/v1beta1":
        return {
          status: 503,
          body: { kind: "Status", apiVersion: "v1", status: "Failure", code: 503, message: "service unavailable" },
        };
      case "/apis/autoscaling/v1":
      case "/apis/autoscaling/v2":
        return {
          body: {
            kind: "APIResourceList",
            resources: [
              { name: "horizontalpodautoscalers", namespaced: true, kind: "HorizontalPodAutoscaler", verbs: ["list"] },
            ],
          },
        };
    }
    return undefined;
  });
  try {
    const d = await discover(f.transport);
    assert.equal(d.mode, "legacy");
    assert.deepEqual(
      d.kinds.map((k) => [k.key, k.version, k.singular]),
      [
        ["pods", "v1", "pod"],
        ["events", "v1", "event"],
        ["deployments.apps", "v1", "deployment"],
        ["events.events.k8s.io", "v1", "event"],
        ["horizontalpodautoscalers.autoscaling", "v2", "horizontalpodautoscaler"],
      ],
    );
    assert.deepEqual(d.kinds.at(-1)!.versions, ["v2", "v1"]);
    assert.equal(d.failed.length, 1);
    assert.equal(d.failed[0]!.groupVersion, "metrics.k8s.io/v1beta1");
    assert.match(d.failed[0]!.error, /503/);
    assert.equal(resolveKind(d.kinds, "events")?.key, "events");
    // The group-version documents are asked for in legacy JSON only.
    assert.ok(f.seen.filter((r) => r.path.split("/").length > 2).every((r) => r.accept === "application/json"));
  } finally {
    await f.close();
  }
});

test("a failure of /api or /apis itself is a one-line KubeError", async () => {
  const f = await fakeServer((path) =>
    path === "/api"
      ? {
          status: 401,
          body: { kind: "Status", apiVersion: "v1", status: "Failure", code: 401, message: "Unauthorized" },
        }
      : { body: { kind: "APIGroupList", groups: [] } },
  );
  try {
    await assert.rejects(discover(f.transport), (err: unknown) => {
      assert.ok(err instanceof KubeError);
      assert.equal(err.status, 401);
      assert.doesNotMatch(err.message, /\n/);
      return true;
    });
  } finally {
    await f.close();
  }
  const g = await fakeServer(() => ({ type: "application/json", body: "not a document" }));
  try {
    await assert.rejects(discover(g.transport), /discovery document \/api is not a JSON object/);
  } finally {
    await g.close();
  }
});
