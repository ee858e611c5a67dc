// The write actions as data, without a server: the requests each builder makes (paths, bodies, and through
// kube/write.ts the content types kubectl sends), what a kind supports, the operations that carry them out (progress
// and outcome lines, at most MAX_IN_FLIGHT at once), which keys a table offers (none in read-only mode), and the
// root's refusal of a write reached in read-only mode anyway.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  accessCheck,
  capabilitiesOf,
  cordonRequest,
  deleteRequest,
  describeTargets,
  evictionRequest,
  killRequest,
  restartRequest,
  scaleRequest,
  suspendRequest,
  triggerRequest,
} from "../../../src/app/actions.ts";
import { keys as keySpecs } from "../../../src/app/bindings.ts";
import {
  finished,
  MAX_IN_FLIGHT,
  operationLine,
  parseRequestId,
  settle,
  startOperation,
} from "../../../src/app/operations.ts";
import { newRootModel, view as paint, type RootModel, update } from "../../../src/app/root.ts";
import { DEFAULT_CONFIG } from "../../../src/app/user-config.ts";
import { TableView } from "../../../src/app/views/table.ts";
import { actionBindings } from "../../../src/app/views/table-actions.ts";
import type { View, ViewContext } from "../../../src/app/views/view.ts";
import type { ApiKind } from "../../../src/kube/kinds.ts";
import type { Transport } from "../../../src/kube/transport.ts";
import { type WriteRequest, write } from "../../../src/kube/write.ts";
import { makePod, StaticRepository } from "../../../src/repository/static-repository.ts";
import { cronJobRow } from "../../../src/resources/cronjobs.ts";
import { deploymentRow } from "../../../src/resources/deployments.ts";
import { nodeRow } from "../../../src/resources/nodes.ts";
import type { BaseRow } from "../../../src/resources/types.ts";
import { key } from "../../../src/tui/input.ts";
import { NOW, plain } from "./helpers.ts";

const repo = new StaticRepository({
  pods: [makePod({ name: "web-1", namespace: "shop" })],
  rows: {
    deployments: [
      deploymentRow({
        apiVersion: "apps/v1",
        kind: "Deployment",
        metadata: { name: "api", namespace: "shop", uid: "d1", creationTimestamp: "2026-01-01T00:00:00Z" },
        spec: { replicas: 3 },
        status: { readyReplicas: 3, replicas: 3 },
      }),
    ],
    nodes: [
      nodeRow({
        apiVersion: "v1",
        kind: "Node",
        metadata: { name: "node-a", uid: "n1", creationTimestamp: "2026-01-01T00:00:00Z" },
        spec: { unschedulable: true },
      }),
    ],
    cronjobs: [
      cronJobRow({
        apiVersion: "batch/v1",
        kind: "CronJob",
        metadata: { name: "nightly", namespace: "ops", uid: "c1", creationTimestamp: "2026-01-01T00:00:00Z" },
        spec: { schedule: "0 3 * * *", suspend: false },
      }),
    ],
  },
  contextName: "ctx",
  clusterName: "cl",
  now: () => NOW,
});

function kind(name: string): ApiKind {
  const k = repo.resolve(name);
  assert.ok(k, name);
  return k;
}

const row = (name: string, namespace = ""): BaseRow => ({ name, namespace, uid: `u-${name}`, createdAt: 0 });

