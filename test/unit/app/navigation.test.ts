// The view stack as a user moves through it: Enter drills down, Esc goes back, `-` toggles, `:` opens any kind,
// namespaces switch with :ns, 0 and 1–9, and the breadcrumbs say where you are.
import assert from "node:assert/strict";
import { test } from "node:test";
import { MAX_STACK, newRootModel, update, view } from "../../../src/app/root.ts";
import { ContainersView } from "../../../src/app/views/containers.ts";
import { ContextsView } from "../../../src/app/views/contexts.ts";
import { makePod, StaticRepository } from "../../../src/repository/static-repository.ts";
import type { BaseRow } from "../../../src/resources/types.ts";
import { effectsOf, keys, NOW, plain, send, shownNames, table, type } from "./helpers.ts";

function row(namespace: string, name: string, extra: Record<string, unknown> = {}): BaseRow {
  return { namespace, name, uid: `${namespace}/${name}`, createdAt: NOW - 3600_000, ...extra } as BaseRow;
}

/** A shop: deployment api (two replicasets, three pods), a statefulset db, a service, a node, and strangers. */
function shop(size = { width: 140, height: 16 }) {
  const repo = new StaticRepository({
    contextName: "ctx",
    clusterName: "cl",
    now: () => NOW,
    pods: [
      makePod({
        namespace: "shop",
        name: "api-new-1",
        ownerKind: "ReplicaSet",
        ownerName: "api-new",
        node: "n1",
        createdAt: NOW - 1000,
      }),
      makePod({
        namespace: "shop",
        name: "api-old-1",
        ownerKind: "ReplicaSet",
        ownerName: "api-old",
        node: "n2",
        createdAt: NOW - 2000,
      }),
      makePod({
        namespace: "shop",
        name: "api-old-2",
        ownerKind: "ReplicaSet",
        ownerName: "api-old",
        node: "n1",
        createdAt: NOW - 3000,
      }),
      makePod({
        namespace: "shop",
        name: "db-0",
        ownerKind: "StatefulSet",
        ownerName: "db",
        node: "n2",
        createdAt: NOW - 4000,
      }),
      makePod({
        namespace: "other",
        name: "api-new-x",
        ownerKind: "ReplicaSet",
        ownerName: "api-new",
        node: "n1",
        createdAt: NOW - 5000,
      }),
      makePod({ namespace: "shop", name: "loose", node: "n1", createdAt: NOW - 6000 }),
    ],
    rows: {
      deployments: [row("shop", "api", { ready: 3, desired: 3, upToDate: 3, available: 3 })],
      replicasets: [
        row("shop", "api-new", { ownerKind: "Deployment", ownerName: "api" }),
        row("shop", "api-old", { ownerKind: "Deployment", ownerName: "api" }),
        row("shop", "stray", { ownerKind: "Deployment", ownerName: "other" }),
      ],
      statefulsets: [row("shop", "db")],
      namespaces: [row("", "shop", { createdAt: NOW - 1000 }), row("", "other")],
      nodes: [row("", "n1"), row("", "n2")],
      configmaps: [row("shop", "settings")],
    },
  });
  return { repo, model: newRootModel(repo, { ...size, now: NOW }) };
}

const crumbs = (m: ReturnType<typeof shop>["model"]) => (plain(view(m))[1] ?? "").trim().split(/\s{2,}/)[0];

test("Enter on a deployment shows the pods of the replicasets it owns, in its namespace only", () => {
  const { model } = shop();
  let m = type(model, ":deploy<enter>");
  assert.equal(table(m).source.kind, "deployments.apps");
  m = type(m, "<enter>");
  assert.deepEqual(shownNames(m), ["api-new-1", "api-old-1", "api-old-2"]);
  assert.match(plain(view(m))[0] ?? "", /Pods of deploy\/api 3 of 3/);
  assert.equal(crumbs(m), "pods › deploy/api › pods");
});

