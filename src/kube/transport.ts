// HTTP(S) transport to the API server: one keep-alive agent, credentials from the kubeconfig applied per request
// (exec plugins and token files may rotate them), deadlines on every request, and errors turned into one-line KubeErrors.
import http from "node:http";
import https from "node:https";
import type { Readable } from "node:stream";
import { KubeError } from "./errors.ts";
import type { KubeStatus } from "./objects.ts";
import { decodeObject } from "./protobuf/decoder.ts";
import { hasMagic } from "./protobuf/envelope.ts";

export interface Credentials {
  ca?: Buffer | string;
  cert?: Buffer | string;
  key?: Buffer | string;
  rejectUnauthorized?: boolean;
  servername?: string;
  headers: Record<string, string>;
}

export interface TransportOptions {
  server: string;
  /** Called before every request; returns TLS material and auth headers. */
  credentials: () => Promise<Credentials> | Credentials;
  /** Who we are, for messages ("user \"x\""). */
  userName?: string;
  /** Give up connecting or waiting for response headers after this long. */
  connectTimeoutMs?: number;
}

export interface RequestOptions {
  accept?: string;
  method?: string;
  signal?: AbortSignal;
  /** Abort when no bytes arrive for this long (headers or body). */
  idleTimeoutMs?: number;
  /** A request body (POST, PUT, PATCH, DELETE with options), sent with `contentType`. */
  body?: Buffer | string;
  /** The body's media type (default application/json). */
  contentType?: string;
}

export interface Response {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

/** What a WebSocket (exec, attach, port-forward) needs to connect as the transport's requests do. */
export interface UpgradeTarget {
  /** ws:// or wss:// URL of the path. */
  url: string;
  /** User-Agent and the credentials' headers (bearer token, impersonation). */
  headers: Record<string, string>;
  /** TLS material for wss:// (the kubeconfig's CA, client certificate and key). */
  tls: Pick<Credentials, "ca" | "cert" | "key" | "rejectUnauthorized" | "servername">;
  /** Give up the handshake after this long. */
  handshakeTimeoutMs: number;
}

const USER_AGENT = "timoneiro/0.1.0";

export class Transport {
  readonly server: string;
  readonly userName: string | undefined;
  private readonly base: URL;
  private readonly credentials: TransportOptions["credentials"];
  private readonly connectTimeoutMs: number;
  private agent: http.Agent | undefined;
  private agentKey = "";

  constructor(options: TransportOptions) {
    this.server = options.server.replace(/\/+$/, "");
    this.base = new URL(this.server);
    this.credentials = options.credentials;
    this.userName = options.userName;
    this.connectTimeoutMs = options.connectTimeoutMs ?? 15_000;
  }

  /** A whole response body in memory (LIST pages, GET). Error statuses throw. */
  async request(path: string, options: RequestOptions = {}): Promise<Response> {
    const res = await this.open(path, options);
    const body = await readAll(res, options.idleTimeoutMs ?? 30_000, this.describe(path));
    const status = res.statusCode ?? 0;
    if (status >= 400) throw httpError(status, res.headers, body, this.describe(path), this.userName);
    return { status, headers: res.headers, body };
  }

  /** A streaming response (WATCH). Error statuses throw after reading the (small) error body. */
  async stream(path: string, options: RequestOptions = {}): Promise<http.IncomingMessage> {
    const res = await this.open(path, options);
    const status = res.statusCode ?? 0;
    if (status >= 400) {
      const body = await readAll(res, options.idleTimeoutMs ?? 30_000, this.describe(path));
      throw httpError(status, res.headers, body, this.describe(path), this.userName);
    }
    return res;
  }

  /** The URL, headers and TLS material for a WebSocket to `path`, with fresh credentials (see kube/websocket.ts). */
  async upgradeTarget(path: string): Promise<UpgradeTarget> {
    const creds = await this.credentials();
    const url = new URL(path, this.base);
    url.protocol = this.base.protocol === "https:" ? "wss:" : "ws:";
    const { headers, ...tls } = creds;
    return {
      url: url.toString(),
      headers: { "User-Agent": USER_AGENT, ...headers },
      tls,
      handshakeTimeoutMs: this.connectTimeoutMs,
    };
  }

  close(): void {
    this.agent?.destroy();
    this.agent = undefined;
  }

  private describe(path: string): string {
    return `${this.server}${path.split("?")[0]}`;
  }

