// The dialog view (src/app/views/dialog.ts): its box painted over the view below (compared as strings, line for
// line), its fields (a choice among a few, text, a toggle) and their keys, Enter handing the values to onSubmit, a
// value onSubmit refuses keeping it open with the error on its last line, Esc closing it; values and hints that
// arrive after it opened (prefill) and a submit that waits for its effect's result (awaitResult).
import assert from "node:assert/strict";
import { test } from "node:test";
import { findBinding } from "../../../src/app/bindings.ts";
import { type DialogField, type DialogValues, DialogView, textField } from "../../../src/app/views/dialog.ts";
import type { Action, View, ViewContext, ViewMsg, ViewResult } from "../../../src/app/views/view.ts";
import { StaticRepository } from "../../../src/repository/static-repository.ts";
import { key } from "../../../src/tui/input.ts";
import { keys, plain } from "./helpers.ts";

const ctx: ViewContext = {
  repo: new StaticRepository(),
  now: 0,
  width: 70,
  height: 14,
  namespace: undefined,
  readOnly: false,
  forwards: [],
};

/** The view the dialog is opened over: a screen of x, and the messages it was given. */
function below(received: ViewMsg[] = []): View {
  const v: View = {
    id: "below",
    crumb: "below",
    capturesInput: () => false,
    bindings: () => [],
    update: (msg) => {
      received.push(msg);
      return [v, []];
    },
    holds: () => [{ kind: "deployments" }],
    title: () => "Below",
    statusKinds: () => ["deployments"],
    body: (c) => Array.from({ length: c.height }, () => "x".repeat(c.width)),
    bottom: () => null,
  };
  return v;
}

const FIELDS: readonly DialogField[] = [
  {
    kind: "choice",
    name: "propagation",
    label: "Propagation",
    options: ["Background", "Foreground", "Orphan"],
    index: 0,
    hint: "dependents: ←/→",
  },
  textField("grace", "Grace period", "", "seconds"),
  { kind: "toggle", name: "force", label: "Force", on: false, hint: "at once" },
];

/** A delete-like dialog whose onSubmit refuses a grace period that is not a number, and records what it was given. */
function dialog(submitted: DialogValues[] = [], under: View = below()): DialogView {
  return DialogView.open(
    {
      id: "delete:test",
      title: "Delete",
      lines: ["Delete deploy/api in shop?"],
      fields: FIELDS,
      submit: "delete",
      onSubmit(values) {
        submitted.push(values);
        if (!/^\d*$/.test(String(values.grace))) return { error: `grace period: "${values.grace}" is not a number` };
        return [{ type: "message", text: `deleting with ${JSON.stringify(values)}` }];
      },
    },
    under,
  );
}

function press(view: View, name: string, mods: { ctrl?: boolean; shift?: boolean } = {}): [View, Action[]] {
  const binding = view
    .bindings(ctx)
    .find((b) =>
      b.keys.some(
        (k) =>
          k.name === name && (k.ctrl ?? false) === (mods.ctrl ?? false) && (k.shift ?? false) === (mods.shift ?? false),
      ),
    );
  assert.ok(binding, `${view.id} offers ${name}`);
  return binding.run();
}

function typeInto(view: View, text: string): View {
  let v = view;
  for (const ch of text) [v] = v.update({ ...key(ch), text: ch }, ctx);
  return v;
}

/** Keys as the root routes them (the view's bindings first, then its update), in helpers.ts's notation. */
function send(view: View, spec: string): [View, Action[]] {
  let v = view;
  const actions: Action[] = [];
  for (const k of keys(spec)) {
    const binding = findBinding(v.bindings(ctx), k);
    const [next, more]: ViewResult = binding ? binding.run() : v.update(k, ctx);
    v = next;
    actions.push(...more);
  }
  return [v, actions];
}

const valuesOf = (v: View): DialogValues => (v as DialogView).values;

/** The box's lines, without the view below around them. */
const boxOf = (v: View, c: ViewContext = ctx): string[] =>
  plain(v.body(c))
    .map((l) => l.replace(/^x*/, "").replace(/x*$/, "").trim())
    .filter((l) => l !== "");

test("painted over the view below: the box centred, the lines above and below it kept", () => {
  assert.deepEqual(plain(dialog().body(ctx)), [
    "x".repeat(70),
    "x".repeat(70),
    "          ┌─ Delete ──────────────────────────────────────┐",
    "          │ Delete deploy/api in shop?                    │",
    "          │                                               │",
    "          │ Propagation   ‹ Background ›  dependents: ←/→ │",
    "          │ Grace period  []  seconds                     │",
    "          │ Force         [ ]  at once                    │",
    "          │                                               │",
    "          │ Enter delete · Esc cancel · Tab next field    │",
    "          └───────────────────────────────────────────────┘",
    "x".repeat(70),
    "x".repeat(70),
    "x".repeat(70),
  ]);
});

