// The simulated kube-apiserver: HTTPS with a CA made at start, bearer-token auth, discovery, LIST/GET/WATCH on the
// served kinds and their writes (writes.ts: create, delete, patch, update, scale, eviction, access reviews, acted on by
// controllers.ts), server-side Tables, churn and fault injection.

import { randomBytes } from "node:crypto";
import { writeFileSync } from "node:fs";
import http, { type IncomingMessage, type ServerResponse } from "node:http";
import https from "node:https";
import type { Socket } from "node:net";
import type { Duplex } from "node:stream";
import type { KubeObject } from "../kube/objects.ts";
import { apiPath } from "./api-path.ts";
import { Churn } from "./churn.ts";
import { Controllers } from "./controllers.ts";
import {
  aggregatedDiscovery,
  apiGroupDoc,
  apiGroupList,
  apiResourceList,
  apiVersions,
  discoveryV2ContentType,
} from "./discovery.ts";
import { parseRemoteCommand, RemoteCommandServer, rejectUpgrade } from "./exec.ts";
import type { FaultControls, FaultSpec } from "./faults.ts";
import { type KindInfo, storeKeyOf } from "./kinds.ts";
import { kubeconfigYaml } from "./kubeconfig.ts";
import { type ListQuery, listParts, readPage, Tombstones, validateListQuery } from "./list.ts";
import {
  containerLog,
  finished as finishedLog,
  initialLines,
  newLines as newLogLines,
  parseLogQuery,
  restartCounts,
} from "./logs.ts";
import { type MetricsAvailability, SimMetrics } from "./metrics.ts";
import { NOT_ACCEPTABLE_MESSAGE, negotiateError, negotiateResource } from "./negotiate.ts";
import { populate } from "./populate.ts";
import { PortForwardServer } from "./portforward.ts";
import { PodMessages, PROTOBUF, podListParts, servesProtobuf, statusMessage } from "./protobuf.ts";
import {
  type FieldRequirement,
  parseFieldSelector,
  parseLabelSelector,
  type Requirement,
  SelectorError,
} from "./selectors.ts";
import {
  ApiError,
  alreadyExists,
  badRequest,
  forbidden,
  internalError,
  methodNotAllowed,
  notFound,
  pathNotFound,
  type StatusBody,
  tooManyRequests,
  unauthorized,
} from "./status.ts";
import { Store, StoreError, type Version } from "./store.ts";
import { negotiate, tableJson, tableRow } from "./table.ts";
import { makeServingCerts } from "./tls.ts";
import { validateWatchQuery, type WatchQuery, WatchSession } from "./watch.ts";
import { type Caller, Writes } from "./writes.ts";

export interface SimUser {
  name: string;
  token: string;
  /** What this user may not do (403): "pods" any verb on pods (and their eviction, or a kind's scale),
   * "pods/eviction" or "pods/log" one subresource, "delete:pods" one verb (writes.ts). */
  deny?: string[];
}

export interface SimOptions {
  pods: number;
  seed?: number;
  /** Changes per second (creates, status changes, restarts, deletes, rollouts); 0 = a still cluster. */
  churn?: number;
  /** 0 = a free port. */
  port?: number;
  host?: "127.0.0.1";
  /** HTTPS with a generated CA (default). false serves plain HTTP. */
  tls?: boolean;
  /** Bearer token of the default user "timoneiro" (random when omitted). */
  token?: string;
  users?: SimUser[];
  faults?: FaultSpec;
  /** Revisions kept for watch resumption, Exact reads and continue tokens (default 10,000). */
  historyWindow?: number;
  /** Bookmark period for watches that allow them (default 60 s like the real cacher). */
  bookmarkIntervalMs?: number;
  /** How long a gracefully deleted pod stays Terminating before it is removed (default 2 s). */
  deleteGraceMs?: number;
  namespaces?: number;
  nodes?: number;
  /** Wait for a too-large resourceVersion before answering 504 (default 3 s like the watch cache). */
  tooLargeWaitMs?: number;
  /** Base time of the generated cluster (epoch ms; default now). */
  now?: number;
  /** Log each request to stderr. */
  log?: boolean;
  /** The metrics API (metrics.k8s.io): its resolution (default 15 s) and whether it is served (default "ok"). */
  metrics?: { resolutionMs?: number; availability?: MetricsAvailability };
}

/** Direct access to the simulated cluster's objects. `resource` is a built-in's plural ("pods", "jobs") or, for a custom
 * resource, its CRD's name ("widgets.demo.timoneiro.dev"); creating or deleting a CustomResourceDefinition starts or
 * stops serving its resource. */
