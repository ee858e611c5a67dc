import assert from "node:assert/strict";
import { test } from "node:test";
import { age, humanDuration, parseTime } from "../../../src/resources/format.ts";

const s = 1000;
const m = 60 * s;
const h = 60 * m;
const d = 24 * h;
const y = 365 * d;

// Every boundary of apimachinery's duration.HumanDuration, on both sides.
const durations: [number, string][] = [
  [-2 * s - 1, "<invalid>"],
  [-2 * s, "<invalid>"],
  [-1999, "0s"], // up to 2s in the future is clock skew, "now"
  [-1 * s, "0s"],
  [-1, "0s"],
  [0, "0s"],
  [999, "0s"],
  [1 * s, "1s"],
  [45 * s, "45s"],
  [119 * s + 999, "119s"],
  [2 * m, "2m"],
  [2 * m + 1 * s, "2m1s"],
  [3 * m + 2 * s, "3m2s"],
  [9 * m + 59 * s, "9m59s"],
  [10 * m, "10m"],
  [10 * m + 59 * s, "10m"],
  [179 * m + 59 * s, "179m"],
  [3 * h, "3h"],
  [3 * h + 5 * m, "3h5m"],
  [3 * h + 5 * m + 59 * s, "3h5m"],
  [7 * h + 59 * m, "7h59m"],
  [8 * h, "8h"],
  [8 * h + 59 * m, "8h"],
  [47 * h + 59 * m, "47h"],
  [2 * d, "2d"],
  [2 * d + 3 * h, "2d3h"],
  [7 * d + 23 * h, "7d23h"],
  [8 * d, "8d"],
  [85 * d + 23 * h, "85d"],
  [729 * d + 23 * h, "729d"],
  [2 * y, "2y"],
  [2 * y + 1 * d, "2y1d"],
  [3 * y + 45 * d, "3y45d"],
  [7 * y + 364 * d, "7y364d"],
  [8 * y, "8y"],
  [8 * y + 200 * d, "8y"],
  [12 * y, "12y"],
];

test("humanDuration matches kubectl at every boundary", () => {
  for (const [ms, expected] of durations) {
    assert.equal(humanDuration(ms), expected, `humanDuration(${ms})`);
  }
});

test("age: unknown without creationTimestamp, invalid in the future", () => {
  const now = Date.parse("2025-06-01T12:00:00Z");
  assert.equal(age(0, now), "<unknown>");
  assert.equal(age(now - 90 * s, now), "90s");
  assert.equal(age(now + 1 * s, now), "0s");
  assert.equal(age(now + 5 * s, now), "<invalid>");
});

test("parseTime reads RFC 3339 as the API server writes it", () => {
  const cases: [unknown, number][] = [
    ["2024-05-01T12:34:56Z", Date.UTC(2024, 4, 1, 12, 34, 56)],
    ["2024-05-01T12:34:56.250Z", Date.UTC(2024, 4, 1, 12, 34, 56, 250)],
    ["2024-05-01T12:34:56+02:00", Date.UTC(2024, 4, 1, 10, 34, 56)],
    ["1999-12-31T23:59:59Z", Date.UTC(1999, 11, 31, 23, 59, 59)],
    ["", 0],
    [undefined, 0],
    [null, 0],
    [12, 0],
    ["not a time", 0],
    ["2024-05-01Tab:34:56Z", 0],
  ];
  for (const [input, expected] of cases) assert.equal(parseTime(input), expected, String(input));
});
