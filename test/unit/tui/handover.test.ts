// The runtime's handover effect: the UI leaves the screen but the terminal stays raw, typed bytes (Ctrl-C among them)
// go to the session, resizes are passed on, and when the session ends the UI is back, repainted at the new size,
// with an exited message; a second handover while one runs is refused and abandoned.
import assert from "node:assert/strict";
import { EventEmitter } from "node:events";
import { test } from "node:test";
import { RESTORE_TERMINAL, SETUP_TERMINAL } from "../../../src/tui/ansi.ts";
import {
  type ExitedMsg,
  type HandoverIO,
  type HandoverSession,
  type Outcome,
  type Program,
  runProgram,
  type TerminalEffect,
} from "../../../src/tui/run.ts";

class FakeInput extends EventEmitter {
  isTTY = true;
  raw: boolean[] = [];
  paused = false;
  setEncoding() {}
  setRawMode(mode: boolean) {
    this.raw.push(mode);
  }
  pause() {
    this.paused = true;
  }
  resume() {
    this.paused = false;
  }
  type(data: string) {
    this.emit("data", data);
  }
}

class FakeOutput extends EventEmitter {
  columns = 40;
  rows = 5;
  written = "";
  write(data: string) {
    this.written += data;
    return true;
  }
}

interface Model {
  size: string;
  exited: ExitedMsg[];
}

/** A session the test drives: what it received, and its end. */
function fakeSession() {
  const got = {
    input: [] as string[],
    sizes: [] as string[],
    abandoned: [] as string[],
    io: undefined as HandoverIO | undefined,
  };
  let end: (outcome: Outcome) => void = () => {};
  const session: HandoverSession = {
    run(io) {
      got.io = io;
      const { width, height } = io.size();
      got.sizes.push(`${width}x${height}`);
      io.onInput((data) => got.input.push(data.toString("utf8")));
      io.onResize((size) => got.sizes.push(`${size.width}x${size.height}`));
      return new Promise((resolve) => {
        end = resolve;
      });
    },
    abandon: (reason) => void got.abandoned.push(reason),
  };
  return { session, got, end: (outcome: Outcome) => end(outcome) };
}

function program(effects: () => TerminalEffect[]): Program<Model, never, never> {
  return {
    init: ({ width, height }) => ({ size: `${width}x${height}`, exited: [] }),
    update: (model, msg) => {
      if (msg.type === "key" && msg.name === "s") return [model, effects()];
      if (msg.type === "resize") return [{ ...model, size: `${msg.width}x${msg.height}` }, []];
      if (msg.type === "exited") return [{ ...model, exited: [...model.exited, msg] }, []];
      if (msg.type === "key" && msg.name === "q") return [model, [{ type: "quit", code: 0 }]];
      return [model, []];
    },
    view: (model) => [`size ${model.size} exited ${model.exited.map((e) => `${e.id}=${e.code}`).join(",")}`],
  };
}

test("handover: raw bytes to the session, resizes passed on, then the UI back at the new size with an exited message", async () => {
  const stdin = new FakeInput();
  const stdout = new FakeOutput();
  const first = fakeSession();
  const done = runProgram(
    program(() => [{ type: "handover", id: "shell", session: first.session }]),
    { stdin, stdout, now: () => 0, handleProcessEvents: false },
  );
  const before = stdout.written.length;
  stdin.type("s");
  assert.ok(first.got.io, "the session runs");
  assert.ok(stdout.written.slice(before).startsWith(RESTORE_TERMINAL), "the UI leaves the screen first");
  assert.deepEqual(stdin.raw, [true], "raw mode stays on: no cooked mode while the session has the terminal");
  assert.equal(stdin.paused, false, "and this process keeps reading the terminal");
  // Ctrl-C and q are the other side's bytes, not a quit.
  stdin.type("ls\r\x03q");
  assert.deepEqual(first.got.input, ["ls\r\x03q"]);
  first.got.io.write(Buffer.from([0xc3]));
  first.got.io.write(Buffer.from([0xa9, 0x21]));
  assert.ok(stdout.written.endsWith("é!"), "output bytes are decoded across writes");
  const during = stdout.written.length;
  stdout.columns = 100;
  stdout.rows = 9;
  stdout.emit("resize");
  assert.deepEqual(first.got.sizes, ["40x5", "100x9"]);
  assert.equal(stdout.written.length, during, "nothing is painted while the session has the terminal");
  first.end({ code: 3 });
  await new Promise((r) => setImmediate(r));
  const after = stdout.written.slice(during);
  assert.ok(after.includes(SETUP_TERMINAL), "the UI takes the screen back");
  assert.match(after, /size 100x9 exited shell=3/);
  stdin.type("q");
  assert.equal(await done, 0);
});

test("handover: refused while another one runs (abandoned, exited with an error); the UI ending aborts the session", async () => {
  const stdin = new FakeInput();
  const stdout = new FakeOutput();
  const first = fakeSession();
  const second = fakeSession();
  let terminal: ((effect: TerminalEffect) => void) | undefined;
  const base = program(() => []);
  const seen: ExitedMsg[] = [];
  const p: Program<Model, { type: "go" }, { type: "connect" }> = {
    ...base,
    update: (model, msg) => {
      if (msg.type === "key" && msg.name === "s") return [model, [{ type: "connect" }]];
      if (msg.type === "exited") seen.push(msg);
      return base.update(model, msg as never);
    },
  };
  const done = runProgram(p, {
    stdin,
    stdout,
    now: () => 0,
    handleProcessEvents: false,
    perform: (_effect, _send, run) => {
      terminal = run;
    },
  });
  stdin.type("s");
  assert.ok(terminal);
  // Later, as a connection opens: the performer hands the terminal over itself.
  terminal({ type: "handover", id: "one", session: first.session });
  assert.ok(first.got.io);
  terminal({ type: "handover", id: "two", session: second.session });
  assert.deepEqual(second.got.abandoned, ["the terminal is in use by another program"]);
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(seen, [
    { type: "exited", id: "two", code: null, error: "the terminal is in use by another program" },
  ]);
  assert.equal(first.got.io.signal.aborted, false);
  stdin.emit("end");
  assert.equal(await done, 129);
  assert.equal(first.got.io.signal.aborted, true, "the session is told to end with the UI");
});
