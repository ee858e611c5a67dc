// Exec and attach on the simulated cluster's pods (…/pods/NAME/exec and …/attach), over a WebSocket with the
// apiserver's subprotocols (v5.channel.k8s.io, v4.channel.k8s.io) and framing (first byte: the channel).
//
// Nothing here runs on the machine: exec gets a simulated shell that only pretends (a prompt, a few built-in
// commands answered from the pod object, line editing), and attach streams the container's generated log lines and
// echoes what is typed. The session ends as a real one would: `exit N` sends the error channel's Status (Success,
// or NonZeroExitCode with the code), and the pod going away drops the connection.

import type { IncomingMessage } from "node:http";
import { STATUS_CODES } from "node:http";
import type { Duplex } from "node:stream";
import { WebSocket, WebSocketServer } from "ws";
import type { KubeObject } from "../kube/objects.ts";
import { containerLog, initialLines, newLines, parseLogQuery } from "./logs.ts";
import type { ApiError } from "./status.ts";
import { badRequest } from "./status.ts";

/** The subprotocols the simulator speaks, preferred first (the apiserver prefers the newest too). */
export const SIM_PROTOCOLS = ["v5.channel.k8s.io", "v4.channel.k8s.io"];

const STDIN = 0;
const STDOUT = 1;
const ERROR = 3;
const RESIZE = 4;
const CLOSE = 255;

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (v !== null && typeof v === "object" ? (v as Obj) : {});
const arr = (v: unknown): Obj[] => (Array.isArray(v) ? v.map(obj) : []);
const str = (v: unknown): string => (typeof v === "string" ? v : "");

/** What one request asks for, read from its query. */
export interface RemoteCommandRequest {
  kind: "exec" | "attach";
  container: string;
  command: string[];
  tty: boolean;
  stdin: boolean;
  stderr: boolean;
}

/**
 * The request's options checked as the apiserver checks them (the same messages), with the container resolved: the
 * only one, else the kubectl.kubernetes.io/default-container annotation is NOT used (the server never does), so a pod
 * with several containers needs `container`.
 */
export function parseRemoteCommand(kind: "exec" | "attach", q: URLSearchParams, pod: KubeObject): RemoteCommandRequest {
  const name = pod.metadata?.name ?? "";
  const flag = (key: string) => q.get(key) === "true" || q.get(key) === "1";
  const tty = flag("tty");
  const stdin = flag("stdin");
  const stdout = flag("stdout");
  const stderr = flag("stderr");
  const command = q.getAll("command");
  if (kind === "exec" && command.length === 0) throw badRequest("you must specify at least 1 command");
  if (!stdin && !stdout && !stderr) throw badRequest("you must specify at least one of stdin, stdout, stderr");
  if (tty && stderr) throw badRequest("stderr may not be requested with tty");
  const spec = obj(pod.spec);
  const app = arr(spec.containers).map((c) => str(c.name));
  const all = [...arr(spec.initContainers), ...arr(spec.containers), ...arr(spec.ephemeralContainers)].map((c) =>
    str(c.name),
  );
  let container = q.get("container") ?? "";
  if (container === "") {
    if (app.length !== 1) {
      throw badRequest(`a container name must be specified for pod ${name}, choose one of: [${app.join(" ")}]`);
    }
    container = app[0] as string;
  }
  if (!all.includes(container)) throw badRequest(`container ${container} is not valid for pod ${name}`);
  const statuses = [
    ...arr(obj(pod.status).initContainerStatuses),
    ...arr(obj(pod.status).containerStatuses),
    ...arr(obj(pod.status).ephemeralContainerStatuses),
  ];
  const running = obj(statuses.find((s) => str(s.name) === container)?.state).running;
  if (!running) {
    throw badRequest(`unable to upgrade connection: container not found ("${container}")`);
  }
  return { kind, container, command, tty, stdin, stderr };
}

