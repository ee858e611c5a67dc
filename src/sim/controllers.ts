// The controllers behind the simulator's write verbs, in the small: the deployment controller (a ReplicaSet per pod
// template, the new one scaled up as the old ones are scaled down), the ReplicaSet, StatefulSet (ordinals, one pod at
// a time, pods recreated one by one on a template change), DaemonSet (a pod per node, recreated one by one) and Job
// (a pod, then Complete) controllers, a scheduler that skips cordoned and tainted nodes, the kubelet's Pending →
// Running, and the garbage collector's Background, Foreground and Orphan deletion of dependents.
//
// They act only on what a write asked for (kick): the churn's own changes (random pod deletions, fake rollouts) stay
// as they were, so that a still or churning simulated cluster is not reshaped behind the tests' backs.
import type { KubeObject } from "../kube/objects.ts";
import type { Churn } from "./churn.ts";
import { type ClusterModel, isReady, rfc3339 } from "./generate.ts";
import { jsonEqual } from "./patch.ts";
import { budget, budgetStatus, selectorMatches } from "./pdb.ts";
import { Rng } from "./prng.ts";
import type { Store } from "./store.ts";

type Json = Record<string, unknown>;

/** How a deletion treats the object's dependents (metav1.DeletionPropagation). */
export type Propagation = "Background" | "Foreground" | "Orphan";

export interface ControllerOptions {
  store: Store;
  churn: Churn;
  model: ClusterModel;
  schedule: (ms: number, fn: () => void) => NodeJS.Timeout;
  /** How long a deleted pod stays Terminating (the server's deleteGraceMs). */
  deleteGraceMs: number;
  seed: number;
}

/** Resources a controller here reconciles. */
const CONTROLLED = new Set(["deployments", "replicasets", "statefulsets", "daemonsets", "jobs", "pods"]);

/** The resource of an owner reference's kind. */
const RESOURCE_OF_KIND: Record<string, string> = {
  Deployment: "deployments",
  ReplicaSet: "replicasets",
  StatefulSet: "statefulsets",
  DaemonSet: "daemonsets",
  Job: "jobs",
  CronJob: "cronjobs",
};

/** Where dependents are looked for: the kinds the sim's objects own. */
const DEPENDENT_KINDS = ["replicasets", "pods", "jobs", "controllerrevisions", "endpointslices"];

/** A pass over the dirty objects every this many ms, and pod start-up and a job's run take about this long. */
const PASS_MS = 150;
const START_MS = 500;
const JOB_RUN_MS = 1200;

interface OwnerRef {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  controller?: boolean;
  blockOwnerDeletion?: boolean;
}

function ownerRefs(o: KubeObject): OwnerRef[] {
  return ((o.metadata as Json | undefined)?.ownerReferences as OwnerRef[] | undefined) ?? [];
}

function controllerOf(o: KubeObject): OwnerRef | undefined {
  return ownerRefs(o).find((r) => r.controller);
}

function labelsOf(o: KubeObject): Record<string, string> {
  return (o.metadata?.labels as Record<string, string> | undefined) ?? {};
}

function spec(o: KubeObject): Json {
  o.spec ??= {};
  return o.spec as Json;
}

function status(o: KubeObject): Json {
  o.status ??= {};
  return o.status as Json;
}

function meta(o: KubeObject): Json {
  o.metadata ??= {};
  return o.metadata as Json;
}

const SAFE = "bcdfghjklmnpqrstvwxz2456789";

/** A pod-template-hash as the deployment controller makes one: FNV-32a of the template, in rand.SafeEncodeString's
 * alphabet (the text hashed here is the template's canonical JSON rather than Go's dump, so values differ). */
export function templateHash(template: unknown): string {
  const text = JSON.stringify(withoutHashLabel(template));
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  let out = "";
  for (const c of String(h)) out += SAFE[c.charCodeAt(0) % SAFE.length];
  return out;
}

/** A template without the pod-template-hash label its ReplicaSet adds, key order aside, for comparing templates. */
function withoutHashLabel(template: unknown): unknown {
  const t = structuredClone((template ?? {}) as Json);
  const m = (t.metadata ?? {}) as Json;
  const labels = { ...((m.labels as Record<string, string> | undefined) ?? {}) };
  delete labels["pod-template-hash"];
  t.metadata = { ...m, labels };
  delete (t.metadata as Json).creationTimestamp;
  return t;
}

function sameTemplate(a: unknown, b: unknown): boolean {
  return jsonEqual(withoutHashLabel(a), withoutHashLabel(b));
}

/** `labels.SelectorFromSet(matchLabels).String()`: what a Scale's status.selector says. */
export function selectorString(selector: unknown): string {
  const ml = ((selector as Json | undefined)?.matchLabels as Record<string, string> | undefined) ?? {};
  return Object.keys(ml)
    .sort()
    .map((k) => `${k}=${ml[k]}`)
    .join(",");
}

export class Controllers {
  private readonly o: ControllerOptions;
  private readonly rng: Rng;
  private readonly dirty = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  /** Pods this sim started and has not yet seen through start-up or (jobs) completion: keyed ns/name → uid. */
  private readonly starting = new Map<string, string>();
  /** Pods this sim made or was asked to place that found no node: ns/name. */
  private readonly waiting = new Set<string>();

  constructor(o: ControllerOptions) {
    this.o = o;
    this.rng = new Rng(o.seed ^ 0xc0471);
  }

  private get store(): Store {
    return this.o.store;
  }

  /** Runs `fn` after `ms`; an exception is reported, not thrown out of the timer (which would end the server). */
  private later(ms: number, fn: () => void): NodeJS.Timeout {
    return this.o.schedule(ms, () => {
      try {
        fn();
      } catch (e) {
        process.stderr.write(`sim: controllers: ${(e as Error).stack ?? e}\n`);
      }
    });
  }

