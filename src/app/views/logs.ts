// `l` on a pod (or a container), `p` for the previous container's log: the log, streamed (follow=true,
// timestamps=true), kept in a ring buffer bounded in lines and bytes (log-buffer.ts), painted from the visible lines
// only (wrap computed for them alone), so its cost does not grow with the buffer.
//
// The stream is a StreamSpec the app turns into a subscription: it runs while the view is on the stack. When it ends
// (container restart, dropped connection, server restart) the view reconnects with sinceTime = the last line's
// timestamp and skips the lines it already has, so nothing repeats and nothing is lost; a marker line says so.
// Keys follow k9s: s autoscroll, w wrap, t timestamps, 0 tail, 1 head, 2 1m, 3 5m, 4 15m, 5 30m, 6 1h, C clear.
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
  parseLine,
  ResumeFilter,
  resumePoint,
  splitChunk,
} from "../log-buffer.ts";
import { paintSegments, type Segment } from "../paint.ts";
import { StyledLine } from "../table.ts";
import { editText, pasteText } from "../text-input.ts";
import { containerRows } from "./containers.ts";
import { fileSafe, highlight, stamp } from "./text-pane.ts";
import type { Action, StreamSpec, View, ViewContext, ViewMsg, ViewResult } from "./view.ts";

/** Lines asked for when the view opens (tailLines), as k9s (logger.tail: 100). */
export const DEFAULT_TAIL_LINES = 100;

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
  readonly pod: { namespace: string; name: string };
  readonly previous: boolean;
  readonly container: string | undefined;
  readonly choices: readonly { name: string; type: string }[];
  readonly pickCursor: number;
  readonly phase: Phase;
  readonly request: number;
  readonly tailLines: number;
  readonly since: number;
  /** Owned by this view's lineage: appended to in place as lines come (copying it per chunk would cost O(n)). */
  readonly buffer: LogBuffer;
  readonly attempt: number;
  readonly delayMs: number;
  /** The resumed stream's skip state; null on the first stream of a range. */
  readonly resume: ResumeFilter | null;
  readonly resumeFrom: string | undefined;
  readonly carry: string;
  /** Lines kept from the current stream (a reconnect that brings none backs off further). */
  readonly fresh: number;
  readonly fruitless: number;
  readonly notice: { text: string; error: boolean } | undefined;
  readonly follow: boolean;
  readonly wrap: boolean;
  readonly timestamps: boolean;
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

export class LogsView implements View {
  readonly id: string;
  readonly crumb: string;
  private readonly s: LogsState;

  private constructor(state: LogsState) {
    this.s = state;
    this.crumb = state.previous ? "logs (previous)" : "logs";
    this.id = `${state.parentId} › po/${state.pod.namespace}/${state.pod.name} › ${this.crumb}`;
  }

  /**
   * The view on a pod's log. With `container` it streams at once; without, it GETs the pod first (fetch()) and
   * streams its only container or lets the user pick one.
   */
  static open(
    pod: { namespace: string; name: string },
    parentId: string,
    opts: { container?: string; previous?: boolean } & LogsOptions = {},
  ): LogsView {
    return new LogsView({
      parentId,
      pod: { namespace: pod.namespace, name: pod.name },
      previous: opts.previous ?? false,
      container: opts.container,
      choices: [],
      pickCursor: 0,
      phase: opts.container === undefined ? "pod" : "streaming",
      request: 1,
      tailLines: opts.tailLines ?? DEFAULT_TAIL_LINES,
      since: 0,
      buffer: new LogBuffer(opts.bounds),
      attempt: 1,
      delayMs: 0,
      resume: null,
      resumeFrom: undefined,
      carry: "",
      fresh: 0,
      fruitless: 0,
      notice: undefined,
      follow: true,
      wrap: false,
      timestamps: false,
      top: 0,
      search: null,
      filter: null,
      saves: 0,
    });
  }

  private get requestId(): string {
    return `${this.id}#pod${this.s.request}`;
  }
  private get saveId(): string {
    return `${this.id}#save${this.s.saves}`;
  }

