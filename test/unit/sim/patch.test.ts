// The simulator's PATCH bodies: RFC 7386 merge patch, RFC 6902 JSON patch and the strategic merge subset.
import assert from "node:assert/strict";
import { test } from "node:test";
import {
  applyPatch,
  jsonEqual,
  jsonPatch,
  mergePatch,
  PatchError,
  patchTypeOf,
  strategicMerge,
} from "../../../src/sim/patch.ts";

test("patchTypeOf: the three patch media types, parameters ignored; others are not patches", () => {
  assert.equal(patchTypeOf("application/merge-patch+json"), "merge");
  assert.equal(patchTypeOf("application/strategic-merge-patch+json; charset=utf-8"), "strategic");
  assert.equal(patchTypeOf("application/json-patch+json"), "json");
  assert.equal(patchTypeOf("application/json"), undefined);
  assert.equal(patchTypeOf(undefined), undefined);
});

test("merge patch: RFC 7386's examples (objects merge, null removes, arrays and scalars replace)", () => {
  const target = {
    title: "Goodbye!",
    author: { givenName: "John", familyName: "Doe" },
    tags: ["example", "sample"],
    content: "x",
  };
  const patch = { title: "Hello!", phoneNumber: "+01-123-456-7890", author: { familyName: null }, tags: ["example"] };
  assert.deepEqual(mergePatch(target, patch), {
    title: "Hello!",
    author: { givenName: "John" },
    tags: ["example"],
    content: "x",
    phoneNumber: "+01-123-456-7890",
  });
  assert.deepEqual(mergePatch({ a: "b" }, { a: { bb: null } }), { a: {} });
  assert.deepEqual(mergePatch({ a: [{ b: "c" }] }, { a: [1] }), { a: [1] });
  assert.equal(target.title, "Goodbye!", "the target is not changed in place");
});

test("strategic merge: maps merge, containers merge by name, other lists replace, $patch directives", () => {
  const target = {
    spec: {
      unschedulable: true,
      template: {
        metadata: { annotations: { a: "1" } },
        spec: {
          containers: [
            {
              name: "app",
              image: "app:1",
              env: [
                { name: "A", value: "1" },
                { name: "B", value: "2" },
              ],
            },
            { name: "sidecar", image: "side:1" },
          ],
          tolerations: [{ key: "x" }, { key: "y" }],
        },
      },
    },
  };
  const out = strategicMerge(target, {
    spec: {
      unschedulable: null,
      template: {
        metadata: { annotations: { "kubectl.kubernetes.io/restartedAt": "now" } },
        spec: {
          "$setElementOrder/containers": [{ name: "app" }, { name: "sidecar" }],
          containers: [
            { name: "app", image: "app:2", env: [{ name: "B", $patch: "delete" }] },
            { name: "new", image: "new:1" },
          ],
          tolerations: [{ key: "z" }],
        },
      },
    },
  }) as {
    spec: {
      unschedulable?: boolean;
      template: { metadata: unknown; spec: { containers: unknown[]; tolerations: unknown[] } };
    };
  };
  assert.equal(out.spec.unschedulable, undefined);
  assert.deepEqual(out.spec.template.metadata, { annotations: { a: "1", "kubectl.kubernetes.io/restartedAt": "now" } });
  assert.deepEqual(out.spec.template.spec.containers, [
    { name: "app", image: "app:2", env: [{ name: "A", value: "1" }] },
    { name: "sidecar", image: "side:1" },
    { name: "new", image: "new:1" },
  ]);
  assert.deepEqual(out.spec.template.spec.tolerations, [{ key: "z" }], "a list without a merge key is replaced");
  assert.deepEqual(strategicMerge({ m: { a: 1, b: 2 } }, { m: { $patch: "replace", c: 3 } }), { m: { c: 3 } });
  assert.deepEqual(strategicMerge({ m: { a: 1 }, k: 1 }, { m: { $patch: "delete" } }), { k: 1 });
  assert.deepEqual(strategicMerge({ f: ["a", "b", "c"] }, { "$deleteFromPrimitiveList/f": ["b"] }), { f: ["a", "c"] });
});

test("JSON patch: add/remove/replace/move/copy/test in order, all or nothing", () => {
  const doc = { spec: { replicas: 2, list: [1, 2, 3] }, "a/b": { "c~d": 1 } };
  const out = jsonPatch(doc, [
    { op: "replace", path: "/spec/replicas", value: 5 },
    { op: "add", path: "/spec/list/-", value: 4 },
    { op: "add", path: "/spec/list/0", value: 0 },
    { op: "remove", path: "/spec/list/2" },
    { op: "copy", from: "/spec/replicas", path: "/spec/copied" },
    { op: "move", from: "/a~1b/c~0d", path: "/moved" },
    { op: "test", path: "/spec/replicas", value: 5 },
  ]);
  assert.deepEqual(out, { spec: { replicas: 5, list: [0, 1, 3, 4], copied: 5 }, "a/b": {}, moved: 1 });
  assert.deepEqual(doc.spec.list, [1, 2, 3], "the input is not changed");
  assert.throws(
    () => jsonPatch(doc, [{ op: "test", path: "/spec/replicas", value: 3 }]),
    (e: unknown) => e instanceof PatchError && e.kind === "invalid" && /test failed/.test(e.message),
  );
  assert.throws(
    () => jsonPatch(doc, [{ op: "replace", path: "/spec/missing/x", value: 1 }]),
    (e: unknown) => e instanceof PatchError && e.kind === "invalid",
  );
  assert.throws(() => jsonPatch(doc, [{ op: "remove", path: "/spec/list/7" }]), PatchError);
  assert.throws(
    () => jsonPatch(doc, { op: "add" }),
    (e: unknown) => e instanceof PatchError && e.kind === "bad",
  );
  assert.throws(
    () => jsonPatch(doc, [{ op: "frobnicate", path: "/x" }]),
    (e: unknown) => e instanceof PatchError && e.kind === "bad",
  );
});

test("applyPatch refuses a merge patch that is not an object; jsonEqual ignores key order only", () => {
  assert.throws(
    () => applyPatch("merge", {}, [1]),
    (e: unknown) => e instanceof PatchError && e.kind === "bad",
  );
  assert.ok(jsonEqual({ a: 1, b: { c: [1, { d: 2, e: 3 }] } }, { b: { c: [1, { e: 3, d: 2 }] }, a: 1 }));
  assert.ok(!jsonEqual({ a: [1, 2] }, { a: [2, 1] }));
});
