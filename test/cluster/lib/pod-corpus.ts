// Pods in every state kubectl's STATUS/READY/RESTARTS rules distinguish, as a kubelet (or the node lifecycle
// controller) would write them: a spec created through the API, then a status written through the status subresource,
// then for some a DELETE that a finalizer holds (deletionTimestamp set, object kept).
//
// `expect` is what kubectl is meant to print for the entry: it checks that the corpus reaches the state it is named for
// (the oracle test compares Timoneiro with kubectl, and that alone would pass on a corpus of identical pods).
import { createNamespace, createNode, createPod, deletePod, type Json, patchPodStatus, rfc3339 } from "./api.ts";
import { type Api, EXTERNAL, NO_SCHEDULER } from "./target.ts";

export interface CorpusPod {
  name: string;
  spec: Json;
  metadata?: Json;
  /** Written through the status subresource after the create (absent: the server's initial Pending status). */
  status?: (at: Times) => Json;
  /** DELETE after the status is written (the pod must carry a finalizer to stay). */
  delete?: boolean;
  expect: { ready: string; status: string; restarts?: RegExp };
  /** Why the entry is left out on an external cluster (absent: it is written there too). */
  notExternal?: string;
}

/** Timestamps relative to when the corpus is written. */
export interface Times {
  now: string;
  ago: (seconds: number) => string;
}

export const CORPUS_FINALIZER = "timoneiro.test/hold";

const IMAGE = "registry.example/app:1";
const c = (name: string, extra: Json = {}): Json => ({ name, image: IMAGE, ...extra });
const onNode = (extra: Json = {}): Json => ({ nodeName: "node-a", containers: [c("app")], ...extra });

function cond(at: Times, type: string, status: "True" | "False", reason?: string): Json {
  return { type, status, lastTransitionTime: at.now, ...(reason !== undefined && { reason }) };
}

/** The usual conditions of a started pod; `ready` decides Ready and ContainersReady. */
function conditions(at: Times, ready: boolean, initialized = true): Json[] {
  return [
    cond(at, "Initialized", initialized ? "True" : "False"),
    cond(at, "Ready", ready ? "True" : "False"),
    cond(at, "ContainersReady", ready ? "True" : "False"),
    cond(at, "PodScheduled", "True"),
  ];
}

function status(name: string, state: Json, extra: Json = {}): Json {
  return { name, image: IMAGE, imageID: "", ready: false, started: false, restartCount: 0, state, ...extra };
}

const running = (name: string, at: Times, extra: Json = {}) =>
  status(name, { running: { startedAt: at.now } }, { ready: true, started: true, ...extra });
const waiting = (name: string, reason: string, extra: Json = {}) => status(name, { waiting: { reason } }, extra);
const terminated = (name: string, at: Times, exitCode: number, reason?: string, extra: Json = {}) =>
  status(
    name,
    {
      terminated: {
        exitCode,
        ...(reason !== undefined && { reason }),
        startedAt: at.ago(60),
        finishedAt: at.ago(30),
      },
    },
    extra,
  );
/** lastState of a container that restarted, last finishing `seconds` ago. */
const restarted = (at: Times, count: number, seconds: number): Json => ({
  restartCount: count,
  lastState: {
    terminated: { exitCode: 1, reason: "Error", startedAt: at.ago(seconds + 5), finishedAt: at.ago(seconds) },
  },
});

function runningPod(at: Times, ip: string, containers: Json[], ready = true, extra: Json = {}): Json {
  return {
    phase: "Running",
    podIP: ip,
    hostIP: "192.168.0.10",
    startTime: at.ago(600),
    conditions: conditions(at, ready),
    containerStatuses: containers,
    ...extra,
  };
}

