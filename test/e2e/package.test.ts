// The package as a user gets it: `npm pack`, installed into a clean prefix, runs on Node 22 and on Node 24 —
// `timoneiro --version`, `kubectl-timoneiro --version`, and the demo in a real pseudo-terminal. Node 22 comes from
// the npm registry (the `node` package), as the project's own Node 24 does.
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { after, afterEach, before, test } from "node:test";
import { killAll, spawnApp } from "./pty.ts";

const root = join(import.meta.dirname, "../..");
const NODE_22 = "22.23.3";
let work = "";
let prefix = "";
const nodes: { name: string; bin: string }[] = [];

before(() => {
  if (!existsSync(join(root, "dist/timoneiro.js")))
    throw new Error("dist/timoneiro.js is missing: run `npm run build`");
  work = mkdtempSync(join(tmpdir(), "timoneiro-package-"));
  // --ignore-scripts: dist/ is built already (npm test builds first), and a rebuild would pull it from under the other
  // end-to-end tests running beside this one.
  execFileSync("npm", ["pack", "--ignore-scripts", "--silent", "--pack-destination", work], { cwd: root });
  const tarball = readdirSync(work).find((f) => f.endsWith(".tgz"));
  assert.ok(tarball, "npm pack made a tarball");
  prefix = join(work, "prefix");
  const npm = ["--no-audit", "--no-fund", "--loglevel=error"];
  execFileSync("npm", ["install", "-g", "--prefix", prefix, ...npm, join(work, tarball)], { cwd: work });
  execFileSync("npm", ["install", "--prefix", join(work, "node22"), "--no-save", ...npm, `node@${NODE_22}`], {
    cwd: work,
  });
  nodes.push({ name: "Node 22", bin: join(work, "node22/node_modules/.bin") });
  nodes.push({ name: "Node 24", bin: dirname(process.execPath) });
});

afterEach(() => killAll());
after(() => rmSync(work, { recursive: true, force: true }));

/** Runs an installed command with `bin` first on PATH, so its `#!/usr/bin/env node` finds that Node. */
function run(bin: string, command: string, args: string[]) {
  return spawnSync("/usr/bin/env", [`PATH=${bin}:${join(prefix, "bin")}:/usr/bin:/bin`, command, ...args], {
    encoding: "utf8",
    timeout: 30_000,
  });
}

test("the tarball holds the bundle and no dependencies to install", () => {
  const installed = join(prefix, "lib/node_modules/timoneiro");
  assert.ok(existsSync(join(installed, "dist/timoneiro.js")));
  assert.ok(!existsSync(join(installed, "node_modules")), "the bundle needs nothing at run time");
});

for (const index of [0, 1]) {
  test(`installed, on ${index === 0 ? "Node 22" : "Node 24"}: --version, the kubectl plugin name, the demo`, async () => {
    const node = nodes[index] as { name: string; bin: string };
    const version = run(node.bin, "node", ["--version"]).stdout.trim();
    assert.match(version, index === 0 ? /^v22\./ : /^v24\./, `the ${node.name} under test`);
    for (const command of ["timoneiro", "kubectl-timoneiro"]) {
      const result = run(node.bin, command, ["--version"]);
      assert.equal(result.status, 0, `${command}: ${result.stderr}`);
      assert.match(result.stdout, /^timoneiro \d+\.\d+\.\d+\n$/);
    }
    const app = spawnApp(
      "/usr/bin/env",
      [`PATH=${node.bin}:${join(prefix, "bin")}:/usr/bin:/bin`, "timoneiro", "--demo", "--pods", "300"],
      120,
      30,
    );
    await app.waitFor(
      (s) => /Pods [1-9][\d,]* of [\d,]+/.test(s[0] ?? "") && /pods ✓/.test(s[2] ?? ""),
      "demo",
      60_000,
    );
    app.write("q");
    assert.equal(await app.exited, 0);
  });
}
