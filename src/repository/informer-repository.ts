// The Repository backed by live cluster data: one reflector per resource kind, each filling a RowStore from
// LIST + WATCH. Every read is served from memory.
//
// Tiers: pods are the priority tier (startPriority resolves when they are synced); the other kinds start loading after
// that, in the background, and their LoadingStatus tells the UI when each is ready.
import { isAbort, KubeError } from "../kube/errors.ts";
import { credentialsFor, type KubeconfigOptions, type LoadedKubeconfig, loadKubeconfig } from "../kube/kubeconfig.ts";
import { protobufDecoder } from "../kube/protobuf/index.ts";
import { type ListMode, Reflector, type ReflectorOptions } from "../kube/reflector.ts";
import { type Indexer, RowStore } from "../kube/store.ts";
import { Transport } from "../kube/transport.ts";
import { jsonDecoder, type WireDecoder } from "../kube/wire.ts";
import { builtinKindOrThrow } from "../resources/index.ts";
import type { PodRow } from "../resources/pods.ts";
import { type BaseRow, listSourceOf, type ResourceType } from "../resources/types.ts";
import type { LoadingStatus, Repository } from "./types.ts";

export interface InformerOptions {
  /** Kinds to load; pods first. Default: every kind in DEFAULT_RESOURCES. */
  resources?: ResourceType[];
  /** Watch one namespace only. */
  namespace?: string;
  listMode?: ListMode;
  pageSize?: number;
  /** Wire format for pods (the kind that is large enough to matter); other kinds use JSON. */
  wire?: WireFormat;
  /** Overrides `wire` with a specific decoder for pods (tests). */
  decoder?: WireDecoder;
  idleTimeoutMs?: number;
  backoff?: ReflectorOptions["backoff"];
  watchTimeoutSeconds?: () => number;
}

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

const PRIORITY: ResourceType = "pods";

export type WireFormat = "json" | "protobuf";

/** Chosen by measurement against a real kube-apiserver: see BENCHMARKS.md, "Protobuf vs JSON". */
export const DEFAULT_WIRE: WireFormat = "protobuf";

function decoderFor(wire: WireFormat): WireDecoder {
  return wire === "protobuf" ? protobufDecoder : jsonDecoder;
}

/** Secondary indexes per kind; pods are looked up by node and owner in detail views. */
function indexersFor(type: ResourceType): Record<string, Indexer<BaseRow>> {
  const byNamespace: Indexer<BaseRow> = (row) => row.namespace;
  if (type !== "pods") return { namespace: byNamespace };
  return {
    namespace: byNamespace,
    node: (row) => (row as PodRow).node,
    owner: (row) => `${row.namespace}/${(row as PodRow).ownerKind}/${(row as PodRow).ownerName}`,
  };
}

