import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, afterEach, test } from "node:test";
import { parse } from "yaml";
import { applySkin, BUILTIN_SKINS, ROLES, type Skin, THEME } from "../../../src/app/theme.ts";
import { configDir, loadSkin, setupSkin } from "../../../src/cli/skin.ts";
import { sgr } from "../../../src/tui/ansi.ts";

const dir = mkdtempSync(join(tmpdir(), "timoneiro-skin-"));
mkdirSync(join(dir, "skins"));
after(() => rmSync(dir, { recursive: true, force: true }));
afterEach(() => applySkin(BUILTIN_SKINS.default as Skin, "16"));

const write = (name: string, text: string) => writeFileSync(join(dir, "skins", `${name}.yaml`), text);

test("a skin file of the config folder, at the terminal's depth", () => {
  write("red", 'extends: high-contrast\nstyles:\n  rowFailing: { fg: "#ff0000", bold: true }\n');
  const { depth, warnings } = setupSkin("red", { TERM: "xterm-256color" }, dir);
  assert.equal(depth, "256");
  assert.deepEqual(warnings, []);
  assert.equal(THEME.rowFailing, "1;38;5;196");
  assert.equal(THEME.title, "1;96", "the rest from high-contrast");
});

test("an invalid skin file: one warning line and the default skin", () => {
  write("broken", "styles: [unclosed\n");
  const { skin, warnings } = loadSkin("broken", dir);
  assert.equal(warnings.length, 1);
  assert.match(warnings[0] ?? "", /^skin broken: .*broken\.yaml: .*; using default$/);
  assert.equal(skin, BUILTIN_SKINS.default);
  write("list", "- a\n- b\n");
  assert.equal(loadSkin("list", dir).warnings.length, 1);
  assert.equal(loadSkin("list", dir).skin, BUILTIN_SKINS.default);
});

test("built-in names; a missing skin or a path is a warning and the default skin", () => {
  assert.deepEqual(loadSkin("light", dir), { skin: BUILTIN_SKINS.light, warnings: [] });
  const missing = loadSkin("nosuch", dir);
  assert.equal(missing.skin, BUILTIN_SKINS.default);
  assert.match(missing.warnings[0] ?? "", /no such skin \(built-in: default, light, high-contrast, basic16; or /);
  assert.equal(loadSkin("../etc/passwd", dir).warnings.length, 1);
});

test("NO_COLOR through setupSkin: even styles built from STYLE directly lose their colours", () => {
  setupSkin("light", { NO_COLOR: "1", TERM: "xterm-256color" }, dir);
  assert.equal(sgr("1;31"), "\x1b[0;1m");
  assert.equal(sgr("31"), "\x1b[0m");
  assert.equal(THEME.selected, "7");
  applySkin(BUILTIN_SKINS.default as Skin, "16");
  assert.equal(sgr("1;31"), "\x1b[0;1;31m");
});

test("the config folder: $TIMONEIRO_CONFIG_DIR, else $XDG_CONFIG_HOME/timoneiro, else ~/.config/timoneiro", () => {
  assert.equal(configDir({ TIMONEIRO_CONFIG_DIR: "/c", XDG_CONFIG_HOME: "/x" }), "/c");
  assert.equal(configDir({ XDG_CONFIG_HOME: "/x" }), join("/x", "timoneiro"));
  assert.match(configDir({}), /\.config[/\\]timoneiro$/);
});

test("the README's skin file example is a complete skin without warnings", () => {
  const readme = readFileSync(join(import.meta.dirname, "../../../README.md"), "utf8");
  const block = /```yaml\n(# ~\/\.config\/timoneiro\/skins\/mine\.yaml\n[\s\S]*?)```/.exec(readme)?.[1];
  assert.ok(block, "the example is in the README");
  write("mine", block);
  const { skin, warnings } = loadSkin("mine", dir);
  assert.deepEqual(warnings, []);
  assert.deepEqual(Object.keys(parse(block).styles).sort(), [...ROLES].sort(), "every role is in the example");
  applySkin(skin, "256");
  assert.equal(THEME.title, "1;38;5;75");
  assert.equal(THEME.rowProgress, "38;5;214");
});
