import assert from "node:assert/strict";
import { test } from "node:test";
import { bodyHeight, update } from "../../../src/app/root.ts";
import { makePod } from "../../../src/repository/static-repository.ts";
import { data, NOW, pods, selectedName, send, setup, shownNames, table, type } from "./helpers.ts";

/** Table rows on screen: the body less the column header. */
const pageSize = (m: Parameters<typeof bodyHeight>[0]) => bodyHeight(m) - 1;

test("cursor keys: j/k, arrows, g/G, Home/End, PgUp/PgDn, Ctrl-B/Ctrl-F, clamped at both ends", () => {
  const { model } = setup(pods(50));
  const page = pageSize(model);
  assert.equal(page, 7);
  assert.equal(table(type(model, "jjj")).cursor, 3);
  assert.equal(table(type(model, "jjjk<up>")).cursor, 1);
  assert.equal(table(type(model, "<down><down>")).cursor, 2);
  assert.equal(table(type(model, "k")).cursor, 0);
  assert.equal(table(type(model, "G")).cursor, 49);
  assert.equal(table(type(model, "Gj")).cursor, 49);
  assert.equal(table(type(model, "Gg")).cursor, 0);
  assert.equal(table(type(model, "<end>")).cursor, 49);
  assert.equal(table(type(model, "<end><home>")).cursor, 0);
  assert.equal(table(type(model, "<pagedown>")).cursor, page);
  assert.equal(table(type(model, "<C-f><C-f>")).cursor, 2 * page);
  assert.equal(table(type(model, "<C-f><C-f><C-b>")).cursor, page);
  assert.equal(table(type(model, "<pagedown><pageup>")).cursor, 0);
  const end = type(model, "G");
  assert.equal(table(end).scroll, 50 - page, "the last row is on the last line");
  assert.equal(selectedName(end), "p49");
});

test("the cursor stays on its pod when rows are added above it", () => {
  const { repo, model } = setup(pods(10));
  let m = type(model, "jjj");
  assert.equal(selectedName(m), "p3");
  repo.setPods([makePod({ name: "new1", createdAt: NOW }), makePod({ name: "new2", createdAt: NOW }), ...pods(10)]);
  m = data(m);
  assert.equal(selectedName(m), "p3");
  assert.equal(table(m).cursor, 5);
});

test("when the selected pod is deleted the cursor lands on the row that took its place", () => {
  const { repo, model } = setup(pods(10));
  let m = type(model, "jjj");
  repo.setPods(pods(10).filter((p) => p.name !== "p3"));
  m = data(m);
  assert.equal(table(m).cursor, 3);
  assert.equal(selectedName(m), "p4");
  // Deleting the last row moves the cursor up to the new last row.
  m = type(m, "G");
  assert.equal(selectedName(m), "p9");
  repo.setPods(pods(9).filter((p) => p.name !== "p3"));
  m = data(m);
  assert.equal(selectedName(m), "p8");
  assert.equal(table(m).cursor, 7);
  // Everything deleted: no selection, and it comes back when rows do.
  repo.setPods([]);
  m = data(m);
  assert.equal(table(m).cursorKey, null);
  repo.setPods(pods(3));
  m = data(m);
  assert.equal(table(m).cursor, 0);
  assert.equal(selectedName(m), "p0");
});

test("a data message without a change keeps the model's rows", () => {
  const { model } = setup(pods(3));
  const m = data(model);
  assert.equal(table(m).rows, table(model).rows);
});

test("filter: / opens the input, typing filters live, Enter keeps it, Esc clears it", () => {
  const { model } = setup(pods(30));
  let m = type(model, "/");
  assert.equal(table(m).filtering, true);
  m = type(m, "p1");
  assert.equal(table(m).filterText, "p1");
  assert.equal(table(m).filtered.length, 11); // p1, p10..p19 (a substring; ~p1 would also take p21)
  m = type(m, "<enter>");
  assert.equal(table(m).filtering, false);
  assert.equal(table(m).filtered.length, 11);
  m = type(m, "j");
  assert.equal(selectedName(m), "p10", "j moves in the table once the filter is kept");
  m = type(m, "<esc>");
  assert.equal(table(m).filterText, "");
  assert.equal(table(m).filtered.length, 30);
  assert.equal(selectedName(m), "p10", "clearing the filter keeps the selected pod");
  m = type(m, "/zz<esc>");
  assert.equal(table(m).filtering, false);
  assert.equal(table(m).filterText, "");
});

