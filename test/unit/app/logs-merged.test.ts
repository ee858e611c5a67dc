// Merged logs (pure, on the view): `a` (all of a pod's containers, prefixed, placed by timestamp), a workload's pods
// (joining, leaving, the bound) and the JSON modes (J, F).
import assert from "node:assert/strict";
import { test } from "node:test";
import { LogsView, sourceStyle } from "../../../src/app/views/logs.ts";
import type { Action, ViewContext, ViewMsg, ViewResult } from "../../../src/app/views/view.ts";
import type { Repository } from "../../../src/repository/types.ts";
import { stripAnsi } from "../../../src/tui/ansi.ts";
import { key } from "../../../src/tui/input.ts";
import { NOW } from "./helpers.ts";

const ts = (s: number, ms = 0) => `2026-01-01T12:00:${String(s).padStart(2, "0")}.${String(ms).padStart(3, "0")}Z`;
const POD = {
  metadata: { name: "p0", namespace: "default" },
  spec: { containers: [{ name: "app" }, { name: "side" }] },
};

function ctxWith(rows: () => { name: string; namespace: string }[], now = NOW): ViewContext {
  const repo = { rows: () => rows().map((r) => ({ ...r, uid: r.name, createdAt: 0 })) } as unknown as Repository;
  return { repo, now, width: 80, height: 12, namespace: undefined, readOnly: false, forwards: [] };
}
const CTX = ctxWith(() => []);

function step(v: LogsView, msg: ViewMsg, ctx = CTX): [LogsView, Action[]] {
  const [next, actions] = v.update(msg, ctx) as ViewResult;
  return [next as LogsView, actions];
}
function press(v: LogsView, name: string, ctx = CTX): LogsView {
  const b = v.bindings(ctx).find((x) => x.keys.some((k) => k.name === name));
  assert.ok(b, `a binding for ${name}`);
  return b.run()[0] as LogsView;
}
function typeText(v: LogsView, text: string): LogsView {
  let out = v;
  for (const ch of text) [out] = step(out, { ...key(ch), type: "key", text: ch });
  return out;
}
const chunk = (v: LogsView, key: string, text: string, ctx = CTX) =>
  step(v, { type: "stream", key, event: "chunk", text }, ctx)[0];
const body = (v: LogsView, ctx = CTX) => v.body(ctx).map(stripAnsi);
const texts = (v: LogsView) => [...v.buffer.lines()].map((l) => `${l.source ?? ""}|${l.text}`);

function allContainers(): LogsView {
  const [v, actions] = LogsView.open({ namespace: "default", name: "p0" }, "pods").fetch();
  const get = actions[0];
  assert.ok(get?.type === "effect" && get.effect.type === "get");
  const [picker] = step(v as LogsView, { type: "result", id: get.effect.id, value: POD });
  assert.equal(picker.phase, "pick");
  return press(picker, "a");
}

test("a: every container streams; lines carry their container's name in a colour stable per name", () => {
  const v = allContainers();
  const specs = v.streams();
  assert.deepEqual(
    specs.map((s) => new URL(s.path, "https://x").searchParams.get("container")),
    ["app", "side"],
  );
  let m = chunk(v, specs[0]!.key, `${ts(1)} from app\n`);
  m = chunk(m, specs[1]!.key, `${ts(2)} from side\n`);
  const shown = body(m).filter((l) => l.includes("from"));
  assert.deepEqual(
    shown.map((l) => l.trim()),
    ["app from app", "side from side"],
  );
  const raw = m.body(CTX).join("\n");
  assert.ok(raw.includes(`\x1b[${sourceStyle("app")}m`) || raw.includes(`;${sourceStyle("app")}m`));
  assert.equal(sourceStyle("app"), sourceStyle("app"));
  assert.match(m.title(), /all containers/);
});

test("a: lines are placed by timestamp among recent ones; what arrived more than 2 s ago does not move", () => {
  const v = allContainers();
  const [app, side] = v.streams().map((s) => s.key) as [string, string];
  let m = chunk(v, app, `${ts(1)} a1\n${ts(5)} a5\n`);
  m = chunk(m, side, `${ts(3)} s3\n${ts(6)} s6\n`);
  assert.deepEqual(texts(m), ["app|a1", "side|s3", "app|a5", "side|s6"]);
  // Much later (wall time), a late line older than what is on screen goes at the end.
  const later = ctxWith(() => [], NOW + 10_000);
  m = chunk(m, app, `${ts(2)} late\n`, later);
  assert.deepEqual(texts(m).at(-1), "app|late");
  // A search made before keeps pointing at the right lines after an insertion.
  m = typeText(press(m, "/"), "s");
  m = press(m, "enter");
  m = chunk(m, side, `${ts(7)} s7\n`, later);
  m = chunk(m, app, `${ts(6, 500)} a6\n`, later);
  assert.deepEqual(texts(m).slice(-2), ["app|a6", "side|s7"]);
});