describe("request builders", () => {
  test("delete: the object's path, DeleteOptions as kubectl sends them; --force is grace period 0", () => {
    const pods = kind("pods");
    const req = deleteRequest(pods, row("web-1", "shop"), {
      propagation: "foreground",
      gracePeriodSeconds: 30,
      force: false,
    });
    assert.deepEqual(req, {
      method: "DELETE",
      path: "/api/v1/namespaces/shop/pods/web-1",
      body: { kind: "DeleteOptions", apiVersion: "v1", propagationPolicy: "Foreground", gracePeriodSeconds: 30 },
      verb: "delete",
      resource: "pods",
      group: undefined,
      namespace: "shop",
      name: "web-1",
    });
    const forced = deleteRequest(pods, row("web-1", "shop"), {
      propagation: "orphan",
      gracePeriodSeconds: 30,
      force: true,
    });
    assert.deepEqual(forced.body, {
      kind: "DeleteOptions",
      apiVersion: "v1",
      propagationPolicy: "Orphan",
      gracePeriodSeconds: 0,
    });
    const byDefault = deleteRequest(kind("deployments"), row("api", "shop"), { propagation: "default", force: false });
    assert.equal(byDefault.path, "/apis/apps/v1/namespaces/shop/deployments/api");
    assert.deepEqual(byDefault.body, { kind: "DeleteOptions", apiVersion: "v1" }, "the server's default: nothing sent");
    assert.equal(byDefault.group, "apps");
    const node = deleteRequest(kind("nodes"), row("node-a"), { propagation: "background", force: false });
    assert.equal(node.path, "/api/v1/nodes/node-a");
    assert.equal(node.namespace, undefined);
    assert.equal(
      deleteRequest(pods, row("a b", "x/y"), { propagation: "default", force: false }).path,
      "/api/v1/namespaces/x%2Fy/pods/a%20b",
    );
  });

  test("kill: a delete with grace period 0 and the server's propagation", () => {
    const req = killRequest(kind("pods"), row("web-1", "shop"));
    assert.deepEqual(req.body, { kind: "DeleteOptions", apiVersion: "v1", gracePeriodSeconds: 0 });
    assert.equal(req.method, "DELETE");
  });

  test("scale: a merge patch of the scale subresource", () => {
    const req = scaleRequest(kind("deployments"), row("api", "shop"), 5);
    assert.deepEqual(
      { method: req.method, patch: req.patch, path: req.path, body: req.body, verb: req.verb },
      {
        method: "PATCH",
        patch: "merge",
        path: "/apis/apps/v1/namespaces/shop/deployments/api/scale",
        body: { spec: { replicas: 5 } },
        verb: "patch",
      },
    );
  });

  test("restart: kubectl's strategic patch of the template's restartedAt, RFC 3339 without a fraction", () => {
    const req = restartRequest(kind("deployments"), row("api", "shop"), Date.UTC(2026, 11, 1, 10, 4, 5, 678));
    assert.equal(req.patch, "strategic");
    assert.equal(req.path, "/apis/apps/v1/namespaces/shop/deployments/api");
    assert.deepEqual(req.body, {
      spec: {
        template: { metadata: { annotations: { "kubectl.kubernetes.io/restartedAt": "2026-12-01T10:04:05Z" } } },
      },
    });
  });

  test("cordon sets spec.unschedulable; uncordon removes it (null), as kubectl's patch does", () => {
    const cordon = cordonRequest(kind("nodes"), row("node-a"), true);
    assert.deepEqual(
      [cordon.path, cordon.patch, cordon.body],
      ["/api/v1/nodes/node-a", "merge", { spec: { unschedulable: true } }],
    );
    assert.deepEqual(cordonRequest(kind("nodes"), row("node-a"), false).body, { spec: { unschedulable: null } });
  });

  test("suspend and resume: spec.suspend", () => {
    const req = suspendRequest(kind("cronjobs"), row("nightly", "ops"), true);
    assert.deepEqual(
      [req.path, req.patch, req.body],
      ["/apis/batch/v1/namespaces/ops/cronjobs/nightly", "merge", { spec: { suspend: true } }],
    );
    assert.deepEqual(suspendRequest(kind("cronjobs"), row("nightly", "ops"), false).body, { spec: { suspend: false } });
  });

  test("eviction: POST policy/v1 Eviction to the pod's eviction subresource, asked as create pods/eviction", () => {
    assert.deepEqual(evictionRequest({ namespace: "shop", name: "web-1" }), {
      method: "POST",
      path: "/api/v1/namespaces/shop/pods/web-1/eviction",
      body: { apiVersion: "policy/v1", kind: "Eviction", metadata: { name: "web-1", namespace: "shop" } },
      verb: "create",
      resource: "pods/eviction",
      namespace: "shop",
      name: "web-1",
    });
  });

  test("trigger: kubectl create job --from=cronjob: template copied, instantiate=manual, the CronJob as controller", () => {
    const cronJob = {
      apiVersion: "batch/v1",
      kind: "CronJob",
      metadata: { name: "nightly", namespace: "ops", uid: "c1" },
      spec: {
        schedule: "0 3 * * *",
        jobTemplate: {
          metadata: { labels: { team: "a" }, annotations: { note: "n" } },
          spec: { template: { spec: { restartPolicy: "Never", containers: [{ name: "c", image: "i" }] } } },
        },
      },
    };
    const req = triggerRequest(cronJob, "x7k2p");
    assert.deepEqual(req, {
      method: "POST",
      path: "/apis/batch/v1/namespaces/ops/jobs",
      body: {
        apiVersion: "batch/v1",
        kind: "Job",
        metadata: {
          name: "nightly-manual-x7k2p",
          namespace: "ops",
          labels: { team: "a" },
          annotations: { note: "n", "cronjob.kubernetes.io/instantiate": "manual" },
          ownerReferences: [{ apiVersion: "batch/v1", kind: "CronJob", name: "nightly", uid: "c1", controller: true }],
        },
        spec: cronJob.spec.jobTemplate.spec,
      },
      verb: "create",
      resource: "jobs",
      group: "batch",
      namespace: "ops",
      name: "nightly-manual-x7k2p",
    });
    // A long name is cut so that the job's name stays a valid label value (63 characters).
    const long = triggerRequest({ ...cronJob, metadata: { ...cronJob.metadata, name: "n".repeat(80) } }, "x7k2p");
    assert.equal(long.name?.length, 63);
    assert.ok(long.name?.endsWith("-manual-x7k2p"));
  });

  test("what a kind supports: from its verbs and subresources", () => {
    const caps = (name: string) => capabilitiesOf(kind(name));
    assert.deepEqual(caps("pods"), {
      delete: true,
      edit: true,
      scale: false,
      restart: false,
      kill: true,
      cordon: false,
      trigger: false,
    });
    assert.deepEqual(caps("deployments"), {
      delete: true,
      edit: true,
      scale: true,
      restart: true,
      kill: false,
      cordon: false,
      trigger: false,
    });
    assert.equal(caps("replicasets").scale, true);
    assert.equal(caps("replicasets").restart, false, "kubectl rollout restart does not take replicasets");
    assert.equal(caps("nodes").cordon, true);
    assert.equal(caps("cronjobs").trigger, true);
    const readOnlyKind = { ...kind("deployments"), verbs: ["get", "list", "watch"] };
    assert.deepEqual(capabilitiesOf(readOnlyKind), {
      delete: false,
      edit: false,
      scale: true,
      restart: false,
      kill: false,
      cordon: false,
      trigger: false,
    });
  });

  test("the RBAC question: namespaced for a namespaced row, cluster-wide for a node; subresources apart", () => {
    assert.deepEqual(accessCheck(kind("deployments"), "patch", row("api", "shop"), "scale"), {
      verb: "patch",
      resource: "deployments",
      group: "apps",
      subresource: "scale",
      namespace: "shop",
    });
    assert.deepEqual(accessCheck(kind("nodes"), "patch", row("node-a")), {
      verb: "patch",
      resource: "nodes",
      group: "",
    });
  });

  test("what an action is done to, in messages", () => {
    assert.equal(describeTargets("deploy", [row("api", "shop")], "deployments"), "deploy/api in shop");
    assert.equal(describeTargets("no", [row("node-a")], "nodes"), "no/node-a");
    assert.equal(describeTargets("po", [row("a", "x"), row("b", "x")], "pods"), "2 pods");
  });
});

