// `/-l app=web`: a label selector, served by an informer with that labelSelector once the filter is kept.
import assert from "node:assert/strict";
import { test } from "node:test";
import { heldQueries, view } from "../../../src/app/root.ts";
import { plain, pods, setup, table, type } from "./helpers.ts";

test("-l is applied on Enter (not per keystroke), narrows the held query, and Esc drops it", () => {
  const { model } = setup(pods(3));
  let m = type(model, "/-l app=web");
  assert.deepEqual(
    heldQueries(m).map((q) => q.labelSelector),
    [undefined],
    "no informer per keystroke",
  );
  assert.match(plain(view(m)).at(-1) ?? "", /Enter applies the label selector/);
  assert.equal(table(m).filtered.length, 3, "not a text filter: the rows stay while it is typed");
  m = type(m, "<enter>");
  assert.deepEqual(
    heldQueries(m).map((q) => [q.kind, q.labelSelector]),
    [["pods", "app=web"]],
  );
  assert.equal(table(m).labelSelector, "app=web");
  m = type(m, "<esc>");
  assert.deepEqual(
    heldQueries(m).map((q) => q.labelSelector),
    [undefined],
  );
});