export interface SimStore {
  /** Current objects of a resource, as a client listing them would see them (parsed). */
  list(resource: string, namespace?: string): KubeObject[];
  get(resource: string, namespace: string, name: string): KubeObject | undefined;
  create(resource: string, obj: KubeObject): KubeObject;
  update(resource: string, obj: KubeObject): KubeObject;
  /** Deletes at once (no grace), emitting DELETED. */
  delete(resource: string, namespace: string, name: string): void;
  /** A new pod for an existing workload, in the given state (Running by default). */
  createPod(namespace?: string, state?: import("./generate.ts").PodState): KubeObject;
  /** Current global revision. */
  revision(): number;
  /** Compacts history up to `rev` (default: the latest revision; older reads, tokens and watches expire). */
  compact(rev?: number): void;
  counts(): Record<string, number>;
}

export interface SimServer {
  url: string;
  port: number;
  caPem: string;
  token: string;
  kubeconfig(contextName?: string): string;
  writeKubeconfig(path: string, contextName?: string): void;
  faults: FaultControls;
  store: SimStore;
  /** Live controls of the churn. */
  churn: { setRate(eventsPerSecond: number): void; step(n: number): void };
  /** The simulated metrics-server: set `availability` to make it absent (404) or unavailable (503). */
  metrics: SimMetrics;
  /** Number of open watch streams. */
  watchCount(): number;
  /** Closes every connection and the listener and listens again on the same port. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

/** A following log response, ended when the pod goes, the container restarts or the server restarts. */
interface LogStream {
  end(): void;
}

const PUBLIC_PATHS = new Set(["/version", "/healthz", "/livez", "/readyz"]);

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

export async function startSimServer(options: SimOptions): Promise<SimServer> {
  const seed = options.seed ?? 1;
  const now = options.now ?? Math.floor(Date.now() / 1000) * 1000;
  const store = new Store({ historyWindow: options.historyWindow ?? 10_000 });
  const { model, extras } = populate(store, {
    pods: options.pods,
    seed,
    namespaces: options.namespaces,
    nodes: options.nodes,
    now,
  });
  // Pods asked for in protobuf are transcoded from their JSON once per version (protobuf.ts).
  const podMessages = new PodMessages(store.rev);
  // What the first page of a LIST needs to count the rest in O(deleted objects) rather than O(objects).
  const tombstones = new Tombstones(store);
  const tls = options.tls ?? true;
  const certs = tls ? await makeServingCerts() : undefined;
  const token = options.token ?? randomBytes(24).toString("hex");
  const users: SimUser[] = [{ name: "timoneiro", token }, ...(options.users ?? [])];
  const byToken = new Map(users.map((u) => [u.token, u]));
  const host = options.host ?? "127.0.0.1";
  const bookmarkIntervalMs = options.bookmarkIntervalMs ?? 60_000;
  const deleteGraceMs = options.deleteGraceMs ?? 2000;
  const tooLargeWaitMs = options.tooLargeWaitMs ?? 3000;

  const faults: FaultSpec = {};
  const sockets = new Set<Socket>();
  const watches = new Set<WatchSession>();
  const logStreams = new Set<LogStream>();
  const stalled = new Set<ServerResponse>();
  const timers = new Set<NodeJS.Timeout>();
  let dropTimer: NodeJS.Timeout | undefined;
  let stopped = false;

  const later = (ms: number, fn: () => void) => {
    const t = setTimeout(() => {
      timers.delete(t);
      fn();
    }, ms);
    timers.add(t);
    return t;
  };

  const churn = new Churn(store, model, seed, { deleteGraceMs, schedule: later, extras });
  const controllers = new Controllers({ store, churn, model, schedule: later, deleteGraceMs, seed });
  const writes = new Writes({ store, controllers, faults, seed });
  const metrics = new SimMetrics(store, { seed, origin: now, ...options.metrics });

  // A deleted CRD takes its resource's storage with it: the real server stops that cacher, which ends its watches.
  store.subscribe((e) => {
    if (e.type !== "DELETED" || e.kind.info.resource !== "customresourcedefinitions") return;
    for (const w of [...watches]) {
      const info = w.kindStore.info;
      if (info.crd && store.kinds.get(info.crd.name) !== w.kindStore) w.close();
    }
  });

  function applyFaults(spec: FaultSpec): void {
    if (spec.expireWatches) faults.expireWatches = (faults.expireWatches ?? 0) + spec.expireWatches;
    if (spec.status429) faults.status429 = (faults.status429 ?? 0) + spec.status429;
    if (spec.status500) faults.status500 = (faults.status500 ?? 0) + spec.status500;
    if (spec.stallRequests) faults.stallRequests = (faults.stallRequests ?? 0) + spec.stallRequests;
    if (spec.retryAfterSeconds !== undefined) faults.retryAfterSeconds = spec.retryAfterSeconds;
    if (spec.latencyMs !== undefined) faults.latencyMs = spec.latencyMs;
    if (spec.stallWatches !== undefined) faults.stallWatches = spec.stallWatches;
    if (spec.rbacDeny) faults.rbacDeny = [...new Set([...(faults.rbacDeny ?? []), ...spec.rbacDeny])];
    if (spec.dropWatchEveryMs !== undefined) {
      faults.dropWatchEveryMs = spec.dropWatchEveryMs;
      if (dropTimer) clearInterval(dropTimer);
      dropTimer = spec.dropWatchEveryMs > 0 ? setInterval(dropAllWatches, spec.dropWatchEveryMs) : undefined;
    }
    if (spec.refuseMs) void refuse(spec.refuseMs);
  }

  function dropAllWatches(): number {
    const n = watches.size;
    for (const w of [...watches]) w.drop();
    return n;
  }

  // ---- HTTP ----

  function send(res: ServerResponse, code: number, body: string | Buffer, headers: Record<string, string> = {}): void {
    if (res.writableEnded || res.destroyed) return;
    if (res.headersSent) return void res.end();
    res.writeHead(code, {
      "Content-Type": "application/json",
      "Cache-Control": "no-cache, private",
      "Content-Length": String(Buffer.byteLength(body)),
      ...headers,
    });
    res.end(body);
  }

  /** An error's Status, in protobuf when the request's Accept negotiates it (as kube-apiserver answers errors). */
  function sendStatus(res: ServerResponse, e: ApiError, accept: string | undefined): void {
    if (negotiateError(accept) === "protobuf") {
      send(res, e.status.code ?? 500, statusMessage(e.status), { ...e.headers, "Content-Type": PROTOBUF });
    } else send(res, e.status.code ?? 500, JSON.stringify(e.status), e.headers);
  }

  /** Streams a big body in ~1 MB writes with backpressure, with a Content-Length known up front. */
  async function sendParts(res: ServerResponse, parts: Buffer[], contentType = "application/json"): Promise<void> {
    let total = 0;
    for (const p of parts) total += p.length;
    res.writeHead(200, {
      "Content-Type": contentType,
      "Cache-Control": "no-cache, private",
      "Content-Length": String(total),
    });
    // Corked writes go out as one writev per ~1 MB: no copying of the pre-serialised objects.
    let size = 0;
    res.cork();
    for (const p of parts) {
      res.write(p);
      size += p.length;
      if (size >= 1 << 20) {
        size = 0;
        res.uncork();
        if (res.writableNeedDrain) {
          await new Promise<void>((r) => res.once("drain", r).once("close", r));
          if (res.destroyed) return;
        }
        res.cork();
      }
    }
    res.end();
    res.uncork();
  }

  interface Route {
    kind?: KindInfo;
    namespace: string;
    name?: string;
    watchPath: boolean;
  }

  /** The kinds served now: the built-ins and the custom resources of the CRDs in the store. */
  function served(): KindInfo[] {
    return [...[...store.kinds.values()].map((k) => k.info), ...metrics.kinds()];
  }

  /** Maps a resource path to (kind, namespace, name); undefined when it is not a resource path. */
  function route(parts: string[]): Route | undefined {
    const path = apiPath(parts);
    if (!path) return undefined;
    const { group, version } = path;
    let rest = path.rest;
    let watchPath = false;
    if (rest[0] === "watch") {
      watchPath = true;
      rest = rest.slice(1);
    }
    let namespace = "";
    if (rest[0] === "namespaces" && rest.length >= 3) {
      namespace = rest[1]!;
      rest = rest.slice(2);
    }
    const k = store.lookup(group, version, rest[0] ?? "")?.info;
    if (!k || rest.length > 2) return { namespace, watchPath };
    if (namespace && !k.namespaced) return { namespace, watchPath };
    return { kind: k, namespace, name: rest[1], watchPath };
  }

  function selectors(q: URLSearchParams, k: KindInfo): { labels: Requirement[]; fields: FieldRequirement[] } {
    let labels: Requirement[];
    let fields: FieldRequirement[];
    try {
      labels = parseLabelSelector(q.get("labelSelector") ?? "");
      fields = parseFieldSelector(q.get("fieldSelector") ?? "");
    } catch (e) {
      if (e instanceof SelectorError) throw badRequest(e.message);
      throw e;
    }
    for (const f of fields) {
      if (f.field !== "metadata.name" && f.field !== "metadata.namespace" && !k.fields.includes(f.field)) {
        throw badRequest(`field label not supported: ${f.field}`);
      }
    }
    return { labels, fields };
  }

  function parsed(v: Version): KubeObject {
    return JSON.parse(v.buf!.toString()) as KubeObject;
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://sim");
    if (options.log) process.stderr.write(`${req.method} ${url.pathname}${url.search}\n`);
    if (faults.stallRequests) {
      faults.stallRequests--;
      stalled.add(res);
      res.on("close", () => stalled.delete(res));
      return;
    }
    if (faults.latencyMs) await sleep(faults.latencyMs);
    if (stopped) return;
    const path = url.pathname.replace(/\/+$/, "") || "/";
    const isPublic = PUBLIC_PATHS.has(path);
    const auth = req.headers.authorization ?? "";
    const user = auth.startsWith("Bearer ") ? byToken.get(auth.slice(7).trim()) : undefined;
    if (!user && !isPublic) throw unauthorized();
    if (faults.status429) {
      faults.status429--;
      throw tooManyRequests(faults.retryAfterSeconds ?? 1);
    }
    if (faults.status500) {
      faults.status500--;
      throw internalError("etcdserver: request timed out");
    }
    const neg = negotiate(req.headers.accept);
    if (path === "/version") {
      return send(
        res,
        200,
        JSON.stringify({
          major: "1",
          minor: "32",
          emulationMajor: "1",
          emulationMinor: "32",
          minCompatibilityMajor: "1",
          minCompatibilityMinor: "31",
          gitVersion: "v1.32.0-timoneiro-sim",
          gitCommit: "0000000000000000000000000000000000000000",
          gitTreeState: "clean",
          buildDate: "2025-01-01T00:00:00Z",
          goVersion: "go1.23.4",
          compiler: "gc",
          platform: "linux/amd64",
        }),
      );
    }
    if (path === "/healthz" || path === "/livez" || path === "/readyz") {
      res.writeHead(200, { "Content-Type": "text/plain; charset=utf-8" });
      return void res.end("ok");
    }
    if (path === "/api" || path === "/apis") {
      const discoveryHeaders = { Vary: "Accept" };
      if (neg.discoveryV2) {
        return send(res, 200, JSON.stringify(aggregatedDiscovery(served(), path === "/api")), {
          ...discoveryHeaders,
          "Content-Type": discoveryV2ContentType,
        });
      }
      const addr = `${host}:${port}`;
      return send(
        res,
        200,
        JSON.stringify(path === "/api" ? apiVersions(addr) : apiGroupList(served())),
        discoveryHeaders,
      );
    }
    const parts = path.split("/").filter(Boolean).map(decodeURIComponent);
    if (parts[0] === "apis" && parts.length === 2) {
      const g = apiGroupDoc(served(), parts[1]!);
      if (g) return send(res, 200, JSON.stringify(g));
      throw pathNotFound();
    }
    if ((parts[0] === "api" && parts.length === 2) || (parts[0] === "apis" && parts.length === 3)) {
      const doc =
        parts[0] === "api" ? apiResourceList(served(), "", parts[1]!) : apiResourceList(served(), parts[1]!, parts[2]!);
      if (doc) return send(res, 200, JSON.stringify(doc));
      throw pathNotFound();
    }
    if (
      parts.length === 7 &&
      parts[0] === "api" &&
      parts[2] === "namespaces" &&
      parts[4] === "pods" &&
      parts[6] === "log"
    ) {
      return serveLog(req, res, url, parts[3]!, parts[5]!, user?.name ?? "system:anonymous", user?.deny ?? []);
    }
    if (parts[0] === "apis" && parts[1] === "metrics.k8s.io" && parts[2] === "v1beta1" && req.method === "GET") {
      // The metrics API: LIST only (GET of one item is not used by clients here), pods cluster-wide or per namespace.
      const rest = parts.slice(3);
      const ns = rest[0] === "namespaces" && rest.length === 3 ? rest[1]! : "";
      const resource = ns ? rest[2]! : rest.length === 1 ? rest[0]! : "";
      if (!resource || (ns && resource !== "pods")) throw pathNotFound();
      const q = url.searchParams;
      const body = metrics.list(resource, ns, {
        limit: Math.max(0, Number(q.get("limit") ?? 0) || 0),
        continueToken: q.get("continue") || undefined,
        user: user?.name ?? "system:anonymous",
        deny: [...(faults.rbacDeny ?? []), ...(user?.deny ?? [])],
      });
      return send(res, 200, body);
    }
    const caller: Caller = { name: user?.name ?? "system:anonymous", deny: user?.deny ?? [] };
    const extra = writes.route(parts);
    if (extra) return writes.serveExtra(req, res, url, extra, caller);
    const r = route(parts);
    if (!r?.kind) throw pathNotFound();
    const k = r.kind;
    const q = url.searchParams;
    const watch = r.watchPath || q.get("watch") === "true" || q.get("watch") === "1";
    const method = req.method ?? "GET";
    const verb =
      method === "GET"
        ? r.name
          ? watch
            ? "watch"
            : "get"
          : watch
            ? "watch"
            : "list"
        : method === "DELETE"
          ? r.name
            ? "delete"
            : "deletecollection"
          : method === "POST"
            ? "create"
            : method === "PUT"
              ? "update"
              : method.toLowerCase();
    if (faults.rbacDeny?.includes(k.resource) || user?.deny?.includes(k.resource)) {
      throw forbidden(k, verb, user?.name ?? "system:anonymous", r.namespace, r.name);
    }
    const ks = store.kind(storeKeyOf(k));
    const media = negotiateResource(req.headers.accept, servesProtobuf(ks));
    if (!media) {
      throw new ApiError({
        kind: "Status",
        apiVersion: "v1",
        metadata: {},
        status: "Failure",
        message: NOT_ACCEPTABLE_MESSAGE,
        reason: "NotAcceptable",
        code: 406,
      });
    }
    const protobuf = media.format === "protobuf";
    if (media.table) {
      const inc = q.get("includeObject") ?? "Metadata";
      if (inc !== "None" && inc !== "Metadata" && inc !== "Object") {
        throw badRequest(`unrecognized includeObject value: "${inc}"`);
      }
      media.table.includeObject = inc;
    }
    if (method === "GET" && (watch || !r.name)) {
      const sel = selectors(q, k);
      if (r.name) sel.fields.push({ field: "metadata.name", value: r.name, equal: true });
      if (watch) {
        const sie = q.get("sendInitialEvents");
        const timeoutSeconds = Number(q.get("timeoutSeconds") ?? "");
        const wq: WatchQuery = {
          namespace: r.namespace,
          resourceVersion: q.get("resourceVersion") ?? undefined,
          match: q.get("resourceVersionMatch") || undefined,
          sendInitialEvents: sie === null ? undefined : sie === "true" || sie === "1",
          allowWatchBookmarks: q.get("allowWatchBookmarks") === "true" || q.get("allowWatchBookmarks") === "1",
          // Without timeoutSeconds the real server picks a random 30-60 min (min-request-timeout).
          timeoutMs:
            Number.isFinite(timeoutSeconds) && timeoutSeconds > 0
              ? timeoutSeconds * 1000
              : (1800 + Math.random() * 1800) * 1000,
          labels: sel.labels,
          fields: sel.fields,
          table: media.table,
          continueToken: q.get("continue") ?? undefined,
        };
        const expireNow = (faults.expireWatches ?? 0) > 0;
        const session = new WatchSession(store, ks, wq, res, {
          bookmarkIntervalMs,
          tooLargeWaitMs,
          stalled: () => faults.stallWatches === true,
          onClose: () => watches.delete(session),
          protobuf: protobuf ? podMessages : undefined,
        });
        // Validation errors come before the stream starts, so they are plain error responses.
        validateWatchQuery(wq);
        if (expireNow) faults.expireWatches!--;
        watches.add(session);
        await session.start(expireNow);
        return;
      }
      const lq: ListQuery = {
        namespace: r.namespace,
        resourceVersion: q.get("resourceVersion") ?? undefined,
        match: q.get("resourceVersionMatch") || undefined,
        limit: Math.max(0, Number(q.get("limit") ?? 0) || 0),
        continueToken: q.get("continue") || undefined,
        labels: sel.labels,
        fields: sel.fields,
      };
      validateListQuery(lq, q.get("sendInitialEvents") ?? undefined);
      const page = await readPage(store, ks, lq, tooLargeWaitMs, tombstones);
      if (media.table) {
        const t = Date.now();
        const meta: Record<string, unknown> = { resourceVersion: String(page.at) };
        if (page.continueToken) meta.continue = page.continueToken;
        if (page.remainingItemCount !== undefined) meta.remainingItemCount = page.remainingItemCount;
        const rows = page.items.map((v) => tableRow(k, parsed(v), media.table!.includeObject, t));
        return send(res, 200, tableJson(k, media.table, meta, rows));
      }
      if (protobuf) {
        const meta = {
          resourceVersion: String(page.at),
          continueToken: page.continueToken,
          remainingItemCount: page.remainingItemCount,
        };
        return sendParts(res, podListParts(podMessages, meta, page.items), PROTOBUF);
      }
      return sendParts(res, listParts(ks, page));
    }
    if (method === "POST" && !r.name) return writes.create(req, res, url, k, r.namespace, caller);
    if (!r.name) throw methodNotAllowed();
    if (method === "GET") {
      const v = store.get(storeKeyOf(k), r.namespace, r.name);
      if (!v) throw notFound(k, r.name);
      if (media.table) {
        const obj = parsed(v);
        return send(
          res,
          200,
          tableJson(k, media.table, { resourceVersion: obj.metadata?.resourceVersion }, [
            tableRow(k, obj, media.table.includeObject, Date.now()),
          ]),
        );
      }
      if (protobuf) return send(res, 200, podMessages.enveloped(v), { "Content-Type": PROTOBUF });
      return send(res, 200, v.buf!);
    }
    if (method === "DELETE") return writes.delete(req, res, url, k, r.namespace, r.name, caller);
    if (method === "PATCH") return writes.patch(req, res, url, k, r.namespace, r.name, caller);
    if (method === "PUT") return writes.update(req, res, url, k, r.namespace, r.name, caller);
    throw methodNotAllowed();
  }

  /** GET .../pods/NAME/log: the container's log, then (follow) what it writes until it stops, the pod goes or the
   * client leaves. */
  function serveLog(
    req: IncomingMessage,
    res: ServerResponse,
    url: URL,
    ns: string,
    name: string,
    userName: string,
    deny: readonly string[],
  ): void {
    const pods = store.kind("pods").info;
    if ((req.method ?? "GET") !== "GET") throw methodNotAllowed();
    if (faults.rbacDeny?.includes("pods/log") || deny.includes("pods/log")) {
      throw forbidden({ ...pods, resource: "pods/log" }, "get", userName, ns, name);
    }
    const started = Date.now();
    const query = parseLogQuery(url.searchParams, started);
    const pod = store.getObject("pods", ns, name);
    if (!pod) throw notFound(pods, name);
    const log = containerLog(pod, query);
    const { text, cursor } = initialLines(log, query, started);
    res.writeHead(200, { "Content-Type": "text/plain", "Cache-Control": "no-cache, private" });
    if (!query.follow || finishedLog(log, cursor, started)) return void res.end(text);
    if (text) res.write(text);
    else res.flushHeaders();
    const uid = pod.metadata?.uid;
    const stream: LogStream = {
      end: () => {
        clearInterval(timer);
        unsubscribe();
        logStreams.delete(stream);
        if (!res.writableEnded) res.end();
      },
    };
    const timer = setInterval(() => {
      const now = Date.now();
      const more = newLogLines(log, query, cursor, now);
      if (more) res.write(more);
      if (finishedLog(log, cursor, now)) stream.end();
    }, 200);
    // The stream ends when the pod goes (or is replaced) and when the container restarts, as the kubelet's does.
    const restarts = (o: KubeObject) => JSON.stringify(restartCounts(o));
    const before = restarts(pod);
    const unsubscribe = store.subscribe((e) => {
      if (e.kind.info.resource !== "pods" || e.key !== `${ns}/${name}`) return;
      if (e.type === "DELETED") return stream.end();
      const cur = JSON.parse(e.cur.buf!.toString()) as KubeObject;
      if (cur.metadata?.uid !== uid || restarts(cur) !== before) stream.end();
    });
    logStreams.add(stream);
    res.on("close", stream.end);
  }

  // Exec and attach are WebSocket upgrades: authenticated and authorized (create on pods/exec, pods/attach) like any
  // request, refused with a Status before the upgrade, and served by sim/exec.ts (a simulated shell, nothing run).
  const remote = new RemoteCommandServer();
  const forwards = new PortForwardServer();
  const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    try {
      const url = new URL(req.url ?? "/", "http://sim");
      // Port-forward: the same checks (create on pods/portforward), then sim/portforward.ts answers in-process.
      const pf = /^\/api\/v1\/namespaces\/([^/]+)\/pods\/([^/]+)\/portforward\/?$/.exec(url.pathname);
      if (pf) {
        const [ns, name] = [decodeURIComponent(pf[1] ?? ""), decodeURIComponent(pf[2] ?? "")];
        const auth = req.headers.authorization ?? "";
        const user = auth.startsWith("Bearer ") ? byToken.get(auth.slice(7).trim()) : undefined;
        if (!user) throw unauthorized();
        const pods = store.kind("pods").info;
        if (faults.rbacDeny?.includes("pods/portforward") || user.deny?.includes("pods/portforward")) {
          throw forbidden({ ...pods, resource: "pods/portforward" }, "create", user.name, ns, name);
        }
        const pod = store.getObject("pods", ns, name);
        if (!pod) throw notFound(pods, name);
        const uid = pod.metadata?.uid;
        forwards.serve(req, socket, head, pod, url.searchParams, (gone) =>
          store.subscribe((e) => {
            if (e.kind.info.resource !== "pods" || e.key !== `${ns}/${name}`) return;
            if (e.type === "DELETED" || JSON.parse(e.cur.buf!.toString()).metadata?.uid !== uid) gone();
          }),
        );
        return;
      }
      const m = /^\/api\/v1\/namespaces\/([^/]+)\/pods\/([^/]+)\/(exec|attach)\/?$/.exec(url.pathname);
      if (!m) throw pathNotFound();
      const [, ns, name, sub] = m.map((part) => decodeURIComponent(part)) as [
        string,
        string,
        string,
        "exec" | "attach",
      ];
      const auth = req.headers.authorization ?? "";
      const user = auth.startsWith("Bearer ") ? byToken.get(auth.slice(7).trim()) : undefined;
      if (!user) throw unauthorized();
      const pods = store.kind("pods").info;
      if (faults.rbacDeny?.includes(`pods/${sub}`) || user.deny?.includes(`pods/${sub}`)) {
        throw forbidden({ ...pods, resource: `pods/${sub}` }, "create", user.name, ns, name);
      }
      const pod = store.getObject("pods", ns, name);
      if (!pod) throw notFound(pods, name);
      const request = parseRemoteCommand(sub, url.searchParams, pod);
      const uid = pod.metadata?.uid;
      remote.serve(req, socket, head, pod, request, (gone) =>
        // The container dies with its pod: the pod deleted (or replaced under the same name) drops the session.
        store.subscribe((e) => {
          if (e.kind.info.resource !== "pods" || e.key !== `${ns}/${name}`) return;
          if (e.type === "DELETED") return gone();
          const cur = JSON.parse(e.cur.buf!.toString()) as KubeObject;
          if (cur.metadata?.uid !== uid) gone();
        }),
      );
    } catch (e) {
      rejectUpgrade(socket, e instanceof ApiError ? e : internalError((e as Error).message));
    }
  };

