// The Repository backed by live cluster data: informers (a Reflector filling a RowStore from LIST + WATCH) started
// on demand for any kind the server serves, keyed by kind, namespace scope and label selector. Every read is served
// from memory.
//
// Pods are the priority informer: startPriority() starts them (and discovery) and resolves when they are synced; they
// are never stopped. Every other informer runs while a view holds it (hold()) and stops `idleStopMs` after the last
// release, freeing its memory. One all-namespaces cache serves every namespace of a kind (a namespace index), except
// for users who may not list a kind cluster-wide: then a held namespace gets an informer of its own.

import { discover } from "../kube/discovery.ts";
import { isAbort, KubeError, oneLine } from "../kube/errors.ts";
import type { ApiKind } from "../kube/kinds.ts";
import { credentialsFor, type KubeconfigOptions, type LoadedKubeconfig, loadKubeconfig } from "../kube/kubeconfig.ts";
import { METRICS_GROUP_VERSION, type MetricsKind, MetricsPoller } from "../kube/metrics.ts";
import type { KubeObject } from "../kube/objects.ts";
import { protobufDecoder } from "../kube/protobuf/index.ts";
import { type ListMode, type ListSource, Reflector, type ReflectorOptions } from "../kube/reflector.ts";
import { resolveKind } from "../kube/resolve.ts";
import { type Indexer, type RowList, RowStore, rowArray } from "../kube/store.ts";
import { TableSource } from "../kube/table.ts";
import { Transport } from "../kube/transport.ts";
import { jsonDecoder, type WireDecoder } from "../kube/wire.ts";
import { write } from "../kube/write.ts";
import type { PodRow } from "../resources/pods.ts";
import { nameSearchFields, type SearchFields, searchFieldsOf, withSearchText } from "../resources/search.ts";
import { tableColumns } from "../resources/table-kind.ts";
import { type BaseRow, type Column, listSourceOf, type ResourceType } from "../resources/types.ts";
import { type AccessCheck, AccessReviews } from "./access.ts";
import { builtinApiKinds, builtinDefOf } from "./kinds.ts";
import { DEFAULT_HISTORY, decorateNode, KindUsage, refreshPodCounts, type UsageSeries } from "./metrics.ts";
import type { KindsStatus, LoadingStatus, Repository, RowQuery } from "./types.ts";

export interface InformerOptions {
  /**
   * Kinds preloaded after pods sync and kept running, as before views held their data (benchmarks, tests). Default:
   * pods only; every other kind starts when a view holds it.
   */
  resources?: ResourceType[];
  /** Watch one namespace only (-n). */
  namespace?: string;
  listMode?: ListMode;
  pageSize?: number;
  /** Wire format for pods (the kind that is large enough to matter); other kinds use JSON. */
  wire?: WireFormat;
  /** Overrides `wire` with a specific decoder for pods (tests). */
  decoder?: WireDecoder;
  idleTimeoutMs?: number;
  /** Live watches are read in batches this far apart (see ReflectorOptions.watchBatchMs; default 0, no batches). */
  watchBatchMs?: number;
  backoff?: ReflectorOptions["backoff"];
  watchTimeoutSeconds?: () => number;
  /** An informer no view holds stops after this long (default 5 minutes). */
  idleStopMs?: number;
  /** A refused informer (403, 404) tries again after this long (default 60 s). */
  refusalRetryMs?: number;
  /**
   * Asks the server which kinds it serves (default: kube/discovery.ts). `false`: the built-in kinds only. Tests may
   * inject their own.
   */
  discover?: false | ((transport: Transport, signal: AbortSignal) => Promise<Discovered>);
  /**
   * Live usage (metrics.k8s.io) for pods and nodes views: samples kept per row (`history`, default 60), the fastest
   * poll allowed (default 1 s; the server's window decides), the retry after a refusal (default 60 s). `false`: none.
   */
  metrics?: false | { history?: number; minIntervalMs?: number; refusalRetryMs?: number };
}

/** One kind's usage: its history, its poller, and the views holding it. */
interface UsageEntry {
  readonly usage: KindUsage;
  readonly poller: MetricsPoller;
  holders: number;
  startedAt: number | undefined;
}

/** How often a held nodes view's PODS column is recounted (when pods or nodes changed). */
const POD_COUNT_INTERVAL_MS = 2000;

/** What discovery answered: the kinds, and group versions it could not read (their kinds are missing). */
export interface Discovered {
  kinds: ApiKind[];
  failed?: readonly { groupVersion: string; error: string }[];
}

/** The default discovery: aggregated, or the legacy documents, as client-go does. */
function serverDiscovery(transport: Transport, signal: AbortSignal): Promise<Discovered> {
  return discover(transport, { signal });
}

/** The kinds that used to load at start-up; a preload list for benchmarks that want today's behaviour. */
export const DEFAULT_RESOURCES: ResourceType[] = [
  "pods",
  "deployments",
  "services",
  "namespaces",
  "statefulsets",
  "daemonsets",
  "replicasets",
  "nodes",
];

const PRIORITY = "pods";
const DEFAULT_IDLE_STOP_MS = 5 * 60_000;
const DEFAULT_REFUSAL_RETRY_MS = 60_000;
/** Filtered views kept per informer (distinct namespace/owner/node queries); the oldest is dropped beyond this. */
const VIEW_CACHE_LIMIT = 64;
const EMPTY: readonly BaseRow[] = Object.freeze([]);

export type WireFormat = "json" | "protobuf";

/** Chosen by measurement against a real kube-apiserver: see BENCHMARKS.md, "Protobuf vs JSON". */
export const DEFAULT_WIRE: WireFormat = "protobuf";

