// The simulated metrics-server: metrics.k8s.io/v1beta1 PodMetrics and NodeMetrics, as kube-apiserver proxies them
// from the metrics-server APIService. Usage moves as a random walk per container within the pod's requests and
// limits, one step per resolution (15 s like metrics-server, lower for tests), seeded per pod from the simulator's
// seed so that the same cluster at the same step reads the same numbers. Only running pods have metrics, as only
// they are scraped; a node's usage is its pods' plus a fixed system share.
//
// A pod's containers (names, requests, limits) are read from its JSON once per pod template (pods of one ReplicaSet,
// StatefulSet or DaemonSet revision share them: the template hash label says which), and its uid straight from the
// bytes, so that the first poll of 100k pods does not parse 100k pods; later polls cost a walk step and the answer.
import type { KubeObject } from "../kube/objects.ts";
import { podResources } from "../resources/pods.ts";
import type { KindInfo } from "./kinds.ts";
import { Rng } from "./prng.ts";
import { ApiError, badRequest, forbidden } from "./status.ts";
import type { KindStore, Store, Version } from "./store.ts";

/** The kinds the metrics API serves, for discovery (get and list only: the API has no watch). */
export const METRICS_KINDS: readonly KindInfo[] = [
  {
    resource: "pods",
    kind: "PodMetrics",
    group: "metrics.k8s.io",
    version: "v1beta1",
    namespaced: true,
    singular: "",
    shortNames: [],
    categories: [],
    fields: [],
    subresources: [],
  },
  {
    resource: "nodes",
    kind: "NodeMetrics",
    group: "metrics.k8s.io",
    version: "v1beta1",
    namespaced: false,
    singular: "",
    shortNames: [],
    categories: [],
    fields: [],
    subresources: [],
  },
];

/** What the API answers: served ("ok"), not installed ("absent": 404, not in discovery), or its backend down (503). */
export type MetricsAvailability = "ok" | "absent" | "unavailable";

export interface SimMetricsOptions {
  seed: number;
  /** How often usage moves, ms (metrics-server's resolution; default 15 s). The `window` field says it. */
  resolutionMs?: number;
  /** The time of step 0 (default: now). */
  origin?: number;
  /** Default "ok". */
  availability?: MetricsAvailability;
}

/** One container's walk: usage in millicores and bytes, and the bounds it moves in. */
interface ContainerWalk {
  name: string;
  cpu: number;
  mem: number;
  /** Where the walk drifts back to: a container has a typical load it wanders around. */
  cpuBase: number;
  memBase: number;
  cpuLow: number;
  cpuHigh: number;
  memLow: number;
  memHigh: number;
}

/** What a walk needs of one container of a pod's spec. */
interface ContainerBounds {
  name: string;
  cpuRequest: number;
  cpuHigh: number;
  memRequest: number;
  memHigh: number;
}

/** The walk of one pod: which pod it is (a recreated pod starts a new one) and how far it has stepped. */
interface PodWalk {
  uid: string;
  /** The stored version last seen: only a new one can be a recreated pod (the uid is looked for then). */
  version: Version;
  node: string;
  step: number;
  rng: Rng;
  containers: ContainerWalk[];
}

const SYSTEM_CPU_MILLIS = 150;
const SYSTEM_MEM_BYTES = 600 * 1024 * 1024;
/** Steps taken at most per read: after a long quiet spell a pod resumes its walk from where it was. */
const MAX_STEPS_PER_READ = 240;

/** FNV-1a of a string, for per-pod seeds. */
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** metadata.uid of a stored object, read from its bytes (metadata comes first, and a uid is the first "uid" in it). */
function uidOf(buf: Buffer): string {
  const at = buf.indexOf('"uid":"');
  if (at < 0) return "";
  const start = at + 7;
  return buf.toString("latin1", start, buf.indexOf(34, start));
}

function clamp(value: number, low: number, high: number): number {
  return Math.min(Math.max(value, low), high);
}

export class SimMetrics {
  availability: MetricsAvailability;
  readonly resolutionMs: number;
  private readonly store: Store;
  private readonly seed: number;
  private readonly origin: number;
  private readonly walks = new Map<string, PodWalk>();
  /** Containers of a pod template, by namespace and template hash. */
  private readonly templates = new Map<string, ContainerBounds[]>();
  private nodeCache: { step: number; usage: Map<string, { cpu: number; mem: number }> } | undefined;

  constructor(store: Store, options: SimMetricsOptions) {
    this.store = store;
    this.seed = options.seed;
    this.resolutionMs = Math.max(1, options.resolutionMs ?? 15_000);
    this.origin = options.origin ?? Date.now();
    this.availability = options.availability ?? "ok";
  }

  /** The kinds discovery lists: both, unless the API is absent (an unavailable APIService is still listed). */
  kinds(): readonly KindInfo[] {
    return this.availability === "absent" ? [] : METRICS_KINDS;
  }

