import assert from "node:assert/strict";
import { test } from "node:test";
import { type InputEvent, InputParser } from "../../../src/tui/input.ts";

/** Events as short strings: "up", "C-c", "M-x", "S-tab", "'a'", "paste:..." */
function names(events: InputEvent[]): string[] {
  return events.map((e) => {
    if (e.type === "paste") return `paste:${e.text}`;
    const prefix = (e.ctrl ? "C-" : "") + (e.alt ? "M-" : "") + (e.shift ? "S-" : "");
    return e.text !== undefined ? `${prefix}'${e.text}'` : prefix + e.name;
  });
}

function parse(...chunks: string[]): string[] {
  const p = new InputParser();
  const out: InputEvent[] = [];
  for (const c of chunks) out.push(...p.feed(c));
  out.push(...p.flush());
  return names(out);
}

test("arrows in normal and application cursor mode", () => {
  assert.deepEqual(parse("\x1b[A\x1b[B\x1b[C\x1b[D"), ["up", "down", "right", "left"]);
  assert.deepEqual(parse("\x1bOA\x1bOB\x1bOC\x1bOD"), ["up", "down", "right", "left"]);
});

test("Home/End/PgUp/PgDn in xterm, vt220, rxvt and linux-console forms", () => {
  assert.deepEqual(parse("\x1b[H\x1b[F\x1bOH\x1bOF"), ["home", "end", "home", "end"]);
  assert.deepEqual(parse("\x1b[1~\x1b[4~\x1b[7~\x1b[8~"), ["home", "end", "home", "end"]);
  assert.deepEqual(parse("\x1b[5~\x1b[6~\x1b[2~\x1b[3~"), ["pageup", "pagedown", "insert", "delete"]);
  assert.deepEqual(parse("\x1b[[A\x1b[15~\x1bOP"), ["f1", "f5", "f1"]);
});

test("modifiers in xterm and rxvt sequences", () => {
  assert.deepEqual(parse("\x1b[1;5A\x1b[1;2B\x1b[1;3C\x1b[5;5~"), ["C-up", "S-down", "M-right", "C-pageup"]);
  assert.deepEqual(parse("\x1b[a\x1bOd\x1b[5^\x1b[Z"), ["S-up", "C-left", "C-pageup", "S-tab"]);
});

test("control keys, enter, tab, backspace", () => {
  assert.deepEqual(parse("\x03\x02\x06\x15\x17"), ["C-c", "C-b", "C-f", "C-u", "C-w"]);
  assert.deepEqual(parse("\r\t\x7f\x08"), ["enter", "tab", "backspace", "backspace"]);
});

test("UTF-8 text, including astral characters, is one key per character", () => {
  assert.deepEqual(parse("aé日😀"), ["'a'", "'é'", "'日'", "'😀'"]);
});

test("a lone ESC is Escape only after flush; Alt is ESC + key", () => {
  const p = new InputParser();
  assert.deepEqual(p.feed("\x1b"), []);
  assert.equal(p.hasPending, true);
  assert.deepEqual(names(p.flush()), ["escape"]);
  assert.equal(p.hasPending, false);
  assert.deepEqual(parse("\x1bx\x1b\x7f"), ["M-x", "M-backspace"]);
  assert.deepEqual(parse("\x1b\x1b[A"), ["escape", "up"]);
});

test("escape sequences split across reads are joined", () => {
  assert.deepEqual(parse("\x1b", "[", "A"), ["up"]);
  assert.deepEqual(parse("\x1b[1;", "5A"), ["C-up"]);
  assert.deepEqual(parse("j\x1b[6", "~k"), ["'j'", "pagedown", "'k'"]);
  assert.deepEqual(parse("\x1bO", "B"), ["down"]);
});

test("a cut-off sequence that never completes becomes Escape and text on flush", () => {
  assert.deepEqual(parse("\x1b["), ["escape", "'['"]);
});

test("bracketed paste is one event, even split across reads and with escapes inside", () => {
  assert.deepEqual(parse("\x1b[200~hello world\x1b[201~"), ["paste:hello world"]);
  assert.deepEqual(parse("x\x1b[20", "0~a\x1b[Ab\r\n", "c\x1b[2", "01~y"), ["'x'", "paste:a\x1b[Ab\r\nc", "'y'"]);
  const p = new InputParser();
  assert.deepEqual(p.feed("\x1b[200~abc"), []);
  assert.equal(p.hasPending, false, "an open paste waits for its end marker, not for the escape timeout");
  assert.deepEqual(names(p.feed("def\x1b[201~")), ["paste:abcdef"]);
});

test("focus reports are not keys", () => {
  assert.deepEqual(parse("\x1b[I\x1b[O"), []); // focus reports
});
