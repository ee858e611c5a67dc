// The edit view's pure parts and its flow without a server: mergeDiff / applyMerge (RFC 7386), which re-apply the
// user's changes to the object's latest version after a 409, and the effects EditView asks for at each step, with
// the results fed back by hand (the real server and editor are in test/cluster/edit.test.ts).
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { applyMerge, EditView, mergeDiff } from "../../../src/app/views/edit.ts";
import type { Action, View, ViewContext, ViewMsg } from "../../../src/app/views/view.ts";
import type { ApiKind } from "../../../src/kube/kinds.ts";
import { StaticRepository } from "../../../src/repository/static-repository.ts";

type Obj = Parameters<typeof mergeDiff>[0];

describe("mergeDiff and applyMerge", () => {
  const from: Obj = {
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: { name: "c", resourceVersion: "10", labels: { a: "1", b: "2" } },
    data: { x: "1", y: "2" },
    list: [1, 2, 3],
  };

  test("the patch holds what changed only: changed values, added keys, removed keys as null, lists whole", () => {
    const to: Obj = {
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: "c", resourceVersion: "10", labels: { a: "1", c: "3" } },
      data: { x: "one", y: "2", z: "new" },
      list: [1, 2],
    };
    assert.deepEqual(mergeDiff(from, to), {
      metadata: { labels: { b: null, c: "3" } },
      data: { x: "one", z: "new" },
      list: [1, 2],
    });
    assert.deepEqual(mergeDiff(from, structuredClone(from)), {}, "no change, no patch");
  });

  test("key order is no change; a value that becomes an object (or back) is replaced", () => {
    const reordered: Obj = {
      list: [1, 2, 3],
      data: { y: "2", x: "1" },
      metadata: from.metadata as Obj,
      kind: "ConfigMap",
      apiVersion: "v1",
    };
    assert.deepEqual(mergeDiff(from, reordered), {});
    assert.deepEqual(mergeDiff({ a: "s" }, { a: { b: 1 } }), { a: { b: 1 } });
    assert.deepEqual(mergeDiff({ a: { b: 1 } }, { a: "s" }), { a: "s" });
  });

  test("the stale resourceVersion is never part of the patch (the latest one must be kept)", () => {
    const to = structuredClone(from);
    (to.metadata as Obj).resourceVersion = "9";
    (to.data as Obj).x = "edited";
    const patch = mergeDiff(from, to);
    assert.equal((patch.metadata as Obj | undefined)?.resourceVersion, undefined);
    assert.deepEqual(patch.data, { x: "edited" });
    const latest = { ...structuredClone(from), metadata: { ...(from.metadata as Obj), resourceVersion: "11" } };
    assert.equal(((applyMerge(latest, patch) as Obj).metadata as Obj).resourceVersion, "11");
  });

  test("applied to the original it gives the edit back; applied to a newer version it keeps the others' changes", () => {
    const to = structuredClone(from);
    (to.data as Obj).x = "mine";
    delete (to.metadata as { labels: Obj }).labels.b;
    const patch = mergeDiff(from, to);
    assert.deepEqual(applyMerge(from, patch), to);
    const latest: Obj = {
      ...structuredClone(from),
      metadata: { name: "c", resourceVersion: "11", labels: { a: "1", b: "2", theirs: "t" } },
      data: { x: "1", y: "theirs" },
    };
    assert.deepEqual(applyMerge(latest, patch), {
      ...latest,
      metadata: { name: "c", resourceVersion: "11", labels: { a: "1", theirs: "t" } },
      data: { x: "mine", y: "theirs" },
    });
    assert.deepEqual(latest.data, { x: "1", y: "theirs" }, "the target is not changed in place");
  });

  test("RFC 7386's own cases: a non-object patch replaces, null deletes, nested objects merge", () => {
    assert.deepEqual(applyMerge({ a: "b" }, { a: "c" }), { a: "c" });
    assert.deepEqual(applyMerge({ a: "b" }, { b: "c" }), { a: "b", b: "c" });
    assert.deepEqual(applyMerge({ a: "b" }, { a: null }), {});
    assert.deepEqual(applyMerge({ a: "b", b: "c" }, { a: null }), { b: "c" });
    assert.deepEqual(applyMerge({ a: ["b"] }, { a: "c" }), { a: "c" });
    assert.deepEqual(applyMerge({ a: "c" }, { a: ["b"] }), { a: ["b"] });
    assert.deepEqual(applyMerge({ a: { b: "c" } }, { a: { b: "d", c: null } }), { a: { b: "d" } });
    assert.deepEqual(applyMerge({ a: [{ b: "c" }] }, { a: [1] }), { a: [1] });
    assert.deepEqual(applyMerge(["a", "b"], ["c", "d"]), ["c", "d"]);
    assert.deepEqual(applyMerge({ a: "b" }, ["c"]), ["c"]);
    assert.deepEqual(applyMerge({ e: null }, { a: 1 }), { e: null, a: 1 });
    assert.deepEqual(applyMerge([1, 2], { a: "b", c: null }), { a: "b" });
    assert.deepEqual(applyMerge({}, { a: { bb: { ccc: null } } }), { a: { bb: {} } });
  });
});

