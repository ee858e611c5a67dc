// The header: who and where (context, cluster, namespace) with the view's title and count; the breadcrumbs with the
// recent namespaces (keys 0–9); the loading state of every informer, the view's own first.
import type { LoadingStatus } from "../repository/types.ts";
import { humanDuration } from "../resources/format.ts";

import { cutSegments, formatCount, paintSegments, type Segment, segmentsWidth, spinnerFrame } from "./paint.ts";
import type { RootModel } from "./root.ts";
import { THEME } from "./theme.ts";
import type { View, ViewContext } from "./views/view.ts";

/** Lines above the view's body. */
export const HEADER_LINES = 3;

/** `left` and `right` on one line, right-aligned; the left side gives way first. */
function spread(left: Segment[], right: Segment[], width: number): string {
  const rightWidth = segmentsWidth(right);
  const cut = cutSegments(left, Math.max(0, width - rightWidth));
  const gap = { text: " ".repeat(Math.max(0, width - segmentsWidth(cut) - rightWidth)), style: "" };
  return paintSegments([...cut, gap, ...right], width);
}

function titleLine(model: RootModel, ctx: ViewContext, view: View): string {
  const { repo } = model;
  const right: Segment[] = [{ text: ` ${view.title(ctx)} `, style: THEME.viewTitle }];
  const left: Segment[] = [
    { text: " Timoneiro", style: THEME.title },
    { text: "  context ", style: THEME.dim },
    { text: repo.contextName, style: THEME.value },
  ];
  if (model.switching) left.push({ text: ` → ${model.switching}…`, style: THEME.warning });
  left.push(
    { text: "  cluster ", style: THEME.dim },
    { text: repo.clusterName, style: THEME.value },
    { text: "  namespace ", style: THEME.dim },
    { text: model.namespace ?? "all", style: THEME.value },
  );
  return spread(left, right, model.width);
}

function crumbLine(model: RootModel): string {
  const left: Segment[] = [{ text: " ", style: "" }];
  model.stack.forEach((view, i) => {
    const isTop = i === model.stack.length - 1;
    if (i > 0) left.push({ text: " › ", style: THEME.dim });
    // A view something was opened from (Enter) shows what: "deploy/api"; one left by a `:` command just its name.
    const next = model.stack[i + 1];
    const openedFrom = next?.id.startsWith(`${view.id} › `) ?? false;
    const crumb = openedFrom ? (view.trailCrumb?.() ?? view.crumb) : view.crumb;
    left.push({ text: crumb, style: isTop ? THEME.emphasis : "" });
  });
  const right: Segment[] = [];
  if (model.repo.namespace === undefined) {
    const entry = (key: string, name: string, current: boolean) => {
      right.push({ text: ` ${key} `, style: THEME.dim }, { text: name, style: current ? THEME.emphasis : "" });
    };
    entry("0", "all", model.namespace === undefined);
    model.recent.forEach((ns, i) => {
      entry(String(i + 1), ns, ns === model.namespace);
    });
    right.push({ text: " ", style: "" });
  }
  // Namespaces give way to the breadcrumbs on a narrow terminal.
  while (right.length > 3 && segmentsWidth(left) + segmentsWidth(right) > model.width) right.splice(-3, 2);
  return spread(left, right, model.width);
}

/** "deployments.apps" → "deployments": the header names kinds as kubectl's users do. */
function displayName(key: string): string {
  const dot = key.indexOf(".");
  return dot < 0 ? key : key.slice(0, dot);
}

function statusSegments(s: LoadingStatus, now: number, current: boolean): Segment[] {
  // An informer of one namespace or selector (a service's pods) says which, beside the kind's own.
  const scope = [s.namespace, s.labelSelector].filter((x) => x !== undefined && x !== "").join(" ");
  const label = scope === "" ? displayName(s.resource) : `${displayName(s.resource)}(${scope})`;
  const name = { text: label, style: current ? THEME.emphasis : "" };
  if (s.error) {
    const segments: Segment[] = [name, { text: ` ✗ ${s.error}`, style: THEME.loadingError }];
    if (current && s.lastContactAt && !s.refused) {
      segments.push({ text: ` · data from ${humanDuration(now - s.lastContactAt)} ago`, style: THEME.warning });
    }
    return segments;
  }
  if (!s.synced && s.startedAt === undefined) return [name, { text: " · queued", style: THEME.dim }];
  if (!s.synced) return [name, { text: ` ${spinnerFrame(now)} ${formatCount(s.count)}`, style: THEME.loadingProgress }];
  return [name, { text: " ✓", style: THEME.loadingOk }, { text: ` ${formatCount(s.count)}`, style: THEME.dim }];
}

function loadingLine(model: RootModel, view: View, ctx: ViewContext): string {
  const mine = new Set(view.statusKinds(ctx));
  const statuses = model.statuses;
  const current = statuses.filter((s) => mine.has(s.resource));
  const others = statuses.filter((s) => !mine.has(s.resource));
  const segments: Segment[] = [{ text: " ", style: "" }];
  for (const s of [...current, ...others]) {
    if (segments.length > 1) segments.push({ text: "   ", style: "" });
    segments.push(...statusSegments(s, model.now, mine.has(s.resource)));
  }
  return paintSegments(segments, model.width);
}

export function headerLines(model: RootModel, ctx: ViewContext): string[] {
  const view = model.stack[model.stack.length - 1] as View;
  return [titleLine(model, ctx, view), crumbLine(model), loadingLine(model, view, ctx)];
}
