// WebSockets to the API server (exec, attach, port-forward), with the transport's credentials and its one-line
// errors: a refused upgrade (401, 403, 404) reads like a refused request.
import type { IncomingMessage } from "node:http";
import type WebSocket from "ws";
import { KubeError } from "./errors.ts";
import { httpError, networkError, readAll, type Transport } from "./transport.ts";

/** Options of one WebSocket. */
export interface WebSocketOptions {
  /** Subprotocols offered, preferred first (v5.channel.k8s.io, v4.channel.k8s.io, …). */
  protocols: readonly string[];
  signal?: AbortSignal | undefined;
  /** What to say when the server answers with none of `protocols` (the end of "<server path> …"). */
  noProtocol?: string;
}

/** An open WebSocket, and the messages that came with its upgrade's answer. */
export interface OpenedWebSocket {
  ws: WebSocket;
  /**
   * Frames that arrived before the caller could listen: the first ones (a shell's prompt, port-forward's port
   * prefixes) can come in the same read as the upgrade's answer and are emitted before "open" resolves anything.
   * They are kept here, and the listener that kept them stays: remove it with `ws.removeAllListeners("message")` once
   * the caller listens.
   */
  early: Buffer[];
}

/** Opens a WebSocket to `path` and resolves once it is open (with the subprotocol the server chose). */
export async function openWebSocket(
  transport: Transport,
  path: string,
  options: WebSocketOptions,
): Promise<OpenedWebSocket> {
  const signal = options.signal;
  if (signal?.aborted) throw new KubeError("aborted", "request aborted");
  const target = await transport.upgradeTarget(path);
  const describe = `${transport.server}${path.split("?")[0]}`;
  // Loaded on the first WebSocket: ws and what it requires (zlib, crypto) cost 10-20 ms, which the UI's start-up
  // would otherwise pay before its first frame for a shell or a port-forward that may never be opened.
  const { default: WebSocketClient } = await import("ws");
  if (signal?.aborted) throw new KubeError("aborted", "request aborted");
  return await new Promise<OpenedWebSocket>((resolve, reject) => {
    const ws = new WebSocketClient(target.url, [...options.protocols], {
      headers: target.headers,
      handshakeTimeout: target.handshakeTimeoutMs,
      // Frames of a busy stream are small; compression only costs CPU here (and the apiserver does not offer it).
      perMessageDeflate: false,
      ...(target.tls.ca !== undefined && { ca: target.tls.ca }),
      ...(target.tls.cert !== undefined && { cert: target.tls.cert }),
      ...(target.tls.key !== undefined && { key: target.tls.key }),
      ...(target.tls.rejectUnauthorized !== undefined && { rejectUnauthorized: target.tls.rejectUnauthorized }),
      ...(target.tls.servername !== undefined && { servername: target.tls.servername }),
    });
    const early: Buffer[] = [];
    ws.on("message", (data: Buffer) => early.push(data));
    let settled = false;
    const settle = (err?: unknown) => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener("abort", onAbort);
      if (err === undefined) resolve({ ws, early });
      else {
        ws.terminate();
        reject(err);
      }
    };
    const onAbort = () => settle(new KubeError("aborted", "request aborted"));
    signal?.addEventListener("abort", onAbort, { once: true });
    ws.once("open", () => settle());
    ws.once("unexpected-response", (_req, res: IncomingMessage) => {
      readAll(res, 10_000, describe).then(
        (body) => settle(httpError(res.statusCode ?? 0, res.headers, body, describe, transport.userName)),
        (err: unknown) => settle(err),
      );
    });
    ws.once("error", (err) => {
      if (/timed out/i.test(err.message)) {
        settle(new KubeError("timeout", `timed out waiting for the upgrade of ${describe}`));
      } else if (/subprotocol/i.test(err.message)) {
        // ws checks the answer against what was offered: none, or one we did not offer.
        const offered = options.protocols.join(", ");
        settle(new KubeError("protocol", `${describe} ${options.noProtocol ?? `speaks none of ${offered}`}`));
      } else settle(networkError(err, transport.server));
    });
  });
}