  private stepAt(now: number): number {
    return Math.max(0, Math.floor((now - this.origin) / this.resolutionMs));
  }

  private timestampOf(step: number): string {
    const iso = new Date(this.origin + step * this.resolutionMs).toISOString();
    // metav1.Time is whole seconds; sub-second resolutions (tests) need the milliseconds to tell samples apart.
    return this.resolutionMs % 1000 === 0 ? iso.replace(/\.\d{3}Z$/, "Z") : iso;
  }

  private windowText(): string {
    return `${this.resolutionMs / 1000}s`;
  }

  /** The walk of a running pod, advanced to `step`; undefined for a pod that has no metrics (not running). */
  private podWalk(pods: KindStore, key: string, step: number): PodWalk | undefined {
    const entry = pods.entries.get(key);
    const v = entry?.cur;
    if (!v?.buf || v.fields["status.phase"] !== "Running") return undefined;
    let walk = this.walks.get(key);
    if (walk === undefined || (walk.version !== v && uidOf(v.buf) !== walk.uid)) {
      walk = this.newWalk(v, step);
      this.walks.set(key, walk);
    }
    walk.version = v;
    walk.node = v.fields["spec.nodeName"] ?? walk.node;
    const steps = Math.min(step - walk.step, MAX_STEPS_PER_READ);
    for (let i = 0; i < steps; i++) this.stepWalk(walk);
    if (step > walk.step) walk.step = step;
    return walk;
  }

  /** The containers of the pod's template (parsed from the first pod of it seen), or of the pod itself. */
  private containersOf(version: Version): ContainerBounds[] {
    const hash = version.labels["pod-template-hash"] ?? version.labels["controller-revision-hash"];
    const namespace = version.fields["metadata.namespace"] ?? "";
    const templateKey = hash === undefined ? undefined : `${namespace}/${hash}`;
    const cached = templateKey === undefined ? undefined : this.templates.get(templateKey);
    if (cached) return cached;
    const pod = JSON.parse(version.buf!.toString()) as KubeObject;
    const spec = pod.spec as Record<string, unknown> | undefined;
    const list = Array.isArray(spec?.containers) ? (spec.containers as Record<string, unknown>[]) : [];
    const containers = list.map((c): ContainerBounds => {
      const r = podResources({ containers: [c] });
      const cpuRequest = r.cpuRequest || 100;
      const memRequest = r.memRequest || 128 * 1024 * 1024;
      return {
        name: typeof c.name === "string" ? c.name : "",
        cpuRequest,
        cpuHigh: r.cpuLimit > 0 ? r.cpuLimit * 1.02 : cpuRequest * 1.6,
        memRequest,
        // A container over its memory limit is OOM-killed: usage stays just under it.
        memHigh: r.memLimit > 0 ? r.memLimit * 0.995 : memRequest * 1.4,
      };
    });
    if (templateKey !== undefined) this.templates.set(templateKey, containers);
    return containers;
  }

  private newWalk(version: Version, step: number): PodWalk {
    const uid = uidOf(version.buf!);
    const rng = new Rng(hash(uid) ^ this.seed);
    const containers: ContainerWalk[] = [];
    for (const c of this.containersOf(version)) {
      // Most containers use a fraction of their CPU request and much of their memory request; a few run hot.
      const cpuBase = c.cpuRequest * (rng.chance(0.05) ? 0.9 + rng.next() * 0.6 : 0.05 + rng.next() * 0.4);
      const memBase = c.memRequest * (rng.chance(0.05) ? 0.85 + rng.next() * 0.15 : 0.3 + rng.next() * 0.5);
      containers.push({
        name: c.name,
        cpu: cpuBase,
        mem: memBase,
        cpuBase,
        memBase,
        cpuLow: Math.max(0.5, c.cpuRequest * 0.02),
        cpuHigh: c.cpuHigh,
        memLow: c.memRequest * 0.2,
        memHigh: c.memHigh,
      });
    }
    return { uid, version, node: "", step, rng, containers };
  }

  private stepWalk(walk: PodWalk): void {
    for (const c of walk.containers) {
      // CPU moves by up to ±25 % a step, memory by up to ±3 % of its ceiling: memory creeps, CPU jumps.
      // A tenth of the way back to the base each step keeps the walk from settling on a bound.
      const cpu = c.cpu * (0.75 + walk.rng.next() * 0.5);
      c.cpu = clamp(cpu + (c.cpuBase - cpu) * 0.1, c.cpuLow, c.cpuHigh);
      const mem = c.mem + (walk.rng.next() - 0.5) * 0.06 * c.memHigh;
      c.mem = clamp(mem + (c.memBase - mem) * 0.1, c.memLow, c.memHigh);
    }
  }

  /** Forgets walks of pods that are gone (called per list of all pods). */
  private sweep(pods: KindStore): void {
    for (const key of this.walks.keys()) if (!pods.entries.get(key)?.cur.buf) this.walks.delete(key);
  }