test("the fields' keys: ←/→ pick a choice (wrapping), Tab and Shift-Tab move, typing fills text, Space toggles", () => {
  let d: View = dialog();
  assert.equal(d.capturesInput(), true, "modal: q, : and ? are the dialog's, never the app's");
  const [same] = d.update({ ...key("q"), text: "q" }, ctx);
  assert.deepEqual((same as DialogView).values, (d as DialogView).values, "typed on a choice: nothing");
  [d] = press(d, "left");
  assert.equal((d as DialogView).values.propagation, "Orphan", "← from the first wraps to the last");
  [d] = press(d, "right");
  [d] = press(d, "right");
  assert.equal((d as DialogView).values.propagation, "Foreground");
  [d] = press(d, "tab");
  d = typeInto(d, "30");
  [d] = press(d, "tab", { shift: true });
  [d] = press(d, "tab", { shift: true });
  [d] = press(d, "space");
  assert.deepEqual((d as DialogView).values, { propagation: "Foreground", grace: "30", force: true });
  const screen = plain(d.body(ctx));
  assert.equal(screen[5], "          │ Propagation     Foreground    dependents: ←/→ │");
  assert.equal(screen[6], "          │ Grace period  [30]  seconds                   │");
  assert.equal(screen[7], "          │ Force         [x]  at once                    │");
  [d] = press(d, "tab", { shift: true });
  [d] = press(d, "tab", { shift: true });
  [d] = press(d, "tab", { shift: true });
  [d] = press(d, "space");
  assert.equal((d as DialogView).values.force, false, "Shift-Tab from the first field wraps to the last");
  [d] = press(d, "up");
  [d] = press(d, "down");
  [d] = press(d, "down");
  [d] = press(d, "space");
  assert.equal((d as DialogView).values.propagation, "Orphan", "↑/↓ move too; ↓ from the last wraps to the first");
});

test("Enter: a value onSubmit refuses keeps the dialog open with the error; corrected, it closes and goes on", () => {
  const submitted: DialogValues[] = [];
  let d: View = dialog(submitted);
  [d] = press(d, "tab");
  d = typeInto(d, "ten");
  let actions: Action[];
  [d, actions] = press(d, "enter");
  assert.deepEqual(actions, [], "nothing happens: no pop, no write");
  assert.ok(d instanceof DialogView);
  const screen = plain(d.body(ctx));
  assert.equal(screen[9], '          │ grace period: "ten" is not a number           │');
  assert.equal(screen[10], "          │ Enter delete · Esc cancel · Tab next field    │");
  // Editing a field clears the error.
  [d] = press(d, "u", { ctrl: true });
  assert.ok(!plain(d.body(ctx)).join("\n").includes("is not a number"));
  d = typeInto(d, "5");
  [d, actions] = press(d, "enter");
  assert.deepEqual(actions, [
    { type: "pop" },
    { type: "message", text: 'deleting with {"propagation":"Background","grace":"5","force":false}' },
  ]);
  assert.deepEqual(
    submitted.map((v) => v.grace),
    ["ten", "5"],
  );
});

test("a text field takes every printable key: q, : and digits are text; Ctrl-U clears it", () => {
  const [d] = send(dialog(), "<tab>12<C-u>q:5");
  assert.equal(valuesOf(d).grace, "q:5");
});

test("Esc closes it with a message and submits nothing", () => {
  const submitted: DialogValues[] = [];
  const [, actions] = press(dialog(submitted), "escape");
  assert.deepEqual(actions, [{ type: "pop" }, { type: "message", text: "cancelled" }]);
  assert.deepEqual(submitted, []);
});

test("the view below keeps its data: what it holds is held, its data messages reach it, its title stays", () => {
  const received: ViewMsg[] = [];
  const d = dialog([], below(received));
  assert.deepEqual(d.holds(ctx), [{ kind: "deployments" }]);
  assert.deepEqual(d.statusKinds(ctx), ["deployments"]);
  assert.equal(d.title(ctx), "Below");
  d.update({ type: "data" }, ctx);
  assert.deepEqual(received, [{ type: "data" }]);
});

