// `d` on a row: the object described as `kubectl describe` would, live. The object is fetched when the view opens
// and again whenever its row changes; then what its describer needs (related objects, the events about it), each one
// GET; once every answer is in, the text is made (the previous text stays until then). The scroll position stays.
// A deleted object keeps its last description, and the view says it is gone.
import type { KubeObject } from "../../kube/objects.ts";
import type { ApiKind, RowQuery } from "../../repository/types.ts";
import { describerFor, eventsPath } from "../../resources/describe/index.ts";
import type { BaseRow } from "../../resources/types.ts";
import { type Binding, keys } from "../bindings.ts";
import type { Segment } from "../paint.ts";
import { THEME } from "../theme.ts";
import {
  copyActions,
  EMPTY_PANE,
  type Pane,
  paintPane,
  paneBindings,
  paneInput,
  placeholder,
  refresh,
  saveFileName,
  saveResultActions,
  searchBottom,
} from "./text-pane.ts";
import type { Action, View, ViewContext, ViewMsg, ViewResult } from "./view.ts";
import { objectPath } from "./yaml.ts";

type Related = Record<string, readonly KubeObject[] | KubeObject | undefined>;

/** The answers of one round (object, then related paths and events) still awaited, by request id. */
interface Round {
  readonly object: KubeObject;
  /** Request id → related name ("" for the events). */
  readonly waiting: Readonly<Record<string, string>>;
  readonly related: Related;
  readonly events: readonly KubeObject[];
}

interface DescribeState {
  readonly parentId: string;
  readonly kind: ApiKind;
  readonly target: { namespace: string; name: string };
  readonly short: string;
  readonly fetchedFor: BaseRow | undefined;
  readonly seenRows: readonly BaseRow[] | undefined;
  readonly request: number;
  readonly saves: number;
  readonly round: Round | undefined;
  readonly text: string | undefined;
  readonly lines: readonly string[];
  readonly error: string | undefined;
  readonly gone: boolean;
  readonly pane: Pane;
}

const NO_ACTIONS: Action[] = [];
const EVENTS = "";

function expandTabs(line: string): string {
  if (!line.includes("\t")) return line;
  let out = "";
  for (const ch of line) out += ch === "\t" ? " ".repeat(8 - (out.length % 8)) : ch;
  return out;
}

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
    const { namespace, name } = state.target;
    this.id = `${state.parentId} › ${state.short}/${namespace ? `${namespace}/` : ""}${name} › describe`;
  }

  /** The view, waiting for the object: fetch() gives the GET that starts it. */
  static open(kind: ApiKind, row: BaseRow, parentId: string, short: string): DescribeView {
    return new DescribeView({
      parentId,
      kind,
      target: { namespace: kind.namespaced ? row.namespace : "", name: row.name },
      short,
      fetchedFor: row,
      seenRows: undefined,
      request: 1,
      saves: 0,
      round: undefined,
      text: undefined,
      lines: [],
      error: undefined,
      gone: false,
      pane: EMPTY_PANE,
    });
  }

  private get requestId(): string {
    return `${this.id}#get${this.s.request}`;
  }

  private get saveId(): string {
    return `${this.id}#save${this.s.saves}`;
  }

  get path(): string {
    return objectPath(this.s.kind, { ...this.s.target, uid: "", createdAt: 0 });
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
    return [this, [{ type: "effect", effect: { type: "get", id: this.requestId, path: this.path } }]];
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
      const id = `${this.requestId}:${tag}`;
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
    return `${this.s.short}/${this.s.target.name}`;
  }

  capturesInput(): boolean {
    return this.s.pane.search?.typing ?? false;
  }

  private get query(): RowQuery {
    return { kind: this.s.kind.key, namespace: this.s.kind.namespaced ? this.s.target.namespace : undefined };
  }

  holds(): readonly RowQuery[] {
    return [this.query];
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
      {
        keys: keys("ctrl+s"),
        label: "save the description to a file",
        section: "Describe",
        hint: "save",
        run: () => this.save(text, ctx),
      },
      {
        keys: keys("c"),
        label: "copy the description to the clipboard (OSC 52)",
        section: "Describe",
        hint: "copy",
        run: () => [this, copyActions(text, this.s.lines.length)],
      },
    );
    return out;
  }

  private save(text: string, ctx: ViewContext): ViewResult {
    const { namespace, name } = this.s.target;
    const parts = [ctx.repo.contextName, this.s.kind.key, ...(namespace ? [namespace] : []), name, "describe"];
    const next = this.with({ saves: this.s.saves + 1 });
    const path = saveFileName(parts, ctx.now, "txt");
    return [next, [{ type: "effect", effect: { type: "save", id: next.saveId, path, text: `${text}\n` } }]];
  }

  update(msg: ViewMsg, ctx: ViewContext): ViewResult {
    switch (msg.type) {
      case "result":
        if (msg.id === this.saveId) return [this, saveResultActions(msg.value, msg.error)];
        if (msg.id === this.requestId) {
          if (msg.error !== undefined) {
            const gone = /not ?found|404/i.test(msg.error);
            return [this.with({ error: msg.error, gone: gone || this.s.gone }), NO_ACTIONS];
          }
          return this.onObject(msg.value as KubeObject, ctx);
        }
        return [this.onAnswer(msg.id, msg.value, msg.error, ctx), NO_ACTIONS];
      case "data":
        return this.onData(ctx);
      case "paste":
      case "key": {
        const pane = paneInput(this.s.pane, this.s.lines, msg);
        return [pane ? this.with({ pane }) : this, NO_ACTIONS];
      }
      default:
        return [this, NO_ACTIONS];
    }
  }

  private onData(ctx: ViewContext): ViewResult {
    const rows = ctx.repo.rows(this.query);
    if (rows === this.s.seenRows) return [this, NO_ACTIONS];
    const { name, namespace } = this.s.target;
    const row = rows.find((r) => r.name === name && r.namespace === namespace);
    if (row === undefined) {
      const synced = ctx.repo.status(this.query).synced;
      return [this.with({ seenRows: rows, gone: this.s.gone || synced }), NO_ACTIONS];
    }
    if (row !== this.s.fetchedFor) {
      // A new round: answers of the previous one (other request ids) are ignored from now on.
      return this.with({
        seenRows: rows,
        fetchedFor: row,
        request: this.s.request + 1,
        round: undefined,
        gone: false,
      }).fetch();
    }
    return [this.with({ seenRows: rows }), NO_ACTIONS];
  }

  title(): string {
    const { namespace, name } = this.s.target;
    const what = `${this.s.kind.kind} ${namespace ? `${namespace}/` : ""}${name}`;
    return `Describe ${what}${this.s.gone ? " (gone)" : ""}`;
  }

  private banner(): Segment | null {
    if (this.s.gone) {
      return {
        text: ` ${this.s.kind.kind} ${this.s.target.name} is gone from the cluster; this is its last description.`,
        style: THEME.warning,
      };
    }
    if (this.s.error !== undefined && this.s.text !== undefined) {
      return { text: ` Cannot read it again: ${this.s.error}`, style: THEME.errorMessage };
    }
    return null;
  }

  body(ctx: ViewContext): string[] {
    if (this.s.text === undefined) {
      const text = this.s.error ? `Cannot read the object: ${this.s.error}` : "Loading the description…";
      return placeholder(text, this.s.error !== undefined, ctx.width, ctx.height);
    }
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