  /** The GET of the pod when no container is chosen yet; else nothing to do (the stream is a subscription). */
  fetch(): ViewResult {
    if (this.s.phase !== "pod") return [this, NONE];
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
    return this.s.phase;
  }
  get container(): string | undefined {
    return this.s.container;
  }

  /** The key of the stream now open (one per attempt). */
  get streamKey(): string {
    return `${this.id}#${this.s.container}#${this.s.since}#${this.s.attempt}`;
  }

  /** The log's API path with its query: follow and timestamps always; the range; a resume's sinceTime. */
  get path(): string {
    const q = new URLSearchParams();
    if (this.s.container !== undefined) q.set("container", this.s.container);
    q.set("follow", "true");
    q.set("timestamps", "true");
    if (this.s.previous) q.set("previous", "true");
    const choice = SINCE_CHOICES[this.s.since] ?? SINCE_CHOICES[0];
    if (this.s.resumeFrom !== undefined) q.set("sinceTime", this.s.resumeFrom);
    else if (choice?.seconds !== undefined) q.set("sinceSeconds", String(choice.seconds));
    else if (!choice?.head) q.set("tailLines", String(this.s.tailLines));
    return `${podPath(this.s.pod.namespace, this.s.pod.name)}/log?${q.toString()}`;
  }

  streams(): readonly StreamSpec[] {
    if (this.s.phase !== "streaming" && this.s.phase !== "reconnecting") return [];
    return [{ key: this.streamKey, path: this.path, ...(this.s.delayMs > 0 && { delayMs: this.s.delayMs }) }];
  }

  trailCrumb(): string {
    return `po/${this.s.pod.name}${this.s.container ? `:${this.s.container}` : ""}`;
  }

  capturesInput(): boolean {
    return (this.s.search?.typing ?? false) || (this.s.filter?.typing ?? false);
  }

  holds(): readonly RowQuery[] {
    return [{ kind: "pods", namespace: this.s.pod.namespace }];
  }

