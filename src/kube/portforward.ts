// Port-forward to a pod, as `kubectl port-forward`: a local TCP listener per port pair, and for every accepted TCP
// connection one WebSocket to the pod's portforward subresource carrying its bytes.
//
// The protocol is the kubelet's own WebSocket one, `v4.channel.k8s.io` (kubelet/cri-streaming
// portforward/websocket.go, which KWOK serves too): `?ports=REMOTE` opens two channels for the port, data (0) and
// error (1); every message is one channel byte then payload; the server's first message on each channel is the port,
// 2 bytes little endian; a failure inside the pod (nothing listens there) is text on the error channel, then the
// server closes. kube-apiserver (PortForwardWebsockets, on since 1.31) proxies such an upgrade to the kubelet as it
// is: only `SPDY/3.1+portforward.k8s.io` (kubectl's tunnel) is translated, and that one would need a SPDY/3.1
// client (zlib header blocks, flow control) here for nothing more. What v4 cannot say is "the local side is done
// sending" (no per-channel close: that is v5, which the port-forward handler does not offer). So a local half-close
// keeps the WebSocket open while the pod answers, as kubectl waits for the remote copy to finish, and closes it once
// the pod has been quiet for HALF_CLOSE_QUIET_MS: KWOK (like any kubelet that waits for both copies) never closes a
// connection whose client went quiet, so waiting for the pod alone would keep every such connection forever.
import net, { isIP } from "node:net";
import type WebSocket from "ws";
import { KubeError, oneLine } from "./errors.ts";
import type { Transport } from "./transport.ts";
import { type OpenedWebSocket, openWebSocket } from "./websocket.ts";

/** The channel protocol offered (see above). */
export const PORT_FORWARD_PROTOCOL = "v4.channel.k8s.io";

const DATA_CHANNEL = 0;
const ERROR_CHANNEL = 1;
/** Bytes the server sends first on each channel: the port number. */
const PORT_PREFIX = 2;
/** Stop reading the local socket while this much is queued towards the server; resume below the low mark. */
const HIGH_WATER = 1 << 20;
const LOW_WATER = 1 << 18;
/** After the local client's end, close its WebSocket once the pod sent nothing for this long (see above). */
export const HALF_CLOSE_QUIET_MS = 1000;

/** A local port and the pod's port it goes to. */
export interface ForwardPorts {
  /** 0: any free port (the one bound is in PortForward.ports). */
  local: number;
  remote: number;
}

/** What to forward. */
export interface PortForwardTarget {
  namespace: string;
  pod: string;
  /** Where to listen (127.0.0.1, ::1, 0.0.0.0, a local address). */
  address: string;
  ports: readonly ForwardPorts[];
}

/** A running forward: its listeners stay until stop(), whatever happens to its connections. */
export interface PortForward {
  /** The pairs as bound (a requested local port 0 replaced by the one the system gave). */
  readonly ports: readonly ForwardPorts[];
  /** TCP connections open through it now. */
  connections(): number;
  /** The last failure of one of its connections, if any (the pod's port refused, the server refused, ...). */
  lastError(): string | undefined;
  /** Closes the listeners and every connection; resolves once the listeners are closed. */
  stop(): Promise<void>;
}

/** Options of startPortForward. */
export interface PortForwardOptions {
  /** Called whenever the connections or lastError change. */
  onChange?: () => void;
  /** Default HALF_CLOSE_QUIET_MS. */
  halfCloseQuietMs?: number;
}

/** "127.0.0.1:8080", "[::1]:8080". */
export function hostPort(address: string, port: number): string {
  return isIP(address) === 6 ? `[${address}]:${port}` : `${address}:${port}`;
}

/** The portforward subresource's path for one remote port. */
export function portForwardPath(namespace: string, pod: string, remote: number): string {
  return `/api/v1/namespaces/${encodeURIComponent(namespace)}/pods/${encodeURIComponent(pod)}/portforward?ports=${remote}`;
}

/** A listen error as one line that says what to do. */
function listenError(err: NodeJS.ErrnoException, address: string, port: number): KubeError {
  const where = hostPort(address, port);
  switch (err.code) {
    case "EADDRINUSE":
      return new KubeError("network", `${where} is in use`, { cause: err });
    case "EACCES":
      return new KubeError("network", `${where}: permission denied (ports below 1024 need privileges)`, { cause: err });
    case "EADDRNOTAVAIL":
      return new KubeError("network", `${where}: ${address} is not an address of this machine`, { cause: err });
    default:
      return new KubeError("network", `${where}: ${oneLine(err)}`, { cause: err });
  }
}

