// Pods: the row kept in the cache and kubectl's printing rules for it.
import type { KubeObject } from "../kube/objects.ts";
import type { BaseRow, ResourceDef } from "./types.ts";

export interface PodRow extends BaseRow {
  /** READY as kubectl prints it, "1/2". */
  ready: string;
  readyCount: number;
  totalCount: number;
  /** STATUS exactly as kubectl prints it (CrashLoopBackOff, Init:1/3, Terminating, ...). */
  status: string;
  restarts: number;
  /** Epoch ms of the latest container restart, 0 if unknown; RESTARTS prints "5 (3m2s ago)" from it. */
  lastRestartAt: number;
  /** "" when unset (kubectl prints <none>). */
  node: string;
  ip: string;
  nominatedNode: string;
  /** READINESS GATES "1/2", "" when the pod has none. */
  readinessGates: string;
  phase: string;
  /** metadata.deletionTimestamp is set. */
  deleting: boolean;
  /** Controller owner, for the owner index ("" when none). */
  ownerKind: string;
  ownerName: string;
}

export function podRow(_obj: KubeObject): PodRow {
  throw new Error("not implemented yet");
}

export const pods: ResourceDef<PodRow> = {
  type: "pods",
  kind: "Pod",
  group: "",
  version: "v1",
  namespaced: true,
  shortNames: ["po", "pod"],
  columns: [],
  toRow: podRow,
};
