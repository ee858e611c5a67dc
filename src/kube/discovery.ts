// Server discovery: which kinds the server serves, as ApiKind[] in kubectl's priority order.
//
// Like client-go, ask /api and /apis for aggregated discovery (apidiscovery.k8s.io v2, then v2beta1: one document each
// for everything) and fall back to the legacy documents (/api/v1, /apis/{group}/{version}, one request per group
// version) when the server answers with the legacy form. A group version that cannot be discovered (an aggregated
// APIService down: "Stale" in the aggregated document, a 503 from its legacy document) is reported in `failed` and the
// others are kept, as kubectl does.
//
// Order matters: resolve.ts picks the first match, so kinds come out in kubectl's RESTMapper priority: core v1 first,
// then the groups in the server's order (kube-apiserver sorts them by APIService priority), and within a group the
// preferred (first fresh) version before the others. A resource served in several versions of its group appears
// once, in the first of them that serves it.
import { KubeError, oneLine } from "./errors.ts";
import { type ApiKind, kindKey } from "./kinds.ts";
import type { Transport } from "./transport.ts";

/** The Accept header client-go's discovery client sends: aggregated v2, then v2beta1, then the legacy documents. */
export const DISCOVERY_ACCEPT =
  "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList," +
  "application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList," +
  "application/json";

/** What the server serves. */
export interface Discovery {
  /** Every resource (no subresources), in kubectl's priority order: see resolve.ts. */
  kinds: ApiKind[];
  /** Group versions that could not be discovered, with why; their kinds are missing from `kinds`. */
  failed: { groupVersion: string; error: string }[];
  /** Which form the server answered in (the core group's answer when the two documents disagree). */
  mode: "aggregated" | "legacy";
}

export interface DiscoverOptions {
  signal?: AbortSignal;
  /** Per-request deadline for a stalled server (default 30 s). */
  timeoutMs?: number;
  /** Legacy discovery only: at most this many group-version documents in flight (default 8). */
  concurrency?: number;
  /** Ask for the legacy documents only, as client-go does with useLegacyDiscovery. */
  legacy?: boolean;
}

/**
 * Fetches the server's discovery. Throws a KubeError when /api or /apis themselves fail (unreachable server, 401, ...);
 * a failed group version is reported in `failed` instead.
 */
export async function discover(transport: Transport, options: DiscoverOptions = {}): Promise<Discovery> {
  const get = (path: string, accept: string) =>
    transport.request(path, { accept, signal: options.signal, idleTimeoutMs: options.timeoutMs ?? 30_000 });
  const accept = options.legacy ? "application/json" : DISCOVERY_ACCEPT;
  const [core, groups] = await Promise.all([get("/api", accept), get("/apis", accept)]);
  const failed: Discovery["failed"] = [];
  const versions: GroupVersionResources[] = [];
  let mode: Discovery["mode"] = "aggregated";
  const legacyGroupVersions: { group: string; version: string }[] = [];

  for (const [path, res] of [
    ["/api", core],
    ["/apis", groups],
  ] as const) {
    const doc = parseJson(res.body, path) as {
      kind?: string;
      items?: unknown;
      versions?: unknown;
      groups?: unknown;
    };
    if (isAggregated(res.headers["content-type"], doc)) {
      versions.push(...fromAggregated(doc as AggregatedList, path === "/api", failed));
      continue;
    }
    if (path === "/api") mode = "legacy";
    if (path === "/api") {
      const core = doc as { versions?: string[] };
      for (const version of core.versions ?? []) legacyGroupVersions.push({ group: "", version });
    } else {
      legacyGroupVersions.push(...preferredFirst(doc as LegacyGroupList));
    }
  }

  if (legacyGroupVersions.length > 0) {
    const fetched = await mapLimited(legacyGroupVersions, options.concurrency ?? 8, async ({ group, version }) => {
      const path = group === "" ? `/api/${version}` : `/apis/${group}/${version}`;
      try {
        const res = await get(path, "application/json");
        return fromLegacy(group, version, parseJson(res.body, path) as LegacyResourceList);
      } catch (err) {
        if (options.signal?.aborted) throw err;
        failed.push({ groupVersion: groupVersionOf(group, version), error: oneLine(err) });
        return undefined;
      }
    });
    // Core before the groups, as in the aggregated form (where /api is read first too).
    const legacy = fetched.filter((v): v is GroupVersionResources => v !== undefined);
    versions.unshift(...legacy.filter((v) => v.group === ""));
    versions.push(...legacy.filter((v) => v.group !== ""));
  }

  return { kinds: mergeVersions(versions), failed, mode };
}

/** The resources of one group version, as either discovery form gives them. */
interface GroupVersionResources {
  group: string;
  version: string;
  kinds: ApiKind[];
}

/**
 * One ApiKind per group and resource, in priority order: core v1 first (kubectl's RESTMapper puts it first whatever
 * the server's order), then each group's versions in the order given (preferred first).
 */
function mergeVersions(versions: GroupVersionResources[]): ApiKind[] {
  const ordered = [
    ...versions.filter((v) => v.group === "" && v.version === "v1"),
    ...versions.filter((v) => !(v.group === "" && v.version === "v1")),
  ];
  const byKey = new Map<string, { kind: ApiKind; versions: string[] }>();
  for (const gv of ordered) {
    for (const kind of gv.kinds) {
      const known = byKey.get(kind.key);
      if (known) {
        if (!known.versions.includes(kind.version)) known.versions.push(kind.version);
      } else byKey.set(kind.key, { kind, versions: [kind.version] });
    }
  }
  return [...byKey.values()].map(({ kind, versions }) => ({ ...kind, versions }));
}

