// `:ctx`: the kubeconfig's contexts, the current one marked; Enter connects to the one under the cursor. The switch
// happens in the background: the current context stays usable until the new one answers.
import type { RowQuery } from "../../repository/types.ts";
import { type Binding, keys } from "../bindings.ts";
import type { ContextInfo } from "../effects.ts";
import { listTableLines } from "../list-table.ts";
import { paintSegments, type Segment } from "../paint.ts";
import type { TableColumn } from "../table.ts";
import { THEME } from "../theme.ts";
import type { View, ViewContext, ViewMsg, ViewResult } from "./view.ts";

interface ContextsState {
  readonly contexts: readonly ContextInfo[] | undefined;
  readonly current: string;
  readonly error: string | undefined;
  readonly cursor: number;
}

interface ContextLine {
  info: ContextInfo;
  current: boolean;
}

const COLUMNS: TableColumn<ContextLine>[] = [
  { name: "NAME", cell: (c) => `${c.info.name}${c.current ? " (current)" : ""}`, hideOrder: 0, flex: true },
  { name: "CLUSTER", cell: (c) => c.info.cluster, hideOrder: 0 },
  { name: "USER", cell: (c) => c.info.user, hideOrder: 2 },
  { name: "NAMESPACE", cell: (c) => c.info.namespace ?? "", hideOrder: 1 },
];

export class ContextsView implements View {
  readonly id = ":ctx";
  readonly crumb = "contexts";
  private readonly s: ContextsState;

  private constructor(state: ContextsState) {
    this.s = state;
  }

  /** The view, and the effect that lists the contexts. */
  static open(current: string): ViewResult {
    const view = new ContextsView({ contexts: undefined, current, error: undefined, cursor: 0 });
    return [view, [{ type: "effect", effect: { type: "listContexts" } }]];
  }

  get contexts(): readonly ContextInfo[] | undefined {
    return this.s.contexts;
  }

  private with(change: Partial<ContextsState>): ContextsView {
    return new ContextsView({ ...this.s, ...change });
  }

  capturesInput(): boolean {
    return false;
  }

  holds(): readonly RowQuery[] {
    return [];
  }

  statusKinds(): readonly string[] {
    return [];
  }

  bindings(): readonly Binding<ViewResult>[] {
    const count = this.s.contexts?.length ?? 0;
    const move = (to: number): ViewResult => [this.with({ cursor: Math.max(0, Math.min(count - 1, to)) }), []];
    const out: Binding<ViewResult>[] = [
      { keys: keys("up", "k"), label: "previous context", section: "Move", run: () => move(this.s.cursor - 1) },
      { keys: keys("down", "j"), label: "next context", section: "Move", run: () => move(this.s.cursor + 1) },
    ];
    const selected = this.s.contexts?.[this.s.cursor];
    if (selected) {
      out.push({
        keys: keys("enter"),
        label: "switch to this context (the current one stays usable until it answers)",
        section: "Contexts",
        run: () => {
          if (selected.name === this.s.current) {
            return [this, [{ type: "message", text: `already on context ${selected.name}` }, { type: "pop" }]];
          }
          return [
            this,
            [
              { type: "message", text: `connecting to context ${selected.name}…` },
              { type: "effect", effect: { type: "switchContext", name: selected.name } },
            ],
          ];
        },
      });
    }
    return out;
  }

  update(msg: ViewMsg): ViewResult {
    if (msg.type === "contexts") {
      const cursor = Math.max(
        0,
        msg.contexts.findIndex((c) => c.name === this.s.current),
      );
      return [this.with({ contexts: msg.contexts, error: msg.error, cursor }), []];
    }
    return [this, []];
  }

  title(): string {
    return `Contexts ${this.s.contexts?.length ?? ""}`.trim();
  }

  body(ctx: ViewContext): string[] {
    const lines: string[] = [];
    const contexts = this.s.contexts;
    if (!contexts || contexts.length === 0) {
      lines.push("");
      const text = this.s.error ?? (contexts ? "The kubeconfig has no contexts" : "Reading the kubeconfig…");
      lines.push(
        paintSegments([{ text: ` ${text}`, style: this.s.error ? THEME.errorMessage : THEME.dim }], ctx.width),
      );
    } else {
      const rows = contexts.map((info) => ({ info, current: info.name === this.s.current }));
      lines.push(
        ...listTableLines(COLUMNS, rows, {
          width: ctx.width,
          now: 0,
          cursor: this.s.cursor,
          style: (r) => (r.current ? THEME.currentItem : THEME.row),
        }),
      );
    }
    while (lines.length < ctx.height) lines.push("");
    return lines.slice(0, ctx.height);
  }

  bottom(): Segment[] | null {
    return null;
  }
}
