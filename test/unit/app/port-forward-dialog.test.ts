// The port-forward dialog (port-forward-keys.ts, a DialogView over the table Shift-F was pressed in): its box as text,
// the pod's GET filling the ports (not over what the user typed), the ports' and address's checks keeping it open,
// Enter's portForward effect waited for (a port in use shown in it, a retry, the message once it started), Shift-F's
// binding on pods and containers, and the dialog through the root.
import assert from "node:assert/strict";
import { test } from "node:test";
import { findBinding } from "../../../src/app/bindings.ts";
import type { AppEffect } from "../../../src/app/effects.ts";
import {
  declaredPorts,
  forwardSpecOf,
  openPortForwardDialog,
  portForwardBindings,
} from "../../../src/app/port-forward-keys.ts";
import { view as screen, top, update } from "../../../src/app/root.ts";
import { DialogView } from "../../../src/app/views/dialog.ts";
import type { Action, View, ViewContext, ViewResult } from "../../../src/app/views/view.ts";
import { makePod } from "../../../src/repository/static-repository.ts";
import { type KeyEvent, key } from "../../../src/tui/input.ts";
import { keys, NOW, plain, send, setup } from "./helpers.ts";

const ctx = (over: Partial<ViewContext> = {}): ViewContext => ({
  repo: setup([]).repo,
  now: NOW,
  width: 100,
  height: 14,
  namespace: undefined,
  readOnly: false,
  forwards: [],
  ...over,
});

/** Keys into a view as the root routes them: its bindings first, then update. Returns the view and all actions. */
function press(view: View, spec: string | KeyEvent[], c = ctx()): [View, Action[]] {
  let v = view;
  const actions: Action[] = [];
  for (const k of typeof spec === "string" ? keys(spec) : spec) {
    const binding = findBinding(v.bindings(c), k);
    const [next, more]: ViewResult = binding ? binding.run() : v.update(k, c);
    v = next;
    actions.push(...more);
  }
  return [v, actions];
}

const shiftTab = [key("tab", { shift: true })];

/** The table the dialog is opened over: a screen of dots. */
const below: View = {
  id: "pods",
  crumb: "pods",
  capturesInput: () => false,
  bindings: () => [],
  update: () => [below, []],
  holds: () => [],
  title: () => "Pods",
  statusKinds: () => [],
  body: (c) => Array.from({ length: c.height }, () => ".".repeat(c.width)),
  bottom: () => null,
};

/** The box's lines, without the view below around them. */
const boxOf = (v: View, c: ViewContext = ctx()): string[] =>
  plain(v.body(c))
    .map((l) => l.replace(/^\.*/, "").replace(/\.*$/, "").trim())
    .filter((l) => l !== "");

const valuesOf = (v: View) => (v as DialogView).values;
/** The line above the keys line (an error, or what it waits for), or undefined when it is blank. */
const statusOf = (v: View): string | undefined => {
  const box = boxOf(v);
  const line = (box[box.length - 3] ?? "").replace(/^│ /, "").replace(/ *│$/, "");
  return line === "" ? undefined : line;
};

const pod = makePod({ namespace: "shop", name: "api-1" });
const podObject = {
  spec: {
    initContainers: [
      { name: "init", ports: [{ containerPort: 1 }] },
      { name: "proxy", restartPolicy: "Always", ports: [{ containerPort: 15001, name: "envoy" }] },
    ],
    containers: [
      {
        name: "app",
        ports: [
          { containerPort: 8080, name: "http" },
          { containerPort: 53, protocol: "UDP" },
        ],
      },
      { name: "metrics", ports: [{ containerPort: 9090 }] },
    ],
  },
};

test("declaredPorts: sidecars and containers' TCP ports in order (init containers and UDP left out)", () => {
  assert.deepEqual(
    declaredPorts(podObject).map((p) => `${p.container}/${p.port}`),
    ["proxy/15001", "app/8080", "metrics/9090"],
  );
});

