// Sorting by a column, and the patch that keeps a sorted copy current after changes: it must equal a sort afresh.
import assert from "node:assert/strict";
import { test } from "node:test";
import { podsPresentation } from "../../../src/app/presentation.ts";
import { rowChanges, sortRows } from "../../../src/app/sort.ts";
import { compareRows, rowArray } from "../../../src/kube/store.ts";
import { generatePods, makePod } from "../../../src/repository/static-repository.ts";
import type { PodRow } from "../../../src/resources/pods.ts";
import type { BaseRow } from "../../../src/resources/types.ts";

const columns = podsPresentation.columns as never;
const NOW = Date.UTC(2026, 0, 1);

/** A sort afresh, written independently of sort.ts: by the column's text (restarts as numbers), ties by repository order. */
function expected(rows: readonly PodRow[], column: "NAME" | "STATUS" | "RESTARTS", descending: boolean): string[] {
  const key = (r: PodRow) => (column === "NAME" ? r.name : column === "STATUS" ? r.status : r.restarts);
  return [...rows]
    .sort((a, b) => {
      const ka = key(a);
      const kb = key(b);
      if (ka !== kb) return (descending ? -1 : 1) * (ka < kb ? -1 : 1);
      return compareRows(a, b);
    })
    .map((r) => `${r.namespace}/${r.name}`);
}

const names = (rows: readonly BaseRow[]) => rows.map((r) => `${r.namespace}/${r.name}`);

test("a sorted copy patched through many rounds of changes equals a sort afresh", () => {
  let seed = 7;
  const random = () => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed / 2 ** 31;
  };
  let rows: PodRow[] = generatePods(3000, NOW).sort(compareRows);
  for (const column of ["NAME", "STATUS", "RESTARTS"] as const) {
    for (const descending of [false, true]) {
      sortRows(rows, columns, { column, descending });
      for (let round = 0; round < 25; round++) {
        const next = rows.slice();
        for (let c = 0; c < 1 + Math.floor(random() * 8); c++) {
          const at = Math.floor(random() * next.length);
          const op = random();
          if (op < 0.4) next[at] = { ...(next[at] as PodRow), restarts: Math.floor(random() * 20), status: "Error" };
          else if (op < 0.7) next.splice(at, 1);
          else
            next.push(
              makePod({
                namespace: "zz",
                name: `new-${column}-${descending}-${round}-${c}`,
                createdAt: NOW - random() * 1e9,
              }),
            );
        }
        rows = next.sort(compareRows);
        const got = rowArray(sortRows(rows, columns, { column, descending }));
        assert.deepEqual(names(got), expected(rows, column, descending), `${column} ${descending} round ${round}`);
      }
    }
  }
});

test("rowChanges finds what went and what came between two arrays in repository order", () => {
  const a = makePod({ name: "a", createdAt: 3 });
  const b = makePod({ name: "b", createdAt: 2 });
  const c = makePod({ name: "c", createdAt: 1 });
  const b2 = { ...b, restarts: 4 };
  const d = makePod({ name: "d", createdAt: 0 });
  const changes = rowChanges([a, b, c], [a, b2, d], 100);
  assert.deepEqual(
    [...(changes?.removed ?? [])].map((r) => r.name),
    ["b", "c"],
  );
  assert.deepEqual(
    changes?.added.map((r) => r.name),
    ["b", "d"],
  );
  assert.equal(rowChanges([a, b, c], [d], 2), null, "more changes than the limit: sort afresh");
});
