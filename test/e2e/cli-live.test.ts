// The built CLI in a real pseudo-terminal against a simulator this test drives: the cursor stays on its pod while
// newer pods push it down, lands on the row that took its place when its pod is deleted, Ctrl-C restores the
// terminal; and the start-up failures (no terminal, unreachable server) are one line with a non-zero exit code.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, afterEach, before, test } from "node:test";
import { type SimServer, startSimServer } from "../../src/sim/index.ts";
import { killAll, type PtyApp, spawnApp } from "./pty.ts";

const dist = join(import.meta.dirname, "../../dist");
let workDir = "";
let cli = "";
let sim: SimServer;
let kubeconfig = "";

before(async () => {
  if (!existsSync(join(dist, "timoneiro.js"))) throw new Error("dist/timoneiro.js is missing: run `npm run build`");
  workDir = mkdtempSync(join(tmpdir(), "timoneiro-e2e-live-"));
  cpSync(dist, join(workDir, "dist"), { recursive: true }); // other work may rebuild dist/ meanwhile
  cli = join(workDir, "dist/timoneiro.js");
  sim = await startSimServer({ pods: 200, seed: 11, churn: 0 });
  kubeconfig = join(workDir, "kubeconfig");
  writeFileSync(kubeconfig, sim.kubeconfig("timoneiro-sim"));
});

afterEach(() => killAll());
after(async () => {
  await sim.stop();
  rmSync(workDir, { recursive: true, force: true });
});

/** The selected row (drawn in reverse video) as [screen row, pod name]. */
function selected(app: PtyApp): [number, string] | undefined {
  const buffer = app.term.buffer.active;
  for (let y = 3; y < app.term.rows; y++) {
    const line = buffer.getLine(buffer.viewportY + y);
    if (line?.getCell(2)?.isInverse()) {
      const text = line.translateToString(true);
      return [y, text.trim().split(/\s+/)[1] ?? ""];
    }
  }
  return undefined;
}

test("the cursor stays on its pod while newer pods arrive, and takes the next row when its pod is deleted", async () => {
  const app = spawnApp(process.execPath, [cli, "--kubeconfig", kubeconfig], 120, 30);
  // The table's own count too: the header's status can say synced a moment before the table has the last page.
  await app.waitFor(
    (s) => /pods ✓ 200/.test(s[2] ?? "") && /Pods 200 of 200/.test(s[0] ?? ""),
    "200 pods synced and shown",
    60_000,
  );
  app.write("jjjj");
  await app.waitFor(() => selected(app)?.[0] === 8, "cursor on the 5th row");
  const [, pod] = selected(app)!;
  const below = (await app.screen())[9]!.trim().split(/\s+/)[1]!;

  for (let i = 0; i < 3; i++) sim.store.createPod(undefined, "Running"); // newest first: they go on top
  await app.waitFor((s) => /Pods 203 of 203/.test(s[0] ?? ""), "3 new pods");
  await app.waitFor(() => selected(app)?.[1] === pod, "cursor still on its pod");
  assert.equal(selected(app)?.[0], 11, "its row moved down by 3 with it");

  const namespace = sim.store.list("pods").find((p) => p.metadata?.name === pod)!.metadata!.namespace!;
  sim.store.delete("pods", namespace, pod);
  await app.waitFor((s) => /Pods 202 of 202/.test(s[0] ?? ""), "pod deleted");
  await app.waitFor(() => selected(app)?.[1] === below, "cursor on the row that took its place");
  assert.equal(selected(app)?.[0], 11, "same place on screen");

  app.write("\x03"); // Ctrl-C
  assert.equal(await app.exited, 0);
  const tail = app.output().slice(-200);
  assert.ok(tail.includes("\x1b[?1049l"), "left the alternate screen");
  assert.ok(tail.includes("\x1b[?25h"), "cursor shown again");
});

