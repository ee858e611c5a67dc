// Server-side Tables decoded from hand-built documents shaped like kube-apiserver's: column definitions on the LIST
// and on the first watch event only, one row per watch event (DELETED included), bookmarks as a Table whose row (if
// any) is an empty object, and rows that come without their object's metadata.
import assert from "node:assert/strict";
import { test } from "node:test";
import type { WatchEvent } from "../../../src/kube/objects.ts";
import {
  cellText,
  humanDuration,
  TABLE_ACCEPT,
  type TableRow,
  TableSource,
  tableCell,
} from "../../../src/kube/table.ts";

const PODS = { key: "pods", group: "", version: "v1", resource: "pods", namespaced: true };
const CREATED = "2026-01-01T00:00:00Z";
const CREATED_MS = Date.parse(CREATED);

const columns = [
  { name: "Name", type: "string", format: "name", description: "Name must be unique", priority: 0 },
  { name: "Ready", type: "string", format: "", description: "readiness", priority: 0 },
  { name: "Restarts", type: "integer", format: "", description: "restarts", priority: 0 },
  { name: "Age", type: "string", format: "", description: "CreationTimestamp is a timestamp", priority: 0 },
  { name: "Node", type: "string", format: "", description: "node", priority: 1 },
];

function partial(name: string, extra: Record<string, unknown> = {}) {
  return {
    kind: "PartialObjectMetadata",
    apiVersion: "meta.k8s.io/v1",
    metadata: { name, namespace: "default", uid: `uid-${name}`, creationTimestamp: CREATED, ...extra },
  };
}

function table(rows: unknown[], withColumns: boolean, metadata: Record<string, unknown> = {}) {
  return {
    kind: "Table",
    apiVersion: "meta.k8s.io/v1",
    metadata,
    columnDefinitions: withColumns ? columns : null,
    rows,
  };
}

function watchEvents(source: TableSource, events: { type: string; object: unknown }[]): WatchEvent[] {
  const out: WatchEvent[] = [];
  const parser = source.decoder.watchParser((event) => out.push(event));
  parser.push(Buffer.from(events.map((e) => `${JSON.stringify(e)}\n`).join("")));
  return out;
}

test("the source asks for v1 Tables with object metadata, like kubectl get", () => {
  const source = new TableSource(PODS);
  assert.equal(source.decoder.accept, TABLE_ACCEPT);
  assert.equal(TABLE_ACCEPT, "application/json;as=Table;v=v1;g=meta.k8s.io,application/json");
  assert.deepEqual(source.params, { includeObject: "Metadata" });
  assert.equal(source.listMode, "list");
  assert.equal(source.path("x"), "/api/v1/namespaces/x/pods");
  assert.equal(source.path(undefined), "/api/v1/pods");
  assert.equal(source.name, "pods");
});

test("a LIST Table gives its columns, its list metadata and one row object per row", () => {
  const source = new TableSource(PODS);
  assert.equal(source.columns(), undefined);
  const owner = { apiVersion: "apps/v1", kind: "ReplicaSet", name: "web-5d", uid: "u", controller: true };
  const body = table(
    [
      { cells: ["web-1", "1/1", 3, "5m", "node-a"], object: partial("web-1", { ownerReferences: [owner] }) },
      { cells: ["web-2", "0/1", 0, "5m", null], object: partial("web-2") },
    ],
    true,
    { resourceVersion: "42", continue: "next-page", remainingItemCount: 7 },
  );
  const list = source.decoder.decodeList(Buffer.from(JSON.stringify(body)));
  assert.equal(list.resourceVersion, "42");
  assert.equal(list.continueToken, "next-page");
  assert.equal(list.remainingItemCount, 7);
  assert.equal(source.columns()?.length, 5);
  assert.equal(source.columnsVersion, 1);
  assert.equal(source.ageColumn, 3);
  const rows = list.items.map((item) => source.toRow(item));
  assert.deepEqual(rows[0], {
    namespace: "default",
    name: "web-1",
    uid: "uid-web-1",
    createdAt: CREATED_MS,
    cells: ["web-1", "1/1", "3", "5m", "node-a"],
    ownerKind: "ReplicaSet",
    ownerName: "web-5d",
  } satisfies TableRow);
  assert.deepEqual(rows[1]!.cells, ["web-2", "0/1", "0", "5m", ""]);
  assert.equal(rows[1]!.ownerKind, undefined);
});

