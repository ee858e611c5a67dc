// `d` on a row: the object described as `kubectl describe` would, live. The object is fetched when the view opens
// and again whenever its row changes; then what its describer needs (related objects, the events about it), each one
// GET; once every answer is in, the text is made (the previous text stays until then). The scroll position stays.
// A deleted object keeps its last description, and the view says it is gone.
import type { KubeObject } from "../../kube/objects.ts";
import type { ApiKind, RowQuery } from "../../repository/types.ts";
import { describerFor, eventsPath } from "../../resources/describe/index.ts";
import type { BaseRow } from "../../resources/types.ts";
import type { Binding } from "../bindings.ts";
import type { Segment } from "../paint.ts";
import { THEME } from "../theme.ts";
import {
  expandTabs,
  fetchActions,
  type LiveState,
  liveBanner,
  liveCrumb,
  liveId,
  livePlaceholder,
  liveQuery,
  liveWhat,
  objectPath,
  onData,
  onGetError,
  openLive,
  requestId,
  saveCopyBindings,
  saveId,
  saveRequest,
} from "./live-object.ts";
import {
  EMPTY_PANE,
  type Pane,
  paintPane,
  paneBindings,
  paneInput,
  refresh,
  saveResultActions,
  searchBottom,
} from "./text-pane.ts";
import type { Action, View, ViewContext, ViewMsg, ViewResult } from "./view.ts";

type Related = Record<string, readonly KubeObject[] | KubeObject | undefined>;

/** The answers of one round (object, then related paths and events) still awaited, by request id. */
interface Round {
  readonly object: KubeObject;
  /** Request id → related name ("" for the events). */
  readonly waiting: Readonly<Record<string, string>>;
  readonly related: Related;
  readonly events: readonly KubeObject[];
}

interface DescribeState extends LiveState {
  readonly round: Round | undefined;
  readonly text: string | undefined;
  readonly lines: readonly string[];
  readonly pane: Pane;
}

const NO_ACTIONS: Action[] = [];
const EVENTS = "";

/** A LIST's items, or the object a GET gave. */
function relatedValue(value: unknown): readonly KubeObject[] | KubeObject | undefined {
  if (value === null || typeof value !== "object") return undefined;
  const items = (value as { items?: unknown }).items;
  return Array.isArray(items) ? (items as KubeObject[]) : (value as KubeObject);
}

/** A description line's colours: top-level headings bold, `Key:` cyan. */
function describeSegments(line: string): Segment[] {
  const m = /^(\s*)([^:\s][^:]*:)(\s.*|)$/.exec(line);
  if (!m) return [{ text: line, style: "" }];
  const [, indent = "", key = "", rest = ""] = m;
  return [
    { text: indent, style: "" },
    { text: key, style: indent === "" ? THEME.describeSection : THEME.describeKey },
    { text: rest, style: "" },
  ];
}

export class DescribeView implements View {
  readonly id: string;
  readonly crumb = "describe";
  private readonly s: DescribeState;

  private constructor(state: DescribeState) {
    this.s = state;
    this.id = liveId(state, "describe");
  }

  /** The view, waiting for the object: fetch() gives the GET that starts it. */
  static open(kind: ApiKind, row: BaseRow, parentId: string, short: string): DescribeView {
    return new DescribeView({
      ...openLive(kind, row, parentId, short),
      round: undefined,
      text: undefined,
      lines: [],
      pane: EMPTY_PANE,
    });
  }

  get path(): string {
    return objectPath(this.s.kind, this.s.target);
  }

  // Read-only accessors for tests.
  get scroll(): number {
    return this.s.pane.scroll;
  }
  get gone(): boolean {
    return this.s.gone;
  }
  /** The description as made, as saved and copied. */
  get text(): string | undefined {
    return this.s.text;
  }

  /** The GET of the object, sent when the view opens and when its row changes. */
  fetch(): ViewResult {
    return [this, fetchActions(this.id, this.s)];
  }

  private with(change: Partial<DescribeState>): DescribeView {
    return new DescribeView({ ...this.s, ...change });
  }

  private page(ctx: ViewContext): number {
    return Math.max(1, ctx.height - (this.banner() ? 1 : 0));
  }

  private get describer() {
    return describerFor(this.s.kind.group, this.s.kind.resource);
  }

  /** The object arrived: GET what its description needs (each related path, the events). */
  private onObject(object: KubeObject, ctx: ViewContext): ViewResult {
    const paths = { ...(this.describer.related?.(object) ?? {}) };
    const waiting: Record<string, string> = {};
    const actions: Action[] = [];
    const ask = (name: string, path: string, tag: string) => {
      const id = `${requestId(this.id, this.s)}:${tag}`;
      waiting[id] = name;
      actions.push({ type: "effect", effect: { type: "get", id, path } });
    };
    for (const [name, path] of Object.entries(paths)) ask(name, path, `related:${name}`);
    ask(EVENTS, eventsPath(object), "events");
    const next = this.with({ round: { object, waiting, related: {}, events: [] }, error: undefined });
    return [next.complete(ctx), actions];
  }

