// `:pf` (views/port-forwards.ts): the running forwards from ctx.forwards as text, the cursor following its forward
// while the list changes, and Ctrl-D's y/n question before the stopPortForward effect.
import assert from "node:assert/strict";
import { test } from "node:test";
import { findBinding, hintText } from "../../../src/app/bindings.ts";
import type { ActiveForward } from "../../../src/app/effects.ts";
import { openPortForwards, PORT_FORWARD_COMMANDS } from "../../../src/app/port-forward-keys.ts";
import { top, view } from "../../../src/app/root.ts";
import { PortForwardsView, portsText } from "../../../src/app/views/port-forwards.ts";
import type { Action, View, ViewContext, ViewResult } from "../../../src/app/views/view.ts";
import { type KeyEvent, key } from "../../../src/tui/input.ts";
import { effectsOf, keys, NOW, plain, send, setup, type } from "./helpers.ts";

const api: ActiveForward = {
  id: "pf-1",
  namespace: "shop",
  pod: "api-1",
  container: "app",
  address: "127.0.0.1",
  ports: [{ local: 8080, remote: 80 }],
  since: NOW - 125_000,
  connections: 2,
};
const db: ActiveForward = {
  id: "pf-2",
  namespace: "data",
  pod: "postgres-0",
  address: "0.0.0.0",
  ports: [
    { local: 5432, remote: 5432 },
    { local: 9187, remote: 9187 },
  ],
  since: NOW - 3_000,
  connections: 0,
  lastError: "error forwarding port 9187 to pod postgres-0_data: connection refused",
};

const ctx = (forwards: readonly ActiveForward[], width = 150): ViewContext => ({
  repo: setup([]).repo,
  now: NOW,
  width,
  height: 5,
  namespace: undefined,
  readOnly: false,
  forwards,
});

function press(view: View, spec: string | KeyEvent[], c: ViewContext): [View, Action[]] {
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

const ctrlD = [key("d", { ctrl: true })];

test("the list: every column, ports as local→remote, AGE from ctx.now, the last error", () => {
  const [view, actions] = openPortForwards();
  assert.deepEqual(actions, []);
  // The selected row (the first) is padded to the width in reverse video: compared without its trailing spaces.
  assert.deepEqual(
    plain(view.body(ctx([api, db], 170))).map((l) => l.trimEnd()),
    [
      "NAMESPACE  POD         CONTAINER  PORTS                ADDRESS    CONNECTIONS  AGE   LAST ERROR",
      "shop       api-1       app        8080→80              127.0.0.1  2            2m5s",
      "data       postgres-0             5432→5432,9187→9187  0.0.0.0    0            3s    error forwarding port 9187 to pod postgres-0_data: connection refused",
      "",
      "",
    ],
  );
  // Narrower: CONTAINER goes first.
  assert.deepEqual(
    plain(view.body(ctx([api, db], 150)))[0],
    "NAMESPACE  POD         PORTS                ADDRESS    CONNECTIONS  AGE   LAST ERROR",
  );
  assert.equal(view.title(ctx([api, db])), "Port forwards 2");
  assert.equal(portsText(db), "5432→5432,9187→9187");
  assert.deepEqual(PORT_FORWARD_COMMANDS, ["pf", "portforward", "portforwards"]);
});

test("no forwards: says how to start one, and offers no Ctrl-D", () => {
  const [view] = openPortForwards();
  assert.deepEqual(plain(view.body(ctx([]))), ["", " No port forwards: Shift-F on a pod starts one", "", "", ""]);
  assert.equal(findBinding(view.bindings(ctx([])), ctrlD[0] as KeyEvent), undefined);
});

test("Ctrl-D asks first; y stops the selected forward; any other key cancels", () => {
  const [view] = openPortForwards();
  const c = ctx([api, db]);
  const [asking, none] = press(view, [...keys("j"), ...ctrlD], c);
  assert.deepEqual(none, []);
  assert.equal((asking as PortForwardsView).confirming?.id, "pf-2");
  assert.equal(asking.capturesInput(), true, "q, : and digits answer the question, not the root");
  assert.deepEqual(
    asking.bottom(c)?.map((s) => s.text),
    [" stop forwarding data/postgres-0 5432→5432,9187→9187 on 0.0.0.0?", "  y stops · any other key cancels"],
  );
  const [, yes] = press(asking, "y", c);
  assert.deepEqual(yes, [
    { type: "effect", effect: { type: "stopPortForward", forwardId: "pf-2" } },
    { type: "message", text: "stopped forwarding data/postgres-0 5432→5432,9187→9187 on 0.0.0.0" },
  ]);
  const [after, no] = press(asking, "n", c);
  assert.deepEqual(no, [{ type: "message", text: "cancelled" }]);
  assert.equal((after as PortForwardsView).confirming, undefined);
  assert.equal(after.bottom(c), null);
});

test("the cursor follows its forward when the list changes; the first one when it went", () => {
  const [view] = openPortForwards();
  const [onDb] = press(view, "j", ctx([api, db]));
  // A new forward comes first: the cursor stays on postgres-0 (the selected row is the one padded to the width).
  const later = ctx([{ ...api, id: "pf-3", pod: "web-0" }, api, db]);
  const selected = plain(onDb.body(later)).filter((line) => line.length === later.width);
  assert.equal(selected.length, 1);
  assert.match(selected[0] ?? "", /^data +postgres-0/);
  const [, stop] = press(onDb, [...ctrlD, ...keys("y")], later);
  assert.deepEqual(stop[0], { type: "effect", effect: { type: "stopPortForward", forwardId: "pf-2" } });
  const gone = ctx([api]);
  const [, first] = press(onDb, [...ctrlD, ...keys("y")], gone);
  assert.deepEqual(first[0], { type: "effect", effect: { type: "stopPortForward", forwardId: "pf-1" } });
});

test("the hint line names Ctrl-D stop", () => {
  const [view] = openPortForwards();
  assert.equal(hintText(view.bindings(ctx([api]))), "Ctrl-D stop");
});

test("through the root: :pf, :portforward and :portforwards open it; the forwards message refreshes it; Ctrl-D y stops", () => {
  const { model } = setup([], { width: 120, height: 10 });
  for (const command of ["pf", "portforward", "portforwards"]) {
    const opened = type(model, `:${command}<enter>`);
    assert.ok(top(opened) instanceof PortForwardsView, command);
  }
  const opened = type(model, ":pf<enter>");
  assert.match(plain(view(opened)).join("\n"), /No port forwards: Shift-F on a pod starts one/);
  const listed = send(opened, { type: "forwards", forwards: [api] });
  assert.match(plain(view(listed)).join("\n"), /shop +api-1 +app +8080→80 +127\.0\.0\.1 +2 +2m5s/);
  const asking = send(listed, key("d", { ctrl: true }));
  assert.match(plain(view(asking)).at(-1) ?? "", /stop forwarding shop\/api-1 8080→80 on 127\.0\.0\.1\?/);
  assert.deepEqual(effectsOf(asking, ...keys("y")), [{ type: "stopPortForward", forwardId: "pf-1" }]);
});