test("a again goes back to the picker; one container streams without prefixes", () => {
  const v = allContainers();
  const picker = press(v, "a");
  assert.equal(picker.phase, "pick");
  const one = press(picker, "enter");
  const [spec] = one.streams();
  const m = chunk(one, spec!.key, `${ts(1)} plain\n`);
  assert.equal([...m.buffer.lines()][0]?.source, undefined);
  assert.ok(body(m).some((l) => l.trim() === "plain"));
});

test("workload: pods are read and join as they appear, gone pods' streams end with their lines kept, a bound", () => {
  let pods = [{ name: "w1", namespace: "default" }];
  const ctx = ctxWith(() => pods);
  const target = {
    namespace: "default",
    label: "deploy/web",
    pods: { query: () => ({ kind: "pods", namespace: "default" }) },
  };
  let [v, actions] = LogsView.workload(target, "deployments", ctx, { maxPods: 2 }) as [LogsView, Action[]];
  const getOf = (a: Action[]) => a.flatMap((x) => (x.type === "effect" && x.effect.type === "get" ? [x.effect] : []));
  assert.deepEqual(
    getOf(actions).map((g) => g.path),
    ["/api/v1/namespaces/default/pods/w1"],
  );
  const pod = (name: string) => ({ metadata: { name, namespace: "default" }, spec: { containers: [{ name: "c" }] } });
  [v] = step(v, { type: "result", id: getOf(actions)[0]!.id, value: pod("w1") }, ctx);
  assert.deepEqual(v.sourceLabels, ["w1/c"]);
  v = chunk(v, v.streams()[0]!.key, `${ts(1)} one\n`, ctx);
  // w2 appears: read, then streamed; w1 goes: its stream ends, its lines stay.
  pods = [{ name: "w2", namespace: "default" }];
  [v, actions] = step(v, { type: "data" }, ctx);
  assert.deepEqual(
    getOf(actions).map((g) => g.path),
    ["/api/v1/namespaces/default/pods/w2"],
  );
  [v] = step(v, { type: "result", id: getOf(actions)[0]!.id, value: pod("w2") }, ctx);
  assert.deepEqual(
    v.streams().map((s) => new URL(s.path, "https://x").pathname),
    ["/api/v1/namespaces/default/pods/w2/log"],
  );
  v = chunk(v, v.streams()[0]!.key, `${ts(2)} two\n`, ctx);
  const shown = body(v, ctx).join("\n");
  assert.match(shown, /w1\/c one/);
  assert.match(shown, /w1\/c ── pod gone ──/);
  assert.match(shown, /w2\/c two/);
  // Beyond the bound: no more reads, and the view says so.
  pods = ["w2", "w3", "w4", "w5"].map((name) => ({ name, namespace: "default" }));
  [v, actions] = step(v, { type: "data" }, ctx);
  assert.deepEqual(
    getOf(actions).map((g) => g.path),
    ["/api/v1/namespaces/default/pods/w5"],
    "oldest (last) first",
  );
  assert.match(v.title(), /bound 2 pods; 4 exist/);
  assert.match(body(v, ctx)[0]!, /4 pods: streaming the first 2/);
});

test("J pretty-prints JSON lines and shows their fields as columns; F edits the fields; other lines stay", () => {
  const v0 = LogsView.open({ namespace: "default", name: "p0" }, "pods", { container: "app" });
  const json = JSON.stringify({ ts: "12:00:01", level: "info", msg: "hello", user: { id: 7 } });
  let v = chunk(v0, v0.streams()[0]!.key, `${ts(1)} ${json}\n${ts(2)} not json {\n`);
  assert.ok(body(v).some((l) => l.trim() === json));
  v = press(v, "J");
  const pretty = body(v).map((l) => l.trimEnd());
  assert.ok(pretty.includes('  "level": "info",'), pretty.join("\n"));
  assert.ok(pretty.includes("not json {"));
  v = press(v, "J");
  let rows = body(v).map((l) => l.trimEnd());
  assert.match(rows[0]!, /^LEVEL\s+MSG\s+TS$/);
  assert.match(rows[1]!, /^info\s+hello\s+12:00:01$/);
  assert.ok(rows.includes("not json {"));
  v = press(v, "F");
  assert.ok(v.capturesInput());
  for (let i = 0; i < 20; i++) [v] = step(v, { ...key("backspace"), type: "key" });
  v = press(typeText(v, "user.id msg"), "enter");
  rows = body(v).map((l) => l.trimEnd());
  assert.match(rows[0]!, /^USER\.ID\s+MSG$/);
  assert.match(rows[1]!, /^7\s+hello$/);
  v = press(v, "J");
  assert.ok(body(v).some((l) => l.trim() === json));
});
