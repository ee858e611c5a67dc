// Pods: the row kept in the cache and kubectl's printing rules for it. STATUS, READY and RESTARTS follow
// kube-apiserver's printPod (pkg/printers/internalversion/printers.go), which is what `kubectl get pods` prints.

import { quantityIn, wholeMebibytes, wholeMillicores } from "../kube/metrics.ts";
import type { KubeObject } from "../kube/objects.ts";
import { ageColumn } from "./columns.ts";
import { doc } from "./descriptions.ts";
import { arr, FieldInterner, int, type Json, obj, RunInterner, str } from "./fields.ts";
import { humanDuration, NO_TIME, parseOptionalTime, parseTime } from "./format.ts";
import { controllerOf } from "./owners.ts";
import type { BaseRow, Column, ResourceDef } from "./types.ts";

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
  /** The pod's effective CPU request in millicores (PodRequests: containers, sidecars, init containers, overhead); 0 = none. */
  cpuRequest: number;
  /** The pod's CPU limit in millicores; 0 when a container has none (the pod is then not bounded). */
  cpuLimit: number;
  /** Memory request in bytes; 0 = none. */
  memRequest: number;
  /** Memory limit in bytes; 0 when a container has none. */
  memLimit: number;
  /** CPU in use, millicores, from the metrics API (kept in the row so the table sorts by it); NO_USAGE without a sample. */
  cpuUsage: number;
  /** Working-set memory in use, bytes; NO_USAGE without a sample. */
  memUsage: number;
}

/** cpuUsage/memUsage of a row that has no metrics sample (the API is absent, or the pod is not running). */
export const NO_USAGE = -1;

// Pods come in runs of a namespace, an owner, a phase (see RunInterner); node names do not come in runs, but there are
// a few thousand at most.
const nodes = new FieldInterner(20_000);
const namespaces = new RunInterner();
const statuses = new RunInterner();
const phases = new RunInterner();
const ownerKinds = new RunInterner();
const ownerNames = new RunInterner();

export function podRow(o: KubeObject): PodRow {
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
  const resources = podResources(spec);
  return {
    // baseFields' four, read here rather than copied from the object it builds (once per pod at ingest).
    namespace: namespaces.of(str(meta?.namespace)),
    name: str(meta?.name),
    uid: str(meta?.uid),
    createdAt: parseTime(meta?.creationTimestamp),
    ready: readyText(ready, total),
    readyCount: ready,
    totalCount: total,
    status: statuses.of(reason),
    restarts,
    lastRestartAt: lastRestart,
    node: nodes.of(str(spec?.nodeName)),
    ip: podIP(status),
    nominatedNode: str(status?.nominatedNodeName),
    readinessGates: readinessGates(spec, conditions),
    phase: phases.of(phase),
    deleting,
    ownerKind: owner === undefined ? "" : ownerKinds.of(str(owner.kind)),
    ownerName: owner === undefined ? "" : ownerNames.of(str(owner.name)),
    cpuRequest: resources.cpuRequest,
    cpuLimit: resources.cpuLimit,
    memRequest: resources.memRequest,
    memLimit: resources.memLimit,
    cpuUsage: NO_USAGE,
    memUsage: NO_USAGE,
  };
}

/** A pod's requests and limits, as the scheduler and kubelet count them. */
export interface PodResources {
  cpuRequest: number;
  cpuLimit: number;
  memRequest: number;
  memLimit: number;
}

/** A resource list's ("requests" or "limits") cpu in millicores; NaN when it sets none or the value is bad. */
const cpuOf = (list: Json | undefined): number => quantityIn(list?.cpu, -3);
/** Its memory in bytes; NaN when it sets none or the value is bad. */
const memOf = (list: Json | undefined): number => quantityIn(list?.memory, 0);
/** A missing or bad value counts as 0. */
const orZero = (value: number): number => (Number.isFinite(value) ? value : 0);

/**
 * Requests and limits of a pod as k8s.io/component-helpers resource.PodRequests/PodLimits compute them: the sum over
 * containers and restartable init containers (sidecars), at least the largest plain init container (plus the sidecars
 * started before it), plus spec.overhead; pod-level spec.resources, when set, wins for the resources it names. For
 * limits, one container without a limit means the pod has none for that resource (0: a percentage of a partial sum
 * would claim a bound that is not there); k9s prints n/a then too. Sums are kept in locals: this runs for every pod
 * at ingest, and objects per resource list were a tenth of the garbage a pod made.
 */
