// I/O the app asks for, as data. The runtime (wired in cli/) carries it out and sends the outcome back as a message,
// so nothing in app/ ever waits on the network or touches a file.

import type { WriteRequest } from "../kube/write.ts";
import type { Repository } from "../repository/types.ts";
import type { ExitedMsg } from "../tui/run.ts";

/** A container to open a terminal session on: a shell (exec, bash then sh) or attach to its main process. */
export interface TerminalTarget {
  mode: "shell" | "attach";
  namespace: string;
  pod: string;
  /** Undefined: the pod's default container (the kubectl.kubernetes.io/default-container annotation, else the first). */
  container?: string | undefined;
}

/** One local port forwarded to a port of a pod. */
export interface PortPair {
  local: number;
  remote: number;
}

/** What a port-forward dialog asks for. */
export interface ForwardSpec {
  namespace: string;
  pod: string;
  container?: string | undefined;
  /** Local address to listen on; 127.0.0.1 unless the user said otherwise. */
  address: string;
  ports: readonly PortPair[];
}

/** A port forward that is running, as `:pf` lists it. */
export interface ActiveForward extends ForwardSpec {
  /** Stable identity, for stopping it. */
  id: string;
  /** Epoch ms it started. */
  since: number;
  /** TCP connections open through it now. */
  connections: number;
  /** The last error on one of its connections (the pod went away, the port is closed), if any. */
  lastError?: string | undefined;
}

/** A kubeconfig context, as `:ctx` lists it. */
export interface ContextInfo {
  name: string;
  cluster: string;
  user: string;
  namespace: string | undefined;
}

export type AppEffect =
  /** GET one object (`path` is its API path); the result arrives as `{type: "result", id, value | error}`. */
  | { type: "get"; id: string; path: string }
  /** The kubeconfig's contexts; the answer is a "contexts" message. */
  | { type: "listContexts" }
  /** Connect to another context; the answer is "contextReady" (switch) or "contextFailed" (stay). */
  | { type: "switchContext"; name: string }
  /** Ask the server's discovery again (a name it did not know: a CRD created since); then "rediscovered". */
  | { type: "rediscover"; command: string }
  /**
   * Write `text` to a file named `path` (a file name; the runtime picks the directory); the result arrives as
   * `{type: "result", id, value: the full path | error}`.
   */
  | { type: "save"; id: string; path: string; text: string }
  /** Put `text` on the clipboard (the terminal does it, over OSC 52); no result comes back. */
  | { type: "clipboard"; text: string }
  /**
   * Run `command args` detached, in the background (a plugin with `background: true`); its end comes back as
   * `{type: "exited", id, code}`. (In the foreground, the terminal's "exec" effect does it.)
   */
  | { type: "spawn"; id: string; command: string; args: readonly string[]; env?: Readonly<Record<string, string>> }
  /**
   * Give the terminal to a session on a container (shell or attach) until it ends; the UI is restored after it, and
   * its end comes back as `{type: "exited", id, code, error?}`.
   */
  | { type: "terminal"; id: string; target: TerminalTarget }
  /** Write `text` to a new private temporary file named like `name`; the result's value is its path. */
  | { type: "tempFile"; id: string; name: string; text: string }
  /** Read a file (one the app wrote with tempFile); the result's value is its text. */
  | { type: "readFile"; id: string; path: string }
  /** Remove a file the app wrote with tempFile; no result comes back. */
  | { type: "removeFile"; path: string }
  /** A result `{type: "result", id, value: undefined}` after `ms` (a retry's wait). */
  | { type: "timer"; id: string; ms: number }
  /** A write to the server; the result arrives as `{type: "result", id, value: the server's answer | error}`. */
  | { type: "write"; id: string; request: WriteRequest }
  /** Start forwarding; the result arrives as `{type: "result", id, value: ActiveForward | error}`. */
  | { type: "portForward"; id: string; spec: ForwardSpec }
  /** Stop a running forward (its connections are closed); the list then comes as a "forwards" message. */
  | { type: "stopPortForward"; forwardId: string };

/** What a stream (a view's StreamSpec) delivers: text as it comes, then its end or its error. */
export type StreamEvent =
  | { event: "chunk"; text: string }
  | { event: "end" }
  /** `status`: the HTTP status when the server answered with one (403, 404, 400). */
  | { event: "error"; error: string; status?: number };

/** A stream's event, addressed by the StreamSpec's key. */
export type StreamMsg = { type: "stream"; key: string } & StreamEvent;

/** Opens a stream (the CLI's, through the session's transport): `send` gets its events; returns its stop. */
export type OpenStream = (path: string, send: (event: StreamEvent) => void) => () => void;

/** Messages the runtime sends back for the effects above. */
export type EffectMsg =
  | StreamMsg
  /** A program run by "spawn" (or the terminal's "exec") ended. */
  | ExitedMsg
  | { type: "result"; id: string; value: unknown; error?: string }
  | { type: "contexts"; contexts: readonly ContextInfo[]; current: string; error?: string }
  /** The new context answers: its repository replaces the current one (which the runtime then stops). */
  | { type: "contextReady"; name: string; repo: Repository; namespace?: string | undefined }
  | { type: "contextFailed"; name: string; error: string }
  /** Progress of a switch that is taking a while. */
  | { type: "contextProgress"; name: string; text: string }
  /** The running port forwards changed (one started, stopped, or a connection opened, closed or failed). */
  | { type: "forwards"; forwards: readonly ActiveForward[] }
  /** Discovery was asked again for `command`: run it once more (and report it if still unknown). */
  | { type: "rediscovered"; command: string };
