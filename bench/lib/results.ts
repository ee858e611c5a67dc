// The JSON the harness writes and the report reads, and how K runs of a measurement become one entry (median, with
// min and max). Pure functions: unit-tested in test/unit/bench/.
import type { ServerKind, ToolName } from "./args.ts";
import type { MachineInfo } from "./machine.ts";
import type { PeerRun, ProbeRun, RawRun, UiRun } from "./measure.ts";
import { percentile, round, summarize } from "./stats.ts";

/** One tool at one pod count on one server. Fields a tool cannot measure are left out. */
export interface RunEntry {
  tool: ToolName;
  server: ServerKind;
  pods: number;
  /** Runs that produced numbers (of `runs` attempted). */
  samples?: number;
  runs?: number;
  firstFrameMs?: number;
  fullSyncMs?: number;
  rssMb?: number;
  heapMb?: number;
  bytesPerPod?: number;
  queryP99Us?: number;
  keystrokeP95Ms?: number;
  idleCpuPct?: number;
  churnCpuPct?: number;
  /** Failures, one line each; a tool that could not run at all has only this. */
  errors?: string[];
  [extra: string]: unknown;
}

export interface BenchResults {
  machine: MachineInfo;
  runs: RunEntry[];
}

type Field = { [name: string]: number };

/** `name`, `nameMin`, `nameMax` from the samples (nothing when there are none). */
export function withRange(name: string, samples: readonly (number | undefined)[], digits = 1): Field {
  const s = summarize(samples);
  if (!s) return {};
  const out: Field = { [name]: round(s.median, digits) };
  if (s.n > 1) {
    out[`${name}Min`] = round(s.min, digits);
    out[`${name}Max`] = round(s.max, digits);
  }
  return out;
}

/** Just the median. */
function only(name: string, samples: readonly (number | undefined)[], digits = 1): Field {
  const s = summarize(samples);
  return s ? { [name]: round(s.median, digits) } : {};
}

function errorsOf(runs: readonly { error?: string | undefined }[]): { errors?: string[] } {
  const errors = runs.flatMap((r) => (r.error ? [r.error.split("\n")[0] as string] : []));
  return errors.length > 0 ? { errors: [...new Set(errors)] } : {};
}

export interface ServerFacts {
  /** Pods wire format timoneiro used ("json" | "protobuf"). */
  wire?: string;
  setupMs?: number;
  podCreation?: { pods: number; ms: number; perSecond: number; concurrency: number; fill?: string };
}

export function timoneiroEntry(
  server: ServerKind,
  pods: number,
  ui: readonly UiRun[],
  probe: readonly ProbeRun[],
  cpu: UiRun | undefined,
  facts: ServerFacts = {},
): RunEntry {
  const keyP95 = ui.map((r) => (r.keystrokesMs.length > 0 ? percentile(r.keystrokesMs, 95) : undefined));
  const keyP50 = ui.map((r) => (r.keystrokesMs.length > 0 ? percentile(r.keystrokesMs, 50) : undefined));
  const good = probe.filter((p) => p.fullSyncMs !== undefined && !p.error).length;
  const entry: RunEntry = {
    tool: "timoneiro",
    server,
    pods,
    runs: Math.max(ui.length, probe.length),
    samples: good,
    ...withRange(
      "firstFrameMs",
      ui.map((r) => r.firstFrameMs),
    ),
    ...withRange(
      "fullSyncMs",
      probe.map((p) => (p.error ? undefined : p.fullSyncMs)),
    ),
    ...only(
      "rssMb",
      probe.map((p) => p.rssMb),
    ),
    ...only(
      "heapMb",
      probe.map((p) => p.heapMb),
    ),
    ...withRange(
      "bytesPerPod",
      probe.map((p) => p.bytesPerPod),
      0,
    ),
    ...withRange(
      "queryP99Us",
      probe.map((p) => p.queryP99Us),
      2,
    ),
    ...only(
      "queryP50Us",
      probe.map((p) => p.queryP50Us),
      2,
    ),
    ...only(
      "queryAfterChangeP50Us",
      probe.map((p) => p.queryAfterChangeP50Us),
      1,
    ),
    ...only(
      "queryAfterChangeP99Us",
      probe.map((p) => p.queryAfterChangeP99Us),
      1,
    ),
    ...only(
      "listAfterChangeP99Us",
      probe.map((p) => p.listAfterChangeP99Us),
      1,
    ),
    ...withRange("keystrokeP95Ms", keyP95, 2),
    ...only("keystrokeP50Ms", keyP50, 2),
    ...only(
      "uiFullSyncMs",
      ui.map((r) => r.uiFullSyncMs),
    ),
    ...only(
      "uiRssMb",
      ui.map((r) => r.uiRssMb),
    ),
  };
  const keysTimed = ui.reduce((n, r) => n + r.keystrokesMs.length, 0);
  const keysMissed = ui.reduce((n, r) => n + r.keystrokesMissed, 0);
  if (keysTimed > 0) entry.keystrokes = keysTimed;
  if (keysMissed > 0) entry.keystrokesMissed = keysMissed;
  if (cpu) {
    if (cpu.idleCpuPct !== undefined) {
      entry.idleCpuPct = round(cpu.idleCpuPct, 2);
      Object.assign(entry, sliceRange("idleCpuPct", cpu.idleCpuSlices));
    }
    if (cpu.churnCpuPct !== undefined) {
      entry.churnCpuPct = round(cpu.churnCpuPct, 2);
      Object.assign(entry, sliceRange("churnCpuPct", cpu.churnCpuSlices));
    }
    if (cpu.churn) {
      entry.churnEventsPerSec = round(cpu.churn.achievedRate, 1);
      entry.churnSeconds = round(cpu.churn.seconds, 1);
      entry.churnMode = cpu.churn.mode;
      if (cpu.churn.failures > 0) entry.churnFailures = cpu.churn.failures;
    }
  }
  entry.listMode = "list"; // the Reflector's default: paginated LIST, then WATCH
  if (facts.wire !== undefined) entry.wire = facts.wire;
  if (facts.setupMs !== undefined) entry.serverSetupMs = Math.round(facts.setupMs);
  if (facts.podCreation) {
    entry.podCreationMs = Math.round(facts.podCreation.ms);
    entry.podCreationPerSec = round(facts.podCreation.perSecond, 0);
    entry.podCreationConcurrency = facts.podCreation.concurrency;
    if (facts.podCreation.fill !== undefined) entry.podCreationFill = facts.podCreation.fill;
  }
  return { ...entry, ...errorsOf([...ui, ...probe, ...(cpu ? [cpu] : [])]) };
}

