// StatefulSets as `kubectl get statefulsets` prints them (kube-apiserver's printStatefulSet).

import type { KubeObject } from "../kube/objects.ts";
import { ageColumn, templateColumns } from "./columns.ts";
import { replicas } from "./deployments.ts";
import { baseFields, int, obj, templateContainers } from "./fields.ts";
import type { BaseRow, ResourceDef } from "./types.ts";

export interface StatefulSetRow extends BaseRow {
  desired: number;
  ready: number;
  containers: string;
  images: string;
}

export function statefulSetRow(o: KubeObject): StatefulSetRow {
  const spec = obj(o.spec);
  const { names, images } = templateContainers(spec?.template);
  return {
    ...baseFields(o),
    desired: replicas(spec),
    ready: int(obj(o.status)?.readyReplicas),
    containers: names,
    images,
  };
}

export const statefulsets: ResourceDef<StatefulSetRow> = {
  type: "statefulsets",
  kind: "StatefulSet",
  group: "apps",
  version: "v1",
  namespaced: true,
  shortNames: ["sts"],
  columns: [
    {
      name: "READY",
      title: "Ready",
      priority: 0,
      description: "Number of the pod with ready state",
      cell: (row) => `${row.ready}/${row.desired}`,
    },
    ageColumn(),
    ...templateColumns(),
  ],
  toRow: statefulSetRow,
};
