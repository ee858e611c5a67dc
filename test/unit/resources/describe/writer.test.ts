// kubectl's prefix writer over Go's tabwriter (minwidth 0, tabwidth 8, padding 2, padchar ' '), and the generic
// describer, against texts kubectl prints.
process.env.TZ = "UTC";

import assert from "node:assert/strict";
import { test } from "node:test";
import { camelSplit, describeGeneric, smartLabel } from "../../../../src/resources/describe/generic.ts";
import {
  DescribeWriter,
  goValue,
  rfc1123z,
  selectorString,
  tabwrite,
} from "../../../../src/resources/describe/writer.ts";

test("tabwriter: a column's block is the run of lines with a cell there; text after the last tab is no cell", () => {
  const cases: [string, string][] = [
    ["a:\tx\nlonger:\ty\n", "a:       x\nlonger:  y\n"],
    // A line without a tab ends the block: the next block has its own width.
    ["a:\tx\nbreak\nlonger:\ty\n", "a:  x\nbreak\nlonger:  y\n"],
    // Nested columns: the inner block is only the lines with a second cell.
    ["  T\tS\n  Ready \tTrue \n", "  T       S\n  Ready   True \n"],
    // Empty trailing cells still pad (kubectl's "Medium:" lines end in spaces).
    ["Medium:\t\nSizeLimit:\t<unset>\n", "Medium:     \nSizeLimit:  <unset>\n"],
    // Widths count runes, not UTF-16 units or bytes.
    ["é:\tx\nab:\ty\n", "é:   x\nab:  y\n"],
  ];
  for (const [input, want] of cases) assert.equal(tabwrite(input), want, JSON.stringify(input));
});

test("the prefix writer indents two spaces a level, flushes between sections, and escapes ESC and CR", () => {
  const w = new DescribeWriter();
  w.write(0, "Name:\tx\n");
  w.write(1, "Long Key Here:\ty\n");
  w.flush();
  w.write(0, "A:\tb\x1b[31m\r\n");
  assert.equal(w.toString(), "Name:             x\n  Long Key Here:  y\nA:  b^[[31m\\r");
});

test("Go formats: RFC1123Z, selectors, smart labels", () => {
  assert.equal(rfc1123z("2026-01-01T12:00:05Z"), "Thu, 01 Jan 2026 12:00:05 +0000");
  assert.equal(
    selectorString({
      matchLabels: { b: "2", a: "1" },
      matchExpressions: [{ key: "c", operator: "In", values: ["y", "x"] }],
    }),
    "a=1,b=2,c in (x,y)",
  );
  assert.deepEqual(camelSplit("HTMLParser"), ["HTML", "Parser"]);
  assert.equal(smartLabel("apiVersion"), "API Version");
  assert.equal(smartLabel("creationTimestamp"), "Creation Timestamp");
  assert.equal(smartLabel("uid"), "UID");
  assert.equal(smartLabel("x.y"), "x.y");
});

test("the generic describer: every field nested, metadata's name/namespace/labels/annotations/managedFields skipped", () => {
  const widget = {
    apiVersion: "demo.example/v1",
    kind: "Widget",
    metadata: {
      name: "w1",
      namespace: "shop",
      uid: "1234",
      generation: 2,
      creationTimestamp: "2026-01-01T11:00:00Z",
      labels: { app: "w" },
      managedFields: [{ manager: "x" }],
    },
    spec: { size: 3, ratio: 0.5, enabled: true, tags: ["a", "b"], parts: [{ name: "p1", count: 1 }], empty: null },
  };
  assert.equal(
    describeGeneric(widget, [], 0),
    [
      "Name:         w1",
      "Namespace:    shop",
      "Labels:       app=w",
      "Annotations:  <none>",
      "API Version:  demo.example/v1",
      "Kind:         Widget",
      "Metadata:",
      "  Creation Timestamp:  2026-01-01T11:00:00Z",
      "  Generation:          2",
      "  UID:                 1234",
      "Spec:",
      "  Empty:    <nil>",
      "  Enabled:  true",
      "  Parts:",
      "    Count:  1",
      "    Name:   p1",
      "  Ratio:    0.5",
      "  Size:     3",
      "  Tags:",
      "    a",
      "    b",
      "Events:  <none>",
    ].join("\n"),
  );
});

test("goValue: numbers as Go's %v prints what an unstructured object holds (int64, else float64 %g)", () => {
  const cases: [unknown, string][] = [
    [3, "3"],
    [-2.5, "-2.5"],
    [123456.5, "123456.5"],
    [1234567.5, "1.2345675e+06"],
    [0.0001, "0.0001"],
    [0.00001, "1e-05"],
    [1e19, "1e+19"],
    [null, "<nil>"],
  ];
  for (const [value, text] of cases) assert.equal(goValue(value), text, String(value));
});
