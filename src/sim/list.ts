// LIST: snapshot reads with limit/continue, resourceVersion semantics and selectors as kube-apiserver 1.3x serves them
// (watch cache for rv="0", consistent reads at the current revision for rv="", Exact reads from history, continue
// tokens that pin the first page's revision and expire with compaction).
import { apiVersionOf } from "./kinds.ts";
import type { FieldRequirement, Requirement } from "./selectors.ts";
import { matchFields, matchLabels } from "./selectors.ts";
import { badRequest, expired, invalidListOptions, tooLargeResourceVersion } from "./status.ts";
import { type KindStore, type Store, type Version, versionAt } from "./store.ts";

/**
 * The deleted entries of each kind that the store still keeps for its history (tombstones), so that a first page's
 * remainingItemCount costs O(tombstones) instead of a pass over every key: at 100k pods that pass took ~40 ms, paid
 * by every client's first page as soon as one pod had been deleted in the history window, where kube-apiserver
 * answers a limit=100 LIST in a few ms whatever the size. Deletions are seen as DELETED events; a key re-created or
 * dropped by compaction (which sends no event) is noticed, and forgotten, when the tombstones are next counted.
 */
export class Tombstones {
  private readonly byKind = new WeakMap<KindStore, Set<string>>();

  constructor(store: Store) {
    // Deletions from before this index: found once by looking (none in a freshly generated cluster).
    for (const k of store.kinds.values()) {
      if (k.deleted === 0) continue;
      for (const [key, e] of k.entries) if (e.cur.buf === null) this.of(k).add(key);
    }
    store.subscribe((e) => {
      if (e.type === "DELETED") this.of(e.kind).add(e.key);
      else if (e.type === "ADDED") this.byKind.get(e.kind)?.delete(e.key);
    });
  }

  private of(k: KindStore): Set<string> {
    let keys = this.byKind.get(k);
    if (!keys) {
      keys = new Set();
      this.byKind.set(k, keys);
    }
    return keys;
  }

  /** Keys of `k` deleted now (as of the latest revision) that are >= `from` and start with `prefix`. */
  countFrom(k: KindStore, from: string, prefix: string): number {
    const keys = this.byKind.get(k);
    if (!keys || k.deleted === 0) return 0;
    let n = 0;
    for (const key of keys) {
      if (k.entries.get(key)?.cur.buf !== null) keys.delete(key);
      else if (key >= from && key.startsWith(prefix)) n++;
    }
    return n;
  }
}

export interface ListQuery {
  namespace: string;
  resourceVersion?: string;
  match?: string;
  limit: number;
  continueToken?: string;
  labels: Requirement[];
  fields: FieldRequirement[];
}

export interface ListPage {
  at: number;
  items: Version[];
  continueToken?: string;
  remainingItemCount?: number;
}

interface Token {
  v: string;
  rv: number;
  start: string;
  /** Items left from `start` at `rv` (the real server's fast-count field), so later pages need not count again. */
  rc?: number;
}

export function encodeContinue(rv: number, start: string, rc?: number): string {
  return Buffer.from(JSON.stringify({ v: "meta.k8s.io/v1", rv, start, ...(rc ? { rc } : {}) })).toString("base64url");
}

function decodeContinue(token: string): Token {
  const bad = (why: string) => badRequest(`invalid continue token: continue key is not valid${why}`);
  let t: Token;
  try {
    if (!/^[A-Za-z0-9_-]*$/.test(token)) throw new Error("illegal base64 data");
    t = JSON.parse(Buffer.from(token, "base64url").toString()) as Token;
  } catch (e) {
    throw bad(`: ${(e as Error).message}`);
  }
  if (t.v !== "meta.k8s.io/v1") throw bad(`: server does not recognize this encoded version ${t.v}`);
  if (!t.rv) throw bad(": incorrect encoded start resourceVersion (version meta.k8s.io/v1)");
  if (!t.start) throw bad(": encoded start key empty (version meta.k8s.io/v1)");
  if (t.start.split("/").some((p) => p === ".." || p === ".")) throw bad(`: ${t.start}`);
  return t;
}

export function parseResourceVersion(rv: string): number {
  if (!/^\d+$/.test(rv)) {
    throw badRequest(`invalid resource version: strconv.ParseUint: parsing ${JSON.stringify(rv)}: invalid syntax`);
  }
  return Number(rv);
}

/** ValidateListOptions for a list (not a watch). */
export function validateListQuery(q: ListQuery, sendInitialEvents: string | undefined): void {
  const causes: { field: string; type: string; detail: string; value?: string }[] = [];
  const m = q.match;
  if (m) {
    if (!q.resourceVersion) {
      causes.push({
        field: "resourceVersionMatch",
        type: "FieldValueForbidden",
        detail: "resourceVersionMatch is forbidden unless resourceVersion is provided",
      });
    }
    if (q.continueToken) {
      causes.push({
        field: "resourceVersionMatch",
        type: "FieldValueForbidden",
        detail: "resourceVersionMatch is forbidden when continue is provided",
      });
    }
    if (m !== "Exact" && m !== "NotOlderThan") {
      causes.push({
        field: "resourceVersionMatch",
        type: "FieldValueNotSupported",
        value: m,
        detail: '"Exact", "NotOlderThan", ""',
      });
    }
    if (m === "Exact" && q.resourceVersion === "0") {
      causes.push({
        field: "resourceVersionMatch",
        type: "FieldValueForbidden",
        detail: 'resourceVersionMatch "exact" is forbidden for resourceVersion "0"',
      });
    }
  }
  if (sendInitialEvents !== undefined) {
    causes.push({
      field: "sendInitialEvents",
      type: "FieldValueForbidden",
      detail: "sendInitialEvents is forbidden for list",
    });
  }
  if (causes.length) throw invalidListOptions(causes);
}