/** Answers an upgrade request with an error Status, as the apiserver does before any WebSocket exists. */
export function rejectUpgrade(socket: Duplex, error: ApiError): void {
  const body = JSON.stringify(error.status);
  const code = error.status.code ?? 500;
  socket.end(
    `HTTP/1.1 ${code} ${STATUS_CODES[code] ?? "Error"}\r\n` +
      "Content-Type: application/json\r\n" +
      `Content-Length: ${Buffer.byteLength(body)}\r\n` +
      "Connection: close\r\n\r\n" +
      body,
  );
}

/** The error channel's Status for an exit code, worded as the kubelet words it. */
export function exitStatus(code: number): string {
  if (code === 0) return JSON.stringify({ metadata: {}, status: "Success" });
  return JSON.stringify({
    metadata: {},
    status: "Failure",
    message: `command terminated with non-zero exit code: exit status ${code}`,
    reason: "NonZeroExitCode",
    details: { causes: [{ reason: "ExitCode", message: String(code) }] },
  });
}

/** Splits a command line into words: whitespace separated, with '…' and "…" quoting. */
export function words(line: string): string[] {
  const out: string[] = [];
  let cur = "";
  let quote: string | null = null;
  let has = false;
  for (const ch of line) {
    if (quote) {
      if (ch === quote) quote = null;
      else cur += ch;
    } else if (ch === "'" || ch === '"') {
      quote = ch;
      has = true;
    } else if (ch === " " || ch === "\t") {
      if (has || cur) out.push(cur);
      cur = "";
      has = false;
    } else cur += ch;
  }
  if (has || cur) out.push(cur);
  return out;
}

/** The simulated shell's answer to a line: what it prints, and the exit code when the line ends the shell. */
export interface ShellResult {
  output: string;
  exit?: number;
}

/**
 * A pretend shell for one container: a handful of commands answered from the pod object, everything else
 * "not found". It never runs anything.
 */
export class SimShell {
  private readonly pod: KubeObject;
  private readonly container: string;
  /** The last size the client sent (resize channel); stty size prints it. */
  size = { width: 80, height: 24 };
  private status = 0;

  constructor(pod: KubeObject, container: string) {
    this.pod = pod;
    this.container = container;
  }

  get prompt(): string {
    return `root@${this.pod.metadata?.name ?? "pod"}:/# `;
  }

  private env(): string[] {
    const name = this.pod.metadata?.name ?? "";
    return [
      "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
      `HOSTNAME=${name}`,
      "HOME=/root",
      "TERM=xterm",
      `POD_NAMESPACE=${this.pod.metadata?.namespace ?? ""}`,
      `CONTAINER_NAME=${this.container}`,
      "KUBERNETES_SERVICE_HOST=10.96.0.1",
      "KUBERNETES_SERVICE_PORT=443",
    ];
  }

  /** Runs one line (without its newline); output lines end with "\n". */
  run(line: string): ShellResult {
    const argv = words(line.trim());
    const [cmd, ...args] = argv;
    if (cmd === undefined) return { output: "" };
    const ok = (output: string): ShellResult => {
      this.status = 0;
      return { output };
    };
    switch (cmd) {
      case "echo":
        return ok(`${args.join(" ").replace(/\$\?/g, String(this.status))}\n`);
      case "hostname":
        return ok(`${this.pod.metadata?.name ?? ""}\n`);
      case "pwd":
        return ok("/\n");
      case "ls":
        return ok("bin  dev  etc  home  lib  proc  root  run  sys  tmp  usr  var\n");
      case "env":
        return ok(`${this.env().join("\n")}\n`);
      case "true":
        return ok("");
      case "stty":
        if (args[0] === "size") return ok(`${this.size.height} ${this.size.width}\n`);
        this.status = 1;
        return { output: `stty: invalid argument '${args.join(" ")}'\n` };
      case "exit": {
        const n = args[0] === undefined ? this.status : Number(args[0]);
        return { output: "", exit: Number.isInteger(n) ? ((n % 256) + 256) % 256 : 2 };
      }
      default:
        this.status = 127;
        return { output: `sh: 1: ${cmd}: not found\n` };
    }
  }
}

