// The YAML view (`y` on a row): pure tests over a StaticRepository; effects are asserted as data and their results
// sent back as messages.
import assert from "node:assert/strict";
import { test } from "node:test";
import { helpSections } from "../../../src/app/bindings.ts";
import { allBindings, newRootModel, type RootEffect, type RootModel, update, view } from "../../../src/app/root.ts";
import { MASK, YamlView } from "../../../src/app/views/yaml.ts";
import { makePod, StaticRepository } from "../../../src/repository/static-repository.ts";
import type { BaseRow } from "../../../src/resources/types.ts";
import { NOW, plain, send, type } from "./helpers.ts";

function row(namespace: string, name: string, extra: Record<string, unknown> = {}): BaseRow {
  return { namespace, name, uid: `${namespace}/${name}`, createdAt: NOW - 3600_000, ...extra } as BaseRow;
}

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

function cluster(size = { width: 80, height: 14 }) {
  const repo = new StaticRepository({
    contextName: "ctx",
    clusterName: "cl",
    now: () => NOW,
    pods: [makePod({ namespace: "shop", name: "api-1", createdAt: NOW - 1000 })],
    rows: {
      deployments: [row("shop", "api")],
      nodes: [row("", "n1")],
      secrets: [row("shop", "creds")],
      wdg: [row("shop", "w1")],
    },
    extraKinds: [{ kind: widgets, columns: [{ name: "SIZE", priority: 0, cell: () => "3" }] }],
  });
  return { repo, model: newRootModel(repo, { ...size, now: NOW }) };
}

/** `y` on the first row of `kind` (after `:kind`): the model and the effects of `y`. */
function openYaml(model: RootModel, kind: string): [RootModel, RootEffect[]] {
  const m = kind === "pods" ? model : type(model, `:${kind}<enter>`);
  return update(m, { type: "key", name: "y", ctrl: false, alt: false, shift: false, text: "y" });
}

function getOf(effects: RootEffect[]): { id: string; path: string } {
  const get = effects.find((e) => e.type === "get");
  assert.ok(get && get.type === "get", `a GET among ${JSON.stringify(effects)}`);
  return get;
}

const yamlOf = (m: RootModel) => m.stack.at(-1) as YamlView;
const body = (m: RootModel) => plain(view(m)).slice(3, -1);

function bigDeployment(replicas = 3) {
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: {
      name: "api",
      namespace: "shop",
      labels: { app: "api" },
      managedFields: [{ manager: "kubectl", operation: "Apply" }],
    },
    spec: {
      replicas,
      paused: false,
      template: { spec: { containers: Array.from({ length: 20 }, (_, i) => ({ name: `c${i}`, image: `img:${i}` })) } },
    },
  };
}

test("y emits the GET of the object: a namespaced core kind, a group kind, a cluster-scoped kind, a CRD", () => {
  const { model } = cluster();
  const [pod, podEffects] = openYaml(model, "pods");
  assert.ok(pod.stack.at(-1) instanceof YamlView);
  assert.equal(getOf(podEffects).path, "/api/v1/namespaces/shop/pods/api-1");
  assert.equal(getOf(openYaml(model, "deploy")[1]).path, "/apis/apps/v1/namespaces/shop/deployments/api");
  assert.equal(getOf(openYaml(model, "nodes")[1]).path, "/api/v1/nodes/n1");
  assert.equal(getOf(openYaml(model, "wdg")[1]).path, "/apis/demo.example/v1/namespaces/shop/widgets/w1");
  assert.match(plain(view(pod)).join("\n"), /Loading the YAML…/);
});

test("the result renders as YAML; managedFields are hidden until m shows them", () => {
  const { model } = cluster();
  const [m, effects] = openYaml(model, "deploy");
  const shown = send(m, { type: "result", id: getOf(effects).id, value: bigDeployment() });
  const lines = body(shown);
  assert.equal(lines[0], "apiVersion: apps/v1");
  assert.equal(lines[1], "kind: Deployment");
  assert.ok(lines.includes("  labels:"));
  assert.ok(lines.includes("    app: api"));
  assert.ok(!lines.some((l) => l.includes("managedFields")), "hidden by default");
  assert.match(plain(view(shown))[0] ?? "", /YAML of Deployment shop\/api/);
  const withManaged = type(shown, "m");
  assert.ok(body(withManaged).some((l) => l.includes("managedFields:")));
  assert.ok(!body(type(withManaged, "m")).some((l) => l.includes("managedFields")), "m again hides them");
  // Colours: keys cyan, strings green, numbers magenta, booleans yellow.
  const raw = view(shown).join("\n");
  assert.ok(raw.includes("\x1b[0;36mapiVersion"), "keys are cyan");
  assert.ok(raw.includes("\x1b[0;32mapps/v1"), "strings are green");
  const top = type(shown, "G");
  assert.ok(view(top).join("\n").includes("\x1b[0;32mimg:19"), "G goes to the bottom");
  assert.equal(yamlOf(type(shown, "jj")).scroll, 2);
  assert.ok(view(type(shown, "jjjjj")).join("\n").includes("\x1b[0;35m3"), "numbers are magenta");
  assert.ok(view(type(shown, "jjjjj")).join("\n").includes("\x1b[0;33mfalse"), "booleans are yellow");
});

