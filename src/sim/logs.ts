// Pod logs as the kubelet keeps them and kube-apiserver serves them (GET .../pods/NAME/log): seeded, realistic lines
// (plain access and application lines, some JSON, some multi-line stack traces), a few per second per container,
// with follow, tailLines, sinceSeconds, sinceTime, timestamps, previous, container and limitBytes, and errors as the
// real server words them.
//
// A container's log is a pure function of (pod uid, container, restart count, record index): record i is written
// at origin + i·period + jitter(i), so the same request always gets the same lines, a resumed stream (sinceTime)
// gets exactly what follows, and nothing is stored. The kubelet rotates logs: only the last HISTORY_RECORDS records
// are kept.
import type { KubeObject } from "../kube/objects.ts";
import { Rng } from "./prng.ts";
import { ApiError, badRequest } from "./status.ts";

/** Records kept per container (older ones are rotated away, as the kubelet's log rotation does). */
export const HISTORY_RECORDS = 5000;

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (v !== null && typeof v === "object" ? (v as Obj) : {});
const arr = (v: unknown): Obj[] => (Array.isArray(v) ? v.map(obj) : []);
const str = (v: unknown): string => (typeof v === "string" ? v : "");

function hash(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** RFC3339Nano as Go prints it (trailing zeros of the fraction dropped): 2026-05-28T16:23:40.12345Z. */
export function rfc3339Nano(ms: number, subMsNanos: number): string {
  const iso = new Date(Math.floor(ms)).toISOString(); // 2026-05-28T16:23:40.123Z
  const frac = `${iso.slice(20, 23)}${String(subMsNanos).padStart(6, "0")}`.replace(/0+$/, "");
  return `${iso.slice(0, 19)}${frac ? `.${frac}` : ""}Z`;
}

/** Nanoseconds since the epoch of an RFC3339 time (fraction optional, Z or ±hh:mm), as a BigInt; null if invalid. */
export function parseRfc3339(text: string): bigint | null {
  const m = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d{1,9}))?(Z|[+-]\d\d:\d\d)$/.exec(text);
  if (!m) return null;
  const base = Date.parse(`${m[1]}${m[3] === "Z" ? "Z" : m[3]}`);
  if (Number.isNaN(base)) return null;
  return BigInt(base) * 1_000_000n + BigInt((m[2] ?? "").padEnd(9, "0"));
}

/** One container's log: its origin, its period and its records. */
export interface ContainerLog {
  readonly key: string;
  /** Epoch ms of record 0 (the container's start). */
  readonly origin: number;
  readonly periodMs: number;
  /** Epoch ms after which nothing is written (a terminated container); Infinity while it runs. */
  readonly end: number;
}

export interface LogRecord {
  /** Epoch ns. */
  readonly at: bigint;
  readonly ts: string;
  readonly lines: readonly string[];
}

const PATHS = ["/api/v1/orders", "/api/v1/users/me", "/healthz", "/api/v1/cart", "/metrics", "/api/v1/search?q=boots"];
const METHODS = ["GET", "GET", "GET", "POST", "PUT", "DELETE"];
const MESSAGES = [
  "cache refreshed",
  "connected to database pool",
  "processed batch",
  "scheduled job finished",
  "retrying upstream request",
  "config reloaded",
  "slow query detected",
  "token renewed",
];

/** The record's time and lines: the same (log, i) always gives the same record. */
export function logRecord(log: ContainerLog, i: number): LogRecord {
  const r = new Rng(hash(`${log.key}#${i}`));
  const ms = log.origin + i * log.periodMs + Math.floor(r.next() * (log.periodMs / 2));
  const sub = Math.floor(r.next() * 1_000_000);
  const at = BigInt(ms) * 1_000_000n + BigInt(sub);
  const ts = rfc3339Nano(ms, sub);
  const pick = r.next();
  const iso = new Date(ms).toISOString();
  let lines: string[];
  if (pick < 0.45) {
    const status = r.next() < 0.9 ? 200 : r.next() < 0.5 ? 404 : 500;
    const method = METHODS[Math.floor(r.next() * METHODS.length)] as string;
    const path = PATHS[Math.floor(r.next() * PATHS.length)] as string;
    lines = [
      `10.${Math.floor(r.next() * 255)}.${Math.floor(r.next() * 255)}.${Math.floor(r.next() * 255)} - - "${method} ${path} HTTP/1.1" ${status} ${Math.floor(r.next() * 4000)} ${Math.floor(r.next() * 250)}ms`,
    ];
  } else if (pick < 0.8) {
    const level = r.next() < 0.8 ? "info" : r.next() < 0.7 ? "warn" : "error";
    const msg = MESSAGES[Math.floor(r.next() * MESSAGES.length)] as string;
    lines = [
      JSON.stringify({
        level,
        ts: iso,
        msg,
        requestId: r.hex(16),
        durationMs: Math.floor(r.next() * 900),
        record: i,
      }),
    ];
  } else if (pick < 0.96) {
    const level = r.next() < 0.85 ? "INFO" : "WARN";
    lines = [`${iso} ${level} [worker-${Math.floor(r.next() * 8)}] ${MESSAGES[Math.floor(r.next() * 8)]} (#${i})`];
  } else {
    const id = r.hex(8);
    lines = [
      `${iso} ERROR unhandled exception in request ${id}: java.lang.IllegalStateException: connection pool exhausted`,
      "\tat com.example.db.Pool.acquire(Pool.java:212)",
      "\tat com.example.orders.OrderRepository.find(OrderRepository.java:88)",
      "\tat com.example.orders.OrderService.handle(OrderService.java:41)",
      `\t... ${Math.floor(r.next() * 40) + 5} more`,
    ];
  }
  return { at, ts, lines };
}

