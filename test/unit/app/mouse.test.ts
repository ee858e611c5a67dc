import assert from "node:assert/strict";
import { test } from "node:test";
import { HEADER_LINES } from "../../../src/app/header.ts";
import type { RootMsg } from "../../../src/app/root.ts";
import { DOUBLE_CLICK_MS, WHEEL_ROWS } from "../../../src/app/root.ts";
import type { MouseEvent } from "../../../src/tui/input.ts";
import { effectsOf, NOW, pods, selectedName, send, setup, table, type } from "./helpers.ts";

function mouse(action: MouseEvent["action"], y: number, at = NOW, extra: Partial<MouseEvent> = {}): RootMsg {
  const button = action === "wheelUp" ? 64 : action === "wheelDown" ? 65 : 0;
  return { type: "mouse", action, x: 5, y, button, ctrl: false, alt: false, shift: false, at, ...extra };
}
/** The screen line of the i-th row shown (0: the first row under the column header). */
const rowLine = (i: number) => HEADER_LINES + 1 + i;

test("the wheel scrolls the table by 3 rows, the cursor staying on screen", () => {
  const { model } = setup(pods(50));
  let m = send(model, mouse("wheelDown", rowLine(2)));
  assert.equal(table(m).scroll, WHEEL_ROWS);
  assert.equal(selectedName(m), `p${WHEEL_ROWS}`, "the cursor was above the screen: it comes to its top");
  m = send(m, mouse("wheelDown", rowLine(2)), mouse("wheelUp", rowLine(2)));
  assert.equal(table(m).scroll, WHEEL_ROWS);
  m = send(m, mouse("wheelUp", 0), mouse("wheelUp", 0));
  assert.equal(table(m).scroll, 0);
});

test("a click selects the row under it; clicks on the header, the column names and the bottom line do nothing", () => {
  const { model } = setup(pods(50), { width: 120, height: 12 });
  let m = send(model, mouse("press", rowLine(4)), mouse("release", rowLine(4)));
  assert.equal(selectedName(m), "p4");
  m = send(m, mouse("wheelDown", rowLine(0)), mouse("press", rowLine(0)));
  assert.equal(selectedName(m), `p${WHEEL_ROWS}`, "the row under the pointer after scrolling");
  for (const y of [0, HEADER_LINES - 1, HEADER_LINES, 11]) {
    assert.equal(selectedName(send(m, mouse("press", y))), `p${WHEEL_ROWS}`, `line ${y}`);
  }
  // Below the last row.
  const few = setup(pods(2)).model;
  assert.equal(selectedName(send(few, mouse("press", rowLine(5)))), "p0");
  // A right click does not select.
  assert.equal(selectedName(send(model, mouse("press", rowLine(3), NOW, { button: 2 }))), "p0");
});

test("a double click (two presses on the row, close in time) is Enter: it opens the row", () => {
  const { model } = setup(pods(5));
  const y = rowLine(2);
  const opened = send(model, mouse("press", y, NOW), mouse("release", y, NOW + 50), mouse("press", y, NOW + 200));
  assert.equal(opened.stack.length, 2, "Enter on a pod opens its containers");
  // Too slow, or on another row: two clicks.
  const slow = send(model, mouse("press", y, NOW), mouse("press", y, NOW + DOUBLE_CLICK_MS + 1));
  assert.equal(slow.stack.length, 1);
  const other = send(model, mouse("press", y, NOW), mouse("press", rowLine(3), NOW + 100));
  assert.equal(other.stack.length, 1);
  assert.equal(selectedName(other), "p3");
});

test("Ctrl-O turns mouse capture off (the effect) and on again; off, mouse messages change nothing", () => {
  const { model } = setup(pods(20));
  const off = type(model, "<C-o>");
  assert.deepEqual(effectsOf(model, { type: "key", name: "o", ctrl: true, alt: false, shift: false }), [
    { type: "mouse", on: false },
  ]);
  assert.equal(off.mouse, false);
  assert.equal(selectedName(send(off, mouse("press", rowLine(3)))), "p0");
  assert.equal(table(send(off, mouse("wheelDown", rowLine(3)))).scroll, 0);
  assert.deepEqual(effectsOf(off, { type: "key", name: "o", ctrl: true, alt: false, shift: false }), [
    { type: "mouse", on: true },
  ]);
});

test("the wheel scrolls other views through their ↑/↓ (the help)", () => {
  const { model } = setup(pods(3), { width: 80, height: 10 });
  const help = type(model, "?");
  const scrolled = send(help, mouse("wheelDown", rowLine(1)));
  assert.notDeepEqual(scrolled.stack.at(-1), help.stack.at(-1));
});
