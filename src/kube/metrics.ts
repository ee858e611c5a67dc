// The resource metrics API (metrics.k8s.io/v1beta1, what `kubectl top` reads, served by metrics-server through an
// APIService): PodMetrics and NodeMetrics polled as paginated LISTs. The API has no watch; its data changes once per
// metrics-server resolution (the `window` of each item, 15 s by default), so one poll per window is all there is to
// read, and a sample whose timestamp did not move is the same sample again.
//
// Failures that a retry in seconds will not cure (404: no metrics-server or the API is not served; 403: RBAC; 503: the
// APIService is registered but its backend is down) are reported once as "unavailable" with the reason and retried
// slowly (refusalRetryMs); other failures (network, 5xx) back off exponentially up to the same bound.
import { isAbort, KubeError, oneLine } from "./errors.ts";
import { rowKey } from "./row.ts";
import { readAll, type Transport } from "./transport.ts";

/** The API group version of PodMetrics and NodeMetrics. */
export const METRICS_GROUP_VERSION = "metrics.k8s.io/v1beta1";
const METRICS_PREFIX = `/apis/${METRICS_GROUP_VERSION}`;

/** metrics-server's default resolution: how often new samples appear when the answer does not say. */
export const DEFAULT_WINDOW_MS = 15_000;

/** One item of a PodMetrics or NodeMetrics list, reduced to what the tables need. */
export interface UsageSample {
  /** "" for nodes. */
  namespace: string;
  name: string;
  /** The row's cache key, "namespace/name" (a node's name): made once here, looked up several times. */
  key: string;
  /** Epoch ms of the sample (the end of its window). */
  timestamp: number;
  /** The window the CPU rate was computed over, ms. */
  windowMs: number;
  /** CPU in millicores, summed over the pod's containers. */
  cpuMillis: number;
  /** Working-set memory in bytes, summed over the pod's containers. */
  memoryBytes: number;
}

/** Which metrics a poller reads. */
export type MetricsKind = "pods" | "nodes";

/** Where a poller stands, for the loading status. */
export interface MetricsPollStatus {
  /** "waiting" before the first answer, "ok" after a poll that returned data, "unavailable" after a failure. */
  state: "waiting" | "ok" | "unavailable";
  /** Why the columns say n/a, one line; set while `state` is "unavailable". */
  reason?: string;
  /** The HTTP status of the failure, when it had one (403, 404, 503). */
  httpStatus?: number;
  /** The failure is a refusal (403, 404, 503): retried every refusalRetryMs, not sooner. */
  refused?: boolean;
  /** The namespace polled when cluster-wide polling was forbidden and the scope named one. */
  namespace?: string;
  /** Epoch ms of the last poll that answered. */
  lastPollAt?: number;
  /** The server's resolution as its items said it, ms. */
  windowMs?: number;
  /** Samples in the last poll. */
  count: number;
}

/** What a poll returns: every item of every page, and how often to ask again. */
export interface MetricsPoll {
  samples: UsageSample[];
  /** The largest window the items reported, or DEFAULT_WINDOW_MS when there were none. */
  windowMs: number;
  /** Time spent on our thread decoding the pages (not waiting for them), ms. */
  decodeMs: number;
}

export interface MetricsPollerOptions {
  kind: MetricsKind;
  /** The session's namespace (-n): only that namespace is ever polled. Undefined: cluster-wide. */
  namespace?: string | undefined;
  /**
   * The namespace to poll instead when cluster-wide LIST is forbidden (403): the namespace the held view shows, if any.
   * Asked at each poll, as the view may move.
   */
  fallbackNamespace?: () => string | undefined;
  /**
   * Whether discovery lists the metrics API: false stops polling with "not served" (retried slowly, and at once after
   * notifyKindsChanged()); undefined while discovery has not answered.
   */
  served?: () => boolean | undefined;
  pageSize?: number;
  /** Never poll more often than this, whatever the window says (default 1 s; tests lower it). */
  minIntervalMs?: number;
  /** Retry delay after a refusal (404/403/503), and the cap of the error backoff (default 60 s). */
  refusalRetryMs?: number;
  /**
   * The share of a core a poll may cost (default 0.01): a poll that cost more than that share of the window stretches
   * the interval. The UI's budget is 2 % of a core with a cluster churning under it, so the usage columns get 1 %. The
   * cost is the process' CPU from the first request to the end of onPoll's work (decoding, the rows replaced in slices,
   * HTTP parsing, the garbage collector's threads), less what the process spent at its rate between polls: at 10k pods
   * that is the server's 15 s; at 100k pods (~1.5 s a poll) a poll every 2–3 minutes.
   */
  maxBusyFraction?: number;
  idleTimeoutMs?: number;
  /** Takes a poll in; a promise when the work goes on after it returns (rows replaced in slices): the poll costs until then. */
  onPoll(poll: MetricsPoll): void | Promise<void>;
  /** The process' CPU time so far, ms (default: process.cpuUsage(), every thread); tests give their own clock. */
  cpuMs?: () => number;
  onStatus?(status: MetricsPollStatus): void;
}