function decoderFor(wire: WireFormat): WireDecoder {
  return wire === "protobuf" ? protobufDecoder : jsonDecoder;
}

/** Fields of rows that know their controller (pods, replica sets, jobs, Table rows). */
interface OwnedRow extends BaseRow {
  ownerKind?: string;
  ownerName?: string;
}

/** "namespace/Kind/name" of a row's controller, "" when it has none: the owner index. */
export function ownerKeyOf(row: BaseRow): string {
  const owned = row as OwnedRow;
  return owned.ownerKind ? `${row.namespace}/${owned.ownerKind}/${owned.ownerName ?? ""}` : "";
}

/** Node of a row that has one (pods), else "". */
function nodeOf(row: BaseRow): string {
  const node = (row as { node?: unknown }).node;
  return typeof node === "string" ? node : "";
}

/** Every kind gets the same indexes: views look rows up by namespace, controller and node. */
const INDEXERS: Record<string, Indexer<BaseRow>> = {
  namespace: (row) => row.namespace,
  owner: ownerKeyOf,
  node: nodeOf,
};

/** How one kind is listed and printed. */
interface KindSource {
  list: ListSource<BaseRow>;
  decoder: WireDecoder;
  listMode: ListMode | undefined;
  /** The columns after NAME; undefined while a Table kind's definitions have not arrived. */
  columns(): readonly Column<BaseRow>[] | undefined;
}

/** One running (or parked) informer and who holds it. */
interface Informer {
  /** kind key, namespace scope and selector: see informerId(). */
  readonly id: string;
  readonly kind: ApiKind;
  readonly namespace: string | undefined;
  readonly labelSelector: string | undefined;
  readonly source: KindSource;
  readonly store: RowStore<BaseRow>;
  /** Replaced after a refusal (a stopped reflector cannot restart); the store is kept across. */
  reflector: Reflector<BaseRow>;
  holders: number;
  /** Never stopped for idleness (pods, preloaded kinds). */
  pinned: boolean;
  idleTimer: NodeJS.Timeout | undefined;
  retryTimer: NodeJS.Timeout | undefined;
  /**
   * Set while a refusal stands: from the refused reflector's failure until a later reflector (the slow retry) syncs.
   * `reflector` is the one that was refused.
   */
  refusal: { error: string; status: number; reflector: Reflector<BaseRow> } | undefined;
  /** Filtered views by filter key, valid while the store's changeCount is `version`. */
  readonly views: Map<string, { version: number; rows: readonly BaseRow[] }>;
  readonly order: number;
}

/** A hold() that has not been released: the informers it keeps. */
interface HoldEntry {
  readonly query: RowQuery;
  readonly held: Set<string>;
}

function informerId(key: string, namespace: string | undefined, labelSelector: string | undefined): string {
  return `${key}\u0000${namespace ?? ""}\u0000${labelSelector ?? ""}`;
}

export class InformerRepository implements Repository {
  readonly contextName: string;
  readonly clusterName: string;
  readonly server: string;
  readonly namespace: string | undefined;
  private readonly transport: Transport;
  private readonly options: InformerOptions;
  private readonly informers = new Map<string, Informer>();
  private readonly holds = new Set<HoldEntry>();
  private readonly listeners = new Set<() => void>();
  private readonly abort = new AbortController();
  private readonly builtins: readonly ApiKind[] = builtinApiKinds();
  private discovered: readonly ApiKind[] | undefined;
  private kindsState: KindsStatus = { source: "builtin", loading: false };
  private discovering: Promise<void> | undefined;
  private lastRediscoverAt = 0;
  private informerCount = 0;
  private priorityStarted = false;
  private readonly usage = new Map<MetricsKind, UsageEntry>();
  /** Namespaces of held pods views, most recent last: where to poll when cluster-wide metrics are forbidden. */
  private readonly usageNamespaces: string[] = [];
  private podCounts: Map<string, number> | undefined;
  private podCountTimer: NodeJS.Timeout | undefined;
  private podCountVersion = "";
  /** Group versions the last discovery could not read ("metrics.k8s.io/v1beta1" when its APIService is down). */
  private failedGroupVersions: ReadonlySet<string> = new Set();
  private notifyQueued = false;
  /** What the user may do (SelfSubjectAccessReviews), for the actions views offer. */
  private readonly access = new AccessReviews(
    (review) =>
      write(this.transport, {
        method: "POST",
        path: "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews",
        body: review,
        verb: "create",
        resource: "selfsubjectaccessreviews",
        group: "authorization.k8s.io",
      }),
    () => this.changed(),
  );
  private stopped = false;

  constructor(
    transport: Transport,
    names: { contextName: string; clusterName: string },
    options: InformerOptions = {},
  ) {
    this.transport = transport;
    this.contextName = names.contextName;
    this.clusterName = names.clusterName;
    this.server = transport.server;
    this.namespace = options.namespace;
    this.options = options;
  }

  /**
   * Builds the repository from a kubeconfig read the way kubectl reads it. Throws one-line KubeErrors for the
   * kubeconfig itself; never contacts the server (startPriority() does), so a dead server cannot make it hang.
   */
  static async fromKubeconfig(config: KubeconfigOptions, options: InformerOptions = {}): Promise<InformerRepository> {
    return await InformerRepository.fromLoaded(loadKubeconfig(config), options);
  }

