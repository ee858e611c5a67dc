// Nodes as `kubectl get nodes` prints them (kube-apiserver's printNode).

import { quantityIn } from "../kube/metrics.ts";
import type { KubeObject } from "../kube/objects.ts";
import { ageColumn } from "./columns.ts";
import { doc } from "./descriptions.ts";
import { arr, baseFields, compareBytes, intern, obj, str } from "./fields.ts";
import { cpuText, memText, NO_USAGE, NOT_AVAILABLE, percentText } from "./pods.ts";
import type { BaseRow, Column, ResourceDef } from "./types.ts";

export interface NodeRow extends BaseRow {
  /** "Ready", "NotReady", "Unknown", each with ",SchedulingDisabled" when cordoned. */
  status: string;
  /** Sorted roles from node-role.kubernetes.io/<role> and kubernetes.io/role labels, "<none>" when none. */
  roles: string;
  version: string;
  internalIP: string;
  externalIP: string;
  osImage: string;
  /** Kernel version with the architecture appended: "6.1.0 (amd64)". */
  kernelVersion: string;
  containerRuntime: string;
  unschedulable: boolean;
  /** status.allocatable.cpu in millicores; 0 when unknown. */
  allocatableCpu: number;
  /** status.allocatable.memory in bytes; 0 when unknown. */
  allocatableMem: number;
  /** CPU in use, millicores, from the metrics API; NO_USAGE without a sample. */
  cpuUsage: number;
  /** Working-set memory in use, bytes; NO_USAGE without a sample. */
  memUsage: number;
  /** Pods bound to the node, from the repository's node index; NO_USAGE until it has counted. */
  pods: number;
  /** The pressure conditions that are True ("MemoryPressure,DiskPressure"), "" when none. */
  pressure: string;
}

const ROLE_PREFIX = "node-role.kubernetes.io/";

export function nodeRow(o: KubeObject): NodeRow {
  const spec = obj(o.spec);
  const status = obj(o.status);
  const info = obj(status?.nodeInfo);
  const unschedulable = spec?.unschedulable === true;

  // Only the Ready condition counts; the last one listed wins, as in the printer's condition map.
  let ready = "Unknown";
  const pressure: string[] = [];
  for (const item of arr(status?.conditions)) {
    const c = obj(item);
    if (c?.type === "Ready") ready = c.status === "True" ? "Ready" : "NotReady";
    else if (typeof c?.type === "string" && c.type.endsWith("Pressure") && c.status === "True") pressure.push(c.type);
  }

  let kernel = str(info?.kernelVersion) || "<unknown>";
  const arch = str(info?.architecture);
  if (arch !== "") kernel += ` (${arch})`;

  return {
    ...baseFields(o),
    status: intern(unschedulable ? `${ready},SchedulingDisabled` : ready),
    roles: roles(o.metadata?.labels),
    version: str(info?.kubeletVersion),
    internalIP: address(status, "InternalIP"),
    externalIP: address(status, "ExternalIP"),
    osImage: str(info?.osImage) || "<unknown>",
    kernelVersion: kernel,
    containerRuntime: str(info?.containerRuntimeVersion) || "<unknown>",
    unschedulable,
    allocatableCpu: positive(quantityIn(obj(status?.allocatable)?.cpu, -3)),
    allocatableMem: positive(quantityIn(obj(status?.allocatable)?.memory, 0)),
    cpuUsage: NO_USAGE,
    memUsage: NO_USAGE,
    pods: NO_USAGE,
    pressure: intern(pressure.join(",")),
  };
}

function positive(value: number): number {
  // NaN (no allocatable, or one that does not parse) is 0 too: percentages of it are n/a.
  return Number.isFinite(value) && value > 0 ? value : 0;
}

/** A copy of `row` with usage and a pod count (rows are immutable: the table's sort caches keys per row object). */
export function withNodeUsage(row: NodeRow, cpuMillis: number, memBytes: number, pods: number): NodeRow {
  return { ...row, cpuUsage: cpuMillis, memUsage: memBytes, pods };
}