export const CORPUS: CorpusPod[] = [
  {
    name: "running",
    spec: onNode(),
    status: (at) => runningPod(at, "10.244.0.10", [running("app", at)]),
    expect: { ready: "1/1", status: "Running", restarts: /^0$/ },
  },
  {
    name: "pending-unscheduled",
    spec: { containers: [c("app")] },
    expect: { ready: "0/1", status: "Pending", restarts: /^0$/ },
  },
  {
    name: "nominated",
    spec: { containers: [c("app")] },
    status: (at) => ({
      phase: "Pending",
      nominatedNodeName: "node-b",
      conditions: [cond(at, "PodScheduled", "False", "Unschedulable")],
    }),
    expect: { ready: "0/1", status: "Pending" },
  },
  {
    name: "scheduling-gated",
    spec: { containers: [c("app")], schedulingGates: [{ name: "timoneiro.test/wait" }] },
    expect: { ready: "0/1", status: "SchedulingGated" },
  },
  {
    name: "container-creating",
    spec: onNode(),
    status: (at) => ({
      phase: "Pending",
      hostIP: "192.168.0.10",
      startTime: at.now,
      conditions: conditions(at, false),
      containerStatuses: [waiting("app", "ContainerCreating")],
    }),
    expect: { ready: "0/1", status: "ContainerCreating" },
  },
  {
    name: "crashloop",
    spec: onNode(),
    status: (at) => runningPod(at, "10.244.0.11", [waiting("app", "CrashLoopBackOff", restarted(at, 5, 182))], false),
    expect: { ready: "0/1", status: "CrashLoopBackOff", restarts: /^5 \(3m\d+s ago\)$/ },
  },
  {
    name: "image-pull-backoff",
    spec: onNode(),
    status: (at) => ({
      phase: "Pending",
      startTime: at.now,
      conditions: conditions(at, false),
      containerStatuses: [waiting("app", "ImagePullBackOff")],
    }),
    expect: { ready: "0/1", status: "ImagePullBackOff" },
  },
  {
    name: "err-image-pull",
    spec: onNode(),
    status: (at) => ({
      phase: "Pending",
      startTime: at.now,
      conditions: conditions(at, false),
      containerStatuses: [waiting("app", "ErrImagePull")],
    }),
    expect: { ready: "0/1", status: "ErrImagePull" },
  },
  {
    name: "completed",
    spec: onNode({ restartPolicy: "Never" }),
    status: (at) => ({
      phase: "Succeeded",
      podIP: "10.244.0.12",
      startTime: at.ago(120),
      conditions: conditions(at, false),
      containerStatuses: [terminated("app", at, 0, "Completed")],
    }),
    expect: { ready: "0/1", status: "Completed" },
  },
  {
    name: "error",
    spec: onNode({ restartPolicy: "Never" }),
    status: (at) => ({
      phase: "Failed",
      startTime: at.ago(120),
      conditions: conditions(at, false),
      containerStatuses: [terminated("app", at, 1, "Error")],
    }),
    expect: { ready: "0/1", status: "Error" },
  },
  {
    name: "oomkilled",
    spec: onNode(),
    status: (at) =>
      runningPod(at, "10.244.0.13", [terminated("app", at, 137, "OOMKilled", restarted(at, 2, 7300))], false),
    expect: { ready: "0/1", status: "OOMKilled", restarts: /^2 \(12\dm ago\)$/ },
  },
  {
    name: "exit-code",
    spec: onNode({ restartPolicy: "Never" }),
    status: (at) => ({
      phase: "Failed",
      conditions: conditions(at, false),
      containerStatuses: [terminated("app", at, 3)],
    }),
    expect: { ready: "0/1", status: "ExitCode:3" },
  },
  {
    name: "signal",
    spec: onNode({ restartPolicy: "Never" }),
    status: (at) => ({
      phase: "Failed",
      conditions: conditions(at, false),
      containerStatuses: [
        status("app", { terminated: { exitCode: 137, signal: 9, startedAt: at.ago(60), finishedAt: at.ago(30) } }),
      ],
    }),
    expect: { ready: "0/1", status: "Signal:9" },
  },
  {
    name: "evicted",
    spec: onNode(),
    status: (at) => ({
      phase: "Failed",
      reason: "Evicted",
      message: "The node was low on resource: memory.",
      startTime: at.ago(3600),
      conditions: [cond(at, "PodScheduled", "True")],
    }),
    expect: { ready: "0/1", status: "Evicted" },
  },
  {
    name: "init-1-of-2",
    spec: onNode({ initContainers: [c("migrate"), c("warm")] }),
    status: (at) => ({
      phase: "Pending",
      podIP: "10.244.0.14",
      conditions: conditions(at, false, false),
      initContainerStatuses: [terminated("migrate", at, 0, "Completed"), running("warm", at, { ready: false })],
      containerStatuses: [waiting("app", "PodInitializing")],
    }),
    expect: { ready: "0/1", status: "Init:1/2" },
  },
  {
    name: "init-crashloop",
    spec: onNode({ initContainers: [c("migrate")] }),
    status: (at) => ({
      phase: "Pending",
      conditions: conditions(at, false, false),
      initContainerStatuses: [waiting("migrate", "CrashLoopBackOff", restarted(at, 3, 50))],
      containerStatuses: [waiting("app", "PodInitializing")],
    }),
    expect: { ready: "0/1", status: "Init:CrashLoopBackOff", restarts: /^3 \(\d+s ago\)$/ },
  },
  {
    name: "init-error",
    spec: onNode({ initContainers: [c("migrate")], restartPolicy: "Never" }),
    status: (at) => ({
      phase: "Failed",
      conditions: conditions(at, false, false),
      initContainerStatuses: [terminated("migrate", at, 1, "Error")],
      containerStatuses: [waiting("app", "PodInitializing")],
    }),
    expect: { ready: "0/1", status: "Init:Error" },
  },
  {
    name: "init-exit-code",
    spec: onNode({ initContainers: [c("migrate")] }),
    status: (at) => ({
      phase: "Pending",
      conditions: conditions(at, false, false),
      initContainerStatuses: [terminated("migrate", at, 2)],
      containerStatuses: [waiting("app", "PodInitializing")],
    }),
    expect: { ready: "0/1", status: "Init:ExitCode:2" },
  },
  {
    name: "pod-initializing",
    spec: onNode({ initContainers: [c("migrate")] }),
    status: (at) => ({
      phase: "Pending",
      podIP: "10.244.0.15",
      conditions: conditions(at, false, true),
      initContainerStatuses: [terminated("migrate", at, 0, "Completed")],
      containerStatuses: [waiting("app", "PodInitializing")],
    }),
    expect: { ready: "0/1", status: "PodInitializing" },
  },
  {
    name: "sidecar-running",
    spec: onNode({ initContainers: [c("proxy", { restartPolicy: "Always" })] }),
    status: (at) =>
      runningPod(at, "10.244.0.16", [running("app", at)], true, {
        initContainerStatuses: [running("proxy", at, restarted(at, 2, 400))],
      }),
    expect: { ready: "2/2", status: "Running", restarts: /^2 \(6m\d*s? ago\)$/ },
  },
  {
    name: "sidecar-starting",
    spec: onNode({ initContainers: [c("proxy", { restartPolicy: "Always" }), c("migrate")] }),
    status: (at) => ({
      phase: "Pending",
      podIP: "10.244.0.17",
      conditions: conditions(at, false, false),
      initContainerStatuses: [
        running("proxy", at, { ready: false, started: false }),
        waiting("migrate", "PodInitializing"),
      ],
      containerStatuses: [waiting("app", "PodInitializing")],
    }),
    expect: { ready: "0/2", status: "Init:0/2" },
  },
  {
    name: "sidecar-then-init",
    spec: onNode({ initContainers: [c("proxy", { restartPolicy: "Always" }), c("migrate")] }),
    status: (at) => ({
      phase: "Pending",
      podIP: "10.244.0.18",
      conditions: conditions(at, false, false),
      initContainerStatuses: [running("proxy", at), running("migrate", at, { ready: false })],
      containerStatuses: [waiting("app", "PodInitializing")],
    }),
    expect: { ready: "1/2", status: "Init:1/2" },
  },
  {
    name: "readiness-gate-false",
    spec: onNode({ readinessGates: [{ conditionType: "timoneiro.test/lb" }, { conditionType: "timoneiro.test/dns" }] }),
    status: (at) =>
      runningPod(at, "10.244.0.19", [running("app", at)], false, {
        conditions: [
          ...conditions(at, false),
          cond(at, "timoneiro.test/lb", "True"),
          cond(at, "timoneiro.test/dns", "False"),
        ],
      }),
    expect: { ready: "1/1", status: "Running" },
  },
  {
    name: "readiness-gate-true",
    spec: onNode({ readinessGates: [{ conditionType: "timoneiro.test/lb" }] }),
    status: (at) =>
      runningPod(at, "10.244.0.20", [running("app", at)], true, {
        conditions: [...conditions(at, true), cond(at, "timoneiro.test/lb", "True")],
      }),
    expect: { ready: "1/1", status: "Running" },
  },
  {
    name: "not-ready",
    spec: onNode({ containers: [c("job"), c("app")] }),
    status: (at) => runningPod(at, "10.244.0.21", [terminated("job", at, 0, "Completed"), running("app", at)], false),
    expect: { ready: "1/2", status: "NotReady" },
  },
  {
    name: "completed-next-to-running-ready",
    spec: onNode({ containers: [c("job"), c("app")] }),
    status: (at) => runningPod(at, "10.244.0.22", [terminated("job", at, 0, "Completed"), running("app", at)], true),
    expect: { ready: "1/2", status: "Running" },
  },
  {
    name: "completed-next-to-failed",
    spec: onNode({ containers: [c("job"), c("app")] }),
    status: (at) =>
      runningPod(at, "10.244.0.23", [terminated("job", at, 0, "Completed"), terminated("app", at, 2, "Error")], false),
    // The first container's "Completed" gives way to the other's failure.
    expect: { ready: "0/2", status: "Error" },
  },
  {
    name: "two-containers-restarts",
    spec: onNode({ containers: [c("web"), c("log")] }),
    status: (at) =>
      runningPod(at, "10.244.0.24", [
        running("web", at, restarted(at, 1, 90)),
        running("log", at, restarted(at, 2, 30)),
      ]),
    expect: { ready: "2/2", status: "Running", restarts: /^3 \(\d+s ago\)$/ },
  },
  {
    name: "dual-stack",
    spec: onNode(),
    status: (at) =>
      runningPod(at, "10.244.0.25", [running("app", at)], true, {
        podIPs: [{ ip: "10.244.0.25" }, { ip: "fd00:10:244::25" }],
      }),
    expect: { ready: "1/1", status: "Running" },
  },
  {
    name: "terminating",
    notExternal:
      "a pod being deleted that no node holds is force-failed and removed by the pod garbage collector of a real cluster (phase Failed: no longer Terminating)",
    spec: onNode(),
    metadata: { finalizers: [CORPUS_FINALIZER] },
    status: (at) => runningPod(at, "10.244.0.26", [running("app", at)]),
    delete: true,
    expect: { ready: "1/1", status: "Terminating" },
  },
  {
    name: "terminating-unscheduled",
    notExternal:
      "a pod being deleted that no node holds is force-failed and removed by the pod garbage collector of a real cluster (phase Failed: no longer Terminating)",
    spec: { containers: [c("app")] },
    metadata: { finalizers: [CORPUS_FINALIZER] },
    delete: true,
    expect: { ready: "0/1", status: "Terminating" },
  },
  {
    name: "completed-being-deleted",
    spec: onNode({ restartPolicy: "Never" }),
    metadata: { finalizers: [CORPUS_FINALIZER] },
    status: (at) => ({
      phase: "Succeeded",
      conditions: conditions(at, false),
      containerStatuses: [terminated("app", at, 0, "Completed")],
    }),
    delete: true,
    expect: { ready: "0/1", status: "Completed" },
  },
  {
    name: "node-lost",
    notExternal:
      "a pod being deleted that no node holds is force-failed and removed by the pod garbage collector of a real cluster (phase Failed: no longer Terminating)",
    spec: onNode({ nodeName: "node-b" }),
    metadata: { finalizers: [CORPUS_FINALIZER] },
    status: (at) =>
      runningPod(at, "10.244.1.10", [running("app", at)], true, {
        reason: "NodeLost",
        message: "Node node-b which was running pod node-lost is unresponsive",
      }),
    delete: true,
    expect: { ready: "1/1", status: "Unknown" },
  },
  {
    name: "phase-unknown",
    spec: onNode({ nodeName: "node-b" }),
    status: () => ({ phase: "Unknown" }),
    expect: { ready: "0/1", status: "Unknown" },
  },
];

