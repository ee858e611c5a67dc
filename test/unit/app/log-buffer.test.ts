// The logs view's ring buffer (bounded in lines and bytes, nothing dropped below the bounds, the dropped count) and
// the resume logic (a reconnect from the last line's timestamp repeats nothing and loses nothing).
import assert from "node:assert/strict";
import { test } from "node:test";
import {
  LogBuffer,
  type LogLine,
  MAX_LINE_CHARS,
  normalTs,
  parseLine,
  ResumeFilter,
  resumePoint,
  sanitize,
  splitChunk,
} from "../../../src/app/log-buffer.ts";

const line = (i: number, ts = `2026-01-01T00:00:${String(i % 60).padStart(2, "0")}Z`): LogLine => ({
  ts,
  text: `line ${i}`,
});

test("below the line bound nothing is dropped; above it the oldest go and are counted", () => {
  const b = new LogBuffer({ maxLines: 1000, maxBytes: 1 << 30 });
  for (let i = 0; i < 1000; i++) b.push(line(i));
  assert.equal(b.length, 1000);
  assert.equal(b.dropped, 0);
  assert.equal(b.at(0)?.text, "line 0");
  assert.equal(b.at(999)?.text, "line 999");
  for (let i = 1000; i < 2500; i++) b.push(line(i));
  assert.equal(b.length, 1000);
  assert.equal(b.dropped, 1500);
  assert.equal(b.first, 1500);
  assert.equal(b.at(1499), undefined);
  assert.equal(b.at(1500)?.text, "line 1500");
  assert.equal(b.last()?.text, "line 2499");
  assert.deepEqual([...b.lines()].map((l) => l.text).slice(0, 2), ["line 1500", "line 1501"]);
});

test("the byte bound drops the oldest lines too, and the bytes kept never exceed it", () => {
  const b = new LogBuffer({ maxLines: 1_000_000, maxBytes: 10_000 });
  let pushed = 0;
  while (b.dropped === 0) {
    b.push({ ts: "", text: "x".repeat(100) });
    pushed++;
    assert.ok(b.bytes <= 10_000);
  }
  assert.equal(b.length + b.dropped, pushed);
  const kept = b.length;
  for (let i = 0; i < 100; i++) b.push({ ts: "", text: "x".repeat(100) });
  assert.equal(b.length, kept);
  assert.equal(b.dropped, pushed + 100 - kept);
});

test("clear empties it without counting as dropped; positions go on", () => {
  const b = new LogBuffer({ maxLines: 10 });
  for (let i = 0; i < 5; i++) b.push(line(i));
  b.clear();
  assert.equal(b.length, 0);
  assert.equal(b.dropped, 0);
  b.push(line(5));
  assert.equal(b.first, 5);
  assert.equal(b.at(5)?.text, "line 5");
});

test("lines: timestamps parsed, control characters and escapes made safe, tabs expanded, huge lines cut", () => {
  assert.deepEqual(parseLine("2026-01-01T00:00:01.5Z hello"), { ts: "2026-01-01T00:00:01.5Z", text: "hello" });
  assert.deepEqual(parseLine("no timestamp"), { ts: "", text: "no timestamp" });
  assert.equal(sanitize("a\x1b[31mred\x1b[0m\x07b\r"), "ared^Gb");
  assert.equal(sanitize("\tx"), "        x");
  const huge = sanitize("y".repeat(MAX_LINE_CHARS + 10));
  assert.match(huge, /…\[line cut: 10 more characters\]$/);
  assert.deepEqual(splitChunk("ab", "c\nd\ne"), { lines: ["abc", "d"], carry: "e" });
  assert.equal(normalTs("2026-01-01T00:00:01.5Z"), "2026-01-01T00:00:01.500000000Z");
  assert.ok(normalTs("2026-01-01T00:00:01.5Z") > normalTs("2026-01-01T00:00:01.123456789Z"));
});

test("resume: the lines a reconnect repeats (same timestamp, same text) are skipped once each; new ones kept", () => {
  const b = new LogBuffer();
  const T1 = "2026-01-01T00:00:01.1Z";
  const T2 = "2026-01-01T00:00:02.2Z";
  for (const l of [
    { ts: T1, text: "a" },
    { ts: T2, text: "b" },
    { ts: T2, text: "dup" },
    { ts: T2, text: "dup" },
    { ts: "", text: "── marker ──", marker: true },
  ])
    b.push(l);
  const point = resumePoint(b);
  assert.ok(point);
  assert.equal(point.since, T2);
  const f = new ResumeFilter(point);
  // The server sends from sinceTime on: T2's lines again (the seen ones), then a third "dup" and a new line at T2,
  // then later lines.
  const again = [
    { ts: T2, text: "b" },
    { ts: T2, text: "dup" },
    { ts: T2, text: "dup" },
    { ts: T2, text: "dup" },
    { ts: T2, text: "c" },
    { ts: "2026-01-01T00:00:03Z", text: "d" },
    { ts: "2026-01-01T00:00:03Z", text: "b" },
  ];
  const kept = again.filter((l) => f.keep(l)).map((l) => l.text);
  assert.deepEqual(kept, ["dup", "c", "d", "b"]);
  assert.equal(f.active, false);
  // Older lines (a server that resends from the second) are skipped too.
  const g = new ResumeFilter(point);
  assert.equal(g.keep({ ts: T1, text: "a" }), false);
});

test("resume: no timestamped line yet, no resume point", () => {
  const b = new LogBuffer();
  b.push({ ts: "", text: "── marker ──", marker: true });
  assert.equal(resumePoint(b), null);
});

test("config.yaml's logBuffer sets the bounds of the buffers made afterwards; a view's own bounds still win", async () => {
  const { LogBuffer, setDefaultLogBounds, DEFAULT_MAX_LINES, DEFAULT_MAX_BYTES } = await import(
    "../../../src/app/log-buffer.ts"
  );
  try {
    setDefaultLogBounds({ lines: 500, bytes: 4096 });
    const configured = new LogBuffer();
    assert.equal(configured.maxLines, 500);
    assert.equal(configured.maxBytes, 4096);
    assert.equal(new LogBuffer({ maxLines: 7 }).maxLines, 7);
  } finally {
    setDefaultLogBounds({});
  }
  assert.equal(new LogBuffer().maxLines, DEFAULT_MAX_LINES);
  assert.equal(new LogBuffer().maxBytes, DEFAULT_MAX_BYTES);
});
