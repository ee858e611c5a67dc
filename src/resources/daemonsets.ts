// DaemonSets as `kubectl get daemonsets` prints them (kube-apiserver's printDaemonSet).

import type { KubeObject } from "../kube/objects.ts";
import { ageColumn, selectorColumn, templateColumns } from "./columns.ts";
import { doc } from "./descriptions.ts";
import { baseFields, formatLabelSelector, formatLabels, int, obj, templateContainers } from "./fields.ts";
import type { BaseRow, ResourceDef } from "./types.ts";

export interface DaemonSetRow extends BaseRow {
  desired: number;
  current: number;
  ready: number;
  upToDate: number;
  available: number;
  /** The pod template's nodeSelector as "k=v,...", "<none>" when empty. */
  nodeSelector: string;
  containers: string;
  images: string;
  selector: string;
}

export function daemonSetRow(o: KubeObject): DaemonSetRow {
  const spec = obj(o.spec);
  const status = obj(o.status);
  const template = obj(spec?.template);
  const { names, images } = templateContainers(template);
  return {
    ...baseFields(o),
    desired: int(status?.desiredNumberScheduled),
    current: int(status?.currentNumberScheduled),
    ready: int(status?.numberReady),
    upToDate: int(status?.updatedNumberScheduled),
    available: int(status?.numberAvailable),
    nodeSelector: formatLabels(obj(template?.spec)?.nodeSelector),
    containers: names,
    images,
    selector: formatLabelSelector(spec?.selector),
  };
}

const integer = { priority: 0, type: "integer", numeric: true } as const;

export const daemonsets: ResourceDef<DaemonSetRow> = {
  type: "daemonsets",
  kind: "DaemonSet",
  group: "apps",
  version: "v1",
  namespaced: true,
  shortNames: ["ds"],
  columns: [
    {
      ...integer,
      name: "DESIRED",
      title: "Desired",
      description: doc.daemonSetStatusDesiredNumberScheduled,
      cell: (row) => String(row.desired),
    },
    {
      ...integer,
      name: "CURRENT",
      title: "Current",
      description: doc.daemonSetStatusCurrentNumberScheduled,
      cell: (row) => String(row.current),
    },
    {
      ...integer,
      name: "READY",
      title: "Ready",
      description: doc.daemonSetStatusNumberReady,
      cell: (row) => String(row.ready),
    },
    {
      ...integer,
      name: "UP-TO-DATE",
      title: "Up-to-date",
      description: doc.daemonSetStatusUpdatedNumberScheduled,
      cell: (row) => String(row.upToDate),
    },
    {
      ...integer,
      name: "AVAILABLE",
      title: "Available",
      description: doc.daemonSetStatusNumberAvailable,
      cell: (row) => String(row.available),
    },
    {
      name: "NODE SELECTOR",
      title: "Node Selector",
      priority: 0,
      description: doc.podSpecNodeSelector,
      cell: (row) => row.nodeSelector,
    },
    ageColumn(),
    ...templateColumns(),
    selectorColumn(doc.daemonSetSpecSelector),
  ],
  toRow: daemonSetRow,
};
