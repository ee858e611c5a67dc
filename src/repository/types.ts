// What views may ask of the data layer. Everything here answers from memory; starting and stopping informers is
// the only thing a view causes, through hold().
import type { ApiKind } from "../kube/kinds.ts";
import type { RowList } from "../kube/sorted-rows.ts";
import type { PodRow } from "../resources/pods.ts";
import type { BaseRow, Column, ResourceType } from "../resources/types.ts";
import type { AccessCheck } from "./access.ts";
import type { UsageSeries } from "./metrics.ts";

export type { AccessCheck, ApiKind, ResourceType, UsageSeries };

export interface LoadingStatus {
  /** The kind's key ("pods", "deployments.apps"). */
  resource: string;
  /** Set when the informer watches one namespace only (-n, or a user who may not list the kind cluster-wide). */
  namespace?: string;
  /** Set when the informer watches only the objects a label selector picks. */
  labelSelector?: string;
  /** The initial list is complete and the watch is running. Stays true across later reconnects. */
  synced: boolean;
  /** The last failure, one line; cleared when the resource recovers. */
  error?: string;
  /** The failure is a refusal (401/403/404: forbidden, or the kind is gone): retried only slowly, shown once. */
  refused?: boolean;
  /** Objects in the cache now. */
  count: number;
  startedAt?: number;
  syncedAt?: number;
  /**
   * When the cache was last known to be current: the last list page, event or bookmark, or while a watch is open and
   * healthy, now. Lets the UI say how old data is during an outage (a quiet cluster is not stale).
   */
  lastContactAt?: number;
}

/** Which rows a view shows. Queries with the same kind, namespace and labelSelector share one informer. */
export interface RowQuery {
  /** The kind's key ("pods", "deployments.apps", "widgets.example.com"); any name resolve() accepts works too. */
  kind: string;
  /** One namespace; undefined for all namespaces (or for a cluster-scoped kind). */
  namespace?: string | undefined;
  /** Only rows whose controller owner is one of these, as "namespace/Kind/name" (drill-down, owner index). */
  owners?: readonly string[] | undefined;
  /** Only pods on this node (node index). */
  node?: string | undefined;
  /** A server-side label selector (a service's pods): served by an informer of its own. */
  labelSelector?: string | undefined;
}

/** Where Repository.kinds() comes from. */
export interface KindsStatus {
  /** "builtin" until discovery has answered (or when it failed), then "discovery". */
  source: "builtin" | "discovery";
  /** A discovery request is in flight. */
  loading: boolean;
  /** Why discovery failed, one line; kinds() then stays at the built-ins (or discovery's last answer). */
  error?: string;
}

export interface Repository {
  /** Context and cluster names shown in the header. */
  readonly contextName: string;
  readonly clusterName: string;
  /** The one namespace the session is restricted to (-n), or undefined for all namespaces. */
  readonly namespace?: string | undefined;
  /** Kinds the server serves: the built-in ones until discovery has answered, then everything discovery lists. */
  kinds(): readonly ApiKind[];
  /** A kind from any name kubectl accepts: plural, singular, short name, Kind, "name.group", "name.version.group". */
  resolve(name: string): ApiKind | undefined;
  /** Where kinds() comes from, and why discovery failed if it did. */
  kindsStatus(): KindsStatus;
  /**
   * Keeps the informer behind `query` running (starting it if needed) until the returned release is called. An
   * informer no view holds stops after some minutes and frees its memory; holding it again relists.
   */
  hold(query: RowQuery): () => void;
  /** Rows of a query, newest first, then namespace, then name. The same array while nothing changed; never mutate. */
  rows(query: RowQuery): readonly BaseRow[];
  /**
   * The same rows, read by position (`at`) without being gathered into one array: what a table showing a window of
   * them needs. A new list after each change costs what the change touched, not every row. Never mutate.
   */
  list(query: RowQuery): RowList<BaseRow>;
  /**
   * The columns after NAMESPACE and NAME: a built-in kind's kubectl columns, or the server-side Table's (priority 1 =
   * wide). Undefined while a Table kind's columns have not arrived yet.
   */
  columns(kind: string): readonly Column<BaseRow>[] | undefined;
  /** The loading state behind a query. */
  status(query: RowQuery): LoadingStatus;
  /** Every informer running now, pods first: for the header. */
  statuses(): readonly LoadingStatus[];
  /**
   * May the user do this? From SelfSubjectAccessReviews asked in the background and cached: true or false once the
   * server answered, undefined until then (the action is then offered, and the server decides). An answer that
   * arrives later notifies the listeners.
   */
  can(check: AccessCheck): boolean | undefined;
  /**
   * Live usage of one pod ("pods", namespace, name) or node ("nodes", "", name) from metrics.k8s.io: the latest
   * sample and the last ones (a bounded history), polled while a view of that kind is held; undefined without samples.
   * The current values are in the rows too (the CPU/MEM columns), so tables sort by them.
   */
  metrics(kind: string, namespace: string, name: string): UsageSeries | undefined;
  /** Calls `listener` after the cache, discovery or a loading status changed. Returns the unsubscribe function. */
  subscribe(listener: () => void): () => void;
  stop(): void;

  // The API before views held their data; kept while the app moves to hold()/rows().
  getLoadingStatus(type: ResourceType): LoadingStatus;
  getAllLoadingStatus(): LoadingStatus[];
  isResourceSynced(type: ResourceType): boolean;
  /** Pods sorted newest first, then namespace, then name. The array is shared and must not be mutated. */
  getPods(): readonly PodRow[];
  getRows<Row extends BaseRow = BaseRow>(type: ResourceType): readonly Row[];
}