/** The entries written in this run: all of them on the fixture, those without `notExternal` on an external cluster. */
export function corpusHere(corpus = CORPUS): CorpusPod[] {
  return EXTERNAL ? corpus.filter((pod) => pod.notExternal === undefined) : corpus;
}

/**
 * On an external cluster the pods stay unscheduled (no nodeName, a scheduler name no scheduler serves), so that no
 * kubelet, scheduler or pod garbage collector rewrites the status the corpus gives them; no node is created there.
 */
function placed(spec: Json): Json {
  if (!EXTERNAL) return spec;
  const { nodeName: _, ...rest } = spec;
  return rest.schedulingGates ? rest : { ...rest, schedulerName: NO_SCHEDULER };
}

/**
 * Creates nodes node-a and node-b (fixture only), the namespace, and every corpus pod of this run in it
 * (corpusHere()). Returns the entries written, once all are.
 */
export async function writeCorpus(cluster: Api, namespace: string, corpus = CORPUS): Promise<CorpusPod[]> {
  const written = corpusHere(corpus);
  if (!EXTERNAL) {
    await createNode(cluster, "node-a");
    await createNode(cluster, "node-b");
  }
  await createNamespace(cluster, namespace);
  const base = Date.now();
  const at: Times = { now: rfc3339(new Date(base)), ago: (seconds) => rfc3339(new Date(base - seconds * 1000)) };
  for (const pod of written) {
    await createPod(cluster, namespace, {
      apiVersion: "v1",
      kind: "Pod",
      metadata: { name: pod.name, labels: { corpus: "true" }, ...pod.metadata },
      spec: placed(pod.spec),
    });
    if (pod.status) await patchPodStatus(cluster, namespace, pod.name, pod.status(at));
    if (pod.delete) await deletePod(cluster, namespace, pod.name);
  }
  return written;
}
