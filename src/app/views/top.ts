// `:top`: the heaviest pods of the scope, live — by CPU (or memory, `m`), with their share of their limits and a
// sparkline of the last samples from the repository's usage history. The ranking is a single pass that keeps the
// top rows (not a sort of 100k rows), redone at most once a second under churn; Enter opens the pod in the pods table.
import type { RowQuery } from "../../repository/types.ts";
import { cpuText, memText, NO_USAGE, type PodRow, percentText } from "../../resources/pods.ts";
import { displayWidth } from "../../tui/width.ts";
import { type Binding, keys } from "../bindings.ts";
import { formatCount, paintSegments, type Segment } from "../paint.ts";
import { sparkline } from "../sparkline.ts";
import { paintHeader, paintRow } from "../table.ts";
import { THEME } from "../theme.ts";
import type { View, ViewContext, ViewMsg, ViewResult } from "./view.ts";

/** What the pods are ranked by. */
export type TopBy = "cpu" | "memory";

interface TopState {
  readonly by: TopBy;
  readonly rows: readonly PodRow[];
  /** Pods with a sample, of all pods in scope. */
  readonly sampled: number;
  readonly total: number;
  readonly cursor: number;
  readonly rankedAt: number;
  readonly namespace: string | undefined;
}

const RERANK_MS = 1000;
/** How many pods are kept: more than any screen shows. */
const KEEP = 200;
const SPARK = 24;

/** The `:top` view. */
export class TopView implements View {
  readonly id = "top";
  readonly crumb = "top";
  private readonly s: TopState;

  private constructor(s: TopState) {
    this.s = s;
  }

  static open(ctx: ViewContext): TopView {
    const empty: TopState = {
      by: "cpu",
      rows: [],
      sampled: 0,
      total: 0,
      cursor: 0,
      rankedAt: Number.NEGATIVE_INFINITY,
      namespace: undefined,
    };
    return new TopView(empty).rank(ctx, true);
  }

  private with(change: Partial<TopState>): TopView {
    return new TopView({ ...this.s, ...change });
  }

  private rank(ctx: ViewContext, force = false, by = this.s.by): TopView {
    if (!force && ctx.now - this.s.rankedAt < RERANK_MS && ctx.namespace === this.s.namespace) return this;
    const pods = ctx.repo.rows({ kind: "pods", namespace: ctx.namespace }) as readonly PodRow[];
    const { rows, sampled } = heaviest(pods, by, KEEP);
    const cursor = Math.min(this.s.cursor, Math.max(0, rows.length - 1));
    return this.with({ by, rows, sampled, total: pods.length, cursor, rankedAt: ctx.now, namespace: ctx.namespace });
  }

  capturesInput(): boolean {
    return false;
  }

  holds(ctx: ViewContext): readonly RowQuery[] {
    return [{ kind: "pods", namespace: ctx.namespace }];
  }

  statusKinds(): readonly string[] {
    return ["pods"];
  }

  title(): string {
    return `Top pods by ${this.s.by === "cpu" ? "CPU" : "memory"} ${formatCount(this.s.sampled)} of ${formatCount(this.s.total)} sampled`;
  }

  bindings(ctx: ViewContext): readonly Binding<ViewResult>[] {
    const move = (d: number): ViewResult => [
      this.with({ cursor: Math.max(0, Math.min(this.s.rows.length - 1, this.s.cursor + d)) }),
      [],
    ];
    const other: TopBy = this.s.by === "cpu" ? "memory" : "cpu";
    const out: Binding<ViewResult>[] = [
      { keys: keys("up", "k"), label: "previous pod", section: "Move", run: () => move(-1) },
      { keys: keys("down", "j"), label: "next pod", section: "Move", run: () => move(1) },
      {
        keys: keys("m"),
        label: `rank by ${other === "cpu" ? "CPU" : "memory"}`,
        section: "Sort",
        hint: other === "cpu" ? "by CPU" : "by memory",
        run: () => [this.rank(ctx, true, other), []],
      },
    ];
    const row = this.s.rows[this.s.cursor];
    if (row) {
      out.push({
        keys: keys("enter"),
        label: "the pod in the pods table",
        section: "Move",
        run: () => [this, [{ type: "command", text: `pods ${row.namespace} /${row.name}` }]],
      });
    }
    return out;
  }

  update(msg: ViewMsg, ctx: ViewContext): ViewResult {
    if (msg.type === "data") return [this.rank(ctx), []];
    return [this, []];
  }

  body(ctx: ViewContext): string[] {
    const view = this.rank(ctx);
    const { rows, cursor } = view.s;
    const names = [
      "NAMESPACE",
      "NAME",
      "CPU",
      "%CPU/L",
      "MEM",
      "%MEM/L",
      view.s.by === "cpu" ? "CPU HISTORY" : "MEM HISTORY",
    ];
    const page = Math.max(1, ctx.height - 1);
    const start = cursor < page ? 0 : cursor - page + 1;
    const shown = rows.slice(start, start + page);
    const cells = shown.map((r) => {
      const series = ctx.repo.metrics("pods", r.namespace, r.name);
      const history = series ? (view.s.by === "cpu" ? series.cpuMillis : series.memoryBytes) : [];
      return [
        r.namespace,
        r.name,
        cpuText(r.cpuUsage),
        percentText(r.cpuUsage, r.cpuLimit),
        memText(r.memUsage),
        percentText(r.memUsage, r.memLimit),
        sparkline(history, SPARK),
      ];
    });
    const widths = names.map((n, c) => Math.max(displayWidth(n), ...cells.map((row) => displayWidth(row[c] ?? ""))));
    // NAME gives way first when the screen is narrow.
    const total = widths.reduce((a, b) => a + b, 0) + 2 * (widths.length - 1);
    if (total > ctx.width) widths[1] = Math.max(8, (widths[1] as number) - (total - ctx.width));
    const lines = [paintHeader(names, widths)];
    cells.forEach((row, i) => {
      lines.push(paintRow(row, widths, { base: THEME.row, selected: start + i === cursor }, ctx.width));
    });
    if (rows.length === 0) {
      const why =
        view.s.total === 0 ? "No pods" : "No usage yet: metrics.k8s.io has sent no sample (the header says why)";
      lines.push(paintSegments([{ text: ` ${why}`, style: THEME.dim }], ctx.width));
    }
    while (lines.length < ctx.height) lines.push("");
    return lines.slice(0, ctx.height);
  }

  bottom(): Segment[] | null {
    return null;
  }
}

/** The `keep` pods with the most usage, heaviest first, in one pass (a sorted array of at most `keep`). */
export function heaviest(pods: readonly PodRow[], by: TopBy, keep: number): { rows: PodRow[]; sampled: number } {
  const value = by === "cpu" ? (p: PodRow) => p.cpuUsage : (p: PodRow) => p.memUsage;
  const top: PodRow[] = [];
  let sampled = 0;
  for (const p of pods) {
    const v = value(p);
    if (v === NO_USAGE || !(v >= 0)) continue;
    sampled++;
    if (top.length === keep && v <= value(top[top.length - 1] as PodRow)) continue;
    // Insertion into the kept, sorted array: `keep` is small.
    let i = top.length;
    while (i > 0 && value(top[i - 1] as PodRow) < v) i--;
    top.splice(i, 0, p);
    if (top.length > keep) top.pop();
  }
  return { rows: top, sampled };
}
