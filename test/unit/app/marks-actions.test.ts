// Marks and the actions on them, through the root as the user drives it: Space marks, Ctrl-Space marks a range,
// Ctrl-\ clears; Ctrl-D asks in a dialog and deletes the marked rows as one operation with one line of outcome;
// Ctrl-K asks y/n (Enter is not yes for it); read-only mode offers none of it and refuses a write reached anyway.
import assert from "node:assert/strict";
import { test } from "node:test";
import { newRootModel, view } from "../../../src/app/root.ts";
import { DEFAULT_CONFIG } from "../../../src/app/user-config.ts";
import { StaticRepository } from "../../../src/repository/static-repository.ts";
import { effectsOf, keys, NOW, plain, pods, send, setup, table, type } from "./helpers.ts";

const header = (lines: string[]) => plain(lines)[0] ?? "";

test("Space marks and moves down, Ctrl-Space marks the range, Ctrl-\\ clears; the header counts them", () => {
  const { model } = setup(pods(6));
  let m = type(model, " ");
  assert.match(header(view(m)), /Pods 6 of 6 · 1 marked/);
  assert.equal(table(m).cursor, 1, "Space moves to the next row");
  m = type(m, "jj<C-space>");
  assert.match(header(view(m)), /· 4 marked/, "p0 marked, then p0..p3 by the range");
  m = type(m, "<C-\\>");
  assert.doesNotMatch(header(view(m)), /marked/);
});

test("Ctrl-D on marked rows: a dialog; a bad grace period keeps it open; Enter deletes both as one operation", () => {
  const { model } = setup(pods(4), { width: 120, height: 24 });
  let m = type(model, "  ");
  m = type(m, "<C-d>");
  const dialog = plain(view(m)).join("\n");
  assert.match(dialog, /Delete 2 pods\?/);
  assert.match(dialog, /default\/p0/);
  assert.match(dialog, /Propagation {3}‹ Background ›/);
  m = type(m, "<tab>ten");
  m = type(m, "<enter>");
  assert.match(plain(view(m)).join("\n"), /grace period: "ten" is not a whole number of seconds/);
  for (let i = 0; i < 3; i++) m = type(m, "<backspace>");
  m = type(m, "5");
  let effects = effectsOf(m, ...keys("<enter>"));
  [m] = [send(m, ...keys("<enter>"))];
  const writes = effects.flatMap((e) => (e.type === "write" ? [e] : []));
  assert.equal(writes.length, 2);
  assert.deepEqual(
    writes.map((w) => [w.request.method, w.request.path, w.request.body]),
    ["p0", "p1"].map((name) => [
      "DELETE",
      `/api/v1/namespaces/default/pods/${name}`,
      { kind: "DeleteOptions", apiVersion: "v1", propagationPolicy: "Background", gracePeriodSeconds: 5 },
    ]),
  );
  assert.match(plain(view(m)).at(-1) ?? "", /delete 2 pods: 0 of 2…/);
  m = send(m, { type: "result", id: (writes[0] as { id: string }).id, value: {} });
  effects = effectsOf(m, {
    type: "result",
    id: (writes[1] as { id: string }).id,
    value: undefined,
    error: "forbidden: cannot delete pods in namespace default",
  });
  m = send(m, {
    type: "result",
    id: (writes[1] as { id: string }).id,
    value: undefined,
    error: "forbidden: cannot delete pods in namespace default",
  });
  assert.deepEqual(effects, []);
  assert.match(
    plain(view(m)).at(-1) ?? "",
    /deleted 1 of 2 pods; 1 failed: p1: forbidden: cannot delete pods in namespace default/,
  );
});

test("Ctrl-K asks y/n: Enter cancels, y kills with grace period 0", () => {
  const { model } = setup(pods(2));
  let m = type(model, "<C-k>");
  assert.match(plain(view(m)).at(-1) ?? "", /kill po\/p0 in default now \(grace period 0\)\? y\/n/);
  assert.deepEqual(effectsOf(m, ...keys("<enter>")), []);
  m = type(model, "<C-k>");
  const effects = effectsOf(m, ...keys("y"));
  const write = effects.find((e) => e.type === "write");
  assert.ok(write?.type === "write");
  assert.deepEqual(write.request.body, { kind: "DeleteOptions", apiVersion: "v1", gracePeriodSeconds: 0 });
});

test("read-only: no write key is offered, in the help or by its key", () => {
  const repo = new StaticRepository({ pods: pods(2), contextName: "ctx", clusterName: "cl", now: () => NOW });
  const model = newRootModel(repo, {
    width: 120,
    height: 60,
    now: NOW,
    config: { ...DEFAULT_CONFIG, readOnly: true },
  });
  const help = plain(view(type(model, "?"))).join("\n");
  for (const label of ["delete (asks first", "kill:", "edit in"]) {
    assert.ok(!help.includes(label), `${label} is not offered in read-only mode`);
  }
  assert.ok(help.includes("mark or unmark"), "marking changes nothing on the server: it stays");
  assert.deepEqual(effectsOf(model, ...keys("<C-d>")), []);
  assert.deepEqual(effectsOf(model, ...keys("<C-k>")), []);
});
