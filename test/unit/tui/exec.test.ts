// The runtime's exec effect: the terminal is handed to a program (restored, stdin paused, nothing painted), then
// taken back and repainted whole; the program hears how it ended.
import assert from "node:assert/strict";
import { EventEmitter } from "node:events";
import { test } from "node:test";
import { RESTORE_TERMINAL, SETUP_TERMINAL } from "../../../src/tui/ansi.ts";
import { type ExitedMsg, type ForegroundRunner, type Program, runProgram } from "../../../src/tui/run.ts";

class FakeInput extends EventEmitter {
  paused = false;
  setEncoding() {}
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
  runs: number;
  exited: ExitedMsg[];
}

test("exec: restore the terminal, run the program, take the terminal back, repaint, then an exited message", async () => {
  const stdin = new FakeInput();
  const stdout = new FakeOutput();
  let finishChild: (outcome: { code: number }) => void = () => {};
  const calls: [string, readonly string[], Readonly<Record<string, string>>][] = [];
  let atStart = "";
  const runForeground: ForegroundRunner = (command, args, env) => {
    calls.push([command, args, env]);
    atStart = stdout.written;
    assert.equal(stdin.paused, true, "our stdin is paused while the program reads the terminal");
    return new Promise((resolve) => {
      finishChild = resolve;
    });
  };
  const program: Program<Model, never, never> = {
    init: () => ({ runs: 0, exited: [] }),
    update: (model, msg) => {
      if (msg.type === "key" && msg.name === "x")
        return [
          { ...model, runs: model.runs + 1 },
          [{ type: "exec", id: "p", command: "stern", args: ["-n", "shop"], env: { KUBECONFIG: "/k" } }],
        ];
      if (msg.type === "exited") return [{ ...model, exited: [...model.exited, msg] }, []];
      if (msg.type === "key" && msg.name === "q") return [model, [{ type: "quit", code: 0 }]];
      return [model, []];
    },
    view: (model) => [`runs ${model.runs} exited ${model.exited.map((e) => e.code).join(",")}`],
  };
  const done = runProgram(program, { stdin, stdout, now: () => 0, handleProcessEvents: false, runForeground });
  stdin.type("x");
  assert.deepEqual(calls, [["stern", ["-n", "shop"], { KUBECONFIG: "/k" }]]);
  assert.ok(atStart.endsWith(RESTORE_TERMINAL), "the terminal is restored before the program runs");
  // While it runs: a second exec is refused, and nothing is painted.
  const during = stdout.written.length;
  stdin.type("x");
  assert.equal(calls.length, 1);
  assert.equal(stdout.written.length, during);
  finishChild({ code: 3 });
  await new Promise((r) => setImmediate(r));
  const after = stdout.written.slice(during);
  assert.ok(after.startsWith(SETUP_TERMINAL), "the terminal is taken back");
  assert.ok(after.includes("exited 3"), "and repainted with the program's outcome");
  assert.equal(stdin.paused, false);
  stdin.type("q");
  assert.equal(await done, 0);
});

test("exec: a program that cannot start is reported as an exited message with its error", async () => {
  const stdin = new FakeInput();
  const stdout = new FakeOutput();
  const seen: ExitedMsg[] = [];
  const program: Program<number, never, never> = {
    init: () => 0,
    update: (model, msg) => {
      if (msg.type === "key" && msg.name === "x")
        return [model, [{ type: "exec", id: "nope", command: "/no/such/program-timoneiro", args: [] }]];
      if (msg.type === "exited") seen.push(msg);
      if (msg.type === "key" && msg.name === "q") return [model, [{ type: "quit", code: 0 }]];
      return [model, []];
    },
    view: () => ["x"],
  };
  const done = runProgram(program, { stdin, stdout, now: () => 0, handleProcessEvents: false });
  stdin.type("x");
  for (let i = 0; i < 100 && seen.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
  assert.equal(seen.length, 1);
  assert.equal(seen[0]?.id, "nope");
  assert.equal(seen[0]?.code, null);
  assert.match(seen[0]?.error ?? "", /ENOENT/);
  stdin.type("q");
  assert.equal(await done, 0);
});
