// Pod fixtures and the STATUS/READY/RESTARTS that kube-apiserver's printPod gives them (`kubectl get pods`), shared by
// the unit tests and by anything that wants to compare against a real API server. Times are relative to `now`.
import type { KubeObject } from "../../../src/kube/objects.ts";

let NOW = 0;
export const MIN = 60_000;

/** RFC 3339 time `ms` before NOW, as the API server writes it (whole seconds). */
export function ago(ms: number): string {
  return new Date(NOW - ms).toISOString().replace(/\.\d{3}Z$/, "Z");
}

export type Json = Record<string, unknown>;

// Container status builders: the state is what matters to STATUS; ready/restarts/lastFinished to READY/RESTARTS.
interface StatusOpts {
  ready?: boolean;
  started?: boolean;
  restarts?: number;
  /** lastState.terminated.finishedAt, this long before NOW. */
  lastFinished?: number;
}
export function cs(name: string, state: Json, o: StatusOpts = {}): Json {
  const status: Json = { name, state, ready: o.ready ?? false, restartCount: o.restarts ?? 0 };
  if (o.started !== undefined) status.started = o.started;
  if (o.lastFinished !== undefined) {
    status.lastState = { terminated: { exitCode: 1, reason: "Error", finishedAt: ago(o.lastFinished) } };
  }
  return status;
}
export const running = (name: string, o: StatusOpts = {}) => cs(name, { running: { startedAt: ago(10 * MIN) } }, o);
export const waiting = (name: string, reason?: string, o: StatusOpts = {}) =>
  cs(name, { waiting: reason === undefined ? {} : { reason } }, o);
export const terminated = (name: string, t: Json, o: StatusOpts = {}) => cs(name, { terminated: t }, o);

interface PodOpts {
  phase?: string;
  reason?: string;
  deleting?: boolean;
  /** Container names (spec.containers). */
  containers?: string[];
  /** Init containers: a name, or [name, "Always"] for a restartable (sidecar) one. */
  init?: (string | [string, "Always"])[];
  statuses?: Json[];
  initStatuses?: Json[];
  conditions?: [string, string, string?][]; // [type, status, reason]
  gates?: string[];
}
export function pod(o: PodOpts): KubeObject {
  const metadata: Json = { name: "p", namespace: "ns", uid: "u1", creationTimestamp: ago(5 * MIN) };
  if (o.deleting) metadata.deletionTimestamp = ago(MIN);
  const spec: Json = { containers: (o.containers ?? ["app"]).map((name) => ({ name, image: "img" })) };
  if (o.init) {
    spec.initContainers = o.init.map((c) =>
      typeof c === "string" ? { name: c, image: "img" } : { name: c[0], image: "img", restartPolicy: c[1] },
    );
  }
  if (o.gates) spec.readinessGates = o.gates.map((conditionType) => ({ conditionType }));
  const status: Json = { phase: o.phase ?? "Running" };
  if (o.reason) status.reason = o.reason;
  if (o.statuses) status.containerStatuses = o.statuses;
  if (o.initStatuses) status.initContainerStatuses = o.initStatuses;
  if (o.conditions) {
    status.conditions = o.conditions.map(([type, s, reason]) =>
      reason ? { type, status: s, reason } : { type, status: s },
    );
  }
  return { apiVersion: "v1", kind: "Pod", metadata: metadata as KubeObject["metadata"], spec, status };
}

export const readyTrue: [string, string][] = [["Ready", "True"]];

export interface PodCase {
  name: string;
  pod: KubeObject;
  status: string;
  ready?: string;
  restarts?: string;
}