// --- aggregated discovery (apidiscovery.k8s.io v2 and v2beta1 have the same JSON shape for what we read)

interface AggregatedList {
  kind?: string;
  items?: {
    metadata?: { name?: string };
    versions?: {
      version?: string;
      freshness?: string;
      resources?: {
        resource?: string;
        responseKind?: { group?: string; version?: string; kind?: string } | null;
        scope?: string;
        singularResource?: string;
        shortNames?: string[];
        categories?: string[];
        verbs?: string[];
        subresources?: { subresource?: string }[] | null;
      }[];
    }[];
  }[];
}

function isAggregated(contentType: string | undefined, doc: { kind?: string }): boolean {
  // client-go decides by the Content-Type; a proxy may drop its parameters, so the document's own kind counts too.
  if (contentType && /as=APIGroupDiscoveryList/.test(contentType) && /g=apidiscovery\.k8s\.io/.test(contentType)) {
    return true;
  }
  return doc.kind === "APIGroupDiscoveryList";
}

function fromAggregated(list: AggregatedList, core: boolean, failed: Discovery["failed"]): GroupVersionResources[] {
  const out: GroupVersionResources[] = [];
  for (const item of list.items ?? []) {
    const group = core ? "" : (item.metadata?.name ?? "");
    // Versions come sorted by preference; a stale one is an APIService that did not answer (client-go skips it, and
    // the first fresh one becomes the preferred version).
    for (const v of item.versions ?? []) {
      const version = v.version ?? "";
      if (v.freshness === "Stale") {
        failed.push({
          groupVersion: groupVersionOf(group, version),
          error: `discovery of ${groupVersionOf(group, version)} is stale: its API service did not answer`,
        });
        continue;
      }
      const kinds: ApiKind[] = [];
      for (const r of v.resources ?? []) {
        // client-go drops a resource without a responseKind (it cannot map it to a kind).
        if (!r.resource || !r.responseKind?.kind) continue;
        kinds.push({
          key: kindKey(group, r.resource),
          group,
          version,
          resource: r.resource,
          singular: r.singularResource || r.responseKind.kind.toLowerCase(),
          kind: r.responseKind.kind,
          namespaced: r.scope === "Namespaced",
          shortNames: r.shortNames ?? [],
          verbs: r.verbs ?? [],
          categories: r.categories ?? [],
          ...(r.subresources?.length && {
            subresources: r.subresources.map((sub) => sub.subresource ?? "").filter(Boolean),
          }),
        });
      }
      out.push({ group, version, kinds });
    }
  }
  return out;
}

// --- legacy discovery

interface LegacyGroupList {
  groups?: {
    name?: string;
    versions?: { version?: string }[];
    preferredVersion?: { version?: string };
  }[];
}

interface LegacyResourceList {
  resources?: {
    name?: string;
    singularName?: string;
    namespaced?: boolean;
    kind?: string;
    verbs?: string[];
    shortNames?: string[];
    categories?: string[];
  }[];
}

/** Every group version of an APIGroupList, each group's preferred version first, then its others in order. */
function preferredFirst(list: LegacyGroupList): { group: string; version: string }[] {
  const out: { group: string; version: string }[] = [];
  for (const g of list.groups ?? []) {
    const group = g.name ?? "";
    const preferred = g.preferredVersion?.version;
    const all = (g.versions ?? []).map((v) => v.version ?? "").filter(Boolean);
    if (preferred && all.includes(preferred)) out.push({ group, version: preferred });
    for (const version of all) if (version !== preferred) out.push({ group, version });
  }
  return out;
}

function fromLegacy(group: string, version: string, list: LegacyResourceList): GroupVersionResources {
  const kinds: ApiKind[] = [];
  const subresources = new Map<string, string[]>();
  for (const r of list.resources ?? []) {
    const [parent, sub] = (r.name ?? "").split("/");
    if (parent && sub) subresources.set(parent, [...(subresources.get(parent) ?? []), sub]);
  }
  for (const r of list.resources ?? []) {
    // "pods/log", "deployments/scale": subresources are not kinds one can list.
    if (!r.name || r.name.includes("/") || !r.kind) continue;
    const subs = subresources.get(r.name);
    kinds.push({
      key: kindKey(group, r.name),
      group,
      version,
      resource: r.name,
      // Older servers leave singularName empty; kubectl's RESTMapper then uses the lower-cased kind.
      singular: r.singularName || r.kind.toLowerCase(),
      kind: r.kind,
      namespaced: r.namespaced === true,
      shortNames: r.shortNames ?? [],
      verbs: r.verbs ?? [],
      categories: r.categories ?? [],
      ...(subs && { subresources: subs }),
    });
  }
  return { group, version, kinds };
}

// --- helpers

function groupVersionOf(group: string, version: string): string {
  return group === "" ? version : `${group}/${version}`;
}

function parseJson(body: Buffer, path: string): unknown {
  try {
    const parsed: unknown = JSON.parse(body.toString("utf8"));
    if (parsed && typeof parsed === "object") return parsed;
  } catch {
    // reported below
  }
  throw new KubeError("protocol", `the server's discovery document ${path} is not a JSON object`);
}

/** `fn` over `items` with at most `limit` calls in flight; results in the order of `items`. */
async function mapLimited<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