  private async open(path: string, options: RequestOptions): Promise<http.IncomingMessage> {
    const signal = options.signal;
    if (signal?.aborted) throw new KubeError("aborted", "request aborted");
    const creds = await this.credentials();
    // Credentials may take a while (exec plugins); the caller may have given up meanwhile.
    if (signal?.aborted) throw new KubeError("aborted", "request aborted");
    const secure = this.base.protocol === "https:";
    const agent = this.agentFor(creds, secure);
    const url = new URL(path, this.base);
    const headers: Record<string, string> = {
      "User-Agent": USER_AGENT,
      Accept: options.accept ?? "application/json",
      ...creds.headers,
    };
    const body = options.body === undefined ? undefined : Buffer.from(options.body);
    if (body) {
      headers["Content-Type"] = options.contentType ?? "application/json";
      headers["Content-Length"] = String(body.length);
    }
    const describe = this.describe(path);
    const headersDeadlineMs = Math.min(this.connectTimeoutMs, options.idleTimeoutMs ?? this.connectTimeoutMs);
    const requester = secure ? https.request : http.request;
    return await new Promise<http.IncomingMessage>((resolvePromise, reject) => {
      const req = requester(url, { method: options.method ?? "GET", agent, headers });
      let settled = false;
      const fail = (err: KubeError) => {
        if (settled) return;
        settled = true;
        cleanup();
        req.destroy();
        reject(err);
      };
      const onAbort = () => fail(new KubeError("aborted", "request aborted"));
      const timer = setTimeout(
        () => fail(new KubeError("timeout", `timed out after ${headersDeadlineMs / 1000}s waiting for ${describe}`)),
        headersDeadlineMs,
      );
      const cleanup = () => {
        clearTimeout(timer);
        signal?.removeEventListener("abort", onAbort);
      };
      signal?.addEventListener("abort", onAbort, { once: true });
      req.on("error", (err) => fail(networkError(err, this.server)));
      req.on("response", (res) => {
        if (settled) {
          res.destroy();
          return;
        }
        settled = true;
        cleanup();
        // From here on the caller owns the response; an abort must still tear it down.
        if (signal) {
          const abortBody = () => res.destroy(new KubeError("aborted", "request aborted"));
          signal.addEventListener("abort", abortBody, { once: true });
          res.once("close", () => signal.removeEventListener("abort", abortBody));
        }
        resolvePromise(res);
      });
      req.end(body);
    });
  }

