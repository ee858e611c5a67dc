// The simulator's etcd + watch cache in one: every object kept pre-serialised (a Buffer, off the JS heap) under one
// global revision counter, with a bounded multi-version history so that paginated lists read a consistent snapshot
// (continue tokens pin a revision, as etcd does) and watches resume from any revision still in the window.
import type { KubeObject } from "../kube/objects.ts";
import { Arena, ownBuffer } from "./arena.ts";
import { kindFromCrd } from "./crd.ts";
import { apiVersionOf, fieldsOf, type KindInfo, kinds, storeKeyOf } from "./kinds.ts";
import type { Labels } from "./selectors.ts";

/** One state of one object. `buf` is the full JSON (kind and apiVersion first); null marks a deletion. */
export interface Version {
  rv: number;
  buf: Buffer | null;
  labels: Labels;
  fields: Readonly<Record<string, string>>;
}

export interface Entry {
  /** "namespace/name" for namespaced kinds, "name" otherwise: the etcd key below /registry/<resource>/. */
  key: string;
  cur: Version;
  /** Older versions still inside the history window, newest first. */
  older: Version[] | null;
}

export type EventType = "ADDED" | "MODIFIED" | "DELETED";

export interface StoreEvent {
  rv: number;
  kind: KindStore;
  key: string;
  type: EventType;
  /** New state; for a deletion the last state, re-stamped with the deletion revision as the watch cache sends it. */
  cur: Version;
  prev: Version | null;
}

export class KindStore {
  /** Replaced when the CRD of a custom resource changes (its printer columns). */
  info: KindInfo;
  readonly entries = new Map<string, Entry>();
  /** Every key with an entry (deleted ones until compacted), in etcd (byte) order. */
  readonly keys: string[] = [];
  /** `{"kind":"Pod","apiVersion":"v1",` — what list items leave out (the real server omits them in lists). */
  readonly typePrefix: Buffer;
  /** Revision of the latest change to this kind, and how many deleted entries are still kept for history. */
  lastChange = 0;
  deleted = 0;

  constructor(info: KindInfo) {
    this.info = info;
    this.typePrefix = Buffer.from(
      `{"kind":${JSON.stringify(info.kind)},"apiVersion":${JSON.stringify(apiVersionOf(info))},`,
    );
  }

  keyOf(namespace: string, name: string): string {
    return this.info.namespaced ? `${namespace}/${name}` : name;
  }

