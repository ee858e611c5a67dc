// The contract between the root and its views. A view is an immutable value with its own state, its own update and
// its own rendering; the root keeps a stack of them and only routes keys, data and results to the one on top.
import type { WriteRequest } from "../../kube/write.ts";
import type { Repository, RowQuery } from "../../repository/types.ts";
import type { InputEvent } from "../../tui/input.ts";
import type { Binding } from "../bindings.ts";
import type { ActiveForward, AppEffect, EffectMsg } from "../effects.ts";
import type { Segment } from "../paint.ts";

/** What a view may read: the data (from memory), the clock and its share of the screen. */
export interface ViewContext {
  readonly repo: Repository;
  /** Epoch ms of the last tick or data change: AGE is painted from it, never from the clock. */
  readonly now: number;
  readonly width: number;
  /** Lines the view's body has (the screen less the header and the bottom line). */
  readonly height: number;
  /** The namespace scope chosen by the user; undefined for all namespaces. */
  readonly namespace: string | undefined;
  /** No write action is offered (--readonly, or `readOnly` for this context in the config). */
  readonly readOnly: boolean;
  /** The port forwards running now (`:pf`). */
  readonly forwards: readonly ActiveForward[];
  /** The editor command, the file's path appended ($KUBE_EDITOR, $EDITOR, else vi). */
  readonly editor?: readonly string[];
}

/** What a view asks the root to do after a key or a message. */
export type Action =
  /** Open a view on top (drill-down, help, a picker). */
  | { type: "push"; view: View }
  /** Close this view and go back to the one below. */
  | { type: "pop" }
  | { type: "message"; text: string; error?: boolean }
  /**
   * Make `namespace` the scope (undefined: all namespaces) and remember it among the recent ones; `open` a kind's
   * view in it (Enter on a namespace opens its pods).
   */
  | { type: "scope"; namespace: string | undefined; open?: string }
  /** Run a `:` command as if typed ("pods kube-system"). */
  | { type: "command"; text: string }
  | { type: "quit" }
  /** I/O for the runtime to carry out; its result comes back as a message. */
  | { type: "effect"; effect: AppEffect }
  /**
   * Writes to the server (a delete of the marked rows, a scale), tracked by the root as one operation with one line
   * of progress and outcome: `verb` for progress and failures ("delete"), `done` for success ("deleted"), `what` it
   * is done to ("deploy/api", "12 pods"). With `confirm`, the question is asked first and only `y` goes on.
   */
  | {
      type: "write";
      verb: string;
      done: string;
      what: string;
      requests: readonly WriteRequest[];
      confirm?: string;
    }
  /** Hand the terminal to a program (the editor) until it ends; its end comes back as `{type: "exited", id}`. */
  | { type: "exec"; id: string; command: string; args: readonly string[]; env?: Readonly<Record<string, string>> };

export type ViewResult = [View, Action[]];

/** Messages a view receives besides its own bindings: unbound keys and pastes, data changes, results. */
export type ViewMsg = InputEvent | { type: "data" } | EffectMsg;

/** A stream a view reads while it is on the stack (a pod's log): the app opens it as a subscription. */
export interface StreamSpec {
  /** Identity: while it stays listed the stream runs; a new key (a reconnect) opens a new one. */
  readonly key: string;
  /** The API path with its query (GET). */
  readonly path: string;
  /** Wait this long before opening it (a reconnect's backoff). */
  readonly delayMs?: number;
}

export interface View {
  /** Identity of what it shows ("pods", "deployments.apps"): views opened by `:` are kept by it to come back to. */
  readonly id: string;
  /** The breadcrumb while it is on top: "pods", "containers". */
  readonly crumb: string;
  /** The breadcrumb once something was opened from it: "deploy/api" (the row it was opened on). */
  trailCrumb?(): string;
  /** True while it takes typed text (a filter being typed): then q, :, ? and digits are text, not commands. */
  capturesInput(): boolean;
  /** The keys it offers now, in help order. */
  bindings(ctx: ViewContext): readonly Binding<ViewResult>[];
  /** A key no binding took, a paste, a data change or an effect's result. */
  update(msg: ViewMsg, ctx: ViewContext): ViewResult;
  /** The informers its rows come from: held while the view is open (on the stack). */
  holds(ctx: ViewContext): readonly RowQuery[];
  /** The streams it reads while it is on the stack; their chunks come back as "stream" messages. */
  streams?(ctx: ViewContext): readonly StreamSpec[];
  /** The right side of the header, e.g. "Pods 12 of 40". */
  title(ctx: ViewContext): string;
  /** Kind keys whose loading state the header shows first ("pods"). */
  statusKinds(ctx: ViewContext): readonly string[];
  /** Exactly ctx.height lines. */
  body(ctx: ViewContext): string[];
  /** The bottom line when the view has something to say there (a filter being typed); else null for the hints. */
  bottom(ctx: ViewContext): Segment[] | null;
}