  /** As fromKubeconfig, from a kubeconfig already read (the CLI reads it once and uses it for its own needs too). */
  static async fromLoaded(loaded: LoadedKubeconfig, options: InformerOptions = {}): Promise<InformerRepository> {
    const transport = await transportFor(loaded);
    return new InformerRepository(
      transport,
      { contextName: loaded.contextName, clusterName: loaded.clusterName },
      {
        ...options,
      },
    );
  }

  // ---- kinds ----

  kinds(): readonly ApiKind[] {
    return this.discovered ?? this.builtins;
  }

  resolve(name: string): ApiKind | undefined {
    return resolveKind(this.kinds(), name);
  }

  /**
   * The kind a query names: as resolve() says, or else the kind of a running informer (a kind discovery no longer
   * lists is still shown, with its status saying so, while a view holds it).
   */
  private kindFor(name: string): ApiKind | undefined {
    const resolved = this.resolve(name);
    if (resolved) return resolved;
    const running = [...new Map([...this.informers.values()].map((i) => [i.kind.key, i.kind])).values()];
    return resolveKind(running, name);
  }

  /** Where kinds() comes from, and why discovery failed if it did. */
  kindsStatus(): KindsStatus {
    return this.kindsState;
  }

  /** Asks discovery again (new CRDs, deleted ones); at most one request at a time. */
  refreshKinds(): Promise<void> {
    const discover = this.options.discover === undefined ? serverDiscovery : this.options.discover;
    if (discover === false || this.stopped) return Promise.resolve();
    this.discovering ??= (async () => {
      this.kindsState = { ...this.kindsState, loading: true };
      this.changed();
      try {
        const answer = await discover(this.transport, this.abort.signal);
        if (this.stopped) return;
        this.discovered = answer.kinds;
        const failed = answer.failed ?? [];
        this.failedGroupVersions = new Set(failed.map((f) => f.groupVersion));
        this.kindsState = {
          source: "discovery",
          loading: false,
          ...(failed.length > 0 && {
            error: `discovery of ${failed.map((f) => f.groupVersion).join(", ")} failed (${failed[0]!.error}); their kinds are missing`,
          }),
        };
      } catch (err) {
        if (this.stopped && isAbort(err)) return;
        this.kindsState = {
          source: this.discovered ? "discovery" : "builtin",
          loading: false,
          error: `discovery failed (${oneLine(err)}); showing ${this.discovered ? "the kinds it listed last" : "built-in kinds only"}`,
        };
      } finally {
        this.discovering = undefined;
      }
      this.kindsChanged();
    })();
    return this.discovering;
  }

  /**
   * Holds of names that only now resolve (a CRD held before discovery answered) start their informers; informers of
   * kinds that discovery no longer lists (a CRD deleted) are parked; kinds that are back restart.
   */
  private kindsChanged(): void {
    for (const entry of this.holds) this.reconcile(entry);
    for (const entry of this.usage.values()) entry.poller.notifyKindsChanged();
    for (const informer of this.informers.values()) {
      if (this.served(informer.kind)) {
        if (informer.refusal?.status === 404 && informer.retryTimer) this.retryNow(informer);
      } else if (!informer.refusal) {
        this.park(informer, 404, this.goneMessage(informer.kind));
      }
    }
    this.changed();
  }

  /** Whether discovery (when it has answered) still lists the kind. */
  private served(kind: ApiKind): boolean {
    if (!this.discovered) return true;
    return this.discovered.some((k) => k.key === kind.key);
  }

  private goneMessage(kind: ApiKind): string {
    return `the server no longer serves ${kind.key}`;
  }

  // ---- start-up ----

  /**
   * Starts pods (then discovery and the preloaded kinds); resolves when pods are synced. Rejects with the pods' error
   * when the first attempt fails with something a retry will not fix (auth, RBAC, TLS, config), or when `signal`
   * aborts (e.g. a startup timeout).
   */
  startPriority(signal?: AbortSignal): Promise<void> {
    const pods = this.priorityInformer();
    if (!this.priorityStarted) {
      this.priorityStarted = true;
      void this.refreshKinds();
      this.startPreloads(pods);
    }
    return new Promise((resolve, reject) => {
      let unsubscribe = () => {};
      let done = false;
      const finish = (err?: Error) => {
        if (done) return;
        done = true;
        unsubscribe();
        signal?.removeEventListener("abort", onAbort);
        if (err) reject(err);
        else resolve();
      };
      const onAbort = () =>
        finish(signal?.reason instanceof Error ? signal.reason : new KubeError("aborted", "aborted"));
      if (signal?.aborted) return onAbort();
      signal?.addEventListener("abort", onAbort, { once: true });
      const check = () => {
        if (this.stopped) return finish(new KubeError("aborted", "pods: stopped before the first sync"));
        const status = pods.reflector.status;
        if (status.synced) return finish();
        const err = pods.reflector.lastError;
        if (status.error !== undefined && err instanceof KubeError && isFatalAtStartup(err)) finish(err);
      };
      unsubscribe = this.subscribe(check);
      check();
    });
  }

  /** The pods informer: all namespaces (or -n), pinned. */
  private priorityInformer(): Informer {
    const kind = this.kindFor(PRIORITY) ?? this.builtins.find((k) => k.key === PRIORITY)!;
    const informer = this.acquire(kind, this.scopeOf(kind), undefined);
    informer.pinned = true;
    return informer;
  }

