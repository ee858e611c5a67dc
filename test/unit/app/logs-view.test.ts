// The logs view (`l`/`p` on a pod): pure tests through the root over a StaticRepository. The pod's GET and the
// stream are data (effects, held streams); their results are sent back as messages.
import assert from "node:assert/strict";
import { test } from "node:test";
import { heldStreams, type RootModel, update, view } from "../../../src/app/root.ts";
import type { LogsView } from "../../../src/app/views/logs.ts";
import { NOW, plain, pods, send, setup, type } from "./helpers.ts";

const POD = {
  metadata: { name: "p0", namespace: "default" },
  spec: { initContainers: [{ name: "init-db" }], containers: [{ name: "app" }, { name: "sidecar" }] },
  status: {},
};

const logsOf = (m: RootModel) => m.stack.at(-1) as LogsView;
const body = (m: RootModel) => plain(view(m)).slice(3, -1);
const ts = (s: number) => `2026-01-01T12:00:${String(s).padStart(2, "0")}.000000001Z`;

function stream(m: RootModel, text: string): RootModel {
  const [spec] = heldStreams(m);
  assert.ok(spec, "a stream is held");
  return send(m, { type: "stream", key: spec.key, event: "chunk", text });
}

/** `l` on the first pod, the pod's GET answered: the picker. */
function openPicker(previous = false): RootModel {
  const { model } = setup(pods(2), { width: 100, height: 16 });
  const [m, effects] = update(model, {
    type: "key",
    name: previous ? "p" : "l",
    ctrl: false,
    alt: false,
    shift: false,
    text: previous ? "p" : "l",
  });
  const get = effects.find((e) => e.type === "get");
  assert.ok(get && get.type === "get");
  assert.equal(get.path, "/api/v1/namespaces/default/pods/p0");
  assert.deepEqual(heldStreams(m), [], "no stream before a container is chosen");
  return send(m, { type: "result", id: get.id, value: POD });
}

function openApp(): RootModel {
  return type(openPicker(), "<enter>");
}

test("l on a pod with several containers opens a picker (init containers included), Enter streams the chosen one", () => {
  const m = openPicker();
  const text = body(m).join("\n");
  assert.match(text, /Which container/);
  assert.match(text, /init-db\s+\(init\)/);
  const chosen = openApp();
  assert.equal(logsOf(chosen).container, "app");
  const [spec] = heldStreams(chosen);
  assert.ok(spec);
  const q = new URL(spec.path, "https://x").searchParams;
  assert.equal(new URL(spec.path, "https://x").pathname, "/api/v1/namespaces/default/pods/p0/log");
  assert.equal(q.get("container"), "app");
  assert.equal(q.get("follow"), "true");
  assert.equal(q.get("timestamps"), "true");
  assert.equal(q.get("tailLines"), "100");
  assert.equal(q.get("previous"), null);
});

test("p asks for the previous container's log", () => {
  const m = type(openPicker(true), "<enter>");
  const [spec] = heldStreams(m);
  assert.equal(new URL(spec!.path, "https://x").searchParams.get("previous"), "true");
});

test("streamed chunks become lines (split across chunks), timestamps hidden until t", () => {
  let m = openApp();
  m = stream(m, `${ts(1)} first line\n${ts(2)} sec`);
  m = stream(m, `ond line\n`);
  const text = body(m).join("\n");
  assert.match(text, /first line/);
  assert.match(text, /second line/);
  assert.doesNotMatch(text, /2026-01-01T12/);
  m = type(m, "t");
  assert.match(body(m).join("\n"), /2026-01-01T12:00:01\.000000001Z first line/);
  assert.equal(logsOf(m).buffer.length, 2);
});

test("follow shows the newest lines; scrolling up stops it, G follows again", () => {
  let m = openApp();
  let chunk = "";
  for (let i = 0; i < 50; i++) chunk += `${ts(i % 60)} line ${i}\n`;
  m = stream(m, chunk);
  assert.match(body(m).join("\n"), /line 49/);
  m = type(m, "g");
  assert.equal(logsOf(m).following, false);
  assert.match(body(m)[0]!, /line 0\b/);
  m = stream(m, `${ts(59)} line 50\n`);
  assert.doesNotMatch(body(m).join("\n"), /line 50/, "not following: the view stays where it was");
  m = type(m, "G");
  assert.equal(logsOf(m).following, true);
  assert.match(body(m).join("\n"), /line 50/);
  m = type(m, "s");
  assert.equal(logsOf(m).following, false);
});

