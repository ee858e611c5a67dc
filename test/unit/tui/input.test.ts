import assert from "node:assert/strict";
import { test } from "node:test";
import { type InputEvent, InputParser } from "../../../src/tui/input.ts";

/** Events as short strings: "up", "C-c", "M-x", "S-tab", "'a'", "paste:..." */
function names(events: InputEvent[]): string[] {
  return events.map((e) => {
    if (e.type === "paste") return `paste:${e.text}`;
    if (e.type === "mouse") return `mouse:${e.action}:${e.button}@${e.x},${e.y}`;
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

function mice(...chunks: string[]) {
  const p = new InputParser();
  const out: InputEvent[] = [];
  for (const c of chunks) out.push(...p.feed(c));
  out.push(...p.flush());
  return out;
}

test("SGR mouse: press and release, 0-based cells, which button", () => {
  assert.deepEqual(parse("\x1b[<0;10;5M\x1b[<0;10;5m\x1b[<2;1;1M"), [
    "mouse:press:0@9,4",
    "mouse:release:0@9,4",
    "mouse:press:2@0,0",
  ]);
});

test("SGR mouse: the wheel (64 up, 65 down) and modifiers (4 shift, 8 alt, 16 ctrl)", () => {
  assert.deepEqual(parse("\x1b[<64;3;7M\x1b[<65;3;7M"), ["mouse:wheelUp:64@2,6", "mouse:wheelDown:65@2,6"]);
  const [ctrlWheel, shiftAltPress] = mice("\x1b[<81;1;2M\x1b[<12;4;4M");
  assert.deepEqual(ctrlWheel, {
    type: "mouse",
    action: "wheelDown",
    button: 65,
    x: 0,
    y: 1,
    ctrl: true,
    alt: false,
    shift: false,
  });
  assert.deepEqual(shiftAltPress && { ...shiftAltPress }, {
    type: "mouse",
    action: "press",
    button: 0,
    x: 3,
    y: 3,
    ctrl: false,
    alt: true,
    shift: true,
  });
});

test("SGR mouse split across reads, and keys around it", () => {
  assert.deepEqual(parse("j\x1b[<0;1", "2;3", "4M", "k"), ["'j'", "mouse:press:0@11,33", "'k'"]);
  assert.deepEqual(parse("\x1b", "[", "<", "65;2;2M"), ["mouse:wheelDown:65@1,1"]);
});

test("SGR mouse: motion and the horizontal wheel are dropped, not typed", () => {
  assert.deepEqual(parse("\x1b[<32;5;5M\x1b[<66;5;5Mx"), ["'x'"]);
});

test("X10 mouse: ESC [ M b x y (bytes offset by 32), press, release, wheel; split across reads", () => {
  const enc = (b: number, x: number, y: number) => `\x1b[M${String.fromCharCode(32 + b, 32 + x, 32 + y)}`;
  assert.deepEqual(parse(enc(0, 5, 3), enc(3, 5, 3), enc(64, 1, 1), enc(65, 1, 1)), [
    "mouse:press:0@4,2",
    "mouse:release:-1@4,2",
    "mouse:wheelUp:64@0,0",
    "mouse:wheelDown:65@0,0",
  ]);
  const x = enc(0, 10, 10);
  assert.deepEqual(parse(x.slice(0, 4), x.slice(4), "q"), ["mouse:press:0@9,9", "'q'"]);
});
