// The "terminal" case of cli/ui.ts without a session (a static repository): the app's effect is answered at once
// with an exited message that says why, and the UI stays as it is.
import assert from "node:assert/strict";
import { EventEmitter } from "node:events";
import { test } from "node:test";
import { runApp } from "../../../src/cli/ui.ts";
import { makePod, StaticRepository } from "../../../src/repository/static-repository.ts";

class FakeInput extends EventEmitter {
  setEncoding() {}
  type(data: string) {
    this.emit("data", data);
  }
}
class FakeOutput extends EventEmitter {
  columns = 120;
  rows = 20;
  written = "";
  write(data: string) {
    this.written += data;
    return true;
  }
}

async function until(what: string, cond: () => boolean): Promise<void> {
  for (let i = 0; i < 300 && !cond(); i++) await new Promise((r) => setTimeout(r, 10));
  assert.ok(cond(), `timed out waiting for ${what}`);
}

test("s without an API server: the message line says so and the terminal is not handed over", async () => {
  const repo = new StaticRepository({
    contextName: "static",
    pods: [makePod({ namespace: "shop", name: "api-1", createdAt: Date.now() - 60_000 })],
  });
  const stdin = new FakeInput();
  const stdout = new FakeOutput();
  const pod = {
    metadata: { namespace: "shop", name: "api-1" },
    spec: { containers: [{ name: "web", image: "shop/api:1" }] },
    status: { containerStatuses: [{ name: "web", ready: true, restartCount: 0, state: { running: {} } }] },
  };
  const done = runApp(repo, { stdin, stdout, handleProcessEvents: false, get: async () => pod });
  await until("the pod's row", () => stdout.written.includes("api-1"));
  stdin.type("\r");
  await until("its container", () => stdout.written.includes("shop/api:1"));
  const before = stdout.written.length;
  stdin.type("s");
  await until("the message", () => stdout.written.includes("shell on api-1/web: no API server behind this repository"));
  assert.ok(!stdout.written.slice(before).includes("\x1b[?1049l"), "the UI never left the screen");
  stdin.type("q");
  assert.equal(await done, 0);
});
