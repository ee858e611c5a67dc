import assert from "node:assert/strict";
import { EventEmitter } from "node:events";
import { test } from "node:test";
import { type AppRunOptions, runApp } from "../../../src/cli/ui.ts";
import { makePod, StaticRepository } from "../../../src/repository/static-repository.ts";
import { RESTORE_TERMINAL, SETUP_TERMINAL } from "../../../src/tui/ansi.ts";
import type { FrameInfo } from "../../../src/tui/run.ts";

const NOW = Date.UTC(2026, 0, 1);

class FakeInput extends EventEmitter {
  isTTY = true;
  rawMode: boolean[] = [];
  paused = false;
  setEncoding() {}
  resume() {
    this.paused = false;
  }
  pause() {
    this.paused = true;
  }
  setRawMode(mode: boolean) {
    this.rawMode.push(mode);
  }
  type(data: string) {
    this.emit("data", data);
  }
}

class FakeOutput extends EventEmitter {
  columns = 100;
  rows = 10;
  written = "";
  write(data: string) {
    this.written += data;
    return true;
  }
}

function start(extra: Partial<AppRunOptions> = {}) {
  const repo = new StaticRepository({
    pods: [makePod({ name: "a", createdAt: NOW - 1000 }), makePod({ name: "b", createdAt: NOW - 2000 })],
    now: () => NOW,
  });
  const stdin = new FakeInput();
  const stdout = new FakeOutput();
  const frames: FrameInfo[] = [];
  let frameWaiter: (() => void) | null = null;
  const exits: number[] = [];
  const done = runApp(repo, {
    stdin,
    stdout,
    now: () => NOW,
    handleProcessEvents: false,
    onExit: (code) => exits.push(code),
    onFrame: (f) => {
      frames.push(f);
      frameWaiter?.();
    },
    ...extra,
  });
  const nextFrame = () => new Promise<void>((resolve) => (frameWaiter = resolve));
  return { repo, stdin, stdout, frames, exits, done, nextFrame };
}

test("enters the terminal, paints, and on q restores it, unsubscribes and resolves 0", async () => {
  const { repo, stdin, stdout, frames, exits, done } = start();
  assert.ok(stdout.written.startsWith(SETUP_TERMINAL));
  assert.deepEqual(stdin.rawMode, [true]);
  assert.equal(frames.length, 1);
  assert.equal(frames[0]?.cause, "start");
  assert.ok(stdout.written.includes("\x1b[?2026l"));
  assert.equal(repo.listenerCount, 1);
  assert.equal(repo.holders({ kind: "pods" }), 1, "the pods view holds its informer");
  stdin.type("q");
  assert.equal(await done, 0);
  assert.ok(stdout.written.endsWith(RESTORE_TERMINAL));
  assert.deepEqual(stdin.rawMode, [true, false]);
  assert.equal(stdin.paused, true);
  assert.equal(repo.listenerCount, 0);
  assert.equal(repo.holdCount, 0, "the views' informers are released");
  assert.equal(repo.stopped, false, "the repository belongs to the caller");
  assert.deepEqual(exits, [0]);
});

test("Ctrl-C quits with 0", async () => {
  const { stdin, done } = start();
  stdin.type("\x03");
  assert.equal(await done, 0);
});

test("a key repaints only the lines it changed", async () => {
  const { stdin, frames, done } = start();
  stdin.type("j");
  assert.equal(frames.length, 2);
  assert.equal(frames[1]?.cause, "input");
  assert.equal(frames[1]?.linesWritten, 2, "the old and the new selected row");
  stdin.type("q");
  await done;
});

test("repository changes in a burst are painted once", async () => {
  const { repo, stdin, frames, done, nextFrame } = start({ minDataIntervalMs: 20 });
  const painted = nextFrame();
  for (let i = 0; i < 5; i++) repo.setPods([makePod({ name: `n${i}`, createdAt: NOW })]);
  await painted;
  await new Promise((r) => setTimeout(r, 60));
  assert.deepEqual(frames.filter((f) => f.cause === "data").length, 1, "five synchronous changes make one data frame");
  stdin.type("q");
  await done;
});

test("a lone ESC becomes Escape after the timeout and clears the filter", async () => {
  const { stdin, stdout, done, nextFrame } = start({ escapeTimeoutMs: 5 });
  stdin.type("/zzz");
  assert.ok(stdout.written.includes("No pods match"));
  const cleared = nextFrame();
  stdin.type("\x1b");
  await cleared;
  assert.ok(stdout.written.endsWith("\x1b[?2026l"));
  const tail = stdout.written.slice(stdout.written.lastIndexOf("\x1b[?2026h"));
  assert.ok(tail.includes("default"), "rows are back");
  stdin.type("q");
  await done;
});