  /** Asks the controller of `resource` to look at ns/name soon (and again until it has nothing left to do). */
  kick(resource: string, ns: string, name: string): void {
    if (!CONTROLLED.has(resource)) return;
    this.dirty.add(`${resource} ${ns} ${name}`);
    this.timer ??= this.later(PASS_MS, () => this.pass());
  }

  /** Asks a pod's controller (and through it the workload above) to look again. */
  private kickOwner(o: KubeObject): void {
    const ref = controllerOf(o);
    const resource = ref && RESOURCE_OF_KIND[ref.kind];
    if (resource) this.kick(resource, (o.metadata?.namespace as string | undefined) ?? "", ref.name);
  }

  private pass(): void {
    this.timer = undefined;
    const todo = [...this.dirty];
    this.dirty.clear();
    for (const item of todo) {
      const [resource, ns, name] = item.split(" ") as [string, string, string];
      const obj = this.store.getObject(resource, ns, name);
      if (!obj) continue;
      let again = false;
      try {
        again = this.reconcile(resource, obj);
      } catch (e) {
        // A timer's exception would end the whole server: say it and let the next write try again.
        process.stderr.write(`sim: ${resource} controller, ${ns}/${name}: ${(e as Error).stack ?? e}\n`);
      }
      if (again) this.kick(resource, ns, name);
    }
  }

  /** One look of `resource`'s controller at `obj`; true when it wants another look soon. */
  private reconcile(resource: string, obj: KubeObject): boolean {
    switch (resource) {
      case "deployments":
        return this.deployment(obj);
      case "replicasets":
        return this.replicaSet(obj);
      case "statefulsets":
        return this.statefulSet(obj);
      case "daemonsets":
        return this.daemonSet(obj);
      case "jobs":
        return this.job(obj);
      case "pods":
        return this.schedulePod(obj);
      default:
        return false;
    }
  }

  /** Objects of `resource` in `ns` controlled by (or, with `any`, owned by) the object with `uid`. */
  dependents(resource: string, ns: string, uid: string, any = false): KubeObject[] {
    const ks = this.store.kinds.get(resource);
    if (!ks) return [];
    const out: KubeObject[] = [];
    const prefix = ks.info.namespaced ? `${ns}/` : "";
    for (let i = ks.lowerBound(prefix); i < ks.keys.length; i++) {
      const key = ks.keys[i]!;
      if (!key.startsWith(prefix)) break;
      const buf = ks.entries.get(key)?.cur.buf;
      // Most objects do not mention the uid at all: skip them before parsing.
      if (!buf?.includes(uid)) continue;
      const o = JSON.parse(buf.toString()) as KubeObject;
      if (ownerRefs(o).some((r) => r.uid === uid && (any || r.controller))) out.push(o);
    }
    return out;
  }

  // ---- the scheduler and the kubelet ----

  /** Names of the nodes a new pod may go to: not cordoned, Ready, without a NoSchedule/NoExecute taint. */
  private schedulableNodes(): string[] {
    const ks = this.store.kind("nodes");
    const out: string[] = [];
    for (const key of ks.keys) {
      const buf = ks.entries.get(key)?.cur.buf;
      if (!buf) continue;
      const n = JSON.parse(buf.toString()) as KubeObject;
      const s = (n.spec ?? {}) as { unschedulable?: boolean; taints?: { effect: string }[] };
      if (s.unschedulable) continue;
      if ((s.taints ?? []).some((t) => t.effect === "NoSchedule" || t.effect === "NoExecute")) continue;
      const ready = (
        (n.status as Json | undefined)?.conditions as { type: string; status: string }[] | undefined
      )?.find((c) => c.type === "Ready");
      if (ready && ready.status !== "True") continue;
      out.push(n.metadata!.name!);
    }
    return out;
  }

  private nodeIp(node: string): string {
    const n = this.store.getObject("nodes", "", node);
    const addr = ((n?.status as Json | undefined)?.addresses as { type: string; address: string }[] | undefined)?.find(
      (a) => a.type === "InternalIP",
    );
    return addr?.address ?? "10.0.0.1";
  }

  /** A new pod of `owner` from its pod template, on `node` (Pending and unschedulable without one). */
  private podFromTemplate(
    owner: KubeObject,
    template: Json,
    name: { name?: string; generateName?: string },
    node: string | undefined,
    extraLabels: Record<string, string>,
    extraSpec: Json = {},
  ): KubeObject {
    const tm = (template.metadata ?? {}) as Json;
    const ts = structuredClone((template.spec ?? {}) as Json);
    const om = owner.metadata!;
    const podName = name.name ?? `${name.generateName}${this.rng.suffix(5)}`;
    const now = Date.now();
    const containers = (ts.containers as Json[] | undefined) ?? [];
    const m: Json = {
      name: podName,
      ...(name.generateName ? { generateName: name.generateName } : {}),
      namespace: om.namespace,
      uid: this.rng.uuid(),
      creationTimestamp: rfc3339(now),
      labels: { ...((tm.labels as Record<string, string> | undefined) ?? {}), ...extraLabels },
      ...(tm.annotations ? { annotations: { ...(tm.annotations as Json) } } : {}),
      ownerReferences: [
        {
          apiVersion: owner.apiVersion ?? "apps/v1",
          kind: owner.kind ?? "",
          name: om.name,
          uid: om.uid,
          controller: true,
          blockOwnerDeletion: true,
        },
      ],
    };
    const s: Json = {
      restartPolicy: "Always",
      terminationGracePeriodSeconds: 30,
      dnsPolicy: "ClusterFirst",
      schedulerName: "default-scheduler",
      ...ts,
      ...extraSpec,
      ...(node ? { nodeName: node } : {}),
    };
    const cond = (type: string, st: string, reason?: string, message?: string) => ({
      type,
      status: st,
      lastProbeTime: null,
      lastTransitionTime: rfc3339(now),
      ...(reason ? { reason } : {}),
      ...(message ? { message } : {}),
    });
    const st: Json = node
      ? {
          phase: "Pending",
          conditions: [
            cond("PodReadyToStartContainers", "False"),
            cond("Initialized", "True"),
            cond(
              "Ready",
              "False",
              "ContainersNotReady",
              `containers with unready status: [${containers.map((c) => c.name).join(" ")}]`,
            ),
            cond("ContainersReady", "False", "ContainersNotReady"),
            cond("PodScheduled", "True"),
          ],
          hostIP: this.nodeIp(node),
          startTime: rfc3339(now),
          containerStatuses: containers.map((c) => ({
            name: c.name,
            state: { waiting: { reason: "ContainerCreating" } },
            lastState: {},
            ready: false,
            restartCount: 0,
            image: c.image,
            imageID: "",
            started: false,
          })),
          qosClass: "Burstable",
        }
      : {
          phase: "Pending",
          conditions: [cond("PodScheduled", "False", "Unschedulable", this.unschedulableMessage())],
          qosClass: "Burstable",
        };
    return { apiVersion: "v1", kind: "Pod", metadata: m as KubeObject["metadata"], spec: s, status: st };
  }