export function podResources(spec: Json | undefined): PodResources {
  let reqCpu = 0;
  let reqMem = 0;
  let limCpu = 0;
  let limMem = 0;
  // Every container counted so far set a CPU (memory) limit: one missing leaves the pod unbounded.
  let limCpuSet = true;
  let limMemSet = true;
  const containers = arr(spec?.containers);
  for (let i = 0; i < containers.length; i++) {
    const resources = obj(obj(containers[i])?.resources);
    const requests = obj(resources?.requests);
    const limits = obj(resources?.limits);
    reqCpu += orZero(cpuOf(requests));
    reqMem += orZero(memOf(requests));
    const cpu = cpuOf(limits);
    const mem = memOf(limits);
    if (Number.isFinite(cpu)) limCpu += cpu;
    else limCpuSet = false;
    if (Number.isFinite(mem)) limMem += mem;
    else limMemSet = false;
  }
  const inits = arr(spec?.initContainers);
  if (inits.length > 0) {
    let sidecarReqCpu = 0;
    let sidecarReqMem = 0;
    let sidecarLimCpu = 0;
    let sidecarLimMem = 0;
    let initReqCpu = 0;
    let initReqMem = 0;
    let initLimCpu = 0;
    let initLimMem = 0;
    for (let i = 0; i < inits.length; i++) {
      const c = obj(inits[i]);
      const resources = obj(c?.resources);
      const requests = obj(resources?.requests);
      const limits = obj(resources?.limits);
      const rCpu = orZero(cpuOf(requests));
      const rMem = orZero(memOf(requests));
      const lCpuValue = cpuOf(limits);
      const lMemValue = memOf(limits);
      const lCpu = orZero(lCpuValue);
      const lMem = orZero(lMemValue);
      if (c?.restartPolicy === "Always") {
        reqCpu += rCpu;
        reqMem += rMem;
        limCpu += lCpu;
        limMem += lMem;
        limCpuSet &&= Number.isFinite(lCpuValue);
        limMemSet &&= Number.isFinite(lMemValue);
        sidecarReqCpu += rCpu;
        sidecarReqMem += rMem;
        sidecarLimCpu += lCpu;
        sidecarLimMem += lMem;
        initReqCpu = Math.max(initReqCpu, sidecarReqCpu);
        initReqMem = Math.max(initReqMem, sidecarReqMem);
        initLimCpu = Math.max(initLimCpu, sidecarLimCpu);
        initLimMem = Math.max(initLimMem, sidecarLimMem);
      } else {
        initReqCpu = Math.max(initReqCpu, rCpu + sidecarReqCpu);
        initReqMem = Math.max(initReqMem, rMem + sidecarReqMem);
        initLimCpu = Math.max(initLimCpu, lCpu + sidecarLimCpu);
        initLimMem = Math.max(initLimMem, lMem + sidecarLimMem);
      }
    }
    reqCpu = Math.max(reqCpu, initReqCpu);
    reqMem = Math.max(reqMem, initReqMem);
    limCpu = Math.max(limCpu, initLimCpu);
    limMem = Math.max(limMem, initLimMem);
  }
  const overhead = obj(spec?.overhead);
  if (overhead) {
    const cpu = orZero(cpuOf(overhead));
    const mem = orZero(memOf(overhead));
    reqCpu += cpu;
    reqMem += mem;
    if (limCpu > 0) limCpu += cpu;
    if (limMem > 0) limMem += mem;
  }
  const podLevel = obj(spec?.resources);
  if (podLevel) {
    const requests = obj(podLevel.requests);
    const limits = obj(podLevel.limits);
    if (requests?.cpu !== undefined) reqCpu = orZero(cpuOf(requests));
    if (requests?.memory !== undefined) reqMem = orZero(memOf(requests));
    if (limits?.cpu !== undefined) {
      limCpu = orZero(cpuOf(limits));
      limCpuSet = true;
    }
    if (limits?.memory !== undefined) {
      limMem = orZero(memOf(limits));
      limMemSet = true;
    }
  }
  return {
    cpuRequest: reqCpu,
    cpuLimit: limCpuSet && containers.length > 0 ? limCpu : 0,
    memRequest: reqMem,
    memLimit: limMemSet && containers.length > 0 ? limMem : 0,
  };
}

