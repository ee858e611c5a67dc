import assert from "node:assert/strict";
import { test } from "node:test";
import stringWidth from "string-width";
import {
  displayWidth,
  fit,
  isNarrowText,
  isPrintableAscii,
  sanitize,
  takeWidth,
  truncate,
  visibleWidth,
} from "../../../src/tui/width.ts";

test("ASCII width is the length", () => {
  assert.equal(isPrintableAscii("web-7d4b9c8f6-x2x9z"), true);
  assert.equal(displayWidth("web-7d4b9c8f6-x2x9z"), 19);
  assert.equal(displayWidth(""), 0);
});

test("CJK and emoji are two cells, combining marks none", () => {
  assert.equal(displayWidth("日本語"), 6);
  assert.equal(displayWidth("a😀b"), 4);
  assert.equal(displayWidth("👩‍💻"), 2); // ZWJ sequence: one grapheme
  assert.equal(displayWidth("e\u0301"), 1); // e + combining acute
  assert.equal(displayWidth("café"), 4);
});

test("visibleWidth ignores SGR sequences", () => {
  assert.equal(visibleWidth("\x1b[0;31mred\x1b[0m"), 3);
  assert.equal(visibleWidth("\x1b[1m日本\x1b[0m"), 4);
});

test("truncate ASCII with an ellipsis only when needed", () => {
  assert.equal(truncate("abcdef", 6), "abcdef");
  assert.equal(truncate("abcdefg", 6), "abcde…");
  assert.equal(truncate("abc", 1), "…");
  assert.equal(truncate("abc", 0), "");
});

test("truncate never splits a wide character or a grapheme", () => {
  // 5 cells: "日本" (4) + "…" (1); a third wide char would not fit.
  assert.equal(truncate("日本語テキスト", 5), "日本…");
  assert.equal(displayWidth(truncate("日本語テキスト", 5)), 5);
  // 4 cells: only one wide char fits before "…" (1+2 = 3 < 4, next would make 5).
  assert.equal(truncate("日本語", 4), "日…");
  assert.equal(truncate("👩‍💻👩‍💻👩‍💻", 5), "👩‍💻👩‍💻…");
  assert.equal(truncate("e\u0301e\u0301e\u0301e\u0301", 3), "e\u0301e\u0301…");
  assert.equal(truncate("日本", 4), "日本");
});

test("takeWidth and fit pad to the exact width", () => {
  assert.equal(takeWidth("日本語", 3), "日");
  assert.equal(fit("日本語", 5), "日本…");
  assert.equal(fit("ab", 4), "ab  ");
  assert.equal(displayWidth(fit("日本語テキスト", 7)), 7);
});

test("sanitize replaces control characters", () => {
  assert.equal(sanitize("a\x1b[2Jb"), "a\ufffd[2Jb");
  assert.equal(sanitize("plain"), "plain");
});

test("the narrow fast path agrees with string-width for every character it covers", () => {
  const segmenter = new Intl.Segmenter(undefined, { granularity: "grapheme" });
  let covered = 0;
  for (let cp = 0x20; cp <= 0xffff; cp++) {
    const c = String.fromCodePoint(cp);
    if (!isNarrowText(c)) continue;
    covered++;
    // One cell alone and between others, and a grapheme of its own next to itself and to ASCII.
    assert.equal(stringWidth(c), 1, `U+${cp.toString(16)}`);
    assert.equal(stringWidth(`a${c}b${c}${c}`), 5, `U+${cp.toString(16)} among others`);
    assert.equal([...segmenter.segment(`a${c}${c}b`)].length, 4, `U+${cp.toString(16)} is a grapheme of its own`);
  }
  assert.ok(covered > 1500, "Latin, punctuation, arrows, box drawing, braille...");
  for (const c of ["\u00ad", "\u0301", "\u200d", "\ufe0f", "\u25fd", "\u2705", "日", "\x7f", "\x9b"]) {
    assert.equal(isNarrowText(c), false, `U+${c.codePointAt(0)!.toString(16)} needs string-width`);
  }
  assert.equal(displayWidth("pods ✓ 100 … ▶ ⠋ │─"), 19);
  assert.equal(truncate("a…b→c─d▶e", 5), "a…b→…");
  assert.equal(takeWidth("⠋⠙⠹⠸", 2), "⠋⠙");
});
