import assert from "node:assert/strict";
import { test } from "node:test";
import { view } from "../../../src/app/root.ts";
import { editInput, inputSegments, pasteInto, type TextInput } from "../../../src/app/text-input.ts";
import { stripAnsi } from "../../../src/tui/ansi.ts";
import { type KeyEvent, key } from "../../../src/tui/input.ts";
import { pods, send, setup, shownNames, table, type } from "./helpers.ts";

/** "ab|cd" → {text: "abcd", cursor: 2}. */
function at(marked: string): TextInput {
  const cursor = marked.indexOf("|");
  return { text: marked.replace("|", ""), cursor };
}
const mark = (t: TextInput) => `${t.text.slice(0, t.cursor)}|${t.text.slice(t.cursor)}`;

const K = (name: string, mods: { ctrl?: boolean; alt?: boolean; shift?: boolean } = {}): KeyEvent => key(name, mods);
const typed = (ch: string): KeyEvent => ({ ...key(ch), text: ch });

const cases: [string, KeyEvent, string][] = [
  ["abc|", K("left"), "ab|c"],
  ["|abc", K("left"), "|abc"],
  ["a|bc", K("right"), "ab|c"],
  ["abc|", K("right"), "abc|"],
  ["ab|c", K("home"), "|abc"],
  ["ab|c", K("a", { ctrl: true }), "|abc"],
  ["a|bc", K("end"), "abc|"],
  ["a|bc", K("e", { ctrl: true }), "abc|"],
  ["ab|c", typed("X"), "abX|c"],
  ["ab|c", K("backspace"), "a|c"],
  ["|abc", K("backspace"), "|abc"],
  ["a|bc", K("delete"), "a|c"],
  ["abc|", K("delete"), "abc|"],
  ["foo-bar baz|", K("b", { alt: true }), "foo-bar |baz"],
  ["foo-bar |baz", K("b", { alt: true }), "foo-|bar baz"],
  ["foo-bar |baz", K("left", { ctrl: true }), "foo-|bar baz"],
  ["|foo-bar baz", K("f", { alt: true }), "foo|-bar baz"],
  ["foo|-bar baz", K("right", { ctrl: true }), "foo-bar| baz"],
  ["kube app-1  |x", K("w", { ctrl: true }), "kube |x"],
  ["kube app-1|", K("backspace", { alt: true }), "kube |"],
  ["ab|cd", K("u", { ctrl: true }), "|cd"],
  ["ab|cd", K("k", { ctrl: true }), "ab|"],
  ["a👍🏽|b", K("backspace"), "a|b"],
  ["a|👍🏽b", K("right"), "a👍🏽|b"],
  ["a👍🏽|b", K("left"), "a|👍🏽b"],
  ["a|👍🏽b", K("delete"), "a|b"],
  ["e\u0301|", K("backspace"), "|"],
];

for (const [before, k, after] of cases) {
  const name = `${k.ctrl ? "C-" : ""}${k.alt ? "M-" : ""}${k.name}`;
  test(`text input: ${JSON.stringify(before)} + ${name} → ${JSON.stringify(after)}`, () => {
    const next = editInput(at(before), k);
    assert.ok(next);
    assert.equal(mark(next), after);
  });
}

test("text input: keys that are not editing keys give null", () => {
  assert.equal(editInput(at("a|b"), K("up")), null);
  assert.equal(editInput(at("a|b"), K("x", { ctrl: true })), null);
});

test("text input: a paste goes in at the cursor, as one line", () => {
  assert.equal(mark(pasteInto(at("a|b"), "x\ny\tz")), "ax y z|b");
});

test("text input: the cursor is drawn on the cell under it, or after the text", () => {
  assert.deepEqual(
    inputSegments(at("a|bc"), "", "7").map((s) => [s.text, s.style]),
    [
      ["a", ""],
      ["b", "7"],
      ["c", ""],
    ],
  );
  assert.equal(inputSegments(at("ab|"), "", "7")[1]?.text, " ");
});

test("the / filter edits at the cursor and filters on the edited text", () => {
  const { model } = setup(pods(30));
  let m = type(model, "/p2");
  assert.ok(shownNames(m).length > 1);
  m = type(m, "<left>1");
  assert.equal(table(m).filterText, "p12");
  assert.deepEqual(table(m).filterInput, { text: "p12", cursor: 2 });
  assert.deepEqual(shownNames(m), ["p12"]);
  m = type(m, "<home><delete><C-e><backspace>");
  assert.equal(table(m).filterText, "1");
  const bottom = stripAnsi(view(m).at(-1) ?? "");
  assert.ok(bottom.startsWith("/1 "), bottom);
  // ↑/↓ still move the rows while filtering.
  const before = table(m).cursor;
  m = type(m, "<down>");
  assert.equal(table(m).cursor, before + 1);
});

test("the : line edits at the cursor; Tab completes the whole line and puts the cursor at its end", () => {
  const { model } = setup(pods(3));
  let m = type(model, ":pds<left><left>o");
  assert.equal(m.prompt?.text, "pods");
  assert.equal(m.prompt?.cursor, 2);
  m = type(m, "<C-a>x<C-k>");
  assert.equal(m.prompt?.text, "x");
  m = send(m, { type: "paste", text: "dep" });
  assert.deepEqual([m.prompt?.text, m.prompt?.cursor], ["xdep", 4]);
  m = type(m, "<C-u>po<tab>");
  assert.equal(m.prompt?.cursor, m.prompt?.text.length);
  // Backspace on an empty line still closes it.
  m = type(m, "<C-u><backspace>");
  assert.equal(m.prompt, null);
});
