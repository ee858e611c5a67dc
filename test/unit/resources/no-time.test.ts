// "No time" is a missing timestamp or Go's zero time (0001-01-01T00:00:00Z), never the Unix epoch: kubectl prints a
// container that last finished at 1970-01-01 as "2 (55y ago)", and only a nil time as "2".
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { age, NO_TIME, parseOptionalTime, parseTime, since } from "../../../src/resources/format.ts";
import { podRow, pods, restartsText } from "../../../src/resources/pods.ts";
import { cs, type Json, pod, podCaseGroups } from "./pod-cases.ts";

const NOW = Date.parse("2025-06-01T12:00:00Z");
podCaseGroups(NOW); // sets the fixtures' clock

/** A running container that restarted `restarts` times, its last termination finished at `finishedAt` (verbatim). */
function restarted(name: string, restarts: number, finishedAt: string | undefined): Json {
  const status = cs(name, { running: { startedAt: "2025-06-01T11:00:00Z" } }, { ready: true, restarts });
  if (finishedAt !== undefined) status.lastState = { terminated: { exitCode: 1, reason: "Error", finishedAt } };
  return status;
}

function restartsCell(statuses: Json[], containers = statuses.map((s) => String(s.name))): string {
  const column = pods.columns.find((c) => c.name === "RESTARTS");
  assert.ok(column);
  return column.cell(podRow(pod({ containers, statuses })), NOW);
}

describe("pod RESTARTS and the last termination time", () => {
  const cases: [string, Json[], string][] = [
    ["finished exactly at the epoch", [restarted("app", 2, "1970-01-01T00:00:00Z")], "2 (55y ago)"],
    ["finished before the epoch", [restarted("app", 2, "1969-12-31T23:59:59Z")], "2 (55y ago)"],
    ["finishedAt is Go's zero time: no time", [restarted("app", 2, "0001-01-01T00:00:00Z")], "2"],
    ["no finishedAt", [restarted("app", 2, "")], "2"],
    ["no lastState at all", [restarted("app", 2, undefined)], "2"],
    [
      "the latest time wins over an epoch one and a zero one",
      [
        restarted("a", 1, "1970-01-01T00:00:00Z"),
        restarted("b", 1, "0001-01-01T00:00:00Z"),
        restarted("c", 1, "2025-06-01T11:57:00Z"),
      ],
      "3 (3m ago)",
    ],
    [
      "an epoch time still counts when the others have none",
      [restarted("a", 1, "0001-01-01T00:00:00Z"), restarted("b", 4, "1970-01-01T00:00:00Z")],
      "5 (55y ago)",
    ],
  ];
  for (const [name, statuses, expected] of cases) {
    test(name, () => assert.equal(restartsCell(statuses), expected));
  }

  test("restartsText: NO_TIME means none, 0 is the epoch", () => {
    assert.equal(restartsText(2, NO_TIME, NOW), "2");
    assert.equal(restartsText(2, 0, NOW), "2 (55y ago)");
    assert.equal(restartsText(0, NOW - 60_000, NOW), "0");
  });
});

describe("optional timestamps", () => {
  const cases: [unknown, number][] = [
    [undefined, NO_TIME],
    [null, NO_TIME],
    ["", NO_TIME],
    ["not a time", NO_TIME],
    ["0001-01-01T00:00:00Z", NO_TIME],
    ["1970-01-01T00:00:00Z", 0],
    ["1969-12-31T23:00:00Z", -3_600_000],
    ["2025-06-01T11:59:00Z", NOW - 60_000],
    ["2025-06-01T11:59:00.250000Z", NOW - 59_750],
  ];
  for (const [input, expected] of cases) {
    test(`parseOptionalTime(${JSON.stringify(input)})`, () => assert.equal(parseOptionalTime(input), expected));
  }

  test("parseTime reads years before 100 as such (Date.UTC would make 0001 into 1901)", () => {
    assert.equal(parseTime("0001-01-01T00:00:00Z"), Date.parse("0001-01-01T00:00:00Z"));
    assert.equal(parseTime("0099-12-31T23:59:59Z"), Date.parse("0099-12-31T23:59:59Z"));
  });

  test("since and age print <unknown> for no time only", () => {
    assert.equal(since(NO_TIME, NOW), "<unknown>");
    assert.equal(since(0, NOW), "55y");
    assert.equal(since(NOW - 90_000, NOW), "90s");
    assert.equal(age(NO_TIME, NOW), "<unknown>");
  });
});