  private unschedulableMessage(): string {
    const total = this.store.kind("nodes").keys.length;
    return `0/${total} nodes are available: ${total} node(s) were unschedulable. preemption: 0/${total} nodes are available: ${total} Preemption is not helpful for scheduling.`;
  }

  /** Stores a new pod and has the kubelet start it (or, for a job's pod, run it to completion); one without a node
   * waits for one. */
  private createPod(pod: KubeObject): void {
    const m = meta(pod);
    // A generated suffix that is taken is drawn again, as the API server's name generator would be retried.
    while (m.generateName && this.store.get("pods", String(m.namespace), String(m.name))) {
      m.name = `${m.generateName}${this.rng.suffix(5)}`;
    }
    this.store.create("pods", pod);
    if (pod.spec && (pod.spec as Json).nodeName) this.startLater(pod);
    else this.waiting.add(`${pod.metadata!.namespace}/${pod.metadata!.name}`);
  }

  /** A node changed (cordoned, uncordoned): the pods the scheduler here left Pending try again. The generator's own
   * Pending pods (Insufficient cpu) are not among them. */
  nodesChanged(): void {
    for (const key of this.waiting) {
      const slash = key.indexOf("/");
      this.kick("pods", key.slice(0, slash), key.slice(slash + 1));
    }
  }

  private startLater(pod: KubeObject): void {
    const ns = pod.metadata!.namespace!;
    const name = pod.metadata!.name!;
    const uid = pod.metadata!.uid!;
    this.starting.set(`${ns}/${name}`, uid);
    this.later(START_MS + this.rng.int(0, 200), () => this.start(ns, name, uid));
  }

  /** The kubelet has the pod's containers running; a job's pod then runs to completion. */
  private start(ns: string, name: string, uid: string): void {
    const p = this.store.getObject("pods", ns, name);
    if (!p || p.metadata?.uid !== uid || p.metadata?.deletionTimestamp) {
      this.starting.delete(`${ns}/${name}`);
      return;
    }
    const now = rfc3339(Date.now());
    const st = status(p);
    st.phase = "Running";
    const ip = `10.${this.rng.int(100, 120)}.${this.rng.int(0, 255)}.${this.rng.int(2, 250)}`;
    st.podIP = ip;
    st.podIPs = [{ ip }];
    st.hostIPs = [{ ip: st.hostIP }];
    for (const c of (st.containerStatuses as Json[] | undefined) ?? []) {
      c.state = { running: { startedAt: now } };
      c.ready = true;
      c.started = true;
      c.containerID = `containerd://${this.rng.hex(64)}`;
      c.imageID = `${String(c.image).split(":")[0]}@sha256:${this.rng.hex(64)}`;
    }
    for (const c of (st.conditions as Json[] | undefined) ?? []) {
      c.status = "True";
      c.lastTransitionTime = now;
      delete c.reason;
      delete c.message;
    }
    this.store.update("pods", p);
    if (controllerOf(p)?.kind === "Job") {
      this.later(JOB_RUN_MS, () => this.finish(ns, name, uid));
    } else this.starting.delete(`${ns}/${name}`);
    this.kickOwner(p);
  }

  /** A job's pod exits 0. */
  private finish(ns: string, name: string, uid: string): void {
    this.starting.delete(`${ns}/${name}`);
    const p = this.store.getObject("pods", ns, name);
    if (!p || p.metadata?.uid !== uid || p.metadata?.deletionTimestamp) return;
    const now = rfc3339(Date.now());
    const st = status(p);
    st.phase = "Succeeded";
    for (const c of (st.containerStatuses as Json[] | undefined) ?? []) {
      const startedAt = ((c.state as Json).running as Json | undefined)?.startedAt ?? now;
      c.state = {
        terminated: { exitCode: 0, reason: "Completed", startedAt, finishedAt: now, containerID: c.containerID },
      };
      c.ready = false;
      c.started = false;
    }
    for (const c of (st.conditions as Json[] | undefined) ?? []) {
      if (c.type === "Ready" || c.type === "ContainersReady") {
        c.status = "False";
        c.reason = "PodCompleted";
        c.lastTransitionTime = now;
      }
    }
    this.store.update("pods", p);
    this.kickOwner(p);
  }