/** The index of the last record written at or before `ms` (-1: none yet). */
function lastIndexAt(log: ContainerLog, ms: number): number {
  const t = Math.min(ms, log.end);
  if (t < log.origin) return -1;
  let i = Math.floor((t - log.origin) / log.periodMs);
  while (i >= 0 && logRecord(log, i).at > BigInt(Math.floor(t)) * 1_000_000n + 999_999n) i--;
  return i;
}

/** The first record kept: older ones are rotated away. */
function firstKept(log: ContainerLog, now: number): number {
  return Math.max(0, lastIndexAt(log, now) - HISTORY_RECORDS + 1);
}

export interface LogQuery {
  container: string | undefined;
  follow: boolean;
  previous: boolean;
  timestamps: boolean;
  tailLines: number | undefined;
  /** Epoch ns: lines at or after it. */
  since: bigint | undefined;
  limitBytes: number | undefined;
}

function intParam(q: URLSearchParams, name: string, min: number): number | undefined {
  const v = q.get(name);
  if (v === null || v === "") return undefined;
  const n = Number(v);
  if (!Number.isInteger(n)) throw badRequest(`${name}: Invalid value: "${v}": must be an integer`);
  if (n < min)
    throw badRequest(`PodLogOptions "" is invalid: ${name}: Invalid value: ${n}: must be greater than ${min - 1}`);
  return n;
}

const bool = (q: URLSearchParams, name: string) => q.get(name) === "true" || q.get(name) === "1";

export function parseLogQuery(q: URLSearchParams, now: number): LogQuery {
  const sinceSeconds = intParam(q, "sinceSeconds", 1);
  const sinceTimeText = q.get("sinceTime");
  if (sinceSeconds !== undefined && sinceTimeText) {
    throw badRequest(
      'PodLogOptions "" is invalid: []: Forbidden: at most one of `sinceTime` or `sinceSeconds` may be specified',
    );
  }
  let since: bigint | undefined;
  if (sinceTimeText) {
    const parsed = parseRfc3339(sinceTimeText);
    if (parsed === null) throw badRequest(`sinceTime: Invalid value: "${sinceTimeText}": must be RFC3339`);
    since = parsed;
  } else if (sinceSeconds !== undefined) {
    since = BigInt(now - sinceSeconds * 1000) * 1_000_000n;
  }
  return {
    container: q.get("container") || undefined,
    follow: bool(q, "follow"),
    previous: bool(q, "previous"),
    timestamps: bool(q, "timestamps"),
    tailLines: intParam(q, "tailLines", 0),
    since,
    limitBytes: intParam(q, "limitBytes", 1),
  };
}