/** True when the command asks for an interactive shell (sh, bash, or the bash-then-sh check that clients send). */
export function isInteractiveShell(command: readonly string[]): boolean {
  const base = (word: string | undefined) => (word ?? "").split("/").pop() ?? "";
  if (command.length === 1) return ["sh", "bash", "ash", "zsh"].includes(base(command[0]));
  return (
    command.length === 3 && base(command[0]) === "sh" && command[1] === "-c" && /exec (ba)?sh/.test(command[2] ?? "")
  );
}

/** One open session; `end` drops it (the pod went away, the server stops). */
export interface SimRemoteSession {
  end(): void;
}

/** Serves upgrades for exec and attach: the caller has checked auth, RBAC and the request (parseRemoteCommand). */
export class RemoteCommandServer {
  private readonly wss = new WebSocketServer({
    noServer: true,
    perMessageDeflate: false,
    handleProtocols: (offered) => SIM_PROTOCOLS.find((p) => offered.has(p)) ?? false,
  });
  private readonly sessions = new Set<SimRemoteSession>();

  /** Upgrades the request and runs the session; `onEnd` is called once it is over. */
  serve(
    req: IncomingMessage,
    socket: Duplex,
    head: Buffer,
    pod: KubeObject,
    request: RemoteCommandRequest,
    watchGone: (gone: () => void) => () => void,
  ): void {
    const offered = (req.headers["sec-websocket-protocol"] ?? "").split(",").map((p) => p.trim());
    if (!SIM_PROTOCOLS.some((p) => offered.includes(p))) {
      rejectUpgrade(socket, badRequest(`none of the offered subprotocols is supported: ${offered.join(", ")}`));
      return;
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      const session = request.kind === "exec" ? runExec(ws, pod, request) : runAttach(ws, pod, request);
      this.sessions.add(session);
      const unwatch = watchGone(() => session.end());
      ws.once("close", () => {
        unwatch();
        this.sessions.delete(session);
      });
    });
  }

  /** Drops every session (server stop or restart). */
  closeAll(): void {
    for (const s of [...this.sessions]) s.end();
    this.sessions.clear();
  }
}

function frame(channel: number, data: string | Buffer): Buffer {
  return Buffer.concat([Buffer.from([channel]), typeof data === "string" ? Buffer.from(data, "utf8") : data]);
}

/** Every message's channel and payload; resize messages parsed. */
function onFrames(
  ws: WebSocket,
  handlers: { stdin(data: Buffer): void; resize(width: number, height: number): void; closeStdin(): void },
): void {
  ws.on("message", (raw: WebSocket.RawData) => {
    const data = Array.isArray(raw) ? Buffer.concat(raw) : Buffer.from(raw as ArrayBuffer);
    if (data.length === 0) return;
    const channel = data[0];
    const payload = data.subarray(1);
    if (channel === STDIN) handlers.stdin(payload);
    else if (channel === RESIZE) {
      try {
        const size = JSON.parse(payload.toString("utf8")) as { Width?: unknown; Height?: unknown };
        const width = Number(size.Width);
        const height = Number(size.Height);
        if (Number.isInteger(width) && Number.isInteger(height) && width > 0 && height > 0) {
          handlers.resize(width, height);
        }
      } catch {
        // A malformed resize is ignored, as the kubelet ignores it.
      }
    } else if (channel === CLOSE && ws.protocol === "v5.channel.k8s.io" && payload[0] === STDIN) {
      handlers.closeStdin();
    }
  });
}

