// The usage columns of pods and nodes: requests and limits read at ingest (JSON and protobuf), percentages and their
// n/a rules, and the quantity parsing underneath.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { quantityIn, usageSample, wholeMebibytes, wholeMillicores } from "../../../src/kube/metrics.ts";
import type { KubeObject } from "../../../src/kube/objects.ts";
import { encodePodList } from "../../../src/kube/protobuf/encoder.ts";
import { protobufDecoder } from "../../../src/kube/protobuf/index.ts";
import { nodeRow, nodeUsageColumns, withNodeUsage } from "../../../src/resources/nodes.ts";
import {
  NO_USAGE,
  type PodRow,
  percentOf,
  podResources,
  podRow,
  podUsageColumns,
  podUsageLevel,
  withUsage,
} from "../../../src/resources/pods.ts";

type Json = Record<string, unknown>;
const MiB = 1024 * 1024;

function pod(spec: Json): KubeObject {
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name: "p", namespace: "ns", uid: "u", creationTimestamp: "2025-01-01T00:00:00Z" },
    spec,
    status: { phase: "Running" },
  };
}

function cells(row: PodRow): Record<string, string> {
  return Object.fromEntries(podUsageColumns.map((c) => [c.name, c.cell(row, 0)]));
}

describe("quantities", () => {
  test("millicores and bytes from every suffix, scaled exactly", () => {
    assert.equal(quantityIn("250m", -3), 250);
    assert.equal(quantityIn("2", -3), 2000);
    assert.equal(quantityIn("0.5", -3), 500);
    assert.equal(quantityIn("2000000n", -3), 2);
    assert.equal(quantityIn("1500u", -3), 1.5);
    assert.equal(quantityIn("128Mi", 0), 128 * MiB);
    assert.equal(quantityIn("1Gi", 0), 1024 * MiB);
    assert.equal(quantityIn("16069588Ki", 0), 16069588 * 1024);
    assert.equal(quantityIn("1G", 0), 1e9);
    assert.equal(quantityIn("1e3", 0), 1000);
    assert.equal(quantityIn("12k", 0), 12000);
    assert.equal(quantityIn("2E", 0), 2e18, "E alone is exa, not an exponent");
    assert.equal(quantityIn("2.5E", 0), 2.5e18);
    assert.equal(quantityIn("2E2", 0), 200);
    for (const bad of ["", "abc", "12Qi", "m", "1.2.3", "--1"]) assert.ok(Number.isNaN(quantityIn(bad, 0)), bad);
  });

  test("printed as kubectl top: millicores rounded up, MiB rounded down", () => {
    assert.equal(wholeMillicores(quantityIn("1234567n", -3)), 2);
    assert.equal(wholeMillicores(quantityIn("2000000n", -3)), 2);
    assert.equal(wholeMillicores(0), 0);
    assert.equal(wholeMebibytes(quantityIn("1048575", 0)), 0);
    assert.equal(wholeMebibytes(quantityIn("25Mi", 0)), 25);
  });

  test("a PodMetrics item: containers summed, window parsed", () => {
    const sample = usageSample({
      metadata: { name: "web", namespace: "shop" },
      timestamp: "2025-01-01T00:00:15Z",
      window: "15.002s",
      containers: [
        { name: "a", usage: { cpu: "1500000n", memory: "10Mi" } },
        { name: "b", usage: { cpu: "3m", memory: "2048Ki" } },
      ],
    });
    assert.deepEqual(sample, {
      namespace: "shop",
      name: "web",
      key: "shop/web",
      timestamp: Date.parse("2025-01-01T00:00:15Z"),
      windowMs: 15_002,
      cpuMillis: 4.5,
      memoryBytes: 12 * MiB,
    });
    assert.equal(usageSample({ metadata: { name: "x" } }), undefined, "no timestamp");
    const node = usageSample({ metadata: { name: "n1" }, timestamp: "2025-01-01T00:00:15Z", usage: { cpu: "1" } });
    assert.equal(node?.cpuMillis, 1000);
    assert.equal(node?.windowMs, 15_000, "metrics-server's default when the item has no window");
  });
});