  /** Index of the first key >= k. */
  lowerBound(k: string): number {
    let lo = 0;
    let hi = this.keys.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.keys[mid]! < k) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

/** The version of an entry visible at revision `at`, or undefined if it did not exist (or was deleted) then. */
export function versionAt(e: Entry, at: number): Version | undefined {
  let v: Version | undefined = e.cur;
  if (v.rv > at) {
    v = undefined;
    if (e.older) {
      for (const o of e.older) {
        if (o.rv <= at) {
          v = o;
          break;
        }
      }
    }
  }
  return v && v.buf !== null ? v : undefined;
}

const labelIntern = new Map<string, Labels>();
const EMPTY: Labels = Object.freeze({});

/** Pods of one ReplicaSet share a label set; keep one copy of it. */
function internLabels(labels: Record<string, string> | undefined): Labels {
  if (!labels) return EMPTY;
  const k = JSON.stringify(labels);
  let v = labelIntern.get(k);
  if (!v) {
    if (labelIntern.size > 200_000) labelIntern.clear();
    v = Object.freeze({ ...labels });
    labelIntern.set(k, v);
  }
  return v;
}

const valueIntern = new Map<string, string>();
function internFields(f: Record<string, string>): Record<string, string> {
  for (const k in f) {
    const v = f[k]!;
    if (v.length > 64) continue;
    const seen = valueIntern.get(v);
    if (seen !== undefined) f[k] = seen;
    else if (valueIntern.size < 100_000) valueIntern.set(v, v);
  }
  return f;
}

/** Serialise with kind and apiVersion first, the way the Go encoder orders them (TypeMeta before ObjectMeta). */
export function serialise(info: KindInfo, obj: KubeObject): string {
  const { kind: _k, apiVersion: _a, ...rest } = obj;
  return JSON.stringify({ kind: info.kind, apiVersion: apiVersionOf(info), ...rest });
}

/** An object already serialised by its maker; `json(rv)` has metadata.resourceVersion = rv, kind and apiVersion first. */
export interface SerialisedObject {
  namespace: string;
  name: string;
  labels: Record<string, string>;
  fields: Record<string, string>;
  json(rv: number): string;
}

export class StoreError extends Error {
  readonly code: "NotFound" | "AlreadyExists";
  constructor(code: "NotFound" | "AlreadyExists", message: string) {
    super(message);
    this.code = code;
  }
}

/** Changes between two looks for a slab to re-pack (a look walks every entry: 0.2 s at 215k versions on a loaded
 * machine)... */
const REPACK_EVERY = 5_000;
/** ...and bytes of bulk-loaded objects replaced or deleted since the last look: once every slab is gone (the churn has
 * rewritten the bulk-loaded objects), there is nothing to look for. */
const REPACK_AFTER_BYTES = 16 << 20;
/** A slab whose live objects fill less than this share of what was written into it is re-packed. */
const DENSE = 0.9;
/** Largest slab the survivors of a re-packed slab go into. */
const SURVIVOR_SLAB = 32 << 20;

export interface StoreOptions {
  /** Revisions kept: older list snapshots, continue tokens and watch starting points answer 410 Expired. */
  historyWindow: number;
}

export class Store {
  rev = 0;
  /** Oldest readable revision (etcd's compacted revision); reads and watches from before it are expired. */
  compactRev = 0;
  historyWindow: number;
  /** Served kinds by store key (storeKeyOf): built-ins first, then custom resources as their CRDs appear. */
  readonly kinds = new Map<string, KindStore>();
  /** The same kinds by "group/version/resource", for routing requests. */
  private readonly byPath = new Map<string, KindStore>();
  /** Event log, oldest first, from index `logStart`. */
  private log: StoreEvent[] = [];
  private logStart = 0;
  /** Superseded versions, in the order they were superseded, to drop them once compacted. */
  private superseded: { by: number; entry: Entry }[] = [];
  private supersededStart = 0;
  private tombstones: { rv: number; kind: KindStore; key: string }[] = [];
  private tombstonesStart = 0;
  private readonly listeners = new Set<(e: StoreEvent) => void>();
  /** While loading in bulk, keys are appended and sorted once at the end (inserting in order is O(n) each), and
   * objects are packed into the arena's slabs. */
  private bulk = false;
  private readonly arena = new Arena();
  private changesSinceRepack = 0;
  private slabBytesReplaced = 0;

  constructor(options: StoreOptions) {
    this.historyWindow = Math.max(1, options.historyWindow);
    for (const k of kinds) this.addKind(k);
  }

  private addKind(info: KindInfo): KindStore {
    const ks = new KindStore(info);
    this.kinds.set(storeKeyOf(info), ks);
    this.byPath.set(`${info.group}/${info.version}/${info.resource}`, ks);
    return ks;
  }

  /** A kind by its store key ("pods", or "widgets.demo.timoneiro.dev" for a custom resource); throws if not served. */
  kind(resource: string): KindStore {
    const k = this.kinds.get(resource);
    if (!k) throw new Error(`unknown resource ${resource}`);
    return k;
  }

  /** The served kind at /api(s)/<group>/<version>/<resource>, if any. */
  lookup(group: string, version: string, resource: string): KindStore | undefined {
    return this.byPath.get(`${group}/${version}/${resource}`);
  }