  private agentFor(creds: Credentials, secure: boolean): http.Agent {
    const key = secure
      ? [creds.ca, creds.cert, creds.key, creds.rejectUnauthorized, creds.servername].map((v) => String(v)).join("|")
      : "plain";
    if (this.agent && key === this.agentKey) return this.agent;
    this.agent?.destroy();
    // No cap on sockets per host: every running informer keeps one open for its watch (HTTP/1.1), and views start
    // informers on demand, so a cap of N made the (N+1)th held kind wait, unsynced and without an error, until some
    // other watch happened to end (client-go's MaxConnsPerHost is unlimited too).
    const common = { keepAlive: true, keepAliveMsecs: 15_000, maxSockets: Number.POSITIVE_INFINITY, maxFreeSockets: 4 };
    this.agent = secure
      ? new https.Agent({
          ...common,
          ...(creds.ca !== undefined && { ca: creds.ca }),
          ...(creds.cert !== undefined && { cert: creds.cert }),
          ...(creds.key !== undefined && { key: creds.key }),
          ...(creds.rejectUnauthorized !== undefined && { rejectUnauthorized: creds.rejectUnauthorized }),
          ...(creds.servername !== undefined && { servername: creds.servername }),
        })
      : new http.Agent(common);
    this.agentKey = key;
    return this.agent;
  }
}

/** Reads a body to the end, failing when no bytes arrive for `idleMs` (a stalled server). */
export async function readAll(res: Readable, idleMs: number, describe: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  await readEach(res, idleMs, describe, (chunk) => chunks.push(chunk));
  return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
}

/**
 * Hands every chunk of a body to `onChunk` as it arrives (a list page decoded while it downloads) and resolves at its
 * end; fails when no bytes arrive for `idleMs`, and with onChunk's error (the response torn down) if it throws.
 */
export function readEach(
  res: Readable,
  idleMs: number,
  describe: string,
  onChunk: (chunk: Buffer) => void,
): Promise<void> {
  // A finished response can stay reachable for a while (with its socket, back in the agent's pool) and its listeners
  // with it: they reach onChunk only through this holder, emptied at the end, so that what onChunk holds (a list's set
  // of 100k keys, a page's chunks) is not kept alive by them.
  const holder: { sink: ((chunk: Buffer) => void) | undefined } = { sink: onChunk };
  return drain(res, idleMs, describe, holder);
}

function drain(
  res: Readable,
  idleMs: number,
  describe: string,
  holder: { sink: ((chunk: Buffer) => void) | undefined },
): Promise<void> {
  return new Promise((resolvePromise, reject) => {
    let settled = false;
    const settle = (err?: unknown) => {
      if (settled) return;
      settled = true;
      holder.sink = undefined;
      clearTimeout(timer);
      if (err === undefined) resolvePromise();
      else reject(err);
    };
    let timer = setTimeout(onIdle, idleMs);
    function onIdle() {
      res.destroy(new KubeError("timeout", `no data from ${describe} for ${Math.round(idleMs / 1000)}s`));
    }
    res.on("data", (chunk: Buffer) => {
      const sink = holder.sink;
      if (sink === undefined) return;
      try {
        sink(chunk);
      } catch (err) {
        settle(err);
        res.destroy();
        return;
      }
      clearTimeout(timer);
      timer = setTimeout(onIdle, idleMs);
    });
    res.on("end", () => settle());
    res.on("error", (err) => settle(err instanceof KubeError ? err : networkError(err, describe)));
    res.on("close", () => {
      if (!res.readableEnded) settle(new KubeError("network", `connection to ${describe} closed mid-response`));
      else settle();
    });
  });
}

const TLS_CODES = new Set([
  "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
  "SELF_SIGNED_CERT_IN_CHAIN",
  "DEPTH_ZERO_SELF_SIGNED_CERT",
  "CERT_HAS_EXPIRED",
  "ERR_TLS_CERT_ALTNAME_INVALID",
  "UNABLE_TO_GET_ISSUER_CERT",
  "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
  "CERT_SIGNATURE_FAILURE",
  "CERT_NOT_YET_VALID",
  "ERR_SSL_WRONG_VERSION_NUMBER",
]);

export function networkError(err: unknown, server: string): KubeError {
  if (err instanceof KubeError) return err;
  const e = err as NodeJS.ErrnoException & { host?: string };
  const code = e.code ?? "";
  if (code === "ECONNREFUSED") {
    return new KubeError("network", `connection refused by ${server}; is the cluster running and the address right?`, {
      cause: err,
    });
  }
  if (code === "ENOTFOUND" || code === "EAI_AGAIN") {
    return new KubeError("network", `cannot resolve the host of ${server} (DNS ${code}); check the server address`, {
      cause: err,
    });
  }
  if (code === "ETIMEDOUT" || code === "ENETUNREACH" || code === "EHOSTUNREACH") {
    return new KubeError("timeout", `cannot reach ${server} (${code}); check the network or VPN`, { cause: err });
  }
  if (TLS_CODES.has(code) || code.startsWith("ERR_TLS") || code.startsWith("ERR_SSL")) {
    return new KubeError(
      "tls",
      `TLS verification of ${server} failed (${code}: ${e.message}); check certificate-authority in the kubeconfig`,
      { cause: err },
    );
  }
  if (code === "ECONNRESET" || code === "EPIPE") {
    return new KubeError("network", `connection to ${server} was reset`, { cause: err });
  }
  return new KubeError("network", `request to ${server} failed: ${e.message ?? String(err)}`, { cause: err });
}

/** The Status in an error body, JSON or protobuf: the server answers in the format the request preferred. */
function parseStatus(body: Buffer): Partial<KubeStatus> | undefined {
  try {
    const parsed = (
      hasMagic(body, 0, body.length) ? decodeObject(body) : JSON.parse(body.toString("utf8"))
    ) as Partial<KubeStatus>;
    return parsed && parsed.kind === "Status" ? parsed : undefined;
  } catch {
    return undefined;
  }
}

function retryAfter(headers: http.IncomingHttpHeaders, status: Partial<KubeStatus> | undefined): number | undefined {
  const header = headers["retry-after"];
  const seconds = header !== undefined ? Number(header) : status?.details?.retryAfterSeconds;
  return seconds !== undefined && Number.isFinite(seconds) ? seconds * 1000 : undefined;
}

export function httpError(
  code: number,
  headers: http.IncomingHttpHeaders,
  body: Buffer,
  describe: string,
  userName?: string,
): KubeError {
  const status = parseStatus(body);
  const serverMessage = status?.message;
  const extra = {
    status: code,
    reason: status?.reason,
    retryAfterMs: retryAfter(headers, status),
    detail: serverMessage,
  };
  const user = userName ? ` for user "${userName}"` : "";
  switch (code) {
    case 401:
      return new KubeError(
        "http",
        `unauthorized (401) at ${describe}: the server rejected the credentials${user}; renew the token or certificate`,
        extra,
      );
    case 403:
      return new KubeError(
        "http",
        `forbidden (403): ${serverMessage ?? describe}; ask for list/watch rights or pick a namespace you can read (-n)`,
        extra,
      );
    case 404:
      return new KubeError("http", `not found (404): ${serverMessage ?? describe}`, extra);
    case 410:
      return new KubeError("http", `expired (410): ${serverMessage ?? describe}`, extra);
    case 429:
      return new KubeError("http", `the server is throttling requests (429): ${serverMessage ?? describe}`, extra);
    default:
      return new KubeError(
        "http",
        `server error ${code} at ${describe}${serverMessage ? `: ${serverMessage}` : ""}`.replace(/\s+/g, " "),
        extra,
      );
  }
}