describe("kube/write.ts: what goes on the wire", () => {
  /** A transport that records what it is asked to send and answers `answer`. */
  function recorder(answer = "{}") {
    const sent: { path: string; opts: Record<string, unknown> }[] = [];
    const transport = {
      request: async (path: string, opts: Record<string, unknown>) => {
        sent.push({ path, opts });
        return { status: 200, headers: {}, body: Buffer.from(answer) };
      },
    } as unknown as Transport;
    return { sent, transport };
  }

  test("content types: merge, strategic and JSON patches, JSON for the rest; the body as JSON", async () => {
    const cases: [WriteRequest, string][] = [
      [scaleRequest(kind("deployments"), row("api", "shop"), 2), "application/merge-patch+json"],
      [restartRequest(kind("deployments"), row("api", "shop"), NOW), "application/strategic-merge-patch+json"],
      [{ ...cordonRequest(kind("nodes"), row("node-a"), true), patch: "json" }, "application/json-patch+json"],
      [
        deleteRequest(kind("pods"), row("web-1", "shop"), { propagation: "background", force: false }),
        "application/json",
      ],
      [evictionRequest({ namespace: "shop", name: "web-1" }), "application/json"],
    ];
    for (const [req, contentType] of cases) {
      const { sent, transport } = recorder('{"kind":"Status","status":"Success"}');
      assert.deepEqual(await write(transport, req), { kind: "Status", status: "Success" });
      assert.equal(sent.length, 1);
      assert.equal(sent[0]?.path, req.path);
      assert.equal(sent[0]?.opts.method, req.method);
      assert.equal(sent[0]?.opts.contentType, contentType, `${req.method} ${req.path}`);
      assert.equal(sent[0]?.opts.accept, "application/json");
      assert.equal(sent[0]?.opts.body, JSON.stringify(req.body));
    }
  });

  test("an empty answer is undefined", async () => {
    const { transport } = recorder("");
    assert.equal(await write(transport, killRequest(kind("pods"), row("web-1", "shop"))), undefined);
  });
});