  /**
   * Keeps the served custom resources in step with their CRDs: a new CRD starts serving its kind, a changed one
   * updates its columns, a deleted one stops serving it and drops its objects (the real server's CRD finalizer deletes
   * them before the CRD goes; here they go at once, and watchers of the kind are closed by the server).
   */
  private crdChanged(name: string, crd: KubeObject | undefined): void {
    const existing = this.kinds.get(name);
    const info = crd ? kindFromCrd(crd) : undefined;
    if (!info || info.crd?.name !== name) {
      if (existing?.info.crd) {
        this.kinds.delete(name);
        const path = `${existing.info.group}/${existing.info.version}/${existing.info.resource}`;
        if (this.byPath.get(path) === existing) this.byPath.delete(path);
      }
      return;
    }
    if (existing && existing.info.group === info.group && existing.info.version === info.version) {
      existing.info = info;
      return;
    }
    if (existing) this.crdChanged(name, undefined);
    this.addKind(info);
  }

  /** Loads many objects fast: no sorted inserts until endBulk(). */
  beginBulk(): void {
    this.bulk = true;
  }

  endBulk(): void {
    this.bulk = false;
    this.arena.seal();
    // etcd orders keys bytewise; our keys are ASCII, where UTF-16 order is the same.
    for (const k of this.kinds.values()) k.keys.sort();
  }

  subscribe(fn: (e: StoreEvent) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  /** Events with rv > `after` (after >= compactRev), oldest first. */
  eventsAfter(after: number): StoreEvent[] {
    let lo = this.logStart;
    let hi = this.log.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.log[mid]!.rv <= after) lo = mid + 1;
      else hi = mid;
    }
    return this.log.slice(lo);
  }

  get(resource: string, namespace: string, name: string): Version | undefined {
    const k = this.kind(resource);
    const e = k.entries.get(k.keyOf(namespace, name));
    return e && e.cur.buf !== null ? e.cur : undefined;
  }

  /** Parsed copy of the current object (callers mutate it and hand it back to update). */
  getObject(resource: string, namespace: string, name: string): KubeObject | undefined {
    const v = this.get(resource, namespace, name);
    return v ? (JSON.parse(v.buf!.toString()) as KubeObject) : undefined;
  }

  private version(k: KindStore, obj: KubeObject, rv: number): Version {
    obj.metadata ??= {};
    obj.metadata.resourceVersion = String(rv);
    const text = serialise(k.info, obj);
    return {
      rv,
      buf: this.bulk ? this.arena.put(text) : ownBuffer(text),
      labels: internLabels(obj.metadata.labels),
      fields: internFields(fieldsOf(k.info, obj)),
    };
  }

  create(resource: string, obj: KubeObject): Version {
    const k = this.kind(resource);
    const v = this.insert(k, obj.metadata?.namespace ?? "", obj.metadata?.name ?? "", (rv) => this.version(k, obj, rv));
    if (resource === "customresourcedefinitions") this.crdChanged(obj.metadata?.name ?? "", obj);
    return v;
  }

  /** Creates an object given as JSON text for its revision, with its labels and field values (the generator's fast
   * path: no object to serialise). */
  createSerialised(resource: string, o: SerialisedObject): Version {
    const k = this.kind(resource);
    return this.insert(k, o.namespace, o.name, (rv) => {
      const text = o.json(rv);
      return {
        rv,
        buf: this.bulk ? this.arena.put(text) : ownBuffer(text),
        labels: internLabels(o.labels),
        fields: internFields(o.fields),
      };
    });
  }

  private insert(k: KindStore, namespace: string, name: string, version: (rv: number) => Version): Version {
    const key = k.keyOf(namespace, name);
    const existing = k.entries.get(key);
    if (existing && existing.cur.buf !== null) {
      throw new StoreError("AlreadyExists", `${k.info.resource} "${name}" already exists`);
    }
    const rv = ++this.rev;
    const v = version(rv);
    if (existing) {
      // Re-created while the deletion is still in the history: the tombstone stays readable for old snapshots.
      this.supersede(existing, v);
      k.deleted--;
    } else {
      k.entries.set(key, { key, cur: v, older: null });
      if (this.bulk) k.keys.push(key);
      else k.keys.splice(k.lowerBound(key), 0, key);
    }
    this.emit({ rv, kind: k, key, type: "ADDED", cur: v, prev: null });
    return v;
  }