  /** A pod created without a node (POST pods, or while every node was cordoned) is placed when a node is free. */
  private schedulePod(p: KubeObject): boolean {
    const key = `${p.metadata?.namespace}/${p.metadata?.name}`;
    this.waiting.delete(key);
    if (p.metadata?.deletionTimestamp || this.starting.has(key)) return false;
    const phase = (p.status as Json | undefined)?.phase;
    const bound = (p.spec as Json | undefined)?.nodeName as string | undefined;
    // A pod created already bound to a node (POST with spec.nodeName) skips the scheduler.
    if (bound && phase) return false;
    if (phase && phase !== "Pending") return false;
    const nodes = bound ? [bound] : this.schedulableNodes();
    if (nodes.length === 0) {
      this.waiting.add(key);
      if (!phase) {
        p.status = {
          phase: "Pending",
          conditions: [
            {
              type: "PodScheduled",
              status: "False",
              lastProbeTime: null,
              lastTransitionTime: rfc3339(Date.now()),
              reason: "Unschedulable",
              message: this.unschedulableMessage(),
            },
          ],
          qosClass: "Burstable",
        };
        this.store.update("pods", p);
      }
      return false;
    }
    const node = this.rng.pick(nodes);
    const placed = this.podFromTemplate(
      { apiVersion: "v1", kind: "Pod", metadata: p.metadata },
      { metadata: {}, spec: p.spec },
      { name: p.metadata!.name! },
      node,
      {},
    );
    p.spec = placed.spec;
    p.status = placed.status;
    this.store.update("pods", p);
    this.startLater(p);
    return false;
  }

  /** Gracefully deletes a pod, as its controller or the garbage collector does. */
  private terminate(p: KubeObject): void {
    const m = p.metadata!;
    if (m.deletionTimestamp) return;
    const node = (p.spec as Json | undefined)?.nodeName;
    if (!node) {
      this.store.delete("pods", m.namespace!, m.name!);
      return;
    }
    const grace = ((p.spec as Json).terminationGracePeriodSeconds as number | undefined) ?? 30;
    this.o.churn.terminate(m.namespace!, m.name!, grace, Math.min(grace * 1000, this.o.deleteGraceMs), () =>
      this.kickOwner(p),
    );
  }

  private podsOf(owner: KubeObject): KubeObject[] {
    return this.dependents("pods", owner.metadata!.namespace!, owner.metadata!.uid!);
  }

  private placeNew(
    owner: KubeObject,
    template: Json,
    name: { name?: string; generateName?: string },
    labels: Record<string, string>,
    extraSpec: Json = {},
  ): void {
    const nodes = this.schedulableNodes();
    const node = nodes.length ? this.rng.pick(nodes) : undefined;
    this.createPod(this.podFromTemplate(owner, template, name, node, labels, extraSpec));
  }

  /** Writes `next` as the object's status when it differs (no event for a status that did not change). */
  private setStatus(resource: string, o: KubeObject, next: Json): boolean {
    if (jsonEqual(o.status ?? {}, next)) return false;
    o.status = next;
    this.store.update(resource, o);
    return true;
  }

  /** Keeps the churn's model of a workload in step with what the controllers did (its pods' ReplicaSet, replicas). */
  private syncModel(kind: string, ns: string, name: string, fn: (w: ClusterModel["workloads"][number]) => void): void {
    const w = this.o.model.workloads.find((x) => x.kind === kind && x.namespace === ns && x.name === name);
    if (w) fn(w);
  }

  // ---- the disruption controller ----

  /** What the pods' controllers want (their spec.replicas, once per controller; a pod without one counts 1), the
   * disruption controller's expected count. */
  scaleOfPods(ns: string, pods: readonly KubeObject[]): number {
    const resources: Record<string, string> = { ReplicaSet: "replicasets", StatefulSet: "statefulsets", Job: "jobs" };
    const seen = new Set<string>();
    let n = 0;
    for (const p of pods) {
      const refs = (p.metadata as Json | undefined)?.ownerReferences as
        | { kind: string; name: string; uid: string; controller?: boolean }[]
        | undefined;
      const ref = refs?.find((r) => r.controller);
      const resource = ref && resources[ref.kind];
      const owner = resource ? this.store.getObject(resource, ns, ref.name) : undefined;
      if (!ref || !owner) {
        if (!p.metadata?.deletionTimestamp) n++;
        continue;
      }
      if (seen.has(ref.uid)) continue;
      seen.add(ref.uid);
      const spec = (owner.spec ?? {}) as { replicas?: number; parallelism?: number };
      n += spec.replicas ?? spec.parallelism ?? 1;
    }
    return n;
  }

  /** The objects of `resource` in `ns`, parsed. */
  listIn(resource: string, ns: string): KubeObject[] {
    const ks = this.store.kind(resource);
    const out: KubeObject[] = [];
    const prefix = `${ns}/`;
    for (let i = ks.lowerBound(prefix); i < ks.keys.length; i++) {
      const key = ks.keys[i]!;
      if (!key.startsWith(prefix)) break;
      const buf = ks.entries.get(key)?.cur.buf;
      if (buf) out.push(JSON.parse(buf.toString()) as KubeObject);
    }
    return out;
  }

  /** Recounts the budgets of `ns` after its pods changed (nothing to do in a namespace without one). */
  private refreshBudgets(ns: string): void {
    const ks = this.store.kinds.get("poddisruptionbudgets");
    if (!ks) return;
    const i = ks.lowerBound(`${ns}/`);
    if (!ks.keys[i]?.startsWith(`${ns}/`)) return;
    const pdbs = this.listIn("poddisruptionbudgets", ns);
    if (pdbs.length === 0) return;
    const pods = this.listIn("pods", ns);
    for (const pdb of pdbs) {
      const selector = (pdb.spec as Json | undefined)?.selector;
      const selected = pods.filter((p) => selectorMatches(selector, labelsOf(p)));
      const b = budget(pdb, selected, this.scaleOfPods(ns, selected));
      const prev = (pdb.status ?? {}) as Json;
      // A pod the eviction counted as disrupted stops counting once it is gone.
      const disrupted = Object.fromEntries(
        Object.entries((prev.disruptedPods as Json | undefined) ?? {}).filter(([name]) =>
          selected.some((p) => p.metadata?.name === name && !p.metadata?.deletionTimestamp),
        ),
      );
      const live = { ...b, disruptionsAllowed: Math.max(0, b.disruptionsAllowed - Object.keys(disrupted).length) };
      const next = budgetStatus(live, Number(meta(pdb).generation ?? 1), Date.now(), disrupted);
      // The condition keeps its transition time while its status holds.
      const was = (prev.conditions as Json[] | undefined)?.[0];
      const cond = (next.conditions as Json[])[0]!;
      if (was && was.status === cond.status) next.conditions = [was];
      this.setStatus("poddisruptionbudgets", pdb, next);
    }
  }

