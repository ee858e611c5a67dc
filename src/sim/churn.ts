// Churn: a steady, seeded stream of the changes a live cluster makes (pods created, becoming ready or not, restarting,
// crashing, deleted gracefully; rollouts; node heartbeats; the Events those pod changes record; custom resources'
// status changes), driven by an unref'd timer or stepped by tests.
import type { KubeObject } from "../kube/objects.ts";
import { type ClusterExtras, MAX_EVENTS, WIDGETS } from "./extras.ts";
import { type ClusterModel, type PodState, rfc3339, type Workload } from "./generate.ts";
import { Rng } from "./prng.ts";
import type { Store, Version } from "./store.ts";

type Json = Record<string, unknown>;

interface ContainerStatus {
  name: string;
  state: Json;
  lastState: Json;
  ready: boolean;
  restartCount: number;
  started?: boolean;
  containerID?: string;
}

export interface ChurnOptions {
  deleteGraceMs: number;
  schedule: (ms: number, fn: () => void) => NodeJS.Timeout;
  /** Where Events and custom resources come from; without it the churn only changes pods, workloads and nodes. */
  extras?: ClusterExtras;
}

export class Churn {
  private readonly store: Store;
  private readonly model: ClusterModel;
  private readonly rng: Rng;
  private readonly o: ChurnOptions;
  private rate = 0;
  private timer: NodeJS.Timeout | undefined;
  private startedAt = 0;
  private done = 0;
  private uidRng: Rng;
  /** Events kept: the oldest go as new ones come (the API server's event TTL, in count rather than time). */
  private readonly eventLimit: number;

  constructor(store: Store, model: ClusterModel, seed: number, o: ChurnOptions) {
    this.store = store;
    this.model = model;
    this.rng = new Rng(seed ^ 0x5eed);
    this.uidRng = new Rng(seed ^ 0xc0ffee);
    this.o = o;
    this.eventLimit = Math.min(MAX_EVENTS, Math.max(300, (o.extras?.eventKeys.length ?? 0) + 200));
  }

