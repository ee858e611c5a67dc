// cli/ui.ts's port-forward effects on a real session to the simulator: Shift-F, the dialog filled from the pod's
// ports, Enter starts the forward (a request through it reaches the simulator's responder), :pf lists it, a local port
// in use is said in the dialog; the forwards stop when the context switches and when the app ends.
import assert from "node:assert/strict";
import { EventEmitter } from "node:events";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import http from "node:http";
import net from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { openSession } from "../../../src/cli/session.ts";
import { runApp } from "../../../src/cli/ui.ts";
import type { KubeObject } from "../../../src/kube/objects.ts";
import { type SimServer, startSimServer } from "../../../src/sim/index.ts";
import { listeningPorts } from "../../../src/sim/portforward.ts";

class FakeInput extends EventEmitter {
  setEncoding() {}
  type(data: string) {
    this.emit("data", data);
  }
}
class FakeOutput extends EventEmitter {
  columns = 160;
  rows = 24;
  written = "";
  write(data: string) {
    this.written += data;
    return true;
  }
  /** What was written since `from`, without escape sequences. */
  text(from = 0): string {
    return this.written.slice(from).replace(/\x1b\[[0-9;?]*[a-zA-Z]/g, "");
  }
}

let sim: SimServer;
let dir: string;
let pod: KubeObject;

async function until(what: string, cond: () => boolean, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function freePort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, "127.0.0.1", r));
  const port = (s.address() as net.AddressInfo).port;
  await new Promise((r) => s.close(r));
  return port;
}

function get(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    http
      .get({ host: "127.0.0.1", port, path: "/", agent: false }, (res) => {
        let body = "";
        res.on("data", (c: Buffer) => {
          body += c.toString();
        });
        res.on("end", () => resolve(body));
      })
      .on("error", reject);
  });
}

function refused(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect(port, "127.0.0.1", () => {
      s.destroy();
      resolve(false);
    });
    s.on("error", () => resolve(true));
  });
}

before(async () => {
  sim = await startSimServer({ pods: 40, seed: 7 });
  const found = sim.store
    .list("pods")
    .find(
      (p) =>
        (p.status as { phase?: string }).phase === "Running" &&
        !p.metadata?.deletionTimestamp &&
        listeningPorts(p).size > 0,
    );
  assert.ok(found, "a running pod that declares a port");
  pod = found;
  dir = mkdtempSync(join(tmpdir(), "timoneiro-pf-"));
  // Two contexts on the same simulator, so that :ctx can switch.
  writeFileSync(join(dir, "a.yaml"), sim.kubeconfig("sim-a"));
  writeFileSync(join(dir, "b.yaml"), sim.kubeconfig("sim-b"));
});

after(async () => {
  await sim.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** The app on a session of context `sim-a`, showing only `pod` (its namespace, filtered by its name). */
async function app() {
  const env = { KUBECONFIG: `${join(dir, "a.yaml")}:${join(dir, "b.yaml")}` };
  const config = { context: "sim-a", env };
  const session = await openSession(config, {});
  const stdin = new FakeInput();
  const stdout = new FakeOutput();
  const namespace = pod.metadata?.namespace ?? "";
  const name = pod.metadata?.name ?? "";
  const done = runApp(session.repo, {
    stdin,
    stdout,
    handleProcessEvents: false,
    get: (path) => session.get(path),
    stream: session.stream,
    namespace,
    kubeconfig: { config, options: {}, session },
  });
  await until("the pod's row", () => stdout.text().includes(name));
  stdin.type(`/${name}\r`);
  return { stdin, stdout, done, session, name };
}

/** Shift-F, the dialog filled, `local` typed in place of the default; resolves with the position in the output. */
async function startForward(a: Awaited<ReturnType<typeof app>>, local: number): Promise<number> {
  const from = a.stdout.written.length;
  a.stdin.type("F");
  await until("the pod's declared ports in the dialog", () => a.stdout.text(from).includes("declared:"));
  const mark = a.stdout.written.length;
  a.stdin.type(`\x15${local}\r`);
  return mark;
}

test("Shift-F, Enter: the forward reaches the simulator's pod; :pf lists it; quitting closes it", async () => {
  const a = await app();
  const local = await freePort();
  const mark = await startForward(a, local);
  await until("the forward's message", () => a.stdout.text(mark).includes(`forwarding 127.0.0.1:${local} →`));
  assert.equal(await get(local), `hello from ${a.name}\n`);
  const before = a.stdout.written.length;
  a.stdin.type(":pf\r");
  await until(":pf with the forward", () => /CONNECTIONS/.test(a.stdout.text(before)));
  assert.match(a.stdout.text(before), new RegExp(`${a.name} +\\S* +${local}→\\d+ +127\\.0\\.0\\.1`));
  a.stdin.type("q");
  assert.equal(await a.done, 0);
  assert.equal(await refused(local), true, "the listener is closed once the app ended");
  await a.session.stop();
});

test("a local port in use: the dialog says so and stays open; Esc cancels", async () => {
  const a = await app();
  const busy = net.createServer();
  await new Promise<void>((r) => busy.listen(0, "127.0.0.1", r));
  const port = (busy.address() as net.AddressInfo).port;
  try {
    const mark = await startForward(a, port);
    // In the dialog's box (its frame either side), not on the message line.
    const inBox = new RegExp(`│ 127\\.0\\.0\\.1:${port} is in use +│`);
    await until("the error in the dialog", () => inBox.test(a.stdout.text(mark)));
    // Still the dialog: Esc is its cancel (a table would have cleared its filter instead).
    const esc = a.stdout.written.length;
    a.stdin.type("\x1b");
    await until("cancelled", () => a.stdout.text(esc).includes("cancelled"));
    a.stdin.type("q");
    assert.equal(await a.done, 0);
  } finally {
    busy.close();
    await a.session.stop();
  }
});

test("switching context stops the previous context's forwards", async () => {
  const a = await app();
  const local = await freePort();
  const mark = await startForward(a, local);
  await until("the forward's message", () => a.stdout.text(mark).includes(`forwarding 127.0.0.1:${local} →`));
  assert.equal(await get(local), `hello from ${a.name}\n`);
  const before = a.stdout.written.length;
  a.stdin.type(":ctx sim-b\r");
  await until("the switch", () => a.stdout.text(before).includes("switched to context sim-b"));
  // The old session's forwards are stopped in the background of the switch.
  let closed = false;
  for (let i = 0; i < 250 && !closed; i++) {
    closed = await refused(local);
    if (!closed) await new Promise((r) => setTimeout(r, 20));
  }
  assert.equal(closed, true, "the forward of sim-a is stopped");
  a.stdin.type(":pf\r");
  await until(":pf empty", () => a.stdout.text(before).includes("No port forwards"));
  a.stdin.type("q");
  assert.equal(await a.done, 0);
  await a.session.stop();
});