test("a k9s user's walk: :deploy → Enter → a pod → Esc → Esc → :ns → Enter → 0 → :ctx → :crd → Enter → a CRD's objects", async () => {
  const app = spawnApp(process.execPath, [cli, "--kubeconfig", kubeconfig], 150, 30);
  const crumbs = (s: string[]) => (s[1] ?? "").trim().split(/\s{2,}/)[0] ?? "";
  await app.waitFor((s) => /pods ✓ [\d,]+/.test(s[2] ?? ""), "pods synced", 60_000);
  app.write(":deploy\r");
  const deployments = await app.waitFor(
    (s) => /Deployments [1-9]\d* of \d+/.test(s[0] ?? "") && /^NAMESPACE\s+NAME\s+READY\s+UP-TO-DATE/.test(s[3] ?? ""),
    "deployments",
  );
  const deployment = deployments[4]!.trim().split(/\s+/)[1]!;
  app.write("\r");
  await app.waitFor(
    (s) => crumbs(s) === `pods › deploy/${deployment} › pods`,
    "the deployment's pods, with breadcrumbs",
  );
  await app.waitFor(
    (s) => new RegExp(`Pods of deploy/${deployment} [1-9]\\d* of \\d+`).test(s[0] ?? ""),
    "its pods counted",
  );
  app.write("\r");
  await app.waitFor(
    (s) => /Containers of /.test(s[0] ?? "") && /^NAME\s+TYPE\s+IMAGE/.test(s[3] ?? ""),
    "a pod's containers",
  );
  app.write("\x1b");
  await app.waitFor((s) => crumbs(s) === `pods › deploy/${deployment} › pods`, "Esc: back to the pods");
  app.write("\x1b");
  await app.waitFor((s) => crumbs(s) === "pods › deployments", "Esc: back to the deployments");
  app.write(":ns\r");
  const namespaces = await app.waitFor((s) => /Namespaces [1-9]\d* of \d+/.test(s[0] ?? ""), "namespaces");
  const namespace = namespaces[4]!.trim().split(/\s+/)[0]!;
  app.write("\r");
  await app.waitFor(
    (s) => new RegExp(`namespace ${namespace}`).test(s[0] ?? "") && /1 \S+/.test(s[1] ?? ""),
    "scoped, listed as 1",
  );
  const scoped = await app.screen();
  assert.match(scoped[3] ?? "", /^NAME\s+READY/, "one namespace in scope: no NAMESPACE column");
  const podsIn = sim.store.list("pods").filter((p) => p.metadata?.namespace === namespace).length;
  assert.match(scoped[0] ?? "", new RegExp(`Pods ${podsIn} of ${podsIn}`), `only ${namespace}'s pods`);
  app.write("0");
  await app.waitFor((s) => /namespace all/.test(s[0] ?? ""), "0: all namespaces");
  app.write("1");
  await app.waitFor((s) => new RegExp(`namespace ${namespace}`).test(s[0] ?? ""), "1: back to the recent one");
  app.write(":ctx\r");
  await app.waitFor((s) => /timoneiro-sim \(current\)/.test(s.join("\n")), "contexts, current marked");
  app.write(":crd\r");
  const screen = await app.waitFor((s) => /^widgets\.demo\.timoneiro\.dev/m.test(s.join("\n")), "CRDs");
  const at = screen.findIndex((l) => l.startsWith("widgets.demo.timoneiro.dev"));
  for (let i = 4; i < at; i++) app.write("j");
  app.write("\r");
  await app.waitFor(
    (s) => /Widgets [1-9]\d* of \d+/.test(s[0] ?? "") && /SIZE/.test(s[3] ?? ""),
    "a CRD's objects with its printer columns",
  );
  app.write("q");
  assert.equal(await app.exited, 0);
});

test("without a terminal: a clear message and exit code 2", () => {
  const result = spawnSync(process.execPath, [cli, "--kubeconfig", kubeconfig], { encoding: "utf8", timeout: 20_000 });
  assert.equal(result.status, 2);
  assert.match(result.stderr, /^timoneiro: not a terminal; .*run it in a terminal/);
});

test("an unreachable server: one line naming it, exit code 1, terminal untouched", async () => {
  const dead = join(workDir, "dead-kubeconfig");
  writeFileSync(dead, sim.kubeconfig("timoneiro-sim").replace(/127\.0\.0\.1:\d+/, "127.0.0.1:9"));
  const app = spawnApp(process.execPath, [cli, "--kubeconfig", dead], 120, 30);
  assert.equal(await app.exited, 1);
  const lines = (await app.screen()).filter((l) => l.trim() !== "");
  assert.match(lines.at(-1) ?? "", /^timoneiro: connection refused by https:\/\/127\.0\.0\.1:9; /);
  assert.ok(!app.output().includes("\x1b[?1049h"), "never entered the alternate screen");
});