function containerStateCases(): PodCase[] {
  const cases: [string, Json, string][] = [
    ["ContainerCreating", { waiting: { reason: "ContainerCreating" } }, "ContainerCreating"],
    ["CrashLoopBackOff", { waiting: { reason: "CrashLoopBackOff" } }, "CrashLoopBackOff"],
    ["ImagePullBackOff", { waiting: { reason: "ImagePullBackOff" } }, "ImagePullBackOff"],
    ["ErrImagePull", { waiting: { reason: "ErrImagePull" } }, "ErrImagePull"],
    ["CreateContainerConfigError", { waiting: { reason: "CreateContainerConfigError" } }, "CreateContainerConfigError"],
    ["terminated Error", { terminated: { exitCode: 1, reason: "Error" } }, "Error"],
    ["terminated OOMKilled", { terminated: { exitCode: 137, reason: "OOMKilled" } }, "OOMKilled"],
    ["terminated without reason: ExitCode:N", { terminated: { exitCode: 2 } }, "ExitCode:2"],
    ["terminated by a signal without reason: Signal:N", { terminated: { exitCode: 143, signal: 15 } }, "Signal:15"],
    ["waiting without a reason keeps the phase", { waiting: {} }, "Running"],
    ["running but not ready keeps the phase", { running: {} }, "Running"],
  ];
  return cases.map(([name, state, status]) => ({
    name,
    pod: pod({ statuses: [cs("app", state)] }),
    status,
    ready: "0/1",
  }));
}