describe("EditView, its effects fed by hand", () => {
  const ctx: ViewContext = {
    repo: new StaticRepository(),
    now: 0,
    width: 80,
    height: 10,
    namespace: undefined,
    readOnly: false,
    forwards: [],
    editor: ["my-editor", "--wait"],
  };
  const resolved = new StaticRepository().resolve("configmaps");
  assert.ok(resolved);
  const kind: ApiKind = resolved;
  const row = { name: "c", namespace: "ns", uid: "u", createdAt: 0 };
  const object = (rv: string, data: Record<string, string>) => ({
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: { name: "c", namespace: "ns", resourceVersion: rv, managedFields: [{ manager: "kubectl" }] },
    data,
  });

  /** The view and the effects (and other actions) of one step. */
  function step(view: View, msg: ViewMsg): [View, Action[]] {
    return view.update(msg, ctx);
  }
  const effect = (actions: Action[], type: string) => {
    const found = actions.find((a) => a.type === "effect" && a.effect.type === type);
    assert.ok(found && found.type === "effect", `an effect ${type} in ${JSON.stringify(actions)}`);
    return found.effect as Extract<Action, { type: "effect" }>["effect"] & { id: string };
  };

  test("GET, the file (header, managedFields dropped), the editor, the file read back, the PUT; 409: again", () => {
    let [view, actions]: [View, Action[]] = EditView.open(kind, row, "cm", "configmaps");
    const get = effect(actions, "get");
    assert.equal((get as { path: string }).path, "/api/v1/namespaces/ns/configmaps/c");
    [view, actions] = step(view, { type: "result", id: get.id, value: object("1", { x: "1" }) });
    const file = effect(actions, "tempFile") as { id: string; name: string; text: string };
    assert.equal(file.name, "cm-c.yaml");
    assert.ok(file.text.startsWith("# Please edit the object below."));
    assert.ok(!file.text.includes("managedFields"));
    [view, actions] = step(view, { type: "result", id: file.id, value: "/tmp/timoneiro-edit-1/cm-c.yaml" });
    assert.deepEqual(actions, [
      {
        type: "exec",
        id: `edit:${view.id}`,
        command: "my-editor",
        args: ["--wait", "/tmp/timoneiro-edit-1/cm-c.yaml"],
      },
    ]);
    [view, actions] = step(view, { type: "exited", id: `edit:${view.id}`, code: 0 });
    const read = effect(actions, "readFile");
    const edited = file.text.replace('x: "1"', 'x: "2"');
    assert.notEqual(edited, file.text);
    [view, actions] = step(view, { type: "result", id: read.id, value: edited });
    const put = effect(actions, "write") as {
      id: string;
      request: { method: string; body: { data: unknown; metadata: { resourceVersion: string } } };
    };
    assert.equal(put.request.method, "PUT");
    assert.deepEqual(put.request.body.data, { x: "2" });
    assert.equal(put.request.body.metadata.resourceVersion, "1");

    // 409: read again, the change re-applied to the latest version, reopened with the note.
    const conflict =
      'Operation cannot be fulfilled on configmaps "c": the object has been modified; please apply your changes to the latest version and try again';
    [view, actions] = step(view, { type: "result", id: put.id, value: undefined, error: conflict });
    const again = effect(actions, "get");
    [view, actions] = step(view, { type: "result", id: again.id, value: object("2", { x: "1", y: "theirs" }) });
    const reopened = effect(actions, "tempFile") as { id: string; text: string };
    assert.match(reopened.text, /^# The object was changed on the server since you opened it\./m);
    assert.match(reopened.text, /^ {2}x: "2"$/m);
    assert.match(reopened.text, /^ {2}y: theirs$/m);
    assert.match(reopened.text, /resourceVersion: "2"/);
    // The new file replaces the old one, which is removed (it may hold a Secret's data).
    [view, actions] = step(view, { type: "result", id: reopened.id, value: "/tmp/timoneiro-edit-2/cm-c.yaml" });
    assert.deepEqual(
      actions.map((a) => (a.type === "effect" ? [a.effect.type, (a.effect as { path?: string }).path] : [a.type])),
      [["removeFile", "/tmp/timoneiro-edit-1/cm-c.yaml"], ["exec"]],
    );
    [view, actions] = step(view, { type: "exited", id: `edit:${view.id}`, code: 0 });
    [view, actions] = step(view, { type: "result", id: effect(actions, "readFile").id, value: reopened.text });
    const second = effect(actions, "write") as {
      id: string;
      request: { body: { data: unknown; metadata: { resourceVersion: string } } };
    };
    assert.deepEqual(second.request.body.data, { x: "2", y: "theirs" });
    assert.equal(second.request.body.metadata.resourceVersion, "2");
    [, actions] = step(view, { type: "result", id: second.id, value: {} });
    assert.deepEqual(actions, [
      { type: "pop" },
      { type: "message", text: "edited cm/c", error: false },
      { type: "effect", effect: { type: "removeFile", path: "/tmp/timoneiro-edit-2/cm-c.yaml" } },
    ]);
  });

  /** Opened, fetched, the file written and the editor ended: the view waiting for the file's text. */
  function edited(): [View, string, string] {
    let [view, actions]: [View, Action[]] = EditView.open(kind, row, "cm", "configmaps");
    [view, actions] = step(view, { type: "result", id: effect(actions, "get").id, value: object("1", { x: "1" }) });
    const file = effect(actions, "tempFile") as { id: string; text: string };
    [view, actions] = step(view, { type: "result", id: file.id, value: "/tmp/f/cm-c.yaml" });
    [view, actions] = step(view, { type: "exited", id: `edit:${view.id}`, code: 0 });
    return [view, effect(actions, "readFile").id, file.text];
  }

  test("no change, an empty file, invalid YAML, a 422: cancelled, cancelled, reopened, reopened", () => {
    const [view, readId, text] = edited();
    assert.deepEqual(step(view, { type: "result", id: readId, value: text })[1].slice(0, 2), [
      { type: "pop" },
      { type: "message", text: "Edit cancelled, no changes made.", error: false },
    ]);
    assert.deepEqual(step(view, { type: "result", id: readId, value: "# only comments\n\n" })[1].slice(0, 2), [
      { type: "pop" },
      { type: "message", text: "Edit cancelled, empty file", error: false },
    ]);
    const [, invalid] = step(view, { type: "result", id: readId, value: "data: [x\n" });
    const reopened = effect(invalid, "tempFile") as { text: string };
    assert.match(reopened.text, /^# error: the file is not valid YAML: /m);
    assert.match(reopened.text, /^data: \[x$/m);
    const [saving, sent] = step(view, { type: "result", id: readId, value: text.replace('x: "1"', "bad key: x") });
    const put = effect(sent, "write");
    const [, refused] = step(saving, {
      type: "result",
      id: put.id,
      value: undefined,
      error:
        'ConfigMap "c" is invalid: data[bad key]: Invalid value: "bad key": a valid config key must consist of alphanumeric characters',
    });
    assert.match(
      (effect(refused, "tempFile") as { text: string }).text,
      /^# error: ConfigMap "c" is invalid: data\[bad key\]/m,
    );
  });

  test("the editor fails: nothing is sent; Esc while waiting abandons the edit", () => {
    let [view, actions]: [View, Action[]] = EditView.open(kind, row, "cm", "configmaps");
    const esc = view.bindings(ctx).find((b) => b.keys.some((k) => k.name === "escape"));
    assert.ok(esc);
    assert.deepEqual(esc.run()[1], [
      { type: "pop" },
      { type: "message", text: "edit of cm/c abandoned", error: false },
    ]);
    [view, actions] = step(view, { type: "result", id: effect(actions, "get").id, value: object("1", {}) });
    [view, actions] = step(view, { type: "result", id: effect(actions, "tempFile").id, value: "/tmp/g/cm-c.yaml" });
    assert.deepEqual(view.bindings(ctx), [], "the editor has the terminal: no keys");
    [, actions] = step(view, { type: "exited", id: `edit:${view.id}`, code: 2 });
    assert.deepEqual(actions, [
      { type: "pop" },
      { type: "message", text: "edit cm/c: the editor exited with 2; nothing was changed", error: true },
      { type: "effect", effect: { type: "removeFile", path: "/tmp/g/cm-c.yaml" } },
    ]);
  });
});