  const onRequest = (req: IncomingMessage, res: ServerResponse) => {
    handle(req, res).catch((e: unknown) => {
      const accept = req.headers.accept;
      if (e instanceof ApiError) return sendStatus(res, e, accept);
      if (e instanceof StoreError) {
        return sendStatus(res, internalError(e.message), accept);
      }
      process.stderr.write(`sim: ${(e as Error).stack ?? e}\n`);
      sendStatus(res, internalError((e as Error).message), accept);
    });
  };

  const makeServer = () => {
    const s = certs
      ? https.createServer({ cert: certs.certPem, key: certs.keyPem }, onRequest)
      : http.createServer(onRequest);
    s.keepAliveTimeout = 65_000;
    s.headersTimeout = 70_000;
    s.requestTimeout = 0;
    // Every TCP connection from the moment it is accepted: for HTTPS 'connection' hands over the raw socket before
    // the TLS handshake (a connection still mid-handshake would otherwise keep close() waiting), 'secureConnection'
    // the TLS socket over it once the handshake is done. Keep-alive and watch connections are among them.
    const track = (sock: Socket) => {
      sockets.add(sock);
      sock.once("close", () => sockets.delete(sock));
    };
    s.on("connection", track);
    if (certs) s.on("secureConnection", track);
    s.on("upgrade", onUpgrade);
    return s;
  };