describe("pod requests and limits", () => {
  const c = (requests?: Json, limits?: Json, extra: Json = {}) => ({
    name: "c",
    resources: { requests, limits },
    ...extra,
  });

  test("summed over containers", () => {
    const r = podResources({
      containers: [
        c({ cpu: "100m", memory: "64Mi" }, { cpu: "1", memory: "128Mi" }),
        c({ cpu: "50m" }, { cpu: "500m", memory: "64Mi" }),
      ],
    });
    assert.deepEqual(r, { cpuRequest: 150, cpuLimit: 1500, memRequest: 64 * MiB, memLimit: 192 * MiB });
  });

  test("one container without a limit leaves the pod without that limit", () => {
    const r = podResources({
      containers: [c({ cpu: "100m" }, { cpu: "1", memory: "1Gi" }), c({ cpu: "100m" }, { memory: "1Gi" })],
    });
    assert.equal(r.cpuLimit, 0);
    assert.equal(r.memLimit, 2048 * MiB);
  });

  test("init containers: the largest plain one wins over a smaller sum; sidecars add up", () => {
    const r = podResources({
      initContainers: [c({ cpu: "2" }, { cpu: "2" }), c({ cpu: "100m" }, { cpu: "100m" }, { restartPolicy: "Always" })],
      containers: [c({ cpu: "200m" }, { cpu: "200m" })],
    });
    // max(2000 (the plain init container), 200 + 100 (containers + sidecar)).
    assert.equal(r.cpuRequest, 2000);
    assert.equal(r.cpuLimit, 2000);
    const s = podResources({
      initContainers: [c({ cpu: "100m" }, { cpu: "100m" }, { restartPolicy: "Always" }), c({ cpu: "250m" })],
      containers: [c({ cpu: "200m" })],
    });
    // The plain init container runs beside the sidecar started before it: 250 + 100 > 200 + 100.
    assert.equal(s.cpuRequest, 350);
  });

  test("overhead is added; pod-level resources win", () => {
    const r = podResources({ containers: [c({ cpu: "100m" }, { cpu: "200m" })], overhead: { cpu: "10m" } });
    assert.equal(r.cpuRequest, 110);
    assert.equal(r.cpuLimit, 210);
    const p = podResources({
      containers: [c({ cpu: "100m" })],
      resources: { requests: { cpu: "1" }, limits: { cpu: "2" } },
    });
    assert.equal(p.cpuRequest, 1000);
    assert.equal(p.cpuLimit, 2000);
  });

  test("no containers, no resources: zeros (printed n/a)", () => {
    assert.deepEqual(podResources({ containers: [] }), { cpuRequest: 0, cpuLimit: 0, memRequest: 0, memLimit: 0 });
    assert.deepEqual(podResources(undefined), { cpuRequest: 0, cpuLimit: 0, memRequest: 0, memLimit: 0 });
  });

  test("the protobuf decoder reads the same requests and limits as JSON", () => {
    const objects = [
      pod({ containers: [c({ cpu: "100m", memory: "64Mi" }, { cpu: "1", memory: "128Mi" })], overhead: { cpu: "5m" } }),
      pod({
        initContainers: [c({ cpu: "2" }, { cpu: "2" }), c({ memory: "1Gi" }, {}, { restartPolicy: "Always" })],
        containers: [c({ cpu: "200m" }), { name: "bare" }],
        resources: { limits: { memory: "3Gi" } },
      }),
    ];
    const decoded = protobufDecoder.decodeList(encodePodList({ items: objects as Json[] })).items;
    assert.deepEqual(decoded.map(podRow), objects.map(podRow));
    assert.equal(podRow(decoded[0]!).cpuLimit, 1005, "the overhead counts against the limit too");
    assert.equal(podRow(decoded[1]!).memLimit, 3072 * MiB);
  });
});

