import assert from "node:assert/strict";
import { test } from "node:test";
import { sparkline } from "../../../src/app/sparkline.ts";

test("scaled to the largest sample shown, gaps for missing samples, newest at the right", () => {
  assert.equal(sparkline([0, 1, 2, 3, 4, 5, 6, 7], 8), "▁▂▃▄▅▆▇█");
  assert.equal(sparkline([5, Number.NaN, 10], 3), "▅ █");
  assert.equal(sparkline([100, 1, 1], 2), "██", "only the shown samples set the scale");
  assert.equal(sparkline([3], 4), "   █", "right-aligned");
  assert.equal(sparkline([0, 0], 2), "▁▁");
  assert.equal(sparkline([], 3), "   ");
});
