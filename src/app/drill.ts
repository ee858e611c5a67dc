// Enter on a row, as in k9s: a workload → its pods (through owner references and the owner index, never a label scan
// over every pod), a cronjob → its jobs, a service → the pods its selector picks, a node → the pods on it, a namespace
// → that namespace's pods, a pod → its containers. Other kinds say what is coming instead.
import type { ApiKind, RowQuery } from "../repository/types.ts";
import type { PodRow } from "../resources/pods.ts";
import type { BaseRow } from "../resources/types.ts";
import { DIRECT_OWNERS, podsOf } from "./pod-queries.ts";
import { ContainersView } from "./views/containers.ts";
import { type DrillFn, type TableSource, TableView } from "./views/table.ts";
import type { Action, ViewContext } from "./views/view.ts";

/** What Enter does on a row of `kind`, for the help and the key table. */
export function drillLabel(kind: string): string {
  if (kind === "pods") return "open the pod's containers";
  if (kind === "namespaces") return "make this namespace the scope and show its pods";
  if (kind === "deployments.apps") return "its pods (those of the replicasets it owns)";
  if (DIRECT_OWNERS[kind]) return "its pods (by owner reference)";
  if (kind === "cronjobs.batch") return "its jobs";
  if (kind === "services") return "the pods its selector picks";
  if (kind === "nodes") return "the pods on this node";
  if (kind === "customresourcedefinitions.apiextensions.k8s.io") return "its objects";
  return "no drill-down for this kind yet (says so)";
}

/** The short name used in breadcrumbs: "deploy", "sts", "po"; else the singular. */
export function shortName(kind: ApiKind | undefined, fallback: string): string {
  if (!kind) return fallback;
  return kind.shortNames[0] ?? kind.singular ?? kind.resource;
}

function kindOf(ctx: ViewContext, key: string): ApiKind | undefined {
  return ctx.repo.kinds().find((k) => k.key === key);
}

/** A table of `kind` rows under a drilled-into object. */
function childTable(
  ctx: ViewContext,
  parent: { source: TableSource; row: BaseRow },
  child: { kind: string; title: string; query: (ctx: ViewContext) => RowQuery; extraHolds?: TableSource["extraHolds"] },
): Action {
  const parentKind = kindOf(ctx, parent.source.kind);
  const path = `${shortName(parentKind, parent.source.kind)}/${parent.row.name}`;
  const source: TableSource = {
    id: `${parent.source.id} › ${path} › ${child.kind}`,
    crumb: kindOf(ctx, child.kind)?.resource ?? child.kind,
    short: shortName(kindOf(ctx, child.kind), child.kind),
    kind: child.kind,
    namespace: parent.row.namespace,
    title: child.title,
    query: child.query,
    ...(child.extraHolds && { extraHolds: child.extraHolds }),
  };
  return { type: "push", view: TableView.open(source, ctx, drillDown) };
}

/** What Enter does on `row` of a table of `source.kind`. */
export const drillDown: DrillFn = Object.assign(
  (source: TableSource, row: BaseRow, ctx: ViewContext): Action[] => [drillAction(source, row, ctx)].flat(),
  { label: drillLabel },
);

function drillAction(source: TableSource, row: BaseRow, ctx: ViewContext): Action | Action[] {
  const ns = row.namespace;
  const owner = (kind: string, name: string) => `${ns}/${kind}/${name}`;
  const kind = source.kind;
  const label = `${shortName(kindOf(ctx, kind), kind)}/${row.name}`;

  if (kind === "pods") {
    const [view, actions] = ContainersView.open(row as PodRow, source.id).fetch();
    return [{ type: "push", view }, ...actions];
  }
  if (kind === "namespaces") return { type: "scope", namespace: row.name, open: "pods" };
  const pods = podsOf(kind, row);
  if (typeof pods === "string") return { type: "message", text: `${label} ${pods}` };
  if (pods) {
    return childTable(
      ctx,
      { source, row },
      {
        kind: "pods",
        title: `Pods of ${label}`,
        query: pods.query,
        ...(pods.extraHolds && { extraHolds: pods.extraHolds }),
      },
    );
  }
  if (kind === "cronjobs.batch") {
    return childTable(
      ctx,
      { source, row },
      {
        kind: "jobs.batch",
        title: `Jobs of ${label}`,
        query: () => ({ kind: "jobs.batch", namespace: ns, owners: [owner("CronJob", row.name)] }),
      },
    );
  }
  if (kind === "customresourcedefinitions.apiextensions.k8s.io") {
    // A CRD's name is its resource.group: the same command as typing it.
    return { type: "command", text: row.name };
  }
  if (kind === "nodes") {
    return childTable(
      ctx,
      { source, row: { ...row, namespace: "" } },
      { kind: "pods", title: `Pods on ${label}`, query: () => ({ kind: "pods", node: row.name }) },
    );
  }
  return {
    type: "message",
    text: `${label}: no drill-down for ${kind}; its YAML and describe views are the next ones to come`,
  };
}
