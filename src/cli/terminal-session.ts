// The app's "terminal" effect carried out: a shell (exec: bash, else sh) or an attach on a container, over the
// session's transport (the same credentials as every other request), connected while the UI is still on screen so
// that a refusal (403, a pod not running) is only a message; then handed the terminal through the runtime's
// "handover" effect until it ends. The pod is watched meanwhile: deleted (or replaced), the session ends and says so.
import type { TerminalTarget } from "../app/effects.ts";
import { KubeError, oneLine } from "../kube/errors.ts";
import { openRemoteCommand, type RemoteCommand, SHELL_COMMAND } from "../kube/exec.ts";
import type { KubeObject } from "../kube/objects.ts";
import type { Transport } from "../kube/transport.ts";
import type { HandoverIO, HandoverSession, Outcome } from "../tui/run.ts";

/** Attach has no end of its own (the process runs on): Ctrl-P Ctrl-Q detaches, as with `docker attach`. */
export const DETACH_KEYS = "\x10\x11";

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (v !== null && typeof v === "object" ? (v as Obj) : {});
const arr = (v: unknown): Obj[] => (Array.isArray(v) ? v.map(obj) : []);

const podPath = (ns: string, name: string) =>
  `/api/v1/namespaces/${encodeURIComponent(ns)}/pods/${encodeURIComponent(name)}`;

/** The container a target means: the one named, else kubectl's default (the annotation, else the first). */
export function resolveContainer(pod: KubeObject, wanted: string | undefined): Obj {
  const spec = obj(pod.spec);
  const all = [...arr(spec.containers), ...arr(spec.initContainers), ...arr(spec.ephemeralContainers)];
  const name = pod.metadata?.name ?? "";
  if (wanted !== undefined) {
    const found = all.find((c) => c.name === wanted);
    if (!found) throw new KubeError("config", `pod ${name} has no container ${wanted}`);
    return found;
  }
  const preferred = pod.metadata?.annotations?.["kubectl.kubernetes.io/default-container"];
  const chosen = all.find((c) => c.name === preferred) ?? arr(spec.containers)[0];
  if (!chosen) throw new KubeError("config", `pod ${name} has no containers`);
  return chosen;
}

/** "shell on api-1/web", "attach to api-1/web": what the session is called on the message line. */
export function sessionLabel(target: TerminalTarget, container: string): string {
  return `${target.mode === "shell" ? "shell on" : "attach to"} ${target.pod}/${container}`;
}

async function getPod(transport: Transport, ns: string, name: string): Promise<KubeObject | undefined> {
  try {
    const res = await transport.request(podPath(ns, name), { accept: "application/json" });
    return JSON.parse(res.body.toString("utf8")) as KubeObject;
  } catch (err) {
    if (err instanceof KubeError && err.status === 404) return undefined;
    throw err;
  }
}

/**
 * Calls `gone` when the pod is deleted or replaced (another uid under its name): a watch on it alone, resumed from the
 * last version seen when the server ends it. Returns its stop.
 */
export function watchPodGone(transport: Transport, pod: KubeObject, gone: () => void): () => void {
  const ns = pod.metadata?.namespace ?? "";
  const name = pod.metadata?.name ?? "";
  const uid = pod.metadata?.uid;
  let version = pod.metadata?.resourceVersion ?? "";
  const abort = new AbortController();
  let stopped = false;
  const fire = () => {
    if (stopped) return;
    stopped = true;
    abort.abort();
    gone();
  };
  const loop = async () => {
    while (!stopped) {
      const q = new URLSearchParams({ watch: "true", fieldSelector: `metadata.name=${name}`, timeoutSeconds: "300" });
      if (version) q.set("resourceVersion", version);
      try {
        const res = await transport.stream(`/api/v1/namespaces/${encodeURIComponent(ns)}/pods?${q}`, {
          signal: abort.signal,
        });
        let buffered = "";
        await new Promise<void>((resolve) => {
          res.setEncoding("utf8");
          res.on("data", (chunk: string) => {
            buffered += chunk;
            let nl = buffered.indexOf("\n");
            while (nl >= 0) {
              const line = buffered.slice(0, nl);
              buffered = buffered.slice(nl + 1);
              nl = buffered.indexOf("\n");
              if (line.trim() === "") continue;
              const event = JSON.parse(line) as { type?: string; object?: KubeObject };
              if (event.type === "DELETED" || (event.type !== "ERROR" && event.object?.metadata?.uid !== uid)) {
                fire();
              } else if (event.type === "ERROR")
                version = ""; // expired: start again from now
              else version = event.object?.metadata?.resourceVersion ?? version;
            }
          });
          res.on("end", resolve);
          res.on("error", () => resolve());
          res.on("close", resolve);
        });
      } catch {
        if (stopped) return;
        await new Promise((r) => setTimeout(r, 1000));
      }
      // The watch ended (timeout, server restart): the pod may have gone meanwhile.
      if (stopped) return;
      try {
        const now = await getPod(transport, ns, name);
        if (!now || now.metadata?.uid !== uid) fire();
        else version = now.metadata?.resourceVersion ?? "";
      } catch {
        // Unreachable for now: watch again after a pause.
        await new Promise((r) => setTimeout(r, 1000));
      }
    }
  };
  void loop();
  return () => {
    stopped = true;
    abort.abort();
  };
}