  /**
   * Preloaded kinds start once pods are synced, so that they do not compete with the priority informer for the
   * server, the network and our one thread (at 100k pods, loading everything at once made the pods' sync several
   * times slower). If pods cannot sync (an error is showing), they start anyway so the header can say what each does.
   */
  private startPreloads(pods: Informer): void {
    const names = (this.options.resources ?? []).filter((name) => name !== PRIORITY);
    if (names.length === 0) return;
    let started = false;
    const startRest = () => {
      if (started || this.stopped) return;
      started = true;
      unsubscribe();
      for (const name of names) {
        const kind = this.resolve(name);
        if (!kind) continue;
        this.acquire(kind, this.scopeOf(kind), undefined).pinned = true;
      }
    };
    const unsubscribe = this.subscribe(() => {
      if (pods.reflector.status.synced || pods.reflector.status.error !== undefined) startRest();
    });
  }

  // ---- holding informers ----

  hold(query: RowQuery): () => void {
    if (this.stopped) return () => {};
    const entry: HoldEntry = { query, held: new Set() };
    this.holds.add(entry);
    this.reconcile(entry);
    const releaseUsage = this.holdUsage(query);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      releaseUsage();
      this.holds.delete(entry);
      for (const id of entry.held) this.unhold(id);
      entry.held.clear();
    };
  }

  // ---- usage (metrics.k8s.io) ----

  /** A held pods or nodes view polls its kind's metrics until released. */
  private holdUsage(query: RowQuery): () => void {
    const key = this.kindFor(query.kind)?.key;
    if ((key !== "pods" && key !== "nodes") || this.options.metrics === false) return () => {};
    const entry = this.usageEntry(key);
    entry.holders++;
    const namespace = key === "pods" ? query.namespace : undefined;
    if (namespace !== undefined) this.usageNamespaces.push(namespace);
    this.startHeldPollers();
    if (key === "nodes") this.startPodCounts();
    let released = false;
    return () => {
      if (released) return;
      released = true;
      entry.holders--;
      if (namespace !== undefined) {
        const at = this.usageNamespaces.lastIndexOf(namespace);
        if (at >= 0) this.usageNamespaces.splice(at, 1);
      }
      if (entry.holders > 0) return;
      entry.poller.stop();
      if (key === "nodes") this.stopPodCounts();
      this.changed();
    };
  }

  /**
   * Starts the pollers of held kinds whose rows are listed: the first poll waits for the informer's sync, so that at
   * start-up it does not compete with the pods' LIST (at 100k pods a poll is ~36 MB of JSON), and finds the rows.
   */
  private startHeldPollers(): void {
    for (const [kind, entry] of this.usage) {
      if (entry.holders === 0 || entry.poller.started) continue;
      const shared = this.informers.get(informerId(kind, kind === "pods" ? this.namespace : undefined, undefined));
      if (!shared?.reflector.status.synced && !shared?.refusal) continue;
      entry.startedAt ??= Date.now();
      entry.poller.start();
      this.changed();
    }
  }

  private usageEntry(kind: MetricsKind): UsageEntry {
    const existing = this.usage.get(kind);
    if (existing) return existing;
    const o = this.options.metrics || {};
    const usage = new KindUsage(kind, { stores: () => this.storesOf(kind) }, o.history ?? DEFAULT_HISTORY);
    const poller = new MetricsPoller(this.transport, {
      kind,
      namespace: kind === "pods" ? this.namespace : undefined,
      fallbackNamespace: () => this.usageNamespaces[this.usageNamespaces.length - 1],
      // A group discovery could not read (its APIService down) is not "not served": polling says why (503).
      served: () =>
        this.failedGroupVersions.has(METRICS_GROUP_VERSION)
          ? undefined
          : this.discovered?.some((k) => k.group === "metrics.k8s.io" && k.resource === kind),
      ...(this.options.pageSize !== undefined && { pageSize: this.options.pageSize }),
      ...(o.minIntervalMs !== undefined && { minIntervalMs: o.minIntervalMs }),
      ...(o.refusalRetryMs !== undefined && { refusalRetryMs: o.refusalRetryMs }),
      // The poll costs until its last slice of rows is replaced: the poller waits for that before it sets the next.
      onPoll: (poll) =>
        new Promise<void>((resolve) => {
          if (this.stopped) return resolve();
          const later = () => {
            if (!this.stopped) this.changed();
          };
          if (usage.ingest(poll, later, resolve) > 0 || poll.samples.length > 0) this.changed();
        }),
      onStatus: (status) => {
        usage.status = status;
        this.changed();
      },
    });
    const entry: UsageEntry = { usage, poller, holders: 0, startedAt: undefined };
    this.usage.set(kind, entry);
    return entry;
  }

  /** The stores of a kind's running informers, the shared one first. */
  private storesOf(kind: MetricsKind): RowStore<BaseRow>[] {
    const stores: RowStore<BaseRow>[] = [];
    const shared = this.informers.get(informerId(kind, kind === "pods" ? this.namespace : undefined, undefined));
    if (shared) stores.push(shared.store);
    for (const informer of this.informers.values()) {
      if (informer.kind.key === kind && informer !== shared) stores.push(informer.store);
    }
    return stores;
  }

  /** Keeps the nodes' PODS column current while a nodes view is held (recounted when pods or nodes changed). */
  private startPodCounts(): void {
    if (this.podCountTimer) return;
    const recount = () => {
      const pods = this.informers.get(informerId("pods", this.namespace, undefined));
      const nodes = this.informers.get(informerId("nodes", undefined, undefined));
      if (!pods || !nodes) return;
      const version = `${pods.store.changeCount}/${nodes.store.changeCount}`;
      if (version === this.podCountVersion) return;
      this.podCounts = refreshPodCounts(nodes.store, pods.store.rows(), nodeOf);
      // Our own upserts moved the nodes' count: remember the version after them.
      this.podCountVersion = `${pods.store.changeCount}/${nodes.store.changeCount}`;
      this.changed();
    };
    this.podCountTimer = setInterval(recount, POD_COUNT_INTERVAL_MS);
    this.podCountTimer.unref?.();
    // The first count as soon as the nodes are listed.
    queueMicrotask(recount);
    const unsubscribe = this.subscribe(() => {
      if (!this.podCountTimer) return unsubscribe();
      if (this.podCounts === undefined) recount();
    });
  }

  private stopPodCounts(): void {
    if (this.podCountTimer) clearInterval(this.podCountTimer);
    this.podCountTimer = undefined;
  }

  /**
   * The usage of a pod ("pods", namespace, name) or node ("nodes", "", name): the latest sample and the last ones
   * (DEFAULT_HISTORY), while a view of that kind is held or since; undefined without samples.
   */
  metrics(kind: string, namespace: string, name: string): UsageSeries | undefined {
    const key = this.kindFor(kind)?.key;
    if (key !== "pods" && key !== "nodes") return undefined;
    return this.usage.get(key)?.usage.history.series(key === "pods" ? `${namespace}/${name}` : name);
  }

  /** The loading status of a kind's metrics polling ("pod-metrics", "node-metrics"), while a view polls them. */
  private usageStatuses(): LoadingStatus[] {
    const out: LoadingStatus[] = [];
    for (const [kind, entry] of this.usage) {
      if (!entry.poller.started) continue;
      const s = entry.usage.status;
      out.push({
        resource: kind === "pods" ? "pod-metrics" : "node-metrics",
        ...(s.namespace !== undefined && { namespace: s.namespace }),
        synced: s.state === "ok",
        count: s.count,
        ...(s.state === "unavailable" && s.reason !== undefined && { error: s.reason }),
        ...(s.refused && { refused: true }),
        ...(entry.startedAt !== undefined && { startedAt: entry.startedAt }),
        ...(s.lastPollAt !== undefined && { syncedAt: s.lastPollAt, lastContactAt: s.lastPollAt }),
      });
    }
    return out;
  }

  /** Number of hold() calls not yet released that keep the informer of `query` running (tests). */
  holders(query: RowQuery): number {
    const informer = this.servingInformer(query);
    return informer?.holders ?? 0;
  }

  /** The informers a hold needs now: the shared one, plus a namespaced one while the shared one is refused. */
  private reconcile(entry: HoldEntry): void {
    const kind = this.kindFor(entry.query.kind);
    const wanted = new Set<string>();
    if (kind) {
      const { namespace, labelSelector } = entry.query;
      if (labelSelector !== undefined) {
        wanted.add(informerId(kind.key, this.selectorScopeOf(kind, namespace), labelSelector));
      } else {
        const sharedId = informerId(kind.key, this.scopeOf(kind), undefined);
        wanted.add(sharedId);
        const shared = this.informers.get(sharedId);
        if (this.fallsBackToNamespace(kind, shared, namespace)) wanted.add(informerId(kind.key, namespace, undefined));
      }
    }
    for (const id of entry.held) {
      if (!wanted.has(id)) {
        entry.held.delete(id);
        this.unhold(id);
      }
    }
    for (const id of wanted) {
      if (entry.held.has(id) || !kind) continue;
      entry.held.add(id);
      const [, namespace, selector] = id.split("\u0000");
      const informer = this.acquire(kind, namespace || undefined, selector || undefined);
      informer.holders++;
      if (informer.idleTimer) {
        clearTimeout(informer.idleTimer);
        informer.idleTimer = undefined;
      }
    }
  }

  /**
   * A user who may not list a namespaced kind cluster-wide (403) still sees the namespaces they may read: such a
   * query gets an informer for its one namespace.
   */
  private fallsBackToNamespace(kind: ApiKind, shared: Informer | undefined, namespace: string | undefined): boolean {
    return (
      namespace !== undefined &&
      kind.namespaced &&
      this.namespace === undefined &&
      shared !== undefined &&
      (shared.refusal?.status === 403 || shared.refusal?.status === 401)
    );
  }

  private unhold(id: string): void {
    const informer = this.informers.get(id);
    if (!informer) return;
    informer.holders = Math.max(0, informer.holders - 1);
    if (informer.holders > 0 || informer.pinned || this.stopped) return;
    const idleStopMs = this.options.idleStopMs ?? DEFAULT_IDLE_STOP_MS;
    informer.idleTimer = setTimeout(() => {
      informer.idleTimer = undefined;
      if (informer.holders === 0 && !informer.pinned) this.remove(informer);
    }, idleStopMs);
    informer.idleTimer.unref?.();
  }

  /** Stops an informer and forgets it with its cache. */
  private remove(informer: Informer): void {
    this.informers.delete(informer.id);
    if (informer.retryTimer) clearTimeout(informer.retryTimer);
    void informer.reflector.stop().catch(() => {});
    informer.store.clear();
    informer.views.clear();
    this.changed();
  }

  /** The informer for (kind, namespace, selector), created and started if it does not exist. */
  private acquire(kind: ApiKind, namespace: string | undefined, labelSelector: string | undefined): Informer {
    const id = informerId(kind.key, namespace, labelSelector);
    const existing = this.informers.get(id);
    if (existing) return existing;
    const source = this.sourceFor(kind, labelSelector);
    const store = new RowStore<BaseRow>(INDEXERS);
    const informer: Informer = {
      id,
      kind,
      namespace,
      labelSelector,
      source,
      store,
      reflector: undefined as unknown as Reflector<BaseRow>, // set just below: the reflector's callback needs the record
      holders: 0,
      pinned: false,
      idleTimer: undefined,
      retryTimer: undefined,
      refusal: undefined,
      views: new Map(),
      order: this.informerCount++,
    };
    informer.reflector = this.newReflector(informer);
    this.informers.set(id, informer);
    if (!this.served(kind)) this.park(informer, 404, this.goneMessage(kind));
    else informer.reflector.start();
    this.changed();
    return informer;
  }

  private newReflector(informer: Informer): Reflector<BaseRow> {
    const o = this.options;
    const reflector: Reflector<BaseRow> = new Reflector(this.transport, informer.source.list, informer.store, {
      ...(informer.namespace !== undefined && { namespace: informer.namespace }),
      ...(informer.source.listMode !== undefined && { listMode: informer.source.listMode }),
      ...(o.pageSize !== undefined && { pageSize: o.pageSize }),
      decoder: informer.source.decoder,
      ...(o.idleTimeoutMs !== undefined && { idleTimeoutMs: o.idleTimeoutMs }),
      ...(o.watchBatchMs !== undefined && { watchBatchMs: o.watchBatchMs }),
      ...(o.backoff !== undefined && { backoff: o.backoff }),
      ...(o.watchTimeoutSeconds !== undefined && { watchTimeoutSeconds: o.watchTimeoutSeconds }),
      onChange: () => {
        if (informer.reflector === reflector) this.informerChanged(informer);
      },
    });
    return reflector;
  }

  /** How a kind is listed: its built-in definition (when the server serves its version), or else the server's Table. */
  private sourceFor(kind: ApiKind, labelSelector: string | undefined): KindSource {
    const selector = labelSelector !== undefined ? { labelSelector } : undefined;
    const def = builtinDefOf(kind.key);
    if (def && (def.version === kind.version || kind.versions?.includes(def.version))) {
      const columns = def.columns as readonly Column<BaseRow>[];
      const list = { ...listSourceOf(def), name: kind.key, ...(selector && { params: selector }) };
      const toRow = searchable(list.toRow, searchFieldsOf(kind.key));
      list.toRow = toRow;
      if (kind.key === "pods" || kind.key === "nodes") {
        // A changed object is a new row: it keeps the usage the last poll gave it (and a node its pod count).
        const key: MetricsKind = kind.key;
        list.toRow = (obj) => {
          const row = toRow(obj);
          this.usage.get(key)?.usage.decorate(row);
          if (key === "nodes") decorateNode(row, this.podCounts);
          return row;
        };
      }
      return {
        list,
        decoder:
          kind.key === PRIORITY ? (this.options.decoder ?? decoderFor(this.options.wire ?? DEFAULT_WIRE)) : jsonDecoder,
        listMode: this.options.listMode,
        columns: () => columns,
      };
    }
    const table = new TableSource(kind);
    let cached: { version: number; columns: readonly Column<BaseRow>[] } | undefined;
    return {
      list: {
        name: table.name,
        path: (namespace) => table.path(namespace),
        toRow: searchable((obj) => table.toRow(obj), nameSearchFields),
        params: { ...table.params, ...selector },
        decoder: table.decoder,
        listMode: table.listMode,
      },
      decoder: table.decoder,
      // Watch-list streams of Tables are not something kubectl uses; servers differ in how they mark their end.
      listMode: "list",
      columns: () => {
        const defs = table.columns();
        if (!defs) return undefined;
        if (cached?.version !== table.columnsVersion) {
          cached = { version: table.columnsVersion, columns: tableColumns(defs, table.ageColumn) };
        }
        return cached.columns;
      },
    };
  }

  // ---- change and failure handling ----

  private informerChanged(informer: Informer): void {
    if (this.usage.size > 0) this.startHeldPollers();
    const status = informer.reflector.status;
    // The store's indexes are filled after the sync rather than during it (a no-op once they are built).
    if (status.synced) informer.store.buildIndexesSoon();
    const err = informer.reflector.lastError;
    if (status.synced && informer.refusal && informer.refusal.reflector !== informer.reflector) {
      informer.refusal = undefined;
      this.reconcileKind(informer.kind);
    }
    if (
      status.error !== undefined &&
      err instanceof KubeError &&
      isRefusal(err) &&
      informer.refusal?.reflector !== informer.reflector &&
      !this.stopped
    ) {
      const message = err.status === 404 ? this.goneMessage(informer.kind) : status.error;
      this.park(informer, err.status ?? 403, message);
      if (err.status === 404) this.rediscover();
    }
    this.changed();
  }

  /**
   * A refusal (forbidden, or the kind is gone) will not go away in seconds: stop the reflector, keep its store and
   * the message, and try again after `refusalRetryMs` (the reflector on its own would retry every 30 s).
   */
  private park(informer: Informer, status: number, error: string): void {
    informer.refusal = { error, status, reflector: informer.reflector };
    void informer.reflector.stop().catch(() => {});
    // A kind the server no longer serves has no objects: keeping its rows would show ghosts. (A 403 keeps them: they
    // were true when last seen, and the view says they cannot be refreshed.)
    if (status === 404 && informer.store.size > 0) {
      informer.store.clear();
      informer.views.clear();
    }
    if (informer.retryTimer) clearTimeout(informer.retryTimer);
    informer.retryTimer = setTimeout(
      () => this.retryNow(informer),
      this.options.refusalRetryMs ?? DEFAULT_REFUSAL_RETRY_MS,
    );
    informer.retryTimer.unref?.();
    this.reconcileKind(informer.kind);
  }

  /** Holds of a kind may need a namespaced informer (the shared one was refused), or no longer need it. */
  private reconcileKind(kind: ApiKind): void {
    for (const entry of this.holds) {
      if (this.kindFor(entry.query.kind)?.key === kind.key) this.reconcile(entry);
    }
  }

  private retryNow(informer: Informer): void {
    if (informer.retryTimer) clearTimeout(informer.retryTimer);
    informer.retryTimer = undefined;
    if (this.stopped || this.informers.get(informer.id) !== informer) return;
    if (!this.served(informer.kind)) {
      // Gone at the last discovery: ask again (the CRD may be back); kindsChanged() restarts it if so.
      this.park(informer, 404, this.goneMessage(informer.kind));
      this.rediscover();
      return;
    }
    informer.reflector = this.newReflector(informer);
    informer.reflector.start();
    this.changed();
  }

  /** A 404 on a collection: the kind may be gone (a CRD deleted); ask discovery, at most every 10 s. */
  private rediscover(): void {
    const now = Date.now();
    if (now - this.lastRediscoverAt < 10_000) return;
    this.lastRediscoverAt = now;
    void this.refreshKinds();
  }

  // ---- reads ----

  /** The namespace scope of the shared informer of a kind: -n for namespaced kinds, else all namespaces. */
  private scopeOf(kind: ApiKind): string | undefined {
    return kind.namespaced ? this.namespace : undefined;
  }

  /** Selector informers watch the query's one namespace (a service selects pods in its own namespace only). */
  private selectorScopeOf(kind: ApiKind, namespace: string | undefined): string | undefined {
    return kind.namespaced ? (this.namespace ?? namespace) : undefined;
  }

  /** The informer whose cache answers `query`, if it runs. */
  private servingInformer(query: RowQuery): Informer | undefined {
    const kind = this.kindFor(query.kind);
    if (!kind) return undefined;
    if (query.labelSelector !== undefined) {
      return this.informers.get(informerId(kind.key, this.selectorScopeOf(kind, query.namespace), query.labelSelector));
    }
    const shared = this.informers.get(informerId(kind.key, this.scopeOf(kind), undefined));
    if (query.namespace !== undefined && kind.namespaced && this.namespace === undefined) {
      const own = this.informers.get(informerId(kind.key, query.namespace, undefined));
      // The namespace's own informer exists because the shared one was refused: it answers until the shared one is back.
      if (own && (shared === undefined || shared.refusal !== undefined || !shared.reflector.status.synced)) return own;
    }
    return shared;
  }

  rows(query: RowQuery): readonly BaseRow[] {
    return rowArray(this.list(query));
  }

  list(query: RowQuery): RowList<BaseRow> {
    const informer = this.servingInformer(query);
    if (!informer) return EMPTY;
    const kind = informer.kind;
    const namespace =
      kind.namespaced && query.namespace !== undefined && informer.namespace !== query.namespace
        ? query.namespace
        : undefined;
    const owners = query.owners;
    const node = query.node;
    if (namespace === undefined && owners === undefined && node === undefined) return informer.store.list();
    const key = JSON.stringify([namespace ?? null, owners ?? null, node ?? null]);
    const version = informer.store.changeCount;
    const cached = informer.views.get(key);
    if (cached && cached.version === version) return cached.rows;
    const rows = filtered(informer.store, namespace, owners, node);
    informer.views.delete(key);
    informer.views.set(key, { version, rows });
    if (informer.views.size > VIEW_CACHE_LIMIT) informer.views.delete(informer.views.keys().next().value!);
    return rows;
  }

  columns(kind: string): readonly Column<BaseRow>[] | undefined {
    const resolved = this.kindFor(kind);
    if (!resolved) return undefined;
    const def = builtinDefOf(resolved.key);
    if (def && def.version === resolved.version) return def.columns as readonly Column<BaseRow>[];
    for (const informer of this.informers.values()) {
      if (informer.kind.key !== resolved.key) continue;
      const columns = informer.source.columns();
      if (columns) return columns;
    }
    return undefined;
  }

  status(query: RowQuery): LoadingStatus {
    const informer = this.servingInformer(query);
    if (informer) return this.statusOf(informer);
    const kind = this.kindFor(query.kind);
    if (kind) return { resource: kind.key, synced: false, count: 0 };
    if (this.discovered || this.kindsState.error !== undefined || this.options.discover === false) {
      return {
        resource: query.kind,
        synced: false,
        count: 0,
        error: `the server does not serve "${query.kind}"`,
        refused: true,
      };
    }
    return { resource: query.kind, synced: false, count: 0 };
  }

  statuses(): readonly LoadingStatus[] {
    const informers = [...this.informers.values()]
      .sort((a, b) => Number(b.kind.key === PRIORITY) - Number(a.kind.key === PRIORITY) || a.order - b.order)
      .map((informer) => this.statusOf(informer));
    return this.usage.size === 0 ? informers : [...informers, ...this.usageStatuses()];
  }

  private statusOf(informer: Informer): LoadingStatus {
    const s = informer.reflector.status;
    // A retry after a refusal starts a fresh reflector: until it syncs, the refusal stands (said once, no flicker).
    const refused = informer.refusal !== undefined;
    const error = informer.refusal?.error ?? s.error;
    return {
      resource: informer.kind.key,
      ...(informer.namespace !== undefined && { namespace: informer.namespace }),
      ...(informer.labelSelector !== undefined && { labelSelector: informer.labelSelector }),
      synced: s.synced,
      count: informer.store.size,
      ...(error !== undefined && { error }),
      ...(refused && { refused: true }),
      ...(s.startedAt !== undefined && { startedAt: s.startedAt }),
      ...(s.syncedAt !== undefined && { syncedAt: s.syncedAt }),
      ...(s.lastContactAt !== undefined && { lastContactAt: s.lastContactAt }),
    };
  }

  // ---- the API before views held their data ----

  getLoadingStatus(type: ResourceType): LoadingStatus {
    return this.status({ kind: type });
  }

  getAllLoadingStatus(): LoadingStatus[] {
    return [...this.statuses()];
  }

  isResourceSynced(type: ResourceType): boolean {
    return this.status({ kind: type }).synced;
  }

  getPods(): readonly PodRow[] {
    return this.rows({ kind: PRIORITY }) as readonly PodRow[];
  }

  getRows<Row extends BaseRow = BaseRow>(type: ResourceType): readonly Row[] {
    return this.rows({ kind: type }) as readonly Row[];
  }

  getDeployments(): readonly BaseRow[] {
    return this.getRows("deployments");
  }

  getServices(): readonly BaseRow[] {
    return this.getRows("services");
  }

  /** Rows of `type` whose index `indexName` has `value` (namespace, node, owner "ns/Kind/name"). */
  lookup<Row extends BaseRow = BaseRow>(type: ResourceType, indexName: string, value: string): Row[] {
    const kind = this.kindFor(type);
    const informer = kind && this.informers.get(informerId(kind.key, this.scopeOf(kind), undefined));
    return (informer?.store.indexed(indexName, value) ?? []) as Row[];
  }

  /** The reflector of a kind's shared informer, for tests and benchmarks. */
  reflector(type: ResourceType): Reflector<BaseRow> | undefined {
    const kind = this.kindFor(type);
    return kind && this.informers.get(informerId(kind.key, this.scopeOf(kind), undefined))?.reflector;
  }

  can(check: AccessCheck): boolean | undefined {
    return this.access.can(check);
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Aborts every request and timer. */
  stop(): void {
    void this.stopAndWait();
  }

  /** Stops every informer, discovery and the transport; resolves when every loop has exited. */
  async stopAndWait(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.abort.abort();
    for (const entry of this.usage.values()) entry.poller.stop();
    this.stopPodCounts();
    const informers = [...this.informers.values()];
    this.informers.clear();
    this.holds.clear();
    for (const informer of informers) {
      if (informer.idleTimer) clearTimeout(informer.idleTimer);
      if (informer.retryTimer) clearTimeout(informer.retryTimer);
    }
    await Promise.all(informers.map((informer) => informer.reflector.stop().catch(() => {})));
    await this.discovering?.catch(() => {});
    for (const informer of informers) {
      informer.store.clear();
      informer.views.clear();
    }
    this.transport.close();
    this.listeners.clear();
  }

  // Many store changes arrive in one burst (a list page, a chunk of events): tell listeners once per burst.
  private changed(): void {
    if (this.notifyQueued || this.stopped) return;
    this.notifyQueued = true;
    queueMicrotask(() => {
      this.notifyQueued = false;
      if (this.stopped) return;
      for (const listener of this.listeners) {
        try {
          listener();
        } catch {
          // A failing listener must not break the data layer or other listeners.
        }
      }
    });
  }
}

