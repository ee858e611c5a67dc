import assert from "node:assert/strict";
import { test } from "node:test";

test("runs on the project's Node 24 LTS, not the system Node", () => {
  console.log(`node ${process.version}`);
  const major = Number(process.version.slice(1).split(".")[0]);
  assert.ok(major >= 24, `expected Node >= 24, got ${process.version}`);
});