test("a secret's values are masked until x decodes them; binary values say so", () => {
  const { model } = cluster();
  const [m, effects] = openYaml(model, "secrets");
  const secret = {
    apiVersion: "v1",
    kind: "Secret",
    metadata: { name: "creds", namespace: "shop" },
    data: { password: Buffer.from("hunter2").toString("base64"), blob: Buffer.from([0, 1, 2, 255]).toString("base64") },
    stringData: { token: "plain" },
    type: "Opaque",
  };
  const shown = send(m, { type: "result", id: getOf(effects).id, value: secret });
  const text = body(shown).join("\n");
  assert.ok(text.includes(`password: ${MASK}`));
  assert.ok(text.includes(`token: ${MASK}`));
  assert.ok(!text.includes("hunter2") && !text.includes(secret.data.password) && !text.includes("plain"));
  const decoded = body(type(shown, "x")).join("\n");
  assert.ok(decoded.includes("password: hunter2"));
  assert.ok(decoded.includes("blob: '<binary: 4 bytes>'") || decoded.includes('blob: "<binary: 4 bytes>"'));
  assert.ok(decoded.includes("token: plain"));
  assert.ok(body(type(shown, "xx")).join("\n").includes(`password: ${MASK}`), "x again masks");
  const help = helpSections(allBindings(shown)).flatMap((s) => s.entries.map(([k, l]) => `${k} ${l}`));
  assert.ok(help.some((e) => e.startsWith("x decode")));
});

test("/ search highlights every match on screen; n and N move between matches and wrap", () => {
  const { model } = cluster({ width: 80, height: 10 });
  const [m, effects] = openYaml(model, "deploy");
  const shown = send(m, { type: "result", id: getOf(effects).id, value: bigDeployment() });
  const typing = type(shown, "/img:1");
  assert.ok(yamlOf(typing).capturesInput());
  let s = type(typing, "<enter>");
  assert.ok(!yamlOf(s).capturesInput());
  // Lines with "img:1": img:1 and img:10..img:19 → 11 lines; the first is shown, highlighted.
  assert.match(plain(view(s)).at(-1) ?? "", /search img:1 {2}1\/11 lines match/);
  const firstLine = body(s).findIndex((l) => l.endsWith("image: img:1"));
  assert.ok(firstLine >= 0, "the first match is on screen");
  const raw = view(s).join("\n");
  assert.ok(raw.includes("\x1b[0;1;7;32mimg:1"), "the current match stands out");
  s = type(s, "n");
  assert.match(plain(view(s)).at(-1) ?? "", /2\/11/);
  assert.ok(body(s).some((l) => l.endsWith("image: img:10")));
  assert.ok(view(s).join("\n").includes("\x1b[0;1;7;33mimg:1"), "other matches on screen are highlighted too");
  s = type(s, "NN");
  assert.match(plain(view(s)).at(-1) ?? "", /11\/11/, "N from the first wraps to the last");
  assert.ok(body(s).some((l) => l.endsWith("image: img:19")));
  s = type(s, "n");
  assert.match(plain(view(s)).at(-1) ?? "", /1\/11/, "n from the last wraps to the first");
  const cleared = type(s, "<esc>");
  assert.ok(cleared.stack.at(-1) instanceof YamlView, "Esc first clears the search");
  assert.ok(!view(cleared).join("\n").includes(";7;33m"));
  assert.ok(!(type(cleared, "<esc>").stack.at(-1) instanceof YamlView), "then Esc goes back");
});

