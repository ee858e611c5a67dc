// Live usage for the pods and nodes tables: a MetricsPoller per kind (kube/metrics.ts) runs while a view of that kind
// is held, each sample goes into a bounded history (UsageHistory, typed arrays) and into the row itself (rows are
// immutable and the table's sort caches keys per row object, so a row whose printed usage changed is replaced).
//
// Samples are matched to rows by namespace/name and uid. A sample for a pod the cache does not have (deleted since, or
// not listed yet) creates nothing: it waits, until the next poll only, for its row to arrive. A sample not newer than
// the last one kept for that row is dropped (the API answers the same sample until its next scrape).
import type { MetricsKind, MetricsPoll, MetricsPollStatus, UsageSample } from "../kube/metrics.ts";
import { wholeMebibytes, wholeMillicores } from "../kube/metrics.ts";
import { type RowStore, rowKey } from "../kube/store.ts";
import { type NodeRow, withNodeUsage } from "../resources/nodes.ts";
import { type PodRow, withUsage } from "../resources/pods.ts";
import type { BaseRow } from "../resources/types.ts";

/** Samples kept per pod and node by default: 15 minutes at metrics-server's 15 s resolution. */
export const DEFAULT_HISTORY = 60;

/** One kept sample. */
export interface UsagePoint {
  /** Epoch ms of the sample. */
  timestamp: number;
  cpuMillis: number;
  memoryBytes: number;
}

/** A row's usage now and before, for a sparkline or a `:top` view. */
export interface UsageSeries {
  /** The latest sample kept. */
  current: UsagePoint;
  /**
   * The last samples, oldest first, newest (= current) last: one entry per poll that brought news for any row of the
   * kind, NaN where this row had none (it was not running, or its sample had not moved).
   */
  timestamps: Float64Array;
  cpuMillis: Float32Array;
  memoryBytes: Float32Array;
}

/**
 * A ring buffer of usage per row, in typed arrays: slot s, column c at s × capacity + c. A column is one poll that
 * brought at least one new sample; every slot gets NaN there unless its row had one. Slots are reused when rows go.
 *
 * Memory: 8 bytes per sample (two Float32) × capacity, plus 24 per slot (the newest sample's time and values), plus
 * the key map; at 100k pods and 60 samples, 50.4 MB of arrays (see bytesFor()).
 */
export class UsageHistory {
  readonly capacity: number;
  private slotCount = 0;
  private cpu: Float32Array;
  private mem: Float32Array;
  /** Timestamp of each slot's newest sample (epoch ms), for the stale-sample rule. */
  private last: Float64Array;
  /** The newest sample's values as they came (Float64: a row rebuilt from them prints exactly what it printed). */
  private lastCpu: Float64Array;
  private lastMem: Float64Array;
  /** The time of each column: the newest sample of that poll. */
  private readonly columnTimes: Float64Array;
  /** Polls that advanced the ring (the next column is columns % capacity). */
  private columns = 0;
  private readonly slots = new Map<string, number>();
  /** The uid each slot belongs to: a pod recreated under the same name starts a fresh history. */
  private uids: string[] = [];
  private readonly free: number[] = [];

  constructor(capacity = DEFAULT_HISTORY, initialSlots = 64) {
    this.capacity = Math.max(1, Math.floor(capacity));
    this.cpu = new Float32Array(initialSlots * this.capacity).fill(Number.NaN);
    this.mem = new Float32Array(initialSlots * this.capacity).fill(Number.NaN);
    this.last = new Float64Array(initialSlots).fill(Number.NEGATIVE_INFINITY);
    this.lastCpu = new Float64Array(initialSlots);
    this.lastMem = new Float64Array(initialSlots);
    this.columnTimes = new Float64Array(this.capacity).fill(Number.NaN);
  }

  /** Rows with a slot. */
  get size(): number {
    return this.slots.size;
  }

  /** Bytes held by the typed arrays (the key map and uid list come on top: about 80 bytes a row). */
  bytes(): number {
    return (
      this.cpu.byteLength +
      this.mem.byteLength +
      this.last.byteLength +
      this.lastCpu.byteLength +
      this.lastMem.byteLength +
      this.columnTimes.byteLength
    );
  }

  /** Bytes of the typed arrays for `rows` rows of `capacity` samples, as bytes() would report once grown to fit. */
  static bytesFor(rows: number, capacity = DEFAULT_HISTORY): number {
    return rows * capacity * 8 + rows * 24 + capacity * 8;
  }

  /**
   * Keeps the samples of one poll whose rows exist (`uidOf` says the row's uid, undefined when there is no row) and
   * that are newer than the row's last one. Returns the samples kept. The same as begin(), take() for each sample and
   * commit(), which a caller uses to take a poll of 100k samples in over several turns of the event loop.
   */
  add(samples: readonly UsageSample[], uidOf: (sample: UsageSample) => string | undefined): UsageSample[] {
    const batch = this.begin(samples.length);
    for (const sample of samples) this.take(batch, sample, uidOf(sample));
    return this.commit(batch);
  }

