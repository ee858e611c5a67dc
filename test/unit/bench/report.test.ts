// The benchmark harness' pure parts: statistics, flags, how runs become entries, the report's targets and markers.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { BenchUsageError, parseBenchArgs } from "../../../bench/lib/args.ts";
import type { MachineInfo } from "../../../bench/lib/machine.ts";
import {
  checkTargets,
  END_MARKER,
  fullSyncChart,
  mergeRuns,
  renderGenerated,
  replaceGenerated,
  START_MARKER,
} from "../../../bench/lib/report.ts";
import { peerEntry, type RunEntry, timoneiroEntry } from "../../../bench/lib/results.ts";
import { median, percentile, summarize } from "../../../bench/lib/stats.ts";

describe("stats", () => {
  it("takes the median of odd and even counts", () => {
    assert.equal(median([3, 1, 2]), 2);
    assert.equal(median([4, 1, 3, 2]), 2.5);
    assert.ok(Number.isNaN(median([])));
  });

  it("uses nearest-rank percentiles", () => {
    const samples = Array.from({ length: 100 }, (_, i) => i + 1);
    assert.equal(percentile(samples, 50), 50);
    assert.equal(percentile(samples, 95), 95);
    assert.equal(percentile(samples, 99), 99);
    assert.equal(percentile([7], 99), 7);
  });

  it("summarizes only finite samples", () => {
    assert.deepEqual(summarize([5, undefined, 1, Number.NaN, 3]), { median: 3, min: 1, max: 5, n: 3 });
    assert.equal(summarize([undefined]), undefined);
  });
});

describe("bench flags", () => {
  it("defaults the pod counts by server", () => {
    assert.deepEqual(parseBenchArgs([]).pods, [500, 10_000, 100_000]);
    assert.deepEqual(parseBenchArgs(["--server", "cluster"]).pods, [500, 10_000]);
    assert.deepEqual(parseBenchArgs(["--pods", "500,10k"]).pods, [500, 10_000]);
  });

  it("makes --quick short unless told otherwise", () => {
    const quick = parseBenchArgs(["--quick", "--runs", "2"]);
    assert.equal(quick.runs, 2);
    assert.equal(quick.churnSeconds, 10);
  });

  it("rejects what it does not know", () => {
    assert.throws(() => parseBenchArgs(["--server", "kind"]), BenchUsageError);
    assert.throws(() => parseBenchArgs(["--tools", "k9s"]), BenchUsageError);
    assert.throws(() => parseBenchArgs(["--pods", "0"]), BenchUsageError);
    assert.throws(() => parseBenchArgs(["--runs"]), BenchUsageError);
  });
});

describe("entries", () => {
  it("reports the median of the runs with their range, and keeps failures visible", () => {
    const e = timoneiroEntry(
      "sim",
      1000,
      [
        { firstFrameMs: 300, keystrokesMs: [1, 2, 3, 10], keystrokesMissed: 0 },
        { firstFrameMs: 100, keystrokesMs: [2, 2, 2, 4], keystrokesMissed: 1 },
        { keystrokesMs: [], keystrokesMissed: 0, error: "no frame with pod rows\nscreen: ..." },
      ],
      [{ fullSyncMs: 400, bytesPerPod: 1500 }, { fullSyncMs: 200, bytesPerPod: 1700 }, { error: "probe failed" }],
      undefined,
    );
    assert.equal(e.firstFrameMs, 200);
    assert.equal(e.firstFrameMsMin, 100);
    assert.equal(e.firstFrameMsMax, 300);
    assert.equal(e.fullSyncMs, 300);
    assert.equal(e.bytesPerPod, 1600);
    assert.equal(e.keystrokeP95Ms, 7); // p95 of each run: 10 and 4
    assert.equal(e.samples, 2);
    assert.equal(e.keystrokesMissed, 1);
    assert.deepEqual(e.errors, ["no frame with pod rows", "probe failed"]);
  });

  it("leaves out what a peer cannot measure", () => {
    const e = peerEntry("kubectl-json", "sim", 500, [{ fullSyncMs: 900, peakRssMb: 150 }]);
    assert.equal(e.fullSyncMs, 900);
    assert.equal(e.peakRssMb, 150);
    assert.equal("fullSyncMsMin" in e, false); // one sample: no range
    assert.equal("firstFrameMs" in e, false);
  });
});

