// The reflector keeps one RowStore equal to the server's state of one resource kind, with client-go's semantics:
//
//   LIST in pages (or a watch-list stream) → WATCH from the list's resourceVersion with bookmarks → resume from the
//   last seen resourceVersion when the stream ends → on 410 Gone relist and drop what vanished meanwhile → on any other
//   failure back off exponentially with jitter, capped, forever, with the error visible in the status.
//
// A connection that goes silent (no bytes, no bookmark) for longer than `idleTimeoutMs` is treated as dead.
import { isAbort, KubeError, oneLine } from "./errors.ts";
import type { KubeObject, WatchEvent } from "./objects.ts";
import type { BaseRow } from "./row.ts";
import type { RowStore } from "./store.ts";
import { networkError, readEach, type Transport } from "./transport.ts";
import { type DecodedList, jsonDecoder, listParser, statusError, type WireDecoder } from "./wire.ts";

export type ListMode = "list" | "watchlist" | "auto";

/**
 * What a reflector lists and watches, as functions (client-go's ListerWatcher + TransformFunc): the data layer knows
 * no kinds, only a collection path and how one object becomes one row.
 */
export interface ListSource<Row extends BaseRow> {
  /** Names the collection in errors and statuses ("pods", "widgets.example.com"). */
  name: string;
  /** Collection path, cluster-wide (namespace undefined) or in one namespace: "/api/v1/namespaces/x/pods". */
  path(namespace: string | undefined): string;
  /** Transform at ingest: keep only what views need; must not retain `obj` or its sub-objects. */
  toRow(obj: KubeObject): Row;
  /** Query parameters sent with every LIST and WATCH, e.g. `{ labelSelector: "app=web" }`. */
  params?: Readonly<Record<string, string>>;
  /** The wire format this source needs (server-side Tables: see table.ts), instead of ReflectorOptions.decoder. */
  decoder?: WireDecoder;
  /** How this source must be listed, whatever ReflectorOptions.listMode says (Tables: "list"). */
  listMode?: ListMode;
}

export interface BackoffOptions {
  initialMs: number;
  maxMs: number;
  factor: number;
}

export interface ReflectorOptions {
  /** Watch one namespace only (default: all namespaces). */
  namespace?: string;
  pageSize?: number;
  /**
   * The limit of a list's first page (default 100): small, so that the first rows reach the screen sooner (less for
   * the server to gather and encode, less to download); the pages after it are pageSize.
   */
  firstPageSize?: number;
  /** `auto`: watch-list when the server supports it, else paginated LIST. */
  listMode?: ListMode;
  decoder?: WireDecoder;
  /**
   * Server-side watch timeout in seconds; randomized per watch like client-go (5–10 min). Plain watches ask for at
   * most 2/3 of `idleTimeoutMs` (see watch()).
   */
  watchTimeoutSeconds?: () => number;
  /** No bytes for this long on a watch or list → the connection is dead; reconnect. */
  idleTimeoutMs?: number;
  /**
   * Once a watch follows the server live (after the list, or a watch-list's replay), its connection is read in
   * batches: after data came, it is left unread for this long, then everything that arrived meanwhile is read and
   * decoded in one go. Events reach the store up to this much later, and each costs a fraction of the CPU: an event
   * decoded alone, on a cold cache, cost about three times as much as one among others. Lists and replays are never
   * held back. Default 0: every chunk as it comes.
   */
  watchBatchMs?: number;
  backoff?: Partial<BackoffOptions>;
  /** Called after the store or the status changed. */
  onChange?: () => void;
  /** Randomness for jitter (tests make it deterministic). */
  random?: () => number;
}

