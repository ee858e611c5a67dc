// Deployments as `kubectl get deployments` prints them (kube-apiserver's printDeployment).

import type { KubeObject } from "../kube/objects.ts";
import { ageColumn, selectorColumn, templateColumns } from "./columns.ts";
import { doc } from "./descriptions.ts";
import { baseFields, int, labelSelectorString, obj, templateContainers } from "./fields.ts";
import type { BaseRow, ResourceDef } from "./types.ts";

export interface DeploymentRow extends BaseRow {
  /** spec.replicas (the API defaults it to 1). */
  desired: number;
  ready: number;
  upToDate: number;
  available: number;
  containers: string;
  images: string;
  /** The selector as a label query, "<invalid>" when it cannot be parsed, "" when empty. */
  selector: string;
}

export function deploymentRow(o: KubeObject): DeploymentRow {
  const spec = obj(o.spec);
  const status = obj(o.status);
  const { names, images } = templateContainers(spec?.template);
  return {
    ...baseFields(o),
    desired: replicas(spec),
    ready: int(status?.readyReplicas),
    upToDate: int(status?.updatedReplicas),
    available: int(status?.availableReplicas),
    containers: names,
    images,
    selector: labelSelectorString(spec?.selector) ?? "<invalid>",
  };
}

/** spec.replicas of an apps/v1 workload; absent means the API default, 1. */
export function replicas(spec: Record<string, unknown> | undefined): number {
  const value = spec?.replicas;
  return typeof value === "number" ? value : 1;
}

export const deployments: ResourceDef<DeploymentRow> = {
  type: "deployments",
  kind: "Deployment",
  group: "apps",
  version: "v1",
  namespaced: true,
  shortNames: ["deploy"],
  columns: [
    {
      name: "READY",
      title: "Ready",
      priority: 0,
      description: "Number of the pod with ready state",
      cell: (row) => `${row.ready}/${row.desired}`,
    },
    {
      name: "UP-TO-DATE",
      title: "Up-to-date",
      priority: 0,
      numeric: true,
      description: doc.deploymentStatusUpdatedReplicas,
      cell: (row) => String(row.upToDate),
    },
    {
      name: "AVAILABLE",
      title: "Available",
      priority: 0,
      numeric: true,
      description: doc.deploymentStatusAvailableReplicas,
      cell: (row) => String(row.available),
    },
    ageColumn(),
    ...templateColumns(),
    selectorColumn(doc.deploymentSpecSelector),
  ],
  toRow: deploymentRow,
};
