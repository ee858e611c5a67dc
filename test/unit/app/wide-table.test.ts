import assert from "node:assert/strict";
import { test } from "node:test";
import { HEADER_LINES } from "../../../src/app/header.ts";
import { view } from "../../../src/app/root.ts";
import { scrollLayout } from "../../../src/app/table.ts";
import { stripAnsi } from "../../../src/tui/ansi.ts";
import { pods, setup, type } from "./helpers.ts";

function narrow(width: number) {
  return setup(
    pods(3, (i) => ({
      name: `web-frontend-deployment-7f9c8d-${i}`,
      node: `worker-node-pool-a-${i}`,
      ip: `10.1.2.${i}`,
    })),
    { width, height: 8 },
  ).model;
}

/** The table's column header and its first row, as text. */
function head(model: ReturnType<typeof narrow>): [string, string] {
  const lines = view(model).map(stripAnsi);
  return [(lines[HEADER_LINES] ?? "").trimEnd(), (lines[HEADER_LINES + 1] ?? "").trimEnd()];
}

test("columns that do not fit: → scrolls sideways by a column with NAME pinned, ◀▶ say where there is more", () => {
  let m = narrow(90);
  assert.deepEqual(head(m), [
    "NAMESPACE  NAME                              READY  STATUS   RESTARTS  AGE  CPU  MEM     ▶",
    "default    web-frontend-deployment-7f9c8d-0  1/1    Running  0         60s  n/a  n/a",
  ]);
  m = type(m, "<right>");
  assert.deepEqual(head(m), [
    "NAME                              READY  STATUS   RESTARTS  AGE  CPU  MEM  %CPU/R       ◀▶",
    "web-frontend-deployment-7f9c8d-0  1/1    Running  0         60s  n/a  n/a  n/a",
  ]);
  for (let i = 0; i < 7; i++) m = type(m, "<right>");
  assert.deepEqual(head(m), [
    "NAME                              %CPU/L  %MEM/R  %MEM/L  NODE                  IP      ◀",
    "web-frontend-deployment-7f9c8d-0  n/a     n/a     n/a     worker-node-pool-a-0  10.1.2.0",
  ]);
  // The last column shows: → does nothing more (and is not offered).
  assert.deepEqual(head(type(m, "<right>")), head(m));
  m = type(m, "<left>".repeat(8));
  assert.deepEqual(head(m), head(narrow(90)));
});

test("columns that fit: ←/→ do not scroll and no mark shows", () => {
  const m = narrow(200);
  assert.ok(!head(m)[0].includes("▶"));
  assert.deepEqual(head(type(m, "<right>")), head(m));
});

test("Ctrl-W hides the -o wide columns entirely, and shows them again", () => {
  const wideOn = narrow(200);
  assert.match(head(wideOn)[0], /AGE +CPU +MEM +%CPU\/R +%CPU\/L +%MEM\/R +%MEM\/L +NODE +IP$/);
  const off = type(wideOn, "<C-w>");
  assert.match(head(off)[0], /RESTARTS +AGE +CPU +MEM +%CPU\/R +%CPU\/L +%MEM\/R +%MEM\/L$/);
  assert.ok(!head(off)[1].includes("worker-node"));
  assert.deepEqual(head(type(off, "<C-w>")), head(wideOn));
  // At 120 columns, without the wide columns everything fits: no sideways scrolling left.
  const fits = type(narrow(120), "<C-w>");
  assert.ok(!head(fits)[0].includes("▶"), head(fits)[0]);
});

test("in the filter, Ctrl-W deletes a word instead", () => {
  const m = type(narrow(200), "/web x<C-w>");
  assert.equal(view(m).map(stripAnsi).at(-1)?.startsWith("/web "), true);
  assert.match(head(m)[0], /NODE/);
});

test("scrollLayout: clamps the offset, pins the flex column", () => {
  const columns = [
    { hideOrder: 1 },
    { hideOrder: 0, flex: true },
    { hideOrder: 0 },
    { hideOrder: 2 },
    { hideOrder: 3 },
  ];
  const natural = [10, 30, 10, 10, 10];
  const wide = scrollLayout(columns, natural, 200, 5);
  assert.deepEqual([wide.offset, wide.maxOffset, wide.left, wide.right], [0, 0, false, false]);
  const l = scrollLayout(columns, natural, 60, 99);
  assert.equal(l.offset, l.maxOffset);
  assert.equal(l.shown[0], 1, "NAME first");
  assert.equal(l.shown.at(-1), 4, "the last column shows at the largest offset");
  assert.deepEqual([l.left, l.right], [true, false]);
});