test("a row change GETs again and keeps the scroll; deletion keeps the YAML and says it is gone", () => {
  const { repo, model } = cluster({ width: 80, height: 10 });
  const [m, effects] = openYaml(model, "deploy");
  let s = send(m, { type: "result", id: getOf(effects).id, value: bigDeployment(3) });
  s = type(s, "jjjjjjjjjj");
  assert.equal(yamlOf(s).scroll, 10);
  repo.setRows("deployments", [row("shop", "api", { ready: 2 })]);
  const [changed, again] = update(s, { type: "data", now: NOW });
  const get = getOf(again);
  assert.equal(get.path, "/apis/apps/v1/namespaces/shop/deployments/api");
  assert.notEqual(get.id, getOf(effects).id);
  assert.deepEqual(update(changed, { type: "data", now: NOW })[1], [], "the same rows: no new GET");
  s = send(changed, { type: "result", id: get.id, value: bigDeployment(5) });
  assert.equal(yamlOf(s).scroll, 10, "the scroll stays");
  assert.ok(yamlOf(s).text?.includes("replicas: 5"));
  // A stale answer to the first GET is ignored.
  assert.ok(
    yamlOf(send(s, { type: "result", id: getOf(effects).id, value: bigDeployment(1) })).text?.includes("replicas: 5"),
  );
  repo.setRows("deployments", []);
  const gone = send(s, { type: "data", now: NOW });
  assert.ok(yamlOf(gone).gone);
  const text = plain(view(gone)).join("\n");
  assert.match(text, /Deployment api is gone from the cluster; this is the last YAML it had/);
  assert.match(plain(view(gone))[0] ?? "", /\(gone\)/);
  assert.ok(yamlOf(gone).text?.includes("replicas: 5"), "the last YAML stays");
});

test("Ctrl-S emits the save effect, and its result says where; c copies over the clipboard effect", () => {
  const { model } = cluster();
  const [m, effects] = openYaml(model, "deploy");
  const s = send(m, { type: "result", id: getOf(effects).id, value: bigDeployment() });
  const [saving, saveEffects] = update(s, { type: "key", name: "s", ctrl: true, alt: false, shift: false });
  assert.equal(saveEffects.length, 1);
  const save = saveEffects[0];
  assert.ok(save && save.type === "save");
  assert.equal(save.path, "ctx-deployments.apps-shop-api-20260101T120000Z.yaml");
  assert.equal(save.text, yamlOf(s).text);
  assert.ok(save.text.startsWith("apiVersion: apps/v1\n"));
  const saved = send(saving, { type: "result", id: save.id, value: "/tmp/dumps/x.yaml" });
  assert.match(plain(view(saved)).at(-1) ?? "", /saved to \/tmp\/dumps\/x\.yaml/);
  const failed = send(saving, { type: "result", id: save.id, value: undefined, error: "EACCES" });
  assert.match(plain(view(failed)).at(-1) ?? "", /save: EACCES/);
  const [copied, copyEffects] = update(s, { type: "key", name: "c", ctrl: false, alt: false, shift: false, text: "c" });
  assert.deepEqual(copyEffects, [{ type: "clipboard", text: yamlOf(s).text }]);
  const lines = (yamlOf(s).text ?? "").split("\n").length - 1;
  assert.match(plain(view(copied)).at(-1) ?? "", new RegExp(`copied ${lines} lines`));
});

test("line numbers toggle, long lines are cut with …, and the help lists the view's keys", () => {
  const { model } = cluster({ width: 40, height: 10 });
  const [m, effects] = openYaml(model, "pods");
  const pod = { apiVersion: "v1", kind: "Pod", metadata: { name: "api-1", annotations: { a: "x".repeat(5000) } } };
  const s = send(m, { type: "result", id: getOf(effects).id, value: pod });
  const lines = body(s);
  const long = lines.find((l) => l.startsWith("    a: "));
  assert.ok(long?.endsWith("…"));
  assert.equal(long?.length, 40);
  const numbered = body(type(s, "#"));
  assert.equal(numbered[0], "1 apiVersion: v1");
  assert.equal(body(type(s, "##"))[0], "apiVersion: v1");
  const help = helpSections(allBindings(s))
    .flatMap((section) => section.entries.map(([k, label]) => `${k} ${label}`))
    .join("\n");
  for (const needle of [
    "m show metadata.managedFields",
    "# show line numbers",
    "Ctrl-S save the YAML",
    "c copy the YAML",
    "/ search",
  ]) {
    assert.ok(help.includes(needle), needle);
  }
  const table = helpSections(allBindings(model)).flatMap((section) => section.entries.map(([k]) => k));
  assert.ok(table.includes("y"), "the table offers y");
});
