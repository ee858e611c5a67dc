import assert from "node:assert/strict";
import { test } from "node:test";
import { Renderer } from "../../../src/tui/renderer.ts";
import { displayWidth } from "../../../src/tui/width.ts";

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

test("a change near the end of a long line rewrites only the tail, resuming the line's style", () => {
  const r = new Renderer(80, 2);
  r.frame([
    "default        web-7d4b9c8f6-x2x9z  1/1  Running  0  59s",
    "\x1b[0;31mkube-system    crash-1  0/1  Error  3  59s\x1b[0m",
  ]);
  const out = r.frame([
    "default        web-7d4b9c8f6-x2x9z  1/1  Running  0  60s",
    "\x1b[0;31mkube-system    crash-1  0/1  Error  3  60s\x1b[0m",
  ]);
  assert.equal(out, `${B}\x1b[1;54H60s${EL}\x1b[2;40H\x1b[0;31m60s\x1b[0m${EL}${E}`);
});

test("frames painted into a terminal emulator always show exactly the lines given", async () => {
  const xterm = (await import("@xterm/headless")).default;
  const cols = 40;
  const rows = 6;
  const term = new xterm.Terminal({ cols, rows, allowProposedApi: true });
  const r = new Renderer(cols, rows);
  let seed = 3;
  const rand = (n: number) => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed % n;
  };
  const words = ["web", "api-7d4b9c8f6", "Running", "CrashLoopBackOff", "日本", "1/1", "59s", "60s", "10.0.0.1"];
  const styles = ["", "31", "33", "2", "7", "31;7", "1;4"];
  const randomLine = () => {
    let text = "";
    let line = "";
    while (true) {
      const word = `${words[rand(words.length)]} `;
      if (displayWidth(text + word) > cols) break; // lines must fit, as the view guarantees
      text += word;
      const style = styles[rand(styles.length)] as string;
      line += style === "" ? word : `\x1b[0;${style}m${word}\x1b[0m`;
    }
    return line;
  };
  let lines = Array.from({ length: rows }, randomLine);
  for (let frame = 0; frame < 60; frame++) {
    // Change some lines a little (same prefix, new tail) and some completely.
    lines = lines.map((l) => {
      const roll = rand(4);
      if (roll === 0) return randomLine();
      if (roll === 1) return l.slice(0, Math.max(0, l.length - 1 - rand(10))).replace(/\x1b(\[[0-9;]*)?$/, "");
      return l;
    });
    const out = r.frame(lines);
    await new Promise<void>((resolve) => term.write(out, resolve));
    for (let y = 0; y < rows; y++) {
      const want = (lines[y] ?? "").replace(/\x1b\[[0-9;]*m/g, "").trimEnd();
      const got = (term.buffer.active.getLine(y)?.translateToString(true) ?? "").trimEnd();
      assert.equal(got, want, `frame ${frame}, row ${y}`);
    }
  }
});

test("rows that moved down together are shifted by the terminal, not rewritten", () => {
  const r = new Renderer(80, 8);
  const row = (n: number) => `default        pod-${n}-7d4b9c8f6-x2x9z  1/1  Running  0  ${n}m`;
  const header = "NAMESPACE      NAME";
  r.frame([header, row(1), row(2), row(3), row(4), row(5), row(6), "status"]);
  const out = r.frame([header, row(0), row(1), row(2), row(3), row(4), row(5), "status"]);
  // Region rows 2..7, insert one line at row 2, then write the new row 0 there.
  assert.equal(out, `${B}\x1b[2;7r\x1b[2;1H\x1b[1L\x1b[r\x1b[2;1H${row(0)}${EL}${E}`);
  // And back up when the first row goes away.
  const up = r.frame([header, row(1), row(2), row(3), row(4), row(5), row(6), "status"]);
  assert.equal(up, `${B}\x1b[2;7r\x1b[2;1H\x1b[1M\x1b[r\x1b[7;1H${row(6)}${EL}${E}`);
});

test("shifted frames painted into a terminal emulator show exactly the lines given", async () => {
  const xterm = (await import("@xterm/headless")).default;
  const cols = 50;
  const rows = 14;
  const term = new xterm.Terminal({ cols, rows, allowProposedApi: true });
  const r = new Renderer(cols, rows);
  let seed = 11;
  const rand = (n: number) => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed % n;
  };
  let counter = 0;
  const newRow = () => {
    counter++;
    const style = ["", "\x1b[0;31m", "\x1b[0;7m"][rand(3)] as string;
    const text = `pod-${counter}-${"x".repeat(rand(20))} Running ${rand(100)}s`;
    return style === "" ? text : `${style}${text}\x1b[0m`;
  };
  // Header and footer stay; the band in between moves like a table with pods coming and going.
  let band = Array.from({ length: rows - 3 }, newRow);
  for (let frame = 0; frame < 80; frame++) {
    const op = rand(5);
    const at = rand(band.length);
    if (op === 0) band = [...band.slice(0, at), newRow(), ...band.slice(at, -1)];
    else if (op === 1) band = [...band.slice(0, at), ...band.slice(at + 1), newRow()];
    else if (op === 2) band = [newRow(), newRow(), ...band.slice(0, -2)];
    else if (op === 3) band = [...band.slice(3), newRow(), newRow(), newRow()];
    else band[at] = newRow();
    const lines = [`header ${frame % 3}`, ...band, "", `footer ${frame}`];
    const out = r.frame(lines);
    await new Promise<void>((resolve) => term.write(out, resolve));
    for (let y = 0; y < rows; y++) {
      const want = (lines[y] ?? "").replace(/\x1b\[[0-9;]*m/g, "").trimEnd();
      const got = (term.buffer.active.getLine(y)?.translateToString(true) ?? "").trimEnd();
      assert.equal(got, want, `frame ${frame}, row ${y}`);
    }
  }
});