test("the continue token is read from a Table page's head, before its columns and rows", () => {
  const source = new TableSource(PODS);
  const body = JSON.stringify(table([{ cells: ["a"], object: partial("a") }], true, { continue: "tok" }));
  const head = Buffer.from(body.slice(0, body.indexOf('"rows"') + 8));
  assert.equal(source.decoder.peekContinue!(head), "tok");
  assert.equal(
    source.decoder.peekContinue!(Buffer.from('{"kind":"Table","metadata":{"resourceVersion":"1"')),
    undefined,
  );
  const last = JSON.stringify(table([], true, { resourceVersion: "1" }));
  assert.equal(source.decoder.peekContinue!(Buffer.from(last)), "");
});

test("watch: columns on the first event only are kept; later events with null columns keep them", () => {
  const source = new TableSource(PODS);
  const events = watchEvents(source, [
    { type: "ADDED", object: table([{ cells: ["a", "1/1", 0, "1s", "n"], object: partial("a") }], true) },
    { type: "MODIFIED", object: table([{ cells: ["a", "0/1", 1, "2s", "n"], object: partial("a") }], false) },
  ]);
  assert.equal(source.columns()?.length, 5);
  assert.equal(source.columnsVersion, 1);
  assert.deepEqual(
    events.map((e) => [e.type, e.object.metadata?.name]),
    [
      ["ADDED", "a"],
      ["MODIFIED", "a"],
    ],
  );
  assert.deepEqual(source.toRow(events[1]!.object).cells, ["a", "0/1", "1", "2s", "n"]);
});

test("watch: changed column definitions (a CRD's printer columns edited) are taken and counted", () => {
  const source = new TableSource(PODS);
  source.decoder.decodeList(Buffer.from(JSON.stringify(table([], true))));
  const fewer = { ...table([{ cells: ["a"], object: partial("a") }], false), columnDefinitions: [columns[0]] };
  watchEvents(source, [{ type: "ADDED", object: fewer }]);
  assert.equal(source.columns()?.length, 1);
  assert.equal(source.columnsVersion, 2);
  assert.equal(source.ageColumn, -1);
});

test("watch: a DELETED event is a Table of one row whose metadata keys the deletion", () => {
  const source = new TableSource(PODS);
  const events = watchEvents(source, [
    {
      type: "DELETED",
      object: table([{ cells: ["a", "0/1", 0, "9s", ""], object: partial("a", { resourceVersion: "77" }) }], false),
    },
  ]);
  assert.equal(events.length, 1);
  assert.equal(events[0]!.type, "DELETED");
  assert.equal(events[0]!.object.metadata?.namespace, "default");
  assert.equal(events[0]!.object.metadata?.name, "a");
  assert.equal(events[0]!.object.metadata?.resourceVersion, "77");
});

test("watch: a row's resourceVersion falls back to the Table's own", () => {
  const source = new TableSource(PODS);
  const events = watchEvents(source, [
    { type: "ADDED", object: table([{ cells: ["a"], object: partial("a") }], true, { resourceVersion: "12" }) },
  ]);
  assert.equal(events[0]!.object.metadata?.resourceVersion, "12");
});

test("watch: bookmarks, with no row (simulator) or an empty object's row (kube-apiserver), carry the version", () => {
  const source = new TableSource(PODS);
  const emptyRow = {
    cells: ["", "0/0", 0, "<unknown>", "<none>"],
    object: {
      kind: "PartialObjectMetadata",
      metadata: { resourceVersion: "90", annotations: { "k8s.io/initial-events-end": "true" } },
    },
  };
  const events = watchEvents(source, [
    { type: "BOOKMARK", object: table([], false, { resourceVersion: "88" }) },
    { type: "BOOKMARK", object: table([emptyRow], false, {}) },
  ]);
  assert.deepEqual(
    events.map((e) => [e.type, e.object.metadata?.resourceVersion]),
    [
      ["BOOKMARK", "88"],
      ["BOOKMARK", "90"],
    ],
  );
  assert.equal(events[1]!.object.metadata?.annotations?.["k8s.io/initial-events-end"], "true");
});

test("watch: an ERROR event's Status is handed on as it is", () => {
  const source = new TableSource(PODS);
  const status = {
    kind: "Status",
    apiVersion: "v1",
    status: "Failure",
    code: 410,
    reason: "Expired",
    message: "too old",
  };
  const events = watchEvents(source, [{ type: "ERROR", object: status }]);
  assert.deepEqual(events, [{ type: "ERROR", object: status }]);
});