test("the port-forward dialog: opens over the table with a GET of the pod, which fills the ports (the first declared)", () => {
  const [dialog, actions] = openPortForwardDialog(pod, below);
  assert.deepEqual(actions, [
    { type: "effect", effect: { type: "get", id: "pf-ports:shop/api-1", path: "/api/v1/namespaces/shop/pods/api-1" } },
  ]);
  assert.deepEqual(plain(dialog.body(ctx())), [
    ".".repeat(100),
    ".".repeat(100),
    "                  ┌─ Port-forward ──────────────────────────────────────────────┐",
    "                  │ Forward a local port to a port of pod shop/api-1            │",
    "                  │ (through the API server, as kubectl port-forward)           │",
    "                  │                                                             │",
    "                  │ Local port  [ ]  on this machine                            │",
    "                  │ Pod port    []  reading the pod's ports…                    │",
    "                  │ Address     [127.0.0.1]  0.0.0.0 listens on every interface │",
    "                  │                                                             │",
    "                  │ Enter start forwarding · Esc cancel · Tab next field        │",
    "                  └─────────────────────────────────────────────────────────────┘",
    ".".repeat(100),
    ".".repeat(100),
  ]);
  const [filled] = dialog.update({ type: "result", id: "pf-ports:shop/api-1", value: podObject }, ctx());
  assert.deepEqual(boxOf(filled).slice(3, 7), [
    "│                                                                               │",
    "│ Local port  [15001 ]  on this machine                                         │",
    "│ Pod port    [15001]  declared: proxy/envoy:15001, app/http:8080, metrics/9090 │",
    "│ Address     [127.0.0.1]  0.0.0.0 listens on every interface                   │",
  ]);
});

test("the dialog: a field the user edited is not overwritten by the pod's ports arriving later", () => {
  const [dialog] = openPortForwardDialog(pod, below);
  const [typed] = press(dialog, "8888");
  const [filled] = typed.update({ type: "result", id: "pf-ports:shop/api-1", value: podObject }, ctx());
  assert.deepEqual(valuesOf(filled), { local: "8888", remote: "15001", address: "127.0.0.1" });
  assert.equal(boxOf(filled)[5], "│ Pod port    [15001]  declared: proxy/envoy:15001, app/http:8080, metrics/9090 │");
});

test("the dialog's validation: ports 1–65535, an IP address; the dialog says so and stays open", () => {
  const [dialog] = openPortForwardDialog(pod, below);
  const cases: [string, string][] = [
    ["<tab>80", "local port: a port is needed (1–65535)"],
    ["abc<tab>80", 'local port: "abc" is not a number (1–65535)'],
    ["70000<tab>80", "local port: 70000 is not a port (1–65535)"],
    ["8080<tab>0", "pod port: 0 is not a port (1–65535)"],
    ["8080<tab>80<tab><C-u>my-host", 'address: "my-host" is not an IP address (127.0.0.1, 0.0.0.0, ::1)'],
  ];
  assert.equal(statusOf(dialog), undefined);
  for (const [typed, error] of cases) {
    const [after, actions] = press(dialog, `${typed}<enter>`);
    assert.equal(statusOf(after), error, typed);
    assert.deepEqual(actions, [], typed);
  }
});

test("the dialog's Enter: the portForward effect, then it waits; an error (port in use) stays in it, a value closes it", () => {
  const [dialog] = openPortForwardDialog(pod, below);
  const [filled] = dialog.update({ type: "result", id: "pf-ports:shop/api-1", value: podObject }, ctx());
  const [waiting, actions] = press(filled, "<C-u>8080<tab><C-u>8080<enter>");
  const spec = {
    namespace: "shop",
    pod: "api-1",
    container: "app",
    address: "127.0.0.1",
    ports: [{ local: 8080, remote: 8080 }],
  };
  assert.deepEqual(actions, [{ type: "effect", effect: { type: "portForward", id: "pf-start:shop/api-1:1", spec } }]);
  assert.deepEqual(boxOf(waiting).slice(-4), [
    "│                                                                               │",
    "│ starting 127.0.0.1:8080 → api-1:8080…                                         │",
    "│ Esc cancel                                                                    │",
    "└───────────────────────────────────────────────────────────────────────────────┘",
  ]);
  // Typing while waiting does nothing.
  assert.deepEqual(valuesOf(press(waiting, "9")[0]), valuesOf(waiting));
  const [failed] = waiting.update(
    { type: "result", id: "pf-start:shop/api-1:1", value: undefined, error: "127.0.0.1:8080 is in use" },
    ctx(),
  );
  assert.equal(statusOf(failed), "127.0.0.1:8080 is in use");
  const [again, second] = press(failed, shiftTab);
  const [retry, retryActions] = press(again, "<C-u>8081<enter>");
  assert.deepEqual(second, []);
  const effect = retryActions[0] as { type: "effect"; effect: AppEffect };
  assert.deepEqual(effect.effect, {
    type: "portForward",
    id: "pf-start:shop/api-1:2",
    spec: { ...spec, ports: [{ local: 8081, remote: 8080 }] },
  });
  assert.equal(statusOf(retry), "starting 127.0.0.1:8081 → api-1:8080…");
  const started = { ...spec, ports: [{ local: 8081, remote: 8080 }], id: "pf-1", since: NOW, connections: 0 };
  const [, done] = retry.update({ type: "result", id: "pf-start:shop/api-1:2", value: started }, ctx());
  assert.deepEqual(done, [
    { type: "pop" },
    { type: "message", text: "forwarding 127.0.0.1:8081 → shop/api-1:8080 (:pf lists it)" },
  ]);
});