  let server = makeServer();
  let port = options.port ?? 0;
  const listen = (s: http.Server) =>
    new Promise<void>((resolve, reject) => {
      s.once("error", reject);
      s.listen(port, host, () => {
        s.off("error", reject);
        port = (s.address() as { port: number }).port;
        resolve();
      });
    });
  await listen(server);

  /** Ends every watch and connection (handshaking, idle keep-alive, in-flight, watch) and closes the listener;
   * resolves once the listener is closed, which it is as soon as the last of those sockets is gone. */
  function closeAll(): Promise<void> {
    for (const w of [...watches]) w.drop();
    for (const l of [...logStreams]) l.end();
    remote.closeAll();
    forwards.closeAll();
    for (const r of stalled) r.socket?.destroy();
    stalled.clear();
    const s = server;
    const closed = new Promise<void>((r) => {
      if (!s.listening) return r();
      s.close(() => r());
    });
    s.closeAllConnections();
    for (const sock of [...sockets]) sock.destroy();
    sockets.clear();
    return closed;
  }

  let refusing: Promise<void> | undefined;
  function refuse(ms: number): Promise<void> {
    refusing ??= (async () => {
      await closeAll();
      await sleep(ms);
      if (!stopped) {
        server = makeServer();
        await listen(server);
      }
      refusing = undefined;
    })();
    return refusing;
  }