/** Rows of a store filtered by namespace, controller owners and node, through the indexes; repository order. */
function filtered(
  store: RowStore<BaseRow>,
  namespace: string | undefined,
  owners: readonly string[] | undefined,
  node: string | undefined,
): readonly BaseRow[] {
  let rows: BaseRow[];
  if (owners !== undefined) {
    rows = [];
    for (const owner of new Set(owners)) rows.push(...store.indexed("owner", owner));
    if (owners.length > 1) rows.sort(compareRowsOf);
    if (namespace !== undefined) rows = rows.filter((row) => row.namespace === namespace);
    if (node !== undefined) rows = rows.filter((row) => nodeOf(row) === node);
  } else if (node !== undefined) {
    rows = store.indexed("node", node);
    if (namespace !== undefined) rows = rows.filter((row) => row.namespace === namespace);
  } else {
    rows = store.indexed("namespace", namespace ?? "");
  }
  return Object.freeze(rows);
}

/** Newest first, then namespace, then name (the store's order). */
function compareRowsOf(a: BaseRow, b: BaseRow): number {
  if (a.createdAt !== b.createdAt) return b.createdAt - a.createdAt;
  if (a.namespace !== b.namespace) return a.namespace < b.namespace ? -1 : 1;
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

/** Failures that retrying will not fix, so startup should report them instead of spinning. */
function isFatalAtStartup(err: KubeError): boolean {
  if (isAbort(err)) return false;
  if (err.kind === "tls" || err.kind === "config") return true;
  if (err.kind === "network" && /refused|resolve/.test(err.message)) return true;
  return err.status === 401 || err.status === 403 || err.status === 404;
}

/** Answers that say "not for you" or "no such collection": retried only slowly. */
function isRefusal(err: KubeError): boolean {
  return err.status === 401 || err.status === 403 || err.status === 404;
}

/** A transport whose credentials come from the kubeconfig (client-node performs exec plugins, token files, ...). */
export async function transportFor(loaded: LoadedKubeconfig): Promise<Transport> {
  return new Transport({ server: loaded.server, credentials: await credentialsFor(loaded), userName: loaded.userName });
}

/** A row builder whose rows carry their filter text, built here once per row rather than by every filter. */
function searchable(toRow: (obj: KubeObject) => BaseRow, fields: SearchFields<BaseRow>): (obj: KubeObject) => BaseRow {
  return (obj) => withSearchText(toRow(obj), fields);
}
