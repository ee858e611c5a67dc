import assert from "node:assert/strict";
import { test } from "node:test";
import { paintRow, paintRowOf, type RowPaint } from "../../../src/app/table.ts";
import { THEME } from "../../../src/app/theme.ts";

test("a row painted again gives the line painted afresh, whatever changed between the two", () => {
  const row = {};
  const cells = ["default", "web-1", "1/1", "Running", "0", "5m"];
  const widths = [9, 12, 5, 10, 8, 4];
  const paint: RowPaint = { base: THEME.row, selected: false };
  const first = paintRowOf(row, cells, widths, paint, 80);
  assert.equal(first, paintRow(cells, widths, paint, 80));
  assert.equal(paintRowOf(row, [...cells], [...widths], { ...paint }, 80), first, "equal inputs, new arrays");
  const changes: [string, string[], number[], RowPaint, number][] = [
    ["a cell", cells.with(5, "6m"), widths, paint, 80],
    ["a width", cells, widths.with(1, 20), paint, 80],
    ["one column fewer", cells.slice(0, 5), widths.slice(0, 5), paint, 80],
    ["selected", cells, widths, { ...paint, selected: true }, 80],
    ["selected, wider screen", cells, widths, { ...paint, selected: true }, 120],
    ["marked", cells, widths, { ...paint, marked: true }, 80],
    ["another row colour", cells, widths, { base: THEME.rowFailing, selected: false }, 80],
    [
      "highlights",
      cells,
      widths,
      { ...paint, highlights: [undefined, new Set([0, 1]), undefined, undefined, undefined, undefined] },
      80,
    ],
    ["back to the first", cells, widths, paint, 80],
  ];
  for (const [what, c, w, p, lineWidth] of changes) {
    assert.equal(paintRowOf(row, c, w, p, lineWidth), paintRow(c, w, p, lineWidth), what);
  }
});

test("two rows with the same cells keep lines of their own", () => {
  const a = {};
  const b = {};
  const cells = ["x", "y"];
  const widths = [3, 3];
  const plain = paintRowOf(a, cells, widths, { base: THEME.row, selected: false }, 40);
  const selected = paintRowOf(b, cells, widths, { base: THEME.row, selected: true }, 40);
  assert.notEqual(plain, selected);
  assert.equal(paintRowOf(a, cells, widths, { base: THEME.row, selected: false }, 40), plain);
  assert.equal(paintRowOf(b, cells, widths, { base: THEME.row, selected: true }, 40), selected);
});