test("Enter on a statefulset, a node and a namespace", () => {
  const { model } = shop();
  assert.deepEqual(shownNames(type(model, ":sts<enter><enter>")), ["db-0"]);
  const node = type(model, ":nodes<enter>");
  assert.deepEqual(
    shownNames(type(node, "<enter>")).sort(),
    ["api-new-1", "api-new-x", "api-old-2", "loose"].sort(),
    "a node's pods across namespaces",
  );
  const ns = type(model, ":ns<enter><enter>");
  assert.equal(ns.namespace, "shop");
  assert.equal(ns.stack.length, 1, "back on the pods view, now scoped");
  assert.deepEqual(shownNames(ns), ["api-new-1", "api-old-1", "api-old-2", "db-0", "loose"]);
  assert.match(plain(view(ns))[0] ?? "", /namespace shop/);
});

test("Enter on a pod opens its containers (a GET of the pod), which fill in when the answer comes", () => {
  const { model } = shop();
  const [m, effects] = update(model, { type: "key", name: "enter", ctrl: false, alt: false, shift: false });
  const top = m.stack.at(-1);
  assert.ok(top instanceof ContainersView);
  assert.deepEqual(effects, [
    { type: "get", id: (effects[0] as { id: string }).id, path: "/api/v1/namespaces/shop/pods/api-new-1" },
  ]);
  const pod = {
    spec: {
      initContainers: [
        { name: "init", image: "busybox" },
        { name: "proxy", image: "envoy", restartPolicy: "Always" },
      ],
      containers: [{ name: "app", image: "shop/api:1", ports: [{ name: "http", containerPort: 8080 }] }],
    },
    status: {
      initContainerStatuses: [
        { name: "init", ready: false, restartCount: 0, state: { terminated: { exitCode: 0, reason: "Completed" } } },
        { name: "proxy", ready: true, restartCount: 1, state: { running: {} } },
      ],
      containerStatuses: [
        { name: "app", ready: false, restartCount: 4, state: { waiting: { reason: "CrashLoopBackOff" } } },
      ],
    },
  };
  const filled = send(m, { type: "result", id: (effects[0] as { id: string }).id, value: pod });
  const lines = plain(view(filled));
  assert.match(lines[3] ?? "", /^NAME\s+TYPE\s+IMAGE\s+READY\s+STATE\s+RESTARTS\s+PORTS/);
  assert.match(lines[4] ?? "", /^init\s+init\s+busybox\s+false\s+Completed\s+0/);
  assert.match(lines[5] ?? "", /^proxy\s+sidecar\s+envoy\s+true\s+Running\s+1/);
  assert.match(lines[6] ?? "", /^app\s+container\s+shop\/api:1\s+false\s+CrashLoopBackOff\s+4\s+http:8080/);
  assert.equal(crumbs(filled), "po/api-new-1 › containers", "the view a row was opened from names the row");
  const failed = send(m, {
    type: "result",
    id: (effects[0] as { id: string }).id,
    value: undefined,
    error: 'pods "api-new-1" not found',
  });
  assert.match(plain(view(failed)).join("\n"), /Cannot read the pod: pods "api-new-1" not found/);
});

test("Esc goes back keeping each view's cursor; - toggles to the last view and back", () => {
  const { model } = shop();
  let m = type(model, "jj");
  m = type(m, ":deploy<enter><enter>j");
  assert.equal(table(m).cursor, 1);
  m = type(m, "<esc>");
  assert.equal(table(m).source.kind, "deployments.apps");
  m = type(m, "<esc>");
  assert.equal(table(m).source.kind, "pods");
  assert.equal(table(m).cursor, 2, "the pods view kept its cursor");
  m = type(m, "-");
  assert.equal(table(m).source.kind, "deployments.apps");
  m = type(m, "-");
  assert.equal(table(m).source.kind, "pods");
  assert.equal(type(m, "<esc>").stack.length, 1, "Esc on the first view stays");
});