  statusKinds(): readonly string[] {
    return ["pods"];
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

  private appendLines(raws: readonly string[]): { kept: number; resume: ResumeFilter | null } {
    let resume = this.s.resume;
    let kept = 0;
    for (const raw of raws) {
      const line = parseLine(raw);
      if (resume) {
        if (!resume.keep(line)) continue;
        if (!resume.active) resume = null;
      }
      this.addLine(line);
      kept++;
    }
    return { kept, resume };
  }

  private addLine(line: LogLine): void {
    const seq = this.s.buffer.end;
    this.s.buffer.push(line);
    const search = this.s.search;
    if (search && !search.typing && search.text !== "" && line.text.toLowerCase().includes(search.text.toLowerCase())) {
      search.matches.push(seq);
    }
    const filter = this.s.filter;
    if (filter && filter.text !== "" && (line.marker || line.text.toLowerCase().includes(filter.text.toLowerCase()))) {
      filter.shown.push(seq);
    }
  }

  private onStream(ev: StreamEvent): ViewResult {
    if (ev.event === "chunk") {
      const { lines, carry } = splitChunk(this.s.carry, ev.text);
      const { kept, resume } = this.appendLines(lines);
      return [this.with({ carry, resume, fresh: this.s.fresh + kept, notice: kept ? undefined : this.s.notice }), NONE];
    }
    // The end (or error) of this attempt: flush an unfinished last line, then decide what comes next.
    let view: LogsView = this;
    if (this.s.carry !== "") {
      const { kept, resume } = this.appendLines([this.s.carry]);
      view = this.with({ carry: "", resume, fresh: this.s.fresh + kept });
    }
    return ev.event === "end" ? view.ended() : view.failed(ev.error, ev.status);
  }

  private marker(text: string): void {
    const last = this.s.buffer.last();
    if (last?.marker) return;
    this.addLine({ ts: "", text, marker: true });
  }

  private reconnect(notice: LogsState["notice"]): ViewResult {
    const point = resumePoint(this.s.buffer);
    const fruitless = this.s.fresh > 0 ? 0 : this.s.fruitless + 1;
    const next = this.with({
      phase: "reconnecting",
      attempt: this.s.attempt + 1,
      delayMs: backoffMs(fruitless),
      resume: point ? new ResumeFilter(point) : null,
      resumeFrom: point?.since ?? this.s.resumeFrom,
      fresh: 0,
      fruitless,
      notice,
    });
    return [next, NONE];
  }

  private ended(): ViewResult {
    if (this.s.previous) {
      this.marker("── end of the previous container's log ──");
      return [this.with({ phase: "stopped", notice: undefined }), NONE];
    }
    if (this.s.fresh > 0 || this.s.fruitless === 0) {
      this.marker(`── log stream ended; reconnecting from the last line (${this.lastTs() || "start"}) ──`);
    }
    return this.reconnect(undefined);
  }

  private lastTs(): string {
    return resumePoint(this.s.buffer)?.since ?? "";
  }

  private failed(error: string, status: number | undefined): ViewResult {
    const { namespace, name } = this.s.pod;
    if (status === 403) {
      const text = `forbidden: you may not get pods/log in namespace ${namespace} (needs RBAC: get on pods/log)`;
      return [this.with({ phase: "stopped", notice: { text, error: true } }), NONE];
    }
    if (status === 404) {
      const text = `pod ${namespace}/${name} is gone; these are the lines it had`;
      this.marker("── the pod is gone ──");
      return [this.with({ phase: "stopped", notice: { text, error: false } }), NONE];
    }
    if (status === 400) {
      // The server's word (kubectl prints it): a container waiting to start, no previous container, ...
      const waiting = /is waiting to start/.test(error) && !this.s.previous;
      if (waiting) return this.reconnect({ text: error, error: false });
      return [this.with({ phase: "stopped", notice: { text: error, error: true } }), NONE];
    }
    if (this.s.fresh > 0 || this.s.fruitless === 0) this.marker(`── stream interrupted (${error}); reconnecting ──`);
    return this.reconnect({ text: `reconnecting: ${error}`, error: true });
  }

  private restartRange(since: number): LogsView {
    this.s.buffer.clear();
    return this.with({
      since,
      attempt: this.s.attempt + 1,
      delayMs: 0,
      resume: null,
      resumeFrom: undefined,
      carry: "",
      fresh: 0,
      fruitless: 0,
      phase: "streaming",
      follow: true,
      search: this.s.search ? { ...this.s.search, matches: [], current: -1 } : null,
      filter: this.s.filter ? { ...this.s.filter, shown: [] } : null,
      notice: undefined,
    });
  }

  private choose(name: string): ViewResult {
    return [this.with({ container: name, phase: "streaming", attempt: this.s.attempt + 1 }), NONE];
  }

  private onPod(value: unknown): ViewResult {
    const pod = value as KubeObject;
    const rows = containerRows(pod, 0);
    const choices = rows.map((r) => ({ name: r.name, type: r.type }));
    if (choices.length === 1) return this.with({ choices }).choose((choices[0] as { name: string }).name);
    if (choices.length === 0) {
      return [this.with({ phase: "stopped", notice: { text: "the pod has no containers", error: true } }), NONE];
    }
    const preferred = pod.metadata?.annotations?.["kubectl.kubernetes.io/default-container"];
    let cursor = choices.findIndex((c) => c.name === preferred);
    if (cursor < 0)
      cursor = Math.max(
        0,
        choices.findIndex((c) => c.type === "container"),
      );
    return [this.with({ choices, pickCursor: cursor, phase: "pick" }), NONE];
  }

  update(msg: ViewMsg, ctx: ViewContext): ViewResult {
    switch (msg.type) {
      case "stream":
        if (msg.key !== this.streamKey || (this.s.phase !== "streaming" && this.s.phase !== "reconnecting")) {
          return [this, NONE];
        }
        return (this.s.phase === "reconnecting" ? this.with({ phase: "streaming" }) : this).onStream(msg);
      case "result":
        if (msg.id === this.saveId) {
          if (msg.error !== undefined) return [this, [{ type: "message", text: `save: ${msg.error}`, error: true }]];
          return [this, [{ type: "message", text: `saved to ${String(msg.value)}` }]];
        }
        if (msg.id !== this.requestId) return [this, NONE];
        if (msg.error !== undefined) {
          return [
            this.with({ phase: "stopped", notice: { text: `cannot read the pod: ${msg.error}`, error: true } }),
            NONE,
          ];
        }
        return this.onPod(msg.value);
      case "paste":
        return this.typed(pasteText(msg.text), null);
      case "key": {
        if (!this.capturesInput()) return [this, NONE];
        return this.typed(null, msg);
      }
      default:
        void ctx;
        return [this, NONE];
    }
  }

  private typed(paste: string | null, key: Parameters<typeof editText>[1] | null): ViewResult {
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
      if (l.marker || l.text.toLowerCase().includes(needle)) shown.push(s);
    }
    return this.with({ filter: { text, typing: false, shown } });
  }

