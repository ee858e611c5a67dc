// The dialog view (src/app/views/dialog.ts): its box painted over the view below (compared as strings, line for
// line), its fields (a choice among a few, text, a toggle) and their keys, Enter handing the values to onSubmit, a
// value onSubmit refuses keeping it open with the error on its last line, Esc closing it.
import assert from "node:assert/strict";
import { test } from "node:test";
import { type DialogField, type DialogValues, DialogView, textField } from "../../../src/app/views/dialog.ts";
import type { Action, View, ViewContext, ViewMsg } from "../../../src/app/views/view.ts";
import { StaticRepository } from "../../../src/repository/static-repository.ts";
import { key } from "../../../src/tui/input.ts";
import { plain } from "./helpers.ts";

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

test("Esc closes it and submits nothing", () => {
  const submitted: DialogValues[] = [];
  const [, actions] = press(dialog(submitted), "escape");
  assert.deepEqual(actions, [{ type: "pop" }]);
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
