// The standalone executable (`npm run package`: Node's single executable application): built, it runs --version and
// the demo in a real pseudo-terminal without any Node.js or node_modules around it.
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, afterEach, before, test } from "node:test";
import { killAll, spawnApp } from "./pty.ts";

const root = join(import.meta.dirname, "../..");
let work = "";
let binary = "";

before(() => {
  work = mkdtempSync(join(tmpdir(), "timoneiro-binary-"));
  binary = join(work, "timoneiro");
  execFileSync(process.execPath, [join(root, "scripts/package.ts"), "--out", binary], { cwd: root, stdio: "pipe" });
});

afterEach(() => killAll());
after(() => rmSync(work, { recursive: true, force: true }));

test("the binary prints its version, with no Node.js on PATH", () => {
  const result = spawnSync(binary, ["--version"], { encoding: "utf8", timeout: 20_000, env: { PATH: "/nonexistent" } });
  assert.equal(result.status, 0, result.stderr);
  assert.match(result.stdout, /^timoneiro \d+\.\d+\.\d+\n$/);
  assert.equal(result.stderr, "", "no experimental-feature warning");
});

test("the binary runs the demo in a pty, and q quits", async () => {
  const app = spawnApp(binary, ["--demo", "--pods", "300"], 120, 30);
  await app.waitFor((s) => /Pods [1-9][\d,]* of [\d,]+/.test(s[0] ?? "") && /pods ✓/.test(s[2] ?? ""), "demo", 60_000);
  app.write(":deploy\r");
  await app.waitFor((s) => /Deployments [1-9]\d* of/.test(s[0] ?? ""), "deployments");
  app.write("q");
  assert.equal(await app.exited, 0);
});
