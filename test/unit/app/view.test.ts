import assert from "node:assert/strict";
import { test } from "node:test";
import { newRootModel, view } from "../../../src/app/root.ts";
import { podRowState } from "../../../src/app/row-style.ts";
import { layoutColumns } from "../../../src/app/table.ts";
import { makePod, StaticRepository } from "../../../src/repository/static-repository.ts";
import { displayWidth } from "../../../src/tui/width.ts";
import { data, NOW, plain, pods, send, setup, type } from "./helpers.ts";

const longPod = makePod({
  namespace: "ingress-nginx-controller",
  name: "ingress-nginx-controller-7d4b9c8f6-x2x9z",
  status: "CrashLoopBackOff",
  ready: "0/1",
  readyCount: 0,
  restarts: 3,
  lastRestartAt: NOW - 5 * 60_000,
  createdAt: NOW - 5 * 60_000,
  node: "node-12.internal",
  ip: "10.244.12.34",
});

function tableAt(width: number) {
  const { model } = setup([longPod], { width, height: 8 });
  return plain(view(model));
}

test("every line fits the width, and there are exactly `height` lines", () => {
  for (const width of [20, 40, 80, 120, 200]) {
    const { model } = setup([longPod, ...pods(20)], { width, height: 10 });
    const lines = plain(view(model));
    assert.equal(lines.length, 10);
    for (const line of lines) assert.ok(displayWidth(line) <= width, `width ${width}: "${line}"`);
  }
});

test("at 200 columns every column is shown and nothing is truncated", () => {
  const lines = tableAt(200);
  assert.match(
    lines[3] ?? "",
    /^NAMESPACE\s+NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE\s+CPU\s+MEM\s+%CPU\/R\s+%CPU\/L\s+%MEM\/R\s+%MEM\/L\s+NODE\s+IP$/,
  );
  assert.match(
    lines[4] ?? "",
    /^ingress-nginx-controller {2}ingress-nginx-controller-7d4b9c8f6-x2x9z {2}0\/1 {4}CrashLoopBackOff {2}3 \(5m ago\) {2}5m {3}n\/a {2}n\/a {2}n\/a {5}n\/a {5}n\/a {5}n\/a {5}node-12.internal {2}10.244.12.34\s*$/,
  );
});

test("at 130 columns IP hides first", () => {
  const lines = tableAt(130);
  assert.match(lines[3] ?? "", /^NAMESPACE\s+NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE\s+NODE\s+▶$/);
  assert.match(lines[4] ?? "", /^ingress-nginx-controller {2}ingress-nginx-controller-7d4b9c8f6-x2x9z {2}0\/1 /);
});

test("at 120 columns NODE hides too, so that the whole name still shows; CPU and MEM fit in the room it left", () => {
  const lines = tableAt(120);
  assert.match(lines[3] ?? "", /^NAMESPACE\s+NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE\s+CPU\s+MEM\s+▶$/);
  assert.match(lines[4] ?? "", /^ingress-nginx-controller {2}ingress-nginx-controller-7d4b9c8f6-x2x9z {2}0\/1 /);
});

test("at 80 columns NAMESPACE hides as well and the long name is truncated with …", () => {
  const lines = tableAt(80);
  assert.match(lines[3] ?? "", /^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE\s+▶$/);
  assert.match(
    lines[4] ?? "",
    /^ingress-nginx-controller-7d4b9c8f6-… {2}0\/1 {4}CrashLoopBackOff {2}3 \(5m ago\) {2}5m/,
  );
});

test("layoutColumns hides by decreasing hideOrder and gives the flex column what is left", () => {
  const cols = [{ hideOrder: 1 }, { hideOrder: 0, flex: true }, { hideOrder: 0 }, { hideOrder: 2 }, { hideOrder: 3 }];
  assert.deepEqual(layoutColumns(cols, [10, 40, 10, 10, 10], 200), {
    shown: [0, 1, 2, 3, 4],
    widths: [10, 40, 10, 10, 10],
  });
  assert.deepEqual(layoutColumns(cols, [10, 40, 10, 10, 10], 80), { shown: [0, 1, 2, 3], widths: [10, 40, 10, 10] });
  assert.deepEqual(layoutColumns(cols, [10, 40, 10, 10, 10], 70), { shown: [0, 1, 2], widths: [10, 40, 10] });
  assert.deepEqual(layoutColumns(cols, [10, 40, 10, 10, 10], 40), { shown: [1, 2], widths: [28, 10] });
});