  /** Starts taking in a poll of `count` samples. */
  begin(count: number): UsageBatch {
    // Room for this poll's rows at once: grown to fit, not doubled (at 100k pods doubling would hold 131k slots).
    this.reserve(Math.max(this.slotCount, count));
    return { kept: [], slots: [], newestElsewhere: Number.NEGATIVE_INFINITY };
  }

  /**
   * Matches one sample of the poll to its row's slot (`uid` undefined: the cache has no such row). True when the sample
   * is newer than the row's last one, and so will be kept; nothing is written to the history before commit().
   */
  take(batch: UsageBatch, sample: UsageSample, uid: string | undefined): boolean {
    if (uid === undefined) {
      // Samples of rows not in the cache yet may come in later (late()): they need this poll's column too.
      if (sample.timestamp > batch.newestElsewhere) batch.newestElsewhere = sample.timestamp;
      return false;
    }
    const slot = this.slotFor(sample.key, uid);
    if (!(sample.timestamp > this.last[slot]!)) return false;
    batch.kept.push(sample);
    batch.slots.push(slot);
    return true;
  }

  /** Writes the poll's kept samples as the history's next column. Returns them. */
  commit(batch: UsageBatch): UsageSample[] {
    const { kept, slots: slotsOf } = batch;
    const latest =
      this.columns === 0 ? Number.NEGATIVE_INFINITY : this.columnTimes[(this.columns - 1) % this.capacity]!;
    if (kept.length === 0 && !(batch.newestElsewhere > latest)) return kept;
    const column = this.columns % this.capacity;
    this.columns++;
    const cap = this.capacity;
    // The column is this poll's: rows without a new sample have none here.
    for (let s = 0; s < this.slotCount; s++) {
      this.cpu[s * cap + column] = Number.NaN;
      this.mem[s * cap + column] = Number.NaN;
    }
    let newest = batch.newestElsewhere;
    for (let i = 0; i < kept.length; i++) {
      const sample = kept[i]!;
      const slot = slotsOf[i]!;
      this.cpu[slot * cap + column] = sample.cpuMillis;
      this.mem[slot * cap + column] = sample.memoryBytes;
      this.last[slot] = sample.timestamp;
      this.lastCpu[slot] = sample.cpuMillis;
      this.lastMem[slot] = sample.memoryBytes;
      if (sample.timestamp > newest) newest = sample.timestamp;
    }
    this.columnTimes[column] = newest;
    return kept;
  }

  /**
   * Adds a sample of the latest poll for a row that was not in the cache when the poll came (listed or created since):
   * into the latest column, if it is newer than what the row has.
   */
  late(sample: UsageSample, uid: string): boolean {
    if (this.columns === 0) return false;
    const slot = this.slotFor(sample.key, uid);
    if (!(sample.timestamp > this.last[slot]!)) return false;
    const column = (this.columns - 1) % this.capacity;
    this.cpu[slot * this.capacity + column] = sample.cpuMillis;
    this.mem[slot * this.capacity + column] = sample.memoryBytes;
    this.last[slot] = sample.timestamp;
    this.lastCpu[slot] = sample.cpuMillis;
    this.lastMem[slot] = sample.memoryBytes;
    return true;
  }

  /** The series of a row ("namespace/name" or a node's name), if it has samples. */
  series(key: string): UsageSeries | undefined {
    const slot = this.slots.get(key);
    if (slot === undefined || this.last[slot] === Number.NEGATIVE_INFINITY) return undefined;
    const count = Math.min(this.columns, this.capacity);
    const timestamps = new Float64Array(count);
    const cpu = new Float32Array(count);
    const mem = new Float32Array(count);
    const cap = this.capacity;
    let any = false;
    for (let i = 0; i < count; i++) {
      const column = (this.columns - count + i) % cap;
      timestamps[i] = this.columnTimes[column]!;
      cpu[i] = this.cpu[slot * cap + column]!;
      mem[i] = this.mem[slot * cap + column]!;
      if (!Number.isNaN(cpu[i]!)) any = true;
    }
    // The newest sample may have left the ring (the row got none for `capacity` polls): then there is no series.
    if (!any) return undefined;
    return { current: this.point(slot), timestamps, cpuMillis: cpu, memoryBytes: mem };
  }

  private point(slot: number): UsagePoint {
    return { timestamp: this.last[slot]!, cpuMillis: this.lastCpu[slot]!, memoryBytes: this.lastMem[slot]! };
  }

