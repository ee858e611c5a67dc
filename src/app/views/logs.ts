// `l` on a pod (or a container), `p` for the previous container's log: the log, streamed (follow=true,
// timestamps=true), kept in a ring buffer bounded in lines and bytes (log-buffer.ts), painted from the visible lines
// only (wrap computed for them alone), so its cost does not grow with the buffer.
//
// The stream is a StreamSpec the app turns into a subscription: it runs while the view is on the stack. When it ends
// (container restart, dropped connection, server restart) the view reconnects with sinceTime = the last line's
// timestamp and skips the lines it already has, so nothing repeats and nothing is lost; a marker line says so.
// Keys follow k9s: s autoscroll, w wrap, t timestamps, 0 tail, 1 head, 2 1m, 3 5m, 4 15m, 5 30m, 6 1h, C clear.
//
// Merged logs: `a` streams all of a pod's containers, `l` on a deployment, statefulset, daemonset, replicaset, job or
// service all of its pods' (the view holds the pods query; a pod that appears is read once for its containers and
// joins, one that goes away ends with a marker and its lines stay; at most MAX_LOG_PODS pods, the title says when
// more exist). Each line is prefixed with its source ("app", "pod/app") in a colour of its own, and placed by its
// timestamp among the lines that arrived in the last REORDER_MS (2 s) of wall time: the tails that come at once
// merge, later lines never move what has been on screen longer than that (a line older than them goes after them).
// Each source resumes on its own, as a single log does.
//
// JSON lines: J cycles raw → pretty-printed → columns (fields level msg ts by default; F edits the list); lines that
// are not a JSON object show as they are.
import type { KubeObject } from "../../kube/objects.ts";
import type { RowQuery } from "../../repository/types.ts";
import { STYLE } from "../../tui/ansi.ts";
import { displayWidth, isPrintableAscii, takeWidth } from "../../tui/width.ts";
import { type Binding, keys } from "../bindings.ts";
import type { StreamEvent } from "../effects.ts";
import {
  type BufferBounds,
  LogBuffer,
  type LogLine,
  normalTs,
  parseLine,
  ResumeFilter,
  resumePoint,
  splitChunk,
} from "../log-buffer.ts";
import { paintSegments, type Segment } from "../paint.ts";
import type { PodsQuery } from "../pod-queries.ts";
import { StyledLine } from "../table.ts";
import { editText, pasteText } from "../text-input.ts";
import { THEME } from "../theme.ts";
import { containerRows } from "./containers.ts";
import { fileSafe, highlight, stamp } from "./text-pane.ts";
import type { Action, StreamSpec, View, ViewContext, ViewMsg, ViewResult } from "./view.ts";

/** Lines asked for when the view opens (tailLines), as k9s (logger.tail: 100). */
export const DEFAULT_TAIL_LINES = 100;
/** Pods a workload's logs stream at most (each of their containers is a stream). */
export const MAX_LOG_PODS = 50;
/** A merged view places a line by timestamp among the lines that arrived this recently (wall time)... */
export const REORDER_MS = 2000;
/** ...looking back at most this many lines. */
export const REORDER_LINES = 2000;
/** The JSON fields shown as columns until F changes them. */
export const DEFAULT_JSON_FIELDS: readonly string[] = ["level", "msg", "ts"];

/** The time ranges of keys 0–6, as k9s binds them. */
export const SINCE_CHOICES: readonly { key: string; label: string; seconds?: number; head?: boolean }[] = [
  { key: "0", label: "tail" },
  { key: "1", label: "head", head: true },
  { key: "2", label: "1m", seconds: 60 },
  { key: "3", label: "5m", seconds: 300 },
  { key: "4", label: "15m", seconds: 900 },
  { key: "5", label: "30m", seconds: 1800 },
  { key: "6", label: "1h", seconds: 3600 },
];

export interface LogsOptions {
  tailLines?: number;
  bounds?: Partial<BufferBounds>;
  /** Pods a workload's logs stream at most (MAX_LOG_PODS). */
  maxPods?: number;
}

type Phase =
  /** Waiting for the pod (to know its containers). */
  | "pod"
  /** The user picks a container. */
  | "pick"
  | "streaming"
  /** Waiting to reconnect (backoff). */
  | "reconnecting"
  /** No more: the previous container's log ended, the pod is gone, or the user may not read logs. */
  | "stopped";

/** One stream of the view: a container of a pod, with its reconnect state. */
interface Source {
  readonly pod: { namespace: string; name: string };
  readonly container: string | undefined;
  /** The prefix of its lines in a merged view; "" in a one-container view. */
  readonly label: string;
  readonly phase: "streaming" | "reconnecting" | "stopped";
  readonly attempt: number;
  readonly delayMs: number;
  /** The resumed stream's skip state; null on the first stream of a range. */
  readonly resume: ResumeFilter | null;
  readonly resumeFrom: string | undefined;
  readonly carry: string;
  /** Lines kept from the current stream (a reconnect that brings none backs off further). */
  readonly fresh: number;
  readonly fruitless: number;
}

/** A workload's (or service's) logs: its pods' query and what became of each pod. */
interface Workload {
  /** "deploy/api". */
  readonly label: string;
  readonly pods: PodsQuery;
  /** Pod name → "get" (reading its containers), "live" (its sources are in), "gone". */
  readonly known: ReadonlyMap<string, "get" | "live" | "gone">;
  /** Pods the query has now (more than the bound when some are left out). */
  readonly total: number;
  readonly maxPods: number;
}

type JsonMode = "off" | "pretty" | "columns";

interface Search {
  readonly text: string;
  readonly typing: boolean;
  /** Absolute positions of matching lines, ascending (appended to as lines come). */
  readonly matches: number[];
  readonly current: number;
}

interface Filter {
  readonly text: string;
  readonly typing: boolean;
  /** Absolute positions of the lines shown, ascending (appended to as lines come). */
  readonly shown: number[];
}

interface LogsState {
  readonly parentId: string;
  /** The pod; for a workload, its namespace and label. */
  readonly pod: { namespace: string; name: string };
  readonly previous: boolean;
  /** The container chosen (one-container view). */
  readonly container: string | undefined;
  /** All the pod's containers merged (`a`). */
  readonly all: boolean;
  readonly workload: Workload | null;
  readonly choices: readonly { name: string; type: string }[];
  readonly pickCursor: number;
  /** "pod", "pick", "live" (the sources stream), "stopped" (nothing can stream). */
  readonly stage: "pod" | "pick" | "live" | "stopped";
  readonly sources: readonly Source[];
  readonly request: number;
  readonly tailLines: number;
  readonly since: number;
  /** Owned by this view's lineage: appended to in place as lines come (copying it per chunk would cost O(n)). */
  readonly buffer: LogBuffer;
  readonly notice: { text: string; error: boolean } | undefined;
  readonly follow: boolean;
  readonly wrap: boolean;
  readonly timestamps: boolean;
  readonly json: JsonMode;
  readonly fields: readonly string[];
  /** The field list being typed (F). */
  readonly fieldsTyping: string | null;
  /** Absolute position of the top line when not following. */
  readonly top: number;
  readonly search: Search | null;
  readonly filter: Filter | null;
  readonly saves: number;
}

