// runUi in a real pseudo-terminal, over a StaticRepository (test/e2e/static-ui-driver.ts): what a person sees, and
// that the terminal is always given back as it was.
import assert from "node:assert/strict";
import { join } from "node:path";
import { afterEach, test } from "node:test";
import { killAll, spawnApp } from "./pty.ts";

afterEach(killAll);

const driver = join(import.meta.dirname, "static-ui-driver.ts");

function start(args: string[] = [], cols = 120, rows = 30) {
  return spawnApp(process.execPath, [driver, "--pods", "500", ...args], cols, rows);
}

/** The terminal is back to normal: main screen, cursor shown, bracketed paste off. */
function assertRestored(app: ReturnType<typeof start>) {
  assert.equal(app.term.buffer.active.type, "normal");
  assert.equal(app.term.modes.bracketedPasteMode, false);
  const out = app.output();
  assert.ok(out.lastIndexOf("\x1b[?25h") > out.lastIndexOf("\x1b[?25l"), "cursor shown again");
  assert.ok(out.lastIndexOf("\x1b[?1049l") > out.lastIndexOf("\x1b[?1049h"), "alternate screen left");
}

test("shows the pods table on the alternate screen and quits with q, leaving nothing in scrollback", async () => {
  const app = start();
  const screen = await app.waitForText("Pods 500 of 500");
  assert.equal(app.term.buffer.active.type, "alternate");
  assert.match(screen[0] ?? "", /Timoneiro {2}context static-ctx {2}cluster static-cluster {2}namespace all/);
  assert.match(screen[2] ?? "", /pods ✓ 500/);
  // A percentage that fits in the room IP left may show too (hidden columns that fit come back).
  assert.match(
    screen[3] ?? "",
    /^NAMESPACE\s+NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE\s+CPU\s+MEM\s+(%\S+\s+)*NODE\s+▶$/,
  );
  assert.equal(app.term.modes.bracketedPasteMode, true);
  assert.ok(app.output().includes("\x1b[?25l"), "cursor hidden");
  assert.ok(!app.output().includes("\x1b[2J"), "no full-screen clear");
  app.write("q");
  assert.equal(await app.exited, 0);
  await app.screen();
  assertRestored(app);
  const normal = app.term.buffer.normal;
  let text = "";
  for (let i = 0; i < normal.length; i++) text += normal.getLine(i)?.translateToString(true) ?? "";
  assert.equal(text.trim(), "", "the main screen and its scrollback stay empty");
});

test("typing a filter narrows the rows, Backspace and paste edit it, Esc clears it", async () => {
  const app = start();
  await app.waitForText("Pods 500 of 500");
  const frameBytes: number[] = [];
  for (const ch of "/crash") {
    const frame = app.nextFrame();
    app.write(ch);
    frameBytes.push(Buffer.byteLength(await frame));
  }
  console.log(`bytes per frame while typing "/crash" (120x30): ${frameBytes.join(", ")}`);
  let screen = await app.waitFor((s) => /Pods \d+ of 500/.test(s[0] ?? "") && !s[0]?.includes("500 of"), "filter");
  const rows = screen.slice(4, -1).filter((l) => l.trim() !== "");
  assert.ok(rows.length > 0);
  for (const row of rows) assert.match(row, /CrashLoopBackOff/);
  assert.match(screen.at(-1) ?? "", /^\/crash/);
  app.write("\x7f\x7f\x7f\x7f");
  await app.waitFor((s) => /^\/c\s/.test(s.at(-1) ?? ""), "backspace");
  app.write("\x15"); // Ctrl-U
  app.write("\x1b[200~payments\x1b[201~");
  screen = await app.waitFor((s) => /^\/payments/.test(s.at(-1) ?? ""), "pasted filter");
  for (const row of screen.slice(4, -1).filter((l) => l.trim() !== "")) assert.match(row, /^payments /);
  app.write("\r");
  await app.waitForText("filter payments");
  app.write("\x1b");
  await app.waitForText("Pods 500 of 500");
  app.write("q");
  assert.equal(await app.exited, 0);
});

test("cursor keys move the selection; help and the command line open and close", async () => {
  // A fixed clock: an AGE tick landing just before the key would otherwise be the frame measured.
  const app = start(["--now", String(Date.now())]);
  await app.waitForText("Pods 500 of 500");
  const frame = app.nextFrame();
  app.write("j");
  const bytes = Buffer.byteLength(await frame);
  console.log(`bytes for one cursor move (120x30): ${bytes}`);
  assert.ok(bytes < 1000, `moving the cursor rewrites two lines, not the screen (${bytes} bytes)`);
  app.write("?");
  await app.waitForText("Keys (Esc or ? closes)");
  app.write("\x1b");
  await app.waitForText("NAMESPACE");
  app.write(":bogus\r");
  await app.waitForText('unknown resource "bogus"');
  app.write(":q\r");
  assert.equal(await app.exited, 0);
  assertRestored(app);
});

test("a narrower terminal hides NODE and IP after a resize", async () => {
  const app = start([], 200, 20);
  await app.waitFor((s) => /NODE\s+IP$/.test(s[3] ?? ""), "wide header");
  app.resize(80, 20);
  const screen = await app.waitFor((s) => !(s[3] ?? "").includes("NODE"), "narrow header");
  assert.match(screen[3] ?? "", /NAME/);
  for (const line of screen) assert.ok(line.length <= 80);
  app.write("\x03");
  assert.equal(await app.exited, 0);
});

test("SIGTERM restores the terminal", async () => {
  const app = start();
  await app.waitForText("Pods 500 of 500");
  app.kill("SIGTERM");
  assert.equal(await app.exited, 143);
  await app.screen();
  assertRestored(app);
});

test("an uncaught error restores the terminal, then prints the error", async () => {
  const app = start(["--crash", "300"]);
  await app.waitForText("Pods 500 of 500");
  assert.equal(await app.exited, 1);
  const screen = await app.screen();
  assertRestored(app);
  assert.ok(screen.join("\n").includes("driver crash on purpose"), "the error is on the main screen");
});

test("a failing pods resource keeps the rows and says how old they are", async () => {
  const app = start(["--error", "connection refused"]);
  const screen = await app.waitForText("connection refused");
  assert.match(screen[2] ?? "", /pods ✗ connection refused · data from 2m5s ago/);
  assert.match(screen[4] ?? "", /\S/);
  app.write("q");
  assert.equal(await app.exited, 0);
});

test("Ctrl-Z without a job-control shell gives the terminal back, then takes it again", async () => {
  const app = start();
  await app.waitForText("Pods 500 of 500");
  const before = app.output().length;
  app.write("\x1a");
  // Under node-pty the program leads its own session, so the kernel discards the stop; the UI returns by itself.
  await app.waitFor(() => app.output().indexOf("\x1b[?1049l", before) >= 0, "terminal restored");
  await app.waitFor(
    () => app.output().indexOf("\x1b[?1049h", before) >= 0 && app.term.buffer.active.type === "alternate",
    "UI back",
  );
  await app.waitForText("Pods 500 of 500");
  app.write("q");
  assert.equal(await app.exited, 0);
});
