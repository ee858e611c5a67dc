// Where port-forwards are started and listed from: Shift-F on a pod row opens the port-forward dialog (a DialogView
// over the table: local port, the pod's port, the address), and `:pf` opens the list of running forwards. The table and the command
// line call these, so that what a forward asks for lives here.
import type { BaseRow } from "../kube/row.ts";
import { type Binding, keys } from "./bindings.ts";
import type { ActiveForward, ForwardSpec } from "./effects.ts";
import { type DialogValues, DialogView, textField } from "./views/dialog.ts";
import { PortForwardsView } from "./views/port-forwards.ts";
import type { Action, View, ViewContext, ViewResult } from "./views/view.ts";

/** The default local address: loopback only, as kubectl's. */
export const DEFAULT_ADDRESS = "127.0.0.1";

/** A port a pod's container declares. */
export interface DeclaredPort {
  container: string;
  port: number;
  name: string;
  protocol: string;
}

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (v !== null && typeof v === "object" ? (v as Obj) : {});
const arr = (v: unknown): Obj[] => (Array.isArray(v) ? v.map(obj) : []);

/** The TCP ports a pod object's containers declare (init sidecars first, as kubectl lists them), in order. */
export function declaredPorts(pod: unknown): DeclaredPort[] {
  const spec = obj(obj(pod).spec);
  const out: DeclaredPort[] = [];
  for (const c of [...arr(spec.initContainers).filter((i) => i.restartPolicy === "Always"), ...arr(spec.containers)]) {
    for (const p of arr(c.ports)) {
      const protocol = typeof p.protocol === "string" ? p.protocol : "TCP";
      const port = Number(p.containerPort);
      // Port-forward carries TCP only (the kubelet dials TCP).
      if (protocol !== "TCP" || !Number.isInteger(port)) continue;
      out.push({ container: String(c.name ?? ""), port, name: typeof p.name === "string" ? p.name : "", protocol });
    }
  }
  return out;
}

/** A port typed in a field: a whole number 1–65535, else why not. */
export function parsePort(text: string, what: string): number | string {
  const t = text.trim();
  if (t === "") return `${what}: a port is needed (1–65535)`;
  if (!/^\d+$/.test(t)) return `${what}: "${t}" is not a number (1–65535)`;
  const n = Number(t);
  if (n < 1 || n > 65535) return `${what}: ${t} is not a port (1–65535)`;
  return n;
}

/** An address to listen on: IPv4, IPv6 or localhost (the runtime says if it is not one of this machine's). */
function checkAddress(text: string): string | undefined {
  const t = text.trim();
  if (t === "") return "address: needed (127.0.0.1 listens on this machine only)";
  if (t === "localhost" || /^(\d{1,3}\.){3}\d{1,3}$/.test(t) || (t.includes(":") && /^[0-9a-fA-F:.]+$/.test(t))) {
    return undefined;
  }
  return `address: "${t}" is not an IP address (127.0.0.1, 0.0.0.0, ::1)`;
}

const podPath = (ns: string, name: string) =>
  `/api/v1/namespaces/${encodeURIComponent(ns)}/pods/${encodeURIComponent(name)}`;

/** The values of the dialog as a ForwardSpec, or the error line. */
export function forwardSpecOf(
  pod: { namespace: string; name: string },
  values: DialogValues,
  ports: readonly DeclaredPort[] = [],
): ForwardSpec | string {
  const local = parsePort(String(values.local ?? ""), "local port");
  if (typeof local === "string") return local;
  const remote = parsePort(String(values.remote ?? ""), "pod port");
  if (typeof remote === "string") return remote;
  const address = String(values.address ?? "").trim() || DEFAULT_ADDRESS;
  const bad = checkAddress(address);
  if (bad) return bad;
  const container = ports.find((p) => p.port === remote)?.container;
  return {
    namespace: pod.namespace,
    pod: pod.name,
    ...(container !== undefined && { container }),
    address,
    ports: [{ local, remote }],
  };
}

