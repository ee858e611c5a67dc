// Exec and attach over a WebSocket, as kubectl does since 1.30: the v5.channel.k8s.io subprotocol (v4 as the
// fallback), one binary message per frame whose first byte names the channel: 0 stdin, 1 stdout, 2 stderr, 3 the
// error channel (one metav1.Status when the command ends), 4 resize (JSON {"Width","Height"}), and in v5 only 255,
// the close signal ([255, 0]: stdin has ended). Credentials are the transport's, like every other request.
import type WebSocket from "ws";
import { KubeError, oneLine } from "./errors.ts";
import type { Transport } from "./transport.ts";
import { type OpenedWebSocket, openWebSocket } from "./websocket.ts";

/** Subprotocols offered, preferred first: v5 can close stdin alone; v4 cannot (only the whole connection). */
export const REMOTE_COMMAND_PROTOCOLS = ["v5.channel.k8s.io", "v4.channel.k8s.io"] as const;

/** The channels of the remote command protocol. */
export const CHANNEL = { stdin: 0, stdout: 1, stderr: 2, error: 3, resize: 4, close: 255 } as const;

/**
 * The interactive shell: bash when the image has it, else sh (k9s's own check, so that images without bash still
 * get a shell, and `exec` so that the shell's exit status is the command's).
 */
export const SHELL_COMMAND: readonly string[] = ["sh", "-c", "command -v bash >/dev/null && exec bash || exec sh"];

/** One exec or attach. */
export interface RemoteCommandOptions {
  namespace: string;
  pod: string;
  /** Undefined: the server's choice (it refuses when the pod has several containers). */
  container?: string | undefined;
  /** exec: the command and its arguments (no shell unless it names one); absent: attach to the main process. */
  command?: readonly string[] | undefined;
  /** A terminal on the other side (raw bytes, one output stream, resizes honoured). */
  tty: boolean;
  /** Send stdin (default true). */
  stdin?: boolean;
  signal?: AbortSignal;
}

/** How a remote command ended: its exit code (null when unknown), or why it failed. */
export interface RemoteOutcome {
  code: number | null;
  error?: string;
}

/** An open exec or attach. */
export interface RemoteCommand {
  /** The subprotocol the server chose. */
  readonly protocol: string;
  /** Bytes for the command's stdin. */
  write(data: Buffer | string): void;
  /** The terminal's new size (tty only; the server ignores it otherwise). */
  resize(width: number, height: number): void;
  /** Local stdin has ended: v5 tells the server (the command sees EOF); v4 cannot, so it closes the connection. */
  closeStdin(): void;
  /** Output as it comes; `stream` is "stderr" only without a tty (a tty merges both into stdout). */
  onOutput(listener: (data: Buffer, stream: "stdout" | "stderr") => void): void;
  /** Resolves once when the command ends or the connection does; never rejects. */
  readonly done: Promise<RemoteOutcome>;
  /** Ends it from this side (the connection is closed; done resolves with `reason` as the error). */
  close(reason?: string): void;
}

function podBase(namespace: string, pod: string): string {
  return `/api/v1/namespaces/${encodeURIComponent(namespace)}/pods/${encodeURIComponent(pod)}`;
}

/** The request path: …/exec with one `command` parameter per word, or …/attach; stderr only without a tty. */
export function remoteCommandPath(opts: RemoteCommandOptions): string {
  const q = new URLSearchParams();
  if (opts.container !== undefined && opts.container !== "") q.set("container", opts.container);
  for (const word of opts.command ?? []) q.append("command", word);
  q.set("stdin", String(opts.stdin ?? true));
  q.set("stdout", "true");
  // With a tty the remote side has one output stream; asking for stderr too is refused by the server.
  q.set("stderr", String(!opts.tty));
  q.set("tty", String(opts.tty));
  return `${podBase(opts.namespace, opts.pod)}/${opts.command ? "exec" : "attach"}?${q.toString()}`;
}

interface StatusCause {
  reason?: string;
  type?: string;
  message?: string;
}
interface RemoteStatus {
  status?: string;
  message?: string;
  reason?: string;
  details?: { causes?: StatusCause[] };
}

/**
 * The error channel's Status as an outcome: Success is 0; Failure with reason NonZeroExitCode carries the code in
 * its ExitCode cause; any other Failure is an error with the server's message.
 */
export function outcomeOfStatus(text: string): RemoteOutcome {
  let status: RemoteStatus;
  try {
    status = JSON.parse(text) as RemoteStatus;
  } catch {
    return { code: null, error: text.trim() || "the server sent an unreadable status" };
  }
  if (status.status === "Success") return { code: 0 };
  if (status.reason === "NonZeroExitCode") {
    const cause = status.details?.causes?.find((c) => c.reason === "ExitCode" || c.type === "ExitCode");
    const code = Number(cause?.message);
    if (Number.isInteger(code)) return { code };
  }
  return { code: null, error: oneLine(status.message ?? status.reason ?? "the command failed") };
}