  applyFaults(options.faults ?? {});
  churn.setRate(options.churn ?? 0);

  const scheme = certs ? "https" : "http";
  const kubeconfig = (contextName = "timoneiro-sim") =>
    kubeconfigYaml({ server: `${scheme}://${host}:${port}`, caPem: certs?.caPem, token, contextName });

  const controls: FaultControls = {
    set: applyFaults,
    clear() {
      for (const k of Object.keys(faults) as (keyof FaultSpec)[]) delete faults[k];
      if (dropTimer) clearInterval(dropTimer);
      dropTimer = undefined;
      for (const r of stalled) r.socket?.destroy();
      stalled.clear();
    },
    current: () => structuredClone(faults),
    dropWatches: dropAllWatches,
    expireNextWatch: (n = 1) => applyFaults({ expireWatches: n }),
    latency: (ms) => applyFaults({ latencyMs: ms }),
    fail: (code, n, retryAfterSeconds) =>
      applyFaults(code === 429 ? { status429: n, retryAfterSeconds } : { status500: n }),
    deny: (resource) => applyFaults({ rbacDeny: [resource] }),
    allow(resource) {
      faults.rbacDeny = (faults.rbacDeny ?? []).filter((r) => r !== resource);
    },
    refuse,
    stall: (n = 1) => applyFaults({ stallRequests: n }),
    stallWatches: (on) => applyFaults({ stallWatches: on }),
  };