test("resize repaints the whole screen at the new size", async () => {
  const { stdin, stdout, frames, done } = start();
  stdout.columns = 60;
  stdout.rows = 6;
  stdout.emit("resize");
  const last = frames.at(-1);
  assert.equal(last?.cause, "resize");
  assert.equal(last?.linesWritten, 6);
  stdin.type("q");
  await done;
});

test("SIGTERM restores the terminal and resolves 143", async () => {
  const before = process.listenerCount("SIGTERM");
  const { stdout, done } = start({ handleProcessEvents: true });
  assert.equal(process.listenerCount("SIGTERM"), before + 1);
  process.emit("SIGTERM", "SIGTERM");
  assert.equal(await done, 143);
  assert.ok(stdout.written.endsWith(RESTORE_TERMINAL));
  assert.equal(process.listenerCount("SIGTERM"), before, "handlers are removed");
});

test("an exception restores the terminal first, then prints the error, and resolves 1", async () => {
  const { repo, stdout, done } = start();
  const order: string[] = [];
  const originalWrite = stdout.write.bind(stdout);
  stdout.write = (data: string) => {
    if (data === RESTORE_TERMINAL) order.push("restore");
    return originalWrite(data);
  };
  const stderrWrite = process.stderr.write;
  process.stderr.write = ((chunk: string) => {
    order.push(`stderr:${chunk.split("\n")[0]}`);
    return true;
  }) as typeof process.stderr.write;
  try {
    repo.statuses = () => {
      throw new Error("boom");
    };
    repo.emit();
    assert.equal(await done, 1);
  } finally {
    process.stderr.write = stderrWrite;
  }
  assert.deepEqual(order, ["restore", "stderr:timoneiro: Error: boom"]);
});

test("the end of input (terminal gone) ends the UI like a hang-up", async () => {
  const { stdin, done } = start();
  stdin.emit("end");
  assert.equal(await done, 129);
});

test("Ctrl-L repaints every line", async () => {
  const { stdin, frames, done } = start();
  stdin.type("\x0c");
  assert.equal(frames.at(-1)?.linesWritten, 10);
  stdin.type("q");
  await done;
});

test("Ctrl-Z gives the terminal back and stops; SIGCONT takes it again and repaints", async () => {
  let stops = 0;
  const { stdin, stdout, frames, done } = start({ suspendProcess: () => stops++ });
  stdin.type("\x1a");
  assert.equal(stops, 1);
  assert.ok(stdout.written.endsWith(RESTORE_TERMINAL));
  assert.deepEqual(stdin.rawMode, [true, false]);
  process.emit("SIGCONT", "SIGCONT");
  assert.ok(stdout.written.includes(RESTORE_TERMINAL + SETUP_TERMINAL));
  assert.deepEqual(stdin.rawMode, [true, false, true]);
  assert.equal(frames.at(-1)?.linesWritten, 10, "the whole screen is painted again");
  stdin.type("q");
  assert.equal(await done, 0);
  assert.equal(process.listenerCount("SIGCONT"), 0);
});

test("mouse reporting: on at start, the mouse effect turns it off and on, the restore always turns it off", async () => {
  const { ENABLE_MOUSE, DISABLE_MOUSE } = await import("../../../src/tui/ansi.ts");
  const { stdin, stdout, done } = start();
  assert.ok(stdout.written.startsWith(SETUP_TERMINAL + ENABLE_MOUSE));
  stdout.written = "";
  stdin.type("\x0f"); // Ctrl-O
  assert.ok(stdout.written.includes(DISABLE_MOUSE));
  assert.ok(!stdout.written.includes(ENABLE_MOUSE));
  stdout.written = "";
  stdin.type("\x0f");
  assert.ok(stdout.written.includes(ENABLE_MOUSE));
  stdin.type("q");
  assert.equal(await done, 0);
  assert.ok(stdout.written.endsWith(RESTORE_TERMINAL));
  assert.ok(RESTORE_TERMINAL.includes(DISABLE_MOUSE));
});

test("mouse events reach the program stamped with the runtime's clock: a double click opens the row", async () => {
  const { stdin, stdout, done } = start();
  // Row "a" is the first under the column header (3 header lines, then the column names): screen line 5, 1-based.
  assert.doesNotMatch(stdout.written, /Containers/);
  stdin.type("\x1b[<0;3;5M\x1b[<0;3;5m\x1b[<0;3;5M");
  assert.match(stdout.written, /Containers/);
  stdin.type("\x03");
  await done;
});