  /** The latest sample of a row whose uid is `uid` (a recreated pod has none yet). */
  latest(key: string, uid: string): UsagePoint | undefined {
    const slot = this.slots.get(key);
    if (slot === undefined || this.uids[slot] !== uid || this.last[slot] === Number.NEGATIVE_INFINITY) return undefined;
    return this.point(slot);
  }

  /** Frees the slots of rows for which `exists` is false (deleted pods). */
  retain(exists: (key: string, uid: string) => boolean): void {
    for (const [key, slot] of this.slots) {
      if (exists(key, this.uids[slot]!)) continue;
      this.slots.delete(key);
      this.reset(slot);
      this.free.push(slot);
    }
  }

  clear(): void {
    for (const slot of this.slots.values()) {
      this.reset(slot);
      this.free.push(slot);
    }
    this.slots.clear();
  }

  private reset(slot: number): void {
    this.cpu.fill(Number.NaN, slot * this.capacity, (slot + 1) * this.capacity);
    this.mem.fill(Number.NaN, slot * this.capacity, (slot + 1) * this.capacity);
    this.last[slot] = Number.NEGATIVE_INFINITY;
    this.uids[slot] = "";
  }

  private slotFor(key: string, uid: string): number {
    const existing = this.slots.get(key);
    if (existing !== undefined) {
      if (this.uids[existing] !== uid) {
        this.reset(existing);
        this.uids[existing] = uid;
      }
      return existing;
    }
    let slot = this.free.pop();
    if (slot === undefined) {
      slot = this.slotCount++;
      if (slot >= this.last.length) this.reserve(Math.ceil(this.last.length * 1.25) + 1);
    }
    this.slots.set(key, slot);
    this.uids[slot] = uid;
    return slot;
  }

  /** Makes room for `slots` slots (a no-op when there is). */
  private reserve(slots: number): void {
    if (slots <= this.last.length) return;
    const cpu = new Float32Array(slots * this.capacity).fill(Number.NaN);
    const mem = new Float32Array(slots * this.capacity).fill(Number.NaN);
    const last = new Float64Array(slots).fill(Number.NEGATIVE_INFINITY);
    const lastCpu = new Float64Array(slots);
    const lastMem = new Float64Array(slots);
    cpu.set(this.cpu);
    mem.set(this.mem);
    last.set(this.last);
    lastCpu.set(this.lastCpu);
    lastMem.set(this.lastMem);
    this.cpu = cpu;
    this.mem = mem;
    this.last = last;
    this.lastCpu = lastCpu;
    this.lastMem = lastMem;
  }
}

/** A poll's samples matched to their rows' slots, not yet in the history (UsageHistory.take, commit). */
export interface UsageBatch {
  readonly kept: UsageSample[];
  readonly slots: number[];
  /** The newest sample of a row the cache did not have. */
  newestElsewhere: number;
}

/** Where the rows of a kind live, as the repository tells the hub. */
export interface MetricsTarget {
  /** The stores of the kind's running informers (the shared one first; selector and namespace ones after). */
  stores(): readonly RowStore<BaseRow>[];
}

/** The usage state of one kind: its history and its poller's status. */
/** Rows replaced per turn of the event loop when a poll brings many (see KindUsage.ingest). */
export const REPLACE_SLICE = 4000;

export class KindUsage {
  readonly kind: MetricsKind;
  readonly history: UsageHistory;
  status: MetricsPollStatus = { state: "waiting", count: 0 };
  private readonly target: MetricsTarget;
  /**
   * The last poll's samples whose rows the cache did not have (not listed yet, or created since): taken in when such a
   * row arrives, dropped at the next poll. Samples of deleted pods end here and go with it.
   */
  private pending = new Map<string, UsageSample>();
  /** The poll whose rows are being replaced in slices; a newer poll takes over. */
  private slicing: object | undefined;

  constructor(kind: MetricsKind, target: MetricsTarget, capacity = DEFAULT_HISTORY) {
    this.kind = kind;
    this.target = target;
    this.history = new UsageHistory(capacity);
  }

