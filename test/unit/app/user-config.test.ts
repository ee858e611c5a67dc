// Aliases, hotkeys and plugins through the root (pure: keys in, models and effects out).
import assert from "node:assert/strict";
import { test } from "node:test";
import { parseCommand } from "../../../src/app/commands.ts";
import { substitute } from "../../../src/app/plugins.ts";
import { allBindings, newRootModel, type RootModel, top, update, view } from "../../../src/app/root.ts";
import { DEFAULT_CONFIG, type Plugin, parseShortCut, type UserConfig } from "../../../src/app/user-config.ts";
import { TableView } from "../../../src/app/views/table.ts";
import { makePod, StaticRepository } from "../../../src/repository/static-repository.ts";
import { effectsOf, NOW, type } from "./helpers.ts";

const repo = () =>
  new StaticRepository({
    pods: [
      makePod({ name: "web-1", namespace: "shop", phase: "Running", createdAt: NOW - 60_000 }),
      makePod({ name: "crashy", namespace: "shop", status: "CrashLoopBackOff", createdAt: NOW - 120_000 }),
      makePod({ name: "dns", namespace: "kube-system", createdAt: NOW - 180_000 }),
    ],
    contextName: "prod",
    clusterName: "prod-cluster",
    now: () => NOW,
  });

function model(config: Partial<UserConfig>): RootModel {
  return newRootModel(repo(), { width: 160, height: 20, now: NOW, config: { ...DEFAULT_CONFIG, ...config } });
}

const tableOf = (m: RootModel) => {
  const v = top(m);
  assert.ok(v instanceof TableView);
  return v;
};

const plugin = (over: Partial<Plugin>): Plugin => ({
  name: "stern",
  key: parseShortCut("Shift-K") as Plugin["key"],
  shortCut: "Shift-K",
  description: "Logs with stern",
  scopes: ["pods"],
  command: "stern",
  args: ["--tail", "50", "$FILTER", "-n", "$NAMESPACE", "--context", "$CONTEXT"],
  background: false,
  confirm: false,
  dangerous: false,
  ...over,
});

test("parseCommand: a /filter after the kind (and namespace) is the rest of the line", () => {
  assert.deepEqual(parseCommand(repo(), "pods /CrashLoop"), { type: "kind", kind: "pods", filter: "CrashLoop" });
  assert.deepEqual(parseCommand(repo(), "pods shop /a b"), {
    type: "kind",
    kind: "pods",
    namespace: "shop",
    filter: "a b",
  });
  assert.deepEqual(parseCommand(repo(), "pods"), { type: "kind", kind: "pods" });
});

test(":dp opens deployments through its alias; :crashing opens pods filtered", () => {
  const m0 = model({ aliases: { dp: "deployments", crashing: "pods /CrashLoop", sys: "pods kube-system" } });
  const dp = type(m0, ":dp<enter>");
  assert.equal(tableOf(dp).source.kind, "deployments.apps");
  const crashing = type(type(m0, ":dp<enter>"), ":crashing<enter>");
  assert.equal(tableOf(crashing).source.kind, "pods");
  assert.equal(tableOf(crashing).filterText, "CrashLoop");
  assert.deepEqual(tableOf(crashing).filtered.length > 0 ? [tableOf(crashing).selected?.name] : [], ["crashy"]);
  const sys = type(m0, ":sys<enter>");
  assert.equal(sys.namespace, "kube-system");
});

test("aliases are offered by Tab completion", () => {
  const m = type(model({ aliases: { dpx: "deployments" } }), ":dp<tab>");
  assert.ok(m.prompt?.completions.includes("dpx"), String(m.prompt?.completions));
});

test("a hotkey runs its command and is listed in ? under Hotkeys", () => {
  const key = parseShortCut("Shift-0");
  assert.deepEqual(key, { name: ")" });
  const m0 = model({
    hotkeys: [
      {
        name: "sys",
        key: key as Plugin["key"],
        shortCut: "Shift-0",
        description: "system pods",
        command: "pods kube-system",
      },
    ],
  });
  const m = type(m0, ")");
  assert.equal(m.namespace, "kube-system");
  assert.equal(tableOf(m).source.kind, "pods");
  const help = type({ ...m0, height: 80 }, "?");
  assert.ok(
    view(help).some((line) => line.includes("system pods")),
    "the hotkey is in the help",
  );
});

test("a hotkey on a built-in key is left out", () => {
  const m0 = model({
    hotkeys: [{ name: "x", key: { name: "j" }, shortCut: "j", description: "nope", command: "deployments" }],
  });
  assert.equal(tableOf(type(m0, "j")).source.kind, "pods");
  assert.ok(!allBindings(m0).some((b) => b.label.startsWith("nope")));
});