function listen(address: string, port: number, onConnection: (socket: net.Socket) => void): Promise<net.Server> {
  // allowHalfOpen: a local client that is done sending still reads the pod's answer; pauseOnConnect: nothing is read
  // before its WebSocket is open.
  const server = net.createServer({ allowHalfOpen: true, pauseOnConnect: true }, onConnection);
  return new Promise((resolve, reject) => {
    server.once("error", (err: NodeJS.ErrnoException) => reject(listenError(err, address, port)));
    server.listen({ host: address, port, exclusive: true }, () => {
      server.removeAllListeners("error");
      // A listener error after it is up (none are expected) must not crash the process.
      server.on("error", () => {});
      resolve(server);
    });
  });
}

/** A refused upgrade's message, without the list/watch advice of a refused read. */
function connectError(err: unknown): string {
  if (err instanceof KubeError && err.status === 403 && err.detail) return `forbidden (403): ${err.detail}`;
  return oneLine(err);
}

/**
 * Listens on every pair's local port (all or none: a port in use closes the ones already bound and throws "… is in
 * use") and forwards each accepted connection to the pod through `transport`.
 */
export async function startPortForward(
  transport: Transport,
  target: PortForwardTarget,
  options: PortForwardOptions = {},
): Promise<PortForward> {
  const servers: net.Server[] = [];
  const sockets = new Set<net.Socket>();
  const aborts = new Set<AbortController>();
  let error: string | undefined;
  let stopped = false;
  const changed = () => {
    if (!stopped) options.onChange?.();
  };
  const fail = (message: string) => {
    error = message;
    changed();
  };

  const accept = (socket: net.Socket, remote: number) => {
    if (stopped) {
      socket.destroy();
      return;
    }
    sockets.add(socket);
    const abort = new AbortController();
    aborts.add(abort);
    let ws: WebSocket | undefined;
    socket.on("error", () => {}); // a reset by the local client: 'close' follows
    socket.once("close", () => {
      sockets.delete(socket);
      aborts.delete(abort);
      abort.abort();
      ws?.terminate();
      changed();
    });
    changed();
    openWebSocket(transport, portForwardPath(target.namespace, target.pod, remote), {
      protocols: [PORT_FORWARD_PROTOCOL],
      signal: abort.signal,
      noProtocol: `does not speak ${PORT_FORWARD_PROTOCOL} (port-forward)`,
    }).then(
      (opened) => {
        aborts.delete(abort);
        if (socket.destroyed) {
          opened.ws.terminate();
          return;
        }
        ws = opened.ws;
        pipe(socket, opened, fail, options.halfCloseQuietMs ?? HALF_CLOSE_QUIET_MS);
      },
      (err: unknown) => {
        aborts.delete(abort);
        if (socket.destroyed || stopped) return;
        fail(connectError(err));
        socket.destroy();
      },
    );
  };

  try {
    for (const pair of target.ports) {
      const server = await listen(target.address, pair.local, (socket) => accept(socket, pair.remote));
      servers.push(server);
    }
  } catch (err) {
    await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
    throw err;
  }

  const ports = target.ports.map((pair, i) => ({
    local: ((servers[i] as net.Server).address() as net.AddressInfo).port,
    remote: pair.remote,
  }));
  return {
    ports,
    connections: () => sockets.size,
    lastError: () => error,
    async stop() {
      if (stopped) return;
      stopped = true;
      const closed = Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
      for (const a of aborts) a.abort();
      for (const s of sockets) s.destroy();
      await closed;
    },
  };
}

/** An open WebSocket and the messages that came with its upgrade's answer (see kube/websocket.ts). */
type Opened = OpenedWebSocket;