  // ---- ReplicaSets ----

  private replicaSet(rs: KubeObject): boolean {
    const m = rs.metadata!;
    const pods = this.podsOf(rs);
    const active = pods.filter(
      (p) =>
        !p.metadata?.deletionTimestamp &&
        !["Succeeded", "Failed"].includes(String((p.status as Json | undefined)?.phase)),
    );
    const want = m.deletionTimestamp ? active.length : Number(spec(rs).replicas ?? 1);
    const template = (spec(rs).template ?? {}) as Json;
    const hash = (m.labels as Record<string, string> | undefined)?.["pod-template-hash"] ?? "";
    if (!m.deletionTimestamp) {
      for (let i = active.length; i < want; i++) {
        this.placeNew(rs, template, { generateName: `${m.name}-` }, hash ? { "pod-template-hash": hash } : {});
      }
      if (active.length > want) {
        // Not ready pods go first, then the newest, as the ReplicaSet controller ranks them.
        const ranked = [...active].sort(
          (a, b) =>
            Number(isReady(a)) - Number(isReady(b)) ||
            String(b.metadata?.creationTimestamp).localeCompare(String(a.metadata?.creationTimestamp)),
        );
        for (const p of ranked.slice(0, active.length - want)) this.terminate(p);
      }
    }
    const now = this.podsOf(rs).filter((p) => !p.metadata?.deletionTimestamp);
    const ready = now.filter(isReady).length;
    this.setStatus("replicasets", rs, {
      replicas: now.length,
      fullyLabeledReplicas: now.length,
      readyReplicas: ready,
      availableReplicas: ready,
      observedGeneration: (m as Json).generation ?? 1,
    });
    this.refreshBudgets(m.namespace!);
    const owner = controllerOf(rs);
    if (owner?.kind === "Deployment") this.kick("deployments", m.namespace!, owner.name);
    return false;
  }

  // ---- Deployments ----

