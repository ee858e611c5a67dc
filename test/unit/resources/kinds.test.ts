// Rows of the other kinds against the server-side Table rows kube-apiserver prints for them (kind-cases.ts), and the
// index: name resolution and the Table shape shared with the simulated API server.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  builtinKindOrThrow,
  resourceDefFor,
  resourceDefs,
  tableCells,
  tableColumnDefinitions,
} from "../../../src/resources/index.ts";
import { serviceRow } from "../../../src/resources/services.ts";
import type { ResourceType } from "../../../src/resources/types.ts";
import { kindCases } from "./kind-cases.ts";

const NOW = Date.parse("2025-06-01T12:00:00Z");

describe("server-side Table rows", () => {
  for (const c of kindCases(NOW)) {
    test(`${c.obj.kind}: ${c.name}`, () => {
      const def = resourceDefFor(c.obj.kind ?? "");
      assert.ok(def, c.obj.kind);
      const row = def.toRow(c.obj);
      assert.equal(row.name, c.obj.metadata?.name);
      // The cases list NAME first; the server prints an event's Name last (a wide column), as tableCells does.
      const expected = def.namePosition === "wide-last" ? [...c.cells.slice(1), c.cells[0]] : c.cells;
      assert.deepEqual(tableCells(def, row, NOW), expected);
      for (const [key, value] of Object.entries(row)) {
        assert.ok(value === null || typeof value !== "object", `${key} must not keep a sub-object`);
      }
    });
  }

  test("a service whose clusterIPs were not filled in falls back to clusterIP", () => {
    assert.equal(serviceRow({ metadata: { name: "s" }, spec: { clusterIP: "10.0.0.1" } }).clusterIP, "10.0.0.1");
    assert.equal(serviceRow({ metadata: { name: "s" }, spec: { type: "ClusterIP" } }).clusterIP, "<none>");
  });

  test("an unknown service type prints <unknown> as EXTERNAL-IP", () => {
    assert.equal(serviceRow({ metadata: { name: "s" }, spec: { type: "Weird" } }).externalIP, "<unknown>");
  });

  test("an invalid selector operator prints <invalid> (deployments) and <error> (replicasets)", () => {
    const selector = { matchExpressions: [{ key: "a", operator: "Near", values: ["x"] }] };
    const deploy = resourceDefs.deployments.toRow({ metadata: { name: "d" }, spec: { selector } });
    const rs = resourceDefs.replicasets.toRow({ metadata: { name: "r" }, spec: { selector } });
    const last = (type: ResourceType, row: typeof deploy) => tableCells(builtinKindOrThrow(type), row, NOW).at(-1);
    assert.equal(last("deployments", deploy), "<invalid>");
    assert.equal(last("replicasets", rs), "<error>");
  });

  test("an empty selector prints nothing for deployments and <none> for replicasets and daemonsets", () => {
    for (const [type, expected] of [
      ["deployments", ""],
      ["replicasets", "<none>"],
      ["daemonsets", "<none>"],
    ] as const) {
      const row = builtinKindOrThrow(type).toRow({ metadata: { name: "x" }, spec: {} });
      assert.equal(tableCells(builtinKindOrThrow(type), row, NOW).at(-1), expected, type);
    }
  });
});

describe("resourceDefFor", () => {
  const names: [string, ResourceType][] = [
    ["pods", "pods"],
    ["pod", "pods"],
    ["po", "pods"],
    ["Pods", "pods"],
    ["deployments", "deployments"],
    ["deployment", "deployments"],
    ["deploy", "deployments"],
    ["deployments.apps", "deployments"],
    ["deploy.v1.apps", "deployments"],
    ["services", "services"],
    ["service", "services"],
    ["svc", "services"],
    ["namespaces", "namespaces"],
    ["namespace", "namespaces"],
    ["ns", "namespaces"],
    ["statefulsets", "statefulsets"],
    ["statefulset", "statefulsets"],
    ["sts", "statefulsets"],
    ["daemonsets", "daemonsets"],
    ["daemonset", "daemonsets"],
    ["ds", "daemonsets"],
    ["replicasets", "replicasets"],
    ["replicaset", "replicasets"],
    ["rs", "replicasets"],
    ["nodes", "nodes"],
    ["node", "nodes"],
    ["no", "nodes"],
    [" po ", "pods"],
  ];
  for (const [name, type] of names) {
    test(`${JSON.stringify(name)} → ${type}`, () => assert.equal(resourceDefFor(name)?.type, type));
  }
  test("unknown names resolve to nothing", () => {
    for (const name of ["", "p", "pods.apps", "deploy.extensions", "configmaps.apps", "cm.batch", "leases"]) {
      assert.equal(resourceDefFor(name), undefined, name);
    }
  });
  test("every kind is registered under its own type", () => {
    for (const [type, def] of Object.entries(resourceDefs)) assert.equal(def.type, type);
  });
});

describe("tableColumnDefinitions", () => {
  test("pods: Name first, then kube-apiserver's column names, types and priorities", () => {
    const columns = tableColumnDefinitions(resourceDefs.pods);
    assert.deepEqual(
      columns.map((c) => [c.name, c.type, c.format, c.priority]),
      [
        ["Name", "string", "name", 0],
        ["Ready", "string", "", 0],
        ["Status", "string", "", 0],
        ["Restarts", "string", "", 0],
        ["Age", "string", "", 0],
        ["IP", "string", "", 1],
        ["Node", "string", "", 1],
        ["Nominated Node", "string", "", 1],
        ["Readiness Gates", "string", "", 1],
      ],
    );
    for (const c of columns) assert.ok(c.description.length > 0, `${c.name} has a description`);
  });

  test("kubectl's headers are the upper-cased server-side names", () => {
    for (const def of Object.values(resourceDefs)) {
      const definitions = tableColumnDefinitions(def).filter((c) => c.format !== "name");
      assert.deepEqual(
        definitions.map((c) => c.name.toUpperCase()),
        def.columns.map((c) => c.name),
        def.type,
      );
    }
  });

  test("column names and types per kind", () => {
    const shape = (type: ResourceType) =>
      tableColumnDefinitions(builtinKindOrThrow(type))
        .filter((c) => c.format !== "name")
        .map((c) => `${c.name}:${c.type}${c.priority ? "*" : ""}`)
        .join(" ");
    assert.equal(
      shape("deployments"),
      "Ready:string Up-to-date:string Available:string Age:string Containers:string* Images:string* Selector:string*",
    );
    assert.equal(
      shape("replicasets"),
      "Desired:integer Current:integer Ready:integer Age:string Containers:string* Images:string* Selector:string*",
    );
    assert.equal(shape("statefulsets"), "Ready:string Age:string Containers:string* Images:string*");
    assert.equal(
      shape("daemonsets"),
      "Desired:integer Current:integer Ready:integer Up-to-date:integer Available:integer Node Selector:string " +
        "Age:string Containers:string* Images:string* Selector:string*",
    );
    assert.equal(
      shape("services"),
      "Type:string Cluster-IP:string External-IP:string Port(s):string Age:string Selector:string*",
    );
    assert.equal(shape("namespaces"), "Status:string Age:string");
    assert.equal(
      shape("nodes"),
      "Status:string Roles:string Age:string Version:string Internal-IP:string* External-IP:string* " +
        "OS-Image:string* Kernel-Version:string* Container-Runtime:string*",
    );
  });
});