// ---- quantities ----

// Decimal suffixes as powers of ten, binary ones as powers of 1024 (resource.Quantity's suffixes).
const DECIMAL_EXPONENT: Record<string, number> = { n: -9, u: -6, m: -3, "": 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
const BINARY_POWER: Record<string, number> = { Ki: 1, Mi: 2, Gi: 3, Ti: 4, Pi: 5, Ei: 6 };
const QUANTITY = /^([+-]?(?:\d+\.?\d*|\.\d+))([eE][+-]?\d+|[KMGTPE]i|[numkMGTPE]|)$/;

// The same few texts ("100m", "128Mi") recur across thousands of pods: parsed once each. Bounded so that usage values
// (nearly all different) do not grow it without end.
const parsedQuantities = new Map<number, Map<string, number>>();
const QUANTITY_CACHE_LIMIT = 4096;

/** mantissa × 10^exponent, multiplying or dividing by an exact power of ten so that whole results stay whole. */
function times10(mantissa: number, exponent: number): number {
  return exponent >= 0 ? mantissa * 10 ** exponent : mantissa / 10 ** -exponent;
}

/**
 * A resource.Quantity's value in units of 10^`unitExponent` (-3: millicores, 0: bytes or cores) as a float; NaN when it
 * does not parse. The scaling is done in one exact step ("2000000n" is 2 millicores, not 2.0000000000000004), and
 * floats are exact enough for values printed as whole millicores and MiB (BigInt would cost much more at 100k pods).
 */
export function quantityIn(value: unknown, unitExponent: number): number {
  if (typeof value === "number") return times10(value, -unitExponent);
  if (typeof value !== "string" || value === "") return Number.NaN;
  let cache = parsedQuantities.get(unitExponent);
  if (!cache) {
    cache = new Map();
    parsedQuantities.set(unitExponent, cache);
  }
  const cached = cache.get(value);
  if (cached !== undefined) return cached;
  const match = QUANTITY.exec(value);
  let result = Number.NaN;
  if (match) {
    const mantissa = Number(match[1]);
    const suffix = match[2] ?? "";
    const power = BINARY_POWER[suffix];
    if (power !== undefined) result = times10(mantissa * 1024 ** power, -unitExponent);
    // "E" alone is exa (10^18); "e3", "E-2" are exponents.
    else if (suffix.length > 1) result = times10(mantissa, Number(suffix.slice(1)) - unitExponent);
    else result = times10(mantissa, DECIMAL_EXPONENT[suffix]! - unitExponent);
  }
  if (cache.size < QUANTITY_CACHE_LIMIT) cache.set(value, result);
  return result;
}

/** Millicores as kubectl top and k9s print them: Quantity.MilliValue() rounds up (sums of floats may overshoot a hair). */
export function wholeMillicores(millis: number): number {
  return Math.ceil(millis - 1e-6) + 0; // + 0: 0 stays 0, not -0
}

/** Bytes as MiB, rounded down as kubectl top's Value()/(1024*1024) is. */
export function wholeMebibytes(bytes: number): number {
  return Math.floor(bytes / 1048576);
}

// ---- decoding ----

type Json = Record<string, unknown>;

function asObject(value: unknown): Json | undefined {
  return value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Json) : undefined;
}