/** CPU windows are one long measurement each; min/max come from its 10-second slices. */
function sliceRange(name: string, slices: readonly number[] | undefined): Field {
  if (!slices || slices.length < 2) return {};
  return { [`${name}Min`]: round(Math.min(...slices), 2), [`${name}Max`]: round(Math.max(...slices), 2) };
}

export interface PeerVariant {
  /** client-go speaking timoneiro's protocol, reported as likeForLike… fields next to its defaults. */
  likeForLike?: readonly PeerRun[];
  likeForLikeArgs?: string[];
}

export function peerEntry(
  tool: ToolName,
  server: ServerKind,
  pods: number,
  runs: readonly PeerRun[],
  variant: PeerVariant = {},
): RunEntry {
  const same = variant.likeForLike ?? [];
  const modes = new Set(runs.map((r) => r.watchList).filter((v) => v !== undefined));
  return {
    tool,
    server,
    pods,
    runs: runs.length,
    samples: runs.filter((r) => r.fullSyncMs !== undefined && !r.error).length,
    ...withRange(
      "fullSyncMs",
      runs.map((r) => (r.error ? undefined : r.fullSyncMs)),
    ),
    ...only(
      "rssMb",
      runs.map((r) => r.rssMb),
    ),
    ...only(
      "heapMb",
      runs.map((r) => r.heapMb),
    ),
    ...only(
      "peakRssMb",
      runs.map((r) => r.peakRssMb),
    ),
    ...(runs.some((r) => r.outOfMemory) && { outOfMemory: true }),
    ...(modes.size === 1 && { watchList: [...modes][0] }),
    ...(tool === "client-go" && { wire: "json" }),
    ...withRange(
      "likeForLikeFullSyncMs",
      same.map((r) => (r.error ? undefined : r.fullSyncMs)),
    ),
    ...only(
      "likeForLikeRssMb",
      same.map((r) => r.rssMb),
    ),
    ...(same.length > 0 && variant.likeForLikeArgs && { likeForLikeArgs: variant.likeForLikeArgs.join(" ") }),
    ...errorsOf([...runs, ...same]),
  };
}

/** The raw download of timoneiro's LIST pages: its time is the floor timoneiro's full sync is compared with. */
export function rawEntry(server: ServerKind, pods: number, runs: readonly RawRun[], wire: string): RunEntry {
  return {
    tool: "raw",
    server,
    pods,
    runs: runs.length,
    samples: runs.filter((r) => r.fullSyncMs !== undefined && !r.error).length,
    wire,
    ...withRange(
      "fullSyncMs",
      runs.map((r) => (r.error ? undefined : r.fullSyncMs)),
    ),
    ...only(
      "pages",
      runs.map((r) => r.pages),
      0,
    ),
    ...only(
      "bytes",
      runs.map((r) => r.bytes),
      0,
    ),
    ...errorsOf(runs),
  };
}

/** A tool that could not run at all (e.g. the client-go peer is not built): the gap stays visible in the results. */
export function missingEntry(tool: ToolName, server: ServerKind, pods: number, why: string): RunEntry {
  return { tool, server, pods, runs: 0, samples: 0, errors: [why] };
}
