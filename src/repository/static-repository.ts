// A Repository over fixed rows, everything synced: for tests, benchmarks and UI work without a cluster.
// Rows can be replaced (which emits a change, like the informer repository after a watch event) and loading
// states can be set to show syncing or failing resources.
import type { PodRow } from "../resources/pods.ts";
import type { BaseRow, ResourceType } from "../resources/types.ts";
import type { LoadingStatus, Repository } from "./types.ts";

export interface StaticRepositoryOptions {
  contextName?: string;
  clusterName?: string;
  pods?: readonly PodRow[];
  rows?: Partial<Record<ResourceType, readonly BaseRow[]>>;
  /** Wall clock, for startedAt/syncedAt. */
  now?: () => number;
}

/** Repository order: newest first, then namespace, then name. */
export function compareRows(a: BaseRow, b: BaseRow): number {
  if (a.createdAt !== b.createdAt) return b.createdAt - a.createdAt;
  if (a.namespace !== b.namespace) return a.namespace < b.namespace ? -1 : 1;
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

export class StaticRepository implements Repository {
  readonly contextName: string;
  readonly clusterName: string;
  private readonly rows = new Map<ResourceType, readonly BaseRow[]>();
  private readonly statuses = new Map<ResourceType, LoadingStatus>();
  private readonly listeners = new Set<() => void>();
  private readonly now: () => number;
  stopped = false;

  constructor(options: StaticRepositoryOptions = {}) {
    this.contextName = options.contextName ?? "static";
    this.clusterName = options.clusterName ?? "static";
    this.now = options.now ?? Date.now;
    for (const [type, rows] of Object.entries(options.rows ?? {}) as [ResourceType, BaseRow[]][]) {
      this.putRows(type, rows);
    }
    this.putRows("pods", options.pods ?? []);
  }

  private putRows(type: ResourceType, rows: readonly BaseRow[], alreadySorted = false): void {
    const sorted = alreadySorted ? rows : [...rows].sort(compareRows);
    this.rows.set(type, sorted);
    const now = this.now();
    const previous = this.statuses.get(type);
    this.statuses.set(type, {
      resource: type,
      synced: true,
      count: sorted.length,
      startedAt: previous?.startedAt ?? now,
      syncedAt: previous?.syncedAt ?? now,
      lastContactAt: now,
      ...(previous?.error ? { error: previous.error } : {}),
      ...(previous ? { synced: previous.synced } : {}),
    });
  }

  /**
   * Replaces the rows of a kind and notifies subscribers. Rows are sorted here unless `sorted` says they already are
   * in repository order (then the array is kept as given: callers must not mutate it afterwards).
   */
  setRows(type: ResourceType, rows: readonly BaseRow[], options: { sorted?: boolean } = {}): void {
    this.putRows(type, rows, options.sorted);
    this.emit();
  }

  setPods(pods: readonly PodRow[]): void {
    this.setRows("pods", pods);
  }

  /** Changes a loading state (e.g. `{ synced: false }` or `{ error: "..." }`) and notifies subscribers. */
  setLoadingStatus(type: ResourceType, change: Partial<Omit<LoadingStatus, "resource">>): void {
    const current = this.getLoadingStatus(type);
    const next: LoadingStatus = { ...current, ...change };
    if ("error" in change && change.error === undefined) delete next.error;
    this.statuses.set(type, next);
    this.emit();
  }

  /** Notifies subscribers, as after any cache change. */
  emit(): void {
    for (const listener of [...this.listeners]) listener();
  }

  getLoadingStatus(type: ResourceType): LoadingStatus {
    return this.statuses.get(type) ?? { resource: type, synced: false, count: 0 };
  }

  getAllLoadingStatus(): LoadingStatus[] {
    return [...this.statuses.values()];
  }

  isResourceSynced(type: ResourceType): boolean {
    return this.getLoadingStatus(type).synced;
  }

  getPods(): readonly PodRow[] {
    return this.getRows<PodRow>("pods");
  }

  getRows<Row extends BaseRow = BaseRow>(type: ResourceType): readonly Row[] {
    return (this.rows.get(type) ?? []) as readonly Row[];
  }

  getDeployments(): readonly BaseRow[] {
    return this.getRows("deployments");
  }

  getServices(): readonly BaseRow[] {
    return this.getRows("services");
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get listenerCount(): number {
    return this.listeners.size;
  }

  stop(): void {
    this.stopped = true;
    this.listeners.clear();
  }
}

/** A pod row with plausible defaults; tests override what they care about. */
export function makePod(fields: Partial<PodRow> & Pick<PodRow, "name">): PodRow {
  return {
    namespace: "default",
    uid: `uid-${fields.namespace ?? "default"}-${fields.name}`,
    createdAt: 0,
    ready: "1/1",
    readyCount: 1,
    totalCount: 1,
    status: "Running",
    restarts: 0,
    lastRestartAt: 0,
    node: "node-1",
    ip: "10.0.0.1",
    nominatedNode: "",
    readinessGates: "",
    phase: "Running",
    deleting: false,
    ownerKind: "",
    ownerName: "",
    ...fields,
  };
}

const NAMESPACES = ["default", "kube-system", "monitoring", "payments", "checkout", "search", "ingress-nginx", "data"];
const APPS = ["web", "api", "worker", "cache", "db", "queue", "frontend", "backend", "auth", "metrics", "logger"];
const STATES: [status: string, ready: number, total: number][] = [
  ["Running", 1, 1],
  ["Running", 2, 2],
  ["Running", 1, 2],
  ["Running", 0, 1],
  ["Pending", 0, 1],
  ["ContainerCreating", 0, 1],
  ["CrashLoopBackOff", 0, 1],
  ["Completed", 0, 1],
  ["ImagePullBackOff", 0, 1],
  ["Init:0/2", 0, 1],
  ["Terminating", 1, 1],
];

/**
 * `count` generated pods, deterministic for a given count and `now`: mostly Running, some in every other state,
 * names like deployment pods, spread over nodes and namespaces, ages from seconds to weeks.
 */
export function generatePods(count: number, now: number): PodRow[] {
  const pods: PodRow[] = new Array(count);
  let seed = 12345;
  const rand = () => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed / 0x7fffffff;
  };
  const hash = () =>
    Math.floor(rand() * 0xffffff)
      .toString(36)
      .padStart(5, "0")
      .slice(-5);
  for (let i = 0; i < count; i++) {
    const namespace = NAMESPACES[i % NAMESPACES.length] as string;
    const app = APPS[Math.floor(i / NAMESPACES.length) % APPS.length] as string;
    const state =
      rand() < 0.85
        ? (STATES[Math.floor(rand() * 2)] as (typeof STATES)[0])
        : (STATES[Math.floor(rand() * STATES.length)] as (typeof STATES)[0]);
    const [status, readyCount, totalCount] = state;
    const scheduled = status !== "Pending";
    const restarts = status === "CrashLoopBackOff" ? 1 + Math.floor(rand() * 40) : rand() < 0.1 ? 1 : 0;
    pods[i] = makePod({
      namespace,
      name: `${app}-${i.toString(36)}-${hash()}`,
      uid: `uid-${i}`,
      createdAt: now - Math.floor(rand() * 30 * 24 * 3600 * 1000),
      ready: `${readyCount}/${totalCount}`,
      readyCount,
      totalCount,
      status,
      phase: status === "Completed" ? "Succeeded" : status === "Pending" ? "Pending" : "Running",
      restarts,
      lastRestartAt: restarts > 0 ? now - Math.floor(rand() * 3600 * 1000) : 0,
      node: scheduled ? `node-${(i % 97).toString().padStart(3, "0")}.cluster.internal` : "",
      ip: scheduled ? `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}` : "",
      deleting: status === "Terminating",
    });
  }
  return pods;
}
