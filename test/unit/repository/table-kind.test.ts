// resources/table-kind.ts: a server-side Table's column definitions as the columns a view prints.
import assert from "node:assert/strict";
import { test } from "node:test";
import type { TableColumnDef, TableRow } from "../../../src/kube/table.ts";
import { tableColumns } from "../../../src/resources/table-kind.ts";

const def = (name: string, extra: Partial<TableColumnDef> = {}): TableColumnDef => ({
  name,
  type: "string",
  format: "",
  description: "",
  priority: 0,
  ...extra,
});

test("headers upper-cased, Name left out, priority above 0 wide, cells by position, the age cell live", () => {
  const defs = [
    def("Name", { format: "name" }),
    def("Ready"),
    def("Nominated Node", { priority: 1 }),
    def("Age", { type: "date", description: "CreationTimestamp is a timestamp" }),
    def("Replicas", { type: "integer", priority: 2 }),
  ];
  const columns = tableColumns(defs, 3);
  assert.deepEqual(
    columns.map((c) => [c.name, c.priority, c.type, c.title]),
    [
      ["READY", 0, "string", "Ready"],
      ["NOMINATED NODE", 1, "string", "Nominated Node"],
      ["AGE", 0, "date", "Age"],
      ["REPLICAS", 1, "integer", "Replicas"],
    ],
  );
  const row: TableRow = {
    namespace: "x",
    name: "w",
    uid: "u",
    createdAt: 1_000_000,
    cells: ["w", "1/1", "<none>", "5m", "3"],
  };
  assert.deepEqual(
    columns.map((c) => c.cell(row, 1_000_000 + 45_000)),
    ["1/1", "<none>", "45s", "3"],
    "the age is computed, not the server's 5m",
  );
  const short: TableRow = { ...row, cells: ["w"] };
  assert.equal(columns[0]!.cell(short, 0), "", "a missing cell prints empty");
});

test("without an age column every cell is the server's; a Table without a name-format column drops Name by name", () => {
  const columns = tableColumns([def("NAME"), def("Last Schedule", { type: "date" })], -1);
  assert.deepEqual(
    columns.map((c) => c.name),
    ["LAST SCHEDULE"],
  );
  const row: TableRow = { namespace: "", name: "c", uid: "", createdAt: 1, cells: ["c", "7m"] };
  assert.equal(columns[0]!.cell(row, 10_000_000), "7m");
});
