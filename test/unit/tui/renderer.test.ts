import assert from "node:assert/strict";
import { test } from "node:test";
import { Renderer } from "../../../src/tui/renderer.ts";

const B = "\x1b[?2026h";
const E = "\x1b[?2026l";
const EL = "\x1b[K";

test("first frame paints every line, wrapped in synchronized output, without clearing the screen", () => {
  const r = new Renderer(10, 3);
  const out = r.frame(["one", "two"]);
  assert.equal(out, `${B}\x1b[1;1Hone${EL}\x1b[2;1Htwo${EL}\x1b[3;1H${EL}${E}`);
  assert.ok(!out.includes("\x1b[2J"));
  assert.equal(r.stats.linesWritten, 3);
  assert.equal(r.stats.bytes, Buffer.byteLength(out));
});

test("an unchanged frame writes nothing; a changed line is rewritten alone", () => {
  const r = new Renderer(10, 3);
  r.frame(["one", "two", "three"]);
  assert.equal(r.frame(["one", "two", "three"]), "");
  assert.equal(r.stats.bytes, 0);
  assert.equal(r.frame(["one", "TWO", "three"]), `${B}\x1b[2;1HTWO${EL}${E}`);
  // A line that became empty is erased.
  assert.equal(r.frame(["one", "TWO"]), `${B}\x1b[3;1H${EL}${E}`);
});

test("a line filling the width is not followed by erase (it would erase the last cell)", () => {
  const r = new Renderer(4, 1);
  assert.equal(r.frame(["abcd"]), `${B}\x1b[1;1Habcd${E}`);
  assert.equal(r.frame(["日本"]), `${B}\x1b[1;1H日本${E}`);
  assert.equal(r.frame(["\x1b[0;7mab\x1b[0m"]), `${B}\x1b[1;1H\x1b[0;7mab\x1b[0m${EL}${E}`);
  assert.equal(r.stats.bytes, Buffer.byteLength(`${B}\x1b[1;1H\x1b[0;7mab\x1b[0m${EL}${E}`));
});

test("resize repaints every line once, then diffs again", () => {
  const r = new Renderer(10, 2);
  r.frame(["a", "b"]);
  r.resize(12, 3);
  assert.equal(r.frame(["a", "b", "c"]), `${B}\x1b[1;1Ha${EL}\x1b[2;1Hb${EL}\x1b[3;1Hc${EL}${E}`);
  assert.equal(r.frame(["a", "b", "c"]), "");
});

test("lines beyond the height are ignored", () => {
  const r = new Renderer(10, 1);
  assert.equal(r.frame(["a", "b"]), `${B}\x1b[1;1Ha${EL}${E}`);
});
