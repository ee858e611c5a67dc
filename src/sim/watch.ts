// WATCH: newline-delimited JSON events over a chunked response, from a resourceVersion or with the current state
// first, bookmarks, watch-list (sendInitialEvents) and timeouts, with the cacher's semantics (storage/cacher). Pods can
// be watched in protobuf instead: length-prefixed metav1.WatchEvent frames whose objects are enveloped (protobuf.ts).
import type { ServerResponse } from "node:http";
import type { KubeObject } from "../kube/objects.ts";
import { apiVersionOf } from "./kinds.ts";
import { parseResourceVersion, waitForRevision } from "./list.ts";
import {
  bookmarkPod,
  envelopedPodJson,
  type PodMessages,
  PROTOBUF_WATCH,
  statusMessage,
  watchFrame,
} from "./protobuf.ts";
import { type FieldRequirement, matchFields, matchLabels, type Requirement } from "./selectors.ts";
import { type ApiError, expired, invalidListOptions, type StatusBody } from "./status.ts";
import { type KindStore, type Store, type StoreEvent, type Version, versionAt } from "./store.ts";
import { type TableRequest, tableJson, tableRow } from "./table.ts";

export interface WatchQuery {
  namespace: string;
  resourceVersion?: string;
  match?: string;
  sendInitialEvents?: boolean;
  allowWatchBookmarks: boolean;
  timeoutMs: number;
  labels: Requirement[];
  fields: FieldRequirement[];
  table?: TableRequest;
  continueToken?: string;
}

/** validateWatchOptions of kube-apiserver (422 Invalid). */
export function validateWatchQuery(q: WatchQuery): void {
  const causes: { field: string; type: string; detail: string; value?: string }[] = [];
  if (q.sendInitialEvents !== undefined && q.match !== "NotOlderThan") {
    causes.push({
      field: "resourceVersionMatch",
      type: "FieldValueForbidden",
      detail: "sendInitialEvents requires setting resourceVersionMatch to NotOlderThan",
    });
  }
  if (q.match) {
    if (q.sendInitialEvents === undefined) {
      causes.push({
        field: "resourceVersionMatch",
        type: "FieldValueForbidden",
        detail: "resourceVersionMatch is forbidden for watch unless sendInitialEvents is provided",
      });
    }
    if (q.match !== "NotOlderThan") {
      causes.push({
        field: "resourceVersionMatch",
        type: "FieldValueNotSupported",
        value: q.match,
        detail: '"NotOlderThan"',
      });
    }
    if (q.continueToken) {
      causes.push({
        field: "resourceVersionMatch",
        type: "FieldValueForbidden",
        detail: "resourceVersionMatch is forbidden when continue is provided",
      });
    }
  }
  if (causes.length) throw invalidListOptions(causes);
}

/** The object a BOOKMARK carries: an empty object of the kind with only a resourceVersion (and annotations). */
function bookmarkObject(k: KindStore, rv: number, initialEventsEnd: boolean): string {
  const meta: Record<string, unknown> = { resourceVersion: String(rv) };
  if (initialEventsEnd) {
    const blueprint = Buffer.from(
      JSON.stringify({ kind: `${k.info.kind}List`, apiVersion: apiVersionOf(k.info), metadata: {}, items: null }),
    ).toString("base64");
    meta.annotations = {
      "k8s.io/initial-events-end": "true",
      "kubernetes.io/initial-events-list-blueprint": blueprint,
    };
  }
  return JSON.stringify({ kind: k.info.kind, apiVersion: apiVersionOf(k.info), metadata: meta });
}

/** Re-stamps an object with another resourceVersion (DELETED for an object that stopped matching a selector). */
function withResourceVersion(buf: Buffer, rv: number): Buffer {
  const obj = JSON.parse(buf.toString()) as KubeObject;
  obj.metadata = { ...obj.metadata, resourceVersion: String(rv) };
  return Buffer.from(JSON.stringify(obj));
}

const MAX_QUEUED_BYTES = 256 * 1024 * 1024;

export interface WatchOptions {
  bookmarkIntervalMs: number;
  tooLargeWaitMs: number;
  /** Set by the stall-watch fault: events are swallowed, the connection stays open. */
  stalled: () => boolean;
  onClose: () => void;
  /** Set when the watch was negotiated in protobuf (pods only): the kind's transcoded messages. */
  protobuf?: PodMessages;
}

