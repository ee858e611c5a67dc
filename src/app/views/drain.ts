// Drain a node, as `kubectl drain --ignore-daemonsets --delete-emptydir-data` does: cordon it, then evict its pods
// through the Eviction API, so that PodDisruptionBudgets are honoured. An eviction a budget refuses (429) is tried
// again every few seconds, as kubectl does, until it goes through, the drain times out or the user stops it. DaemonSet
// pods stay (their controller would put them back) and so do mirror pods (the kubelet owns them). Pods no controller
// would recreate stop the drain unless Force is on (kubectl's --force). Progress is one line per pod.
import type { ApiKind } from "../../kube/kinds.ts";
import type { RowQuery } from "../../repository/types.ts";
import type { PodRow } from "../../resources/pods.ts";
import type { BaseRow } from "../../resources/types.ts";
import { cordonRequest, evictionRequest } from "../actions.ts";
import { type Binding, keys } from "../bindings.ts";
import { paintSegments, type Segment } from "../paint.ts";
import { THEME } from "../theme.ts";
import { DialogView } from "./dialog.ts";
import type { Action, View, ViewContext, ViewMsg, ViewResult } from "./view.ts";

/** How long a refused eviction waits before it is tried again (kubectl drain waits 5 s). */
export const EVICTION_RETRY_MS = 5000;
/** A drain gives up after this long (kubectl drain's --timeout is infinite; a TUI should not hang forever). */
export const DRAIN_TIMEOUT_MS = 5 * 60_000;

/** Where one pod of the drain is. */
type PodState = "waiting" | "evicting" | "blocked" | "evicted" | "gone" | "failed";

interface DrainPod {
  readonly namespace: string;
  readonly name: string;
  readonly state: PodState;
  readonly note: string;
  readonly attempts: number;
}

interface DrainState {
  readonly id: string;
  readonly kind: ApiKind;
  readonly node: string;
  readonly phase: "cordoning" | "evicting" | "done" | "failed" | "stopped";
  readonly pods: readonly DrainPod[];
  /** Pods left on the node that the drain does not evict. */
  readonly skipped: number;
  /** Evict pods without a controller too (they are gone for good). */
  readonly force: boolean;
  readonly startedAt: number;
  readonly error: string | null;
  readonly scroll: number;
}

/** The drain of one node, with a line per pod. */
export class DrainView implements View {
  readonly id: string;
  readonly crumb = "drain";
  private readonly s: DrainState;

  private constructor(s: DrainState) {
    this.s = s;
    this.id = s.id;
  }

  /** The question first: what a drain does, and Enter to go on. */
  static confirm(kind: ApiKind, node: BaseRow, below: View): DialogView {
    return DialogView.open(
      {
        id: `drain:${node.name}`,
        title: "Drain",
        lines: [
          `Drain node ${node.name}?`,
          "It is cordoned, then its pods are evicted (PodDisruptionBudgets honoured);",
          "DaemonSet and mirror pods stay; emptyDir data of evicted pods is lost.",
        ],
        fields: [
          { kind: "toggle", name: "force", label: "Force", on: false, hint: "also pods no controller recreates" },
        ],
        submit: "drain",
        onSubmit: (values) => {
          const [view, actions] = DrainView.start(kind, node.name, below.id, 0, values.force === true);
          return [{ type: "push", view }, ...actions];
        },
      },
      below,
    );
  }

  static start(kind: ApiKind, node: string, parentId: string, now = 0, force = false): [DrainView, Action[]] {
    const view = new DrainView({
      id: `${parentId}>drain:${node}`,
      kind,
      node,
      force,
      phase: "cordoning",
      pods: [],
      skipped: 0,
      startedAt: now,
      error: null,
      scroll: 0,
    });
    const request = cordonRequest(kind, { namespace: "", name: node, uid: "", createdAt: 0 }, true);
    return [view, [{ type: "effect", effect: { type: "write", id: `${view.id}#cordon`, request } }]];
  }

  private with(change: Partial<DrainState>): DrainView {
    return new DrainView({ ...this.s, ...change });
  }

  private query(): RowQuery {
    return { kind: "pods", node: this.s.node };
  }

  capturesInput(): boolean {
    return false;
  }

  holds(): readonly RowQuery[] {
    return [this.query()];
  }

  statusKinds(): readonly string[] {
    return ["pods"];
  }

