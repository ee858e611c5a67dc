// A Repository over fixed rows, everything synced: for tests, benchmarks and UI work without a cluster.
// Rows can be replaced (which emits a change, like the informer repository after a watch event) and loading
// states can be set to show syncing or failing resources. hold() starts nothing; it counts holders per query so
// that tests can check what a view keeps running.

import type { ApiKind } from "../kube/kinds.ts";
import { resolveKind } from "../kube/resolve.ts";
import type { RowList } from "../kube/sorted-rows.ts";
import { NO_USAGE, type PodRow } from "../resources/pods.ts";
import { searchFieldsOf, withSearchText } from "../resources/search.ts";
import type { BaseRow, Column, ResourceType } from "../resources/types.ts";
import type { AccessCheck } from "./access.ts";
import { builtinApiKinds, builtinDefOf } from "./kinds.ts";
import type { KindsStatus, LoadingStatus, Repository, RowQuery, UsageSeries } from "./types.ts";

export interface StaticRepositoryOptions {
  contextName?: string;
  clusterName?: string;
  /** The session's one namespace (-n). */
  namespace?: string;
  pods?: readonly PodRow[];
  /** Rows per kind, under any name resolve() accepts ("deployments", "deploy", "deployments.apps"). */
  rows?: Partial<Record<ResourceType, readonly BaseRow[]>>;
  /** Kinds besides the built-in ones (a CRD shown through its Table), with their columns. */
  extraKinds?: readonly { kind: ApiKind; columns?: readonly Column<BaseRow>[] }[];
  /** Wall clock, for startedAt/syncedAt. */
  now?: () => number;
}