const NONE: Action[] = [];
const podPath = (ns: string, name: string) =>
  `/api/v1/namespaces/${encodeURIComponent(ns)}/pods/${encodeURIComponent(name)}`;

function lowerBound(xs: readonly number[], v: number): number {
  let lo = 0;
  let hi = xs.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((xs[mid] as number) < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The reconnect delay after `n` fruitless attempts: 0.5 s doubling to 30 s. */
export function backoffMs(n: number): number {
  return Math.min(30_000, 500 * 2 ** Math.min(n, 6));
}

const SOURCE_COLOURS = [
  STYLE.cyan,
  STYLE.green,
  STYLE.magenta,
  STYLE.yellow,
  STYLE.blue,
  `${STYLE.bold};${STYLE.cyan}`,
  `${STYLE.bold};${STYLE.green}`,
  `${STYLE.bold};${STYLE.magenta}`,
  `${STYLE.bold};${STYLE.yellow}`,
  `${STYLE.bold};${STYLE.blue}`,
];

/** A source's colour: a function of its name alone, so it stays the same across views and sessions. */
export function sourceStyle(name: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 0x01000193);
  return SOURCE_COLOURS[(h >>> 0) % SOURCE_COLOURS.length] as string;
}

// ---- JSON lines ----

const parsed = new WeakMap<LogLine, Record<string, unknown> | null>();

/** The line's JSON object, or null when it is not one (memoised per line). */
export function jsonOf(line: LogLine): Record<string, unknown> | null {
  let v = parsed.get(line);
  if (v !== undefined) return v;
  v = null;
  const t = line.text;
  if (!line.marker && t.length > 1 && t.charCodeAt(0) === 123 /* { */) {
    try {
      const o: unknown = JSON.parse(t);
      if (o !== null && typeof o === "object" && !Array.isArray(o)) v = o as Record<string, unknown>;
    } catch {
      v = null;
    }
  }
  parsed.set(line, v);
  return v;
}

/** A field of a JSON line by name, or by a dotted path ("http.status"); "" when absent. */
export function fieldOf(o: Record<string, unknown>, field: string): string {
  let v: unknown = o[field];
  if (v === undefined && field.includes(".")) {
    v = o;
    for (const part of field.split(".")) v = v !== null && typeof v === "object" ? (v as Obj)[part] : undefined;
  }
  if (v === undefined || v === null) return "";
  return typeof v === "string" ? v : JSON.stringify(v);
}
type Obj = Record<string, unknown>;

/** Positions at or after `seq` move one up (a line was inserted there). The tail only: O(lines moved). */
function shiftFrom(xs: number[], seq: number): void {
  for (let i = xs.length - 1; i >= 0 && (xs[i] as number) >= seq; i--) xs[i] = (xs[i] as number) + 1;
}

function insertSorted(xs: number[], seq: number): void {
  if (xs.length === 0 || (xs[xs.length - 1] as number) < seq) xs.push(seq);
  else xs.splice(lowerBound(xs, seq), 0, seq);
}

/** What the filter looks in: the text, and the source in a merged view (filter by pod or container). */
function filterText(line: LogLine): string {
  return (line.source ? `${line.source} ${line.text}` : line.text).toLowerCase();
}

function newSource(pod: { namespace: string; name: string }, container: string | undefined, label: string): Source {
  return {
    pod,
    container,
    label,
    phase: "streaming",
    attempt: 1,
    delayMs: 0,
    resume: null,
    resumeFrom: undefined,
    carry: "",
    fresh: 0,
    fruitless: 0,
  };
}

export class LogsView implements View {
  readonly id: string;
  readonly crumb: string;
  private readonly s: LogsState;

  private constructor(state: LogsState) {
    this.s = state;
    this.crumb = state.previous ? "logs (previous)" : "logs";
    this.id = state.workload
      ? `${state.parentId} › ${state.workload.label} › logs`
      : `${state.parentId} › po/${state.pod.namespace}/${state.pod.name} › ${this.crumb}`;
  }

  private static base(parentId: string, pod: { namespace: string; name: string }, opts: LogsOptions): LogsState {
    return {
      parentId,
      pod: { namespace: pod.namespace, name: pod.name },
      previous: false,
      container: undefined,
      all: false,
      workload: null,
      choices: [],
      pickCursor: 0,
      stage: "pod",
      sources: [],
      request: 1,
      tailLines: opts.tailLines ?? DEFAULT_TAIL_LINES,
      since: 0,
      buffer: new LogBuffer(opts.bounds),
      notice: undefined,
      follow: true,
      wrap: false,
      timestamps: false,
      json: "off",
      fields: DEFAULT_JSON_FIELDS,
      fieldsTyping: null,
      top: 0,
      search: null,
      filter: null,
      saves: 0,
    };
  }

  /**
   * The view on a pod's log. With `container` it streams at once; without, it GETs the pod first (fetch()) and
   * streams its only container or lets the user pick one. `all` streams every container merged.
   */
  static open(
    pod: { namespace: string; name: string },
    parentId: string,
    opts: { container?: string; previous?: boolean; all?: boolean } & LogsOptions = {},
  ): LogsView {
    const base = LogsView.base(parentId, pod, opts);
    const live = opts.container !== undefined && !opts.all;
    return new LogsView({
      ...base,
      previous: opts.previous ?? false,
      container: opts.container,
      all: opts.all ?? false,
      stage: live ? "live" : "pod",
      sources: live ? [newSource(base.pod, opts.container, "")] : [],
    });
  }

  /**
   * The merged logs of a workload's (or a service's) pods: `label` as "deploy/api". Holds the pods query and
   * reads each pod that appears (its containers), so the result has the GETs to run.
   */
  static workload(
    target: { namespace: string; label: string; pods: PodsQuery },
    parentId: string,
    ctx: ViewContext,
    opts: LogsOptions = {},
  ): ViewResult {
    const base = LogsView.base(parentId, { namespace: target.namespace, name: target.label }, opts);
    const workload: Workload = {
      label: target.label,
      pods: target.pods,
      known: new Map(),
      total: 0,
      maxPods: Math.max(1, opts.maxPods ?? MAX_LOG_PODS),
    };
    return new LogsView({ ...base, workload, stage: "live" }).syncPods(ctx);
  }

  private get requestId(): string {
    return `${this.id}#pod${this.s.request}`;
  }
  private get saveId(): string {
    return `${this.id}#save${this.s.saves}`;
  }
  private podRequestId(name: string): string {
    return `${this.id}#get:${name}`;
  }

  /** The GET of the pod when no container is chosen yet; else nothing to do (the stream is a subscription). */
  fetch(): ViewResult {
    if (this.s.stage !== "pod") return [this, NONE];
    const path = podPath(this.s.pod.namespace, this.s.pod.name);
    return [this, [{ type: "effect", effect: { type: "get", id: this.requestId, path } }]];
  }

  private with(change: Partial<LogsState>): LogsView {
    return new LogsView({ ...this.s, ...change });
  }

  // Read-only accessors for tests.
  get buffer(): LogBuffer {
    return this.s.buffer;
  }
  get following(): boolean {
    return this.s.follow;
  }
  get phase(): Phase {
    const stage = this.s.stage;
    if (stage === "pod" || stage === "pick" || stage === "stopped") return stage;
    if (this.s.sources.some((x) => x.phase === "streaming")) return "streaming";
    if (this.s.sources.some((x) => x.phase === "reconnecting")) return "reconnecting";
    return this.s.workload ? "streaming" : "stopped";
  }
  get container(): string | undefined {
    return this.s.container;
  }
  /** The sources' labels (merged views), in the order they joined. */
  get sourceLabels(): string[] {
    return this.s.sources.map((x) => x.label || (x.container ?? ""));
  }
  private get merged(): boolean {
    return this.s.all || this.s.workload !== null;
  }

  /** The key of a source's stream now open (one per attempt); the first source's by default. */
  streamKeyOf(src: Source): string {
    return `${this.id}#${src.label || src.container}#${this.s.since}#${src.attempt}`;
  }
  get streamKey(): string {
    const src = this.s.sources[0];
    return src ? this.streamKeyOf(src) : `${this.id}#none`;
  }

  /** A source's log path with its query: follow and timestamps always; the range; a resume's sinceTime. */
  pathOf(src: Source): string {
    const q = new URLSearchParams();
    if (src.container !== undefined) q.set("container", src.container);
    q.set("follow", "true");
    q.set("timestamps", "true");
    if (this.s.previous) q.set("previous", "true");
    const choice = SINCE_CHOICES[this.s.since] ?? SINCE_CHOICES[0];
    if (src.resumeFrom !== undefined) q.set("sinceTime", src.resumeFrom);
    else if (choice?.seconds !== undefined) q.set("sinceSeconds", String(choice.seconds));
    else if (!choice?.head) q.set("tailLines", String(this.s.tailLines));
    return `${podPath(src.pod.namespace, src.pod.name)}/log?${q.toString()}`;
  }
  get path(): string {
    const src = this.s.sources[0] ?? newSource(this.s.pod, this.s.container, "");
    return this.pathOf(src);
  }

  streams(): readonly StreamSpec[] {
    if (this.s.stage !== "live") return [];
    const out: StreamSpec[] = [];
    for (const src of this.s.sources) {
      if (src.phase === "stopped") continue;
      out.push({
        key: this.streamKeyOf(src),
        path: this.pathOf(src),
        ...(src.delayMs > 0 && { delayMs: src.delayMs }),
      });
    }
    return out;
  }

  trailCrumb(): string {
    if (this.s.workload) return `${this.s.workload.label} logs`;
    return `po/${this.s.pod.name}${this.s.all ? ":all" : this.s.container ? `:${this.s.container}` : ""}`;
  }

  capturesInput(): boolean {
    return (this.s.search?.typing ?? false) || (this.s.filter?.typing ?? false) || this.s.fieldsTyping !== null;
  }

  holds(ctx: ViewContext): readonly RowQuery[] {
    const w = this.s.workload;
    if (w) return [w.pods.query(ctx), ...(w.pods.extraHolds?.() ?? [])];
    return [{ kind: "pods", namespace: this.s.pod.namespace }];
  }

  statusKinds(): readonly string[] {
    return ["pods"];
  }

  // ---- Workload pods ----

  /** Brings the sources in line with the pods query: new pods are read (GET), gone pods' streams end. */
  private syncPods(ctx: ViewContext): ViewResult {
    const w = this.s.workload;
    if (!w) return [this, NONE];
    const rows = ctx.repo.rows(w.pods.query(ctx));
    const present = new Set(rows.map((r) => r.name));
    const known = new Map(w.known);
    const actions: Action[] = [];
    let changed = rows.length !== w.total;
    let sources = this.s.sources;
    for (const [name, state] of known) {
      if (state === "gone" || present.has(name)) continue;
      known.set(name, "gone");
      changed = true;
      for (const src of sources)
        if (src.pod.name === name && src.phase !== "stopped") this.marker(src, "── pod gone ──");
      sources = sources.map((src) => (src.pod.name === name ? { ...src, phase: "stopped" as const } : src));
    }
    let active = 0;
    for (const state of known.values()) if (state !== "gone") active++;
    // Oldest first, so the pods that were there first keep their place in the bound.
    for (let i = rows.length - 1; i >= 0 && active < w.maxPods; i--) {
      const row = rows[i] as (typeof rows)[number];
      if (known.has(row.name)) continue;
      known.set(row.name, "get");
      active++;
      changed = true;
      actions.push({
        type: "effect",
        effect: { type: "get", id: this.podRequestId(row.name), path: podPath(row.namespace, row.name) },
      });
    }
    if (!changed) return [this, NONE];
    return [this.with({ workload: { ...w, known, total: rows.length }, sources }), actions];
  }

  private onWorkloadPod(name: string, value: unknown, error: string | undefined): ViewResult {
    const w = this.s.workload;
    if (w === null || w.known.get(name) !== "get") return [this, NONE];
    const known = new Map(w.known);
    if (error !== undefined) {
      known.set(name, "gone");
      return [this.with({ workload: { ...w, known } }), NONE];
    }
    known.set(name, "live");
    const pod = { namespace: this.s.pod.namespace, name };
    const added = containerRows(value as KubeObject, 0)
      .filter((c) => c.type !== "init")
      .map((c) => newSource(pod, c.name, `${name}/${c.name}`));
    return [this.with({ workload: { ...w, known }, sources: [...this.s.sources, ...added] }), NONE];
  }

  // ---- Lines ----

  /** Lines shown (all kept, or the filter's), as a count and by index. */
  private shownRange(): { count: number; seq: (i: number) => number; indexOf: (seq: number) => number } {
    const buffer = this.s.buffer;
    const filter = this.s.filter;
    if (filter && !filter.typing && filter.text !== "") {
      const from = lowerBound(filter.shown, buffer.first);
      return {
        count: filter.shown.length - from,
        seq: (i) => filter.shown[from + i] as number,
        indexOf: (seq) => lowerBound(filter.shown, seq) - from,
      };
    }
    return { count: buffer.length, seq: (i) => buffer.first + i, indexOf: (seq) => seq - buffer.first };
  }

  private appendLines(
    src: Source,
    raws: readonly string[],
    now: number,
  ): { kept: number; resume: ResumeFilter | null } {
    let resume = src.resume;
    let kept = 0;
    const merged = this.merged;
    for (const raw of raws) {
      let line = parseLine(raw);
      if (resume) {
        if (!resume.keep(line)) continue;
        if (!resume.active) resume = null;
      }
      if (merged) line = { ...line, source: src.label, arrived: now, ...(line.ts && { key: normalTs(line.ts) }) };
      this.addLine(line);
      kept++;
    }
    return { kept, resume };
  }

  /** Where a merged line goes: after the last line not newer than it, among those that came in REORDER_MS. */
  private placeOf(line: LogLine): number {
    const b = this.s.buffer;
    let pos = b.end;
    const key = line.key;
    if (key === undefined || line.arrived === undefined) return pos;
    const cutoff = line.arrived - REORDER_MS;
    for (let n = 0; pos > b.first && n < REORDER_LINES; n++) {
      const prev = b.at(pos - 1) as LogLine;
      if (prev.marker || prev.key === undefined || (prev.arrived ?? 0) < cutoff || prev.key <= key) break;
      pos--;
    }
    return pos;
  }

  private addLine(line: LogLine): void {
    const b = this.s.buffer;
    const seq = this.placeOf(line);
    const inserted = seq < b.end;
    b.insert(seq, line);
    const search = this.s.search;
    if (search && !search.typing && search.text !== "") {
      if (inserted) shiftFrom(search.matches, seq);
      if (line.text.toLowerCase().includes(search.text.toLowerCase())) insertSorted(search.matches, seq);
    }
    const filter = this.s.filter;
    if (filter && filter.text !== "") {
      if (inserted) shiftFrom(filter.shown, seq);
      if (line.marker || filterText(line).includes(filter.text.toLowerCase())) insertSorted(filter.shown, seq);
    }
  }

  private onStream(index: number, ev: StreamEvent, ctx: ViewContext): ViewResult {
    const src = this.s.sources[index] as Source;
    if (ev.event === "chunk") {
      const { lines, carry } = splitChunk(src.carry, ev.text);
      const { kept, resume } = this.appendLines(src, lines, ctx.now);
      const next = this.withSource(index, { carry, resume, fresh: src.fresh + kept, phase: "streaming" });
      return [kept && !this.merged ? next.with({ notice: undefined }) : next, NONE];
    }
    // The end (or error) of this attempt: flush an unfinished last line, then decide what comes next.
    let view: LogsView = this;
    if (src.carry !== "") {
      const { kept, resume } = this.appendLines(src, [src.carry], ctx.now);
      view = this.withSource(index, { carry: "", resume, fresh: src.fresh + kept });
    }
    return ev.event === "end" ? view.ended(index) : view.failed(index, ev.error, ev.status);
  }

  private withSource(index: number, change: Partial<Source>): LogsView {
    const sources = this.s.sources.slice();
    sources[index] = { ...(sources[index] as Source), ...change };
    return this.with({ sources });
  }

  private marker(src: Source, text: string): void {
    const last = this.s.buffer.last();
    const label = src.label;
    if (last?.marker && last.source === (label || undefined) && last.text === text) return;
    if (last?.marker && !label) return;
    this.addLine({ ts: "", text, marker: true, ...(label && { source: label }) });
  }

  private reconnect(index: number, notice: LogsState["notice"]): ViewResult {
    const src = this.s.sources[index] as Source;
    const point = resumePoint(this.s.buffer, src.label || undefined);
    const fruitless = src.fresh > 0 ? 0 : src.fruitless + 1;
    const next = this.withSource(index, {
      phase: "reconnecting",
      attempt: src.attempt + 1,
      delayMs: backoffMs(fruitless),
      resume: point ? new ResumeFilter(point) : null,
      resumeFrom: point?.since ?? src.resumeFrom,
      fresh: 0,
      fruitless,
    });
    return [notice !== undefined || !this.merged ? next.with({ notice }) : next, NONE];
  }

  private ended(index: number): ViewResult {
    const src = this.s.sources[index] as Source;
    if (this.s.previous) {
      this.marker(src, "── end of the previous container's log ──");
      return [this.withSource(index, { phase: "stopped" }).with({ notice: undefined }), NONE];
    }
    if (src.fresh > 0 || src.fruitless === 0) {
      const ts = resumePoint(this.s.buffer, src.label || undefined)?.since ?? "start";
      this.marker(src, `── log stream ended; reconnecting from the last line (${ts}) ──`);
    }
    return this.reconnect(index, undefined);
  }

  private failed(index: number, error: string, status: number | undefined): ViewResult {
    const src = this.s.sources[index] as Source;
    const { namespace, name } = src.pod;
    const who = src.label ? `${src.label}: ` : "";
    const stop = (notice: LogsState["notice"]): ViewResult => [
      this.withSource(index, { phase: "stopped" }).with({ notice }),
      NONE,
    ];
    if (status === 403) {
      return stop({
        text: `forbidden: you may not get pods/log in namespace ${namespace} (needs RBAC: get on pods/log)`,
        error: true,
      });
    }
    if (status === 404) {
      this.marker(src, "── the pod is gone ──");
      return stop({ text: `${who}pod ${namespace}/${name} is gone; these are the lines it had`, error: false });
    }
    if (status === 400) {
      // The server's word (kubectl prints it): a container waiting to start, no previous container, ...
      const waiting = /is waiting to start/.test(error) && !this.s.previous;
      if (waiting) return this.reconnect(index, { text: `${who}${error}`, error: false });
      return stop({ text: `${who}${error}`, error: true });
    }
    if (src.fresh > 0 || src.fruitless === 0) this.marker(src, `── stream interrupted (${error}); reconnecting ──`);
    return this.reconnect(index, { text: `${who}reconnecting: ${error}`, error: true });
  }

  private restartRange(since: number): LogsView {
    this.s.buffer.clear();
    return this.with({
      since,
      sources: this.s.sources.map((src) =>
        src.phase === "stopped" && this.s.workload
          ? src
          : { ...newSource(src.pod, src.container, src.label), attempt: src.attempt + 1 },
      ),
      follow: true,
      search: this.s.search ? { ...this.s.search, matches: [], current: -1 } : null,
      filter: this.s.filter ? { ...this.s.filter, shown: [] } : null,
      notice: undefined,
    });
  }

  private choose(name: string): ViewResult {
    const attempt = Math.max(0, ...this.s.sources.map((x) => x.attempt)) + 1;
    this.s.buffer.clear();
    return [
      this.with({
        container: name,
        all: false,
        stage: "live",
        sources: [{ ...newSource(this.s.pod, name, ""), attempt }],
        notice: undefined,
        search: null,
        filter: null,
      }),
      NONE,
    ];
  }

  /** All the pod's containers merged (not its init containers, which have ended). */
  private chooseAll(): ViewResult {
    const names = this.s.choices.filter((c) => c.type !== "init").map((c) => c.name);
    if (names.length === 0) return [this, [{ type: "message", text: "the pod has no containers", error: true }]];
    const attempt = Math.max(0, ...this.s.sources.map((x) => x.attempt)) + 1;
    this.s.buffer.clear();
    return [
      this.with({
        all: true,
        stage: "live",
        sources: names.map((n) => ({ ...newSource(this.s.pod, n, n), attempt })),
        notice: undefined,
        search: null,
        filter: null,
        follow: true,
      }),
      NONE,
    ];
  }

  /** `a`: all containers, reading the pod first when its containers are not known yet. */
  private toggleAll(): ViewResult {
    if (this.s.all) {
      return [this.with({ stage: this.s.choices.length > 1 ? "pick" : this.s.stage }), NONE];
    }
    if (this.s.choices.length > 0) return this.chooseAll();
    const next = this.with({ all: true, stage: "pod", sources: [], request: this.s.request + 1 });
    return next.fetch();
  }

  private onPod(value: unknown): ViewResult {
    const pod = value as KubeObject;
    const rows = containerRows(pod, 0);
    const choices = rows.map((r) => ({ name: r.name, type: r.type }));
    if (this.s.all) return this.with({ choices }).chooseAll();
    if (choices.length === 1) return this.with({ choices }).choose((choices[0] as { name: string }).name);
    if (choices.length === 0) {
      return [this.with({ stage: "stopped", notice: { text: "the pod has no containers", error: true } }), NONE];
    }
    const preferred = pod.metadata?.annotations?.["kubectl.kubernetes.io/default-container"];
    let cursor = choices.findIndex((c) => c.name === preferred);
    if (cursor < 0)
      cursor = Math.max(
        0,
        choices.findIndex((c) => c.type === "container"),
      );
    return [this.with({ choices, pickCursor: cursor, stage: "pick" }), NONE];
  }

  update(msg: ViewMsg, ctx: ViewContext): ViewResult {
    switch (msg.type) {
      case "stream": {
        if (this.s.stage !== "live") return [this, NONE];
        const index = this.s.sources.findIndex((src) => src.phase !== "stopped" && this.streamKeyOf(src) === msg.key);
        if (index < 0) return [this, NONE];
        return this.onStream(index, msg, ctx);
      }
      case "result":
        if (msg.id === this.saveId) {
          if (msg.error !== undefined) return [this, [{ type: "message", text: `save: ${msg.error}`, error: true }]];
          return [this, [{ type: "message", text: `saved to ${String(msg.value)}` }]];
        }
        if (this.s.workload && msg.id.startsWith(`${this.id}#get:`)) {
          return this.onWorkloadPod(msg.id.slice(`${this.id}#get:`.length), msg.value, msg.error);
        }
        if (msg.id !== this.requestId) return [this, NONE];
        if (msg.error !== undefined) {
          return [
            this.with({ stage: "stopped", notice: { text: `cannot read the pod: ${msg.error}`, error: true } }),
            NONE,
          ];
        }
        return this.onPod(msg.value);
      case "data":
        return this.syncPods(ctx);
      case "paste":
        return this.typed(pasteText(msg.text), null);
      case "key": {
        if (!this.capturesInput()) return [this, NONE];
        return this.typed(null, msg);
      }
      default:
        return [this, NONE];
    }
  }

  private typed(paste: string | null, key: Parameters<typeof editText>[1] | null): ViewResult {
    const fields = this.s.fieldsTyping;
    if (fields !== null) {
      const text = paste !== null ? fields + paste : editText(fields, key as Parameters<typeof editText>[1]);
      if (text === null) return [this, NONE];
      return [this.with({ fieldsTyping: text }), NONE];
    }
    const search = this.s.search;
    const filter = this.s.filter;
    if (search?.typing) {
      const text = paste !== null ? search.text + paste : editText(search.text, key as Parameters<typeof editText>[1]);
      if (text === null) return [this, NONE];
      return [this.with({ search: { ...search, text } }), NONE];
    }
    if (filter?.typing) {
      const text = paste !== null ? filter.text + paste : editText(filter.text, key as Parameters<typeof editText>[1]);
      if (text === null) return [this, NONE];
      return [this.with({ filter: { ...filter, text } }), NONE];
    }
    return [this, NONE];
  }

  private withSearch(text: string): LogsView {
    const needle = text.toLowerCase();
    const matches: number[] = [];
    const b = this.s.buffer;
    for (let s = b.first; s < b.end; s++) if ((b.at(s) as LogLine).text.toLowerCase().includes(needle)) matches.push(s);
    return this.with({ search: { text, typing: false, matches, current: -1 } });
  }

  private withFilter(text: string): LogsView {
    if (text === "") return this.with({ filter: null });
    const needle = text.toLowerCase();
    const shown: number[] = [];
    const b = this.s.buffer;
    for (let s = b.first; s < b.end; s++) {
      const l = b.at(s) as LogLine;
      if (l.marker || filterText(l).includes(needle)) shown.push(s);
    }
    return this.with({ filter: { text, typing: false, shown } });
  }

  private page(ctx: ViewContext): number {
    return Math.max(1, ctx.height - 1);
  }

  /** The top line's index among the shown lines when following (the last page). */
  private followTop(ctx: ViewContext): number {
    const range = this.shownRange();
    if (!this.s.wrap && this.s.json !== "pretty") {
      return Math.max(0, range.count - this.page(ctx) + (this.s.json === "columns" ? 1 : 0));
    }
    let rows = 0;
    let i = range.count - 1;
    for (; i >= 0; i--) {
      rows += this.rowsOf(this.s.buffer.at(range.seq(i)) as LogLine, ctx.width);
      if (rows > this.page(ctx)) break;
    }
    return Math.min(range.count - 1, i + 1);
  }

  private topIndex(ctx: ViewContext): number {
    const range = this.shownRange();
    if (this.s.follow) return this.followTop(ctx);
    return Math.max(0, Math.min(range.indexOf(this.s.top), Math.max(0, range.count - 1)));
  }

  private scrollTo(index: number, ctx: ViewContext): ViewResult {
    const range = this.shownRange();
    const max = this.followTop(ctx);
    if (index >= max) return [this.with({ follow: true }), NONE];
    const i = Math.max(0, index);
    return [this.with({ follow: false, top: range.count ? range.seq(i) : this.s.buffer.first }), NONE];
  }

  private jump(step: 1 | -1, ctx: ViewContext): ViewResult {
    const search = this.s.search;
    const first = this.s.buffer.first;
    const matches = search ? search.matches.slice(lowerBound(search.matches, first)) : [];
    if (!search || matches.length === 0) {
      return [this, [{ type: "message", text: `no match for "${search?.text ?? ""}"`, error: true }]];
    }
    const topSeq = this.shownRange().seq(this.topIndex(ctx));
    const currentSeq = search.current >= 0 ? search.current : undefined;
    let target: number | undefined;
    if (step === 1) target = matches.find((m) => m > (currentSeq ?? topSeq - 1)) ?? matches[0];
    else target = [...matches].reverse().find((m) => m < (currentSeq ?? topSeq)) ?? matches[matches.length - 1];
    const seq = target as number;
    const next = this.with({ search: { ...search, current: seq }, filter: null });
    const index = next.shownRange().indexOf(seq);
    return next.scrollTo(index - Math.floor(this.page(ctx) / 3), ctx);
  }

  bindings(ctx: ViewContext): readonly Binding<ViewResult>[] {
    const search = this.s.search;
    const filter = this.s.filter;
    if (search?.typing) {
      return [
        {
          keys: keys("enter"),
          label: "search: go to the first match",
          section: "Search",
          run: () =>
            search.text === "" ? [this.with({ search: null }), NONE] : this.withSearch(search.text).jump(-1, ctx),
        },
        {
          keys: keys("escape"),
          label: "cancel the search",
          section: "Search",
          run: () => [this.with({ search: null }), NONE],
        },
      ];
    }
    if (filter?.typing) {
      return [
        {
          keys: keys("enter"),
          label: "filter: show only the lines that match",
          section: "Filter",
          run: () => [this.withFilter(filter.text), NONE],
        },
        {
          keys: keys("escape"),
          label: "cancel the filter",
          section: "Filter",
          run: () => [this.with({ filter: null }), NONE],
        },
      ];
    }
    const fieldsTyping = this.s.fieldsTyping;
    if (fieldsTyping !== null) {
      return [
        {
          keys: keys("enter"),
          label: "show these JSON fields as columns",
          section: "JSON",
          run: () => {
            const fields = fieldsTyping.split(/[\s,]+/).filter(Boolean);
            return [
              this.with({ fieldsTyping: null, fields: fields.length ? fields : DEFAULT_JSON_FIELDS, json: "columns" }),
              NONE,
            ];
          },
        },
        {
          keys: keys("escape"),
          label: "keep the columns as they were",
          section: "JSON",
          run: () => [this.with({ fieldsTyping: null }), NONE],
        },
      ];
    }
    if (this.s.stage === "pick") {
      const count = this.s.choices.length;
      const move = (to: number): ViewResult => [this.with({ pickCursor: Math.max(0, Math.min(count - 1, to)) }), NONE];
      return [
        { keys: keys("up", "k"), label: "previous container", section: "Move", run: () => move(this.s.pickCursor - 1) },
        { keys: keys("down", "j"), label: "next container", section: "Move", run: () => move(this.s.pickCursor + 1) },
        {
          keys: keys("enter"),
          label: "show this container's log",
          section: "Move",
          hint: "logs",
          run: () => this.choose((this.s.choices[this.s.pickCursor] as { name: string }).name),
        },
        {
          keys: keys("a"),
          label: "all containers merged, by timestamp",
          section: "Move",
          run: () => this.chooseAll(),
        },
      ];
    }
    const top = this.topIndex(ctx);
    const page = this.page(ctx);
    const out: Binding<ViewResult>[] = [
      {
        keys: keys("up", "k"),
        label: "scroll up (stops following)",
        section: "Move",
        run: () => this.scrollTo(top - 1, ctx),
      },
      { keys: keys("down", "j"), label: "scroll down", section: "Move", run: () => this.scrollTo(top + 1, ctx) },
      { keys: keys("pageup", "ctrl+b"), label: "page up", section: "Move", run: () => this.scrollTo(top - page, ctx) },
      {
        keys: keys("pagedown", "ctrl+f", "space"),
        label: "page down",
        section: "Move",
        run: () => this.scrollTo(top + page, ctx),
      },
      { keys: keys("home", "g"), label: "first line", section: "Move", run: () => this.scrollTo(0, ctx) },
      {
        keys: keys("end", "G"),
        label: "last line (follows again)",
        section: "Move",
        run: () => [this.with({ follow: true }), NONE],
      },
      {
        keys: keys("s"),
        label: this.s.follow ? "stop autoscroll" : "autoscroll: follow new lines",
        section: "Logs",
        hint: "autoscroll",
        run: () =>
          this.s.follow
            ? [this.with({ follow: false, top: this.shownRange().seq(top) }), NONE]
            : [this.with({ follow: true }), NONE],
      },
      {
        keys: keys("w"),
        label: this.s.wrap ? "cut long lines" : "wrap long lines",
        section: "Logs",
        hint: "wrap",
        run: () => [this.with({ wrap: !this.s.wrap }), NONE],
      },
      {
        keys: keys("t"),
        label: this.s.timestamps ? "hide timestamps" : "show timestamps",
        section: "Logs",
        hint: "timestamps",
        run: () => [this.with({ timestamps: !this.s.timestamps }), NONE],
      },
    ];
    const nextJson: JsonMode = this.s.json === "off" ? "pretty" : this.s.json === "pretty" ? "columns" : "off";
    out.push(
      {
        keys: keys("J"),
        label:
          nextJson === "pretty"
            ? "JSON lines pretty-printed"
            : nextJson === "columns"
              ? `JSON lines as columns (${this.s.fields.join(" ")})`
              : "JSON lines as they are",
        section: "Logs",
        hint: "json",
        run: () => [this.with({ json: nextJson }), NONE],
      },
      {
        keys: keys("F"),
        label: "the JSON fields shown as columns",
        section: "Logs",
        run: () => [this.with({ fieldsTyping: this.s.fields.join(" ") }), NONE],
      },
    );
    if (!this.s.workload && !this.s.previous && (this.s.all || this.s.choices.length !== 1)) {
      out.push({
        keys: keys("a"),
        label: this.s.all ? "one container (the picker)" : "all containers merged, by timestamp",
        section: "Logs",
        hint: this.s.all ? "one container" : "all containers",
        run: () => this.toggleAll(),
      });
    }
    for (const [i, choice] of SINCE_CHOICES.entries()) {
      out.push({
        keys: keys(choice.key),
        label:
          choice.label === "tail"
            ? `the last ${this.s.tailLines} lines, then follow`
            : choice.head
              ? "the whole log (head), then follow"
              : `the last ${choice.label}, then follow`,
        section: "Range",
        run: () => [this.restartRange(i), NONE],
      });
    }
    out.push(
      {
        keys: keys("/"),
        label: "search (case-insensitive); every match is highlighted",
        section: "Search",
        hint: "search",
        run: () => [this.with({ search: { text: "", typing: true, matches: [], current: -1 } }), NONE],
      },
      {
        keys: keys("f"),
        label: "filter: show only the lines that contain a text",
        section: "Filter",
        hint: "filter",
        run: () => [this.with({ filter: { text: this.s.filter?.text ?? "", typing: true, shown: [] } }), NONE],
      },
    );
    if (search && search.text !== "") {
      out.push(
        { keys: keys("n"), label: "next match (wraps)", section: "Search", run: () => this.jump(1, ctx) },
        { keys: keys("N"), label: "previous match (wraps)", section: "Search", run: () => this.jump(-1, ctx) },
      );
    }
    if ((search && search.text !== "") || filter) {
      out.push({
        keys: keys("escape"),
        label: "clear the search and the filter",
        section: "Search",
        run: () => [this.with({ search: null, filter: null }), NONE],
      });
    }
    out.push(
      {
        keys: keys("C"),
        label: "clear the lines shown (the stream goes on)",
        section: "Logs",
        hint: "clear",
        run: () => {
          this.s.buffer.clear();
          return [this.with({ follow: true }), NONE];
        },
      },
      {
        keys: keys("ctrl+s"),
        label: "save the lines kept to a file",
        section: "Logs",
        hint: "save",
        run: () => this.save(ctx),
      },
      {
        keys: keys("c"),
        label: "copy the lines kept to the clipboard (OSC 52)",
        section: "Logs",
        run: () => [
          this,
          [
            { type: "effect", effect: { type: "clipboard", text: this.text() } },
            { type: "message", text: `copied ${this.s.buffer.length} lines` },
          ],
        ],
      },
    );
    return out;
  }

  /** The lines kept, as saved and copied (timestamps when shown). */
  text(): string {
    let out = "";
    for (const l of this.s.buffer.lines()) {
      out += `${this.s.timestamps && l.ts ? `${l.ts} ` : ""}${l.source ? `${l.source} ` : ""}${l.text}\n`;
    }
    return out;
  }

  private save(ctx: ViewContext): ViewResult {
    const { namespace, name } = this.s.pod;
    const which = this.s.all ? "all" : (this.s.container ?? "");
    const parts = [ctx.repo.contextName, namespace, name, which, stamp(ctx.now)].filter(Boolean);
    const path = `${parts.map(fileSafe).join("-")}${this.s.previous ? "-previous" : ""}.log`;
    const next = this.with({ saves: this.s.saves + 1 });
    return [next, [{ type: "effect", effect: { type: "save", id: next.saveId, path, text: this.text() } }]];
  }

  title(): string {
    const { namespace, name } = this.s.pod;
    const w = this.s.workload;
    const live = this.s.sources.filter((x) => x.phase !== "stopped");
    const what = w
      ? `${namespace}/${name}: ${new Set(live.map((x) => x.pod.name)).size} pods, ${live.length} streams${
          w.total > w.maxPods ? ` (bound ${w.maxPods} pods; ${w.total} exist)` : ""
        }`
      : `${namespace}/${name}${this.s.all ? " (all containers)" : this.s.container ? `:${this.s.container}` : ""}`;
    const range = SINCE_CHOICES[this.s.since]?.label ?? "tail";
    const b = this.s.buffer;
    const flags = [
      this.s.follow ? "follow" : "paused",
      this.s.wrap ? "wrap" : "",
      this.s.timestamps ? "ts" : "",
      this.s.json === "off" ? "" : `json ${this.s.json}`,
    ];
    const dropped = b.dropped
      ? ` · ${b.dropped} dropped (bound ${b.maxLines} lines / ${Math.round(b.maxBytes / 1048576)} MB)`
      : "";
    return `${this.s.previous ? "Previous logs" : "Logs"} ${what} (${range}) ${b.length} lines${dropped} · ${flags.filter(Boolean).join(" ")}`;
  }

  /** The texts a line shows as: itself, its JSON pretty-printed (several rows), or its fields as columns. */
  private texts(line: LogLine, cols: readonly number[] | null): string[] {
    if (this.s.json === "off" || line.marker) return [line.text];
    const o = jsonOf(line);
    if (!o) return [line.text];
    if (this.s.json === "pretty") return JSON.stringify(o, null, 2).split("\n");
    const fields = this.s.fields;
    let out = "";
    for (const [i, f] of fields.entries()) {
      const v = fieldOf(o, f);
      if (i === fields.length - 1) out += v;
      else {
        const w = cols?.[i] ?? 12;
        out += `${v.length > w ? `${v.slice(0, w - 1)}…` : v.padEnd(w)}  `;
      }
    }
    return [out];
  }

  /** Column widths of the JSON fields (all but the last) over the lines about to be painted. */
  private columnWidths(seqs: readonly number[]): number[] | null {
    if (this.s.json !== "columns") return null;
    const fields = this.s.fields;
    const widths = fields.slice(0, -1).map((f) => Math.min(32, f.length));
    for (const seq of seqs) {
      const o = jsonOf(this.s.buffer.at(seq) as LogLine);
      if (!o) continue;
      for (let i = 0; i < widths.length; i++) {
        widths[i] = Math.min(32, Math.max(widths[i] as number, fieldOf(o, fields[i] as string).length));
      }
    }
    return widths;
  }

  /** Rows a line takes at `width` (1 unless wrapping or pretty-printing). */
  private rowsOf(line: LogLine, width: number): number {
    const multi = this.s.json === "pretty" && jsonOf(line) !== null;
    if (!this.s.wrap && !multi) return 1;
    const texts = multi ? this.texts(line, null) : [line.text];
    if (!this.s.wrap) return texts.length;
    let rows = 0;
    const pre = displayWidth(this.prefix(line)) + (line.source ? displayWidth(line.source) + 1 : 0);
    for (const t of texts) {
      const w = pre + (isPrintableAscii(t) ? t.length : displayWidth(t));
      rows += Math.max(1, Math.ceil(w / Math.max(1, width)));
    }
    return rows;
  }

  private prefix(line: LogLine): string {
    return this.s.timestamps && line.ts ? `${line.ts} ` : "";
  }

  private segments(line: LogLine, text: string, first: boolean, seq: number, limit: number): Segment[] {
    const out: Segment[] = [];
    const prefix = this.prefix(line);
    const source = line.source ? `${line.source} ` : "";
    if (!first) {
      if (prefix || source) out.push({ text: " ".repeat(displayWidth(prefix) + displayWidth(source)), style: "" });
    } else {
      if (prefix) out.push({ text: prefix, style: THEME.dim });
      if (source) out.push({ text: source, style: sourceStyle(line.source as string) });
    }
    if (line.marker) {
      out.push({ text, style: THEME.warning });
      return out;
    }
    const raw = text.length > limit ? text.slice(0, limit) : text;
    let segs: Segment[] = [{ text: raw, style: "" }];
    const search = this.s.search;
    if (search && !search.typing && search.text !== "") {
      const hl = search.current === seq ? THEME.searchCurrent : THEME.searchMatch;
      segs = highlight(segs, raw, search.text.toLowerCase(), hl);
    }
    out.push(...segs);
    return out;
  }

  /** A line's rows: cut to the width, or wrapped; several for a pretty-printed JSON line. */
  private paint(line: LogLine, seq: number, width: number, cols: readonly number[] | null = null): string[] {
    const rows: string[] = [];
    for (const [i, text] of this.texts(line, cols).entries()) this.paintText(line, text, i === 0, seq, width, rows);
    return rows;
  }

  private paintText(line: LogLine, text: string, first: boolean, seq: number, width: number, rows: string[]): void {
    if (!this.s.wrap) {
      const limit = width * 4 + 8;
      const segs = this.segments(line, text, first, seq, limit);
      if (text.length > limit) segs.push({ text: " ".repeat(width + 1), style: "" });
      rows.push(paintSegments(segs, width));
      return;
    }
    let row = new StyledLine();
    let used = 0;
    for (const seg of this.segments(line, text, first, seq, Number.POSITIVE_INFINITY)) {
      let text = seg.text;
      while (text !== "") {
        const part = takeWidth(text, width - used);
        if (part === "") {
          rows.push(row.toString());
          row = new StyledLine();
          used = 0;
          if (width < 2 && displayWidth(text.slice(0, 1)) > width) text = text.slice(1);
          continue;
        }
        row.add(part, seg.style);
        used += displayWidth(part);
        text = text.slice(part.length);
        if (used >= width && text !== "") {
          rows.push(row.toString());
          row = new StyledLine();
          used = 0;
        }
      }
    }
    rows.push(row.toString());
  }

  private banner(): Segment | null {
    const n = this.s.notice;
    if (n) return { text: ` ${n.text}`, style: n.error ? THEME.errorMessage : THEME.warning };
    const w = this.s.workload;
    if (w && w.total > w.maxPods) {
      return { text: ` ${w.total} pods: streaming the first ${w.maxPods} (the bound)`, style: THEME.warning };
    }
    if (this.phase === "reconnecting") return { text: " reconnecting…", style: THEME.dim };
    return null;
  }

  body(ctx: ViewContext): string[] {
    const { width, height } = ctx;
    const lines: string[] = [];
    const banner = this.banner();
    if (this.s.stage === "pod") {
      lines.push("", paintSegments([{ text: " Reading the pod's containers…", style: THEME.dim }], width));
    } else if (this.s.stage === "pick") {
      lines.push(paintSegments([{ text: " Which container's log? (Enter)", style: THEME.emphasis }], width));
      this.s.choices.forEach((c, i) => {
        const style = i === this.s.pickCursor ? THEME.cursor : "";
        lines.push(
          paintSegments([{ text: ` ${c.name}${c.type === "container" ? "" : `  (${c.type})`}`, style }], width),
        );
      });
    } else {
      if (banner) lines.push(paintSegments([banner], width));
      const range = this.shownRange();
      let cols: number[] | null = null;
      if (this.s.json === "columns") {
        const seqs: number[] = [];
        const from = this.s.follow ? Math.max(0, range.count - height) : this.topIndex(ctx);
        for (let i = from; i < range.count && seqs.length < height; i++) seqs.push(range.seq(i));
        cols = this.columnWidths(seqs);
        let head = "";
        for (const [i, f] of this.s.fields.entries())
          head += i < (cols?.length ?? 0) ? `${f.padEnd(cols?.[i] ?? 0)}  ` : f;
        lines.push(paintSegments([{ text: head.toUpperCase(), style: THEME.emphasis }], width));
      }
      const rows = height - lines.length;
      if (range.count === 0) {
        const text = this.phase === "stopped" ? " No lines." : " Waiting for lines…";
        lines.push(paintSegments([{ text, style: THEME.dim }], width));
      } else if (this.s.follow && (this.s.wrap || this.s.json === "pretty")) {
        // Bottom-anchored: the last lines' rows, newest at the bottom.
        const out: string[] = [];
        for (let i = range.count - 1; i >= 0 && out.length < rows; i--) {
          const seq = range.seq(i);
          out.unshift(...this.paint(this.s.buffer.at(seq) as LogLine, seq, width, cols));
        }
        lines.push(...out.slice(-rows));
      } else {
        for (let i = this.topIndex(ctx); i < range.count && lines.length < height; i++) {
          const seq = range.seq(i);
          lines.push(...this.paint(this.s.buffer.at(seq) as LogLine, seq, width, cols));
        }
      }
    }
    while (lines.length < height) lines.push("");
    return lines.slice(0, height);
  }

  bottom(): Segment[] | null {
    const search = this.s.search;
    const filter = this.s.filter;
    if (this.s.fieldsTyping !== null) {
      return [
        { text: "fields ", style: THEME.emphasis },
        { text: this.s.fieldsTyping, style: "" },
        { text: " ", style: THEME.cursor },
        { text: "   JSON fields as columns, space-separated (a.b for nested) · Enter · Esc cancel", style: THEME.dim },
      ];
    }
    if (search?.typing) {
      return [
        { text: "/", style: THEME.emphasis },
        { text: search.text, style: "" },
        { text: " ", style: THEME.cursor },
        { text: "   Enter find · Esc cancel", style: THEME.dim },
      ];
    }
    if (filter?.typing) {
      return [
        { text: "filter ", style: THEME.emphasis },
        { text: filter.text, style: "" },
        { text: " ", style: THEME.cursor },
        { text: "   Enter shows matching lines only · Esc cancel", style: THEME.dim },
      ];
    }
    const out: Segment[] = [];
    if (filter) out.push({ text: ` filter "${filter.text}" ${this.shownRange().count} lines`, style: THEME.emphasis });
    if (search && search.text !== "") {
      const count = search.matches.length - lowerBound(search.matches, this.s.buffer.first);
      out.push({ text: ` search "${search.text}" ${count} lines match · n/N`, style: count ? "" : THEME.errorMessage });
    }
    return out.length ? [...out, { text: "  Esc clears", style: THEME.dim }] : null;
  }
}
