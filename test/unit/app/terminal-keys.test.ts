// `s` and `a`: a shell or attach on a pod's default container or on one container of the containers view, as the
// app's "terminal" effect; not offered read-only; the session's end named on the message line.
import assert from "node:assert/strict";
import { test } from "node:test";
import { newRootModel, update, view } from "../../../src/app/root.ts";
import { terminalBindings, terminalId } from "../../../src/app/terminal-keys.ts";
import { ContainersView } from "../../../src/app/views/containers.ts";
import { makePod, StaticRepository } from "../../../src/repository/static-repository.ts";
import { NOW, plain, send } from "./helpers.ts";

const press = (name: string) => ({ type: "key" as const, name, ctrl: false, alt: false, shift: false });

test("the pod's bindings: s a shell, a attach, on its default container; none read-only", () => {
  const v = {} as ContainersView;
  const pod = { namespace: "shop", name: "api-1" };
  const bindings = terminalBindings(v, pod, { readOnly: false });
  assert.deepEqual(
    bindings.map((b) => b.keys[0]?.name),
    ["s", "a"],
  );
  const [same, actions] = bindings[0]!.run();
  assert.equal(same, v);
  assert.deepEqual(actions, [
    {
      type: "effect",
      effect: {
        type: "terminal",
        id: "shell on api-1",
        target: { mode: "shell", namespace: "shop", pod: "api-1", container: undefined },
      },
    },
  ]);
  assert.deepEqual(bindings[1]!.run()[1], [
    {
      type: "effect",
      effect: {
        type: "terminal",
        id: "attach to api-1",
        target: { mode: "attach", namespace: "shop", pod: "api-1", container: undefined },
      },
    },
  ]);
  assert.deepEqual(terminalBindings(v, pod, { readOnly: true }), []);
  assert.equal(terminalId({ mode: "shell", namespace: "x", pod: "api-1", container: "web" }), "shell on api-1/web");
});

test("containers view: s on the selected container opens its shell; the end is named on the message line", () => {
  const repo = new StaticRepository({
    contextName: "ctx",
    clusterName: "cl",
    now: () => NOW,
    pods: [makePod({ namespace: "shop", name: "api-1", createdAt: NOW - 1000 })],
  });
  const model = newRootModel(repo, { width: 120, height: 16, now: NOW });
  const [opened, effects] = update(model, press("enter"));
  assert.ok(opened.stack.at(-1) instanceof ContainersView);
  const id = (effects[0] as { id: string }).id;
  const pod = {
    spec: {
      containers: [
        { name: "web", image: "shop/api:1" },
        { name: "proxy", image: "envoy" },
      ],
    },
    status: {
      containerStatuses: [
        { name: "web", ready: true, restartCount: 0, state: { running: {} } },
        { name: "proxy", ready: true, restartCount: 0, state: { running: {} } },
      ],
    },
  };
  const filled = send(opened, { type: "result", id, value: pod }, press("down"));
  const [, shell] = update(filled, press("s"));
  assert.deepEqual(shell, [
    {
      type: "terminal",
      id: "shell on api-1/proxy",
      target: { mode: "shell", namespace: "shop", pod: "api-1", container: "proxy" },
    },
  ]);
  const [, attach] = update(filled, press("a"));
  assert.equal((attach[0] as { id: string }).id, "attach to api-1/proxy");
  const ended = send(filled, { type: "exited", id: "shell on api-1/proxy", code: 3 });
  assert.match(plain(view(ended)).join("\n"), /shell on api-1\/proxy: ended \(exit 3\)/);
});
