// Ctrl-S's save effect as the CLI carries it out: a file in the dump directory, mode 0600, its path as the result.
import assert from "node:assert/strict";
import { EventEmitter } from "node:events";
import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { dumpDir, saveText } from "../../../src/cli/save.ts";
import { runApp } from "../../../src/cli/ui.ts";
import { makePod, StaticRepository } from "../../../src/repository/static-repository.ts";

test("saveText writes the file (name only, no directory part) with mode 0600 and resolves its path", async (t) => {
  const dir = join(mkdtempSync(join(tmpdir(), "timoneiro-save-")), "nested");
  t.after(() => rmSync(join(dir, ".."), { recursive: true, force: true }));
  const path = await saveText("../ctx-pods-shop-api-20260101T120000Z.yaml", "kind: Pod\n", dir);
  assert.equal(path, join(dir, "ctx-pods-shop-api-20260101T120000Z.yaml"));
  assert.equal(readFileSync(path, "utf8"), "kind: Pod\n");
  if (process.platform !== "win32") assert.equal(statSync(path).mode & 0o777, 0o600);
});

test("the dump directory is $TIMONEIRO_DUMP_DIR, else the OS tmp dir + timoneiro/", () => {
  assert.equal(dumpDir({ TIMONEIRO_DUMP_DIR: "/x/dumps" }), "/x/dumps");
  assert.equal(dumpDir({}), join(tmpdir(), "timoneiro"));
});

class FakeInput extends EventEmitter {
  setEncoding() {}
  type(data: string) {
    this.emit("data", data);
  }
}
class FakeOutput extends EventEmitter {
  columns = 100;
  rows = 12;
  written = "";
  write(data: string) {
    this.written += data;
    return true;
  }
}

test("y then Ctrl-S in the app saves the YAML under the dump directory and says where", async (t) => {
  const dir = mkdtempSync(join(tmpdir(), "timoneiro-save-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const NOW = Date.UTC(2026, 0, 1, 12, 0, 0);
  const repo = new StaticRepository({
    contextName: "ctx",
    pods: [makePod({ namespace: "shop", name: "api", createdAt: NOW - 1000 })],
    now: () => NOW,
  });
  const stdin = new FakeInput();
  const stdout = new FakeOutput();
  let saved: () => void = () => {};
  const savedFrame = new Promise<void>((resolve) => (saved = resolve));
  const done = runApp(repo, {
    stdin,
    stdout,
    now: () => NOW,
    handleProcessEvents: false,
    dumpDir: dir,
    get: async (path) => ({ apiVersion: "v1", kind: "Pod", metadata: { name: "api", namespace: "shop" }, path }),
    onFrame: () => {
      if (stdout.written.includes("saved to")) saved();
    },
  });
  stdin.type("y");
  await new Promise((resolve) => setImmediate(resolve));
  stdin.type("\x13");
  await savedFrame;
  const file = join(dir, "ctx-pods-shop-api-20260101T120000Z.yaml");
  assert.equal(
    readFileSync(file, "utf8"),
    "apiVersion: v1\nkind: Pod\nmetadata:\n  name: api\n  namespace: shop\npath: /api/v1/namespaces/shop/pods/api\n",
  );
  assert.ok(stdout.written.includes("saved to"));
  stdin.type("q");
  assert.equal(await done, 0);
});