test("filter editing: Backspace, Ctrl-W, Ctrl-U, paste, and j/k typed as text", () => {
  const { model } = setup(pods(5));
  let m = type(model, "/abc def");
  assert.equal(table(m).filterText, "abc def");
  m = type(m, "<backspace>");
  assert.equal(table(m).filterText, "abc de");
  m = type(m, "<C-w>");
  assert.equal(table(m).filterText, "abc ");
  m = type(m, "<C-u>");
  assert.equal(table(m).filterText, "");
  m = send(m, { type: "paste", text: "p1\n!x" });
  assert.equal(table(m).filterText, "p1 !x");
  m = type(m, "<C-u>jk");
  assert.equal(table(m).filterText, "jk");
  assert.equal(table(m).filtering, true);
});

test("filter AND and negation over namespace, name, status, node and IP", () => {
  const rows = [
    makePod({ name: "web-1", namespace: "default", status: "Running", createdAt: NOW - 1 }),
    makePod({ name: "web-2", namespace: "kube-system", status: "CrashLoopBackOff", createdAt: NOW - 2 }),
    makePod({ name: "db-1", namespace: "default", status: "Pending", node: "", ip: "", createdAt: NOW - 3 }),
    makePod({ name: "db-2", namespace: "payments", node: "gpu-7", ip: "10.9.8.7", createdAt: NOW - 4 }),
  ];
  const { model } = setup(rows);
  const names = (q: string) => shownNames(type(model, `/${q}`));
  assert.deepEqual(names("web"), ["web-1", "web-2"]);
  assert.deepEqual(names("web crash"), ["web-2"]);
  assert.deepEqual(names("web !kube"), ["web-1"]);
  assert.deepEqual(names("none"), ["db-1"], "unscheduled pods print <none> for NODE and IP");
  assert.deepEqual(names("gpu"), ["db-2"]);
  assert.deepEqual(names("10.9"), ["db-2"]);
  assert.deepEqual(names("pay"), ["db-2"]);
  assert.deepEqual(names("!default !kube"), ["db-2"]);
});

test("the cursor goes to the top when the filter hides the selected pod", () => {
  const { model } = setup(pods(20));
  const m = type(model, "jjjjj/p1");
  assert.equal(table(m).cursor, 0);
  assert.equal(selectedName(m), "p1");
});

test("repository changes while filtered re-apply the filter", () => {
  const { repo, model } = setup(pods(5));
  let m = type(model, "/p4<enter>");
  assert.equal(table(m).filtered.length, 1);
  repo.setPods([...pods(5), makePod({ name: "p44", createdAt: NOW })]);
  m = data(m);
  assert.equal(table(m).filtered.length, 2);
  assert.equal(selectedName(m), "p4");
});

test("q and Ctrl-C quit with code 0; q in the filter is text", () => {
  const { model } = setup(pods(2));
  const [m1, e1] = update(model, { type: "key", name: "q", ctrl: false, alt: false, shift: false, text: "q" });
  assert.deepEqual(e1, [{ type: "quit", code: 0 }]);
  assert.equal(m1.exitCode, 0);
  const [, e2] = update(type(model, "/"), { type: "key", name: "c", ctrl: true, alt: false, shift: false });
  assert.deepEqual(e2, [{ type: "quit", code: 0 }]);
  const [m3, e3] = update(type(model, "/"), {
    type: "key",
    name: "q",
    ctrl: false,
    alt: false,
    shift: false,
    text: "q",
  });
  assert.deepEqual(e3, []);
  assert.equal(table(m3).filterText, "q");
});