test("substitute: $VARS and braced VARS replaced, unknown ones left for a shell", () => {
  const vars = new Map([
    ["NAME", "web-1"],
    ["NAMESPACE", "shop"],
    ["COL-STATUS", "Running"],
  ]);
  assert.equal(substitute("$NAMESPACE/$NAME", vars), "shop/web-1");
  assert.equal(substitute(`$${"{"}NAME}-x $HOME $COL-STATUS`, vars), "web-1-x $HOME Running");
});

test("a plugin runs in the foreground with its variables: the exec effect, as data", () => {
  const m0 = model({
    plugins: [
      plugin({ args: ["logs", "$NAME", "-n", "$NAMESPACE", "--context", "$CONTEXT", "$CLUSTER", "$COL-STATUS"] }),
    ],
  });
  const m = type(m0, "j");
  const effects = effectsOf(m, { type: "key", name: "K", ctrl: false, alt: false, shift: false, text: "K" });
  assert.deepEqual(effects, [
    {
      type: "exec",
      id: "plugin:stern",
      command: "stern",
      args: ["logs", "crashy", "-n", "shop", "--context", "prod", "prod-cluster", "CrashLoopBackOff"],
      env: {},
    },
  ]);
  const [after] = update(m, { type: "exited", id: "plugin:stern", code: 2 });
  assert.deepEqual(after.message, { text: "stern: exited with 2", error: true });
});

test("plugin scopes: only in the views they name (kind, short name or all)", () => {
  const m0 = model({
    plugins: [
      plugin({ name: "pods-only", scopes: ["po"] }),
      plugin({ name: "deploys", key: { name: "x", ctrl: true }, scopes: ["deploy"] }),
      plugin({ name: "everywhere", key: { name: "X" }, scopes: ["all"], description: "anywhere" }),
    ],
  });
  const labels = (m: RootModel) =>
    allBindings(m)
      .filter((b) => b.section === "Plugins")
      .map((b) => b.label);
  assert.deepEqual(labels(m0), ["Logs with stern", "anywhere"]);
  const deploy = type(m0, ":deploy<enter>");
  assert.deepEqual(labels(deploy), ["Logs with stern", "anywhere"]);
  assert.deepEqual(
    allBindings(deploy)
      .filter((b) => b.section === "Plugins")
      .map((b) => b.keys[0]?.name),
    ["x", "X"],
    "deploys' plugin and the all-scoped one",
  );
});

test("confirm: the plugin asks first; y runs it, any other key cancels", () => {
  const m0 = model({ plugins: [plugin({ confirm: true, background: true })] });
  const ctrlL = { type: "key" as const, name: "K", ctrl: false, alt: false, shift: false, text: "K" };
  const [asking, none] = update(m0, ctrlL);
  assert.deepEqual(none, []);
  assert.ok(asking.confirm?.text.startsWith("run stern: stern --tail 50"));
  assert.ok(view(asking).at(-1)?.includes("run stern"));
  const yes = effectsOf(asking, { type: "key", name: "y", ctrl: false, alt: false, shift: false, text: "y" });
  assert.equal(yes.length, 1);
  assert.equal(yes[0]?.type, "spawn");
  const [cancelled, nothing] = update(asking, { type: "key", name: "n", ctrl: false, alt: false, shift: false });
  assert.deepEqual(nothing, []);
  assert.equal(cancelled.confirm, null);
});

test("dangerous plugins are hidden in a read-only context", () => {
  const dangerous = plugin({ dangerous: true, description: "delete it" });
  const has = (m: RootModel) => allBindings(m).some((b) => b.label.startsWith("delete it"));
  assert.ok(has(model({ plugins: [dangerous] })));
  assert.ok(!has(model({ plugins: [dangerous], readOnly: true })));
  assert.ok(!has(model({ plugins: [dangerous], contexts: { prod: { readOnly: true } } })));
  assert.ok(has(model({ plugins: [dangerous], readOnly: true, contexts: { prod: { readOnly: false } } })));
});

test("contexts: favourites seed 1–9, defaultNamespace the scope, defaultView the first view", () => {
  const m = model({
    contexts: {
      prod: { favoriteNamespaces: ["kube-system", "shop"], defaultNamespace: "shop", defaultView: "deploy" },
    },
  });
  assert.equal(m.namespace, "shop");
  assert.deepEqual(m.recent, ["shop", "kube-system"]);
  assert.equal(tableOf(m).source.kind, "deployments.apps");
  const filtered = model({ defaultView: "pods all /crash" });
  assert.equal(filtered.namespace, undefined);
  assert.equal(tableOf(filtered).filterText, "crash");
});

test("config problems show on the message line at start", () => {
  const m = model({ problems: ["a.yaml:3: bad", "b.yaml:1: worse"] });
  assert.deepEqual(m.message, { text: "a.yaml:3: bad (and 1 more: timoneiro info)", error: true });
});
