// `timoneiro sim` in the foreground: one stdout line when ready, a kubeconfig on disk, a clean exit on SIGTERM.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { parse } from "yaml";

test("timoneiro sim writes a kubeconfig, prints one line, exits 0 on SIGTERM", async () => {
  const dir = mkdtempSync(join(tmpdir(), "sim-cli-"));
  const out = join(dir, "kubeconfig");
  const cli = new URL("../../../src/sim/cli.ts", import.meta.url).pathname;
  const script = `import { runSimCommand } from ${JSON.stringify(cli)};
    process.exitCode = await runSimCommand(process.argv.slice(1));`;
  const child = spawn(
    process.execPath,
    [
      "--input-type=module",
      "-e",
      script,
      "sim",
      "--pods",
      "20",
      "--seed",
      "5",
      "--kubeconfig-out",
      out,
      "--faults",
      "latency=1ms",
    ],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  let stdout = "";
  child.stdout.setEncoding("utf8").on("data", (c: string) => {
    stdout += c;
  });
  try {
    for (let i = 0; i < 500 && !stdout.includes("\n"); i++) await new Promise((r) => setTimeout(r, 20));
    assert.match(stdout, /^listening on https:\/\/127\.0\.0\.1:\d+\n$/);
    const kc = parse(readFileSync(out, "utf8"));
    assert.equal(kc["current-context"], "timoneiro-sim");
    assert.equal(kc.clusters[0].cluster.server, stdout.trim().slice("listening on ".length));
    assert.ok(kc.clusters[0].cluster["certificate-authority-data"]);
    assert.ok(kc.users[0].user.token);
    const code = new Promise<number | null>((r) => child.on("exit", r));
    child.kill("SIGTERM");
    assert.equal(await code, 0);
    assert.equal(stdout.split("\n").length, 2, "nothing else on stdout");
  } finally {
    child.kill();
    rmSync(dir, { recursive: true, force: true });
  }
});

test("bad flags exit 2 with usage on stderr", async () => {
  const cli = new URL("../../../src/sim/cli.ts", import.meta.url).pathname;
  const script = `import { runSimCommand } from ${JSON.stringify(cli)};
    process.exitCode = await runSimCommand(["--pods", "x"]);`;
  const child = spawn(process.execPath, ["--input-type=module", "-e", script], { stdio: ["ignore", "pipe", "pipe"] });
  let stderr = "";
  child.stderr.setEncoding("utf8").on("data", (c: string) => {
    stderr += c;
  });
  assert.equal(await new Promise((r) => child.on("exit", r)), 2);
  assert.match(stderr, /--pods: "x" is not a number/);
});
