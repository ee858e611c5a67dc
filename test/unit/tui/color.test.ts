import assert from "node:assert/strict";
import { test } from "node:test";
import {
  colorCodes,
  detectColorDepth,
  nearest16,
  nearest256,
  parseColor,
  withoutColor,
} from "../../../src/tui/color.ts";

test("colour depth from the environment", () => {
  const cases: [Record<string, string>, string][] = [
    [{}, "16"],
    [{ TERM: "xterm" }, "16"],
    [{ TERM: "screen" }, "16"],
    [{ TERM: "xterm-256color" }, "256"],
    [{ TERM: "screen-256color" }, "256"],
    [{ TERM: "tmux-256color", COLORTERM: "truecolor" }, "truecolor"],
    [{ TERM: "xterm", COLORTERM: "24bit" }, "truecolor"],
    [{ TERM: "xterm-256color", COLORTERM: "yes" }, "256"],
    [{ TERM: "xterm-direct" }, "truecolor"],
    [{ TERM: "xterm-kitty" }, "truecolor"],
    [{ TERM: "dumb" }, "none"],
    [{ TERM: "dumb", COLORTERM: "truecolor" }, "none"],
    [{ NO_COLOR: "1", TERM: "xterm-256color", COLORTERM: "truecolor" }, "none"],
    [{ NO_COLOR: "0" }, "none"],
    [{ NO_COLOR: "", TERM: "xterm-256color" }, "256"],
  ];
  for (const [env, expected] of cases) assert.equal(detectColorDepth(env), expected, JSON.stringify(env));
});

test("colour names, palette indexes and #rrggbb", () => {
  assert.deepEqual(parseColor("red"), { kind: "ansi", index: 1 });
  assert.deepEqual(parseColor("BrightBlue"), { kind: "ansi", index: 12 });
  assert.deepEqual(parseColor("bright-white"), { kind: "ansi", index: 15 });
  assert.deepEqual(parseColor("gray"), { kind: "ansi", index: 8 });
  assert.deepEqual(parseColor(208), { kind: "index", index: 208 });
  assert.deepEqual(parseColor("208"), { kind: "index", index: 208 });
  assert.deepEqual(parseColor("#FF8700"), { kind: "rgb", r: 255, g: 135, b: 0 });
  assert.equal(parseColor("default"), "default");
  for (const bad of ["pink", "#fff", "256", -1, 3.5, "brightdefault"])
    assert.equal(parseColor(bad), undefined, String(bad));
});

test("a colour becomes what the terminal shows: truecolor → nearest 256 → nearest 16", () => {
  const red = { kind: "rgb", r: 255, g: 0, b: 0 } as const;
  assert.equal(colorCodes(red, "truecolor", "fg"), "38;2;255;0;0");
  assert.equal(colorCodes(red, "256", "fg"), "38;5;196");
  assert.equal(colorCodes(red, "16", "fg"), "91");
  assert.equal(colorCodes(red, "16", "bg"), "101");
  assert.equal(colorCodes(red, "none", "fg"), "");
  assert.equal(colorCodes({ kind: "index", index: 28 }, "truecolor", "bg"), "48;5;28");
  assert.equal(colorCodes({ kind: "index", index: 28 }, "16", "fg"), "32");
  assert.equal(colorCodes({ kind: "index", index: 9 }, "256", "fg"), "91");
  assert.equal(colorCodes({ kind: "ansi", index: 6 }, "truecolor", "fg"), "36");
  assert.equal(nearest256(128, 128, 128), 244);
  assert.equal(nearest256(0, 95, 215), 26);
  assert.equal(nearest16(10, 10, 10), 0);
  assert.equal(nearest16(250, 250, 250), 15);
});

test("withoutColor keeps the attributes and drops every colour", () => {
  assert.equal(withoutColor("1;31"), "1");
  assert.equal(withoutColor("31;7;1;4"), "7;1;4");
  assert.equal(withoutColor("38;5;196;1"), "1");
  assert.equal(withoutColor("2;48;2;1;2;3;7"), "2;7");
  assert.equal(withoutColor("92;101"), "");
});