  title(): string {
    const evicted = this.s.pods.filter((p) => p.state === "gone").length;
    return `Drain ${this.s.node} ${evicted} of ${this.s.pods.length}`;
  }

  bindings(): readonly Binding<ViewResult>[] {
    const running = this.s.phase === "cordoning" || this.s.phase === "evicting";
    return [
      {
        keys: keys("escape"),
        label: running ? "stop the drain (the node stays cordoned)" : "back",
        section: "Drain",
        hint: running ? "stop" : "back",
        run: () => [this, [{ type: "pop" }, ...(running ? [stoppedMessage(this.s.node)] : [])]],
      },
    ];
  }

  private evict(pod: DrainPod): Action {
    const id = `${this.id}#evict:${pod.namespace}/${pod.name}:${pod.attempts}`;
    return { type: "effect", effect: { type: "write", id, request: evictionRequest(pod) } };
  }

  update(msg: ViewMsg, ctx: ViewContext): ViewResult {
    if (msg.type === "data") return this.onData(ctx);
    if (msg.type !== "result" || !msg.id.startsWith(`${this.id}#`)) return [this, []];
    const tag = msg.id.slice(this.id.length + 1);
    if (tag === "cordon") return this.onCordoned(msg.error, ctx);
    const evict = /^evict:([^/]*)\/(.*):(\d+)$/.exec(tag);
    if (evict) return this.onEvicted(evict[1] as string, evict[2] as string, msg.error);
    const retry = /^retry:([^/]*)\/(.*)$/.exec(tag);
    if (retry) return this.onRetry(retry[1] as string, retry[2] as string, ctx);
    return [this, []];
  }

  private onCordoned(error: string | undefined, ctx: ViewContext): ViewResult {
    if (this.s.phase !== "cordoning") return [this, []];
    if (error !== undefined) {
      return [this.with({ phase: "failed", error: `cordon: ${error}` }), [failedMessage(this.s.node, error)]];
    }
    const rows = ctx.repo.rows(this.query()) as readonly PodRow[];
    const evictable = rows.filter((p) => !stays(p));
    const unmanaged = evictable.filter((p) => p.ownerKind === "");
    if (unmanaged.length > 0 && !this.s.force) {
      // kubectl drain's refusal, before any eviction: these would not come back anywhere.
      const names = unmanaged.slice(0, 3).map((p) => `${p.namespace}/${p.name}`);
      const more = unmanaged.length > 3 ? ` and ${unmanaged.length - 3} more` : "";
      const error = `cannot evict pods that declare no controller (Force evicts them): ${names.join(", ")}${more}`;
      return [this.with({ phase: "failed", error }), [failedMessage(this.s.node, error)]];
    }
    const pods = evictable.map((p) => ({
      namespace: p.namespace,
      name: p.name,
      state: "evicting" as const,
      note: "",
      attempts: 0,
    }));
    const view = this.with({ phase: "evicting", pods, skipped: rows.length - evictable.length, startedAt: ctx.now });
    if (pods.length === 0) return view.finish();
    return [view, pods.map((p) => view.evict(p))];
  }

  private setPod(namespace: string, name: string, change: Partial<DrainPod>): DrainView {
    const pods = this.s.pods.map((p) => (p.namespace === namespace && p.name === name ? { ...p, ...change } : p));
    return this.with({ pods });
  }

  private pod(namespace: string, name: string): DrainPod | undefined {
    return this.s.pods.find((p) => p.namespace === namespace && p.name === name);
  }

  private onEvicted(namespace: string, name: string, error: string | undefined): ViewResult {
    const pod = this.pod(namespace, name);
    if (!pod || this.s.phase !== "evicting") return [this, []];
    if (error === undefined) return [this.setPod(namespace, name, { state: "evicted", note: "" }), []];
    if (/not found/i.test(error)) return [this.setPod(namespace, name, { state: "gone", note: "" }), []];
    if (/\(429\)|disruption budget/i.test(error)) {
      // A budget forbids it for now: ask again later, as kubectl does.
      const view = this.setPod(namespace, name, { state: "blocked", note: error, attempts: pod.attempts + 1 });
      const id = `${this.id}#retry:${namespace}/${name}`;
      return [view, [{ type: "effect", effect: { type: "timer", id, ms: EVICTION_RETRY_MS } }]];
    }
    return this.setPod(namespace, name, { state: "failed", note: error }).checkDone();
  }

