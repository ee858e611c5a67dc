// The describe view (`d` on a row): pure tests over a StaticRepository; effects are asserted as data and their
// results sent back as messages.
process.env.TZ = "UTC";

import assert from "node:assert/strict";
import { test } from "node:test";
import { newRootModel, type RootEffect, type RootModel, update, view } from "../../../src/app/root.ts";
import { DescribeView } from "../../../src/app/views/describe.ts";
import { makePod, StaticRepository } from "../../../src/repository/static-repository.ts";
import type { BaseRow } from "../../../src/resources/types.ts";
import { NOW, plain, send, type } from "./helpers.ts";

function row(namespace: string, name: string, extra: Record<string, unknown> = {}): BaseRow {
  return { namespace, name, uid: `${namespace}/${name}`, createdAt: NOW - 3600_000, ...extra } as BaseRow;
}

function cluster(size = { width: 80, height: 14 }) {
  const repo = new StaticRepository({
    contextName: "ctx",
    clusterName: "cl",
    now: () => NOW,
    pods: [makePod({ namespace: "shop", name: "api-1", createdAt: NOW - 1000 })],
    rows: { configmaps: [row("shop", "settings")] },
  });
  return { repo, model: newRootModel(repo, { ...size, now: NOW }) };
}

function openDescribe(model: RootModel, kind: string): [RootModel, RootEffect[]] {
  const m = kind === "pods" ? model : type(model, `:${kind}<enter>`);
  return update(m, { type: "key", name: "d", ctrl: false, alt: false, shift: false, text: "d" });
}

function gets(effects: RootEffect[]): { id: string; path: string }[] {
  return effects.filter((e): e is Extract<RootEffect, { type: "get" }> => e.type === "get");
}

const describeOf = (m: RootModel) => m.stack.at(-1) as DescribeView;
const body = (m: RootModel) => plain(view(m)).slice(3, -1);

const at = (secondsAgo: number) => new Date(NOW - secondsAgo * 1000).toISOString().replace(/\.\d+Z$/, "Z");

function pod(image = "nginx:1.27") {
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name: "api-1", namespace: "shop", uid: "u-1", labels: { app: "api" } },
    spec: { nodeName: "n1", containers: [{ name: "web", image }] },
    status: {
      phase: "Running",
      hostIP: "10.0.0.1",
      podIP: "10.1.0.5",
      podIPs: [{ ip: "10.1.0.5" }],
      qosClass: "BestEffort",
    },
  };
}

const event = {
  apiVersion: "v1",
  kind: "Event",
  metadata: { name: "api-1.1", namespace: "shop" },
  type: "Normal",
  reason: "Pulled",
  message: "Container image pulled",
  source: { component: "kubelet" },
  count: 3,
  firstTimestamp: at(600),
  lastTimestamp: at(300),
};

test("d GETs the object, then its events (one effect each), then shows kubectl's text", () => {
  const { model } = cluster();
  const [m, effects] = openDescribe(model, "pods");
  assert.ok(describeOf(m) instanceof DescribeView);
  const [get] = gets(effects);
  assert.equal(get?.path, "/api/v1/namespaces/shop/pods/api-1");
  assert.match(plain(view(m)).join("\n"), /Loading the description…/);
  const [withObject, next] = update(m, { type: "result", id: get?.id ?? "", value: pod() });
  const [events] = gets(next);
  assert.equal(
    events?.path,
    `/api/v1/namespaces/shop/events?fieldSelector=${encodeURIComponent("involvedObject.name=api-1,involvedObject.namespace=shop,involvedObject.uid=u-1")}`,
  );
  assert.match(plain(view(withObject)).join("\n"), /Loading the description…/, "not before the events are in");
  const shown = send(withObject, { type: "result", id: events?.id ?? "", value: { items: [event] } });
  const lines = body(shown);
  assert.equal(lines[0], "Name:         api-1");
  assert.equal(lines[1], "Namespace:    shop");
  assert.equal(lines[2], "Node:         n1/10.0.0.1");
  const text = describeOf(shown).text ?? "";
  assert.ok(text.endsWith("  Normal  Pulled  5m (x3 over 10m)  kubelet  Container image pulled"), text);
  assert.match(plain(view(shown))[0] ?? "", /Describe Pod shop\/api-1/);
});