/** The pod cases in groups; `now` (epoch ms) anchors every timestamp. */
export function podCaseGroups(now: number): { group: string; cases: PodCase[] }[] {
  NOW = now;
  return [
    {
      group: "pod STATUS from phase and pod reason",
      cases: [
        { name: "phase Pending without statuses", pod: pod({ phase: "Pending" }), status: "Pending", ready: "0/1" },
        { name: "phase Failed without statuses", pod: pod({ phase: "Failed" }), status: "Failed" },
        { name: "phase Unknown", pod: pod({ phase: "Unknown" }), status: "Unknown" },
        { name: "phase missing altogether", pod: pod({ phase: "" }), status: "" },
        {
          name: "pod reason Evicted wins over the phase",
          pod: pod({ phase: "Failed", reason: "Evicted" }),
          status: "Evicted",
        },
        { name: "NodeLost without deletion shows the reason", pod: pod({ reason: "NodeLost" }), status: "NodeLost" },
        {
          name: "NodeLost being deleted is Unknown",
          pod: pod({ reason: "NodeLost", deleting: true, statuses: [running("app", { ready: true })] }),
          status: "Unknown",
        },
        {
          name: "SchedulingGated from the PodScheduled condition",
          pod: pod({
            phase: "Pending",
            containers: ["a", "b"],
            conditions: [["PodScheduled", "False", "SchedulingGated"]],
          }),
          status: "SchedulingGated",
          ready: "0/2",
        },
        {
          name: "Unschedulable is not SchedulingGated",
          pod: pod({ phase: "Pending", conditions: [["PodScheduled", "False", "Unschedulable"]] }),
          status: "Pending",
        },
      ],
    },

    {
      group: "pod STATUS from init containers",
      cases: [
        {
          name: "first init container running: Init:0/2",
          pod: pod({
            phase: "Pending",
            init: ["i1", "i2"],
            initStatuses: [running("i1"), waiting("i2", "PodInitializing")],
          }),
          status: "Init:0/2",
          ready: "0/1",
        },
        {
          name: "first done, second running: Init:1/2",
          pod: pod({
            phase: "Pending",
            init: ["i1", "i2"],
            initStatuses: [terminated("i1", { exitCode: 0, reason: "Completed" }), running("i2")],
          }),
          status: "Init:1/2",
        },
        {
          name: "while initializing, restarts of the init containers so far count, with the latest time",
          pod: pod({
            phase: "Pending",
            init: ["i1", "i2", "i3"],
            initStatuses: [
              terminated("i1", { exitCode: 0, reason: "Completed" }, { restarts: 2, lastFinished: 2 * MIN }),
              running("i2", { restarts: 3, lastFinished: 10_000 }),
              waiting("i3", "PodInitializing", { restarts: 7, lastFinished: 1_000 }),
            ],
            statuses: [waiting("app", "PodInitializing", { restarts: 9 })],
          }),
          status: "Init:1/3",
          ready: "0/1",
          restarts: "5 (10s ago)",
        },
        {
          name: "waiting PodInitializing counts as not started: Init:0/1",
          pod: pod({ phase: "Pending", init: ["i1"], initStatuses: [waiting("i1", "PodInitializing")] }),
          status: "Init:0/1",
        },
        {
          name: "waiting without reason: Init:0/1",
          pod: pod({ phase: "Pending", init: ["i1"], initStatuses: [waiting("i1")] }),
          status: "Init:0/1",
        },
        {
          name: "Init:CrashLoopBackOff with init restarts",
          pod: pod({
            phase: "Pending",
            init: ["i1"],
            initStatuses: [waiting("i1", "CrashLoopBackOff", { restarts: 4, lastFinished: 30_000 })],
            statuses: [waiting("app", "PodInitializing")],
          }),
          status: "Init:CrashLoopBackOff",
          restarts: "4 (30s ago)",
        },
        {
          name: "Init:ImagePullBackOff",
          pod: pod({ phase: "Pending", init: ["i1"], initStatuses: [waiting("i1", "ImagePullBackOff")] }),
          status: "Init:ImagePullBackOff",
        },
        {
          name: "Init:Error from the terminated reason",
          pod: pod({
            phase: "Failed",
            init: ["i1"],
            initStatuses: [terminated("i1", { exitCode: 1, reason: "Error" })],
          }),
          status: "Init:Error",
        },
        {
          name: "Init:ExitCode:N without a reason",
          pod: pod({ phase: "Pending", init: ["i1"], initStatuses: [terminated("i1", { exitCode: 3 })] }),
          status: "Init:ExitCode:3",
        },
        {
          name: "Init:Signal:N without a reason",
          pod: pod({ phase: "Pending", init: ["i1"], initStatuses: [terminated("i1", { exitCode: 137, signal: 9 })] }),
          status: "Init:Signal:9",
        },
        {
          name: "a failed init container stops the scan (later ones are not looked at)",
          pod: pod({
            phase: "Pending",
            init: ["i1", "i2"],
            initStatuses: [terminated("i1", { exitCode: 2, reason: "Error" }), waiting("i2", "CrashLoopBackOff")],
          }),
          status: "Init:Error",
        },
        {
          name: "init done, app container waiting PodInitializing: PodInitializing",
          pod: pod({
            phase: "Pending",
            init: ["i1"],
            initStatuses: [terminated("i1", { exitCode: 0, reason: "Completed" })],
            statuses: [waiting("app", "PodInitializing")],
          }),
          status: "PodInitializing",
          ready: "0/1",
        },
        {
          name: "init restarts do not count once initialized",
          pod: pod({
            init: ["i1"],
            initStatuses: [
              terminated("i1", { exitCode: 0, reason: "Completed" }, { restarts: 2, lastFinished: 60 * MIN }),
            ],
            statuses: [running("app", { ready: true })],
            conditions: [["Initialized", "True"], ...readyTrue],
          }),
          status: "Running",
          ready: "1/1",
          restarts: "0",
        },
        {
          name: "Initialized=True overrides a stale init state: containers still counted, STATUS stays Init",
          pod: pod({
            init: ["i1"],
            initStatuses: [running("i1")],
            statuses: [running("app", { ready: true, restarts: 1 })],
            conditions: [["Initialized", "True"], ...readyTrue],
          }),
          status: "Init:0/1",
          ready: "1/1",
          restarts: "1",
        },
      ],
    },

    {
      group: "pod READY/RESTARTS/STATUS with restartable init containers (sidecars)",
      cases: [
        {
          name: "sidecar started and ready counts into READY and does not block Init",
          pod: pod({
            phase: "Pending",
            init: [["proxy", "Always"], "setup"],
            initStatuses: [running("proxy", { started: true, ready: true }), running("setup")],
          }),
          status: "Init:1/2",
          ready: "1/2",
        },
        {
          name: "sidecar not started yet blocks: Init:0/2",
          pod: pod({
            phase: "Pending",
            init: [["proxy", "Always"], "setup"],
            initStatuses: [running("proxy", { started: false }), waiting("setup", "PodInitializing")],
          }),
          status: "Init:0/2",
          ready: "0/2",
        },
        {
          name: "sidecar started but not ready: not counted, Init continues",
          pod: pod({
            phase: "Pending",
            init: [["proxy", "Always"], "setup"],
            initStatuses: [running("proxy", { started: true, ready: false }), running("setup")],
          }),
          status: "Init:1/2",
          ready: "0/2",
        },
        {
          name: "initialized pod: sidecar and app ready; sidecar and app restarts summed, plain init restarts dropped",
          pod: pod({
            init: [["proxy", "Always"], "setup"],
            initStatuses: [
              running("proxy", { started: true, ready: true, restarts: 2, lastFinished: 8 * MIN }),
              terminated("setup", { exitCode: 0, reason: "Completed" }, { restarts: 1, lastFinished: 2 * MIN }),
            ],
            statuses: [running("app", { ready: true, restarts: 3, lastFinished: 20 * MIN })],
            conditions: [["Initialized", "True"], ...readyTrue],
          }),
          status: "Running",
          ready: "2/2",
          restarts: "5 (8m ago)",
        },
        {
          name: "completed job with a sidecar still running: Completed",
          pod: pod({
            phase: "Succeeded",
            init: [["proxy", "Always"]],
            initStatuses: [terminated("proxy", { exitCode: 0, reason: "Completed" }, { started: false })],
            statuses: [terminated("app", { exitCode: 0, reason: "Completed" })],
            conditions: [["Initialized", "True"]],
          }),
          status: "Completed",
          ready: "0/2",
        },
        {
          name: "sidecar restarts while initializing count with the other init restarts",
          pod: pod({
            phase: "Pending",
            init: [["proxy", "Always"], "setup"],
            initStatuses: [
              running("proxy", { started: true, ready: true, restarts: 1, lastFinished: 3 * MIN }),
              waiting("setup", "CrashLoopBackOff", { restarts: 2, lastFinished: 45_000 }),
            ],
          }),
          status: "Init:CrashLoopBackOff",
          ready: "1/2",
          restarts: "3 (45s ago)",
        },
      ],
    },

    {
      group: "pod STATUS from container states",
      cases: [
        ...containerStateCases(),
        {
          name: "phase Succeeded with containers Completed",
          pod: pod({ phase: "Succeeded", statuses: [terminated("app", { exitCode: 0, reason: "Completed" })] }),
          status: "Completed",
          ready: "0/1",
        },
        {
          name: "phase Succeeded without container statuses shows the phase",
          pod: pod({ phase: "Succeeded" }),
          status: "Succeeded",
        },
        {
          name: "all running and ready: Running",
          pod: pod({
            containers: ["a", "b"],
            statuses: [running("a", { ready: true }), running("b", { ready: true })],
            conditions: readyTrue,
          }),
          status: "Running",
          ready: "2/2",
        },
        {
          name: "the first container's problem wins (statuses are scanned backwards)",
          pod: pod({
            containers: ["a", "b"],
            statuses: [waiting("a", "CrashLoopBackOff"), waiting("b", "ImagePullBackOff")],
          }),
          status: "CrashLoopBackOff",
          ready: "0/2",
        },
        {
          name: "one Completed, one running with Ready condition: Running",
          pod: pod({
            containers: ["a", "b"],
            statuses: [terminated("a", { exitCode: 0, reason: "Completed" }), running("b", { ready: true })],
            conditions: readyTrue,
          }),
          status: "Running",
          ready: "1/2",
        },
        {
          name: "one Completed, one running without Ready condition: NotReady",
          pod: pod({
            containers: ["a", "b"],
            statuses: [terminated("a", { exitCode: 0, reason: "Completed" }), running("b", { ready: true })],
            conditions: [["Ready", "False"]],
          }),
          status: "NotReady",
          ready: "1/2",
        },
        {
          name: "readiness gate not passing makes the Ready condition False: NotReady",
          pod: pod({
            containers: ["a", "b"],
            gates: ["example.com/lb"],
            statuses: [terminated("a", { exitCode: 0, reason: "Completed" }), running("b", { ready: true })],
            conditions: [
              ["Ready", "False"],
              ["example.com/lb", "False"],
            ],
          }),
          status: "NotReady",
        },
        {
          name: "one Completed, one failed: the error reason",
          pod: pod({
            phase: "Failed",
            containers: ["a", "b"],
            statuses: [
              terminated("a", { exitCode: 0, reason: "Completed" }),
              terminated("b", { exitCode: 1, reason: "Error" }),
            ],
          }),
          status: "Error",
        },
        {
          name: "first Completed, second failed without reason: ExitCode",
          pod: pod({
            phase: "Failed",
            containers: ["a", "b"],
            statuses: [terminated("a", { exitCode: 0, reason: "Completed" }), terminated("b", { exitCode: 7 })],
          }),
          status: "ExitCode:7",
        },
        {
          name: "Completed beside a running but not ready container stays Completed",
          pod: pod({
            containers: ["a", "b"],
            statuses: [terminated("a", { exitCode: 0, reason: "Completed" }), running("b", { ready: false })],
            conditions: readyTrue,
          }),
          status: "Completed",
        },
      ],
    },

    {
      group: "pod STATUS while deleting",
      cases: [
        {
          name: "running pod being deleted: Terminating",
          pod: pod({ deleting: true, statuses: [running("app", { ready: true })], conditions: readyTrue }),
          status: "Terminating",
          ready: "1/1",
        },
        {
          name: "pending pod with a container problem being deleted: Terminating",
          pod: pod({ phase: "Pending", deleting: true, statuses: [waiting("app", "ImagePullBackOff")] }),
          status: "Terminating",
        },
        {
          name: "succeeded pod being deleted keeps Completed",
          pod: pod({
            phase: "Succeeded",
            deleting: true,
            statuses: [terminated("app", { exitCode: 0, reason: "Completed" })],
          }),
          status: "Completed",
        },
        {
          name: "failed pod being deleted keeps its reason",
          pod: pod({
            phase: "Failed",
            deleting: true,
            statuses: [terminated("app", { exitCode: 1, reason: "Error" })],
          }),
          status: "Error",
        },
      ],
    },

    {
      group: "pod RESTARTS",
      cases: [
        {
          name: "no restarts",
          pod: pod({ statuses: [running("app", { ready: true })] }),
          status: "Running",
          restarts: "0",
        },
        {
          name: "restarts without a last termination time print only the count",
          pod: pod({ statuses: [running("app", { ready: true, restarts: 4 })] }),
          status: "Running",
          restarts: "4",
        },
        {
          name: "restarts with the last termination 5 minutes ago",
          pod: pod({ statuses: [waiting("app", "CrashLoopBackOff", { restarts: 5, lastFinished: 5 * MIN })] }),
          status: "CrashLoopBackOff",
          restarts: "5 (5m ago)",
        },
        {
          name: "summed over containers, the latest termination wins",
          pod: pod({
            containers: ["a", "b", "c"],
            statuses: [
              running("a", { ready: true, restarts: 1, lastFinished: 3 * 24 * 60 * MIN }),
              running("b", { ready: true, restarts: 2, lastFinished: 3 * MIN + 2000 }),
              running("c", { ready: true, restarts: 0 }),
            ],
          }),
          status: "Running",
          ready: "3/3",
          restarts: "3 (3m2s ago)",
        },
      ],
    },
  ];
}
