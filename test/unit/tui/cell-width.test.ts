import assert from "node:assert/strict";
import { test } from "node:test";
import stringWidth from "string-width";
import { cellWidth } from "../../../src/tui/cell-width.ts";

const hex = (s: string) => [...s].map((c) => `U+${c.codePointAt(0)!.toString(16)}`).join(" ");

test("every code point alone and after a letter measures as string-width measures it", () => {
  for (let cp = 0; cp <= 0x10ffff; cp++) {
    // Planes 2-3 are CJK ideographs (wide, one table range each), 4-13 unassigned and 15-16 private use: samples.
    if (cp >= 0x20000 && cp < 0xe0000 && cp % 97 !== 0) continue;
    if (cp >= 0xe1000 && cp % 97 !== 0) continue;
    const c = String.fromCodePoint(cp);
    assert.equal(cellWidth(c), stringWidth(c), hex(c));
    assert.equal(cellWidth(`a${c}`), stringWidth(`a${c}`), `a ${hex(c)}`);
  }
});

test("clusters: emoji sequences, keycaps, flags, Hangul jamo, marks, halfwidth forms, escapes", () => {
  const cases = [
    "",
    "plain ascii",
    "日本語テキスト",
    "👩‍💻",
    "👍🏽",
    "🏳️‍🌈",
    "🇵🇹🇧🇷",
    "1⃣",
    "1️⃣",
    "#⃣*⃣",
    "❤",
    "❤️",
    "☺︎",
    "👨‍👩‍👧‍👦",
    "🧑🏿‍🤝‍🧑🏻",
    "🐻‍❄️",
    "a\u200db",
    "❤\u200d🔥",
    "\u1100\u1161",
    "\u1100\u1161\u11a8",
    "\u1100\u1100\u1161",
    "\u1100\uac00",
    "\u1161\u11a8",
    "\ua960\ud7b0\ud7cb",
    "e\u0301",
    "\u0301",
    "\u0915\u094d\u0937\u093f",
    "\u0e01\u0e33",
    "ｶﾞｷﾞ",
    "カ\uff9e",
    "ア\uff70",
    "\u00ad",
    "\u200b\u2060\ufeff",
    "\x1b[31mred\x1b[0m",
    "\x1b]8;;http://x\x07link\x1b]8;;\x07",
    "\x9b1mbold",
    "\x1b",
    "a\tb",
    "\ud800",
    "x\udc00y",
    `e${"\u0301".repeat(200)}`,
    "👍".repeat(40),
    `${"\u200d👍".repeat(30)}`,
  ];
  for (const s of cases) assert.equal(cellWidth(s), stringWidth(s), hex(s));
});

test("random strings of the characters that string-width treats specially", () => {
  // Pieces that combine with their neighbours in every way the rules distinguish.
  const pieces = [
    "a",
    " ",
    "日",
    "ｶ",
    "\uff9e",
    "\uff70",
    "é",
    "e",
    "\u0301",
    "\u20e3",
    "1",
    "#",
    "*",
    "\u200d",
    "\ufe0f",
    "\ufe0e",
    "👍",
    "🏽",
    "👩",
    "💻",
    "❤",
    "🔥",
    "🇵",
    "🇹",
    "\u1100",
    "\u1161",
    "\u11a8",
    "\uac00",
    "\ua960",
    "\ud7b0",
    "\ud7cb",
    "\u0915",
    "\u094d",
    "\u093f",
    "\u0903",
    "\u00ad",
    "\u200b",
    "\x1b",
    "[",
    "m",
    "\x07",
    "\x9b",
    "\t",
    "\ud800",
    "\udc00",
    "\u0600",
    "\u{e0067}",
    "\u{e007f}",
    "🏴",
  ];
  let seed = 13;
  const next = () => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed / 2147483648;
  };
  for (let n = 0; n < 20_000; n++) {
    let s = "";
    const length = 1 + Math.floor(next() * 8);
    for (let i = 0; i < length; i++) s += pieces[Math.floor(next() * pieces.length)];
    assert.equal(cellWidth(s), stringWidth(s), hex(s));
  }
});
