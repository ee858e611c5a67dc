// Pods: the row kept in the cache and kubectl's printing rules for it. STATUS, READY and RESTARTS follow
// kube-apiserver's printPod (pkg/printers/internalversion/printers.go), which is what `kubectl get pods` prints.

import type { KubeObject } from "../kube/objects.ts";
import { ageColumn } from "./columns.ts";
import { doc } from "./descriptions.ts";
import { arr, baseFields, int, intern, type Json, obj, str } from "./fields.ts";
import { humanDuration, NO_TIME, parseOptionalTime } from "./format.ts";
import { controllerOf } from "./owners.ts";
import type { BaseRow, ResourceDef } from "./types.ts";

export interface PodRow extends BaseRow {
  /** READY as kubectl prints it, "1/2". */
  ready: string;
  readyCount: number;
  totalCount: number;
  /** STATUS exactly as kubectl prints it (CrashLoopBackOff, Init:1/3, Terminating, ...). */
  status: string;
  restarts: number;
  /**
   * Epoch ms of the latest container restart, NO_TIME if unknown (never 0: a container may have finished at
   * 1970-01-01); RESTARTS prints "5 (3m2s ago)" from it.
   */
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

export function podRow(o: KubeObject): PodRow {
  const base = baseFields(o);
  const meta = o.metadata;
  const spec = obj(o.spec);
  const status = obj(o.status);
  const phase = str(status?.phase);
  const statusReason = str(status?.reason);
  let reason = statusReason !== "" ? statusReason : phase;

  // One pass over the conditions for everything the rules below ask of them.
  const conditions = arr(status?.conditions);
  let initializedSeen = false;
  let initialized = false;
  let readyCondition = false;
  for (let i = 0; i < conditions.length; i++) {
    const c = obj(conditions[i]);
    if (!c) continue;
    const type = c.type;
    if (type === "PodScheduled" && c.reason === "SchedulingGated") reason = "SchedulingGated";
    else if (type === "Initialized" && !initializedSeen) {
      initializedSeen = true; // the first Initialized condition decides
      initialized = c.status === "True";
    } else if (type === "Ready" && c.status === "True") readyCondition = true;
  }

  const initSpecs = arr(spec?.initContainers);
  let total = arr(spec?.containers).length;
  for (let i = 0; i < initSpecs.length; i++) {
    if (obj(initSpecs[i])?.restartPolicy === "Always") total++;
  }

  let ready = 0;
  let restarts = 0;
  let lastRestart = NO_TIME;
  // Restartable init containers (sidecars) keep counting once the pod is initialized; plain ones do not.
  let sidecarRestarts = 0;
  let lastSidecarRestart = NO_TIME;
  let initializing = false;

  const initStatuses = arr(status?.initContainerStatuses);
  for (let i = 0; i < initStatuses.length; i++) {
    const cs = obj(initStatuses[i]);
    if (!cs) continue;
    const restartCount = int(cs.restartCount);
    const finishedAt = lastFinishedAt(cs);
    restarts += restartCount;
    if (finishedAt > lastRestart) lastRestart = finishedAt;
    const sidecar = isSidecar(initSpecs, cs.name);
    if (sidecar) {
      sidecarRestarts += restartCount;
      if (finishedAt > lastSidecarRestart) lastSidecarRestart = finishedAt;
    }
    const state = obj(cs.state);
    const terminated = obj(state?.terminated);
    if (terminated && int(terminated.exitCode) === 0) continue;
    if (sidecar && cs.started === true) {
      if (cs.ready === true) ready++;
      continue;
    }
    const waiting = obj(state?.waiting);
    const waitingReason = str(waiting?.reason);
    if (terminated) {
      // This init container failed; the pod will not get past it.
      const terminatedReason = str(terminated.reason);
      if (terminatedReason !== "") reason = `Init:${terminatedReason}`;
      else if (int(terminated.signal) !== 0) reason = `Init:Signal:${int(terminated.signal)}`;
      else reason = `Init:ExitCode:${int(terminated.exitCode)}`;
    } else if (waitingReason !== "" && waitingReason !== "PodInitializing") {
      reason = `Init:${waitingReason}`;
    } else {
      reason = `Init:${i}/${initSpecs.length}`;
    }
    initializing = true;
    break;
  }

  if (!initializing || initialized) {
    restarts = sidecarRestarts;
    lastRestart = lastSidecarRestart;
    let hasRunning = false;
    let errorReason = "";
    const statuses = arr(status?.containerStatuses);
    // Backwards, so that the first container's state wins the STATUS column.
    for (let i = statuses.length - 1; i >= 0; i--) {
      const cs = obj(statuses[i]);
      if (!cs) continue;
      restarts += int(cs.restartCount);
      const finishedAt = lastFinishedAt(cs);
      if (finishedAt > lastRestart) lastRestart = finishedAt;
      const state = obj(cs.state);
      const waitingReason = str(obj(state?.waiting)?.reason);
      const terminated = obj(state?.terminated);
      if (waitingReason !== "") {
        reason = waitingReason;
      } else if (terminated) {
        const terminatedReason = str(terminated.reason);
        if (terminatedReason !== "") reason = terminatedReason;
        else if (int(terminated.signal) !== 0) reason = `Signal:${int(terminated.signal)}`;
        else reason = `ExitCode:${int(terminated.exitCode)}`;
        if (int(terminated.exitCode) !== 0) errorReason = reason;
      } else if (cs.ready === true && state?.running != null) {
        hasRunning = true;
        ready++;
      }
    }
    // A "Completed" container next to one still running does not make the pod completed.
    if (reason === "Completed") {
      if (hasRunning && readyCondition) reason = "Running";
      else if (errorReason !== "") reason = errorReason;
      else if (hasRunning) reason = "NotReady";
    }
  }

  const deleting = meta?.deletionTimestamp != null;
  if (deleting && statusReason === "NodeLost") reason = "Unknown";
  else if (deleting && phase !== "Succeeded" && phase !== "Failed") reason = "Terminating";

  const owner = controllerOf(o);
  return {
    namespace: base.namespace,
    name: base.name,
    uid: base.uid,
    createdAt: base.createdAt,
    ready: readyText(ready, total),
    readyCount: ready,
    totalCount: total,
    status: intern(reason),
    restarts,
    lastRestartAt: lastRestart,
    node: intern(str(spec?.nodeName)),
    ip: podIP(status),
    nominatedNode: str(status?.nominatedNodeName),
    readinessGates: readinessGates(spec, conditions),
    phase: intern(phase),
    deleting,
    ownerKind: owner === undefined ? "" : intern(str(owner.kind)),
    ownerName: owner === undefined ? "" : intern(str(owner.name)),
  };
}

/** lastState.terminated.finishedAt of a container status, epoch ms (NO_TIME when absent or Go's zero time). */
function lastFinishedAt(cs: Json): number {
  const terminated = obj(obj(cs.lastState)?.terminated);
  return terminated ? parseOptionalTime(terminated.finishedAt) : NO_TIME;
}

/** A restartable init container ("sidecar"): restartPolicy Always on the init container spec of that name. */
function isSidecar(initSpecs: readonly unknown[], name: unknown): boolean {
  for (let i = 0; i < initSpecs.length; i++) {
    const c = obj(initSpecs[i]);
    if (c !== undefined && c.name === name) return c.restartPolicy === "Always";
  }
  return false;
}

/** The API server keeps podIP and podIPs in sync with podIP authoritative; printPod shows the first IP. */
function podIP(status: Json | undefined): string {
  const ip = str(status?.podIP);
  if (ip !== "") return ip;
  return str(obj(arr(status?.podIPs)[0])?.ip);
}

/** "true/total" over spec.readinessGates, each looked up as the first condition of its type; "" without gates. */
function readinessGates(spec: Json | undefined, conditions: readonly unknown[]): string {
  const gates = arr(spec?.readinessGates);
  if (gates.length === 0) return "";
  let passing = 0;
  for (const gate of gates) {
    const type = obj(gate)?.conditionType;
    for (const c of conditions) {
      const condition = obj(c);
      if (condition !== undefined && condition.type === type) {
        if (condition.status === "True") passing++;
        break;
      }
    }
  }
  return `${passing}/${gates.length}`;
}

// "r/t" strings for the usual small pods are shared rather than allocated per row.
const READY_CACHE_SIZE = 16;
const readyCache: string[] = [];
for (let t = 0; t < READY_CACHE_SIZE; t++) {
  for (let r = 0; r < READY_CACHE_SIZE; r++) readyCache.push(`${r}/${t}`);
}

function readyText(ready: number, total: number): string {
  if (ready < READY_CACHE_SIZE && total < READY_CACHE_SIZE) return readyCache[total * READY_CACHE_SIZE + ready]!;
  return `${ready}/${total}`;
}

/** RESTARTS: "N", or "N (5m ago)" when a restarted container reported when it last finished (NO_TIME: it did not). */
export function restartsText(restarts: number, lastRestartAt: number, now: number): string {
  if (restarts === 0 || lastRestartAt === NO_TIME) return String(restarts);
  return `${restarts} (${humanDuration(now - lastRestartAt)} ago)`;
}

const orNone = (value: string): string => (value === "" ? "<none>" : value);

export const pods: ResourceDef<PodRow> = {
  type: "pods",
  kind: "Pod",
  group: "",
  version: "v1",
  namespaced: true,
  shortNames: ["po"],
  columns: [
    {
      name: "READY",
      title: "Ready",
      priority: 0,
      description: "The aggregate readiness state of this pod for accepting traffic.",
      cell: (row) => row.ready,
    },
    {
      name: "STATUS",
      title: "Status",
      priority: 0,
      description: "The aggregate status of the containers in this pod.",
      cell: (row) => row.status,
    },
    {
      name: "RESTARTS",
      title: "Restarts",
      priority: 0,
      description:
        "The number of times the containers in this pod have been restarted and when the last container in this pod has restarted.",
      cell: (row, now) => restartsText(row.restarts, row.lastRestartAt, now),
    },
    ageColumn(),
    { name: "IP", title: "IP", priority: 1, description: doc.podStatusPodIP, cell: (row) => orNone(row.ip) },
    { name: "NODE", title: "Node", priority: 1, description: doc.podSpecNodeName, cell: (row) => orNone(row.node) },
    {
      name: "NOMINATED NODE",
      title: "Nominated Node",
      priority: 1,
      description: doc.podStatusNominatedNodeName,
      cell: (row) => orNone(row.nominatedNode),
    },
    {
      name: "READINESS GATES",
      title: "Readiness Gates",
      priority: 1,
      description: doc.podSpecReadinessGates,
      cell: (row) => orNone(row.readinessGates),
    },
  ],
  toRow: podRow,
};
