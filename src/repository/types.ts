// What screens may ask of the data layer. Everything here answers from memory.

import type { PodRow } from "../resources/pods.ts";
import type { BaseRow, ResourceType } from "../resources/types.ts";

export type { ResourceType };

export interface LoadingStatus {
  resource: ResourceType;
  /** The initial list is complete and the watch is running. Stays true across later reconnects. */
  synced: boolean;
  /** The last failure, one line; cleared when the resource recovers. */
  error?: string;
  /** Objects in the cache now. */
  count: number;
  startedAt?: number;
  syncedAt?: number;
  /** When the cache last heard from the server (list page, event or bookmark); lets the UI say how old data is. */
  lastContactAt?: number;
}

export interface Repository {
  /** Context and cluster names shown in the header. */
  readonly contextName: string;
  readonly clusterName: string;
  /** The one namespace being watched (-n), or undefined for all namespaces. */
  readonly namespace?: string | undefined;
  getLoadingStatus(type: ResourceType): LoadingStatus;
  getAllLoadingStatus(): LoadingStatus[];
  isResourceSynced(type: ResourceType): boolean;
  /** Pods sorted newest first, then namespace, then name. The array is shared and must not be mutated. */
  getPods(): readonly PodRow[];
  /** Rows of any kind, sorted like getPods(). Empty until that kind is loaded. */
  getRows<Row extends BaseRow = BaseRow>(type: ResourceType): readonly Row[];
  getDeployments(): readonly BaseRow[];
  getServices(): readonly BaseRow[];
  /** Calls `listener` after the cache or a loading status changed. Returns the unsubscribe function. */
  subscribe(listener: () => void): () => void;
  stop(): void;
}