test("layoutColumns brings back narrow columns that fit once a wider, more important one has gone", () => {
  // NAME, a wide NODE-like column (hides later), two narrow CPU/MEM-like columns (hide first, the rightmost first).
  const cols = [{ hideOrder: 0, flex: true }, { hideOrder: 2 }, { hideOrder: 3 }, { hideOrder: 3 }];
  assert.deepEqual(layoutColumns(cols, [40, 30, 5, 5], 86), { shown: [0, 1, 2, 3], widths: [40, 30, 5, 5] });
  // 80: the rightmost narrow one goes and nothing comes back.
  assert.deepEqual(layoutColumns(cols, [40, 30, 5, 5], 80), { shown: [0, 1, 2], widths: [40, 30, 5] });
  // 60: both narrow ones went, then the wide one; the narrow ones fit again beside NAME.
  assert.deepEqual(layoutColumns(cols, [40, 30, 5, 5], 60), { shown: [0, 2, 3], widths: [40, 5, 5] });
  // 49: room for one of them: the first to be kept is the left one (the rightmost hides first).
  assert.deepEqual(layoutColumns(cols, [40, 30, 5, 5], 49), { shown: [0, 2], widths: [40, 5] });
  // A name longer than the flex minimum keeps its whole width: nothing comes back into it.
  assert.deepEqual(layoutColumns(cols, [52, 30, 5, 5], 56), { shown: [0], widths: [52] });
  assert.deepEqual(layoutColumns(cols, [52, 30, 5, 5], 59), { shown: [0, 2], widths: [52, 5] });
});

test("row colours follow pod state", () => {
  const cases: [string, number, number, string][] = [
    ["Running", 1, 1, "normal"],
    ["Running", 0, 2, "failing"],
    ["Running", 1, 2, "progress"],
    ["CrashLoopBackOff", 0, 1, "failing"],
    ["ImagePullBackOff", 0, 1, "failing"],
    ["ErrImagePull", 0, 1, "failing"],
    ["Error", 0, 1, "failing"],
    ["OOMKilled", 0, 1, "failing"],
    ["Evicted", 0, 1, "failing"],
    ["Init:Error", 0, 1, "failing"],
    ["Init:CrashLoopBackOff", 0, 1, "failing"],
    ["Init:ExitCode:1", 0, 1, "failing"],
    ["Signal:9", 0, 1, "failing"],
    ["Pending", 0, 1, "progress"],
    ["ContainerCreating", 0, 1, "progress"],
    ["PodInitializing", 0, 1, "progress"],
    ["Init:1/3", 0, 1, "progress"],
    ["Terminating", 1, 1, "progress"],
    ["Completed", 0, 1, "done"],
  ];
  for (const [status, readyCount, totalCount, expected] of cases) {
    assert.equal(podRowState({ status, readyCount, totalCount }), expected, status);
  }
});