/** Resolves once the store has reached `rv`, or throws the 504 the real server answers after waiting 3 s. */
export function waitForRevision(store: Store, rv: number, waitMs: number): Promise<void> {
  if (store.rev >= rv) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      unsubscribe();
      reject(tooLargeResourceVersion(rv, store.rev));
    }, waitMs);
    const unsubscribe = store.subscribe(() => {
      if (store.rev >= rv) {
        clearTimeout(timer);
        unsubscribe();
        resolve();
      }
    });
  });
}

const tooOldList = "The resourceVersion for the provided list is too old.";
const inconsistentContinue =
  "The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.";

/**
 * One page of a LIST. `tombstones` (of this store) makes the first page's remainingItemCount cheap when objects have
 * been deleted; without it the deleted entries are skipped by looking at every key from the page's end.
 */
export async function readPage(
  store: Store,
  k: KindStore,
  q: ListQuery,
  tooLargeWaitMs: number,
  tombstones?: Tombstones,
): Promise<ListPage> {
  const prefix = k.info.namespaced && q.namespace ? `${q.namespace}/` : "";
  let at: number;
  let startKey = prefix;
  let knownRemaining: number | undefined;
  let limit = q.limit;
  if (q.continueToken) {
    if (q.resourceVersion && q.resourceVersion !== "0") {
      throw badRequest("specifying resource version is not allowed when using continue");
    }
    const t = decodeContinue(q.continueToken);
    startKey = prefix + t.start;
    if (t.rv > 0 && t.rv < store.compactRev) {
      // etcd's ErrCompacted while paging: offer a token that continues at the latest revision (rv -1).
      throw expired(inconsistentContinue, encodeContinue(-1, t.start));
    }
    at = t.rv > 0 ? t.rv : store.rev;
    if (t.rv > 0 && t.rc) knownRemaining = t.rc;
    if (at > store.rev) await waitForRevision(store, at, tooLargeWaitMs);
  } else if (q.resourceVersion === undefined || q.resourceVersion === "") {
    at = store.rev;
  } else {
    const rv = parseResourceVersion(q.resourceVersion);
    const exact = q.match === "Exact" || (!q.match && limit > 0 && rv !== 0);
    if (rv > store.rev) await waitForRevision(store, rv, tooLargeWaitMs);
    if (exact) {
      if (rv < store.compactRev) throw expired(tooOldList);
      at = rv;
    } else {
      at = store.rev;
      // The watch cache serves rv="0" and ignores the limit (cacher.computeListLimit).
      if (rv === 0) limit = 0;
    }
  }
  const empty = q.labels.length === 0 && q.fields.length === 0;
  const keys = k.keys;
  const items: Version[] = [];
  let i = k.lowerBound(startKey);
  let lastKey = "";
  let hasMore = false;
  for (; i < keys.length; i++) {
    const key = keys[i]!;
    if (prefix && !key.startsWith(prefix)) break;
    const v = versionAt(k.entries.get(key)!, at);
    if (!v) continue;
    if (limit > 0 && items.length >= limit) {
      hasMore = true;
      break;
    }
    if (!empty && !(matchLabels(q.labels, v.labels) && matchFields(q.fields, v.fields))) continue;
    items.push(v);
    lastKey = key;
  }
  const page: ListPage = { at, items };
  if (hasMore) {
    let remaining: number | undefined;
    if (empty) {
      // etcd counts every key from the page's start; the real server reports count - limit. Counted once per list:
      // later pages subtract what they returned from the count their token carries.
      if (knownRemaining !== undefined) remaining = knownRemaining - items.length;
      else if (k.lastChange <= at && (k.deleted === 0 || tombstones)) {
        // Nothing changed since `at`: every key is a live object but for the tombstones (keys[i] is a live one).
        const end = prefix ? k.lowerBound(`${prefix.slice(0, -1)}0`) : keys.length;
        remaining = end - i - (tombstones?.countFrom(k, keys[i]!, prefix) ?? 0);
      } else {
        remaining = 0;
        for (; i < keys.length; i++) {
          const key = keys[i]!;
          if (prefix && !key.startsWith(prefix)) break;
          if (versionAt(k.entries.get(key)!, at)) remaining++;
        }
      }
      page.remainingItemCount = remaining;
    }
    page.continueToken = encodeContinue(at, `${lastKey.slice(prefix.length)}\u0000`, remaining);
  }
  return page;
}

/** Writes a list response's JSON into parts (items without kind/apiVersion, as the real server lists them). */
export function listParts(k: KindStore, page: ListPage): Buffer[] {
  const meta: Record<string, unknown> = { resourceVersion: String(page.at) };
  if (page.continueToken) meta.continue = page.continueToken;
  if (page.remainingItemCount !== undefined) meta.remainingItemCount = page.remainingItemCount;
  const head = Buffer.from(
    `{"kind":"${k.info.kind}List","apiVersion":"${apiVersionOf(k.info)}","metadata":${JSON.stringify(meta)},"items":[`,
  );
  const parts: Buffer[] = [head];
  const skip = k.typePrefix.length;
  const open = Buffer.from("{");
  const comma = Buffer.from(",{");
  for (let n = 0; n < page.items.length; n++) {
    parts.push(n === 0 ? open : comma, page.items[n]!.buf!.subarray(skip));
  }
  parts.push(Buffer.from("]}"));
  return parts;
}
