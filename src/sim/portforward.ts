// Port-forward on the simulated cluster's pods (…/pods/NAME/portforward?ports=P), over a WebSocket with the kubelet's
// protocol (v4.channel.k8s.io: channels 2i data and 2i+1 error for the i-th port, each opened by the port as 2 bytes
// little endian, then one channel byte before every payload).
//
// Nothing leaves the process: a port that one of the pod's containers declares is answered by a small HTTP server
// inside the simulator (GET: `hello from <pod>`, POST/PUT: the body back, so bytes go both ways); any other port is
// refused on the error channel with the kubelet's words, as a pod with nothing listening there would be.

import http, { type IncomingMessage } from "node:http";
import { type Duplex, duplexPair } from "node:stream";
import { type WebSocket, WebSocketServer } from "ws";
import type { KubeObject } from "../kube/objects.ts";
import { rejectUpgrade } from "./exec.ts";
import { badRequest } from "./status.ts";

/** The one subprotocol the kubelet's port-forward speaks in binary (base64 and the unnamed legacy one are not used). */
export const PORT_FORWARD_PROTOCOL = "v4.channel.k8s.io";

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (v !== null && typeof v === "object" ? (v as Obj) : {});
const arr = (v: unknown): Obj[] => (Array.isArray(v) ? v.map(obj) : []);

/** The ports of `?ports=`, checked with the apiserver's and kubelet's messages. */
export function parsePorts(q: URLSearchParams): number[] {
  const values = q.getAll("ports");
  if (values.length === 0) throw badRequest('query parameter "port" is required');
  const ports: number[] = [];
  for (const value of values) {
    if (value === "") throw badRequest('query parameter "port" cannot be empty');
    for (const p of value.split(",")) {
      const n = /^\d+$/.test(p) ? Number(p) : Number.NaN;
      if (!(n >= 0 && n <= 65535)) throw badRequest(`unable to parse "${value}" as a port`);
      if (n < 1) throw badRequest(`port "${value}" must be > 0`);
      ports.push(n);
    }
  }
  return ports;
}

/** The TCP ports the pod's containers declare (sidecars and app containers; what a process there would listen on). */
export function listeningPorts(pod: KubeObject): Set<number> {
  const spec = obj(pod.spec);
  const out = new Set<number>();
  for (const c of [...arr(spec.initContainers), ...arr(spec.containers)]) {
    for (const p of arr(c.ports)) {
      if ((p.protocol ?? "TCP") === "TCP" && Number.isInteger(p.containerPort)) out.add(p.containerPort as number);
    }
  }
  return out;
}

/** The kubelet's message for a port nothing listens on (containerd's dial error inside the pod's network namespace). */
export function refusedMessage(pod: KubeObject, port: number): string {
  const name = `${pod.metadata?.name ?? ""}_${pod.metadata?.namespace ?? ""}`;
  return (
    `error forwarding port ${port} to pod ${name}, uid ${pod.metadata?.uid ?? ""}: failed to connect to localhost:${port} ` +
    `inside namespace "${pod.metadata?.uid ?? ""}", IPv4: dial tcp4 127.0.0.1:${port}: connect: connection refused `
  );
}

function frame(channel: number, data: Buffer): Buffer {
  return Buffer.concat([Buffer.from([channel]), data]);
}

/** The pod's HTTP answers: one server for every forwarded connection, fed in-process duplex streams. */
function responder(): http.Server {
  return http.createServer((req, res) => {
    const pod = String((req.socket as Duplex & { simPod?: string }).simPod ?? "");
    if (req.method === "POST" || req.method === "PUT") {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        const body = Buffer.concat(chunks);
        res.writeHead(200, { "Content-Type": "application/octet-stream", "Content-Length": body.length });
        res.end(body);
      });
      return;
    }
    const body = `hello from ${pod}\n`;
    res.writeHead(200, { "Content-Type": "text/plain; charset=utf-8", "Content-Length": Buffer.byteLength(body) });
    res.end(body);
  });
}

/** Serves port-forward upgrades for the simulator. */
export class PortForwardServer {
  private readonly wss = new WebSocketServer({
    noServer: true,
    perMessageDeflate: false,
    handleProtocols: (offered) => (offered.has(PORT_FORWARD_PROTOCOL) ? PORT_FORWARD_PROTOCOL : false),
  });
  private readonly http = responder();
  private readonly open = new Set<WebSocket>();

  /**
   * Upgrades the request (the caller authorized it and found the pod) and forwards its ports until either side
   * closes; `watchGone` calls its argument when the pod goes, and returns its unsubscribe.
   */
  serve(
    req: IncomingMessage,
    socket: Duplex,
    head: Buffer,
    pod: KubeObject,
    query: URLSearchParams,
    watchGone: (gone: () => void) => () => void,
  ): void {
    const ports = parsePorts(query);
    const offered = (req.headers["sec-websocket-protocol"] ?? "").split(",").map((p) => p.trim());
    if (!offered.includes(PORT_FORWARD_PROTOCOL)) {
      rejectUpgrade(socket, badRequest(`none of the offered subprotocols is supported: ${offered.join(", ")}`));
      return;
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      this.open.add(ws);
      const unwatch = watchGone(() => ws.terminate());
      ws.once("close", () => {
        unwatch();
        this.open.delete(ws);
      });
      this.run(ws, pod, ports);
    });
  }

  private run(ws: WebSocket, pod: KubeObject, ports: readonly number[]): void {
    const listening = listeningPorts(pod);
    const inputs = new Map<number, Duplex>();
    const streams: Duplex[] = [];
    let running = ports.length;
    // As the kubelet: the connection closes once every port's copy is over.
    const done = () => {
      running--;
      if (running === 0) ws.close();
    };
    ports.forEach((port, i) => {
      const data = 2 * i;
      const error = data + 1;
      const prefix = Buffer.from([port & 0xff, port >> 8]);
      ws.send(frame(data, prefix));
      ws.send(frame(error, prefix));
      if (!listening.has(port)) {
        ws.send(frame(error, Buffer.from(refusedMessage(pod, port), "utf8")));
        done();
        return;
      }
      const [ours, theirs] = duplexPair();
      (theirs as Duplex & { simPod?: string }).simPod = pod.metadata?.name ?? "";
      inputs.set(data, ours);
      streams.push(ours, theirs);
      ours.on("data", (chunk: Buffer) => {
        if (ws.readyState === ws.OPEN) ws.send(frame(data, chunk));
      });
      ours.once("end", done);
      ours.on("error", () => {});
      this.http.emit("connection", theirs);
    });
    ws.on("message", (raw: Buffer) => {
      if (raw.length === 0) return;
      inputs.get(raw[0] as number)?.write(raw.subarray(1));
    });
    ws.once("close", () => {
      for (const stream of streams) stream.destroy();
    });
  }

  /** Drops every forward (server stop or restart). */
  closeAll(): void {
    for (const ws of [...this.open]) ws.terminate();
    this.open.clear();
  }
}
