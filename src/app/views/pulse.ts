// `:pulse`: the cluster at a glance, from the caches already held — pods by state, deployments available against
// desired, nodes Ready / NotReady / cordoned / under pressure, pods restarted lately, Warning events per minute. Every
// line is a way in: Enter opens the list behind its number (`pods /CrashLoopBackOff`, `nodes /NotReady`). Counted
// again at most once a second under churn: a pass over 100k pods is a few milliseconds, not something to do per event.
import type { RowQuery } from "../../repository/types.ts";
import type { DeploymentRow } from "../../resources/deployments.ts";
import type { EventRow } from "../../resources/events.ts";
import type { NodeRow } from "../../resources/nodes.ts";
import type { PodRow } from "../../resources/pods.ts";
import { type Binding, keys } from "../bindings.ts";
import { formatCount, paintSegments, type Segment } from "../paint.ts";
import { podRowState } from "../row-style.ts";
import { join } from "../table.ts";
import { THEME } from "../theme.ts";
import type { View, ViewContext, ViewMsg, ViewResult } from "./view.ts";

/** One line of the pulse: a section heading, or a count with the command that lists what it counts. */
export interface PulseLine {
  readonly section?: string;
  readonly label: string;
  readonly count?: string;
  /** The `:` command Enter runs; none for a line that only informs. */
  readonly command?: string;
  readonly style?: "failing" | "progress" | "normal";
}

interface PulseState {
  readonly lines: readonly PulseLine[];
  readonly cursor: number;
  readonly countedAt: number;
  readonly namespace: string | undefined;
}

/** Counted again at most this often while the caches change. */
const RECOUNT_MS = 1000;
const MINUTE = 60_000;

/** The `:pulse` view. */
export class PulseView implements View {
  readonly id = "pulse";
  readonly crumb = "pulse";
  private readonly s: PulseState;

  private constructor(s: PulseState) {
    this.s = s;
  }

  static open(ctx: ViewContext): PulseView {
    return new PulseView({ lines: [], cursor: 0, countedAt: Number.NEGATIVE_INFINITY, namespace: undefined }).recount(
      ctx,
      true,
    );
  }

  private with(change: Partial<PulseState>): PulseView {
    return new PulseView({ ...this.s, ...change });
  }

  /** The lines Enter can open, by index into lines. */
  private get selectable(): number[] {
    return this.s.lines.flatMap((l, i) => (l.command ? [i] : []));
  }

  private recount(ctx: ViewContext, force = false): PulseView {
    if (!force && ctx.now - this.s.countedAt < RECOUNT_MS && ctx.namespace === this.s.namespace) return this;
    const lines = pulseLines(ctx);
    const selectable = lines.flatMap((l, i) => (l.command ? [i] : []));
    const cursor = selectable.includes(this.s.cursor) ? this.s.cursor : (selectable[0] ?? 0);
    return this.with({ lines, cursor, countedAt: ctx.now, namespace: ctx.namespace });
  }

  capturesInput(): boolean {
    return false;
  }

  holds(ctx: ViewContext): readonly RowQuery[] {
    const ns = ctx.namespace;
    return [
      { kind: "pods", namespace: ns },
      { kind: "deployments.apps", namespace: ns },
      { kind: "nodes" },
      { kind: "events", namespace: ns },
    ];
  }

  statusKinds(): readonly string[] {
    return ["pods", "deployments.apps", "nodes", "events"];
  }

  title(ctx: ViewContext): string {
    return `Pulse ${ctx.namespace ?? "all namespaces"}`;
  }

  private move(d: number): ViewResult {
    const sel = this.selectable;
    const at = sel.indexOf(this.s.cursor);
    const next = sel[Math.max(0, Math.min(sel.length - 1, at + d))];
    return [next === undefined ? this : this.with({ cursor: next }), []];
  }

  bindings(): readonly Binding<ViewResult>[] {
    const line = this.s.lines[this.s.cursor];
    const out: Binding<ViewResult>[] = [
      { keys: keys("up", "k"), label: "previous line", section: "Move", run: () => this.move(-1) },
      { keys: keys("down", "j"), label: "next line", section: "Move", run: () => this.move(1) },
    ];
    if (line?.command) {
      const command = line.command;
      out.push({
        keys: keys("enter"),
        label: "open the list behind the number",
        section: "Move",
        hint: "open",
        run: () => [this, [{ type: "command", text: command }]],
      });
    }
    return out;
  }

  update(msg: ViewMsg, ctx: ViewContext): ViewResult {
    if (msg.type === "data") return [this.recount(ctx), []];
    return [this, []];
  }

  body(ctx: ViewContext): string[] {
    const view = this.recount(ctx);
    const width = ctx.width;
    const out: string[] = [];
    const labelWidth = Math.max(0, ...view.s.lines.map((l) => l.label.length));
    for (let i = 0; i < view.s.lines.length && out.length < ctx.height; i++) {
      const line = view.s.lines[i] as PulseLine;
      if (line.section) {
        if (out.length > 0) out.push("");
        out.push(paintSegments([{ text: ` ${line.section}`, style: THEME.header }], width));
        continue;
      }
      const style =
        line.style === "failing" ? THEME.rowFailing : line.style === "progress" ? THEME.rowProgress : THEME.row;
      const selected = i === view.s.cursor;
      const text = `   ${line.label.padEnd(labelWidth)}  ${(line.count ?? "").padStart(9)}`;
      out.push(
        paintSegments(
          [{ text: selected ? text.padEnd(width) : text, style: selected ? join(style, THEME.selected) : style }],
          width,
        ),
      );
    }
    while (out.length < ctx.height) out.push("");
    return out.slice(0, ctx.height);
  }