export class WatchSession {
  private readonly store: Store;
  private readonly k: KindStore;
  private readonly q: WatchQuery;
  private readonly res: ServerResponse;
  private readonly o: WatchOptions;
  private readonly prefix: string;
  private queue: Buffer[] = [];
  private queuedBytes = 0;
  private writing = false;
  private initial = true;
  private closed = false;
  private sentColumns = false;
  private unsubscribe: (() => void) | undefined;
  private timers: NodeJS.Timeout[] = [];

  constructor(store: Store, k: KindStore, q: WatchQuery, res: ServerResponse, o: WatchOptions) {
    this.store = store;
    this.k = k;
    this.q = q;
    this.res = res;
    this.o = o;
    this.prefix = k.info.namespaced && q.namespace ? `${q.namespace}/` : "";
  }

  /** The kind this watch streams. */
  get kindStore(): KindStore {
    return this.k;
  }

  /** Validates (422 before any byte is sent), then streams. Errors after that are ERROR events, as in the cacher. */
  async start(expireNow: boolean): Promise<void> {
    validateWatchQuery(this.q);
    const q = this.q;
    const rvText = q.resourceVersion ?? "";
    const requested = rvText === "" ? 0 : parseResourceVersion(rvText);
    this.res.on("close", () => this.close());
    const contentType = this.o.protobuf ? PROTOBUF_WATCH : "application/json";
    this.res.writeHead(200, { "Content-Type": contentType, "Cache-Control": "no-cache, private" });
    this.res.flushHeaders();
    if (expireNow) {
      this.errorEvent(expired(`too old resource version: ${requested || this.store.rev} (${this.store.rev})`).status);
      return;
    }
    if (q.sendInitialEvents === true && requested > this.store.rev) {
      try {
        await waitForRevision(this.store, requested, this.o.tooLargeWaitMs);
      } catch (e) {
        this.errorEvent((e as ApiError).status);
        return;
      }
    }
    if (this.closed) return;
    let from: number;
    let snapshot: Version[] | undefined;
    if (q.sendInitialEvents === true || (q.sendInitialEvents === undefined && requested === 0)) {
      // Current state first, as synthetic ADDED events (rv unset or "0", or watch-list).
      from = this.store.rev;
      snapshot = this.snapshot(from);
    } else if (q.sendInitialEvents === false && requested === 0) {
      from = this.store.rev;
    } else {
      from = requested;
      if (from < this.store.compactRev) {
        this.errorEvent(expired(`too old resource version: ${from} (${this.store.compactRev})`).status);
        return;
      }
    }
    // Subscribe before replaying so nothing falls between the replay and live events (all synchronous here).
    const backlog = from < this.store.rev ? this.store.eventsAfter(from) : [];
    this.unsubscribe = this.store.subscribe((e) => this.onEvent(e));
    for (const e of backlog) this.onEvent(e);
    if (q.timeoutMs > 0) {
      this.timers.push(setTimeout(() => this.close(), q.timeoutMs));
      if (q.allowWatchBookmarks && q.timeoutMs > 2000) {
        this.timers.push(setTimeout(() => this.bookmark(false), q.timeoutMs - 2000));
      }
    }
    if (q.allowWatchBookmarks && this.o.bookmarkIntervalMs > 0) {
      this.timers.push(setInterval(() => this.bookmark(false), this.o.bookmarkIntervalMs));
    }
    if (snapshot) await this.streamInitial(snapshot, from);
    this.initial = false;
    this.flush();
  }

  private snapshot(at: number): Version[] {
    const out: Version[] = [];
    const keys = this.k.keys;
    const empty = this.q.labels.length === 0 && this.q.fields.length === 0;
    for (let i = this.k.lowerBound(this.prefix); i < keys.length; i++) {
      const key = keys[i]!;
      if (this.prefix && !key.startsWith(this.prefix)) break;
      const v = versionAt(this.k.entries.get(key)!, at);
      if (v && (empty || this.matches(v))) out.push(v);
    }
    return out;
  }

  private async streamInitial(snapshot: Version[], at: number): Promise<void> {
    let batch: Buffer[] = [];
    let size = 0;
    for (const v of snapshot) {
      if (this.closed) return;
      const b = this.encode("ADDED", v);
      batch.push(b);
      size += b.length;
      if (size >= 1 << 20) {
        const ok = this.write(Buffer.concat(batch, size));
        batch = [];
        size = 0;
        if (!ok) await this.drained();
      }
    }
    if (size > 0) this.write(Buffer.concat(batch, size));
    if (this.q.sendInitialEvents === true && this.q.allowWatchBookmarks) {
      this.write(this.bookmarkEvent(at, true));
    }
  }

