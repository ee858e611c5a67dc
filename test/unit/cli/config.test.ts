// The config folder's files: valid ones, broken ones (file:line: what), unknown keys, a k9s plugins.yaml as it is,
// and `timoneiro info` from the built CLI.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { builtinKeys } from "../../../src/cli/config/builtin.ts";
import { configDir, loadConfig } from "../../../src/cli/config/index.ts";
import { aliasCommand, parseHotkeys, parseMainConfig, parsePlugins } from "../../../src/cli/config/parse.ts";

const ROOT = join(import.meta.dirname, "..", "..", "..");

test("configDir: $TIMONEIRO_CONFIG_DIR, else $XDG_CONFIG_HOME/timoneiro, else ~/.config/timoneiro", () => {
  assert.equal(configDir({ TIMONEIRO_CONFIG_DIR: "/c", XDG_CONFIG_HOME: "/x", HOME: "/h" }).dir, "/c");
  assert.equal(configDir({ XDG_CONFIG_HOME: "/x", HOME: "/h" }).dir, "/x/timoneiro");
  assert.equal(configDir({ HOME: "/h" }).dir, "/h/.config/timoneiro");
});

test("config.yaml: every setting, and a context's", () => {
  const text = `skin: dracula
refreshAges: 2
logBuffer: {lines: 5000, bytes: 1000000}
defaultView: pods kube-system
readOnly: true
contexts:
  prod:
    readOnly: false
    favoriteNamespaces: [shop, kube-system]
    defaultNamespace: shop
    defaultView: deploy
`;
  const { settings, problems } = parseMainConfig(text, "config.yaml");
  assert.deepEqual(problems, []);
  assert.deepEqual(settings, {
    skin: "dracula",
    refreshAges: 2,
    logBuffer: { lines: 5000, bytes: 1000000 },
    defaultView: "pods kube-system",
    readOnly: true,
    contexts: {
      prod: {
        readOnly: false,
        favoriteNamespaces: ["shop", "kube-system"],
        defaultNamespace: "shop",
        defaultView: "deploy",
      },
    },
  });
});

test("config.yaml: wrong values and unknown keys, each with its line; the rest is kept", () => {
  const text =
    "skin: dark\ncolour: red\nrefreshAges: soon\nreadOnly: yes please\ncontexts:\n  a:\n    readonly: true\n";
  const { settings, problems } = parseMainConfig(text, "~/.config/timoneiro/config.yaml");
  assert.deepEqual(problems, [
    '~/.config/timoneiro/config.yaml:2: unknown key "colour"',
    "~/.config/timoneiro/config.yaml:3: refreshAges must be a number above 0",
    "~/.config/timoneiro/config.yaml:4: readOnly must be true or false",
    '~/.config/timoneiro/config.yaml:7: unknown key "readonly"',
  ]);
  assert.equal(settings.skin, "dark");
});

test("a YAML syntax error is one line with its line number", () => {
  const { problems } = parseMainConfig("skin: a\nrefreshAges: [1\n", "c.yaml");
  assert.equal(problems.length >= 1, true);
  assert.match(problems[0] as string, /^c\.yaml:\d+: /);
});

test("hotkeys.yaml: k9s's shape; a key that is not a key, a built-in key, a missing command", () => {
  const text = `hotKeys:
  sys:
    shortCut: Shift-0
    description: System pods
    command: pods kube-system
  dp:
    shortCut: Shift-1
    description: Deployments
    command: dp
    keepHistory: true
  typo:
    description: oops
    command: pods
    shortCut: Shft-0
  taken:
    shortCut: j
    command: pods
  nothing:
    shortCut: Shift-2
`;
  const { hotkeys, problems } = parseHotkeys(text, "~/.config/timoneiro/hotkeys.yaml", (k) => k.name === "j");
  assert.deepEqual(
    hotkeys.map((h) => [h.name, h.key.name, h.command]),
    [
      ["sys", ")", "pods kube-system"],
      ["dp", "!", "dp"],
    ],
  );
  assert.deepEqual(problems, [
    '~/.config/timoneiro/hotkeys.yaml:14: shortCut "Shft-0" is not a key',
    '~/.config/timoneiro/hotkeys.yaml:16: shortCut "j" of hotkey taken is a built-in key: skipped',
    "~/.config/timoneiro/hotkeys.yaml:19: hotkey nothing has no command",
  ]);
});

