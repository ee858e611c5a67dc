// kubectl's resource names, over kinds in discovery's priority order (core v1 first, then the server's groups).
import assert from "node:assert/strict";
import { test } from "node:test";
import { type ApiKind, kindKey } from "../../../src/kube/kinds.ts";
import { completeKindNames, resolveKind, resolveKindAll } from "../../../src/kube/resolve.ts";

function kind(
  group: string,
  version: string,
  resource: string,
  kindName: string,
  shortNames: string[] = [],
  versions?: string[],
): ApiKind {
  return {
    key: kindKey(group, resource),
    group,
    version,
    resource,
    singular: kindName.toLowerCase(),
    kind: kindName,
    namespaced: true,
    shortNames,
    verbs: ["list", "watch"],
    categories: [],
    ...(versions && { versions }),
  };
}

const kinds: ApiKind[] = [
  kind("", "v1", "pods", "Pod", ["po"]),
  kind("", "v1", "events", "Event", ["ev"]),
  kind("", "v1", "services", "Service", ["svc"]),
  kind("apps", "v1", "deployments", "Deployment", ["deploy"]),
  kind("events.k8s.io", "v1", "events", "Event", ["ev"]),
  kind("autoscaling", "v2", "horizontalpodautoscalers", "HorizontalPodAutoscaler", ["hpa"], ["v2", "v1"]),
  kind("storage.k8s.io", "v1", "storageclasses", "StorageClass", ["sc"]),
  kind("demo.timoneiro.dev", "v1", "widgets", "Widget", ["wd"]),
  // A CRD whose short name is someone else's plural: the exact plural wins in kubectl.
  kind("prank.example.com", "v1", "pranks", "Prank", ["pods"]),
];

const key = (name: string) => resolveKind(kinds, name)?.key;

test("plural, singular, short name and Kind (any case) name the same kind", () => {
  for (const name of ["deployments", "deployment", "deploy", "Deployment", "DEPLOYMENTS", " deploy "]) {
    assert.equal(key(name), "deployments.apps", name);
  }
  assert.equal(key("HorizontalPodAutoscaler"), "horizontalpodautoscalers.autoscaling");
  assert.equal(key("nothing"), undefined);
  assert.equal(key(""), undefined);
  assert.equal(key("."), undefined);
});

test("core v1 wins over a group serving the same name, as in kubectl's RESTMapper priority", () => {
  assert.equal(key("events"), "events");
  assert.equal(key("event"), "events");
  assert.equal(key("ev"), "events");
  assert.equal(key("Event"), "events");
  assert.deepEqual(
    resolveKindAll(kinds, "events").map((k) => k.key),
    ["events", "events.events.k8s.io"],
  );
});

test("an exact plural beats another kind's short name", () => {
  assert.equal(key("pods"), "pods");
  assert.equal(key("pranks"), "pranks.prank.example.com");
});

test("name.group with any name form, and a group given as a prefix", () => {
  assert.equal(key("deploy.apps"), "deployments.apps");
  assert.equal(key("deployments.apps"), "deployments.apps");
  assert.equal(key("events.events.k8s.io"), "events.events.k8s.io");
  assert.equal(key("ev.events.k8s.io"), "events.events.k8s.io");
  assert.equal(key("widgets.demo.timoneiro.dev"), "widgets.demo.timoneiro.dev");
  assert.equal(key("widget.demo.timoneiro.dev"), "widgets.demo.timoneiro.dev");
  assert.equal(key("wd.demo.timoneiro.dev"), "widgets.demo.timoneiro.dev");
  assert.equal(key("hpa.autoscal"), "horizontalpodautoscalers.autoscaling");
  assert.equal(key("storageclass.storage"), "storageclasses.storage.k8s.io");
  assert.equal(key("deploy.batch"), undefined);
});

test("name.version.group picks that version; a version the group does not serve falls back to name.group", () => {
  assert.deepEqual(pick(resolveKind(kinds, "deployments.v1.apps")), ["deployments.apps", "v1"]);
  assert.deepEqual(pick(resolveKind(kinds, "hpa.v1.autoscaling")), ["horizontalpodautoscalers.autoscaling", "v1"]);
  assert.deepEqual(pick(resolveKind(kinds, "horizontalpodautoscalers.v2.autoscaling")), [
    "horizontalpodautoscalers.autoscaling",
    "v2",
  ]);
  assert.equal(resolveKind(kinds, "deployments.v9.apps"), undefined);
  assert.deepEqual(pick(resolveKind(kinds, "Deployment.v1.apps")), ["deployments.apps", "v1"]);
  assert.deepEqual(pick(resolveKind(kinds, "Deployment.apps")), ["deployments.apps", "v1"]);
});

function pick(k: ApiKind | undefined) {
  return k && [k.key, k.version];
}

test("completion offers plural names and keys starting with the prefix; a name that resolves comes first", () => {
  assert.deepEqual(completeKindNames(kinds, "de"), ["deployments", "deployments.apps"]);
  assert.deepEqual(completeKindNames(kinds, "deploy"), ["deployments", "deployments.apps"]);
  assert.deepEqual(completeKindNames(kinds, "ev"), ["events", "events.events.k8s.io"]);
  assert.deepEqual(completeKindNames(kinds, "events."), ["events.events.k8s.io"]);
  assert.deepEqual(completeKindNames(kinds, "hpa"), ["horizontalpodautoscalers"]);
  assert.deepEqual(completeKindNames(kinds, "W"), ["widgets", "widgets.demo.timoneiro.dev"]);
  assert.deepEqual(completeKindNames(kinds, "zzz"), []);
  assert.equal(completeKindNames(kinds, "").length, new Set(kinds.flatMap((k) => [k.resource, k.key])).size);
});