function runExec(ws: WebSocket, pod: KubeObject, request: RemoteCommandRequest): SimRemoteSession {
  const shell = new SimShell(pod, request.container);
  const tty = request.tty;
  let ended = false;
  const out = (text: string) => {
    if (ended || ws.readyState !== WebSocket.OPEN || text === "") return;
    ws.send(frame(STDOUT, tty ? text.replace(/\r?\n/g, "\r\n") : text));
  };
  const finish = (code: number) => {
    if (ended) return;
    ended = true;
    if (ws.readyState === WebSocket.OPEN) {
      ws.send(frame(ERROR, exitStatus(code)));
      ws.close(1000);
    }
  };
  if (!isInteractiveShell(request.command)) {
    // One command, as `sh -c LINE` or argv: run it and end with its status.
    const line =
      request.command[0] === "sh" && request.command[1] === "-c"
        ? (request.command[2] ?? "")
        : request.command.join(" ");
    onFrames(ws, {
      stdin: () => {},
      resize: (width, height) => {
        shell.size = { width, height };
      },
      closeStdin: () => {},
    });
    // Wait a moment for the client's first resize, as a process starting in a real container would have it.
    setTimeout(() => {
      const result = shell.run(line);
      out(result.output);
      finish(result.exit ?? (result.output.includes(": not found") ? 127 : 0));
    }, 50);
    return { end: () => ws.terminate() };
  }
  let line = "";
  const lineInput = (text: string) => {
    const result = shell.run(text);
    out(result.output);
    if (result.exit !== undefined) finish(result.exit);
    else if (tty) out(shell.prompt);
  };
  onFrames(ws, {
    stdin: (data) => {
      for (const ch of data.toString("utf8")) {
        if (ended) return;
        if (tty && (ch === "\r" || ch === "\n")) {
          out("\r\n");
          const text = line;
          line = "";
          lineInput(text);
        } else if (!tty && ch === "\n") {
          const text = line;
          line = "";
          lineInput(text);
        } else if (ch === "\x7f" || ch === "\b") {
          if (line.length > 0) {
            line = line.slice(0, -1);
            if (tty) out("\b \b");
          }
        } else if (ch === "\x03") {
          line = "";
          if (tty) out(`^C\r\n${shell.prompt}`);
        } else if (ch === "\x04") {
          if (line === "") {
            if (tty) out("exit\r\n");
            finish(0);
          }
        } else if (ch >= " " || ch === "\t") {
          line += ch;
          if (tty) out(ch);
        }
      }
    },
    resize: (width, height) => {
      shell.size = { width, height };
    },
    // EOF on stdin: sh runs what it has read and exits with the last status.
    closeStdin: () => {
      if (line !== "") lineInput(line);
      line = "";
      finish(0);
    },
  });
  if (tty) out(shell.prompt);
  return { end: () => ws.terminate() };
}

function runAttach(ws: WebSocket, pod: KubeObject, request: RemoteCommandRequest): SimRemoteSession {
  const tty = request.tty;
  const send = (text: string) => {
    if (ws.readyState !== WebSocket.OPEN || text === "") return;
    ws.send(frame(STDOUT, tty ? text.replace(/\r?\n/g, "\r\n") : text));
  };
  // The container's output from now on, as attaching to a running process shows it (no history).
  const started = Date.now();
  const query = parseLogQuery(new URLSearchParams({ container: request.container, tailLines: "0" }), started);
  const log = containerLog(pod, query);
  const { cursor } = initialLines(log, query, started);
  const timer = setInterval(() => send(newLines(log, query, cursor, Date.now())), 200);
  onFrames(ws, {
    // The main process reads stdin; the simulated one only echoes it back (as a terminal in cooked mode would).
    stdin: (data) => {
      if (!request.stdin) return;
      const text = data.toString("utf8");
      send(tty ? text.replace(/\r/g, "\n") : text);
    },
    resize: () => {},
    closeStdin: () => {},
  });
  ws.once("close", () => clearInterval(timer));
  return {
    end: () => {
      clearInterval(timer);
      ws.terminate();
    },
  };
}