/**
 * Live usage after kubectl's columns, as k9s's node view shows it: CPU (millicores), MEM (MiB), their percentages of
 * allocatable, and the pods on the node. Not in `nodes.columns` (those are kubectl's, compared one for one with it).
 */
export const nodeUsageColumns: readonly Column<NodeRow>[] = [
  {
    name: "PODS",
    title: "Pods",
    priority: 0,
    type: "integer",
    description: "Pods bound to the node (any phase).",
    cell: (row) => (row.pods < 0 ? NOT_AVAILABLE : String(row.pods)),
  },
  {
    name: "CPU",
    title: "CPU",
    priority: 0,
    type: "integer",
    description: "CPU in use, millicores (metrics.k8s.io).",
    cell: (row) => cpuText(row.cpuUsage),
  },
  {
    name: "%CPU",
    title: "%CPU",
    priority: 0,
    type: "integer",
    description: "CPU in use as a percentage of the node's allocatable CPU.",
    cell: (row) => percentText(row.cpuUsage, row.allocatableCpu),
  },
  {
    name: "MEM",
    title: "MEM",
    priority: 0,
    type: "integer",
    description: "Working-set memory in use, MiB (metrics.k8s.io).",
    cell: (row) => memText(row.memUsage),
  },
  {
    name: "%MEM",
    title: "%MEM",
    priority: 0,
    type: "integer",
    description: "Memory in use as a percentage of the node's allocatable memory.",
    cell: (row) => percentText(row.memUsage, row.allocatableMem),
  },
];

function roles(labels: Record<string, string> | undefined): string {
  if (!labels) return "<none>";
  const found = new Set<string>();
  for (const key in labels) {
    if (key.startsWith(ROLE_PREFIX)) {
      const role = key.slice(ROLE_PREFIX.length);
      if (role !== "") found.add(role);
    } else if (key === "kubernetes.io/role" && labels[key]) {
      found.add(labels[key]);
    }
  }
  return found.size === 0 ? "<none>" : [...found].sort(compareBytes).join(",");
}

/** The first address of that type, "<none>" when there is none. */
function address(status: Record<string, unknown> | undefined, type: string): string {
  for (const item of arr(status?.addresses)) {
    const a = obj(item);
    if (a?.type === type) return str(a.address);
  }
  return "<none>";
}

export const nodes: ResourceDef<NodeRow> = {
  type: "nodes",
  kind: "Node",
  group: "",
  version: "v1",
  namespaced: false,
  shortNames: ["no"],
  columns: [
    { name: "STATUS", title: "Status", priority: 0, description: "The status of the node", cell: (row) => row.status },
    { name: "ROLES", title: "Roles", priority: 0, description: "The roles of the node", cell: (row) => row.roles },
    ageColumn(),
    {
      name: "VERSION",
      title: "Version",
      priority: 0,
      description: doc.nodeSystemInfoKubeletVersion,
      cell: (row) => row.version,
    },
    {
      name: "INTERNAL-IP",
      title: "Internal-IP",
      priority: 1,
      description: doc.nodeStatusAddresses,
      cell: (row) => row.internalIP,
    },
    {
      name: "EXTERNAL-IP",
      title: "External-IP",
      priority: 1,
      description: doc.nodeStatusAddresses,
      cell: (row) => row.externalIP,
    },
    {
      name: "OS-IMAGE",
      title: "OS-Image",
      priority: 1,
      description: doc.nodeSystemInfoOsImage,
      cell: (row) => row.osImage,
    },
    {
      name: "KERNEL-VERSION",
      title: "Kernel-Version",
      priority: 1,
      description: doc.nodeSystemInfoKernelVersion,
      cell: (row) => row.kernelVersion,
    },
    {
      name: "CONTAINER-RUNTIME",
      title: "Container-Runtime",
      priority: 1,
      description: doc.nodeSystemInfoContainerRuntimeVersion,
      cell: (row) => row.containerRuntime,
    },
  ],
  toRow: nodeRow,
};