test("a short screen: the question's detail lines give way, its first line, the fields and the keys stay", () => {
  const d = DialogView.open(
    {
      id: "many",
      title: "Delete",
      lines: ["Delete 9 pods?", ...Array.from({ length: 8 }, (_, i) => `  default/p${i}`)],
      fields: [textField("grace", "Grace period", "")],
      submit: "delete",
      onSubmit: () => [],
    },
    below(),
  );
  const short = { ...ctx, height: 9 };
  const screen = plain(d.body(short));
  assert.equal(screen.length, 9, "exactly the screen: the box fits in it");
  assert.deepEqual(
    screen.map((l) => l.trim()),
    [
      "┌─ Delete ───────────────────────────────────┐",
      "│ Delete 9 pods?                             │",
      "│   default/p0                               │",
      "│ …                                          │",
      "│                                            │",
      "│ Grace period  [ ]                          │",
      "│                                            │",
      "│ Enter delete · Esc cancel                  │",
      "└────────────────────────────────────────────┘",
    ],
  );
});

test("a dialog with no fields (drain's question): Enter goes on, no field keys", () => {
  const d = DialogView.open(
    {
      id: "q",
      title: "Drain",
      lines: ["Drain node a?"],
      fields: [],
      submit: "drain",
      onSubmit: () => [{ type: "quit" }],
    },
    below(),
  );
  assert.deepEqual(
    d.bindings().map((b) => b.keys.map((k) => k.name).join(",")),
    ["enter", "escape"],
  );
  assert.deepEqual(press(d, "enter")[1], [{ type: "pop" }, { type: "quit" }]);
  assert.ok(plain(d.body(ctx)).some((l) => l.includes("│ Enter drain · Esc cancel")));
});

/**
 * A dialog whose values come from a GET (`get:thing`, its value a port number) and whose Enter starts something and
 * waits for its result (`start:<attempt>`); what onSubmit was given is recorded.
 */
function starter(attempts: number[] = []): DialogView {
  return DialogView.open(
    {
      id: "start",
      title: "Start",
      lines: ["Start the thing?"],
      fields: [
        textField("port", "Port", "", "reading…"),
        textField("note", "Note", "n"),
        { kind: "choice", name: "proto", label: "Protocol", options: ["TCP", "UDP"], index: 0 },
        { kind: "toggle", name: "once", label: "Once", on: false },
      ],
      submit: "start",
      prefill: {
        id: "get:thing",
        fill: (value) => ({
          values: { port: String(value), note: "from the server", proto: "UDP", once: true },
          hints: { port: `declared: ${value}` },
        }),
      },
      onSubmit(values, attempt) {
        attempts.push(attempt);
        if (!/^\d+$/.test(String(values.port))) return { error: `port: "${values.port}" is not a number` };
        const id = `start:${attempt}`;
        return {
          actions: [{ type: "effect", effect: { type: "get", id, path: `/start/${values.port}` } }],
          awaitResult: {
            id,
            waiting: `starting on ${values.port}…`,
            done: (value) => [{ type: "message", text: `started ${JSON.stringify(value)}` }],
          },
        };
      },
    },
    below(),
  );
}

const thing = (value: unknown, error?: string): ViewMsg => ({
  type: "result",
  id: "get:thing",
  value,
  ...(error !== undefined && { error }),
});

test("prefill: the GET's values fill the fields and its hints replace theirs", () => {
  const d = starter();
  assert.deepEqual(boxOf(d), [
    "┌─ Start ────────────────────────────────────┐",
    "│ Start the thing?                           │",
    "│                                            │",
    "│ Port      [ ]  reading…                    │",
    "│ Note      [n]                              │",
    "│ Protocol    TCP                            │",
    "│ Once      [ ]                              │",
    "│                                            │",
    "│ Enter start · Esc cancel · Tab next field  │",
    "└────────────────────────────────────────────┘",
  ]);
  const [filled, actions] = d.update(thing(8080), ctx);
  assert.deepEqual(actions, []);
  assert.deepEqual(valuesOf(filled), { port: "8080", note: "from the server", proto: "UDP", once: true });
  assert.deepEqual(boxOf(filled).slice(3, 7), [
    "│ Port      [8080 ]  declared: 8080          │",
    "│ Note      [from the server]                │",
    "│ Protocol    UDP                            │",
    "│ Once      [x]                              │",
  ]);
});

test("prefill: a field the user changed keeps its value (its hint still comes); moving the cursor is no change", () => {
  // Typed into Port; into Note and back to what it was, and the choice to UDP and back: changes all the same.
  const [typed] = send(starter(), "99<tab>a<backspace><tab><right><right>");
  const [filled] = typed.update(thing(8080), ctx);
  assert.deepEqual(valuesOf(filled), { port: "99", note: "n", proto: "TCP", once: true });
  assert.equal(boxOf(filled)[3], "│ Port      [99]  declared: 8080             │");
  // Only the cursor moved in Note's text (← →, Home): the prefill still fills it.
  const [moved] = send(starter(), "<tab><left><home><right>");
  assert.equal(valuesOf(moved.update(thing(1), ctx)[0]).note, "from the server");
});