  update(resource: string, obj: KubeObject): Version {
    const k = this.kind(resource);
    const key = k.keyOf(obj.metadata?.namespace ?? "", obj.metadata?.name ?? "");
    const e = k.entries.get(key);
    if (!e || e.cur.buf === null)
      throw new StoreError("NotFound", `${k.info.resource} "${obj.metadata?.name}" not found`);
    const prev = e.cur;
    const rv = ++this.rev;
    const v = this.version(k, obj, rv);
    this.supersede(e, v);
    if (resource === "customresourcedefinitions") this.crdChanged(key, obj);
    this.emit({ rv, kind: k, key, type: "MODIFIED", cur: v, prev });
    return v;
  }

  /** Removes the object now; returns its last state stamped with the deletion revision. */
  delete(resource: string, namespace: string, name: string): Version {
    const k = this.kind(resource);
    const key = k.keyOf(namespace, name);
    const e = k.entries.get(key);
    if (!e || e.cur.buf === null) throw new StoreError("NotFound", `${k.info.resource} "${name}" not found`);
    const prev = e.cur;
    const rv = ++this.rev;
    const last = JSON.parse(prev.buf!.toString()) as KubeObject;
    const stamped = this.version(k, last, rv);
    this.supersede(e, { rv, buf: null, labels: prev.labels, fields: prev.fields });
    this.tombstones.push({ rv, kind: k, key });
    // Before the event goes out, so that its listeners already see the custom resource gone.
    if (resource === "customresourcedefinitions") this.crdChanged(key, undefined);
    this.emit({ rv, kind: k, key, type: "DELETED", cur: stamped, prev });
    return stamped;
  }

  private supersede(e: Entry, v: Version): void {
    const old = e.cur;
    if (old.buf && this.arena.slabs.has(old.buf.buffer)) this.slabBytesReplaced += old.buf.length;
    e.cur = v;
    if (this.historyWindow > 0) {
      e.older ??= [];
      e.older.unshift(old);
      this.superseded.push({ by: v.rv, entry: e });
    }
  }

  private emit(ev: StoreEvent): void {
    ev.kind.lastChange = ev.rv;
    if (ev.type === "DELETED") ev.kind.deleted++;
    this.log.push(ev);
    this.compact();
    if (!this.bulk && ++this.changesSinceRepack >= REPACK_EVERY && this.slabBytesReplaced >= REPACK_AFTER_BYTES) {
      this.repack();
    }
    for (const fn of this.listeners) fn(ev);
  }