  bottom(): Segment[] | null {
    return null;
  }
}

/** The pulse's lines for the scope, from the rows the repository holds. */
export function pulseLines(ctx: ViewContext): PulseLine[] {
  const ns = ctx.namespace;
  const pods = ctx.repo.rows({ kind: "pods", namespace: ns }) as readonly PodRow[];
  const deployments = ctx.repo.rows({ kind: "deployments.apps", namespace: ns }) as readonly DeploymentRow[];
  const nodes = ctx.repo.rows({ kind: "nodes" }) as readonly NodeRow[];
  const events = ctx.repo.rows({ kind: "events", namespace: ns }) as readonly EventRow[];
  const now = ctx.now;
  const scope = ns ? ` ${ns}` : " -A";
  const lines: PulseLine[] = [];

  // Pods, by the STATUS kubectl prints, grouped as the rows are coloured.
  const byStatus = new Map<string, { count: number; state: string }>();
  let restarted5 = 0;
  let restarted60 = 0;
  for (const p of pods) {
    const entry = byStatus.get(p.status);
    if (entry) entry.count++;
    else byStatus.set(p.status, { count: 1, state: podRowState(p) });
    if (p.lastRestartAt > 0 && now - p.lastRestartAt <= 60 * MINUTE) {
      restarted60++;
      if (now - p.lastRestartAt <= 5 * MINUTE) restarted5++;
    }
  }
  lines.push({ section: `PODS ${formatCount(pods.length)}`, label: "" });
  const order = (state: string) => (state === "failing" ? 0 : state === "progress" ? 1 : 2);
  const statuses = [...byStatus.entries()].sort(
    (a, b) => order(a[1].state) - order(b[1].state) || b[1].count - a[1].count || a[0].localeCompare(b[0]),
  );
  for (const [status, { count, state }] of statuses) {
    lines.push({
      label: status || "<unknown>",
      count: formatCount(count),
      command: `pods${scope} /${status}`,
      style: state === "failing" ? "failing" : state === "progress" ? "progress" : "normal",
    });
  }
  lines.push({ label: "restarted in the last 5 min", count: formatCount(restarted5), command: `pods${scope}` });
  lines.push({ label: "restarted in the last 60 min", count: formatCount(restarted60), command: `pods${scope}` });

  // Deployments: available against desired.
  let available = 0;
  let degraded = 0;
  for (const d of deployments) {
    if (d.available >= d.desired) available++;
    else degraded++;
  }
  lines.push({ section: `DEPLOYMENTS ${formatCount(deployments.length)}`, label: "" });
  lines.push({ label: "all replicas available", count: formatCount(available), command: `deployments${scope}` });
  lines.push({
    label: "fewer available than desired",
    count: formatCount(degraded),
    command: `deployments${scope}`,
    ...(degraded > 0 && { style: "progress" as const }),
  });

  // Nodes.
  let ready = 0;
  let notReady = 0;
  let cordoned = 0;
  let pressure = 0;
  for (const n of nodes) {
    if (/^Ready\b/.test(n.status)) ready++;
    else notReady++;
    if (n.unschedulable) cordoned++;
    if (n.pressure) pressure++;
  }
  lines.push({ section: `NODES ${formatCount(nodes.length)}`, label: "" });
  lines.push({ label: "Ready", count: formatCount(ready), command: "nodes /Ready" });
  lines.push({
    label: "NotReady or Unknown",
    count: formatCount(notReady),
    command: "nodes /NotReady",
    ...(notReady > 0 && { style: "failing" as const }),
  });
  lines.push({
    label: "cordoned (SchedulingDisabled)",
    count: formatCount(cordoned),
    command: "nodes /SchedulingDisabled",
  });
  lines.push({
    label: "under memory, disk or PID pressure",
    count: formatCount(pressure),
    command: "nodes",
    ...(pressure > 0 && { style: "failing" as const }),
  });

  // Warning events: how many were last seen in the last minute, and the rate over five.
  let warnings1 = 0;
  let warnings5 = 0;
  for (const e of events) {
    if (e.type !== "Warning" || e.lastSeenAt <= 0) continue;
    const age = now - e.lastSeenAt;
    if (age <= 5 * MINUTE) {
      warnings5++;
      if (age <= MINUTE) warnings1++;
    }
  }
  lines.push({ section: "EVENTS", label: "" });
  lines.push({
    label: "Warning in the last minute",
    count: formatCount(warnings1),
    command: `events${scope} /Warning`,
    ...(warnings1 > 0 && { style: "progress" as const }),
  });
  lines.push({
    label: "Warning per minute, last 5 min",
    count: (warnings5 / 5).toFixed(1),
    command: `events${scope} /Warning`,
  });
  return lines;
}
