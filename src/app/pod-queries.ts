// The pods of a workload or a service, as RowQueries: a deployment's through the replicasets it owns, a statefulset's,
// daemonset's, replicaset's or job's through the owner index, a service's through a labelSelector informer. Enter
// (drill.ts) shows them in a table; `l` (views/logs.ts) streams their logs.
import type { RowQuery } from "../repository/types.ts";
import type { BaseRow } from "../resources/types.ts";
import type { ViewContext } from "./views/view.ts";

/** Workloads whose pods carry them as controller owner, by kind key → the owner Kind. */
export const DIRECT_OWNERS: Record<string, string> = {
  "statefulsets.apps": "StatefulSet",
  "daemonsets.apps": "DaemonSet",
  "replicasets.apps": "ReplicaSet",
  "jobs.batch": "Job",
};

export interface PodsQuery {
  /** The pods (read again on every change: a deployment's replicasets come and go). */
  readonly query: (ctx: ViewContext) => RowQuery;
  /** Informers the query reads besides the pods' (a deployment's replicasets). */
  readonly extraHolds?: () => RowQuery[];
}

/** True when `kind`'s rows have pods (podsOf answers for them). */
export function hasPods(kind: string): boolean {
  return kind === "deployments.apps" || kind === "services" || DIRECT_OWNERS[kind] !== undefined;
}

/** The query of `row`'s pods; a sentence when it has none by construction (a service without selector). */
export function podsOf(kind: string, row: BaseRow): PodsQuery | string | undefined {
  const ns = row.namespace;
  const owner = (k: string, name: string) => `${ns}/${k}/${name}`;
  if (kind === "deployments.apps") {
    // A deployment owns replicasets, which own the pods: the pods of every replicaset it owns, old ones included
    // (a rollout in progress has pods in both).
    const replicasets = (): RowQuery => ({
      kind: "replicasets.apps",
      namespace: ns,
      owners: [owner("Deployment", row.name)],
    });
    return {
      extraHolds: () => [replicasets()],
      query: (c) => ({
        kind: "pods",
        namespace: ns,
        owners: c.repo.rows(replicasets()).map((rs) => owner("ReplicaSet", rs.name)),
      }),
    };
  }
  const direct = DIRECT_OWNERS[kind];
  if (direct) return { query: () => ({ kind: "pods", namespace: ns, owners: [owner(direct, row.name)] }) };
  if (kind === "services") {
    const selector = (row as BaseRow & { selector?: string }).selector;
    if (!selector || selector === "<none>") return "has no selector: it picks no pods";
    return { query: () => ({ kind: "pods", namespace: ns, labelSelector: selector }) };
  }
  return undefined;
}