  private deployment(d: KubeObject): boolean {
    const m = d.metadata!;
    if (m.deletionTimestamp) return false;
    const ns = m.namespace!;
    const s = spec(d);
    const desired = Number(s.replicas ?? 1);
    const template = (s.template ?? {}) as Json;
    const all = this.dependents("replicasets", ns, m.uid!).filter((r) => !r.metadata?.deletionTimestamp);
    const revisionOf = (r: KubeObject) =>
      Number(
        (r.metadata?.annotations as Record<string, string> | undefined)?.["deployment.kubernetes.io/revision"] ?? 0,
      );
    // A paused deployment only scales: its newest ReplicaSet stands for the template until it is resumed.
    const paused = s.paused === true;
    let newRs =
      all.find((r) => sameTemplate((r.spec as Json | undefined)?.template, template)) ??
      (paused ? [...all].sort((a, b) => revisionOf(b) - revisionOf(a))[0] : undefined);
    const old = all.filter((r) => r !== newRs);
    const maxRevision = Math.max(0, ...all.map(revisionOf));
    if (!newRs && paused) return false;
    if (!newRs) {
      const hash = templateHash(template);
      const tm = (template.metadata ?? {}) as Json;
      const rsTemplate = {
        ...template,
        metadata: { ...tm, labels: { ...((tm.labels as Json | undefined) ?? {}), "pod-template-hash": hash } },
      };
      const selector = structuredClone((s.selector ?? {}) as Json);
      selector.matchLabels = { ...((selector.matchLabels as Json | undefined) ?? {}), "pod-template-hash": hash };
      newRs = {
        apiVersion: "apps/v1",
        kind: "ReplicaSet",
        metadata: {
          name: `${m.name}-${hash}`,
          namespace: ns,
          uid: this.rng.uuid(),
          generation: 1,
          creationTimestamp: rfc3339(Date.now()),
          labels: { ...((tm.labels as Record<string, string> | undefined) ?? {}), "pod-template-hash": hash },
          annotations: {
            "deployment.kubernetes.io/desired-replicas": String(desired),
            "deployment.kubernetes.io/max-replicas": String(desired + Math.ceil(desired / 4)),
            "deployment.kubernetes.io/revision": String(maxRevision + 1),
          },
          ownerReferences: [
            {
              apiVersion: "apps/v1",
              kind: "Deployment",
              name: m.name!,
              uid: m.uid!,
              controller: true,
              blockOwnerDeletion: true,
            },
          ],
        } as Json as KubeObject["metadata"],
        spec: { replicas: 0, selector, template: rsTemplate },
        status: { replicas: 0, observedGeneration: 1 },
      };
      this.store.create("replicasets", newRs);
      newRs = this.store.getObject("replicasets", ns, newRs.metadata!.name!)!;
      const rsName = newRs.metadata!.name!;
      const rsUid = newRs.metadata!.uid!;
      this.syncModel("Deployment", ns, m.name!, (w) => {
        w.hash = hash;
        w.ownerName = rsName;
        w.ownerUid = rsUid;
        w.rsUid = rsUid;
        w.cache = undefined;
      });
    } else if (old.length > 0 && revisionOf(newRs) <= maxRevision && revisionOf(newRs) !== maxRevision) {
      // A rollback to an older template: that ReplicaSet becomes the newest revision again.
      (newRs.metadata!.annotations as Record<string, string>)["deployment.kubernetes.io/revision"] = String(
        maxRevision + 1,
      );
      this.store.update("replicasets", newRs);
      newRs = this.store.getObject("replicasets", ns, newRs.metadata!.name!)!;
    }
    const newSpec = spec(newRs);
    const newStatus = (newRs.status ?? {}) as Json;
    const oldTotal = old.reduce((n, r) => n + Number(spec(r).replicas ?? 0), 0);
    // One step of a rolling update: the new ReplicaSet grows by a quarter (at least one pod) at a time, and the old
    // ones shrink as the new one's pods become ready, so that for a while both have pods.
    const step = Math.max(1, Math.ceil(desired / 4));
    const target = paused
      ? Math.max(0, desired - oldTotal)
      : oldTotal > 0
        ? Math.min(desired, Number(newSpec.replicas ?? 0) + step)
        : desired;
    let changed = false;
    if (Number(newSpec.replicas ?? 0) !== target) {
      newSpec.replicas = target;
      (newRs.metadata!.annotations as Record<string, string>)["deployment.kubernetes.io/desired-replicas"] =
        String(desired);
      this.store.update("replicasets", newRs);
      this.kick("replicasets", ns, newRs.metadata!.name!);
      changed = true;
    }
    const newReady = Number(newStatus.readyReplicas ?? 0);
    let oldLeft = Math.max(0, Math.min(oldTotal, desired - newReady));
    if (Number(newSpec.replicas) >= desired && newReady >= desired) oldLeft = 0;
    let cut = paused ? 0 : oldTotal - oldLeft;
    for (const r of old.sort((a, b) => revisionOf(a) - revisionOf(b))) {
      const n = Number(spec(r).replicas ?? 0);
      if (cut <= 0 || n === 0) continue;
      const take = Math.min(n, cut);
      spec(r).replicas = n - take;
      cut -= take;
      this.store.update("replicasets", r);
      this.kick("replicasets", ns, r.metadata!.name!);
      changed = true;
    }
    // Status: counts over every ReplicaSet, conditions as the controller words them.
    const sets = this.dependents("replicasets", ns, m.uid!);
    const count = (f: string) => sets.reduce((n, r) => n + Number(((r.status ?? {}) as Json)[f] ?? 0), 0);
    const replicas = count("replicas");
    const ready = count("readyReplicas");
    const available = count("availableReplicas");
    const updated = Number(
      ((this.store.getObject("replicasets", ns, newRs.metadata!.name!)?.status ?? {}) as Json).replicas ?? 0,
    );
    const rolling = sets.some(
      (r) => r.metadata!.uid !== newRs!.metadata!.uid && Number(((r.status ?? {}) as Json).replicas ?? 0) > 0,
    );
    const done = !rolling && updated === desired && available === desired && replicas === desired;
    const maxUnavailable = Math.floor(desired / 4);
    const prev = (d.status ?? {}) as Json;
    const prevConds = (prev.conditions as Json[] | undefined) ?? [];
    const at = rfc3339(Date.now());
    const condition = (type: string, st: string, reason: string, message: string): Json => {
      const was = prevConds.find((c) => c.type === type);
      const same = was && was.status === st && was.reason === reason && was.message === message;
      if (same) return was;
      return {
        type,
        status: st,
        lastUpdateTime: at,
        lastTransitionTime: was && was.status === st ? was.lastTransitionTime : at,
        reason,
        message,
      };
    };
    const availableOk = available >= desired - maxUnavailable;
    const rsName = newRs.metadata!.name!;
    const next: Json = {
      observedGeneration: (m as Json).generation ?? 1,
      replicas,
      updatedReplicas: updated,
      readyReplicas: ready,
      availableReplicas: available,
      ...(replicas - available > 0 ? { unavailableReplicas: replicas - available } : {}),
      conditions: [
        availableOk
          ? condition("Available", "True", "MinimumReplicasAvailable", "Deployment has minimum availability.")
          : condition(
              "Available",
              "False",
              "MinimumReplicasUnavailable",
              "Deployment does not have minimum availability.",
            ),
        paused
          ? condition("Progressing", "Unknown", "DeploymentPaused", "Deployment is paused")
          : done
            ? condition(
                "Progressing",
                "True",
                "NewReplicaSetAvailable",
                `ReplicaSet "${rsName}" has successfully progressed.`,
              )
            : condition("Progressing", "True", "ReplicaSetUpdated", `ReplicaSet "${rsName}" is progressing.`),
      ],
    };
    if (!ready) delete next.readyReplicas;
    if (!available) delete next.availableReplicas;
    const revision = String(revisionOf(this.store.getObject("replicasets", ns, rsName) ?? newRs));
    m.annotations ??= {};
    const ann = m.annotations as Record<string, string>;
    if (ann["deployment.kubernetes.io/revision"] !== revision) {
      ann["deployment.kubernetes.io/revision"] = revision;
      d.status = next;
      this.store.update("deployments", d);
    } else this.setStatus("deployments", d, next);
    this.syncModel("Deployment", ns, m.name!, (w) => {
      w.replicas = desired;
    });
    // Keep stepping while pods come and go; the ReplicaSets' own status changes kick this again too.
    return changed || (!paused && !done && (rolling || updated !== desired));
  }

  // ---- StatefulSets ----