  private podItem(key: string, walk: PodWalk, step: number): Record<string, unknown> {
    const slash = key.indexOf("/");
    return {
      metadata: {
        name: key.slice(slash + 1),
        namespace: key.slice(0, slash),
        creationTimestamp: this.timestampOf(step),
        labels: {},
      },
      timestamp: this.timestampOf(step),
      window: this.windowText(),
      containers: walk.containers.map((c) => ({
        name: c.name,
        usage: { cpu: `${Math.round(c.cpu * 1e6)}n`, memory: `${Math.round(c.mem / 1024)}Ki` },
      })),
    };
  }

  private nodeUsage(step: number): Map<string, { cpu: number; mem: number }> {
    if (this.nodeCache?.step === step) return this.nodeCache.usage;
    const pods = this.store.kind("pods");
    const usage = new Map<string, { cpu: number; mem: number }>();
    for (const key of pods.keys) {
      const walk = this.podWalk(pods, key, step);
      if (!walk) continue;
      let u = usage.get(walk.node);
      if (!u) {
        u = { cpu: 0, mem: 0 };
        usage.set(walk.node, u);
      }
      for (const c of walk.containers) {
        u.cpu += c.cpu;
        u.mem += c.mem;
      }
    }
    this.sweep(pods);
    this.nodeCache = { step, usage };
    return usage;
  }

  /**
   * A LIST of PodMetrics (namespace "" = all) or NodeMetrics, `limit` items a page from the key after `continueToken`.
   * Throws ApiErrors: 404 when absent, 503 when unavailable, 403 when `deny` names the resource
   * ("pods.metrics.k8s.io").
   */
  list(
    resource: string,
    namespace: string,
    query: { limit: number; continueToken: string | undefined; user: string; deny: readonly string[] },
    now = Date.now(),
  ): string {
    const kind = METRICS_KINDS.find((k) => k.resource === resource);
    if (!kind || this.availability === "absent") {
      throw new ApiError({
        kind: "Status",
        apiVersion: "v1",
        metadata: {},
        status: "Failure",
        message: "the server could not find the requested resource",
        reason: "NotFound",
        details: {},
        code: 404,
      });
    }
    if (this.availability === "unavailable") {
      // What kube-apiserver answers when the APIService's backend does not.
      throw new ApiError({
        kind: "Status",
        apiVersion: "v1",
        metadata: {},
        status: "Failure",
        message: "the server is currently unable to handle the request",
        reason: "ServiceUnavailable",
        details: {},
        code: 503,
      });
    }
    if (query.deny.includes(`${resource}.metrics.k8s.io`)) throw forbidden(kind, "list", query.user, namespace);
    const step = this.stepAt(now);
    let start = "";
    if (query.continueToken) {
      try {
        start = (JSON.parse(Buffer.from(query.continueToken, "base64url").toString()) as { start: string }).start;
      } catch {
        throw badRequest("invalid continue token");
      }
      if (typeof start !== "string" || start === "") throw badRequest("invalid continue token");
    }
    const items: Record<string, unknown>[] = [];
    const limit = query.limit > 0 ? query.limit : Number.POSITIVE_INFINITY;
    let next: string | undefined;
    if (resource === "nodes") {
      const usage = this.nodeUsage(step);
      const nodes = this.store.kind("nodes");
      for (let i = start ? nodes.lowerBound(start) : 0; i < nodes.keys.length; i++) {
        const key = nodes.keys[i]!;
        if (!nodes.entries.get(key)?.cur.buf) continue;
        if (items.length >= limit) {
          next = key;
          break;
        }
        const u = usage.get(key) ?? { cpu: 0, mem: 0 };
        items.push({
          metadata: { name: key, creationTimestamp: this.timestampOf(step), labels: {} },
          timestamp: this.timestampOf(step),
          window: this.windowText(),
          usage: {
            cpu: `${Math.round((u.cpu + SYSTEM_CPU_MILLIS) * 1e6)}n`,
            memory: `${Math.round((u.mem + SYSTEM_MEM_BYTES) / 1024)}Ki`,
          },
        });
      }
    } else {
      const pods = this.store.kind("pods");
      const prefix = namespace ? `${namespace}/` : "";
      const from = start || prefix;
      for (let i = from ? pods.lowerBound(from) : 0; i < pods.keys.length; i++) {
        const key = pods.keys[i]!;
        if (prefix && !key.startsWith(prefix)) break;
        const walk = this.podWalk(pods, key, step);
        if (!walk) continue;
        if (items.length >= limit) {
          next = key;
          break;
        }
        items.push(this.podItem(key, walk, step));
      }
      if (!namespace && !start) this.sweep(pods);
    }
    const metadata: Record<string, unknown> = {};
    if (next !== undefined) metadata.continue = Buffer.from(JSON.stringify({ start: next })).toString("base64url");
    return JSON.stringify({
      kind: resource === "nodes" ? "NodeMetricsList" : "PodMetricsList",
      apiVersion: "metrics.k8s.io/v1beta1",
      metadata,
      items,
    });
  }
}