test("aliases: k9s's group/version/resource targets become kinds; whole commands stay", () => {
  assert.equal(aliasCommand("apps/v1/deployments"), "deployments.apps");
  assert.equal(aliasCommand("v1/pods"), "pods");
  assert.equal(aliasCommand("pods /CrashLoop"), "pods /CrashLoop");
});

// A plugins.yaml as k9s's documentation writes them: stern, dive, a dangerous one; unsupported fields are ignored.
const K9S_PLUGINS = `plugins:
  # Logs with stern
  stern:
    shortCut: Ctrl-T
    confirm: false
    description: "Logs <Stern>"
    scopes:
      - pods
    command: stern
    background: false
    args:
      - --tail
      - 50
      - $FILTER
      - -n
      - $NAMESPACE
      - --context
      - $CONTEXT
  dive:
    shortCut: d
    confirm: false
    description: "Dive image"
    scopes:
      - containers
    command: dive
    background: false
    args:
      - $COL-IMAGE
  remove-finalizers:
    shortCut: Ctrl-X
    confirm: true
    dangerous: true
    scopes:
      - all
    description: Removes all finalizers
    command: kubectl
    background: true
    overwriteOutput: true
    args:
      - patch
      - --context
      - $CONTEXT
      - --namespace
      - $NAMESPACE
      - $RESOURCE_NAME
      - $NAME
      - -p
      - '{"metadata":{"finalizers":null}}'
      - --type
      - merge
  debug:
    shortCut: Shift-D
    description: Add debug container
    dangerous: true
    scopes:
      - containers
    command: bash
    background: false
    confirm: true
    args:
      - -c
      - "kubectl debug -it --context $CONTEXT -n=$NAMESPACE $POD --target=$NAME --image=nicolaka/netshoot:v0.13 --share-processes -- bash"
`;

test("plugins.yaml: a k9s user's file works as it is", () => {
  const { plugins, problems } = parsePlugins(K9S_PLUGINS, "plugins.yaml");
  assert.deepEqual(problems, []);
  assert.deepEqual(
    plugins.map((p) => [p.name, p.key, p.scopes, p.background, p.confirm, p.dangerous]),
    [
      ["stern", { name: "t", ctrl: true }, ["pods"], false, false, false],
      ["dive", { name: "d" }, ["containers"], false, false, false],
      ["remove-finalizers", { name: "x", ctrl: true }, ["all"], true, true, true],
      ["debug", { name: "D" }, ["containers"], false, true, true],
    ],
  );
  assert.deepEqual(plugins[0]?.args, ["--tail", "50", "$FILTER", "-n", "$NAMESPACE", "--context", "$CONTEXT"]);
});

test("plugins.yaml: missing fields and bad keys leave the plugin out, with a line each", () => {
  const text =
    "plugins:\n  a:\n    shortCut: Ctrl-Q\n    description: x\n    command: ls\n  b:\n    shortCut: Ctl-Q\n    scopes: [pods]\n    command: ls\n    colour: red\n";
  const { plugins, problems } = parsePlugins(text, "p.yaml");
  assert.deepEqual(plugins, []);
  assert.deepEqual(problems, [
    "p.yaml:3: plugin a has no scopes",
    'p.yaml:10: unknown key "colour"',
    'p.yaml:7: shortCut "Ctl-Q" is not a key',
  ]);
});

function tempConfig(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "timoneiro-config-"));
  mkdirSync(dir, { recursive: true });
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