  private statefulSet(sts: KubeObject): boolean {
    const m = sts.metadata!;
    if (m.deletionTimestamp) return false;
    const s = spec(sts);
    const desired = Number(s.replicas ?? 1);
    const st = (sts.status ?? {}) as Json;
    const revision = String(st.updateRevision ?? `${m.name}-${templateHash(s.template)}`);
    const pods = this.podsOf(sts);
    const ordinal = (p: KubeObject) => Number(p.metadata!.name!.slice(m.name!.length + 1));
    const live = pods.filter((p) => !p.metadata?.deletionTimestamp);
    const terminating = pods.some((p) => p.metadata?.deletionTimestamp);
    const busy = terminating || live.some((p) => this.starting.has(`${m.namespace}/${p.metadata!.name}`));
    // One pod at a time (OrderedReady): nothing else happens while one starts or terminates.
    if (!busy) {
      const extra = live.filter((p) => ordinal(p) >= desired).sort((a, b) => ordinal(b) - ordinal(a));
      const have = new Set(live.map(ordinal));
      let missing = -1;
      for (let i = 0; i < desired; i++) {
        if (!have.has(i)) {
          missing = i;
          break;
        }
      }
      const outdated = live
        .filter((p) => ordinal(p) < desired && labelsOf(p)["controller-revision-hash"] !== revision)
        .sort((a, b) => ordinal(b) - ordinal(a));
      if (missing >= 0) {
        const name = `${m.name}-${missing}`;
        this.placeNew(
          sts,
          (s.template ?? {}) as Json,
          { name },
          {
            "controller-revision-hash": revision,
            "statefulset.kubernetes.io/pod-name": name,
            "apps.kubernetes.io/pod-index": String(missing),
          },
          { hostname: name, subdomain: s.serviceName ?? m.name },
        );
      } else if (extra.length > 0) this.terminate(extra[0]!);
      else if (outdated.length > 0) this.terminate(outdated[0]!);
    }
    const now = this.podsOf(sts).filter((p) => !p.metadata?.deletionTimestamp);
    const ready = now.filter(isReady).length;
    const updated = now.filter((p) => labelsOf(p)["controller-revision-hash"] === revision).length;
    const settled =
      now.length === desired && updated === desired && !this.podsOf(sts).some((p) => p.metadata?.deletionTimestamp);
    this.setStatus("statefulsets", sts, {
      observedGeneration: (m as Json).generation ?? 1,
      replicas: now.length,
      readyReplicas: ready,
      currentReplicas: settled ? now.length : now.length - updated,
      updatedReplicas: updated,
      currentRevision: settled ? revision : String(st.currentRevision ?? revision),
      updateRevision: revision,
      collisionCount: 0,
      availableReplicas: ready,
    });
    this.refreshBudgets(m.namespace!);
    if (settled)
      this.syncModel("StatefulSet", m.namespace!, m.name!, (w) => {
        w.replicas = desired;
      });
    return !settled && !busy;
  }

  /** A StatefulSet's pod template changed: its pods are now of a new revision (what the ControllerRevision would be). */
  templateChanged(resource: string, prev: KubeObject, cur: KubeObject): boolean {
    const a = (prev.spec as Json | undefined)?.template;
    const b = (cur.spec as Json | undefined)?.template;
    if (jsonEqual(a, b)) return false;
    if (resource === "statefulsets") {
      status(cur).updateRevision = `${cur.metadata!.name}-${templateHash(b)}`;
    }
    if (resource === "daemonsets") {
      const m = meta(cur);
      m.annotations ??= {};
      (m.annotations as Record<string, string>)["deprecated.daemonset.template.generation"] = String(m.generation ?? 1);
    }
    return true;
  }

  // ---- DaemonSets ----

  private daemonSet(ds: KubeObject): boolean {
    const m = ds.metadata!;
    if (m.deletionTimestamp) return false;
    const s = spec(ds);
    const generation = String(
      (m.annotations as Record<string, string> | undefined)?.["deprecated.daemonset.template.generation"] ??
        (m as Json).generation ??
        1,
    );
    const nodes = this.store.kind("nodes").keys.slice();
    const pods = this.podsOf(ds);
    const live = pods.filter((p) => !p.metadata?.deletionTimestamp);
    const busy =
      pods.some((p) => p.metadata?.deletionTimestamp) ||
      live.some((p) => this.starting.has(`${m.namespace}/${p.metadata!.name}`));
    const onNode = new Map(live.map((p) => [String((p.spec as Json).nodeName), p]));
    if (!busy) {
      const missing = nodes.find((n) => !onNode.has(n));
      const outdated = live.find((p) => labelsOf(p)["pod-template-generation"] !== generation);
      if (missing) {
        const hash = templateHash(s.template);
        const pod = this.podFromTemplate(ds, (s.template ?? {}) as Json, { generateName: `${m.name}-` }, missing, {
          "controller-revision-hash": hash,
          "pod-template-generation": generation,
        });
        this.createPod(pod);
      } else if (outdated) this.terminate(outdated);
    }
    const now = this.podsOf(ds).filter((p) => !p.metadata?.deletionTimestamp);
    const ready = now.filter(isReady).length;
    const updated = now.filter((p) => labelsOf(p)["pod-template-generation"] === generation).length;
    const settled =
      now.length === nodes.length &&
      updated === nodes.length &&
      !this.podsOf(ds).some((p) => p.metadata?.deletionTimestamp);
    this.setStatus("daemonsets", ds, {
      currentNumberScheduled: now.length,
      numberMisscheduled: 0,
      desiredNumberScheduled: nodes.length,
      numberReady: ready,
      observedGeneration: (m as Json).generation ?? 1,
      updatedNumberScheduled: updated,
      numberAvailable: ready,
      ...(now.length - ready > 0 ? { numberUnavailable: nodes.length - ready } : {}),
    });
    return !settled && !busy;
  }

  // ---- Jobs ----