  /**
   * Takes one poll in: samples of rows that exist and moved are kept, rows whose printed usage changed are replaced
   * in the store (with the same key and order fields, so the store's indexes and order are unchanged). Returns the
   * number of rows replaced now. With `later`, samples beyond the first REPLACE_SLICE are matched and their rows
   * replaced in slices on later turns of the event loop, and `later` is called after each; the history gets the
   * poll's column after the last slice. `done` is called once no slice is left: after the last one, at once when there
   * was one slice, or when a newer poll (or the stores going) cut this one short.
   */
  ingest(poll: MetricsPoll, later?: () => void, done?: () => void): number {
    if (this.target.stores().length === 0) {
      done?.();
      return 0;
    }
    const samples = poll.samples;
    const batch = this.history.begin(samples.length);
    // Samples of rows not in the cache: decorate() takes them from the next pending map once the poll is in.
    const pending = new Map<string, UsageSample>();
    const token = {};
    this.slicing = token;
    let replaced = 0;
    // A slice at a time (a poll of 100k pods), so that a key pressed meanwhile waits for one slice, not for the whole
    // poll. Each slice reads the rows as they are then: a watch event may have replaced one since the poll began.
    const sliceFrom = (from: number): number => {
      const stores = this.target.stores();
      const end = later ? Math.min(samples.length, from + REPLACE_SLICE) : samples.length;
      for (let i = from; i < end; i++) {
        const sample = samples[i]!;
        let uid: string | undefined;
        for (const store of stores) {
          uid = store.get(sample.key)?.uid;
          if (uid !== undefined) break;
        }
        if (uid === undefined) pending.set(sample.key, sample);
        if (!this.history.take(batch, sample, uid)) continue;
        for (const store of stores) {
          const row = store.get(sample.key);
          if (row) replaced += this.replace(store, row, sample);
        }
      }
      return end;
    };
    const finish = () => {
      const kept = this.history.commit(batch);
      this.pending = pending;
      // Slots of rows that went: deleted pods (a pod recreated under its name keeps the slot, with a new uid). Only
      // when some slot got no sample this time: in a steady cluster every slot did, and the sweep is skipped.
      if (this.history.size > kept.length) {
        const stores = this.target.stores();
        this.history.retain((key, uid) => stores.some((store) => store.get(key)?.uid === uid));
      }
    };
    let next = sliceFrom(0);
    if (next >= samples.length) {
      finish();
      done?.();
    } else if (later) {
      const step = () => {
        if (this.slicing !== token || this.target.stores().length === 0) {
          done?.();
          return;
        }
        next = sliceFrom(next);
        const last = next >= samples.length;
        if (last) finish();
        else setImmediate(step);
        later();
        if (last) done?.();
      };
      setImmediate(step);
    }
    return replaced;
  }

  private replace(store: RowStore<BaseRow>, row: BaseRow, sample: UsageSample): number {
    const next = this.withSample(row, sample.cpuMillis, sample.memoryBytes);
    if (next === row) return 0;
    // A copy with new usage: same order, same index values (no index reads usage).
    store.replace(next);
    return 1;
  }

  /** The row with this usage, or the row itself when what the table prints would not change. */
  private withSample(row: BaseRow, cpu: number, mem: number): BaseRow {
    const usage = row as unknown as { cpuUsage: number; memUsage: number };
    const same =
      usage.cpuUsage >= 0 &&
      wholeMillicores(usage.cpuUsage) === wholeMillicores(cpu) &&
      wholeMebibytes(usage.memUsage) === wholeMebibytes(mem);
    if (same) return row;
    return this.kind === "pods"
      ? withUsage(row as PodRow, cpu, mem)
      : withNodeUsage(row as NodeRow, cpu, mem, (row as NodeRow).pods);
  }

  /**
   * Fills a freshly made row (an informer's transform, before the store has it) with its latest usage, so that a
   * pod's status change does not blank its usage until the next poll. Mutates `row`: nobody else holds it yet.
   */
  decorate(row: BaseRow): void {
    const key = rowKey(row);
    let point = this.history.latest(key, row.uid);
    const late = this.pending.get(key);
    if (late && (!point || late.timestamp > point.timestamp)) {
      this.pending.delete(key);
      if (this.history.late(late, row.uid)) point = this.history.latest(key, row.uid);
    }
    if (!point) return;
    const usage = row as unknown as { cpuUsage: number; memUsage: number };
    usage.cpuUsage = point.cpuMillis;
    usage.memUsage = point.memoryBytes;
  }
}

/**
 * Pod counts per node, from one pass over the pods (the node index holds sets of keys; a pass is ~1 ms at 100k pods
 * and is done at most once per refresh). Replaces node rows whose count changed.
 */
export function refreshPodCounts(
  nodes: RowStore<BaseRow>,
  pods: readonly BaseRow[],
  nodeOf: (row: BaseRow) => string,
): Map<string, number> {
  const counts = new Map<string, number>();
  for (let i = 0; i < pods.length; i++) {
    const node = nodeOf(pods[i]!);
    if (node !== "") counts.set(node, (counts.get(node) ?? 0) + 1);
  }
  for (const key of [...nodes.keys()]) {
    const row = nodes.get(key) as NodeRow | undefined;
    if (!row) continue;
    const count = counts.get(row.name) ?? 0;
    if (row.pods !== count) nodes.upsert(withNodeUsage(row, row.cpuUsage, row.memUsage, count));
  }
  return counts;
}

/** A node row made at ingest gets the last count (the next refresh corrects it). Mutates the fresh row. */
export function decorateNode(row: BaseRow, counts: ReadonlyMap<string, number> | undefined): void {
  if (counts === undefined) return;
  (row as NodeRow).pods = counts.get(row.name) ?? 0;
}
