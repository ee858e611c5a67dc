// The generic form view (views/form.ts) and the port-forward dialog built on it (port-forward-keys.ts): bodies as text,
// Tab/Shift-Tab, editing, validation that keeps the form open, submit's actions, prefill from a GET, and a submit that
// waits for its effect's result.
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
import { top, update, viewContext } from "../../../src/app/root.ts";
import { FormView } from "../../../src/app/views/form.ts";
import type { Action, View, ViewContext, ViewResult } from "../../../src/app/views/view.ts";
import { makePod } from "../../../src/repository/static-repository.ts";
import { type KeyEvent, key } from "../../../src/tui/input.ts";
import { keys, NOW, plain, send, setup } from "./helpers.ts";

const ctx = (over: Partial<ViewContext> = {}): ViewContext => ({
  repo: setup([]).repo,
  now: NOW,
  width: 60,
  height: 9,
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

function form() {
  return FormView.open({
    id: "test-form",
    crumb: "form",
    title: "Scale deploy/api",
    intro: ["Sets the replicas."],
    submitLabel: "scale",
    fields: [
      { name: "replicas", label: "Replicas", value: "3", note: "0 stops it" },
      { name: "reason", label: "Why" },
    ],
    validate: (v) => (/^\d+$/.test(v.replicas ?? "") ? undefined : `replicas: "${v.replicas}" is not a number`),
    submit: (v, attempt) => ({ actions: [{ type: "message", text: `scaled to ${v.replicas} (${attempt})` }] }),
  });
}

test("the form's body: title, intro, fields with the focused one marked and its cursor, notes", () => {
  assert.deepEqual(plain(form().body(ctx())), [
    "",
    "  Scale deploy/api",
    "  Sets the replicas.",
    "",
    "› Replicas  3    0 stops it",
    "  Why        ",
    "",
    "",
    "",
  ]);
});

test("Tab and Shift-Tab move between the fields (wrapping); typing edits the focused one", () => {
  const [v1] = press(form(), "<tab>because");
  assert.equal((v1 as FormView).focused, "reason");
  assert.deepEqual(plain(v1.body(ctx())).slice(4, 6), ["  Replicas  3    0 stops it", "› Why       because "]);
  const [v2] = press(v1, shiftTab);
  assert.equal((v2 as FormView).focused, "replicas");
  const [v3] = press(v2, shiftTab);
  assert.equal((v3 as FormView).focused, "reason", "Shift-Tab from the first field wraps to the last");
  // Editing keys of the text inputs: Ctrl-U clears, then q, : and digits are text (the form takes all typing).
  const [v4] = press(v2, "<C-u>q:5");
  assert.deepEqual((v4 as FormView).values(), { replicas: "q:5", reason: "because" });
  assert.equal(v4.capturesInput(), true);
});

test("Enter with an invalid value: the error line, the form stays; an edit clears it; a valid Enter pops and submits", () => {
  const [bad, none] = press(form(), "<C-u>x<enter>");
  assert.deepEqual(none, []);
  assert.equal((bad as FormView).error, 'replicas: "x" is not a number');
  assert.deepEqual(plain(bad.body(ctx())).slice(6, 8), ["", '  replicas: "x" is not a number']);
  const [edited] = press(bad, "<backspace>");
  assert.equal((edited as FormView).error, undefined);
  const [, actions] = press(edited, "7<enter>");
  assert.deepEqual(actions, [{ type: "pop" }, { type: "message", text: "scaled to 7 (1)" }]);
});

test("Esc cancels: pop and a message, nothing submitted", () => {
  const [, actions] = press(form(), "<C-u>9<esc>");
  assert.deepEqual(actions, [{ type: "pop" }, { type: "message", text: "cancelled" }]);
});

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

test("the port-forward dialog: opens with a GET of the pod, which fills the ports (the first declared one)", () => {
  const [dialog, actions] = openPortForwardDialog(pod);
  assert.deepEqual(actions, [
    { type: "effect", effect: { type: "get", id: "pf-ports:shop/api-1", path: "/api/v1/namespaces/shop/pods/api-1" } },
  ]);
  const wide = ctx({ width: 100, height: 10 });
  assert.deepEqual(plain(dialog.body(wide)).slice(0, 8), [
    "",
    "  Port-forward pod shop/api-1",
    "  Forwards a local port to a port of the pod, through the API server (as kubectl port-forward).",
    "",
    "› Local port      on this machine",
    "  Pod port        reading the pod's ports…",
    "  Address     127.0.0.1    0.0.0.0 listens on every interface",
    "",
  ]);
  const [filled] = dialog.update({ type: "result", id: "pf-ports:shop/api-1", value: podObject }, wide);
  assert.deepEqual(plain(filled.body(wide)).slice(4, 7), [
    "› Local port  15001    on this machine",
    "  Pod port    15001    declared: proxy/envoy:15001, app/http:8080, metrics/9090",
    "  Address     127.0.0.1    0.0.0.0 listens on every interface",
  ]);
});

test("the dialog: a field the user edited is not overwritten by the pod's ports arriving later", () => {
  const [dialog] = openPortForwardDialog(pod);
  const [typed] = press(dialog, "8888");
  const [filled] = typed.update({ type: "result", id: "pf-ports:shop/api-1", value: podObject }, ctx());
  assert.deepEqual((filled as FormView).values(), { local: "8888", remote: "15001", address: "127.0.0.1" });
});

test("the dialog's validation: ports 1–65535, an IP address; the dialog says so and stays open", () => {
  const [dialog] = openPortForwardDialog(pod);
  const cases: [string, string][] = [
    ["<tab>80", "local port: a port is needed (1–65535)"],
    ["abc<tab>80", 'local port: "abc" is not a number (1–65535)'],
    ["70000<tab>80", "local port: 70000 is not a port (1–65535)"],
    ["8080<tab>0", "pod port: 0 is not a port (1–65535)"],
    ["8080<tab>80<tab><C-u>my-host", 'address: "my-host" is not an IP address (127.0.0.1, 0.0.0.0, ::1)'],
  ];
  for (const [typed, error] of cases) {
    const [after, actions] = press(dialog, `${typed}<enter>`);
    assert.equal((after as FormView).error, error, typed);
    assert.deepEqual(actions, [], typed);
  }
});

test("the dialog's Enter: the portForward effect, then it waits; an error (port in use) stays in it, a value closes it", () => {
  const [dialog] = openPortForwardDialog(pod);
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
  assert.equal((waiting as FormView).waiting, "starting 127.0.0.1:8080 → api-1:8080…");
  // Typing while waiting does nothing.
  assert.deepEqual((press(waiting, "9")[0] as FormView).values(), (waiting as FormView).values());
  const [failed] = waiting.update(
    { type: "result", id: "pf-start:shop/api-1:1", value: undefined, error: "127.0.0.1:8080 is in use" },
    ctx(),
  );
  assert.equal((failed as FormView).error, "127.0.0.1:8080 is in use");
  assert.ok(plain(failed.body(ctx())).includes("  127.0.0.1:8080 is in use"));
  const [again, second] = press(failed, shiftTab);
  const [retry, retryActions] = press(again, "<C-u>8081<enter>");
  assert.deepEqual(second, []);
  const effect = retryActions[0] as { type: "effect"; effect: AppEffect };
  assert.deepEqual(effect.effect, {
    type: "portForward",
    id: "pf-start:shop/api-1:2",
    spec: { ...spec, ports: [{ local: 8081, remote: 8080 }] },
  });
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

test("Shift-F on a pod row: pushes the dialog (with its GET); not offered read-only", () => {
  const from = form();
  const [binding] = portForwardBindings(pod, ctx(), from);
  assert.ok(binding);
  assert.deepEqual(binding.keys, [{ name: "F" }]);
  const [same, actions] = binding.run();
  assert.equal(same, from);
  assert.equal(actions[0]?.type, "push");
  assert.equal(actions[1]?.type, "effect");
  assert.deepEqual(portForwardBindings(pod, ctx({ readOnly: true }), from), []);
});

test("through the root: Shift-F on a pod row opens the dialog and asks for the pod; Esc closes it", () => {
  const { model } = setup([makePod({ namespace: "shop", name: "api-1", createdAt: NOW - 60_000 })]);
  const [opened, effects] = update(model, { ...key("F"), text: "F" });
  assert.ok(top(opened) instanceof FormView);
  assert.equal(top(opened).title(viewContext(opened)), "Port-forward pod shop/api-1");
  assert.deepEqual(effects, [{ type: "get", id: "pf-ports:shop/api-1", path: "/api/v1/namespaces/shop/pods/api-1" }]);
  // q is text in the dialog, not quit.
  const typed = send(opened, ...keys("q"));
  assert.equal((top(typed) as FormView).values().local, "q");
  const closed = send(typed, key("escape"));
  assert.equal(top(closed).id, "pods");
});

test("Shift-F on a container (the containers view): that container's ports first", () => {
  const [binding] = portForwardBindings(pod, ctx(), form(), "metrics");
  assert.equal(binding?.label, "port-forward: a local port to a port of the container");
  const [, actions] = (binding as NonNullable<typeof binding>).run();
  const dialog = (actions[0] as { type: "push"; view: View }).view;
  assert.deepEqual(actions[1], {
    type: "effect",
    effect: { type: "get", id: "pf-ports:shop/api-1/metrics", path: "/api/v1/namespaces/shop/pods/api-1" },
  });
  const [filled] = dialog.update({ type: "result", id: "pf-ports:shop/api-1/metrics", value: podObject }, ctx());
  assert.deepEqual((filled as FormView).values(), { local: "9090", remote: "9090", address: "127.0.0.1" });
});