const machine = { date: "2026-01-01T00:00:00Z", cpuModel: "cpu", cores: 2 } as MachineInfo;
const runs: RunEntry[] = [
  {
    tool: "timoneiro",
    server: "sim",
    pods: 100_000,
    firstFrameMs: 450,
    fullSyncMs: 8000,
    bytesPerPod: 2500,
    queryP99Us: 0.5,
    queryAfterChangeP99Us: 300,
    listAfterChangeP99Us: 40,
    uiRssMb: 320,
    keystrokeP95Ms: 12,
    churnCpuPct: 1.5,
  },
  { tool: "timoneiro", server: "sim", pods: 500, firstFrameMs: 600, fullSyncMs: 300, bytesPerPod: 9000 },
  {
    tool: "kubectl-json",
    server: "sim",
    pods: 100_000,
    fullSyncMs: 10_000,
    fullSyncMsMin: 9000,
    fullSyncMsMax: 12_000,
  },
  { tool: "kubectl-json", server: "sim", pods: 500, fullSyncMs: 250 },
  { tool: "raw", server: "sim", pods: 100_000, fullSyncMs: 4000 },
];

describe("report", () => {
  it("marks each target met, not met or not measured", () => {
    const checks = new Map(checkTargets(runs).map((c) => [c.target, c]));
    assert.equal(checks.get("First frame ≤ 200 ms (any size up to 100k pods)")?.met, false); // 600 ms at 500
    assert.equal(checks.get("Full sync ≤ 1.3× the raw download of the same LIST pages")?.met, false); // 2× at 100k
    assert.equal(checks.get("UI RSS after the sync ≤ 300 MB at 100k pods (every default kind loaded)")?.met, false);
    assert.equal(
      checks.get("The table's read (list()) ≤ 100 µs p99 at 100k pods, first call after a change")?.met,
      true,
    );
    assert.equal(checks.get("Full sync ≤ 1.0× kubectl get pods -A -o json")?.met, false); // 1.2× at 500
    assert.equal(checks.get("≤ 2 KB retained per pod (judged at the largest count)")?.met, false); // 2500 at 100k
    assert.equal(checks.get("getPods() < 100 µs p99 at 100k pods (steady state)")?.met, true);
    assert.equal(checks.get("getPods() < 100 µs p99 at 100k pods (first call after a change)")?.met, false);
    assert.equal(checks.get("Keystroke → frame ≤ 16 ms p95 at 100k pods")?.met, true);
    assert.equal(checks.get("CPU ≤ 2 % with 100 events/s (idle UI, churning cluster)")?.met, true);
    const none = checkTargets([{ tool: "timoneiro", server: "cluster", pods: 500, fullSyncMs: 1 }]);
    assert.equal(none.find((c) => c.target.startsWith("Keystroke"))?.met, undefined);
  });

  it("lets the newer file win when two measured the same thing", () => {
    const older = { path: "a.json", results: { machine, runs: [{ ...runs[1]!, fullSyncMs: 1 }] } };
    const newer = {
      path: "b.json",
      results: { machine: { ...machine, date: "2026-02-01T00:00:00Z" }, runs: [{ ...runs[1]!, fullSyncMs: 2 }] },
    };
    assert.equal(mergeRuns([newer, older])[0]?.fullSyncMs, 2);
    assert.equal(mergeRuns([older, newer])[0]?.fullSyncMs, 2);
  });

  it("replaces only what lies between the markers", () => {
    const doc = `# Benchmarks\n\nintro\n\n${START_MARKER}\nold\n${END_MARKER}\n\n## Renderer\n\nhand-written\n`;
    const generated = renderGenerated([{ path: "bench/data/sim.json", results: { machine, runs } }], "chart.svg");
    const next = replaceGenerated(doc, generated);
    assert.ok(next.startsWith("# Benchmarks\n\nintro\n\n<!-- generated:start -->"));
    assert.ok(next.endsWith(`${END_MARKER}\n\n## Renderer\n\nhand-written\n`));
    assert.ok(!next.includes("\nold\n"));
    assert.equal(replaceGenerated(next, generated), next); // idempotent
    assert.ok(replaceGenerated("# Benchmarks\n", generated).endsWith(`${END_MARKER}\n`)); // appended when missing
  });

  it("writes tables whose rows all have the header's number of cells", () => {
    const withPeers: RunEntry[] = [
      ...runs,
      { tool: "client-go", server: "sim", pods: 500, fullSyncMs: 200, rssMb: 40, likeForLikeFullSyncMs: 150 },
      { tool: "kubectl-table", server: "sim", pods: 500, fullSyncMs: 300, peakRssMb: 80 },
    ];
    const generated = renderGenerated(
      [{ path: "bench/data/sim.json", results: { machine, runs: withPeers } }],
      "c.svg",
    );
    const cells = (line: string) => line.replace(/\\\|/g, "").split("|").length;
    let header: number | undefined;
    for (const line of generated.split("\n")) {
      if (!line.startsWith("|")) {
        header = undefined;
        continue;
      }
      header ??= cells(line);
      assert.equal(cells(line), header, line);
    }
  });

  it("draws the chart as plain SVG with one line per tool", () => {
    const svg = fullSyncChart(runs);
    assert.ok(svg.startsWith("<svg "));
    assert.equal((svg.match(/<polyline /g) ?? []).length, 2);
    assert.ok(svg.includes("kubectl get pods -A -o json (simulator)"));
  });
});