  /** Resolves when the response drains or closes; the other listener goes too, so batch after batch adds none. */
  private drained(): Promise<void> {
    return new Promise<void>((resolve) => {
      if (this.closed) return resolve();
      const done = () => {
        this.res.off("drain", done).off("close", done);
        resolve();
      };
      this.res.once("drain", done).once("close", done);
    });
  }

  private matches(v: Version): boolean {
    return matchLabels(this.q.labels, v.labels) && matchFields(this.q.fields, v.fields);
  }

  private onEvent(e: StoreEvent): void {
    if (e.kind !== this.k || this.closed) return;
    if (this.prefix && !e.key.startsWith(this.prefix)) return;
    const cur = e.type !== "DELETED" && this.matches(e.cur);
    const old = e.prev !== null && this.matches(e.prev);
    let out: Buffer;
    if (cur && !old) out = this.encode("ADDED", e.cur);
    else if (cur && old) out = this.encode("MODIFIED", e.cur);
    else if (!cur && old) {
      if (e.type === "DELETED") out = this.encode("DELETED", e.cur);
      else {
        const stamped = withResourceVersion(e.prev!.buf!, e.rv);
        out = this.o.protobuf ? watchFrame("DELETED", envelopedPodJson(stamped)) : this.encodeJson("DELETED", stamped);
      }
    } else return;
    this.enqueue(out);
  }

  private bookmark(initialEventsEnd: boolean): void {
    if (this.closed || this.initial) return;
    this.enqueue(this.bookmarkEvent(this.store.rev, initialEventsEnd));
  }

  private bookmarkEvent(rv: number, initialEventsEnd: boolean): Buffer {
    if (this.o.protobuf) return watchFrame("BOOKMARK", bookmarkPod(rv, initialEventsEnd));
    return this.encodeRaw("BOOKMARK", this.bookmarkPayload(rv, initialEventsEnd));
  }

  private bookmarkPayload(rv: number, initialEventsEnd: boolean): string {
    if (this.q.table) {
      return tableJson(this.k.info, this.q.table, { resourceVersion: String(rv) }, [], false);
    }
    return bookmarkObject(this.k, rv, initialEventsEnd);
  }

  private encode(type: string, v: Version): Buffer {
    if (this.o.protobuf) return watchFrame(type, this.o.protobuf.enveloped(v));
    return this.encodeJson(type, v.buf!);
  }

  private encodeJson(type: string, obj: Buffer): Buffer {
    if (this.q.table) {
      const parsed = JSON.parse(obj.toString()) as KubeObject;
      const row = tableRow(this.k.info, parsed, this.q.table.includeObject, Date.now());
      const json = tableJson(
        this.k.info,
        this.q.table,
        { resourceVersion: parsed.metadata?.resourceVersion ?? "" },
        [row],
        !this.sentColumns,
      );
      this.sentColumns = true;
      return this.encodeRaw(type, json);
    }
    return Buffer.concat([Buffer.from(`{"type":"${type}","object":`), obj, Buffer.from("}\n")]);
  }

  private encodeRaw(type: string, json: string): Buffer {
    return Buffer.from(`{"type":"${type}","object":${json}}\n`);
  }

  private enqueue(b: Buffer): void {
    if (this.o.stalled()) return;
    this.queue.push(b);
    this.queuedBytes += b.length;
    if (this.queuedBytes > MAX_QUEUED_BYTES) {
      // An unresponsive watcher: the cacher closes it rather than buffer without bound.
      this.close();
      return;
    }
    if (!this.initial) this.flush();
  }

  private flush(): void {
    if (this.writing || this.closed) return;
    while (this.queue.length > 0) {
      const b = this.queue.shift()!;
      this.queuedBytes -= b.length;
      if (!this.write(b)) {
        this.writing = true;
        this.res.once("drain", () => {
          this.writing = false;
          this.flush();
        });
        return;
      }
    }
  }

  private write(b: Buffer): boolean {
    if (this.closed || this.o.stalled()) return true;
    return this.res.write(b);
  }

  private errorEvent(status: StatusBody): void {
    this.res.end(
      this.o.protobuf ? watchFrame("ERROR", statusMessage(status)) : this.encodeRaw("ERROR", JSON.stringify(status)),
    );
    this.close();
  }

  /** Ends the stream cleanly (timeout, server stop). */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.unsubscribe?.();
    for (const t of this.timers) clearTimeout(t);
    this.queue = [];
    if (!this.res.writableEnded) this.res.end();
    this.o.onClose();
  }

  /** Cuts the connection without ending the stream (drop-watch fault). */
  drop(): void {
    this.res.socket?.destroy();
    this.close();
  }
}