  private page(ctx: ViewContext): number {
    return Math.max(1, ctx.height - 1);
  }

  /** The top line's index among the shown lines when following (the last page). */
  private followTop(ctx: ViewContext): number {
    const range = this.shownRange();
    if (!this.s.wrap) return Math.max(0, range.count - this.page(ctx));
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
    if (this.s.phase === "pick") {
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
    for (const l of this.s.buffer.lines()) out += `${this.s.timestamps && l.ts ? `${l.ts} ` : ""}${l.text}\n`;
    return out;
  }

  private save(ctx: ViewContext): ViewResult {
    const { namespace, name } = this.s.pod;
    const parts = [ctx.repo.contextName, namespace, name, this.s.container ?? "", stamp(ctx.now)].filter(Boolean);
    const path = `${parts.map(fileSafe).join("-")}${this.s.previous ? "-previous" : ""}.log`;
    const next = this.with({ saves: this.s.saves + 1 });
    return [next, [{ type: "effect", effect: { type: "save", id: next.saveId, path, text: this.text() } }]];
  }

  title(): string {
    const { namespace, name } = this.s.pod;
    const what = `${namespace}/${name}${this.s.container ? `:${this.s.container}` : ""}`;
    const range = SINCE_CHOICES[this.s.since]?.label ?? "tail";
    const b = this.s.buffer;
    const flags = [this.s.follow ? "follow" : "paused", this.s.wrap ? "wrap" : "", this.s.timestamps ? "ts" : ""];
    const dropped = b.dropped
      ? ` · ${b.dropped} dropped (bound ${b.maxLines} lines / ${Math.round(b.maxBytes / 1048576)} MB)`
      : "";
    return `${this.s.previous ? "Previous logs" : "Logs"} ${what} (${range}) ${b.length} lines${dropped} · ${flags.filter(Boolean).join(" ")}`;
  }

  /** Rows a line takes at `width` (1 unless wrapping). */
  private rowsOf(line: LogLine, width: number): number {
    if (!this.s.wrap) return 1;
    const w =
      displayWidth(this.prefix(line)) + (isPrintableAscii(line.text) ? line.text.length : displayWidth(line.text));
    return Math.max(1, Math.ceil(w / Math.max(1, width)));
  }

  private prefix(line: LogLine): string {
    return this.s.timestamps && line.ts ? `${line.ts} ` : "";
  }

  private segments(line: LogLine, seq: number, limit: number): Segment[] {
    if (line.marker) return [{ text: line.text, style: STYLE.yellow }];
    const raw = line.text.length > limit ? line.text.slice(0, limit) : line.text;
    let segs: Segment[] = [{ text: raw, style: "" }];
    const search = this.s.search;
    if (search && !search.typing && search.text !== "") {
      const hl = `${STYLE.bold};${STYLE.reverse};${search.current === seq ? STYLE.green : STYLE.yellow}`;
      segs = highlight(segs, raw, search.text.toLowerCase(), hl);
    }
    const prefix = this.prefix(line);
    return prefix ? [{ text: prefix, style: STYLE.dim }, ...segs] : segs;
  }

  /** A line's rows: cut to the width, or wrapped. */
  private paint(line: LogLine, seq: number, width: number): string[] {
    if (!this.s.wrap) {
      const limit = width * 4 + 8;
      const segs = this.segments(line, seq, limit);
      if (line.text.length > limit) segs.push({ text: " ".repeat(width + 1), style: "" });
      return [paintSegments(segs, width)];
    }
    const rows: string[] = [];
    let row = new StyledLine();
    let used = 0;
    for (const seg of this.segments(line, seq, Number.POSITIVE_INFINITY)) {
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
    return rows;
  }

  private banner(): Segment | null {
    const n = this.s.notice;
    if (n) return { text: ` ${n.text}`, style: n.error ? STYLE.red : STYLE.yellow };
    if (this.s.phase === "reconnecting") return { text: " reconnecting…", style: STYLE.dim };
    return null;
  }

  body(ctx: ViewContext): string[] {
    const { width, height } = ctx;
    const lines: string[] = [];
    const banner = this.banner();
    if (this.s.phase === "pod") {
      lines.push("", paintSegments([{ text: " Reading the pod's containers…", style: STYLE.dim }], width));
    } else if (this.s.phase === "pick") {
      lines.push(paintSegments([{ text: " Which container's log? (Enter)", style: STYLE.bold }], width));
      this.s.choices.forEach((c, i) => {
        const style = i === this.s.pickCursor ? STYLE.reverse : "";
        lines.push(
          paintSegments([{ text: ` ${c.name}${c.type === "container" ? "" : `  (${c.type})`}`, style }], width),
        );
      });
    } else {
      if (banner) lines.push(paintSegments([banner], width));
      const range = this.shownRange();
      const rows = height - lines.length;
      if (range.count === 0) {
        const text = this.s.phase === "stopped" ? " No lines." : " Waiting for lines…";
        lines.push(paintSegments([{ text, style: STYLE.dim }], width));
      } else if (this.s.follow && this.s.wrap) {
        // Bottom-anchored: the last lines' rows, newest at the bottom.
        const out: string[] = [];
        for (let i = range.count - 1; i >= 0 && out.length < rows; i--) {
          const seq = range.seq(i);
          out.unshift(...this.paint(this.s.buffer.at(seq) as LogLine, seq, width));
        }
        lines.push(...out.slice(-rows));
      } else {
        for (let i = this.topIndex(ctx); i < range.count && lines.length < height; i++) {
          const seq = range.seq(i);
          lines.push(...this.paint(this.s.buffer.at(seq) as LogLine, seq, width));
        }
      }
    }
    while (lines.length < height) lines.push("");
    return lines.slice(0, height);
  }

  bottom(): Segment[] | null {
    const search = this.s.search;
    const filter = this.s.filter;
    if (search?.typing) {
      return [
        { text: "/", style: STYLE.bold },
        { text: search.text, style: "" },
        { text: " ", style: STYLE.reverse },
        { text: "   Enter find · Esc cancel", style: STYLE.dim },
      ];
    }
    if (filter?.typing) {
      return [
        { text: "filter ", style: STYLE.bold },
        { text: filter.text, style: "" },
        { text: " ", style: STYLE.reverse },
        { text: "   Enter shows matching lines only · Esc cancel", style: STYLE.dim },
      ];
    }
    const out: Segment[] = [];
    if (filter) out.push({ text: ` filter "${filter.text}" ${this.shownRange().count} lines`, style: STYLE.bold });
    if (search && search.text !== "") {
      const count = search.matches.length - lowerBound(search.matches, this.s.buffer.first);
      out.push({ text: ` search "${search.text}" ${count} lines match · n/N`, style: count ? "" : STYLE.red });
    }
    return out.length ? [...out, { text: "  Esc clears", style: STYLE.dim }] : null;
  }
}
