// Pod rows against kube-apiserver's printPod rules (what `kubectl get pods -o wide` prints): tables of small pod JSON
// objects (pod-cases.ts) → STATUS/READY/RESTARTS, plus the wide columns and the row's own fields.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { tableCells } from "../../../src/resources/index.ts";
import { type PodRow, podRow, pods } from "../../../src/resources/pods.ts";
import { type Json, MIN, pod, podCaseGroups, running } from "./pod-cases.ts";

const NOW = Date.parse("2025-06-01T12:00:00Z");

function cell(row: PodRow, column: string): string {
  const col = pods.columns.find((c) => c.name === column);
  assert.ok(col, column);
  return col.cell(row, NOW);
}

for (const { group, cases } of podCaseGroups(NOW)) {
  describe(group, () => {
    for (const c of cases) {
      test(c.name, () => {
        const row = podRow(c.pod);
        assert.equal(row.status, c.status, "STATUS");
        if (c.ready !== undefined) assert.equal(row.ready, c.ready, "READY");
        if (c.restarts !== undefined) assert.equal(cell(row, "RESTARTS"), c.restarts, "RESTARTS");
      });
    }
  });
}

test("lastRestartAt is the epoch ms of the latest lastState.terminated.finishedAt", () => {
  const row = podRow(pod({ statuses: [running("app", { restarts: 1, lastFinished: 90_000 })] }));
  assert.equal(row.lastRestartAt, NOW - 90_000);
  assert.equal(row.restarts, 1);
});

describe("pod wide columns", () => {
  test("IP, NODE, NOMINATED NODE and READINESS GATES", () => {
    const o = pod({
      gates: ["a.example.com/x", "b.example.com/y", "c.example.com/z"],
      conditions: [
        ["a.example.com/x", "True"],
        ["b.example.com/y", "False"],
        ["a.example.com/x", "False"], // only the first condition of a type is looked at
      ],
    });
    const spec = o.spec as Json;
    const status = o.status as Json;
    spec.nodeName = "node-1";
    status.podIP = "10.0.0.7";
    status.podIPs = [{ ip: "10.0.0.7" }, { ip: "fd00::7" }];
    status.nominatedNodeName = "node-2";
    const row = podRow(o);
    assert.deepEqual(tableCells(pods as never, row, NOW), [
      "p",
      "0/1",
      "Running",
      "0",
      "5m",
      "10.0.0.7",
      "node-1",
      "node-2",
      "1/3",
    ]);
  });

  test("unset wide fields print <none>", () => {
    const row = podRow(pod({ phase: "Pending" }));
    assert.deepEqual(
      pods.columns.filter((c) => c.priority === 1).map((c) => c.cell(row, NOW)),
      ["<none>", "<none>", "<none>", "<none>"],
    );
  });

  test("IP falls back to podIPs[0] when podIP is missing", () => {
    const o = pod({});
    (o.status as Json).podIPs = [{ ip: "fd00::9" }];
    assert.equal(podRow(o).ip, "fd00::9");
  });
});

describe("pod row", () => {
  test("keeps identity, phase, deletion and the controller owner", () => {
    const o = pod({ phase: "Running", deleting: true });
    o.metadata!.ownerReferences = [
      { apiVersion: "v1", kind: "Node", name: "n1", uid: "x" },
      { apiVersion: "apps/v1", kind: "ReplicaSet", name: "web-7d4b9", uid: "y", controller: true },
    ];
    const row = podRow(o);
    assert.equal(row.namespace, "ns");
    assert.equal(row.name, "p");
    assert.equal(row.uid, "u1");
    assert.equal(row.createdAt, NOW - 5 * MIN);
    assert.equal(row.phase, "Running");
    assert.equal(row.deleting, true);
    assert.equal(row.ownerKind, "ReplicaSet");
    assert.equal(row.ownerName, "web-7d4b9");
  });

  test("holds primitives only, never the input object or its parts", () => {
    const row = podRow(
      pod({
        init: [["proxy", "Always"]],
        initStatuses: [running("proxy", { started: true, ready: true })],
        statuses: [running("app", { ready: true, restarts: 1, lastFinished: MIN })],
        gates: ["x"],
      }),
    );
    for (const [key, value] of Object.entries(row)) {
      assert.ok(value === null || typeof value !== "object", `${key} is an object`);
    }
  });

  test("survives an object with nothing but a name", () => {
    const row = podRow({ metadata: { name: "bare" } });
    assert.equal(row.status, "");
    assert.equal(row.ready, "0/0");
    assert.equal(cell(row, "AGE"), "<unknown>");
    assert.equal(cell(row, "RESTARTS"), "0");
  });
});