  /**
   * Moves the objects still alive in the sparsest partly dead slab (a tenth or more of the bytes written into it
   * belong to objects replaced or deleted since) into slabs of their exact size, and lets the old one go: without
   * this a long churn would keep every bulk-loaded slab beside the newer copies of its objects. Every version in an
   * entry (current or in the history window) counts; events in the log share those versions, so re-pointing them
   * covers the log too. One slab a look: churn replaces objects at random, so the slabs thin out together, and moving
   * them all at once would copy the whole store in one go and hold it twice until the old slabs are collected.
   */
  repack(): void {
    this.changesSinceRepack = 0;
    this.slabBytesReplaced = 0;
    const arena = this.arena;
    if (arena.slabs.size === 0) return;
    const each = (fn: (v: Version) => void) => {
      for (const k of this.kinds.values()) {
        for (const e of k.entries.values()) {
          fn(e.cur);
          if (e.older) for (const o of e.older) fn(o);
        }
      }
    };
    const live = new Map<ArrayBufferLike, number>();
    each((v) => {
      const slab = v.buf?.buffer;
      if (slab && arena.slabs.has(slab)) live.set(slab, (live.get(slab) ?? 0) + v.buf!.length);
    });
    let sparsest: ArrayBufferLike | undefined;
    let sparsestShare = DENSE;
    for (const [slab, written] of arena.slabs) {
      const share = (live.get(slab) ?? 0) / written;
      if (slab !== arena.current && share < sparsestShare) {
        sparsest = slab;
        sparsestShare = share;
      }
    }
    if (sparsest === undefined) return;
    arena.release(sparsest);
    const bytes = live.get(sparsest) ?? 0;
    if (bytes === 0) return;
    // Survivors go into slabs of at most SURVIVOR_SLAB bytes, so that re-packing one of them later copies little.
    let left = bytes;
    let into = arena.survivorSlab(Math.min(left, SURVIVOR_SLAB));
    let at = 0;
    each((v) => {
      const buf = v.buf;
      if (buf?.buffer !== sparsest) return;
      if (at + buf.length > into.length) {
        left -= at;
        into = arena.survivorSlab(Math.max(buf.length, Math.min(left, SURVIVOR_SLAB)));
        at = 0;
      }
      // A view shared by two versions would be counted twice above: then there is room to spare, never too little.
      v.buf = into.subarray(at, at + buf.copy(into, at));
      at += buf.length;
    });
  }

  /** Moves the compacted revision so that `historyWindow` revisions stay readable, dropping what fell out. */
  compact(target = this.rev - this.historyWindow): void {
    if (target <= this.compactRev) return;
    this.compactRev = target;
    while (this.logStart < this.log.length && this.log[this.logStart]!.rv <= target) this.logStart++;
    if (this.logStart > 4096 && this.logStart * 2 > this.log.length) {
      this.log = this.log.slice(this.logStart);
      this.logStart = 0;
    }
    // A version superseded at revision `by` is only visible to snapshots below `by`, all compacted now.
    while (this.supersededStart < this.superseded.length && this.superseded[this.supersededStart]!.by <= target) {
      const { entry } = this.superseded[this.supersededStart++]!;
      if (entry.older) {
        // older is newest first; every version superseded at or before `by` goes.
        let keep = entry.older.length;
        while (keep > 0 && this.supersededBy(entry, keep - 1) <= target) keep--;
        entry.older.length = keep;
        if (keep === 0) entry.older = null;
      }
    }
    if (this.supersededStart > 4096 && this.supersededStart * 2 > this.superseded.length) {
      this.superseded = this.superseded.slice(this.supersededStart);
      this.supersededStart = 0;
    }
    while (this.tombstonesStart < this.tombstones.length && this.tombstones[this.tombstonesStart]!.rv <= target) {
      const { kind, key, rv } = this.tombstones[this.tombstonesStart++]!;
      const e = kind.entries.get(key);
      if (e && e.cur.buf === null && e.cur.rv === rv) {
        kind.deleted--;
        kind.entries.delete(key);
        const i = kind.lowerBound(key);
        if (kind.keys[i] === key) kind.keys.splice(i, 1);
      }
    }
    if (this.tombstonesStart > 4096 && this.tombstonesStart * 2 > this.tombstones.length) {
      this.tombstones = this.tombstones.slice(this.tombstonesStart);
      this.tombstonesStart = 0;
    }
  }

  /** Revision at which older[i] was replaced: the rv of the next newer version. */
  private supersededBy(e: Entry, i: number): number {
    return i === 0 ? e.cur.rv : e.older![i - 1]!.rv;
  }

  /** Counts of current objects per resource (for reports and tests). */
  counts(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const [r, k] of this.kinds) {
      let n = 0;
      for (const e of k.entries.values()) if (e.cur.buf !== null) n++;
      out[r] = n;
    }
    return out;
  }
}