/** A copy of `row` with a metrics sample's usage (rows are immutable: the table's sort caches keys per row object). */
export function withUsage(row: PodRow, cpuMillis: number, memBytes: number): PodRow {
  return { ...row, cpuUsage: cpuMillis, memUsage: memBytes };
}

/** The n/a of the usage columns: no sample, or nothing to divide by. */
export const NOT_AVAILABLE = "n/a";

/**
 * usage as a whole percentage of `of`, rounded down as k9s's ToPercentage does; undefined without a sample or when `of`
 * is not positive (no request or limit: never 0 % and never a division by zero).
 */
export function percentOf(usage: number, of: number): number | undefined {
  if (usage < 0 || !(of > 0)) return undefined;
  return Math.floor((usage * 100) / of);
}

/** A percentage cell: the whole number, or n/a. */
export function percentText(usage: number, of: number): string {
  const p = percentOf(usage, of);
  return p === undefined ? NOT_AVAILABLE : String(p);
}

/** How close a pod is to its limits: "over" past 100 % of a CPU or memory limit, "high" past 80 %. */
export type UsageLevel = "normal" | "high" | "over";

/** The highest of the pod's usage against its limits (requests do not bound anything). */
export function podUsageLevel(row: Pick<PodRow, "cpuUsage" | "cpuLimit" | "memUsage" | "memLimit">): UsageLevel {
  const cpu = percentOf(row.cpuUsage, row.cpuLimit) ?? 0;
  const mem = percentOf(row.memUsage, row.memLimit) ?? 0;
  const top = Math.max(cpu, mem);
  return top >= 100 ? "over" : top >= 80 ? "high" : "normal";
}

/** The CPU cell: whole millicores, as k9s prints them (kubectl top adds "m"). */
export function cpuText(millis: number): string {
  return millis < 0 ? NOT_AVAILABLE : String(wholeMillicores(millis));
}

/** The MEM cell: whole MiB, as k9s prints them (kubectl top adds "Mi"). */
export function memText(bytes: number): string {
  return bytes < 0 ? NOT_AVAILABLE : String(wholeMebibytes(bytes));
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

/**
 * Live usage from the metrics API, after kubectl's columns as k9s shows them: CPU (millicores), MEM (MiB) and their
 * percentages of the pod's requests and limits. Not in `pods.columns`: those are kubectl's (`kubectl get` and the
 * server-side Table have no usage), and the oracle tests compare them with kubectl one for one. "n/a" when there is no
 * sample or no request/limit; the columns are numeric, so they sort by number with "n/a" below 0.
 */
export const podUsageColumns: readonly Column<PodRow>[] = [
  {
    name: "CPU",
    title: "CPU",
    priority: 0,
    type: "integer",
    description: "CPU in use, millicores (metrics.k8s.io, summed over the containers).",
    cell: (row) => cpuText(row.cpuUsage),
  },
  {
    name: "MEM",
    title: "MEM",
    priority: 0,
    type: "integer",
    description: "Working-set memory in use, MiB (metrics.k8s.io, summed over the containers).",
    cell: (row) => memText(row.memUsage),
  },
  {
    name: "%CPU/R",
    title: "%CPU/R",
    priority: 0,
    type: "integer",
    description: "CPU in use as a percentage of the pod's CPU request.",
    cell: (row) => percentText(row.cpuUsage, row.cpuRequest),
  },
  {
    name: "%CPU/L",
    title: "%CPU/L",
    priority: 0,
    type: "integer",
    description: "CPU in use as a percentage of the pod's CPU limit.",
    cell: (row) => percentText(row.cpuUsage, row.cpuLimit),
  },
  {
    name: "%MEM/R",
    title: "%MEM/R",
    priority: 0,
    type: "integer",
    description: "Memory in use as a percentage of the pod's memory request.",
    cell: (row) => percentText(row.memUsage, row.memRequest),
  },
  {
    name: "%MEM/L",
    title: "%MEM/L",
    priority: 0,
    type: "integer",
    description: "Memory in use as a percentage of the pod's memory limit.",
    cell: (row) => percentText(row.memUsage, row.memLimit),
  },
];

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

/** One of the pods' columns by name (the presentation and the filter text print the same cells). */
export function podColumn(name: string): Column<PodRow> {
  const column = pods.columns.find((c) => c.name === name);
  if (!column) throw new Error(`resources/pods.ts has no ${name} column`);
  return column;
}