describe("operations: one per action, a few requests at a time, one line", () => {
  const requests = (n: number) => Array.from({ length: n }, (_, i) => killRequest(kind("pods"), row(`p${i}`, "shop")));

  test(`at most ${MAX_IN_FLIGHT} in flight; each one that ends lets the next go; progress, then the outcome`, () => {
    let [op, effects] = startOperation("op4", {
      verb: "delete",
      done: "deleted",
      what: "20 pods",
      requests: requests(20),
    });
    assert.equal(effects.length, MAX_IN_FLIGHT);
    assert.deepEqual(
      effects.map((e) => (e.type === "write" ? e.id : "")),
      Array.from({ length: MAX_IN_FLIGHT }, (_, i) => `op4:${i}`),
    );
    assert.deepEqual(operationLine(op), { text: "delete 20 pods: 0 of 20…", error: false });
    let open = effects.map((e) => (e.type === "write" ? (parseRequestId(e.id)?.index as number) : -1));
    let sent = effects.length;
    while (open.length > 0) {
      const index = open.shift() as number;
      [op, effects] = settle(op, index, index === 3 || index === 17 ? `forbidden ${index}` : undefined);
      assert.ok(op.inFlight <= MAX_IN_FLIGHT);
      sent += effects.length;
      open = [...open, ...effects.map((e) => (e.type === "write" ? (parseRequestId(e.id)?.index as number) : -1))];
      if (!finished(op)) assert.match(operationLine(op).text, /^delete 20 pods: \d+ of 20…$/);
    }
    assert.equal(sent, 20, "every request sent once");
    assert.ok(finished(op));
    assert.deepEqual(operationLine(op), {
      text: "deleted 18 of 20 pods; 2 failed: p3: forbidden 3 (and 1 more)",
      error: true,
    });
  });

  test("a single request: the outcome, or the error itself", () => {
    const spec = { verb: "scale", done: "scaled", what: "deploy/api in shop to 3", requests: requests(1) };
    let [op] = startOperation("op1", spec);
    [op] = settle(op, 0, undefined);
    assert.deepEqual(operationLine(op), { text: "scaled deploy/api in shop to 3", error: false });
    let [failed] = startOperation("op2", spec);
    [failed] = settle(failed, 0, "forbidden: cannot patch deployments.apps/scale in namespace shop");
    assert.deepEqual(operationLine(failed), {
      text: "scale deploy/api in shop to 3: forbidden: cannot patch deployments.apps/scale in namespace shop",
      error: true,
    });
  });

  test("no request (uncordon of nodes none of which is cordoned): finished at once, said done", () => {
    const [op, effects] = startOperation("op3", { verb: "uncordon", done: "uncordoned", what: "no/a", requests: [] });
    assert.deepEqual(effects, []);
    assert.ok(finished(op));
    assert.equal(operationLine(op).text, "uncordoned no/a");
  });

  test("request ids: ours, and not a view's", () => {
    assert.deepEqual(parseRequestId("op12:7"), { op: "op12", index: 7 });
    assert.equal(parseRequestId("pods>edit:a/b#put"), undefined);
  });
});