test("loadConfig: the folder's files together; a broken file loses only what is broken", () => {
  const dir = tempConfig({
    "config.yaml": "readOnly: true\n",
    "aliases.yaml": "aliases:\n  dp: deployments\n  crashing: pods /CrashLoop\n",
    "hotkeys.yaml": "hotKeys:\n  q:\n    shortCut: q\n    command: pods\n",
    "plugins.yaml": K9S_PLUGINS,
  });
  try {
    const config = loadConfig({ env: { TIMONEIRO_CONFIG_DIR: dir, HOME: "/nowhere" }, builtinKeys });
    assert.equal(config.readOnly, true);
    assert.deepEqual(config.aliases, { dp: "deployments", crashing: "pods /CrashLoop" });
    assert.deepEqual(config.hotkeys, []);
    // Ctrl-T, Ctrl-X and Shift-D are free; d is a built-in key (describe).
    assert.deepEqual(
      config.plugins.map((p) => p.name),
      ["stern", "remove-finalizers", "debug"],
    );
    assert.deepEqual(config.problems, [
      `${dir}/hotkeys.yaml:3: shortCut "q" of hotkey q is a built-in key: skipped`,
      `${dir}/plugins.yaml:20: shortCut "d" of plugin dive is a built-in key: skipped`,
    ]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("timoneiro info: every path, found or not, and the problems (the built CLI)", () => {
  const dir = tempConfig({ "hotkeys.yaml": "hotKeys:\n  x:\n    shortCut: Shft-0\n    command: pods\n" });
  try {
    const out = execFileSync(process.execPath, [join(ROOT, "dist", "timoneiro.js"), "info"], {
      env: { ...process.env, TIMONEIRO_CONFIG_DIR: dir, KUBECONFIG: "/no/such/kubeconfig", TIMONEIRO_DUMP_DIR: "/d" },
      encoding: "utf8",
    });
    assert.match(out, new RegExp(`config dir: +${dir} \\(\\$TIMONEIRO_CONFIG_DIR; found\\)`));
    assert.match(out, new RegExp(`hotkeys.yaml +${dir}/hotkeys.yaml \\(found\\)`));
    assert.match(out, new RegExp(`plugins.yaml +${dir}/plugins.yaml \\(not found\\)`));
    assert.match(out, /kubeconfig: +\(\$KUBECONFIG\)\n {2}\/no\/such\/kubeconfig \(not found\)/);
    assert.match(out, /saved YAML: +\/d /);
    assert.match(out, /caches: /);
    assert.ok(out.includes(`config: 1 problem\n  ${dir}/hotkeys.yaml:3: shortCut "Shft-0" is not a key`), out);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("README's Configuration examples are complete files without problems", async () => {
  const { readFileSync } = await import("node:fs");
  const readme = readFileSync(join(ROOT, "README.md"), "utf8");
  const section = readme.slice(readme.indexOf("## Configuration"), readme.indexOf("## Skins"));
  const blocks = [...section.matchAll(/`([a-z]+\.yaml)`[^`]*?(?:`[^`]*`[^`]*?)*?```yaml\n([\s\S]*?)```/g)];
  const byFile = new Map(blocks.map((m) => [m[1] as string, m[2] as string]));
  assert.deepEqual([...byFile.keys()].sort(), ["aliases.yaml", "config.yaml", "hotkeys.yaml", "plugins.yaml"]);
  const dir = tempConfig(Object.fromEntries(byFile));
  try {
    const config = loadConfig({ env: { TIMONEIRO_CONFIG_DIR: dir, HOME: "/nowhere" }, builtinKeys });
    assert.deepEqual(config.problems, []);
    assert.equal(Object.keys(config.aliases).length, 3);
    assert.equal(config.hotkeys.length, 2);
    assert.equal(config.plugins.length, 3);
    assert.deepEqual(config.contexts.prod?.favoriteNamespaces, ["shop", "kube-system"]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