  const simStore: SimStore = {
    list(resource, namespace) {
      const k = store.kind(resource);
      const out: KubeObject[] = [];
      for (const key of k.keys) {
        const e = k.entries.get(key)!;
        if (e.cur.buf === null) continue;
        if (namespace && !key.startsWith(`${namespace}/`)) continue;
        out.push(parsed(e.cur));
      }
      return out;
    },
    get: (resource, namespace, name) => store.getObject(resource, namespace, name),
    create(resource, obj) {
      try {
        return parsed(store.create(resource, churn.complete(resource, obj)));
      } catch (e) {
        if (e instanceof StoreError) throw alreadyExists(store.kind(resource).info, obj.metadata?.name ?? "");
        throw e;
      }
    },
    update: (resource, obj) => parsed(store.update(resource, obj)),
    delete: (resource, namespace, name) => void store.delete(resource, namespace, name),
    createPod(namespace, state) {
      const pod = churn.createPod(namespace, state ?? "Running");
      if (!pod) throw new Error("the simulated cluster has no workload to add a pod to");
      return pod;
    },
    revision: () => store.rev,
    compact: (rev) => store.compact(rev ?? store.rev),
    counts: () => store.counts(),
  };

  return {
    url: `${scheme}://${host}:${port}`,
    port,
    caPem: certs?.caPem ?? "",
    token,
    kubeconfig,
    writeKubeconfig: (path, contextName) => writeFileSync(path, kubeconfig(contextName), { mode: 0o600 }),
    faults: controls,
    store: simStore,
    metrics,
    churn: { setRate: (n) => churn.setRate(n), step: (n) => churn.step(n) },
    watchCount: () => watches.size,
    async restart() {
      await closeAll();
      if (stopped) return;
      server = makeServer();
      await listen(server);
    },
    async stop() {
      stopped = true;
      churn.stop();
      if (dropTimer) clearInterval(dropTimer);
      for (const t of timers) clearTimeout(t);
      timers.clear();
      await refusing;
      await closeAll();
    },
  };
}

export type { StatusBody };