describe("pod usage columns", () => {
  const row = podRow(
    pod({
      containers: [
        { name: "c", resources: { requests: { cpu: "200m", memory: "100Mi" }, limits: { memory: "200Mi" } } },
      ],
    }),
  );

  test("without a sample every column says n/a", () => {
    assert.equal(row.cpuUsage, NO_USAGE);
    for (const [name, text] of Object.entries(cells(row))) assert.equal(text, "n/a", name);
  });

  test("percentages of requests and limits; n/a where there is none (no limit, no request, zero)", () => {
    assert.deepEqual(cells(withUsage(row, 50, 150 * MiB)), {
      CPU: "50",
      MEM: "150",
      "%CPU/R": "25",
      "%CPU/L": "n/a",
      "%MEM/R": "150",
      "%MEM/L": "75",
    });
    const none = podRow(pod({ containers: [{ name: "c" }] }));
    assert.deepEqual(cells(withUsage(none, 7, 3 * MiB)), {
      CPU: "7",
      MEM: "3",
      "%CPU/R": "n/a",
      "%CPU/L": "n/a",
      "%MEM/R": "n/a",
      "%MEM/L": "n/a",
    });
    assert.equal(percentOf(10, 0), undefined);
    assert.equal(percentOf(0, 100), 0, "no use of a request is 0 %, not n/a");
    assert.equal(percentOf(NO_USAGE, 100), undefined);
  });

  test("the level against limits: high from 80 %, over from 100 %", () => {
    assert.equal(podUsageLevel(withUsage(row, 50, 150 * MiB)), "normal");
    assert.equal(podUsageLevel(withUsage(row, 50, 160 * MiB)), "high");
    assert.equal(podUsageLevel(withUsage(row, 50, 200 * MiB)), "over");
    assert.equal(podUsageLevel(withUsage(row, 5000, 1)), "normal", "no CPU limit: no level from CPU");
  });

  test("numeric columns: the table sorts them by number", () => {
    for (const c of podUsageColumns) assert.equal(c.type, "integer", c.name);
  });
});

describe("node usage columns", () => {
  const node = nodeRow({
    metadata: { name: "n1", uid: "u", creationTimestamp: "2025-01-01T00:00:00Z" },
    status: { allocatable: { cpu: "3910m", memory: "16069588Ki" } },
  });
  const cell = (name: string, r = node) => nodeUsageColumns.find((c) => c.name === name)!.cell(r, 0);

  test("allocatable read at ingest; n/a before a sample and a count", () => {
    assert.equal(node.allocatableCpu, 3910);
    assert.equal(node.allocatableMem, 16069588 * 1024);
    for (const c of nodeUsageColumns) assert.equal(c.cell(node, 0), "n/a", c.name);
  });

  test("percent of allocatable, and the pod count", () => {
    const used = withNodeUsage(node, 1955, 8034794 * 1024, 42);
    assert.equal(cell("CPU", used), "1955");
    assert.equal(cell("%CPU", used), "50");
    assert.equal(cell("%MEM", used), "50");
    assert.equal(cell("PODS", used), "42");
    const noAllocatable = withNodeUsage(nodeRow({ metadata: { name: "n2" } }), 100, MiB, 0);
    assert.equal(cell("%CPU", noAllocatable), "n/a");
    assert.equal(cell("PODS", noAllocatable), "0");
  });
});

test("a node row names its True pressure conditions (for :pulse), none when all are False", async () => {
  const { nodeRow } = await import("../../../src/resources/nodes.ts");
  const node = (conditions: { type: string; status: string }[]) =>
    nodeRow({
      kind: "Node",
      metadata: { name: "n1", creationTimestamp: "2026-01-01T00:00:00Z" },
      status: { conditions },
    });
  assert.equal(
    node([
      { type: "MemoryPressure", status: "True" },
      { type: "DiskPressure", status: "False" },
      { type: "PIDPressure", status: "True" },
      { type: "Ready", status: "True" },
    ]).pressure,
    "MemoryPressure,PIDPressure",
  );
  assert.equal(
    node([
      { type: "MemoryPressure", status: "False" },
      { type: "Ready", status: "True" },
    ]).pressure,
    "",
  );
});