describe("which keys a table offers", () => {
  const WRITE_KEYS = ["ctrl+d", "ctrl+k", "s", "r", "e", "c", "u", "t"];

  function ctxOf(readOnly: boolean, over: Partial<ViewContext> = {}): ViewContext {
    return { repo, now: NOW, width: 120, height: 30, namespace: undefined, readOnly, forwards: [], ...over };
  }

  function offered(kindName: string, short: string, readOnly: boolean, over: Partial<ViewContext> = {}): string[] {
    const ctx = ctxOf(readOnly, over);
    const k = kind(kindName);
    const table = TableView.open(
      { id: k.key, crumb: k.resource, short, kind: k.key, query: () => ({ kind: k.key }) },
      ctx,
    );
    const names = table.bindings(ctx).flatMap((b) => b.keys.map((s) => `${s.ctrl ? "ctrl+" : ""}${s.name}`));
    return WRITE_KEYS.filter((w) => names.includes(w));
  }

  test("each kind's own: pods delete/kill/edit, deployments scale/restart, nodes cordon/uncordon/drain, cronjobs", () => {
    assert.deepEqual(offered("pods", "po", false), ["ctrl+d", "ctrl+k", "s", "e", "c"], "s: a shell");
    assert.deepEqual(offered("deployments", "deploy", false), ["ctrl+d", "s", "r", "e", "c"]);
    assert.deepEqual(offered("nodes", "no", false), ["ctrl+d", "r", "e", "c", "u"]);
    assert.deepEqual(offered("cronjobs", "cj", false), ["ctrl+d", "s", "e", "c", "t"]);
  });

  test("read-only: none of the write keys, for any kind (c stays: it copies the name)", () => {
    assert.deepEqual(offered("pods", "po", true), ["c"]);
    assert.deepEqual(offered("deployments", "deploy", true), ["c"]);
    assert.deepEqual(offered("nodes", "no", true), []);
    assert.deepEqual(offered("cronjobs", "cj", true), ["c"]);
    const target = {
      kind: kind("deployments"),
      short: "deploy",
      plural: "deployments",
      rows: repo.rows({ kind: "deployments.apps" }),
      view: {} as View,
      viewId: "deployments.apps",
    };
    assert.deepEqual(actionBindings(target, ctxOf(true)), []);
    assert.ok(actionBindings(target, ctxOf(false)).length > 0);
  });

  test("what RBAC refuses is not offered; what it has not answered yet is", () => {
    const refusing = Object.create(repo, {
      can: {
        value: (c: { verb: string; subresource?: string }) =>
          c.verb === "delete" ? false : c.subresource === "scale" ? undefined : true,
      },
    }) as StaticRepository;
    assert.deepEqual(offered("deployments", "deploy", false, { repo: refusing }), ["s", "r", "e", "c"]);
    assert.deepEqual(offered("pods", "po", false, { repo: refusing }), ["s", "e", "c"], "no delete, no kill");
    const noExec = Object.create(repo, {
      can: { value: (c: { verb: string; subresource?: string }) => c.subresource !== "exec" },
    }) as StaticRepository;
    assert.deepEqual(
      offered("pods", "po", false, { repo: noExec }),
      ["ctrl+d", "ctrl+k", "e", "c"],
      "no pods/exec: no shell",
    );
  });
});

describe("the root in read-only mode", () => {
  /** A view with one key, x, that asks for a delete: what a view could do if it forgot to check. */
  function rogue(): View {
    const request = killRequest(kind("pods"), row("web-1", "shop"));
    const v: View = {
      id: "rogue",
      crumb: "rogue",
      capturesInput: () => false,
      bindings: () => [
        {
          keys: keySpecs("x"),
          label: "delete anyway",
          section: "Test",
          run: () => [
            v,
            [{ type: "write", verb: "delete", done: "deleted", what: "po/web-1 in shop", requests: [request] }],
          ],
        },
      ],
      update: () => [v, []],
      holds: () => [],
      title: () => "Rogue",
      statusKinds: () => [],
      body: (ctx) => Array.from({ length: ctx.height }, () => ""),
      bottom: () => null,
    };
    return v;
  }

  function withRogue(readOnly: boolean | undefined, contexts: Record<string, { readOnly?: boolean }> = {}): RootModel {
    const model = newRootModel(repo, {
      width: 100,
      height: 20,
      now: NOW,
      config: { ...DEFAULT_CONFIG, readOnly: readOnly ?? false, contexts },
    });
    return { ...model, stack: [...model.stack, rogue()] };
  }

  test("a write action is refused with a message and nothing is sent", () => {
    const [m, effects] = update(withRogue(true), key("x"));
    assert.deepEqual(effects, []);
    assert.deepEqual(m.message, { text: "read-only: delete is not allowed", error: true });
    assert.match(plain(paint(m)).at(-1) ?? "", /read-only: delete is not allowed/);
  });

  test("read-only for this context only (its own setting) refuses it too; otherwise it goes out", () => {
    const [, refused] = update(withRogue(false, { ctx: { readOnly: true } }), key("x"));
    assert.deepEqual(refused, []);
    const [, sent] = update(withRogue(false), key("x"));
    assert.deepEqual(
      sent.map((e) => (e.type === "write" ? [e.id, e.request.path] : e.type)),
      [["op1:0", "/api/v1/namespaces/shop/pods/web-1"]],
    );
  });
});
