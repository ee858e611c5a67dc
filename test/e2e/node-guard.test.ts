// On a Node.js older than the supported one, the executable says so in one line and exits 1 — no stack trace.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { nodeIsSupported } from "../../src/cli/node-version.ts";

const cli = join(import.meta.dirname, "../../dist/timoneiro.js");

test("versions: 22.19 and later are supported, older ones are not", () => {
  for (const v of ["22.19.0", "v22.20.1", "23.0.0", "24.21.0", "30.1.2"]) assert.equal(nodeIsSupported(v), true, v);
  for (const v of ["22.18.9", "v20.20.2", "18.19.0", "0.12.0"]) assert.equal(nodeIsSupported(v), false, v);
});

/** The machine's own Node (system Node 20 here), not the project's. */
function oldNode(): { path: string; version: string } | undefined {
  for (const path of ["/usr/bin/node", "/usr/local/bin/node"]) {
    if (!existsSync(path)) continue;
    const version = spawnSync(path, ["--version"], { encoding: "utf8" }).stdout.trim();
    if (version && !nodeIsSupported(version)) return { path, version };
  }
  return undefined;
}

const old = oldNode();

test("the built executable on an old Node prints one line and exits 1", {
  skip: old ? false : "no Node.js older than 22.19 on this machine to run it with",
}, () => {
  const { path, version } = old as { path: string; version: string };
  const result = spawnSync(path, [cli, "--demo"], { encoding: "utf8", timeout: 20_000 });
  assert.equal(result.status, 1);
  assert.equal(result.stdout, "");
  assert.equal(
    result.stderr,
    `timoneiro: needs Node.js ≥ 22.19, this is ${version}; install a current LTS or use the standalone binary\n`,
    "one line, no stack trace",
  );
});

test("on the project's Node the same executable runs", () => {
  const result = spawnSync(process.execPath, [cli, "--version"], { encoding: "utf8", timeout: 20_000 });
  assert.equal(result.status, 0, result.stderr);
  assert.match(result.stdout, /^timoneiro \d+\.\d+\.\d+\n$/);
});