test("namespaces: :pods NS scopes, 0 is all, 1–9 the recent ones; the header lists them", () => {
  const { model } = shop();
  let m = type(model, ":pods other<enter>");
  assert.equal(m.namespace, "other");
  assert.deepEqual(shownNames(m), ["api-new-x"]);
  m = type(m, ":pods shop<enter>");
  assert.match(plain(view(m))[1] ?? "", /0 all 1 shop 2 other/);
  m = type(m, "0");
  assert.equal(m.namespace, undefined);
  assert.equal(shownNames(m).length, 6);
  m = type(m, "2");
  assert.equal(m.namespace, "other");
  m = type(m, "2");
  assert.equal(m.namespace, "shop", "the list is most recent first");
  assert.equal(type(model, ":pods -A<enter>").namespace, undefined);
  assert.match(type(model, ":nodes shop<enter>").message?.text ?? "", /not namespaced/);
  // In the filter, digits are text.
  assert.equal(type(m, "/0").namespace, "shop");
});

test("digits do not change the scope of a drill-down (it shows one object's children)", () => {
  const { model } = shop();
  const m = type(model, ":deploy<enter><enter>0");
  assert.deepEqual(shownNames(m), ["api-new-1", "api-old-1", "api-old-2"]);
});

test("every kind by any name; Tab completes names; an unknown name says so", () => {
  const { model } = shop();
  for (const name of ["cm", "configmap", "configmaps", "ConfigMap"]) {
    assert.equal(table(type(model, `:${name}<enter>`)).source.kind, "configmaps", name);
  }
  assert.equal(table(type(model, ":deployments.apps<enter>")).source.kind, "deployments.apps");
  const completed = type(model, ":configm<tab>");
  assert.equal(completed.prompt?.text, "configmap");
  assert.equal(type(completed, "<tab>").prompt?.text, "configmaps", "Tab again cycles");
  const ns = type(model, ":pods sh<tab>");
  assert.equal(ns.prompt?.text, "pods shop", "a namespace completes after a namespaced kind");
  const asking = type(model, ":widgetz<enter>");
  assert.match(
    asking.message?.text ?? "",
    /looking for "widgetz"/,
    "discovery is asked again first (a CRD made since)",
  );
  assert.deepEqual(effectsOf(model, ...keys(":widgetz<enter>")).at(-1), { type: "rediscover", command: "widgetz" });
  const bad = send(asking, { type: "rediscovered", command: "widgetz" });
  assert.match(bad.message?.text ?? "", /unknown resource "widgetz"/);
  assert.equal(bad.stack.length, 1);
});

test("the help and the hint line come from the bindings: a key shown is a key that works", () => {
  const { model } = shop({ width: 140, height: 60 });
  const help = plain(view(type(model, "?"))).join("\n");
  assert.match(help, /Enter\s+open/);
  assert.match(help, /Shift-N\s+sort by name/);
  assert.doesNotMatch(help, /back to the previous view/, "no Esc-back on the first view");
  const deeper = plain(view(type(model, ":deploy<enter>?"))).join("\n");
  assert.match(deeper, /Esc\s+back to the previous view/);
  // A key listed in the help does what it says: Shift-N sorts.
  assert.equal(table(type(model, "N")).sort?.column, "NAME");
});

test("sort: Shift-N by name and again reversed, Shift-A oldest first, Shift-←/→ and Shift-O any column; the cursor stays on its row", () => {
  const { model } = shop();
  let m = type(model, "jj");
  const selected = table(m).cursorKey;
  m = type(m, "N");
  assert.deepEqual(shownNames(m), ["api-new-1", "api-new-x", "api-old-1", "api-old-2", "db-0", "loose"]);
  assert.equal(table(m).cursorKey, selected);
  assert.match(plain(view(m))[3] ?? "", /NAME↑/);
  m = type(m, "N");
  assert.equal(shownNames(m)[0], "loose");
  assert.match(plain(view(m))[3] ?? "", /NAME↓/);
  m = type(model, "A");
  assert.equal(shownNames(m)[0], "loose", "oldest first");
  assert.equal(shownNames(type(m, "A"))[0], "api-new-1", "again: newest first");
  m = type(model, "<S-right><S-right><S-right>");
  assert.match(plain(view(m))[3] ?? "", /\[READY\]/, "the picked column is marked");
  m = type(m, "<S-right>O");
  assert.equal(table(m).sort?.column, "STATUS");
  // Sorted rows still filter.
  assert.deepEqual(shownNames(type(model, "N/api-old")), ["api-old-1", "api-old-2"]);
});