test("command line: :q quits, :pods goes to pods, unknown names report, Esc closes", () => {
  const { model } = setup(pods(2));
  const m = type(model, ":");
  assert.notEqual(m.prompt, null);
  const [, quitEffects] = update(type(m, "quit"), {
    type: "key",
    name: "enter",
    ctrl: false,
    alt: false,
    shift: false,
  });
  assert.deepEqual(quitEffects, [{ type: "quit", code: 0 }]);
  const [, qEffects] = update(type(m, "q"), { type: "key", name: "enter", ctrl: false, alt: false, shift: false });
  assert.deepEqual(qEffects, [{ type: "quit", code: 0 }]);
  const pods1 = type(m, "po<enter>");
  assert.equal(pods1.prompt, null);
  assert.equal(pods1.message, null);
  assert.equal(pods1.stack.length, 1, ":pods on the pods view stays there");
  const unknown = send(type(m, "frobnicate<enter>"), { type: "rediscovered", command: "frobnicate" });
  assert.equal(unknown.prompt, null);
  assert.equal(unknown.message?.error, true);
  assert.match(unknown.message?.text ?? "", /unknown resource "frobnicate"/);
  assert.equal(type(unknown, "j").message, null, "the next key clears the message");
  assert.equal(type(m, "abc<esc>").prompt, null);
  assert.equal(type(m, "<backspace>").prompt, null);
});

test("help opens with ? and closes with Esc or ?", () => {
  const { model } = setup(pods(2));
  assert.equal(type(model, "?").stack.length, 2);
  assert.equal(type(model, "?<esc>").stack.length, 1);
  assert.equal(type(model, "??").stack.length, 1);
  assert.equal(table(type(model, "?j<esc>")).cursor, 0, "keys do not reach the table under the help");
});

test("resize keeps the cursor on screen", () => {
  const { model } = setup(pods(50));
  let m = type(model, "<pagedown><pagedown>");
  m = send(m, { type: "resize", width: 80, height: 8 });
  const t = table(m);
  assert.ok(t.cursor >= t.scroll && t.cursor < t.scroll + pageSize(m), `${t.cursor} ${t.scroll}`);
});

test("the cursor finds its pod after it moved far (many pods created above it)", () => {
  const { repo, model } = setup(pods(10));
  let m = type(model, "jj");
  const fresh = Array.from({ length: 100 }, (_, i) => makePod({ name: `new${i}`, createdAt: NOW + i }));
  repo.setPods([...fresh, ...pods(10)]);
  m = data(m);
  assert.equal(selectedName(m), "p2");
  assert.equal(table(m).cursor, 102);
  assert.ok(table(m).scroll <= 102 && 102 < table(m).scroll + pageSize(m), "and it is on screen");
});

test("switching kinds and back restores the filter and the selected row", () => {
  const { model } = setup(pods(30));
  let m = type(model, "/p2<enter>jj");
  assert.equal(selectedName(m), "p21");
  m = type(m, ":deploy<enter>");
  assert.equal(table(m).source.kind, "deployments.apps");
  assert.equal(table(m).filterText, "");
  m = type(m, ":po<enter>");
  assert.equal(table(m).source.kind, "pods");
  assert.equal(table(m).filterText, "p2");
  assert.equal(selectedName(m), "p21");
  // A kind left with Esc comes back as it was left, too (the first Esc clears its filter, the second goes back).
  m = type(m, ":deploy<enter>/x<enter><esc>/y<enter>");
  assert.equal(table(m).filterText, "y");
  m = type(m, ":po<enter>");
  assert.equal(m.stack.length, 1);
  assert.equal(table(type(m, ":deploy<enter>")).filterText, "y");
  m = type(m, ":deploy<enter><esc><esc>");
  assert.equal(m.stack.length, 1, "Esc clears the filter, then goes back");
});

test("while the list loads, the cursor stays on the first row until the user moves it; then it follows its row", () => {
  const { repo, model } = setup(pods(3));
  // A later page brings pods that sort above the first page's: the cursor stays at the top.
  repo.setPods([makePod({ name: "newer", createdAt: NOW }), ...pods(3)]);
  let m = data(model);
  assert.equal(table(m).cursor, 0);
  assert.equal(selectedName(m), "newer");
  m = type(m, "j");
  assert.equal(selectedName(m), "p0");
  repo.setPods([
    makePod({ name: "newest", createdAt: NOW + 1 }),
    makePod({ name: "newer", createdAt: NOW }),
    ...pods(3),
  ]);
  m = data(m);
  assert.equal(selectedName(m), "p0", "moved by the user, the cursor follows its row");
  assert.equal(table(m).cursor, 2);
});
