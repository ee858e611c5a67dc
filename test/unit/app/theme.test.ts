// Skins as the screen shows them: the default skin's bytes, basic16's colours, NO_COLOR, a skin at a lower depth.
import assert from "node:assert/strict";
import { afterEach, test } from "node:test";
import { view } from "../../../src/app/root.ts";
import { applySkin, BUILTIN_SKINS, buildTheme, parseSkin, ROLES, type Skin, THEME } from "../../../src/app/theme.ts";
import { makePod } from "../../../src/repository/static-repository.ts";
import { detectColorDepth } from "../../../src/tui/color.ts";
import { NOW, setup, type } from "./helpers.ts";

const DEFAULT = BUILTIN_SKINS.default as Skin;

afterEach(() => applySkin(DEFAULT, "16"));

const ROWS = [
  makePod({ name: "ok", createdAt: NOW - 1 }),
  makePod({ name: "bad", status: "CrashLoopBackOff", readyCount: 0, ready: "0/1", createdAt: NOW - 2 }),
  makePod({ name: "wait", status: "Pending", readyCount: 0, ready: "0/1", createdAt: NOW - 3 }),
  makePod({ name: "done", status: "Completed", readyCount: 0, ready: "0/1", createdAt: NOW - 4 }),
];

/** The screen with every kind of row, a filter with matches, and the help (titles, keys). */
function screens(): string[] {
  const { model } = setup(ROWS, { width: 100, height: 10 });
  return [...view(model), ...view(type(model, "/a")), ...view(type(model, "?"))];
}

/** Every SGR parameter list on `lines` ("0;31;7"). */
function sgrParams(lines: string[]): string[] {
  return lines.flatMap((l) => [...l.matchAll(/\x1b\[([0-9;]*)m/g)].map((m) => m[1] ?? ""));
}

/** The colour parameters among `params`: 30–49, 90–107, and 38/48 with what follows. */
function colourCodes(params: string[]): string[] {
  const out: string[] = [];
  for (const p of params) {
    const parts = p.split(";");
    for (let i = 0; i < parts.length; i++) {
      const n = Number(parts[i]);
      if (n === 38 || n === 48) {
        const len = parts[i + 1] === "2" ? 5 : 3;
        out.push(parts.slice(i, i + len).join(";"));
        i += len - 1;
      } else if ((n >= 30 && n <= 49) || (n >= 90 && n <= 107)) out.push(String(n));
    }
  }
  return out;
}

test("the default skin is today's look at every colour depth: the same bytes", () => {
  const before = screens();
  assert.deepEqual(buildTheme(DEFAULT, "16"), { ...THEME });
  for (const depth of ["16", "256", "truecolor"] as const) {
    applySkin(DEFAULT, depth);
    assert.deepEqual(screens(), before, depth);
  }
  const lines = before.slice(0, 10);
  assert.match(lines[0] ?? "", /\x1b\[0;1;36m Timoneiro/);
  assert.match(lines[5] ?? "", /^\x1b\[0;31mdefault/);
});

test("basic16 uses only the terminal's 16 colours (SGR 30–37, 90–97), even on a truecolor terminal", () => {
  applySkin(BUILTIN_SKINS.basic16 as Skin, detectColorDepth({ COLORTERM: "truecolor", TERM: "xterm-256color" }));
  const codes = colourCodes(sgrParams(screens()));
  assert.ok(codes.length > 0);
  for (const c of codes) assert.match(c, /^(3[0-7]|9[0-7])$/);
  assert.ok(codes.includes("90"), "grey instead of dim");
});

test("the other built-in skins differ from default and define every role", () => {
  applySkin(DEFAULT, "256");
  const before = screens();
  for (const name of ["light", "high-contrast", "basic16"]) {
    const skin = BUILTIN_SKINS[name] as Skin;
    assert.deepEqual(Object.keys(skin).sort(), [...ROLES].sort(), name);
    applySkin(skin, "256");
    assert.notDeepEqual(screens(), before, name);
  }
});

test("NO_COLOR: no colour codes at all, the selected row stays reverse video, failing rows bold", () => {
  applySkin(BUILTIN_SKINS.light as Skin, detectColorDepth({ NO_COLOR: "1", COLORTERM: "truecolor" }));
  const all = screens();
  assert.deepEqual(colourCodes(sgrParams(all)), []);
  const lines = all.slice(0, 10);
  assert.match(lines[4] ?? "", /^\x1b\[0;7mdefault/, "selected row is reverse video");
  assert.match(lines[5] ?? "", /^\x1b\[0;1mdefault/, "a failing row is bold");
  assert.match(lines[7] ?? "", /^\x1b\[0;2mdefault/, "a done row is dim");
  const filtered = all.slice(10, 20).join("\n");
  assert.match(filtered, /\x1b\[0;7;1;4ma/, "a filter match is bold and underlined");
});

test("a skin's #ff0000 on a 256-colour terminal is palette colour 196; on a 16-colour one, bright red", () => {
  const { skin, warnings } = parseSkin(
    { styles: { rowFailing: "#ff0000", title: { fg: "#005fd7", bold: true } } },
    "t",
  );
  assert.deepEqual(warnings, []);
  applySkin(skin, detectColorDepth({ TERM: "xterm-256color" }));
  let lines = screens().slice(0, 10);
  assert.match(lines[5] ?? "", /^\x1b\[0;38;5;196mdefault/);
  assert.match(lines[0] ?? "", /\x1b\[0;1;38;5;26m Timoneiro/);
  applySkin(skin, "truecolor");
  lines = screens().slice(0, 10);
  assert.match(lines[5] ?? "", /^\x1b\[0;38;2;255;0;0mdefault/);
  applySkin(skin, "16");
  lines = screens().slice(0, 10);
  assert.match(lines[5] ?? "", /^\x1b\[0;91mdefault/);
});

test("parseSkin: unknown roles, keys and colours are warnings and are ignored; extends picks the base", () => {
  const { skin, warnings } = parseSkin(
    { extends: "light", styles: { bogus: "red", rowProgress: { fg: "nope", bold: true, blink: true }, rowDone: 244 } },
    "mine",
  );
  assert.deepEqual(warnings, [
    'skin mine: unknown role "bogus" (ignored)',
    'skin mine: rowProgress: fg: "nope" is not a colour (ignored)',
    'skin mine: rowProgress: unknown key "blink" (ignored)',
  ]);
  assert.deepEqual(skin.rowProgress, { bold: true });
  assert.deepEqual(skin.rowDone, { fg: 244 });
  assert.deepEqual(skin.title, (BUILTIN_SKINS.light as Skin).title);
  const bad = parseSkin("just text", "x");
  assert.equal(bad.warnings.length, 1);
  assert.equal(bad.skin, DEFAULT);
});