test(":ctx lists the contexts; Enter on another asks to switch; contextReady replaces the repository", () => {
  const { model, repo } = shop();
  const [m, effects] = [
    type(model, ":ctx<enter>"),
    effectsOf(
      model,
      ...[":", "c", "t", "x"].map((t) => ({
        type: "key" as const,
        name: t,
        ctrl: false,
        alt: false,
        shift: false,
        text: t,
      })),
      { type: "key", name: "enter", ctrl: false, alt: false, shift: false },
    ),
  ];
  assert.deepEqual(effects, [{ type: "listContexts" }]);
  assert.ok(m.stack.at(-1) instanceof ContextsView);
  let listed = send(m, {
    type: "contexts",
    current: "ctx",
    contexts: [
      { name: "ctx", cluster: "cl", user: "me", namespace: undefined },
      { name: "prod", cluster: "prod-cl", user: "me", namespace: "web" },
    ],
  });
  assert.match(plain(view(listed)).join("\n"), /ctx \(current\)\s+cl/);
  listed = type(listed, "j");
  const [switching, switchEffects] = update(listed, {
    type: "key",
    name: "enter",
    ctrl: false,
    alt: false,
    shift: false,
  });
  assert.deepEqual(switchEffects, [{ type: "switchContext", name: "prod" }]);
  assert.equal(switching.switching, "prod");
  assert.match(plain(view(switching))[0] ?? "", /context ctx → prod…/);
  // The current context stays usable while the other connects...
  assert.equal(table(type(switching, "<esc>")).source.kind, "pods");
  // ...a failure says so and changes nothing...
  const failed = send(switching, { type: "contextFailed", name: "prod", error: "connection refused" });
  assert.equal(failed.repo, repo);
  assert.match(failed.message?.text ?? "", /context prod: connection refused/);
  // ...and an answer replaces the repository and starts over on pods, in the context's namespace.
  const other = new StaticRepository({
    contextName: "prod",
    clusterName: "prod-cl",
    pods: [makePod({ namespace: "web", name: "w" })],
  });
  const ready = send(switching, { type: "contextReady", name: "prod", repo: other, namespace: "web" });
  assert.equal(ready.repo, other);
  assert.equal(ready.generation, model.generation + 1);
  assert.equal(ready.stack.length, 1);
  assert.equal(ready.namespace, "web");
  assert.deepEqual(shownNames(ready), ["w"]);
  assert.match(plain(view(ready))[0] ?? "", /context prod {2}cluster prod-cl {2}namespace web/);
});

test("a kind that cannot be listed says why in its view, and a deleted CRD says it is gone", () => {
  const { model, repo } = shop();
  repo.setLoadingStatus("configmaps", {
    error: 'configmaps is forbidden: User "me" cannot list resource "configmaps"',
    refused: true,
    synced: false,
  });
  const m = type(model, ":cm<enter>");
  assert.match(plain(view(m)).join("\n"), /settings/, "rows already cached stay shown");
  repo.setRows("configmaps", []);
  assert.match(plain(view(send(m, { type: "data", now: NOW }))).join("\n"), /No configmaps: configmaps is forbidden/);
});

test("the stack is bounded", () => {
  const { model } = shop();
  let m = model;
  for (let i = 0; i < MAX_STACK + 5; i++) m = type(m, i % 2 ? ":deploy<enter><enter>" : ":sts<enter><enter>");
  assert.ok(m.stack.length <= MAX_STACK);
});

test("Tab that completes nothing says so on the command line, which stays open", () => {
  const { model } = shop();
  const m = type(model, ":zzz<tab>");
  assert.equal(m.prompt?.text, "zzz");
  assert.match(plain(view(m)).at(-1) ?? "", /^:zzz .*nothing matches "zzz"/);
});