  /** One answer of the round; the text is made once none is awaited. */
  private onAnswer(id: string, value: unknown, error: string | undefined, ctx: ViewContext): DescribeView {
    const round = this.s.round;
    if (!round || !(id in round.waiting)) return this;
    const name = round.waiting[id] as string;
    const { [id]: _, ...waiting } = round.waiting;
    const answer = error === undefined ? relatedValue(value) : undefined;
    const next =
      name === EVENTS
        ? { ...round, waiting, events: Array.isArray(answer) ? answer : [] }
        : { ...round, waiting, related: { ...round.related, [name]: answer } };
    return this.with({ round: next }).complete(ctx);
  }

  private complete(ctx: ViewContext): DescribeView {
    const round = this.s.round;
    if (!round || Object.keys(round.waiting).length > 0) return this;
    let text: string;
    try {
      text = this.describer.describe({
        object: round.object,
        events: round.events,
        related: round.related,
        now: ctx.now,
      });
    } catch (err) {
      return this.with({ round: undefined, error: `cannot describe it: ${String(err)}` });
    }
    const lines = text.split("\n").map(expandTabs);
    const next = this.with({ round: undefined, text, lines });
    return next.with({ pane: refresh(next.s.pane, lines, next.page(ctx)) });
  }

  trailCrumb(): string {
    return liveCrumb(this.s);
  }

  capturesInput(): boolean {
    return this.s.pane.search?.typing ?? false;
  }

  holds(): readonly RowQuery[] {
    return [liveQuery(this.s)];
  }

  statusKinds(): readonly string[] {
    return [this.s.kind.key];
  }

  bindings(ctx: ViewContext): readonly Binding<ViewResult>[] {
    const done = (pane: Pane, actions: Action[] = NO_ACTIONS): ViewResult => [this.with({ pane }), actions];
    const out = paneBindings(this.s.pane, this.s.lines, this.page(ctx), done);
    const text = this.s.text;
    if (this.s.pane.search?.typing || text === undefined) return out;
    out.push(
      ...saveCopyBindings({
        section: "Describe",
        what: "the description",
        text,
        lineCount: this.s.lines.length,
        view: this,
        save: () => this.save(text, ctx),
      }),
    );
    return out;
  }

  private save(text: string, ctx: ViewContext): ViewResult {
    const file = { extra: ["describe"], ext: "txt", text: `${text}\n` };
    const { change, actions } = saveRequest(this.id, this.s, ctx, file);
    return [this.with(change), actions];
  }

  update(msg: ViewMsg, ctx: ViewContext): ViewResult {
    switch (msg.type) {
      case "result":
        if (msg.id === saveId(this.id, this.s)) return [this, saveResultActions(msg.value, msg.error)];
        if (msg.id === requestId(this.id, this.s)) {
          if (msg.error !== undefined) return [this.with(onGetError(this.s, msg.error)), NO_ACTIONS];
          return this.onObject(msg.value as KubeObject, ctx);
        }
        return [this.onAnswer(msg.id, msg.value, msg.error, ctx), NO_ACTIONS];
      case "data": {
        const data = onData(this.s, ctx);
        if (data.type === "unchanged") return [this, NO_ACTIONS];
        // A new round: answers of the previous one (other request ids) are ignored from now on.
        if (data.type === "refetch") return this.with({ ...data.change, round: undefined }).fetch();
        return [this.with(data.change), NO_ACTIONS];
      }
      case "paste":
      case "key": {
        const pane = paneInput(this.s.pane, this.s.lines, msg);
        return [pane ? this.with({ pane }) : this, NO_ACTIONS];
      }
      default:
        return [this, NO_ACTIONS];
    }
  }

  title(): string {
    return `Describe ${liveWhat(this.s)}${this.s.gone ? " (gone)" : ""}`;
  }

  private banner(): Segment | null {
    return liveBanner(this.s, this.s.text !== undefined, "this is its last description");
  }

  body(ctx: ViewContext): string[] {
    if (this.s.text === undefined) return livePlaceholder(this.s, "Loading the description…", ctx);
    return paintPane(this.s.pane, this.s.lines, {
      width: ctx.width,
      height: ctx.height,
      banner: this.banner(),
      segments: describeSegments,
    });
  }

  bottom(): Segment[] | null {
    return searchBottom(this.s.pane.search);
  }
}