export class InformerRepository implements Repository {
  readonly contextName: string;
  readonly clusterName: string;
  readonly server: string;
  readonly namespace: string | undefined;
  private readonly transport: Transport;
  private readonly reflectors = new Map<ResourceType, Reflector<BaseRow>>();
  private readonly listeners = new Set<() => void>();
  private notifyQueued = false;
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
    const types = options.resources ?? DEFAULT_RESOURCES;
    for (const type of types.includes(PRIORITY) ? types : [PRIORITY, ...types]) {
      const def = builtinKindOrThrow(type);
      const store = new RowStore<BaseRow>(indexersFor(type));
      const reflector = new Reflector(transport, listSourceOf(def), store, {
        ...(def.namespaced && options.namespace !== undefined && { namespace: options.namespace }),
        ...(options.listMode !== undefined && { listMode: options.listMode }),
        ...(options.pageSize !== undefined && { pageSize: options.pageSize }),
        ...(type === "pods" && { decoder: options.decoder ?? decoderFor(options.wire ?? DEFAULT_WIRE) }),
        ...(options.idleTimeoutMs !== undefined && { idleTimeoutMs: options.idleTimeoutMs }),
        ...(options.backoff !== undefined && { backoff: options.backoff }),
        ...(options.watchTimeoutSeconds !== undefined && { watchTimeoutSeconds: options.watchTimeoutSeconds }),
        onChange: () => this.changed(),
      });
      this.reflectors.set(type, reflector);
    }
  }

  /** Builds the repository from a kubeconfig read the way kubectl reads it. Throws one-line KubeErrors. */
  static async fromKubeconfig(config: KubeconfigOptions, options: InformerOptions = {}): Promise<InformerRepository> {
    const loaded = loadKubeconfig(config);
    const transport = await transportFor(loaded);
    return new InformerRepository(
      transport,
      { contextName: loaded.contextName, clusterName: loaded.clusterName },
      { ...options, namespace: options.namespace ?? undefined },
    );
  }

  /**
   * Starts pods (then the other kinds, see startBackgroundTier); resolves when pods are synced. Rejects with the pods' error when the first attempt fails
   * with something a retry will not fix (auth, RBAC, TLS, config), or when `signal` aborts (e.g. a startup timeout).
   */
  startPriority(signal?: AbortSignal): Promise<void> {
    const pods = this.reflectors.get(PRIORITY)!;
    pods.start();
    this.startBackgroundTier(pods);
    return new Promise((resolve, reject) => {
      let unsubscribe = () => {};
      const finish = (err?: Error) => {
        unsubscribe();
        signal?.removeEventListener("abort", onAbort);
        if (err) reject(err);
        else resolve();
      };
      const onAbort = () =>
        finish(signal?.reason instanceof Error ? signal.reason : new KubeError("aborted", "aborted"));
      signal?.addEventListener("abort", onAbort, { once: true });
      unsubscribe = this.subscribe(() => {
        const err = pods.lastError;
        if (!pods.status.synced && pods.status.error && err instanceof KubeError && isFatalAtStartup(err)) finish(err);
      });
      pods.whenSynced().then(
        () => finish(),
        (err: Error) => finish(err),
      );
    });
  }

  /**
   * The other kinds start once pods are synced, so that they do not compete with the priority tier for the server,
   * the network and our one thread (at 100k pods, loading everything at once made the pods' sync several times
   * slower). If pods cannot sync (an error is showing), the rest start anyway so the header can say what each does.
   */
  private startBackgroundTier(pods: Reflector<BaseRow>): void {
    let started = false;
    const startRest = () => {
      if (started || this.stopped) return;
      started = true;
      unsubscribe();
      for (const reflector of this.reflectors.values()) reflector.start();
    };
    const unsubscribe = this.subscribe(() => {
      if (pods.status.error !== undefined) startRest();
    });
    pods.whenSynced().then(startRest, () => {});
  }

  getLoadingStatus(type: ResourceType): LoadingStatus {
    const reflector = this.reflectors.get(type);
    if (!reflector) return { resource: type, synced: false, count: 0, error: "not loaded" };
    const s = reflector.status;
    return {
      resource: type,
      synced: s.synced,
      count: reflector.store.size,
      ...(s.error !== undefined && { error: s.error }),
      ...(s.startedAt !== undefined && { startedAt: s.startedAt }),
      ...(s.syncedAt !== undefined && { syncedAt: s.syncedAt }),
      ...(s.lastContactAt !== undefined && { lastContactAt: s.lastContactAt }),
    };
  }

  getAllLoadingStatus(): LoadingStatus[] {
    return [...this.reflectors.keys()].map((type) => this.getLoadingStatus(type));
  }

  isResourceSynced(type: ResourceType): boolean {
    return this.reflectors.get(type)?.status.synced ?? false;
  }

  getPods(): readonly PodRow[] {
    return this.getRows<PodRow>("pods");
  }

  getRows<Row extends BaseRow = BaseRow>(type: ResourceType): readonly Row[] {
    return (this.reflectors.get(type)?.store.rows() ?? []) as readonly Row[];
  }

  getDeployments(): readonly BaseRow[] {
    return this.getRows("deployments");
  }

  getServices(): readonly BaseRow[] {
    return this.getRows("services");
  }

  /** Rows of `type` whose index `indexName` has `value` (pods: namespace, node, owner "ns/Kind/name"). */
  lookup<Row extends BaseRow = BaseRow>(type: ResourceType, indexName: string, value: string): Row[] {
    return (this.reflectors.get(type)?.store.indexed(indexName, value) ?? []) as Row[];
  }

  /** The reflector of a kind, for tests and benchmarks. */
  reflector(type: ResourceType): Reflector<BaseRow> | undefined {
    return this.reflectors.get(type);
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Aborts every request and timer. */
  stop(): void {
    void this.stopAndWait();
  }

  async stopAndWait(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    await Promise.all([...this.reflectors.values()].map((r) => r.stop().catch(() => {})));
    this.transport.close();
    this.listeners.clear();
  }

  // Many store changes arrive in one burst (a list page, a chunk of events): tell listeners once per burst.
  private changed(): void {
    if (this.notifyQueued || this.stopped) return;
    this.notifyQueued = true;
    queueMicrotask(() => {
      this.notifyQueued = false;
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

/** Failures that retrying will not fix, so startup should report them instead of spinning. */
function isFatalAtStartup(err: KubeError): boolean {
  if (isAbort(err)) return false;
  if (err.kind === "tls" || err.kind === "config") return true;
  if (err.kind === "network" && /refused|resolve/.test(err.message)) return true;
  return err.status === 401 || err.status === 403 || err.status === 404;
}

/** A transport whose credentials come from the kubeconfig (client-node performs exec plugins, token files, ...). */
export async function transportFor(loaded: LoadedKubeconfig): Promise<Transport> {
  return new Transport({ server: loaded.server, credentials: await credentialsFor(loaded), userName: loaded.userName });
}