  private job(j: KubeObject): boolean {
    const m = j.metadata!;
    if (m.deletionTimestamp) return false;
    const s = spec(j);
    const st = (j.status ?? {}) as Json;
    const conds = (st.conditions as Json[] | undefined) ?? [];
    if (conds.some((c) => (c.type === "Complete" || c.type === "Failed") && c.status === "True")) return false;
    if (s.suspend === true) return false;
    const pods = this.podsOf(j);
    const succeeded = pods.filter((p) => (p.status as Json | undefined)?.phase === "Succeeded").length;
    const active = pods.filter(
      (p) =>
        !["Succeeded", "Failed"].includes(String((p.status as Json | undefined)?.phase)) &&
        !p.metadata?.deletionTimestamp,
    );
    const completions = Number(s.completions ?? 1);
    const parallelism = Number(s.parallelism ?? 1);
    const now = rfc3339(Date.now());
    if (succeeded + active.length < completions && active.length < parallelism) {
      this.placeNew(j, (s.template ?? {}) as Json, { generateName: `${m.name}-` }, {});
    }
    const next: Json = { ...st, startTime: st.startTime ?? now, terminating: 0, uncountedTerminatedPods: {} };
    const running = this.podsOf(j).filter(
      (p) => !["Succeeded", "Failed"].includes(String((p.status as Json | undefined)?.phase)),
    );
    if (running.length) next.active = running.length;
    else delete next.active;
    next.ready = running.filter(isReady).length;
    if (succeeded) next.succeeded = succeeded;
    if (succeeded >= completions) {
      const cond = (type: string) => ({
        type,
        status: "True",
        lastProbeTime: now,
        lastTransitionTime: now,
        reason: "CompletionsReached",
        message: "Reached expected number of succeeded pods",
      });
      next.conditions = [cond("SuccessCriteriaMet"), cond("Complete")];
      next.completionTime = now;
      delete next.active;
    }
    this.setStatus("jobs", j, next);
    return false;
  }

  // ---- the garbage collector ----

  /** Deletes `obj` (already known to exist) with `policy`; returns the object to answer with (a pod, or an owner kept
   * while its dependents go), or undefined for an owner gone at once. Pods are deleted gracefully with
   * `graceSeconds`. */
  deleteWith(resource: string, obj: KubeObject, policy: Propagation, graceSeconds?: number): KubeObject | undefined {
    const m = obj.metadata!;
    const ns = m.namespace ?? "";
    if (resource === "pods") {
      const grace =
        graceSeconds ?? ((obj.spec as Json | undefined)?.terminationGracePeriodSeconds as number | undefined) ?? 30;
      this.kickOwner(obj);
      if (grace === 0 || !(obj.spec as Json | undefined)?.nodeName) {
        // Gone at once: the answer is its last state, stamped with the deletion's revision.
        return JSON.parse(this.store.delete("pods", ns, m.name!).buf!.toString()) as KubeObject;
      }
      const v = this.o.churn.terminate(ns, m.name!, grace, Math.min(grace * 1000, this.o.deleteGraceMs), () =>
        this.kickOwner(obj),
      );
      return v ? (JSON.parse(v.buf!.toString()) as KubeObject) : undefined;
    }
    this.forget(resource, ns, m.name!);
    if (policy === "Background") {
      this.store.delete(resource, ns, m.name!);
      this.later(PASS_MS, () => this.collect(ns, m.uid!, "Background"));
      return undefined;
    }
    // Foreground and Orphan keep the owner, marked as being deleted, until the collector is done with its dependents.
    const finalizer = policy === "Foreground" ? "foregroundDeletion" : "orphan";
    m.deletionTimestamp = rfc3339(Date.now());
    (m as Json).deletionGracePeriodSeconds = 0;
    (m as Json).finalizers = [...new Set([...(((m as Json).finalizers as string[] | undefined) ?? []), finalizer])];
    this.store.update(resource, obj);
    const finish = () => {
      if (policy === "Orphan") this.orphan(ns, m.uid!);
      else if (this.collect(ns, m.uid!, "Foreground") > 0) return void this.later(PASS_MS, finish);
      const cur = this.store.getObject(resource, ns, m.name!);
      if (!cur || cur.metadata?.uid !== m.uid) return;
      const left = ((meta(cur).finalizers as string[] | undefined) ?? []).filter((f) => f !== finalizer);
      if (left.length > 0) {
        meta(cur).finalizers = left;
        this.store.update(resource, cur);
      } else this.store.delete(resource, ns, m.name!);
    };
    this.later(PASS_MS, finish);
    return this.store.getObject(resource, ns, m.name!);
  }

  /** Deletes the dependents of `uid` (each with `policy`); returns how many are left (still terminating). */
  private collect(ns: string, uid: string, policy: Propagation): number {
    let left = 0;
    for (const resource of DEPENDENT_KINDS) {
      for (const dep of this.dependents(resource, ns, uid, true)) {
        left++;
        if (dep.metadata?.deletionTimestamp) continue;
        this.deleteWith(resource, dep, resource === "pods" ? "Background" : policy);
      }
    }
    return left;
  }

  /** Strips the owner references to `uid` from its dependents, which stay. */
  private orphan(ns: string, uid: string): void {
    for (const resource of DEPENDENT_KINDS) {
      for (const dep of this.dependents(resource, ns, uid, true)) {
        const refs = ownerRefs(dep).filter((r) => r.uid !== uid);
        if (refs.length) (dep.metadata as Json).ownerReferences = refs;
        else delete (dep.metadata as Json).ownerReferences;
        this.store.update(resource, dep);
      }
    }
  }

  /** A workload deleted through the API leaves the churn's model, so that the churn stops adding pods to it. */
  private forget(resource: string, ns: string, name: string): void {
    const kind = { deployments: "Deployment", statefulsets: "StatefulSet", daemonsets: "DaemonSet", jobs: "Job" }[
      resource
    ];
    if (!kind) return;
    const ws = this.o.model.workloads;
    const i = ws.findIndex((w) => w.kind === kind && w.namespace === ns && w.name === name);
    if (i >= 0) ws.splice(i, 1);
  }
}