/** The container a request reads, or the Status the server answers with. */
export function containerLog(pod: KubeObject, query: LogQuery): ContainerLog {
  const podName = pod.metadata?.name ?? "";
  const spec = obj(pod.spec);
  const status = obj(pod.status);
  const app = arr(spec.containers).map((c) => str(c.name));
  const init = arr(spec.initContainers).map((c) => str(c.name));
  const ephemeral = arr(spec.ephemeralContainers).map((c) => str(c.name));
  let name = query.container;
  if (name === undefined) {
    const preferred = str(obj(pod.metadata?.annotations)["kubectl.kubernetes.io/default-container"]);
    if (app.length === 1) name = app[0];
    else if (preferred && [...app, ...init, ...ephemeral].includes(preferred)) name = preferred;
    else {
      const initText = init.length ? ` or one of the init containers: [${init.join(" ")}]` : "";
      const ephText = ephemeral.length ? ` or one of the ephemeral containers: [${ephemeral.join(" ")}]` : "";
      throw badRequest(
        `a container name must be specified for pod ${podName}, choose one of: [${app.join(" ")}]${initText}${ephText}`,
      );
    }
  }
  const cname = name as string;
  if (![...app, ...init, ...ephemeral].includes(cname)) {
    throw badRequest(`container ${cname} is not valid for pod ${podName}`);
  }
  const statuses = [
    ...arr(status.initContainerStatuses),
    ...arr(status.containerStatuses),
    ...arr(status.ephemeralContainerStatuses),
  ];
  const s = statuses.find((c) => str(c.name) === cname) ?? {};
  const restarts = Number(s.restartCount ?? 0);
  const uid = pod.metadata?.uid ?? podName;
  const period = 250 + (hash(`${uid}/${cname}`) % 1250);
  if (query.previous) {
    const last = obj(obj(s.lastState).terminated);
    const started = Date.parse(str(last.startedAt));
    const finished = Date.parse(str(last.finishedAt));
    if (Number.isNaN(started) || Number.isNaN(finished)) {
      throw badRequest(`previous terminated container "${cname}" in pod "${podName}" not found`);
    }
    return { key: `${uid}/${cname}/${restarts - 1}`, origin: started, periodMs: period, end: finished };
  }
  const state = obj(s.state);
  if (state.running) {
    // The generator may date startedAt after now (a pod just created): the log starts no later than the pod.
    const created = Date.parse(str(pod.metadata?.creationTimestamp));
    const startedAt = Date.parse(str(obj(state.running).startedAt));
    const started = Number.isNaN(created) ? startedAt : Math.min(created, startedAt);
    return { key: `${uid}/${cname}/${restarts}`, origin: started, periodMs: period, end: Number.POSITIVE_INFINITY };
  }
  if (state.terminated) {
    const t = obj(state.terminated);
    const started = Date.parse(str(t.startedAt));
    const finished = Date.parse(str(t.finishedAt));
    if (!Number.isNaN(started) && !Number.isNaN(finished)) {
      return { key: `${uid}/${cname}/${restarts}`, origin: started, periodMs: period, end: finished };
    }
  }
  const reason = str(obj(state.waiting).reason) || "ContainerCreating";
  throw badRequest(`container "${cname}" in pod "${podName}" is waiting to start: ${reason}`);
}

/** Where a stream is: the next record to send and the lines still allowed (tailLines) / bytes (limitBytes). */
export interface LogCursor {
  next: number;
  bytesLeft: number;
}

/** The response's first part: the records the query selects up to `now`, and where following goes on. */
export function initialLines(log: ContainerLog, query: LogQuery, now: number): { text: string; cursor: LogCursor } {
  const last = lastIndexAt(log, now);
  const first = firstKept(log, now);
  let from = first;
  if (query.since !== undefined) {
    // Records are in time order: the first one at or after `since`.
    let lo = first;
    let hi = last + 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (logRecord(log, mid).at >= (query.since as bigint)) hi = mid;
      else lo = mid + 1;
    }
    from = lo;
  }
  let out: string[] = [];
  if (query.tailLines !== undefined) {
    let i = last;
    while (i >= from && out.length < query.tailLines) {
      const rec = logRecord(log, i);
      const lines = rec.lines.map((l) => format(rec.ts, l, query.timestamps));
      out = [...lines, ...out];
      i--;
    }
    if (out.length > query.tailLines) out = out.slice(out.length - query.tailLines);
  } else {
    for (let i = from; i <= last; i++) {
      const rec = logRecord(log, i);
      for (const l of rec.lines) out.push(format(rec.ts, l, query.timestamps));
    }
  }
  const cursor: LogCursor = { next: last + 1, bytesLeft: query.limitBytes ?? Number.POSITIVE_INFINITY };
  return { text: take(out.join(""), cursor), cursor };
}

/** What was written since the cursor, up to `now` (follow). */
export function newLines(log: ContainerLog, query: LogQuery, cursor: LogCursor, now: number): string {
  const last = lastIndexAt(log, now);
  let text = "";
  for (; cursor.next <= last; cursor.next++) {
    const rec = logRecord(log, cursor.next);
    for (const l of rec.lines) text += format(rec.ts, l, query.timestamps);
  }
  return take(text, cursor);
}

function format(ts: string, line: string, timestamps: boolean): string {
  return `${timestamps ? `${ts} ` : ""}${line}\n`;
}

/** `text` cut to the bytes left (limitBytes), which it uses up. */
function take(text: string, cursor: LogCursor): string {
  if (cursor.bytesLeft === Number.POSITIVE_INFINITY) return text;
  const buf = Buffer.from(text, "utf8");
  const n = Math.min(buf.length, cursor.bytesLeft);
  cursor.bytesLeft -= n;
  return buf.subarray(0, n).toString("utf8");
}

/** True once the container writes no more (terminated) or the byte limit is reached. */
export function finished(log: ContainerLog, cursor: LogCursor, now: number): boolean {
  return cursor.bytesLeft <= 0 || (log.end !== Number.POSITIVE_INFINITY && now >= log.end);
}

export { ApiError };

/** Each container's restart count: a change ends a following stream (the container restarted). */
export function restartCounts(pod: KubeObject): Record<string, number> {
  const status = obj(pod.status);
  const out: Record<string, number> = {};
  for (const list of ["initContainerStatuses", "containerStatuses", "ephemeralContainerStatuses"]) {
    for (const s of arr(status[list])) out[str(s.name)] = Number(s.restartCount ?? 0);
  }
  return out;
}