test("/ search highlights and n/N move between matches; the filter shows only matching lines", () => {
  let m = openApp();
  let chunk = "";
  for (let i = 0; i < 40; i++) chunk += `${ts(i)} ${i % 10 === 3 ? "ERROR boom" : "ok"} ${i}\n`;
  m = stream(m, chunk);
  m = type(m, "/boom<enter>");
  assert.match(plain(view(m)).at(-1)!, /search "boom" 4 lines match/);
  const raw = view(m).join("\n");
  assert.match(raw, /\x1b\[[0-9;]*7[;m]/, "matches are drawn in reverse video");
  m = type(m, "n");
  m = type(m, "<esc>");
  m = type(m, "fERROR<enter>");
  const shown = body(m).filter((l) => l.trim() !== "");
  assert.equal(shown.length, 4);
  assert.ok(shown.every((l) => l.includes("ERROR")));
  // New lines that match show; the others do not.
  m = stream(m, `${ts(41)} ERROR again\n${ts(42)} fine\n`);
  const after = body(m).filter((l) => l.trim() !== "");
  assert.equal(after.length, 5);
  m = type(m, "<esc>");
  assert.ok(body(m).some((l) => l.includes("fine")));
});

test("wrap shows a long line on several rows; cut otherwise", () => {
  let m = openApp();
  m = stream(m, `${ts(1)} ${"x".repeat(250)}END\n`);
  assert.equal(body(m).filter((l) => l.includes("x")).length, 1);
  assert.doesNotMatch(body(m).join(""), /END/);
  m = type(m, "w");
  assert.equal(body(m).filter((l) => l.includes("x")).length, 3);
  assert.match(body(m).join(""), /END/);
});

test("stream end: a marker, a reconnect from the last line's timestamp, and the repeated lines skipped", () => {
  let m = openApp();
  m = stream(m, `${ts(1)} a\n${ts(2)} b\n${ts(2)} c\n`);
  const [first] = heldStreams(m);
  m = send(m, { type: "stream", key: first!.key, event: "end" });
  const [second] = heldStreams(m);
  assert.ok(second && second.key !== first!.key, "a new stream");
  const q = new URL(second.path, "https://x").searchParams;
  assert.equal(q.get("sinceTime"), ts(2));
  assert.equal(q.get("tailLines"), null);
  assert.ok((second.delayMs ?? 0) > 0, "a reconnect waits a little");
  m = stream(m, `${ts(2)} b\n${ts(2)} c\n${ts(3)} d\n`);
  const texts = [...logsOf(m).buffer.lines()].map((l) => l.text);
  assert.deepEqual(
    texts.filter((t) => !t.startsWith("──")),
    ["a", "b", "c", "d"],
  );
  assert.equal(texts.filter((t) => t.startsWith("── log stream ended")).length, 1);
  assert.match(body(m).join("\n"), /log stream ended/);
});

test("errors: 403 names the permission, 404 says the pod is gone and keeps the lines, 400 is the server's message", () => {
  let m = openApp();
  m = stream(m, `${ts(1)} kept\n`);
  let [spec] = heldStreams(m);
  const gone = send(m, { type: "stream", key: spec!.key, event: "error", error: 'pods "p0" not found', status: 404 });
  assert.match(body(gone).join("\n"), /pod default\/p0 is gone/);
  assert.match(body(gone).join("\n"), /kept/);
  assert.deepEqual(heldStreams(gone), [], "no reconnect to a pod that is gone");
  const denied = send(m, { type: "stream", key: spec!.key, event: "error", error: "forbidden", status: 403 });
  assert.match(body(denied).join("\n"), /get pods\/log in namespace default/);
  assert.deepEqual(heldStreams(denied), []);
  const message = 'container "app" in pod "p0" is waiting to start: ContainerCreating';
  m = openApp();
  [spec] = heldStreams(m);
  const waiting = send(m, { type: "stream", key: spec!.key, event: "error", error: message, status: 400 });
  assert.match(body(waiting).join("\n"), /is waiting to start: ContainerCreating/);
  assert.equal(heldStreams(waiting).length, 1, "it tries again until the container starts");
});

test("0–6 choose the range as k9s binds them (0 tail, 1 head, 2 1m … 6 1h): the stream starts again", () => {
  let m = openApp();
  m = stream(m, `${ts(1)} a\n`);
  m = type(m, "3");
  const q = new URL(heldStreams(m)[0]!.path, "https://x").searchParams;
  assert.equal(q.get("sinceSeconds"), "300");
  assert.equal(q.get("tailLines"), null);
  assert.equal(logsOf(m).buffer.length, 0);
  m = type(m, "1");
  const head = new URL(heldStreams(m)[0]!.path, "https://x").searchParams;
  assert.equal(head.get("sinceSeconds"), null);
  assert.equal(head.get("tailLines"), null);
});

test("Ctrl-S saves the lines, C clears them, and leaving the view closes its stream", () => {
  let m = openApp();
  m = stream(m, `${ts(1)} a\n${ts(2)} b\n`);
  const [, effects] = update(m, { type: "key", name: "s", ctrl: true, alt: false, shift: false });
  const save = effects.find((e) => e.type === "save");
  assert.ok(save && save.type === "save");
  assert.equal(save.text, "a\nb\n");
  assert.match(save.path, /default-p0-app-.*\.log$/);
  m = type(m, "C");
  assert.equal(logsOf(m).buffer.length, 0);
  m = type(m, "<esc>");
  assert.deepEqual(heldStreams(m), []);
  void NOW;
});
