// ReplicaSets as `kubectl get replicasets` prints them (kube-apiserver's printReplicaSet).

import type { KubeObject } from "../kube/objects.ts";
import { ageColumn, selectorColumn, templateColumns } from "./columns.ts";
import { replicas } from "./deployments.ts";
import { doc } from "./descriptions.ts";
import { baseFields, formatLabelSelector, int, obj, templateContainers } from "./fields.ts";
import type { BaseRow, ResourceDef } from "./types.ts";

export interface ReplicaSetRow extends BaseRow {
  desired: number;
  current: number;
  ready: number;
  containers: string;
  images: string;
  /** Formatted selector: "<none>" when empty, "<error>" when invalid. */
  selector: string;
  /** Controller owner (the Deployment), "" when none. */
  ownerKind: string;
  ownerName: string;
}

export function replicaSetRow(o: KubeObject): ReplicaSetRow {
  const spec = obj(o.spec);
  const status = obj(o.status);
  const { names, images } = templateContainers(spec?.template);
  const owner = o.metadata?.ownerReferences?.find((ref) => ref?.controller === true);
  return {
    ...baseFields(o),
    desired: replicas(spec),
    current: int(status?.replicas),
    ready: int(status?.readyReplicas),
    containers: names,
    images,
    selector: formatLabelSelector(spec?.selector),
    ownerKind: owner?.kind ?? "",
    ownerName: owner?.name ?? "",
  };
}

export const replicasets: ResourceDef<ReplicaSetRow> = {
  type: "replicasets",
  kind: "ReplicaSet",
  group: "apps",
  version: "v1",
  namespaced: true,
  shortNames: ["rs"],
  columns: [
    {
      name: "DESIRED",
      title: "Desired",
      priority: 0,
      type: "integer",
      numeric: true,
      description: doc.replicaSetSpecReplicas,
      cell: (row) => String(row.desired),
    },
    {
      name: "CURRENT",
      title: "Current",
      priority: 0,
      type: "integer",
      numeric: true,
      description: doc.replicaSetStatusReplicas,
      cell: (row) => String(row.current),
    },
    {
      name: "READY",
      title: "Ready",
      priority: 0,
      type: "integer",
      numeric: true,
      description: doc.replicaSetStatusReadyReplicas,
      cell: (row) => String(row.ready),
    },
    ageColumn(),
    ...templateColumns(),
    selectorColumn(doc.replicaSetSpecSelector),
  ],
  toRow: replicaSetRow,
};