/** "app:80, metrics:9090". */
function portsNote(ports: readonly DeclaredPort[]): string {
  if (ports.length === 0) return "the pod's containers declare no port";
  return `declared: ${ports.map((p) => `${p.container}/${p.name ? `${p.name}:` : ""}${p.port}`).join(", ")}`;
}

/**
 * The port-forward dialog for a pod, over `below` (the view Shift-F was pressed in): it opens at once, the pod's
 * declared ports fill it when its GET comes back (the cached row has no ports), Enter starts the forward and waits
 * for the runtime's answer (a port in use is shown in the dialog, which stays open), Esc cancels. Returns the dialog
 * and the GET to ask for.
 */
export function openPortForwardDialog(
  pod: { namespace: string; name: string },
  below: View,
  container?: string,
): [DialogView, Action[]] {
  const getId = `pf-ports:${pod.namespace}/${pod.name}${container === undefined ? "" : `/${container}`}`;
  let declared: DeclaredPort[] = [];
  const dialog = DialogView.open(
    {
      id: `pf:${pod.namespace}/${pod.name}`,
      title: "Port-forward",
      lines: [
        `Forward a local port to a port of pod ${pod.namespace}/${pod.name}`,
        "(through the API server, as kubectl port-forward)",
      ],
      submit: "start forwarding",
      fields: [
        textField("local", "Local port", "", "on this machine"),
        textField("remote", "Pod port", "", "reading the pod's ports…"),
        textField("address", "Address", DEFAULT_ADDRESS, "0.0.0.0 listens on every interface"),
      ],
      prefill: {
        id: getId,
        fill(value) {
          // A container's own ports come first (Shift-F on a container): its first one is the default.
          const all = declaredPorts(value);
          declared = [...all.filter((p) => p.container === container), ...all.filter((p) => p.container !== container)];
          const first = declared[0];
          return {
            ...(first && { values: { local: String(first.port), remote: String(first.port) } }),
            hints: { remote: portsNote(declared) },
          };
        },
      },
      onSubmit(values, attempt) {
        const spec = forwardSpecOf(pod, values, declared);
        if (typeof spec === "string") return { error: spec };
        const id = `pf-start:${pod.namespace}/${pod.name}:${attempt}`;
        const pair = spec.ports[0];
        return {
          actions: [{ type: "effect", effect: { type: "portForward", id, spec } }],
          awaitResult: {
            id,
            waiting: `starting ${spec.address}:${pair?.local} → ${pod.name}:${pair?.remote}…`,
            done(value) {
              const started = value as ActiveForward | undefined;
              const p = started?.ports[0] ?? pair;
              return [
                {
                  type: "message",
                  text: `forwarding ${spec.address}:${p?.local} → ${pod.namespace}/${pod.name}:${p?.remote} (:pf lists it)`,
                },
              ];
            },
          },
        };
      },
    },
    below,
  );
  return [dialog, [{ type: "effect", effect: { type: "get", id: getId, path: podPath(pod.namespace, pod.name) } }]];
}

/**
 * Shift-F on a pod row (`from`: the view the row is in, returned unchanged): opens the dialog. `container`: on a
 * container of the pod (the containers view), whose ports the dialog offers first. None in read-only mode (a forward
 * is a write in RBAC's eyes: create pods/portforward).
 */
export function portForwardBindings(
  row: Pick<BaseRow, "namespace" | "name">,
  ctx: ViewContext,
  from: View,
  container?: string,
): Binding<ViewResult>[] {
  if (ctx.readOnly) return [];
  return [
    {
      keys: keys("F"),
      label:
        container === undefined
          ? "port-forward: a local port to a port of the pod"
          : "port-forward: a local port to a port of the container",
      section: "Move",
      run: () => {
        const [dialog, actions] = openPortForwardDialog(row, from, container);
        return [from, [{ type: "push", view: dialog }, ...actions]];
      },
    },
  ];
}

/** `:pf` (`:portforward`, `:portforwards`): the running forwards. */
export function openPortForwards(): ViewResult {
  return PortForwardsView.open();
}

export { PORT_FORWARD_COMMANDS } from "./views/port-forwards.ts";
