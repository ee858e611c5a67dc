import assert from "node:assert/strict";
import { test } from "node:test";
import { type ProcessFacts, reexecArgv, YOUNG_GENERATION_FLAG } from "../../../src/cli/young-generation.ts";

const facts: ProcessFacts = {
  execPath: "/usr/bin/node",
  execArgv: [],
  argv: ["/usr/bin/node", "/opt/timoneiro/dist/timoneiro.js", "--kubeconfig", "k", "-n", "prod"],
  nodeOptions: undefined,
  platform: "linux",
  canExecve: true,
};

test("restarts with the flag first, then node's own flags, the script and its arguments", () => {
  assert.deepEqual(reexecArgv({ ...facts, execArgv: ["--enable-source-maps"] }), [
    "/usr/bin/node",
    YOUNG_GENERATION_FLAG,
    "--enable-source-maps",
    "/opt/timoneiro/dist/timoneiro.js",
    "--kubeconfig",
    "k",
    "-n",
    "prod",
  ]);
});

test("the restarted process, or a size the user chose, is left alone", () => {
  assert.equal(reexecArgv({ ...facts, execArgv: [YOUNG_GENERATION_FLAG] }), undefined);
  assert.equal(reexecArgv({ ...facts, execArgv: ["--max-semi-space-size=64"] }), undefined);
  assert.equal(reexecArgv({ ...facts, execArgv: ["--max_semi_space_size=2"] }), undefined);
  assert.equal(reexecArgv({ ...facts, nodeOptions: "--trace-gc --max-semi-space-size=32" }), undefined);
  assert.notEqual(reexecArgv({ ...facts, nodeOptions: "--trace-gc" }), undefined);
});

test("no restart where a process cannot replace itself", () => {
  assert.equal(reexecArgv({ ...facts, canExecve: false }), undefined);
  assert.equal(reexecArgv({ ...facts, platform: "win32" }), undefined);
});