test("prefill: a failed GET, or another request's result, changes nothing", () => {
  const d = starter();
  const [failed] = d.update(thing(undefined, "pods is forbidden"), ctx);
  assert.deepEqual(boxOf(failed), boxOf(d));
  assert.deepEqual(valuesOf(failed), valuesOf(d));
  const [other] = d.update({ type: "result", id: "get:other", value: 1 }, ctx);
  assert.deepEqual(valuesOf(other), valuesOf(d));
});

test("awaitResult: Enter asks for the effect and waits on a line of its own; typing and Enter do nothing meanwhile", () => {
  const attempts: number[] = [];
  const [filled] = starter(attempts).update(thing(8080), ctx);
  const [waiting, actions] = send(filled, "<enter>");
  assert.deepEqual(actions, [{ type: "effect", effect: { type: "get", id: "start:1", path: "/start/8080" } }]);
  assert.equal((waiting as DialogView).waiting, "starting on 8080…");
  assert.deepEqual(boxOf(waiting).slice(7), [
    "│                                            │",
    "│ starting on 8080…                          │",
    "│ Esc cancel                                 │",
    "└────────────────────────────────────────────┘",
  ]);
  const [still, more] = send(waiting, "1<backspace><tab><enter>");
  assert.deepEqual(more, []);
  assert.deepEqual(valuesOf(still), valuesOf(waiting));
  assert.deepEqual(boxOf(still), boxOf(waiting));
  assert.deepEqual(attempts, [1]);
  // Esc still closes it.
  assert.deepEqual(send(waiting, "<esc>")[1], [{ type: "pop" }, { type: "message", text: "cancelled" }]);
});

test("awaitResult: an error is shown in place and the dialog stays; corrected, a new attempt; its value closes it", () => {
  const attempts: number[] = [];
  const [filled] = starter(attempts).update(thing(8080), ctx);
  const [waiting] = send(filled, "<enter>");
  // Another request's result is not the one waited for.
  const [unrelated] = waiting.update({ type: "result", id: "start:9", value: "x" }, ctx);
  assert.equal((unrelated as DialogView).waiting, "starting on 8080…");
  const [failed, none] = waiting.update(
    { type: "result", id: "start:1", value: undefined, error: "8080 is in use" },
    ctx,
  );
  assert.deepEqual(none, []);
  assert.equal((failed as DialogView).waiting, null);
  assert.deepEqual(boxOf(failed).slice(7), [
    "│                                            │",
    "│ 8080 is in use                             │",
    "│ Enter start · Esc cancel · Tab next field  │",
    "└────────────────────────────────────────────┘",
  ]);
  // A refused value on the way: onSubmit's error, which counts as an attempt too.
  const [refused] = send(failed, "<C-u>x<enter>");
  assert.equal(boxOf(refused)[8], '│ port: "x" is not a number                  │');
  const [retry, actions] = send(refused, "<C-u>8081<enter>");
  assert.deepEqual(attempts, [1, 2, 3]);
  assert.deepEqual(actions, [{ type: "effect", effect: { type: "get", id: "start:3", path: "/start/8081" } }]);
  assert.equal(boxOf(retry)[8], "│ starting on 8081…                          │");
  assert.ok(!boxOf(retry).join("\n").includes("in use"), "the new attempt cleared the old error");
  // The old attempt's answer coming late is not this one's.
  assert.equal(
    (retry.update({ type: "result", id: "start:1", value: 1 }, ctx)[0] as DialogView).waiting,
    "starting on 8081…",
  );
  const [, done] = retry.update({ type: "result", id: "start:3", value: { port: 8081 } }, ctx);
  assert.deepEqual(done, [{ type: "pop" }, { type: "message", text: 'started {"port":8081}' }]);
});

test("a row wider than the screen allows is cut with …, the frame kept whole", () => {
  const d = DialogView.open(
    {
      id: "wide",
      title: "Wide",
      lines: ["A question"],
      fields: [
        textField("a", "A", "1", `declared: ${Array.from({ length: 20 }, (_, i) => `c${i}:${8000 + i}`).join(", ")}`),
      ],
      submit: "go",
      onSubmit: () => [],
    },
    below(),
  );
  const narrow = { ...ctx, width: 50 };
  const box = boxOf(d, narrow);
  assert.equal(box[3], "│ A  [1 ]  declared: c0:8000, c1:8001, c2:800… │");
  for (const line of box) assert.equal(line.length, 48, line);
});