export interface ReflectorStatus {
  synced: boolean;
  error: string | undefined;
  startedAt: number | undefined;
  syncedAt: number | undefined;
  /**
   * The last moment the server was known to be with us: the last byte received, or the moment a watch that was open
   * until then ended or broke (a quiet cluster sends nothing for minutes, and its data is current all along). While
   * `watching`, the data is current whatever this says; see dataAgeMs().
   */
  lastContactAt: number | undefined;
  /** A watch stream is open: the store follows the server live. */
  watching: boolean;
  /**
   * The last failure was the server refusing us (401, 403, 404): retrying will not help until someone changes
   * credentials, RBAC or the API. Retries go on, slowly; the UI can say it once instead of flashing a retry.
   */
  refused: boolean;
  /** Times the reflector had to relist after the first sync (410s and fallbacks). */
  relists: number;
  /** Consecutive failures; 0 when healthy. */
  failures: number;
  /** Items seen by the current list; lets the UI show progress before sync. */
  listed: number;
}

/**
 * How old the cached data may be at `now`: 0 while a watch is open, else the time since the server was last known to
 * be with us; undefined before any contact.
 */
export function dataAgeMs(
  status: Pick<ReflectorStatus, "watching" | "lastContactAt">,
  now: number,
): number | undefined {
  if (status.watching) return 0;
  return status.lastContactAt === undefined ? undefined : Math.max(0, now - status.lastContactAt);
}

const DEFAULT_BACKOFF: BackoffOptions = { initialMs: 500, maxMs: 30_000, factor: 2 };

export class Reflector<Row extends BaseRow> {
  readonly source: ListSource<Row>;
  readonly store: RowStore<Row>;
  readonly status: ReflectorStatus = {
    synced: false,
    error: undefined,
    startedAt: undefined,
    syncedAt: undefined,
    lastContactAt: undefined,
    watching: false,
    refused: false,
    relists: 0,
    failures: 0,
    listed: 0,
  };

  /** The last failure itself (status.error is its one-line text). */
  lastError: unknown;

  private readonly transport: Transport;
  private readonly options: Required<Omit<ReflectorOptions, "namespace" | "backoff" | "onChange">> & {
    namespace: string | undefined;
    backoff: BackoffOptions;
    onChange: () => void;
  };
  private readonly abort = new AbortController();
  private running: Promise<void> | undefined;
  private watchListSupported: boolean | undefined;
  /**
   * Where the next watch starts: the newest resourceVersion delivered so far (the list's, the initial-events-end
   * bookmark's, then every watch event's). Undefined until the first sync and after 410: (re)list first.
   */
  private resumeFrom: string | undefined;
  private syncWaiters: { resolve: () => void; reject: (err: Error) => void }[] = [];
  private sleepTimer: NodeJS.Timeout | undefined;
  private wakeSleep: (() => void) | undefined;

  constructor(transport: Transport, source: ListSource<Row>, store: RowStore<Row>, options: ReflectorOptions = {}) {
    this.transport = transport;
    this.source = source;
    this.store = store;
    const random = options.random ?? Math.random;
    this.options = {
      namespace: options.namespace,
      pageSize: options.pageSize ?? 500,
      firstPageSize: Math.min(options.firstPageSize ?? 100, options.pageSize ?? 500),
      listMode: source.listMode ?? options.listMode ?? "list",
      decoder: source.decoder ?? options.decoder ?? jsonDecoder,
      watchTimeoutSeconds: options.watchTimeoutSeconds ?? (() => Math.floor(300 + random() * 300)),
      idleTimeoutMs: options.idleTimeoutMs ?? 90_000,
      watchBatchMs: options.watchBatchMs ?? 0,
      backoff: { ...DEFAULT_BACKOFF, ...options.backoff },
      onChange: options.onChange ?? (() => {}),
      random,
    };
    if (this.options.listMode === "list") this.watchListSupported = false;
  }

  start(): void {
    if (this.running) return;
    this.status.startedAt = Date.now();
    this.running = this.run();
  }

  /** Aborts every request and timer. The returned promise settles when the loop has exited. */
  async stop(): Promise<void> {
    this.abort.abort();
    if (this.sleepTimer) clearTimeout(this.sleepTimer);
    this.wakeSleep?.();
    const err = new KubeError("aborted", `${this.source.name}: stopped before the first sync`);
    for (const waiter of this.syncWaiters.splice(0)) waiter.reject(err);
    await this.running;
  }