test("rows without their object's metadata are keyed by the name column", () => {
  const source = new TableSource(PODS);
  const list = source.decoder.decodeList(
    Buffer.from(
      JSON.stringify(table([{ cells: ["lonely", "1/1", 0, "3m", "n"] }, { cells: ["x"], object: null }], true)),
    ),
  );
  const rows = list.items.map((item) => source.toRow(item));
  assert.deepEqual(
    rows.map((r) => [r.namespace, r.name, r.uid, r.createdAt]),
    [
      ["", "lonely", "", 0],
      ["", "x", "", 0],
    ],
  );
  // Without a creation time the age stays what the server printed.
  assert.equal(tableCell(source, rows[0]!, 3, Date.now()), "3m");
});

test("a server that answers with a plain list instead of a Table is a one-line protocol error", () => {
  const source = new TableSource(PODS);
  assert.throws(
    () => source.decoder.decodeList(Buffer.from('{"kind":"PodList","items":[]}')),
    /pods: the server sent a PodList instead of a Table in a list/,
  );
  assert.throws(() => source.decoder.decodeList(Buffer.from("{nope")), /not JSON/);
});

test("cells print as kubectl prints them", () => {
  assert.equal(cellText(null), "");
  assert.equal(cellText(undefined), "");
  assert.equal(cellText(3), "3");
  assert.equal(cellText(0.5), "0.5");
  assert.equal(cellText(true), "true");
  assert.equal(cellText(false), "false");
  assert.equal(cellText("one\ntwo"), "one...");
  assert.equal(cellText("a\rb"), "a...");
  assert.equal(cellText("plain"), "plain");
});

test("the AGE cell is computed from creationTimestamp at paint time, other cells are as sent", () => {
  const source = new TableSource(PODS);
  const list = source.decoder.decodeList(
    Buffer.from(JSON.stringify(table([{ cells: ["a", "1/1", 0, "5s", "n"], object: partial("a") }], true))),
  );
  const row = source.toRow(list.items[0]!);
  assert.equal(tableCell(source, row, 3, CREATED_MS + 5_000), "5s");
  assert.equal(tableCell(source, row, 3, CREATED_MS + 3 * 3600_000 + 60_000), "3h1m");
  assert.equal(tableCell(source, row, 1, CREATED_MS + 3600_000), "1/1");
  assert.equal(tableCell(source, row, 9, CREATED_MS), "");
});

test("a CRD's date column on creationTimestamp under another name counts as the age column", () => {
  const source = new TableSource({
    key: "widgets.demo.timoneiro.dev",
    group: "demo.timoneiro.dev",
    version: "v1",
    resource: "widgets",
    namespaced: true,
  });
  const crdColumns = [
    columns[0],
    { name: "Size", type: "integer", format: "", description: "", priority: 0 },
    {
      name: "Created",
      type: "date",
      format: "",
      description: "CreationTimestamp is a timestamp representing",
      priority: 0,
    },
    { name: "Last Backup", type: "date", format: "", description: "when", priority: 0 },
  ];
  source.decoder.decodeList(Buffer.from(JSON.stringify({ ...table([], false), columnDefinitions: crdColumns })));
  assert.equal(source.ageColumn, 2);
  assert.equal(source.path("ns"), "/apis/demo.timoneiro.dev/v1/namespaces/ns/widgets");
});

test("humanDuration is apimachinery's", () => {
  const s = 1000;
  const cases: [number, string][] = [
    [-3 * s, "<invalid>"],
    [-1 * s, "0s"],
    [0, "0s"],
    [119 * s, "119s"],
    [120 * s, "2m"],
    [185 * s, "3m5s"],
    [10 * 60 * s, "10m"],
    [179 * 60 * s, "179m"],
    [3 * 3600 * s, "3h"],
    [(7 * 3600 + 59 * 60) * s, "7h59m"],
    [8 * 3600 * s, "8h"],
    [47 * 3600 * s, "47h"],
    [(2 * 24 + 3) * 3600 * s, "2d3h"],
    [8 * 24 * 3600 * s, "8d"],
    [(2 * 365 + 45) * 24 * 3600 * s, "2y45d"],
    [9 * 365 * 24 * 3600 * s, "9y"],
  ];
  for (const [ms, text] of cases) assert.equal(humanDuration(ms), text, `${ms} ms`);
});