test("forwardSpecOf: a blank address is 127.0.0.1; the container is the one declaring the pod port", () => {
  assert.deepEqual(forwardSpecOf(pod, { local: "1", remote: "9090", address: " " }, declaredPorts(podObject)), {
    namespace: "shop",
    pod: "api-1",
    container: "metrics",
    address: "127.0.0.1",
    ports: [{ local: 1, remote: 9090 }],
  });
  assert.deepEqual(forwardSpecOf(pod, { local: "2", remote: "3", address: "::1" }), {
    namespace: "shop",
    pod: "api-1",
    address: "::1",
    ports: [{ local: 2, remote: 3 }],
  });
});

test("Shift-F on a pod row: pushes the dialog over the view it was pressed in (with its GET); not offered read-only", () => {
  const [binding] = portForwardBindings(pod, ctx(), below);
  assert.ok(binding);
  assert.deepEqual(binding.keys, [{ name: "F" }]);
  const [same, actions] = binding.run();
  assert.equal(same, below);
  const pushed = actions[0] as { type: "push"; view: View };
  assert.equal(pushed.type, "push");
  assert.ok(pushed.view instanceof DialogView);
  assert.equal(pushed.view.title(ctx()), "Pods", "the header still names the view below");
  assert.equal(actions[1]?.type, "effect");
  assert.deepEqual(portForwardBindings(pod, ctx({ readOnly: true }), below), []);
});

test("through the root: Shift-F on a pod row opens the dialog over the table and asks for the pod; Esc closes it", () => {
  const { model } = setup([makePod({ namespace: "shop", name: "api-1", createdAt: NOW - 60_000 })], {
    width: 120,
    height: 20,
  });
  const [opened, effects] = update(model, { ...key("F"), text: "F" });
  assert.ok(top(opened) instanceof DialogView);
  assert.deepEqual(effects, [{ type: "get", id: "pf-ports:shop/api-1", path: "/api/v1/namespaces/shop/pods/api-1" }]);
  const shown = plain(screen(opened)).join("\n");
  assert.match(shown, /┌─ Port-forward ─+┐/);
  assert.match(shown, /│ Forward a local port to a port of pod shop\/api-1 +│/);
  assert.match(shown, /api-1 /, "the table's row is still on screen around the box");
  // q is text in the dialog, not quit.
  const typed = send(opened, ...keys("q"));
  assert.equal(valuesOf(top(typed)).local, "q");
  const closed = send(typed, key("escape"));
  assert.equal(top(closed).id, "pods");
  assert.equal(closed.message?.text, "cancelled");
});

test("Shift-F on a container (the containers view): that container's ports first", () => {
  const [binding] = portForwardBindings(pod, ctx(), below, "metrics");
  assert.equal(binding?.label, "port-forward: a local port to a port of the container");
  const [, actions] = (binding as NonNullable<typeof binding>).run();
  const dialog = (actions[0] as { type: "push"; view: View }).view;
  assert.deepEqual(actions[1], {
    type: "effect",
    effect: { type: "get", id: "pf-ports:shop/api-1/metrics", path: "/api/v1/namespaces/shop/pods/api-1" },
  });
  const [filled] = dialog.update({ type: "result", id: "pf-ports:shop/api-1/metrics", value: podObject }, ctx());
  assert.deepEqual(valuesOf(filled), { local: "9090", remote: "9090", address: "127.0.0.1" });
  assert.equal(boxOf(filled)[5], "│ Pod port    [9090]  declared: metrics/9090, proxy/envoy:15001, app/http:8080 │");
});