test("a config map: the events are searched with its kind; a failed events GET shows no events", () => {
  const { model } = cluster();
  const [m, effects] = openDescribe(model, "configmaps");
  const [get] = gets(effects);
  assert.equal(get?.path, "/api/v1/namespaces/shop/configmaps/settings");
  const cm = { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "settings", namespace: "shop", uid: "u-2" } };
  const [withObject, next] = update(m, { type: "result", id: get?.id ?? "", value: cm });
  const [events] = gets(next);
  assert.match(events?.path ?? "", /involvedObject.kind%3DConfigMap/);
  const shown = send(withObject, { type: "result", id: events?.id ?? "", value: undefined, error: "forbidden" });
  const text = describeOf(shown).text ?? "";
  assert.match(text, /^Name:\s+settings\n/);
  assert.match(text, /\nEvents:\s+<none>$/);
});

test("a row change fetches again and keeps the scroll; deletion keeps the text and says it is gone", () => {
  const { repo, model } = cluster({ width: 80, height: 8 });
  const [m, effects] = openDescribe(model, "pods");
  const first = gets(effects)[0]?.id ?? "";
  const [a, e1] = update(m, { type: "result", id: first, value: pod() });
  let s = send(a, { type: "result", id: gets(e1)[0]?.id ?? "", value: { items: [event] } });
  s = type(s, "jjj");
  assert.equal(describeOf(s).scroll, 3);
  repo.setPods([makePod({ namespace: "shop", name: "api-1", createdAt: NOW - 1000, ready: "0/1" })]);
  const [changed, again] = update(s, { type: "data", now: NOW });
  const [get] = gets(again);
  assert.equal(get?.path, "/api/v1/namespaces/shop/pods/api-1");
  assert.notEqual(get?.id, first);
  const [b, e2] = update(changed, { type: "result", id: get?.id ?? "", value: pod("nginx:1.28") });
  assert.ok(describeOf(b).text?.includes("nginx:1.27"), "the old text stays until the round is complete");
  // A stale answer of the first round changes nothing.
  const stale = send(b, { type: "result", id: gets(e1)[0]?.id ?? "", value: { items: [] } });
  assert.ok(describeOf(stale).text?.includes("nginx:1.27"));
  s = send(b, { type: "result", id: gets(e2)[0]?.id ?? "", value: { items: [] } });
  assert.ok(describeOf(s).text?.includes("nginx:1.28"));
  assert.equal(describeOf(s).scroll, 3, "the scroll stays");
  repo.setPods([]);
  const gone = send(s, { type: "data", now: NOW });
  assert.ok(describeOf(gone).gone);
  assert.match(plain(view(gone)).join("\n"), /Pod api-1 is gone from the cluster; this is its last description/);
  assert.ok(describeOf(gone).text?.includes("nginx:1.28"));
});

test("/ search with n/N, Ctrl-S saves the text, c copies it", () => {
  const { model } = cluster({ width: 80, height: 8 });
  const [m, effects] = openDescribe(model, "pods");
  const [a, e1] = update(m, { type: "result", id: gets(effects)[0]?.id ?? "", value: pod() });
  const s = send(a, { type: "result", id: gets(e1)[0]?.id ?? "", value: { items: [event] } });
  const searched = type(s, "/pulled<enter>");
  assert.match(plain(view(searched)).at(-1) ?? "", /search pulled {2}1\/1 lines match/);
  assert.ok(describeOf(searched).scroll > 0, "went to the match near the bottom");
  assert.match(plain(view(type(searched, "n"))).at(-1) ?? "", /1\/1 lines match/);
  const [, saveEffects] = update(s, { type: "key", name: "s", ctrl: true, alt: false, shift: false });
  const save = saveEffects[0];
  assert.ok(save && save.type === "save");
  assert.equal(save.path, "ctx-pods-shop-api-1-describe-20260101T120000Z.txt");
  assert.equal(save.text, `${describeOf(s).text}\n`);
  const [, copy] = update(s, { type: "key", name: "c", ctrl: false, alt: false, shift: false, text: "c" });
  assert.deepEqual(copy, [{ type: "clipboard", text: describeOf(s).text }]);
});