  setRate(eventsPerSecond: number): void {
    this.rate = Math.max(0, eventsPerSecond);
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    if (this.rate === 0) return;
    this.startedAt = performance.now();
    this.done = 0;
    const tick = Math.min(100, Math.max(10, 1000 / this.rate));
    this.timer = setInterval(() => {
      const due = Math.floor(((performance.now() - this.startedAt) * this.rate) / 1000) - this.done;
      this.step(Math.min(due, Math.max(1, this.rate)));
    }, tick);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Makes `n` changes now. */
  step(n: number): void {
    for (let i = 0; i < n; i++) {
      this.done++;
      const action = this.rng.weighted<() => boolean>([
        [() => this.flipReady(), 30],
        [() => this.restart(), 18],
        [() => this.createPod(undefined, "ContainerCreating") !== undefined, 14],
        [() => this.deleteRandomPod(), 14],
        [() => this.crash(), 6],
        [() => this.rollout(), 4],
        [() => this.nodeHeartbeat(), 8],
        [() => this.recover(), 6],
        [() => this.widgetStatus(), 2],
      ]);
      action();
    }
  }

  private randomPod(filter?: (p: KubeObject) => boolean): KubeObject | undefined {
    const k = this.store.kind("pods");
    for (let tries = 0; tries < 8 && k.keys.length > 0; tries++) {
      const e = k.entries.get(k.keys[this.rng.int(0, k.keys.length - 1)]!);
      if (!e || e.cur.buf === null) continue;
      const p = JSON.parse(e.cur.buf.toString()) as KubeObject;
      if (p.metadata?.deletionTimestamp) continue;
      if (!filter || filter(p)) return p;
    }
    return undefined;
  }

  private statuses(p: KubeObject): ContainerStatus[] {
    return ((p.status as Json | undefined)?.containerStatuses as ContainerStatus[] | undefined) ?? [];
  }

  private setReady(p: KubeObject, ready: boolean, at: string): void {
    const status = p.status as Json;
    for (const c of (status.conditions as Json[] | undefined) ?? []) {
      if ((c.type === "Ready" || c.type === "ContainersReady") && (c.status === "True") !== ready) {
        c.status = ready ? "True" : "False";
        c.lastTransitionTime = at;
        if (ready) {
          delete c.reason;
          delete c.message;
        } else c.reason = "ContainersNotReady";
      }
    }
  }

  private isRunning(p: KubeObject): boolean {
    return (p.status as Json | undefined)?.phase === "Running" && this.statuses(p).every((c) => c.state.running);
  }

  private flipReady(): boolean {
    const p = this.randomPod((x) => this.isRunning(x));
    if (!p) return false;
    const cs = this.statuses(p);
    const c = cs[0]!;
    c.ready = !c.ready;
    this.setReady(
      p,
      cs.every((x) => x.ready),
      rfc3339(Date.now()),
    );
    this.store.update("pods", p);
    if (!c.ready) {
      this.podEvent(
        p,
        c.name,
        "Warning",
        "Unhealthy",
        "Readiness probe failed: HTTP probe failed with statuscode: 503",
      );
    }
    return true;
  }

  private restart(): boolean {
    const p = this.randomPod((x) => this.isRunning(x) && (x.spec as Json).restartPolicy === "Always");
    if (!p) return false;
    const now = Date.now();
    const c = this.statuses(p)[0]!;
    const startedAt = (c.state.running as Json).startedAt;
    c.lastState = {
      terminated: {
        exitCode: this.rng.pick([1, 137, 143, 2]),
        reason: this.rng.chance(0.3) ? "OOMKilled" : "Error",
        startedAt,
        finishedAt: rfc3339(now - 1000),
        containerID: c.containerID ?? `containerd://${this.rng.hex(64)}`,
      },
    };
    c.restartCount++;
    c.state = { running: { startedAt: rfc3339(now) } };
    c.containerID = `containerd://${this.rng.hex(64)}`;
    this.store.update("pods", p);
    this.podEvent(p, c.name, "Normal", "Started", `Started container ${c.name}`);
    return true;
  }

  private crash(): boolean {
    const p = this.randomPod((x) => this.isRunning(x) && (x.spec as Json).restartPolicy === "Always");
    if (!p) return false;
    const now = Date.now();
    const c = this.statuses(p)[0]!;
    c.lastState = {
      terminated: {
        exitCode: 1,
        reason: "Error",
        startedAt: (c.state.running as Json).startedAt,
        finishedAt: rfc3339(now),
        containerID: c.containerID,
      },
    };
    c.restartCount++;
    c.ready = false;
    c.started = false;
    c.state = {
      waiting: {
        reason: "CrashLoopBackOff",
        message: `back-off 10s restarting failed container=${c.name} pod=${p.metadata?.name}_${p.metadata?.namespace}(${p.metadata?.uid})`,
      },
    };
    this.setReady(p, false, rfc3339(now));
    this.store.update("pods", p);
    this.podEvent(
      p,
      c.name,
      "Warning",
      "BackOff",
      `Back-off restarting failed container ${c.name} in pod ${p.metadata?.name}_${p.metadata?.namespace}(${p.metadata?.uid})`,
    );
    return true;
  }

  private recover(): boolean {
    const p = this.randomPod((x) =>
      this.statuses(x).some((c) => (c.state.waiting as Json | undefined)?.reason === "CrashLoopBackOff"),
    );
    if (!p) return false;
    const now = rfc3339(Date.now());
    for (const c of this.statuses(p)) {
      if (c.state.waiting) {
        c.state = { running: { startedAt: now } };
        c.ready = true;
        c.started = true;
      }
    }
    this.setReady(p, true, now);
    this.store.update("pods", p);
    return true;
  }

  private workloadIn(namespace: string | undefined, kinds: Workload["kind"][]): Workload | undefined {
    const ws = this.model.workloads.filter(
      (w) => kinds.includes(w.kind) && (namespace === undefined || w.namespace === namespace),
    );
    return ws.length ? this.rng.pick(ws) : undefined;
  }

  /** A new pod of a Deployment; a ContainerCreating one becomes Running a moment later. */
  createPod(namespace: string | undefined, state: PodState): KubeObject | undefined {
    const w =
      this.workloadIn(namespace, ["Deployment"]) ??
      this.workloadIn(namespace, ["StatefulSet", "DaemonSet", "Job"]) ??
      this.workloadIn(undefined, ["Deployment"]);
    if (!w) return undefined;
    let pod: KubeObject;
    for (let attempt = 0; ; attempt++) {
      pod = this.model.makePod(
        w,
        w.kind === "StatefulSet" ? w.podsMade + attempt : this.rng.int(0, 1000),
        state,
        Date.now(),
      );
      if (!this.store.get("pods", pod.metadata!.namespace!, pod.metadata!.name!)) break;
    }
    // What the workload's pods share pays off only when many are made at once (the bulk load): kept for every workload
    // the churn made a pod for, it came to ~26 KB a workload, most of the simulator's heap growth under churn.
    w.cache = undefined;
    this.store.create("pods", pod);
    const nodeName = (pod.spec as Json | undefined)?.nodeName;
    if (nodeName) {
      const m = pod.metadata!;
      this.podEvent(
        pod,
        undefined,
        "Normal",
        "Scheduled",
        `Successfully assigned ${m.namespace}/${m.name} to ${nodeName}`,
      );
    }
    if (state === "ContainerCreating") {
      const ns = pod.metadata!.namespace!;
      const name = pod.metadata!.name!;
      this.o.schedule(this.rng.int(500, 3000), () => this.start(ns, name));
    }
    return pod;
  }

  private start(ns: string, name: string): void {
    const p = this.store.getObject("pods", ns, name);
    if (!p || p.metadata?.deletionTimestamp) return;
    const now = rfc3339(Date.now());
    const status = p.status as Json;
    status.phase = "Running";
    for (const c of this.statuses(p)) {
      c.state = { running: { startedAt: now } };
      c.ready = true;
      c.started = true;
      c.containerID = `containerd://${this.rng.hex(64)}`;
    }
    for (const c of (status.conditions as Json[] | undefined) ?? []) {
      c.status = "True";
      c.lastTransitionTime = now;
      delete c.reason;
      delete c.message;
    }
    this.store.update("pods", p);
    const first = this.statuses(p)[0]?.name;
    if (first) this.podEvent(p, first, "Normal", "Started", `Started container ${first}`);
  }

  private deleteRandomPod(): boolean {
    const p = this.randomPod();
    if (!p) return false;
    const grace = (p.spec as Json).terminationGracePeriodSeconds as number | undefined;
    this.terminate(p.metadata!.namespace!, p.metadata!.name!, grace ?? 30, this.o.deleteGraceMs);
    const first = this.statuses(p)[0]?.name;
    if (first) this.podEvent(p, first, "Normal", "Killing", `Stopping container ${first}`);
    return true;
  }

  /** Records an Event about a pod (kubelet's, or the scheduler's without a container), dropping the oldest Event
   * once there are `eventLimit`. */
  private podEvent(p: KubeObject, container: string | undefined, type: string, reason: string, message: string): void {
    const extras = this.o.extras;
    const m = p.metadata;
    if (!extras || !m?.name || !m.namespace) return;
    const now = Date.now();
    const node = (p.spec as Json | undefined)?.nodeName as string | undefined;
    const involved = {
      kind: "Pod",
      name: m.name,
      uid: m.uid ?? "",
      apiVersion: "v1",
      ...(container ? { fieldPath: `spec.containers{${container}}` } : {}),
    };
    const component = container ? "kubelet" : "default-scheduler";
    const [resource, obj] = extras.event(
      m.namespace,
      involved,
      type,
      reason,
      message,
      component,
      container ? node : undefined,
      now,
      now,
      1,
    );
    try {
      this.store.create(resource, obj);
    } catch {
      // Two events about one object in the same nanosecond-named slot: drop the second, as a rate-limited recorder would.
      extras.eventKeys.pop();
      return;
    }
    while (extras.eventKeys.length > this.eventLimit) {
      const key = extras.eventKeys.shift()!;
      const slash = key.indexOf("/");
      const ns = key.slice(0, slash);
      const name = key.slice(slash + 1);
      if (this.store.get("events", ns, name)) this.store.delete("events", ns, name);
    }
  }

  /** A Widget's controller reports progress: its phase and ready count move on. */
  private widgetStatus(): boolean {
    const keys = this.o.extras?.widgetKeys;
    if (!keys?.length || !this.store.kinds.has(WIDGETS)) return false;
    const key = keys[this.rng.int(0, keys.length - 1)]!;
    const slash = key.indexOf("/");
    const w = this.store.getObject(WIDGETS, key.slice(0, slash), key.slice(slash + 1));
    if (!w) return false;
    const size = ((w.spec as Json | undefined)?.size as number | undefined) ?? 1;
    const phase = this.rng.weighted<string>([
      ["Ready", 5],
      ["Provisioning", 2],
      ["Degraded", 1],
    ]);
    const ready = phase === "Ready" ? size : this.rng.int(0, Math.max(0, size - 1));
    w.status = { ...((w.status as Json | undefined) ?? {}), phase, ready: `${ready}/${size}` };
    this.store.update(WIDGETS, w);
    return true;
  }

  /** Graceful deletion: deletionTimestamp now + grace, then removal after `removeAfterMs` (and `onGone`, for the
   * controller that waits for it). */
  terminate(
    ns: string,
    name: string,
    graceSeconds: number,
    removeAfterMs: number,
    onGone?: () => void,
  ): Version | undefined {
    const p = this.store.getObject("pods", ns, name);
    if (!p) return undefined;
    p.metadata!.deletionTimestamp = rfc3339(Date.now() + graceSeconds * 1000);
    (p.metadata as Json).deletionGracePeriodSeconds = graceSeconds;
    const v = this.store.update("pods", p);
    const uid = p.metadata!.uid;
    this.o.schedule(removeAfterMs, () => {
      const cur = this.store.getObject("pods", ns, name);
      if (cur && cur.metadata?.uid === uid) this.store.delete("pods", ns, name);
      onGone?.();
    });
    return v;
  }

  private rollout(): boolean {
    const w = this.workloadIn(undefined, ["Deployment"]);
    if (!w) return false;
    const d = this.store.getObject("deployments", w.namespace, w.name);
    if (!d) return false;
    const meta = d.metadata as Json;
    meta.generation = ((meta.generation as number) ?? 1) + 1;
    meta.annotations ??= {};
    const ann = meta.annotations as Record<string, string>;
    ann["deployment.kubernetes.io/revision"] = String(Number(ann["deployment.kubernetes.io/revision"] ?? "1") + 1);
    ((d.spec as Json).template as Json).metadata = {
      ...(((d.spec as Json).template as Json).metadata as Json),
      annotations: { "kubectl.kubernetes.io/restartedAt": rfc3339(Date.now()) },
    };
    (d.status as Json).observedGeneration = meta.generation;
    this.store.update("deployments", d);
    // The ReplicaSet's template follows, so that the deployment controller (controllers.ts) takes this rollout as
    // done rather than rolling every pod the next time it is asked to scale the deployment.
    const rs = this.store.getObject("replicasets", w.namespace, w.ownerName);
    const template = (rs?.spec as Json | undefined)?.template as Json | undefined;
    if (rs && template) {
      const annotations = (((d.spec as Json).template as Json).metadata as Json).annotations;
      template.metadata = { ...((template.metadata as Json | undefined) ?? {}), annotations };
      this.store.update("replicasets", rs);
    }
    return true;
  }

  private nodeHeartbeat(): boolean {
    const k = this.store.kind("nodes");
    if (k.keys.length === 0) return false;
    const n = this.store.getObject("nodes", "", k.keys[this.rng.int(0, k.keys.length - 1)]!);
    if (!n) return false;
    const now = rfc3339(Date.now());
    for (const c of ((n.status as Json).conditions as Json[] | undefined) ?? []) c.lastHeartbeatTime = now;
    this.store.update("nodes", n);
    return true;
  }

  /** Fills what the API server sets on create (uid, creationTimestamp) for objects handed in by tests. */
  complete(_resource: string, obj: KubeObject): KubeObject {
    obj.metadata ??= {};
    obj.metadata.uid ??= this.uidRng.uuid();
    obj.metadata.creationTimestamp ??= rfc3339(Date.now());
    return obj;
  }
}