/** "15s", "1m0.5s", "15.002s" (metav1.Duration, Go's time.Duration text) → ms; NaN when it does not parse. */
export function durationMs(text: unknown): number {
  if (typeof text !== "string" || text === "") return Number.NaN;
  const units: Record<string, number> = { h: 3_600_000, m: 60_000, s: 1000, ms: 1, us: 1e-3, µs: 1e-3, ns: 1e-6 };
  let total = 0;
  let rest = text;
  while (rest !== "") {
    const m = /^(\d+(?:\.\d*)?)(h|ms|m|s|us|µs|ns)/.exec(rest);
    if (!m) return Number.NaN;
    total += Number(m[1]) * units[m[2]!]!;
    rest = rest.slice(m[0].length);
  }
  return total;
}

// The items of one answer mostly share their timestamp and window (one scrape, one resolution): parsed once each.
let lastTimestampText = "";
let lastTimestamp = Number.NaN;
let lastWindowText: unknown = "";
let lastWindow = Number.NaN;

function timestampOf(text: unknown): number {
  if (typeof text !== "string") return Number.NaN;
  if (text !== lastTimestampText) {
    lastTimestampText = text;
    lastTimestamp = Date.parse(text);
  }
  return lastTimestamp;
}

function windowOf(text: unknown): number {
  if (text !== lastWindowText) {
    lastWindowText = text;
    lastWindow = durationMs(text);
  }
  return lastWindow;
}

/** One PodMetrics or NodeMetrics item as a sample; undefined when it has no name or no timestamp. */
export function usageSample(item: unknown): UsageSample | undefined {
  const o = asObject(item);
  const meta = asObject(o?.metadata);
  const name = meta?.name;
  const timestamp = timestampOf(o?.timestamp);
  if (typeof name !== "string" || name === "" || !Number.isFinite(timestamp)) return undefined;
  let cpu = 0;
  let memory = 0;
  const add = (usage: unknown) => {
    const u = asObject(usage);
    const c = quantityIn(u?.cpu, -3);
    const m = quantityIn(u?.memory, 0);
    if (Number.isFinite(c)) cpu += c;
    if (Number.isFinite(m)) memory += m;
  };
  if (Array.isArray(o?.containers)) for (const c of o.containers) add(asObject(c)?.usage);
  else add(o?.usage);
  const windowMs = windowOf(o?.window);
  const namespace = typeof meta?.namespace === "string" ? meta.namespace : "";
  return {
    namespace,
    name,
    key: rowKey({ namespace, name }),
    timestamp,
    windowMs: Number.isFinite(windowMs) ? windowMs : DEFAULT_WINDOW_MS,
    cpuMillis: cpu,
    memoryBytes: memory,
  };
}

/** The collection path of a kind's metrics, cluster-wide or in one namespace (nodes are cluster-scoped). */
export function metricsPath(kind: MetricsKind, namespace: string | undefined): string {
  return kind === "pods" && namespace !== undefined
    ? `${METRICS_PREFIX}/namespaces/${encodeURIComponent(namespace)}/pods`
    : `${METRICS_PREFIX}/${kind}`;
}

/** Reads every page of one metrics LIST (limit/continue). Throws KubeErrors. */
export async function listUsage(
  transport: Transport,
  kind: MetricsKind,
  namespace: string | undefined,
  options: { pageSize?: number; signal?: AbortSignal; idleTimeoutMs?: number } = {},
): Promise<MetricsPoll> {
  const samples: UsageSample[] = [];
  let windowMs = 0;
  let decodeMs = 0;
  let token = "";
  const path = metricsPath(kind, namespace);
  do {
    const params = new URLSearchParams({ limit: String(options.pageSize ?? 500) });
    if (token !== "") params.set("continue", token);
    const res = await transport.stream(`${path}?${params}`, {
      ...(options.signal && { signal: options.signal }),
      idleTimeoutMs: options.idleTimeoutMs ?? 30_000,
    });
    const body = await readAll(res, options.idleTimeoutMs ?? 30_000, transport.server);
    const decodeStart = performance.now();
    let page: Json | undefined;
    try {
      page = asObject(JSON.parse(body.toString("utf8")));
    } catch (err) {
      throw new KubeError("protocol", `the metrics API sent a list that is not JSON (${(err as Error).message})`);
    }
    if (!page || !Array.isArray(page.items))
      throw new KubeError("protocol", "the metrics API sent a list without items");
    for (const item of page.items) {
      const sample = usageSample(item);
      if (!sample) continue;
      samples.push(sample);
      if (sample.windowMs > windowMs) windowMs = sample.windowMs;
    }
    const next = asObject(page.metadata)?.continue;
    token = typeof next === "string" ? next : "";
    decodeMs += performance.now() - decodeStart;
  } while (token !== "");
  return { samples, windowMs: windowMs > 0 ? windowMs : DEFAULT_WINDOW_MS, decodeMs };
}