/** Opens an exec or attach; rejects with the server's one-line error when the upgrade is refused (403, 404, 400). */
export async function openRemoteCommand(transport: Transport, opts: RemoteCommandOptions): Promise<RemoteCommand> {
  const path = remoteCommandPath(opts);
  let opened: OpenedWebSocket;
  try {
    opened = await openWebSocket(transport, path, {
      protocols: REMOTE_COMMAND_PROTOCOLS,
      signal: opts.signal,
      noProtocol: `speaks no remote command protocol we speak (${REMOTE_COMMAND_PROTOCOLS.join(", ")})`,
    });
  } catch (err) {
    throw upgradeError(err, opts);
  }
  return remoteCommandOver(opened.ws, opts.signal, opened.early);
}

/**
 * A refused upgrade in this request's words: the read's advice of a 403 (list/watch rights) would mislead, since
 * exec and attach are the `create` verb on a subresource.
 */
function upgradeError(err: unknown, opts: RemoteCommandOptions): unknown {
  if (!(err instanceof KubeError) || err.status === undefined) return err;
  const extra = {
    status: err.status,
    ...(err.reason !== undefined && { reason: err.reason }),
    ...(err.detail !== undefined && { detail: err.detail }),
  };
  const sub = opts.command ? "exec" : "attach";
  switch (err.status) {
    case 403:
      return new KubeError("http", `forbidden: cannot create pods/${sub} in namespace ${opts.namespace}`, extra);
    case 404:
      return new KubeError("http", `pod "${opts.pod}" not found in namespace ${opts.namespace}`, extra);
    case 400:
      // The server's own words: a container that is not valid, a pod not running yet, a container to choose.
      return new KubeError("http", err.detail ?? err.message, extra);
    default:
      return err;
  }
}

/** The protocol over an open WebSocket; `early`: the frames that came before it (openCapturing). */
function remoteCommandOver(ws: WebSocket, signal?: AbortSignal, early: WebSocket.RawData[] = []): RemoteCommand {
  const protocol = ws.protocol;
  const listeners: ((data: Buffer, stream: "stdout" | "stderr") => void)[] = [];
  let status: RemoteOutcome | undefined;
  let statusText = "";
  let closedBy: string | undefined;
  let resolveDone: (outcome: RemoteOutcome) => void = () => {};
  const done = new Promise<RemoteOutcome>((resolve) => {
    resolveDone = resolve;
  });
  let ended = false;
  const end = (outcome: RemoteOutcome) => {
    if (ended) return;
    ended = true;
    signal?.removeEventListener("abort", onAbort);
    resolveDone(outcome);
  };
  const send = (channel: number, payload: Buffer) => {
    if (ws.readyState !== ws.OPEN) return;
    ws.send(Buffer.concat([Buffer.from([channel]), payload]));
  };
  const onMessage = (raw: WebSocket.RawData) => {
    const frame = Array.isArray(raw) ? Buffer.concat(raw) : Buffer.from(raw as ArrayBuffer);
    if (frame.length === 0) return;
    const channel = frame[0];
    const data = frame.subarray(1);
    // The server opens each channel with an empty frame; nothing to deliver.
    if (data.length === 0) return;
    if (channel === CHANNEL.stdout || channel === CHANNEL.stderr) {
      const stream = channel === CHANNEL.stdout ? "stdout" : "stderr";
      for (const listener of listeners) listener(data, stream);
    } else if (channel === CHANNEL.error) {
      statusText += data.toString("utf8");
      status = outcomeOfStatus(statusText);
    }
  };
  // Frames that came before anyone listened (openCapturing) wait for the first output listener.
  ws.removeAllListeners("message");
  let backlog: WebSocket.RawData[] | null = [...early];
  ws.on("message", (raw: WebSocket.RawData) => {
    if (backlog) backlog.push(raw);
    else onMessage(raw);
  });
  const flushBacklog = () => {
    const pending = backlog;
    backlog = null;
    for (const raw of pending ?? []) onMessage(raw);
  };
  ws.on("close", (code: number, reason: Buffer) => {
    flushBacklog();
    if (closedBy !== undefined) return end({ code: null, error: closedBy });
    if (status) return end(status);
    const why = reason.toString("utf8");
    end({
      code: null,
      error: `the connection closed before the command ended (${code}${why ? `: ${why}` : ""})`,
    });
  });
  ws.on("error", (err: Error) => {
    if (closedBy === undefined && !status) closedBy = `connection error: ${err.message}`;
  });
  const close = (reason = "closed") => {
    if (closedBy === undefined && !status) closedBy = reason;
    ws.close(1000);
    // A peer that never answers the close must not keep the session open.
    setTimeout(() => ws.terminate(), 2000).unref();
  };
  const onAbort = () => close("aborted");
  signal?.addEventListener("abort", onAbort, { once: true });
  return {
    protocol,
    write: (data) => send(CHANNEL.stdin, typeof data === "string" ? Buffer.from(data, "utf8") : data),
    resize: (width, height) =>
      send(CHANNEL.resize, Buffer.from(JSON.stringify({ Width: width, Height: height }), "utf8")),
    closeStdin: () => {
      if (protocol === "v5.channel.k8s.io") send(CHANNEL.close, Buffer.from([CHANNEL.stdin]));
      else close("stdin ended");
    },
    onOutput: (listener) => {
      listeners.push(listener);
      flushBacklog();
    },
    done,
    close,
  };
}