/** Carries one TCP connection over its WebSocket until either side ends it. */
function pipe(socket: net.Socket, opened: Opened, fail: (message: string) => void, quietMs: number): void {
  const { ws, early } = opened;
  const skip = [PORT_PREFIX, PORT_PREFIX];
  let errorText = "";
  let queued = 0;
  let failed = false;
  let localEnded = false;
  let quiet: NodeJS.Timeout | undefined;
  const waitQuiet = () => {
    clearTimeout(quiet);
    quiet = setTimeout(() => ws.close(), quietMs);
  };

  const onMessage = (data: Buffer) => {
    if (data.length === 0) return;
    if (localEnded) waitQuiet();
    const channel = data[0] as number;
    let payload = data.subarray(1);
    const toSkip = skip[channel];
    if (toSkip === undefined) return; // a channel of another port: not asked for
    if (toSkip > 0) {
      const n = Math.min(toSkip, payload.length);
      skip[channel] = toSkip - n;
      payload = payload.subarray(n);
    }
    if (payload.length === 0) return;
    if (channel === ERROR_CHANNEL) {
      errorText += payload.toString("utf8");
      return;
    }
    if (channel === DATA_CHANNEL && !socket.destroyed && !socket.write(payload)) {
      ws.pause();
      socket.once("drain", () => ws.resume());
    }
  };
  // From here on onMessage reads them; what came before it (since the upgrade) first.
  ws.removeAllListeners("message");
  for (const data of early.splice(0)) onMessage(data);
  ws.on("message", onMessage);

  ws.once("close", () => {
    clearTimeout(quiet);
    if (errorText !== "") {
      failed = true;
      fail(errorText.trim());
      socket.destroy();
      return;
    }
    // The pod's side is done: pass the end on (after what is queued), then close as kubectl does.
    if (!socket.destroyed) socket.end(() => socket.destroy());
  });
  ws.on("error", (err) => {
    if (failed || socket.destroyed) return;
    failed = true;
    fail(oneLine(err));
    socket.destroy();
  });

  socket.on("data", (chunk: Buffer) => {
    if (ws.readyState !== ws.OPEN) return;
    const frame = Buffer.allocUnsafe(chunk.length + 1);
    frame[0] = DATA_CHANNEL;
    chunk.copy(frame, 1);
    queued += frame.length;
    if (queued > HIGH_WATER) socket.pause();
    ws.send(frame, { binary: true }, () => {
      queued -= frame.length;
      if (queued < LOW_WATER && socket.isPaused() && !socket.destroyed) socket.resume();
    });
  });
  socket.once("end", () => {
    localEnded = true;
    waitQuiet();
  });
  socket.once("close", () => clearTimeout(quiet));
  socket.resume();
}

/**
 * What kubectl checks before it forwards (the pod exists and is Running), and whether the user may forward to it (a
 * SelfSubjectAccessReview of `create pods/portforward`, the verb the apiserver authorizes the upgrade as): so that a
 * forward that cannot work is refused when it is asked for, not at its first connection. Throws a one-line KubeError.
 */
export async function checkPortForward(transport: Transport, namespace: string, pod: string): Promise<void> {
  const path = `/api/v1/namespaces/${encodeURIComponent(namespace)}/pods/${encodeURIComponent(pod)}`;
  const res = await transport.request(path, { accept: "application/json" });
  const object = JSON.parse(res.body.toString("utf8")) as {
    metadata?: { deletionTimestamp?: string };
    status?: { phase?: string };
  };
  const phase = object.status?.phase ?? "Unknown";
  if (phase !== "Running") {
    throw new KubeError("protocol", `pod ${namespace}/${pod} is not running (${phase}): nothing to forward to`);
  }
  if (object.metadata?.deletionTimestamp) {
    throw new KubeError("protocol", `pod ${namespace}/${pod} is being deleted: nothing to forward to`);
  }
  const review = await transport.request("/apis/authorization.k8s.io/v1/selfsubjectaccessreviews", {
    method: "POST",
    accept: "application/json",
    body: JSON.stringify({
      apiVersion: "authorization.k8s.io/v1",
      kind: "SelfSubjectAccessReview",
      spec: {
        resourceAttributes: { namespace, verb: "create", resource: "pods", subresource: "portforward", name: pod },
      },
    }),
  });
  const status = (JSON.parse(review.body.toString("utf8")) as { status?: { allowed?: boolean; reason?: string } })
    .status;
  if (status?.allowed !== true) {
    const who = transport.userName ? `user "${transport.userName}"` : "this user";
    throw new KubeError(
      "http",
      `forbidden (403): ${who} may not create pods/portforward in namespace "${namespace}"${status?.reason ? ` (${status.reason})` : ""}`,
      { status: 403 },
    );
  }
}