// ---- polling ----

/** Failures a quick retry will not cure: reported once, retried every refusalRetryMs. */
function isRefusal(err: unknown): err is KubeError {
  return err instanceof KubeError && (err.status === 403 || err.status === 404 || err.status === 503);
}

/** The n/a reason for a failure, one line. */
export function unavailableReason(err: unknown, kind: MetricsKind): string {
  const what = `${kind} metrics (${METRICS_GROUP_VERSION})`;
  if (err instanceof KubeError) {
    if (err.status === 404) return `${what} not served (404): is metrics-server installed?`;
    if (err.status === 403) return `${what} forbidden (403)${err.detail ? `: ${err.detail}` : ""}`;
    if (err.status === 503) return `${what} unavailable (503): the metrics APIService's backend is not answering`;
  }
  return `${what}: ${oneLine(err)}`;
}

/**
 * Polls one kind's metrics while started: a LIST per window, the next one a window after the previous one began (or
 * minIntervalMs, whichever is longer); failures back off, refusals wait refusalRetryMs.
 */
export class MetricsPoller {
  private readonly transport: Transport;
  private readonly options: MetricsPollerOptions;
  private abort: AbortController | undefined;
  private timer: NodeJS.Timeout | undefined;
  private running = false;
  private polling = false;
  /** When the last poll began: a restart (the view held again) waits out the window rather than asking again. */
  private lastPollStartedAt = Number.NEGATIVE_INFINITY;
  private failures = 0;
  private windowMs = DEFAULT_WINDOW_MS;
  /** Cluster-wide LIST was forbidden: poll the fallback namespace until the next cluster-wide retry. */
  private clusterForbiddenUntil = 0;
  private current: MetricsPollStatus = { state: "waiting", count: 0 };
  /** The process' CPU and the time when the last poll's work ended: the rate between polls is the baseline. */
  private lastEnd: { cpuMs: number; at: number } | undefined;

  constructor(transport: Transport, options: MetricsPollerOptions) {
    this.transport = transport;
    this.options = options;
  }

  get status(): MetricsPollStatus {
    return this.current;
  }

  get started(): boolean {
    return this.running;
  }