test("rows are painted red, yellow or dim; the selected row in reverse video across the width", () => {
  const rows = [
    makePod({ name: "ok", createdAt: NOW - 1 }),
    makePod({ name: "bad", status: "CrashLoopBackOff", readyCount: 0, ready: "0/1", createdAt: NOW - 2 }),
    makePod({ name: "wait", status: "Pending", readyCount: 0, ready: "0/1", createdAt: NOW - 3 }),
    makePod({ name: "done", status: "Completed", readyCount: 0, ready: "0/1", createdAt: NOW - 4 }),
  ];
  const { model } = setup(rows, { width: 100, height: 10 });
  const lines = view(model);
  assert.match(lines[4] ?? "", /^\x1b\[0;7mdefault/, "selected row is reverse video");
  assert.equal(displayWidth(plain(lines)[4] ?? ""), 100, "selected row spans the width");
  assert.ok(!(lines[4] ?? "").includes("\x1b[0;31"), "a healthy row has no colour");
  assert.match(lines[5] ?? "", /^\x1b\[0;31mdefault/);
  assert.match(lines[6] ?? "", /^\x1b\[0;33mdefault/);
  assert.match(lines[7] ?? "", /^\x1b\[0;2mdefault/);
  const moved = view(type(model, "j"));
  assert.match(moved[5] ?? "", /^\x1b\[0;31;7mdefault/, "a selected failing row stays red, reversed");
  assert.ok(!(moved[4] ?? "").includes("\x1b["), "an unselected healthy row is plain text");
});

test("matched characters are highlighted in the cells they matched", () => {
  const rows = [makePod({ name: "web-1", status: "CrashLoopBackOff", createdAt: NOW - 1 })];
  const { model } = setup(rows, { width: 100, height: 8 });
  const lines = view(type(model, "/~wb crash"));
  const row = lines[4] ?? "";
  // "w" and "b" of web-1 (not "e"), and "Crash" in STATUS, are bold+underlined.
  assert.ok(row.includes("\x1b[0;31;7;1;4mw\x1b[0;31;7me\x1b[0;31;7;1;4mb\x1b[0;31;7m-1"), row);
  assert.ok(row.includes("\x1b[0;31;7;1;4mCrash\x1b[0;31;7mLoopBackOff"), row);
});

test("header shows context, cluster, namespace scope and shown-of-total", () => {
  const { model } = setup(pods(30), { width: 120, height: 10 });
  const lines = plain(view(type(model, "/p2")));
  assert.match(lines[0] ?? "", /Timoneiro {2}context ctx {2}cluster cl {2}namespace all\s+Pods 11 of 30 $/);
  assert.equal(displayWidth(lines[0] ?? ""), 120);
});

test("loading states: spinner and count while syncing, ✓ when synced, the error and data age when failing", () => {
  const { repo, model } = setup(pods(3), { width: 120, height: 8 });
  repo.setRows("deployments", []);
  repo.setLoadingStatus("deployments", { synced: false, count: 1234 });
  let m = data(model);
  let line = plain(view(m))[2] ?? "";
  assert.match(line, /pods ✓ 3 {3}deployments [⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] 1,234/);
  // A kind of the background tier that has not started (it waits for pods to sync).
  repo.setRows("services", []);
  repo.setLoadingStatus("services", { synced: false, count: 0, startedAt: undefined });
  assert.match(plain(view(data(m)))[2] ?? "", /services · queued/);
  repo.setLoadingStatus("pods", { error: "connection refused", lastContactAt: NOW - 125_000 });
  m = data(m);
  line = plain(view(m))[2] ?? "";
  assert.match(line, /^ pods ✗ connection refused · data from 2m5s ago/);
  // The table keeps the last good rows.
  assert.match(plain(view(m))[4] ?? "", /p0/);
});

test("empty states", () => {
  const { repo, model } = setup([], { width: 80, height: 8 });
  assert.match(plain(view(model))[4] ?? "", /No pods/);
  repo.setLoadingStatus("pods", { synced: false });
  assert.match(plain(view(data(model)))[4] ?? "", /Loading pods…/);
  const { model: m2 } = setup(pods(3), { width: 80, height: 8 });
  assert.match(plain(view(type(m2, "/zzz")))[4] ?? "", /No pods match the filter/);
});

test("bottom line: hints, filter input with a cursor, command input, messages", () => {
  const { model } = setup(pods(3), { width: 80, height: 8 });
  assert.match(plain(view(model))[7] ?? "", / \/ filter {2}: command {2}\? help {2}q quit/);
  assert.match(plain(view(type(model, "/p1")))[7] ?? "", /^\/p1 {4}Enter keep/);
  assert.match(plain(view(type(model, "/p1<enter>")))[7] ?? "", /^ filter p1 {2}Esc clears/);
  assert.match(plain(view(type(model, ":po")))[7] ?? "", /^:po {2}/);
  const nope = send(type(model, ":nope<enter>"), { type: "rediscovered", command: "nope" });
  assert.match(plain(view(nope))[7] ?? "", /unknown resource "nope"/);
});

test("help lists the keys", () => {
  const { model } = setup(pods(3), { width: 100, height: 60 });
  const text = plain(view(type(model, "?"))).join("\n");
  for (const k of ["↑ k", "PgUp Ctrl-B", "Home g", "/", "!term", ":deploy", ":q", "q Ctrl-C", "Shift-N", "Shift-←"]) {
    assert.ok(text.includes(k), k);
  }
});

test("wide characters in cells keep the columns aligned", () => {
  const rows = [
    makePod({ name: "日本語-pod", createdAt: NOW - 1 }),
    makePod({ name: "emoji-😀-pod", createdAt: NOW - 2 }),
    makePod({ name: "plain-pod", createdAt: NOW - 3 }),
  ];
  const { model } = setup(rows, { width: 100, height: 8 });
  const lines = plain(view(type(model, "G")));
  const readyColumn = (line: string) => displayWidth(line.slice(0, line.indexOf("1/1")));
  assert.equal(readyColumn(lines[4] ?? ""), readyColumn(lines[6] ?? ""));
  assert.equal(readyColumn(lines[5] ?? ""), readyColumn(lines[6] ?? ""));
});

test(":deploy shows deployments with kubectl's columns; :po goes back to pods", () => {
  const { repo, model } = setup(pods(2), { width: 120, height: 8 });
  const deployment = {
    namespace: "shop",
    name: "checkout",
    uid: "d1",
    createdAt: NOW - 3 * 3600_000,
    desired: 3,
    ready: 2,
    upToDate: 3,
    available: 2,
    containers: "app",
    images: "shop/checkout:1.2",
    selector: "app=checkout",
  };
  repo.setRows("deployments", [deployment]);
  const m = type(model, ":deploy<enter>");
  let lines = plain(view(m));
  assert.match(lines[0] ?? "", /Deployments 1 of 1 $/);
  assert.match(
    lines[3] ?? "",
    /^NAMESPACE\s+NAME\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+AGE\s+CONTAINERS\s+IMAGES\s+SELECTOR$/,
  );
  assert.match(lines[4] ?? "", /^shop\s+checkout\s+2\/3\s+3\s+2\s+3h\s+app\s+shop\/checkout:1.2\s+app=checkout/);
  lines = plain(view(type(m, "/~chk")));
  assert.match(lines[0] ?? "", /Deployments 1 of 1 $/, "the filter searches namespace and name of any kind");
  assert.match(plain(view(type(m, ":po<enter>")))[0] ?? "", /Pods 2 of 2 $/);
  assert.match(plain(view(type(model, ":nodes<enter>")))[4] ?? "", /Loading nodes…/);
});

test("tiny terminals still get exactly `height` lines that fit", () => {
  for (let width = 1; width <= 12; width++) {
    for (let height = 1; height <= 6; height++) {
      const { model } = setup([longPod, ...pods(5)], { width, height });
      for (const m of [model, type(model, "/p"), type(model, "?"), type(model, ":x")]) {
        const lines = plain(view(m));
        assert.equal(lines.length, height, `${width}x${height}`);
        for (const line of lines) assert.ok(displayWidth(line) <= width, `${width}x${height}: "${line}"`);
      }
    }
  }
});

test("the header names the watched namespace when the repository has one", () => {
  const repo = new StaticRepository({ pods: pods(1), now: () => NOW });
  Object.assign(repo, { namespace: "payments" });
  const model = newRootModel(repo, { width: 120, height: 6, now: NOW });
  assert.match(plain(view(model))[0] ?? "", /namespace payments/);
  assert.doesNotMatch(plain(view(model))[1] ?? "", /0 all/, "no namespace keys when the session is restricted to one");
});

test("help scrolls when the terminal is too short for it", () => {
  const { model } = setup(pods(3), { width: 100, height: 12 });
  const top = plain(view(type(model, "?"))).join("\n");
  assert.ok(top.includes("↑↓ scroll"));
  assert.ok(top.includes("previous row"));
  assert.ok(!top.includes("repaint the screen"));
  const bottom = plain(view(type(model, `?${"<pagedown>".repeat(10)}`))).join("\n");
  assert.ok(bottom.includes("repaint the screen"), bottom);
  assert.ok(!bottom.includes("previous row"));
  const back = plain(view(type(model, `?<pagedown><pagedown>${"k".repeat(30)}`))).join("\n");
  assert.ok(back.includes("previous row"));
});

test("a cell is measured as drawn: control characters are replaced first, so the whole text fits", () => {
  const rows = [makePod({ name: "esc", status: "Bad\x1b[5DEscape", createdAt: NOW - 1 })];
  const { model } = setup(rows, { width: 120, height: 8 });
  const line = plain(view(model))[4] ?? "";
  assert.match(line, /Bad.\[5DEscape {2}/, line);
  assert.ok(!line.includes("…"), line);
});

test("after a filter leaves only short names, NAME is as wide as the names shown", () => {
  const rows = [makePod({ name: `long-${"x".repeat(200)}`, createdAt: NOW - 1 }), ...pods(3)];
  const { model } = setup(rows, { width: 340, height: 10 });
  const lines = plain(view(type(model, "/p1<enter>")));
  assert.match(lines[3] ?? "", /^NAMESPACE {2}NAME {2}READY/, lines[3]);
  assert.match(lines[4] ?? "", /^default {4}p1 {4}1\/1/, lines[4]);
  assert.match(plain(view(model))[3] ?? "", /^NAMESPACE {2}NAME {200}/, "unfiltered, the long name sets the width");
});

test("events: kubectl's columns without NAME; MESSAGE gives way on a narrow terminal, NAMESPACE before it", async () => {
  const { events } = await import("../../../src/resources/events.ts");
  const event = events.toRow({
    kind: "Event",
    metadata: { name: "web-1.17f3a", namespace: "shop", creationTimestamp: new Date(NOW - 60_000).toISOString() },
    involvedObject: { kind: "Pod", name: "web-1", namespace: "shop" },
    reason: "BackOff",
    type: "Warning",
    message: `Back-off restarting failed container web in pod web-1 ${"x".repeat(80)}`,
    lastTimestamp: new Date(NOW - 40_000).toISOString(),
    count: 3,
  });
  const repo = new StaticRepository({ pods: pods(1), rows: { events: [event] }, now: () => NOW });
  const wide = plain(view(type(newRootModel(repo, { width: 200, height: 8, now: NOW }), ":ev<enter>")));
  assert.match(
    wide[3] ?? "",
    /^NAMESPACE\s+LAST SEEN\s+TYPE\s+REASON\s+OBJECT\s+SUBOBJECT\s+SOURCE\s+MESSAGE\s+FIRST SEEN\s+COUNT\s+NAME$/,
  );
  const medium = plain(view(type(newRootModel(repo, { width: 120, height: 8, now: NOW }), ":ev<enter>")));
  assert.doesNotMatch(medium[3] ?? "", /\bNAME\b/, "NAME is last and wide: it hides first");
  const narrow = plain(view(type(newRootModel(repo, { width: 90, height: 8, now: NOW }), ":ev<enter>")));
  assert.match(narrow[3] ?? "", /^LAST SEEN\s+TYPE\s+REASON\s+OBJECT\s+MESSAGE\s+▶$/);
  assert.match(narrow[4] ?? "", /^40s\s+Warning\s+BackOff\s+pod\/web-1\s+Back-off restarting.*…\s*$/);
});

test("ages are drawn at the whole second: data frames within a second show the same ages, the next second moves them all", () => {
  const rows = [makePod({ name: "young", createdAt: NOW - 5_000 }), makePod({ name: "old", createdAt: NOW - 90_000 })];
  const { model } = setup(rows, { width: 120, height: 8 });
  const at = (ms: number) => plain(view(send(model, { type: "data", now: NOW + ms })));
  const ageOf = (lines: string[], name: string) => {
    const at = lines.find((l) => l.includes("AGE"))?.indexOf("AGE") ?? -1;
    return lines
      .find((l) => l.includes(name))
      ?.slice(at)
      .split(/\s+/)[0];
  };
  const early = at(100);
  assert.equal(ageOf(early, "young"), "5s");
  assert.equal(ageOf(early, "old"), "90s");
  assert.deepEqual(at(999), early, "the same second draws the same screen");
  const next = at(1000);
  assert.equal(ageOf(next, "young"), "6s");
  assert.equal(ageOf(next, "old"), "91s");
  // A row replaced within the second (a watch event) is drawn from its new object at once.
  const { repo, model: m2 } = setup(rows, { width: 120, height: 8 });
  const before = plain(view(send(m2, { type: "data", now: NOW + 100 })));
  repo.setRows("pods", [makePod({ name: "young", createdAt: NOW - 5_000, status: "Terminating" }), rows[1]!]);
  const after = plain(view(send(m2, { type: "data", now: NOW + 200 })));
  assert.ok(!before.some((l) => l.includes("Terminating")));
  assert.ok(
    after.some((l) => l.includes("young") && l.includes("Terminating")),
    after.join("\n"),
  );
});

test("columns of equal hiding order go from the right: never MEM without CPU, nor %MEM without %CPU", () => {
  let sawCpuAlone = false;
  for (let width = 40; width <= 240; width++) {
    const { model } = setup([longPod, ...pods(5)], { width, height: 8 });
    const header = (plain(view(model)).find((l) => l.includes("NAME")) ?? "").split(/\s+/);
    const has = (name: string) => header.some((h) => h.replace(/[↑↓[\]◀▶]/g, "") === name);
    if (has("MEM")) assert.ok(has("CPU"), `width ${width}: ${header.join(" ")}`);
    if (has("%MEM/R") || has("%MEM/L"))
      assert.ok(has("%CPU/R") && has("%CPU/L"), `width ${width}: ${header.join(" ")}`);
    if (has("CPU") && !has("MEM")) sawCpuAlone = true;
  }
  assert.ok(sawCpuAlone, "some width shows CPU and hides MEM (the test covers the case)");
});
