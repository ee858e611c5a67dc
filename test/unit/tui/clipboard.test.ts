// The runtime's clipboard effect: OSC 52 with the text's UTF-8 in base64, written to the terminal.
import assert from "node:assert/strict";
import { EventEmitter } from "node:events";
import { test } from "node:test";
import { type Program, runProgram } from "../../../src/tui/run.ts";

class FakeInput extends EventEmitter {
  setEncoding() {}
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

test("a clipboard effect writes ESC ] 52 ; c ; <base64> BEL to the terminal, and nothing goes to perform", async () => {
  const performed: unknown[] = [];
  const program: Program<number, { type: "none" }, never> = {
    init: () => 0,
    update: (model, msg) => {
      if (msg.type === "key" && msg.name === "c") return [model + 1, [{ type: "clipboard", text: "héllo\nworld" }]];
      if (msg.type === "key" && msg.name === "q") return [model, [{ type: "quit", code: 0 }]];
      return [model, []];
    },
    view: (model) => [`copies: ${model}`],
  };
  const stdin = new FakeInput();
  const stdout = new FakeOutput();
  const done = runProgram(program, {
    stdin,
    stdout,
    perform: (effect) => performed.push(effect),
    now: () => 0,
    handleProcessEvents: false,
  });
  const before = stdout.written.length;
  stdin.type("c");
  const osc = `\x1b]52;c;${Buffer.from("héllo\nworld", "utf8").toString("base64")}\x07`;
  assert.ok(stdout.written.slice(before).includes(osc), "the OSC 52 sequence is written");
  assert.equal(Buffer.from("aMOpbGxvCndvcmxk", "base64").toString("utf8"), "héllo\nworld");
  assert.ok(stdout.written.includes("aMOpbGxvCndvcmxk"));
  stdin.type("q");
  assert.equal(await done, 0);
  assert.deepEqual(performed, []);
});