/** Repository order: newest first, then namespace, then name. */
export function compareRows(a: BaseRow, b: BaseRow): number {
  if (a.createdAt !== b.createdAt) return b.createdAt - a.createdAt;
  if (a.namespace !== b.namespace) return a.namespace < b.namespace ? -1 : 1;
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

const EMPTY: readonly BaseRow[] = Object.freeze([]);

export class StaticRepository implements Repository {
  readonly contextName: string;
  readonly clusterName: string;
  readonly namespace: string | undefined;
  private readonly allKinds: readonly ApiKind[];
  private readonly extraColumns = new Map<string, readonly Column<BaseRow>[]>();
  private readonly rowsByKind = new Map<string, readonly BaseRow[]>();
  private readonly statusByKind = new Map<string, LoadingStatus>();
  /** Filtered views by query, valid while their kind's rows array is `source`. */
  private readonly views = new Map<string, { source: readonly BaseRow[]; rows: readonly BaseRow[] }>();
  private readonly holdCounts = new Map<string, number>();
  private readonly listeners = new Set<() => void>();
  private readonly now: () => number;
  private kindsState: KindsStatus = { source: "builtin", loading: false };
  stopped = false;

  constructor(options: StaticRepositoryOptions = {}) {
    this.contextName = options.contextName ?? "static";
    this.clusterName = options.clusterName ?? "static";
    this.namespace = options.namespace;
    this.now = options.now ?? Date.now;
    this.allKinds = [...builtinApiKinds(), ...(options.extraKinds ?? []).map((extra) => extra.kind)];
    for (const extra of options.extraKinds ?? []) {
      if (extra.columns) this.extraColumns.set(extra.kind.key, extra.columns);
    }
    for (const [type, rows] of Object.entries(options.rows ?? {})) {
      if (rows) this.putRows(type, rows);
    }
    this.putRows("pods", options.pods ?? []);
  }

  /** The kind key of a name; names that resolve to nothing are kept as given (tests may use any). */
  private keyOf(name: string): string {
    return resolveKind(this.allKinds, name)?.key ?? name;
  }

  private putRows(type: ResourceType, rows: readonly BaseRow[], alreadySorted = false): void {
    const key = this.keyOf(type);
    // The filter text, as the informer repository adds it at ingest: given rows are ours from here on.
    const fields = searchFieldsOf(key);
    for (const row of rows) if (row.haystack === undefined && !Object.isFrozen(row)) withSearchText(row, fields);
    const sorted = alreadySorted ? rows : [...rows].sort(compareRows);
    this.rowsByKind.set(key, sorted);
    const now = this.now();
    const previous = this.statusByKind.get(key);
    this.statusByKind.set(key, {
      resource: key,
      synced: true,
      count: sorted.length,
      startedAt: previous?.startedAt ?? now,
      syncedAt: previous?.syncedAt ?? now,
      lastContactAt: now,
      ...(previous?.error ? { error: previous.error } : {}),
      ...(previous?.refused ? { refused: true } : {}),
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
    const key = this.keyOf(type);
    const current = this.statusByKind.get(key) ?? { resource: key, synced: false, count: 0 };
    const next: LoadingStatus = { ...current, ...change };
    if ("error" in change && change.error === undefined) delete next.error;
    if ("refused" in change && change.refused === undefined) delete next.refused;
    this.statusByKind.set(key, next);
    this.emit();
  }

  /** A static row's usage as a one-sample series (rows made with cpuUsage/memUsage have one; others none). */
  metrics(kind: string, namespace: string, name: string): UsageSeries | undefined {
    const key = this.keyOf(kind);
    if (key !== "pods" && key !== "nodes") return undefined;
    const row = this.rowsByKind.get(key)?.find((r) => r.name === name && r.namespace === namespace) as
      | { cpuUsage?: number; memUsage?: number }
      | undefined;
    if (row?.cpuUsage === undefined || row.cpuUsage < 0 || row.memUsage === undefined) return undefined;
    const timestamp = this.now();
    return {
      current: { timestamp, cpuMillis: row.cpuUsage, memoryBytes: row.memUsage },
      timestamps: Float64Array.of(timestamp),
      cpuMillis: Float32Array.of(row.cpuUsage),
      memoryBytes: Float32Array.of(row.memUsage),
    };
  }

  /** Sets what kindsStatus() says (e.g. a discovery failure) and notifies subscribers. */
  setKindsStatus(status: KindsStatus): void {
    this.kindsState = status;
    this.emit();
  }

  /** Notifies subscribers, as after any cache change. */
  emit(): void {
    for (const listener of [...this.listeners]) listener();
  }

  kinds(): readonly ApiKind[] {
    return this.allKinds;
  }

  resolve(name: string): ApiKind | undefined {
    return resolveKind(this.allKinds, name);
  }

  kindsStatus(): KindsStatus {
    return this.kindsState;
  }

  hold(query: RowQuery): () => void {
    const key = this.holdKey(query);
    this.holdCounts.set(key, (this.holdCounts.get(key) ?? 0) + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = (this.holdCounts.get(key) ?? 1) - 1;
      if (left > 0) this.holdCounts.set(key, left);
      else this.holdCounts.delete(key);
    };
  }

  /**
   * Unreleased holds of the informer behind `query`: queries that share one (same kind, namespace and selector;
   * owners and node are filters over it) count together, as in the informer repository.
   */
  holders(query: RowQuery): number {
    return this.holdCounts.get(this.holdKey(query)) ?? 0;
  }

  /** Unreleased holds of every query together. */
  get holdCount(): number {
    let total = 0;
    for (const n of this.holdCounts.values()) total += n;
    return total;
  }

  private holdKey(query: RowQuery): string {
    return JSON.stringify([this.keyOf(query.kind), query.namespace ?? null, query.labelSelector ?? null]);
  }

  list(query: RowQuery): RowList<BaseRow> {
    return this.rows(query);
  }

  rows(query: RowQuery): readonly BaseRow[] {
    const key = this.keyOf(query.kind);
    const all = this.rowsByKind.get(key);
    if (!all) return EMPTY;
    const { namespace, owners, node, labelSelector } = query;
    if (namespace === undefined && owners === undefined && node === undefined && labelSelector === undefined) {
      return all;
    }
    const viewKey = JSON.stringify([key, namespace ?? null, owners ?? null, node ?? null, labelSelector ?? null]);
    const cached = this.views.get(viewKey);
    if (cached?.source === all) return cached.rows;
    const ownerSet = owners && new Set(owners);
    const selector = labelSelector !== undefined ? parseSelector(labelSelector) : undefined;
    const rows = Object.freeze(
      all.filter(
        (row) =>
          (namespace === undefined || row.namespace === namespace) &&
          (ownerSet === undefined || ownerSet.has(ownerKey(row))) &&
          (node === undefined || (row as { node?: unknown }).node === node) &&
          (selector === undefined || selector((row as { labels?: Record<string, string> }).labels ?? {})),
      ),
    );
    this.views.set(viewKey, { source: all, rows });
    return rows;
  }

  columns(kind: string): readonly Column<BaseRow>[] | undefined {
    const key = this.keyOf(kind);
    return (builtinDefOf(key)?.columns as readonly Column<BaseRow>[] | undefined) ?? this.extraColumns.get(key);
  }

  status(query: RowQuery): LoadingStatus {
    const key = this.keyOf(query.kind);
    return this.statusByKind.get(key) ?? { resource: key, synced: false, count: 0 };
  }

  statuses(): readonly LoadingStatus[] {
    const all = [...this.statusByKind.values()];
    return [...all.filter((s) => s.resource === "pods"), ...all.filter((s) => s.resource !== "pods")];
  }

  getLoadingStatus(type: ResourceType): LoadingStatus {
    return this.status({ kind: type });
  }

  getAllLoadingStatus(): LoadingStatus[] {
    return [...this.statuses()];
  }

  isResourceSynced(type: ResourceType): boolean {
    return this.getLoadingStatus(type).synced;
  }

  getPods(): readonly PodRow[] {
    return this.getRows<PodRow>("pods");
  }

  getRows<Row extends BaseRow = BaseRow>(type: ResourceType): readonly Row[] {
    return (this.rowsByKind.get(this.keyOf(type)) ?? EMPTY) as readonly Row[];
  }

  getDeployments(): readonly BaseRow[] {
    return this.getRows("deployments");
  }

  getServices(): readonly BaseRow[] {
    return this.getRows("services");
  }

  /** A static repository has no server to refuse anything: every action is offered. */
  can(_check: AccessCheck): boolean | undefined {
    return true;
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

/** "namespace/Kind/name" of a row's controller, "" when none (as the informer repository's owner index). */
function ownerKey(row: BaseRow): string {
  const owned = row as { ownerKind?: string; ownerName?: string };
  return owned.ownerKind ? `${row.namespace}/${owned.ownerKind}/${owned.ownerName ?? ""}` : "";
}

/**
 * An equality-based label selector ("app=web,tier!=db,env,!canary") as a predicate over a row's labels; set-based
 * terms (`in`, `notin`) are not needed by the views that use static data.
 */
function parseSelector(selector: string): (labels: Record<string, string>) => boolean {
  const terms = selector
    .split(",")
    .map((term) => term.trim())
    .filter(Boolean)
    .map((term): ((labels: Record<string, string>) => boolean) => {
      const notEqual = term.indexOf("!=");
      if (notEqual > 0) {
        const [k, v] = [term.slice(0, notEqual).trim(), term.slice(notEqual + 2).trim()];
        return (labels) => labels[k] !== v;
      }
      const equal = term.indexOf("=");
      if (equal > 0) {
        const k = term.slice(0, equal).trim();
        const v = term.slice(term[equal + 1] === "=" ? equal + 2 : equal + 1).trim();
        return (labels) => labels[k] === v;
      }
      if (term.startsWith("!")) {
        const k = term.slice(1).trim();
        return (labels) => !(k in labels);
      }
      return (labels) => term in labels;
    });
  return (labels) => terms.every((matches) => matches(labels));
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
    cpuRequest: 0,
    cpuLimit: 0,
    memRequest: 0,
    memLimit: 0,
    cpuUsage: NO_USAGE,
    memUsage: NO_USAGE,
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