  /** Resolves at the first sync; rejects if stopped first. */
  whenSynced(): Promise<void> {
    if (this.status.synced) return Promise.resolve();
    if (this.abort.signal.aborted) return Promise.reject(new KubeError("aborted", "stopped"));
    return new Promise((resolve, reject) => this.syncWaiters.push({ resolve, reject }));
  }

  private get stopped(): boolean {
    return this.abort.signal.aborted;
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      try {
        if (this.resumeFrom === undefined) {
          if (this.watchListSupported !== false) {
            const outcome = await this.watchList();
            if (outcome === "unsupported") continue;
          } else {
            this.resumeFrom = await this.list();
          }
          this.healthy();
        }
        const started = Date.now();
        // A watch that fails midway (reset, silence) has still moved resumeFrom past every event it delivered, so the
        // next one resumes there like client-go, rather than from its own start (maybe compacted away by now: 410 and
        // a relist) or with a whole new watch-list.
        const outcome = await this.watch(this.resumeFrom!);
        // A stream that ends at once with nothing in it is a failure in disguise (a proxy or server dropping us):
        // count it so that a tight reconnect loop backs off.
        if (outcome.events === 0 && Date.now() - started < 1000) {
          await this.backoff(new KubeError("network", `${this.source.name} watch closed immediately by the server`));
        } else {
          this.status.failures = 0;
        }
      } catch (err) {
        if (this.stopped && isAbort(err)) break;
        if (err instanceof KubeError && err.isGone) {
          // The resourceVersion (or continue token) is too old: start over with a fresh list.
          this.resumeFrom = undefined;
          if (this.status.synced) this.status.relists++;
          this.status.failures++;
          // A server that answers 410 again and again must not be hammered.
          if (this.status.failures > 2) await this.backoff(err);
          continue;
        }
        await this.backoff(err);
      }
    }
  }

  private healthy(): void {
    this.status.failures = 0;
    if (this.status.error !== undefined || this.status.refused) {
      this.status.error = undefined;
      this.status.refused = false;
      this.options.onChange();
    }
  }

  private async backoff(err: unknown): Promise<void> {
    if (this.stopped) return;
    this.status.failures++;
    this.status.error = oneLine(err);
    this.status.refused = isRefused(err);
    this.lastError = err;
    this.options.onChange();
    const { initialMs, maxMs, factor } = this.options.backoff;
    // A refusal is not cured by asking again soon: start where a few failures would have got us.
    const step = this.status.failures - 1 + (this.status.refused ? 4 : 0);
    const exp = Math.min(maxMs, initialMs * factor ** Math.min(step, 30));
    // Jitter in [0.5, 1.5) spreads reconnects of many clients after an outage.
    let delay = Math.min(maxMs, exp * (0.5 + this.options.random()));
    if (err instanceof KubeError && err.retryAfterMs !== undefined) delay = Math.max(delay, err.retryAfterMs);
    await this.sleep(delay);
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      this.wakeSleep = resolve;
      this.sleepTimer = setTimeout(resolve, ms);
    });
  }

  private collection(): string {
    return this.source.path(this.options.namespace);
  }

  /** A request to the collection: the source's own parameters (a label selector) plus the request's. */
  private url(params: URLSearchParams): string {
    for (const [name, value] of Object.entries(this.source.params ?? {})) params.set(name, value);
    return `${this.collection()}?${params}`;
  }

  private contact(): void {
    this.status.lastContactAt = Date.now();
  }

  private setWatching(watching: boolean): void {
    if (this.status.watching === watching) return;
    this.status.watching = watching;
    this.options.onChange();
  }

  private markSynced(): void {
    // The error is over before anyone waiting for the sync looks at the status.
    this.healthy();
    this.status.listed = this.store.size;
    if (!this.status.synced) {
      this.status.synced = true;
      this.status.syncedAt = Date.now();
      for (const waiter of this.syncWaiters.splice(0)) waiter.resolve();
    }
    this.options.onChange();
  }

  private ingest(obj: KubeObject): string {
    return this.store.upsert(this.source.toRow(obj));
  }

  /**
   * Paginated LIST. Rows are published page by page; at the end, rows the server no longer has are dropped.
   * Pages are decoded while they download, and pipelined: as soon as a page reveals its continue token (in its
   * metadata, before the items), the next page is requested, so the server prepares page k+1 while we download and
   * decode page k.
   */
  private async list(): Promise<string> {
    // Into an empty store (the first sync), every row at the end came from this list: nothing to drop, so the keys
    // need not be gathered (a set of 100k keys was 5 % of the sync's CPU).
    const seen = this.store.size > 0 ? new Set<string>() : undefined;
    let resourceVersion = "";
    this.status.listed = 0;
    const onItem = seen
      ? (obj: KubeObject) => {
          seen.add(this.ingest(obj));
        }
      : (obj: KubeObject) => {
          this.ingest(obj);
        };
    let current: PageFetch | undefined = this.fetchPage("", onItem);
    let next: PageFetch | undefined;
    try {
      while (current) {
        const peeked: string | undefined = await current.peeked;
        next = peeked ? this.fetchPage(peeked, onItem) : undefined;
        const page: DecodedList = await current.done;
        this.contact();
        this.status.listed = seen ? seen.size : this.store.size;
        resourceVersion = page.resourceVersion;
        this.options.onChange();
        if (next && page.continueToken !== peeked) {
          // The peek disagreed with the decoded page (should not happen): trust the decoded token.
          next.abort();
          next = undefined;
        }
        current =
          next ?? (page.continueToken && !this.stopped ? this.fetchPage(page.continueToken, onItem) : undefined);
        next = undefined;
      }
    } finally {
      next?.abort();
    }
    if (seen) this.store.retainOnly(seen);
    this.markSynced();
    return resourceVersion;
  }

  /** One LIST page, its items handed to `onItem` as they are decoded. */
  private fetchPage(continueToken: string, onItem: (obj: KubeObject) => void): PageFetch {
    const limit = continueToken ? this.options.pageSize : this.options.firstPageSize;
    const params = new URLSearchParams({ limit: String(limit) });
    if (continueToken) params.set("continue", continueToken);
    const abort = new AbortController();
    const signal = AbortSignal.any([this.abort.signal, abort.signal]);
    const decoder = this.options.decoder;
    let resolvePeek: (token: string | undefined) => void = () => {};
    const peeked = new Promise<string | undefined>((resolve) => {
      resolvePeek = resolve;
    });
    const done = (async () => {
      try {
        const res = await this.transport.stream(this.url(params), {
          accept: decoder.accept,
          signal,
          idleTimeoutMs: this.options.idleTimeoutMs,
        });
        const parser = listParser(decoder, resolvePeek, onItem);
        await readEach(res, this.options.idleTimeoutMs, this.transport.server, (chunk) => parser.push(chunk));
        return parser.end();
      } finally {
        resolvePeek(undefined);
      }
    })();
    // A failed prefetch is reported when it is awaited; never as an unhandled rejection before that.
    done.catch(() => {});
    return { peeked, done, abort: () => abort.abort() };
  }

  /**
   * Watch-list: one watch that first replays the current state as ADDED events and marks its end with a BOOKMARK
   * annotated `k8s.io/initial-events-end`, whose resourceVersion becomes resumeFrom. Returns "unsupported" (and
   * remembers it) when the server refuses it.
   */
  private async watchList(): Promise<"synced" | "unsupported"> {
    const seen = new Set<string>();
    let initialDone = false;
    this.status.listed = 0;
    const params = new URLSearchParams({
      watch: "1",
      sendInitialEvents: "true",
      allowWatchBookmarks: "true",
      resourceVersionMatch: "NotOlderThan",
      resourceVersion: "",
      timeoutSeconds: String(this.options.watchTimeoutSeconds()),
    });
    try {
      await this.stream(
        params,
        "",
        (event, obj) => {
          if (initialDone) return false;
          if (event.type === "BOOKMARK") {
            if (obj.metadata?.annotations?.["k8s.io/initial-events-end"] === "true") {
              initialDone = true;
              this.resumeFrom = obj.metadata.resourceVersion ?? "";
              if (seen) this.store.retainOnly(seen);
              this.watchListSupported = true;
              this.markSynced();
            }
            return true;
          }
          if (event.type === "ADDED" || event.type === "MODIFIED") {
            seen.add(this.ingest(obj));
            this.status.listed = seen ? seen.size : this.store.size;
            return true;
          }
          return false;
        },
        () => !initialDone,
      );
    } catch (err) {
      if (!initialDone && this.watchListSupported === undefined && err instanceof KubeError && isRefusal(err)) {
        this.watchListSupported = false;
        return "unsupported";
      }
      // Silence after the replay is what a healthy server on a quiet cluster looks like through the watch-list's long
      // timeout (see watch()): go on with a plain watch from the bookmark. If the connection was dead, that one says so.
      if (initialDone && err instanceof KubeError && err.kind === "timeout") return "synced";
      throw err;
    }
    if (!initialDone) {
      // The stream ended before the initial state was complete. A server without watch-list support may answer with
      // plain watch semantics and never send the marker: fall back to LIST for good.
      if (this.watchListSupported === undefined) {
        this.watchListSupported = false;
        return "unsupported";
      }
      throw new KubeError("network", `${this.source.name} watch-list ended before the initial state was complete`);
    }
    return "synced";
  }

  private watch(resourceVersion: string): Promise<{ resourceVersion: string; events: number }> {
    // A real kube-apiserver sends bookmarks only once the resource's version has moved past the watch's start, so on a
    // quiet cluster a healthy watch can be silent for minutes. Asked to end the watch well within the idle timeout, a
    // healthy server is never silent that long, and silence does mean a dead connection. (The watch-list request keeps
    // its long timeout for its replay, which may take long, and gives way to a plain watch when silent after it.)
    const idleCapSeconds = Math.max(1, Math.floor((this.options.idleTimeoutMs * 2) / 3 / 1000));
    const params = new URLSearchParams({
      watch: "1",
      allowWatchBookmarks: "true",
      resourceVersion,
      timeoutSeconds: String(Math.min(this.options.watchTimeoutSeconds(), idleCapSeconds)),
    });
    return this.stream(params, resourceVersion, () => false);
  }

  /**
   * Runs one watch stream to its end. `initial` may claim an event (watch-list replay) by returning true; every other
   * event updates the store and resumeFrom. While `replaying` says so, the stream is read as fast as it comes; after
   * that, in batches (watchBatchMs). Resolves with the last resourceVersion seen when the server ends the stream.
   */
  private async stream(
    params: URLSearchParams,
    fromVersion: string,
    initial: (event: WatchEvent, obj: KubeObject) => boolean,
    replaying: () => boolean = () => false,
  ): Promise<{ resourceVersion: string; events: number }> {
    const res = await this.transport.stream(this.url(params), {
      accept: this.options.decoder.accept,
      signal: this.abort.signal,
      idleTimeoutMs: this.options.idleTimeoutMs,
    });
    this.contact();
    this.healthy();
    this.setWatching(true);
    let resourceVersion = fromVersion;
    let events = 0;
    let silent = false;
    return await new Promise((resolve, reject) => {
      let idleTimer: NodeJS.Timeout | undefined;
      let batchTimer: NodeJS.Timeout | undefined;
      let failed = false;
      const fail = (err: unknown) => {
        if (failed) return;
        failed = true;
        clearTimeout(idleTimer);
        clearTimeout(batchTimer);
        res.destroy();
        // The stream was open up to now, so the data was current up to now; unless it had gone silent, and then
        // nothing says the server was still there after its last byte.
        if (!silent) this.contact();
        this.setWatching(false);
        reject(err);
      };
      // One timer per idle period, not one per chunk: a busy watch gets a chunk every few ms, and moving a timer each
      // time cost more than the rest of the chunk's bookkeeping. When the timer fires it looks at the last chunk's time
      // and waits out the rest of the period.
      let lastDataAt = performance.now();
      const idleMs = this.options.idleTimeoutMs;
      const checkIdle = () => {
        const quietMs = performance.now() - lastDataAt;
        if (quietMs < idleMs) {
          idleTimer = setTimeout(checkIdle, idleMs - quietMs);
          return;
        }
        silent = true;
        fail(
          new KubeError("timeout", `${this.source.name} watch silent for ${Math.round(idleMs / 1000)}s; reconnecting`),
        );
      };
      idleTimer = setTimeout(checkIdle, idleMs);
      // Batches: the socket is paused once this turn of the event loop has read what the kernel held (setImmediate
      // runs after the poll phase's reads), and resumed batchMs later. Pausing the socket, not the response: the
      // response would go on asking the socket for data to fill its own buffer, and parse it chunk by chunk.
      const batchMs = this.options.watchBatchMs;
      let pauseQueued = false;
      const pauseForBatch = () => {
        pauseQueued = false;
        if (failed || !res.socket) return;
        res.socket.pause();
        batchTimer = setTimeout(() => {
          batchTimer = undefined;
          if (!failed) res.socket?.resume();
        }, batchMs);
      };
      let changed = false;
      const parser = this.options.decoder.watchParser((event) => {
        const obj = event.object;
        if (event.type === "ERROR") throw statusError(obj as never);
        events++;
        const version = obj?.metadata?.resourceVersion;
        if (event.type !== "BOOKMARK") changed = true;
        const claimed = initial(event, obj);
        if (!claimed) {
          switch (event.type) {
            case "ADDED":
            case "MODIFIED":
              this.ingest(obj);
              break;
            case "DELETED":
              this.store.remove(objectKey(obj));
              break;
            case "BOOKMARK":
              break;
            default:
              throw new KubeError("protocol", `unknown watch event type ${String(event.type)}`);
          }
        }
        if (version) {
          resourceVersion = version;
          // Replayed objects carry their own, older versions: only events after the replay say how far we are.
          if (!claimed) this.resumeFrom = version;
        }
      });
      res.on("data", (chunk: Buffer) => {
        if (failed) return;
        lastDataAt = performance.now();
        this.contact();
        changed = false;
        try {
          parser.push(chunk);
        } catch (err) {
          fail(err);
          return;
        }
        if (changed) this.options.onChange();
        if (batchMs > 0 && !pauseQueued && batchTimer === undefined && !replaying()) {
          pauseQueued = true;
          setImmediate(pauseForBatch);
        }
      });
      res.on("end", () => {
        if (failed) return;
        failed = true;
        clearTimeout(idleTimer);
        clearTimeout(batchTimer);
        this.contact();
        this.setWatching(false);
        resolve({ resourceVersion, events });
      });
      // Node reports a connection cut mid-body as a bare "aborted" (ECONNRESET): say what happened instead.
      res.on("error", (err) => fail(networkError(err, this.transport.server)));
      res.on("close", () => {
        if (!failed && !res.readableEnded)
          fail(new KubeError("network", `${this.source.name} watch connection closed`));
      });
    });
  }
}

function objectKey(obj: KubeObject): string {
  const namespace = obj.metadata?.namespace;
  const name = obj.metadata?.name ?? "";
  return namespace ? `${namespace}/${name}` : name;
}

interface PageFetch {
  /** The next page's continue token from this page's head; undefined when it could not be read early. */
  peeked: Promise<string | undefined>;
  /** The page's metadata once every item went to onItem. */
  done: Promise<DecodedList>;
  abort(): void;
}

/** The server refuses us (credentials, RBAC) or does not serve the kind: asking again soon will not help. */
function isRefused(err: unknown): boolean {
  return err instanceof KubeError && (err.status === 401 || err.status === 403 || err.status === 404);
}

/** The server does not know watch-list (old version or feature gate off) and says so with a 4xx validation error. */
function isRefusal(err: KubeError): boolean {
  return err.status === 400 || err.status === 422 || err.status === 404 || err.status === 405;
}
