// The logs view end to end: the app through cli/ui.ts, its stream through the session's streamOver and Transport, over
// the simulator. Lines arrive; a forced cut (sim.restart()) resumes with no line repeated or lost, and a marker.
import assert from "node:assert/strict";
import { EventEmitter } from "node:events";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { parseLine } from "../../src/app/log-buffer.ts";
import { streamOver } from "../../src/cli/session.ts";
import { runApp } from "../../src/cli/ui.ts";
import { Transport } from "../../src/kube/transport.ts";
import { makePod, StaticRepository } from "../../src/repository/static-repository.ts";
import { startSimServer } from "../../src/sim/index.ts";

class FakeInput extends EventEmitter {
  setEncoding() {}
  type(data: string) {
    this.emit("data", data);
  }
}
class FakeOutput extends EventEmitter {
  columns = 120;
  rows = 20;
  written = "";
  write(data: string) {
    this.written += data;
    return true;
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function until(what: string, cond: () => boolean, ms = 15_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

test("l streams a pod's log from the simulator; a server restart resumes it without repeats or gaps", async (t) => {
  const sim = await startSimServer({ pods: 30, seed: 9, tls: false });
  const dir = mkdtempSync(join(tmpdir(), "timoneiro-logs-"));
  t.after(async () => {
    await sim.stop();
    rmSync(dir, { recursive: true, force: true });
  });
  type Obj = Record<string, unknown>;
  const pod = sim.store
    .list("pods")
    .find(
      (p) =>
        (p.status as Obj).phase === "Running" &&
        ((p.spec as Obj).containers as Obj[]).length === 1 &&
        Date.parse(p.metadata?.creationTimestamp ?? "") < Date.now() - 3_600_000,
    );
  assert.ok(pod);
  const ns = pod.metadata!.namespace!;
  const name = pod.metadata!.name!;
  const transport = new Transport({
    server: sim.url,
    credentials: () => ({ headers: { Authorization: `Bearer ${sim.token}` } }),
  });
  t.after(() => transport.close());
  const repo = new StaticRepository({
    contextName: "sim",
    pods: [makePod({ namespace: ns, name, createdAt: Date.now() - 7_200_000 })],
  });
  const stdin = new FakeInput();
  const stdout = new FakeOutput();
  const done = runApp(repo, {
    stdin,
    stdout,
    handleProcessEvents: false,
    dumpDir: dir,
    namespace: ns,
    get: async (path) => JSON.parse((await transport.request(path)).body.toString("utf8")),
    stream: streamOver(async () => transport),
  });
  stdin.type("l");
  await until(
    "the first lines",
    () => / lines · follow/.test(stdout.written) && !/ 0 lines · follow/.test(stdout.written.slice(-3000)),
  );
  await sleep(800);
  await sim.restart();
  await until("the marker", () => stdout.written.includes("log stream ended"));
  await sleep(2500);
  stdin.type("t");
  stdin.type("\x13");
  await until("the save", () => stdout.written.includes("saved to"));
  stdin.type("q");
  assert.equal(await done, 0);

  const file = readdirSync(dir).find((f) => f.endsWith(".log"));
  assert.ok(file);
  const saved = readFileSync(join(dir, file), "utf8").trimEnd().split("\n");
  const markers = saved.filter((l) => l.startsWith("──"));
  assert.ok(
    markers.some((l) => l.includes("log stream ended")),
    "a marker says the stream was cut",
  );
  const lines = saved.filter((l) => !l.startsWith("──"));
  assert.equal(new Set(lines).size, lines.length, "no line twice");
  // Nothing lost: exactly the server's log from the first line on.
  const first = lines[0]!.split(" ")[0]!;
  const res = await transport.request(
    `/api/v1/namespaces/${ns}/pods/${name}/log?timestamps=true&sinceTime=${encodeURIComponent(first)}`,
    { accept: "*/*" },
  );
  // As the view shows them: tabs expanded, control characters made visible.
  const server = res.body
    .toString("utf8")
    .trimEnd()
    .split("\n")
    .map((l) => {
      const { ts, text } = parseLine(l);
      return `${ts} ${text}`;
    });
  assert.ok(lines.length > 100, `lines from before and after the cut (${lines.length})`);
  assert.deepEqual(lines, server.slice(0, lines.length));
});