  /** Starts polling now (a no-op while running). */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.abort = new AbortController();
    const interval = Math.max(this.options.minIntervalMs ?? 1000, this.windowMs);
    const wait = this.current.state === "ok" ? this.lastPollStartedAt + interval - Date.now() : 0;
    this.schedule(Math.max(0, wait));
  }

  /** Stops polling and aborts a poll in flight; the status stays as it was. */
  stop(): void {
    this.running = false;
    this.abort?.abort();
    this.abort = undefined;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** Discovery answered again: a poller waiting on "not served" looks again now. */
  notifyKindsChanged(): void {
    if (!this.running || this.polling) return;
    if (this.current.state === "unavailable" && this.options.served?.() !== false) this.schedule(0);
  }

  private cpuMs(): number {
    if (this.options.cpuMs) return this.options.cpuMs();
    const { user, system } = process.cpuUsage();
    return (user + system) / 1000;
  }

  private get refusalRetryMs(): number {
    return this.options.refusalRetryMs ?? 60_000;
  }

  private schedule(ms: number): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.poll();
    }, ms);
    this.timer.unref?.();
  }

  private setStatus(status: MetricsPollStatus): void {
    const before = this.current;
    this.current = status;
    // Said once: a retry that fails the same way is not news.
    if (
      before.state === status.state &&
      before.reason === status.reason &&
      before.namespace === status.namespace &&
      before.lastPollAt === status.lastPollAt
    ) {
      return;
    }
    this.options.onStatus?.(status);
  }

  /** The namespace this poll reads: -n, else cluster-wide, else (cluster-wide forbidden) the view's namespace. */
  private scope(now: number): { namespace: string | undefined; fallback: boolean } {
    if (this.options.namespace !== undefined || this.options.kind === "nodes") {
      return { namespace: this.options.namespace, fallback: false };
    }
    if (now < this.clusterForbiddenUntil) {
      const ns = this.options.fallbackNamespace?.();
      if (ns !== undefined) return { namespace: ns, fallback: true };
    }
    return { namespace: undefined, fallback: false };
  }

  private async poll(): Promise<void> {
    if (!this.running || this.polling) return;
    const signal = this.abort?.signal;
    const started = Date.now();
    if (this.options.served?.() === false) {
      this.setStatus({
        ...this.current,
        state: "unavailable",
        reason: `${this.options.kind} metrics (${METRICS_GROUP_VERSION}) not served: discovery does not list the API (is metrics-server installed?)`,
        httpStatus: 404,
        refused: true,
        count: 0,
      });
      this.schedule(this.refusalRetryMs);
      return;
    }
    const { namespace, fallback } = this.scope(started);
    this.polling = true;
    this.lastPollStartedAt = started;
    const cpuAtStart = this.cpuMs();
    const wallAtStart = performance.now();
    // What the process spends per ms when no poll runs (watch events, frames): not the poll's cost.
    const last = this.lastEnd;
    const baseline =
      last && wallAtStart - last.at >= 1000 ? Math.max(0, (cpuAtStart - last.cpuMs) / (wallAtStart - last.at)) : 0;
    try {
      const poll = await listUsage(this.transport, this.options.kind, namespace, {
        ...(this.options.pageSize !== undefined && { pageSize: this.options.pageSize }),
        ...(signal && { signal }),
        ...(this.options.idleTimeoutMs !== undefined && { idleTimeoutMs: this.options.idleTimeoutMs }),
      });
      if (!this.running) return;
      this.failures = 0;
      this.windowMs = poll.windowMs;
      const ingestStart = performance.now();
      const ingesting = this.options.onPoll(poll);
      const ingestMs = performance.now() - ingestStart;
      if (ingesting) await ingesting;
      if (!this.running) return;
      const cpuAtEnd = this.cpuMs();
      const wallAtEnd = performance.now();
      this.lastEnd = { cpuMs: cpuAtEnd, at: wallAtEnd };
      // Never less than our thread's own measure of decoding and the first part of onPoll.
      const busyMs = Math.max(poll.decodeMs + ingestMs, cpuAtEnd - cpuAtStart - baseline * (wallAtEnd - wallAtStart));
      this.setStatus({
        state: "ok",
        ...(fallback && namespace !== undefined && { namespace }),
        lastPollAt: Date.now(),
        windowMs: poll.windowMs,
        count: poll.samples.length,
      });
      const interval = Math.max(
        this.options.minIntervalMs ?? 1000,
        this.windowMs,
        busyMs / (this.options.maxBusyFraction ?? 0.01),
      );
      this.schedule(Math.max(0, started + interval - Date.now()));
    } catch (err) {
      if (!this.running || isAbort(err)) return;
      if (err instanceof KubeError && err.status === 403 && namespace === undefined) {
        const ns = this.options.kind === "pods" ? this.options.fallbackNamespace?.() : undefined;
        if (ns !== undefined && this.options.namespace === undefined) {
          // Forbidden cluster-wide: the namespace on screen may still be readable. Cluster-wide is asked again later.
          this.clusterForbiddenUntil = Date.now() + this.refusalRetryMs;
          this.schedule(0);
          return;
        }
      }
      this.failures++;
      const refused = isRefusal(err);
      this.setStatus({
        ...(this.current.lastPollAt !== undefined && { lastPollAt: this.current.lastPollAt }),
        state: "unavailable",
        reason: unavailableReason(err, this.options.kind),
        ...(err instanceof KubeError && err.status !== undefined && { httpStatus: err.status }),
        ...(refused && { refused: true }),
        ...(fallback && namespace !== undefined && { namespace }),
        count: 0,
      });
      const backoff = Math.min(
        this.refusalRetryMs,
        Math.max(this.options.minIntervalMs ?? 1000, this.windowMs) * 2 ** Math.min(this.failures - 1, 10),
      );
      const retryAfter = err instanceof KubeError ? (err.retryAfterMs ?? 0) : 0;
      this.schedule(Math.max(refused ? this.refusalRetryMs : backoff, retryAfter));
    } finally {
      this.polling = false;
    }
  }
}