/** An open session, ready to be handed the terminal; `label` names it ("shell on api-1/web"). */
export interface ConnectedSession extends HandoverSession {
  readonly label: string;
}

/**
 * Reads the pod (the container, whether it has a tty), opens the exec or attach, and returns the session the runtime
 * runs with the terminal. Rejects with a one-line error: the pod is gone, the user may not exec, the container is
 * not running.
 */
export async function openTerminalSession(transport: Transport, target: TerminalTarget): Promise<ConnectedSession> {
  const pod = await getPod(transport, target.namespace, target.pod);
  if (!pod) throw new KubeError("http", `pod ${target.namespace}/${target.pod} not found`, { status: 404 });
  const container = resolveContainer(pod, target.container);
  const containerName = String(container.name ?? "");
  const label = sessionLabel(target, containerName);
  // A shell gets a terminal; attach gets one only when the container has one (kubectl attach's rule), since the
  // process's stdin and stdout are what they are.
  const tty = target.mode === "shell" || container.tty === true;
  const remote = await openRemoteCommand(transport, {
    namespace: target.namespace,
    pod: target.pod,
    container: containerName,
    command: target.mode === "shell" ? SHELL_COMMAND : undefined,
    tty,
    stdin: true,
  });
  return {
    label,
    abandon: (reason) => remote.close(reason),
    run: (io) => runSession(transport, pod, target, label, remote, io, tty),
  };
}

async function runSession(
  transport: Transport,
  pod: KubeObject,
  target: TerminalTarget,
  label: string,
  remote: RemoteCommand,
  io: HandoverIO,
  tty: boolean,
): Promise<Outcome> {
  const podName = `${target.namespace}/${target.pod}`;
  let goneMessage: string | undefined;
  const stopWatch = watchPodGone(transport, pod, () => {
    goneMessage = `pod ${podName} was deleted`;
    remote.close(goneMessage);
  });
  // Raw mode keeps the terminal's output processing (ONLCR): a command without a tty prints right as it is.
  remote.onOutput((data) => io.write(data));
  const containers = arr(obj(pod.spec).containers);
  if (target.container === undefined && containers.length > 1) {
    // kubectl's words when it picks the container itself.
    const names = containers.map((c) => String(c.name)).join(", ");
    io.write(`Defaulted container "${label.slice(label.lastIndexOf("/") + 1)}" out of: ${names}\r\n`);
  }
  if (target.mode === "attach") {
    io.write(`${label}: Ctrl-P Ctrl-Q detaches\r\n`);
  }
  let detached = false;
  let pending = "";
  io.onInput((data) => {
    if (target.mode === "attach") {
      // The detach keys may come split over two reads; hold a lone Ctrl-P until the next byte says what it is.
      const text = pending + data.toString("latin1");
      pending = "";
      const at = text.indexOf(DETACH_KEYS);
      if (at >= 0) {
        if (at > 0) remote.write(Buffer.from(text.slice(0, at), "latin1"));
        detached = true;
        remote.close("detached");
        return;
      }
      if (text.endsWith("\x10")) {
        pending = "\x10";
        if (text.length > 1) remote.write(Buffer.from(text.slice(0, -1), "latin1"));
        return;
      }
      remote.write(Buffer.from(text, "latin1"));
      return;
    }
    remote.write(data);
  });
  const { width, height } = io.size();
  if (tty) remote.resize(width, height);
  io.onResize((size) => {
    if (tty) remote.resize(size.width, size.height);
  });
  const onAbort = () => {
    remote.closeStdin();
    remote.close("the terminal went away");
  };
  io.signal.addEventListener("abort", onAbort, { once: true });
  try {
    const outcome = await remote.done;
    if (detached) return { code: null, error: "detached" };
    if (goneMessage) return { code: null, error: goneMessage };
    if (outcome.code !== null) return { code: outcome.code };
    // Dropped without a status: say why when it is that the pod went away (its watch may not have said so yet).
    const now = await getPod(transport, target.namespace, target.pod).catch(() => pod);
    if (!now || now.metadata?.uid !== pod.metadata?.uid) return { code: null, error: `pod ${podName} was deleted` };
    return { code: null, error: oneLine(outcome.error ?? "the session ended") };
  } finally {
    stopWatch();
    io.signal.removeEventListener("abort", onAbort);
  }
}
