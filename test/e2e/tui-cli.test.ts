// The built CLI (dist/timoneiro.js, made by `npm test`'s build step) in a real pseudo-terminal: the demo cluster,
// and a separate `timoneiro sim` that goes away while the UI is showing its data.
import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, afterEach, before, test } from "node:test";
import { BEGIN_SYNC, END_SYNC, killAll, spawnApp } from "./pty.ts";

const dist = join(import.meta.dirname, "../../dist");
let workDir = "";
let cli = "";

before(() => {
  if (!existsSync(join(dist, "timoneiro.js"))) throw new Error("dist/timoneiro.js is missing: run `npm run build`");
  // A private copy: other work may rebuild dist/ while these tests run.
  workDir = mkdtempSync(join(tmpdir(), "timoneiro-e2e-"));
  cpSync(dist, join(workDir, "dist"), { recursive: true });
  cli = join(workDir, "dist/timoneiro.js");
});

const children: ChildProcess[] = [];
afterEach(() => {
  killAll();
  for (const child of children.splice(0)) child.kill("SIGKILL");
});
after(() => rmSync(workDir, { recursive: true, force: true }));

const countPattern = /Pods ([\d,]+) of ([\d,]+)/;
const counts = (line: string): [shown: number, total: number] | undefined => {
  const m = countPattern.exec(line);
  return m ? [Number(m[1]?.replace(/,/g, "")), Number(m[2]?.replace(/,/g, ""))] : undefined;
};

/** Frames in `output` (complete synchronized-output blocks) and their sizes in bytes. */
function frameSizes(output: string): number[] {
  const sizes: number[] = [];
  let at = 0;
  for (;;) {
    const start = output.indexOf(BEGIN_SYNC, at);
    if (start < 0) break;
    const end = output.indexOf(END_SYNC, start);
    if (end < 0) break;
    sizes.push(Buffer.byteLength(output.slice(start, end + END_SYNC.length)));
    at = end + END_SYNC.length;
  }
  return sizes;
}

test("--demo: pods load, the filter narrows them, :deploy switches kind, :q quits and restores the terminal", async () => {
  const app = spawnApp(process.execPath, [cli, "--demo", "--pods", "2000"], 160, 30);
  let screen = await app.waitFor(
    (s) => /pods ✓/.test(s[2] ?? "") && countPattern.test(s[0] ?? ""),
    "synced pods",
    60_000,
  );
  assert.match(screen[0] ?? "", /context timoneiro-sim {2}cluster timoneiro-sim {2}namespace all/);
  // A percentage that fits in the room IP left may show too (hidden columns that fit come back).
  assert.match(
    screen[3] ?? "",
    /^NAMESPACE\s+NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE\s+CPU\s+MEM\s+(%\S+\s+)*NODE\s+▶$/,
  );
  const [shown, total] = counts(screen[0] ?? "") ?? [];
  assert.equal(shown, total);

  // Idle with churn: frames are coalesced repository changes and clock ticks; record their size.
  const before = app.output().length;
  await new Promise((r) => setTimeout(r, 2000));
  const idle = frameSizes(app.output().slice(before));
  console.log(`demo idle 2 s at 160x30: ${idle.length} frames, bytes ${idle.join(",")}`);

  const namespace = (screen[4] ?? "").split(/\s+/)[0] ?? "";
  app.write(`/${namespace}`);
  await app.waitFor((s) => {
    const c = counts(s[0] ?? "");
    return c !== undefined && c[0] < c[1] && (s.at(-1) ?? "").startsWith(`/${namespace}`);
  }, "filtered count");
  app.write("\r");
  app.write("\x1b");
  await app.waitFor((s) => {
    const c = counts(s[0] ?? "");
    return c !== undefined && c[0] === c[1];
  }, "filter cleared");

  app.write(":deploy\r");
  screen = await app.waitForText("UP-TO-DATE");
  assert.match(screen[0] ?? "", /Deployments [\d,]+ of [\d,]+/);
  app.write(":pods\r");
  await app.waitFor((s) => countPattern.test(s[0] ?? ""), "back to pods");
  app.write(":q\r");
  assert.equal(await app.exited, 0);
  await app.screen();
  assert.equal(app.term.buffer.active.type, "normal");
  assert.equal(app.term.modes.bracketedPasteMode, false);
});

test("sim: when the API server goes away the table keeps its rows and the header says how old they are", async () => {
  const dir = mkdtempSync(join(tmpdir(), "timoneiro-e2e-sim-"));
  const kubeconfig = join(dir, "kubeconfig");
  const sim = spawn(process.execPath, [cli, "sim", "--pods", "300", "--churn", "20", "--kubeconfig-out", kubeconfig], {
    stdio: "ignore",
  });
  children.push(sim);
  try {
    for (let i = 0; i < 300 && !existsSync(kubeconfig); i++) await new Promise((r) => setTimeout(r, 100));
    assert.ok(existsSync(kubeconfig), "the simulator wrote its kubeconfig");
    const app = spawnApp(process.execPath, [cli, "--kubeconfig", kubeconfig], 140, 20);
    await app.waitFor((s) => /pods ✓/.test(s[2] ?? ""), "synced pods", 60_000);
    sim.kill("SIGTERM");
    const screen = await app.waitFor(
      (s) => /pods ✗ .* · data from \S+ ago/.test(s[2] ?? ""),
      "stale-data notice",
      60_000,
    );
    assert.ok((counts(screen[0] ?? "")?.[1] ?? 0) > 250, "the last good rows are still counted");
    assert.match(screen[4] ?? "", /\S+\s+\S+\s+\d+\/\d+/, "and shown");
    app.write("q");
    assert.equal(await app.exited, 0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