  private onRetry(namespace: string, name: string, ctx: ViewContext): ViewResult {
    const pod = this.pod(namespace, name);
    if (pod?.state !== "blocked" || this.s.phase !== "evicting") return [this, []];
    if (ctx.now - this.s.startedAt > DRAIN_TIMEOUT_MS) {
      const view = this.with({ phase: "failed", error: `timed out after ${DRAIN_TIMEOUT_MS / 60_000} min` });
      return [view, [failedMessage(this.s.node, `timed out; ${namespace}/${name}: ${pod.note}`)]];
    }
    const view = this.setPod(namespace, name, { state: "evicting" });
    return [view, [view.evict(view.pod(namespace, name) as DrainPod)]];
  }

  /** Pods leave the node's list as they go. */
  private onData(ctx: ViewContext): ViewResult {
    if (this.s.phase !== "evicting") return [this, []];
    const present = new Set((ctx.repo.rows(this.query()) as readonly BaseRow[]).map((p) => `${p.namespace}/${p.name}`));
    let changed = false;
    const pods = this.s.pods.map((p) => {
      if (p.state !== "gone" && !present.has(`${p.namespace}/${p.name}`)) {
        changed = true;
        return { ...p, state: "gone" as const, note: "" };
      }
      return p;
    });
    return changed ? this.with({ pods }).checkDone() : [this, []];
  }

  private checkDone(): ViewResult {
    const open = this.s.pods.some((p) => p.state === "evicting" || p.state === "blocked" || p.state === "evicted");
    if (open) return [this, []];
    return this.finish();
  }

  private finish(): ViewResult {
    const failed = this.s.pods.filter((p) => p.state === "failed");
    if (failed.length > 0) {
      const first = failed[0] as DrainPod;
      const text = `${failed.length} pod(s) could not be evicted: ${first.namespace}/${first.name}: ${first.note}`;
      return [this.with({ phase: "failed", error: text }), [failedMessage(this.s.node, text)]];
    }
    const skipped = this.s.skipped ? ` (${this.s.skipped} DaemonSet or mirror pod(s) stay)` : "";
    return [this.with({ phase: "done" }), [{ type: "message", text: `node ${this.s.node} drained${skipped}` }]];
  }

  body(ctx: ViewContext): string[] {
    const { phase, node, pods, error } = this.s;
    const head =
      phase === "cordoning"
        ? `cordoning ${node}…`
        : phase === "evicting"
          ? `evicting ${pods.length} pod(s) from ${node}; Esc stops (the node stays cordoned)`
          : phase === "done"
            ? `${node} is drained`
            : `drain of ${node} stopped: ${error ?? ""}`;
    const lines = [
      paintSegments([{ text: ` ${head}`, style: phase === "failed" ? THEME.errorMessage : THEME.emphasis }], ctx.width),
    ];
    for (const p of pods.slice(this.s.scroll, this.s.scroll + ctx.height - 1)) {
      const style =
        p.state === "failed"
          ? THEME.rowFailing
          : p.state === "blocked"
            ? THEME.rowProgress
            : p.state === "gone"
              ? THEME.rowDone
              : THEME.row;
      const note = p.note ? `  ${p.note}` : "";
      lines.push(
        paintSegments(
          [{ text: ` ${STATE_LABEL[p.state].padEnd(9)} ${p.namespace}/${p.name}${note}`, style }],
          ctx.width,
        ),
      );
    }
    while (lines.length < ctx.height) lines.push("");
    return lines.slice(0, ctx.height);
  }

  bottom(): Segment[] | null {
    return null;
  }
}

const STATE_LABEL: Record<PodState, string> = {
  waiting: "waiting",
  evicting: "evicting",
  blocked: "blocked",
  evicted: "evicted",
  gone: "gone",
  failed: "failed",
};

/** DaemonSet pods (their controller ignores cordons) and mirror pods (owned by the node's kubelet) stay. */
function stays(pod: PodRow): boolean {
  return pod.ownerKind === "DaemonSet" || pod.ownerKind === "Node";
}

function failedMessage(node: string, error: string): Action {
  return { type: "message", text: `drain ${node}: ${error}`, error: true };
}

function stoppedMessage(node: string): Action {
  return { type: "message", text: `drain of ${node} stopped; the node stays cordoned (u uncordons it)` };
}
