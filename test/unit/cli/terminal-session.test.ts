// The "terminal" effect's session (cli/terminal-session.ts) against the simulator: the default container resolved,
// bytes both ways through a HandoverIO, the initial size and resizes sent, the exit code, attach's detach keys, a
// refusal before anything is handed over, and the pod deleted mid-session ending it with a message.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { openTerminalSession, resolveContainer } from "../../../src/cli/terminal-session.ts";
import type { KubeObject } from "../../../src/kube/objects.ts";
import { Transport } from "../../../src/kube/transport.ts";
import { type SimServer, startSimServer } from "../../../src/sim/index.ts";
import type { HandoverIO, TerminalSize } from "../../../src/tui/run.ts";

let sim: SimServer;
let admin: Transport;
let viewer: Transport;

type Obj = Record<string, unknown>;
const runningPods = () =>
  sim.store
    .list("pods")
    .filter(
      (p) =>
        !p.metadata?.deletionTimestamp &&
        ((p.spec as Obj).containers as Obj[]).length === 1 &&
        ((p.status as Obj).containerStatuses as Obj[] | undefined)?.every((s) => (s.state as Obj).running) === true,
    );

before(async () => {
  sim = await startSimServer({
    pods: 40,
    seed: 6,
    tls: false,
    users: [{ name: "viewer", token: "viewer-token", deny: ["pods/exec", "pods/attach"] }],
  });
  const transport = (token: string) =>
    new Transport({ server: sim.url, credentials: () => ({ headers: { Authorization: `Bearer ${token}` } }) });
  admin = transport(sim.token);
  viewer = transport("viewer-token");
});
after(async () => {
  admin.close();
  viewer.close();
  await sim.stop();
});

/** A HandoverIO the test types into and reads from. */
function fakeIO(size: TerminalSize = { width: 120, height: 40 }) {
  let out = "";
  const input: ((data: Buffer) => void)[] = [];
  const resize: ((size: TerminalSize) => void)[] = [];
  const abort = new AbortController();
  const io: HandoverIO = {
    size: () => size,
    write: (data) => {
      out += typeof data === "string" ? data : Buffer.from(data).toString("utf8");
    },
    onInput: (l) => void input.push(l),
    onResize: (l) => void resize.push(l),
    signal: abort.signal,
  };
  return {
    io,
    abort,
    type: (text: string) => {
      for (const l of input) l(Buffer.from(text, "utf8"));
    },
    resize: (s: TerminalSize) => {
      for (const l of resize) l(s);
    },
    get out() {
      return out;
    },
    async waitFor(text: string, ms = 5000) {
      const end = Date.now() + ms;
      while (!out.includes(text)) {
        if (Date.now() > end) throw new Error(`no ${JSON.stringify(text)} in ${JSON.stringify(out)}`);
        await new Promise((r) => setTimeout(r, 20));
      }
    },
  };
}

const ref = (p: KubeObject) => ({ namespace: p.metadata!.namespace!, pod: p.metadata!.name! });

test("the default container is the annotation's, else the first; a named one must exist", () => {
  const pod: KubeObject = {
    metadata: { name: "p", annotations: { "kubectl.kubernetes.io/default-container": "side" } },
    spec: { containers: [{ name: "main" }, { name: "side" }] },
  };
  assert.equal(resolveContainer(pod, undefined).name, "side");
  assert.equal(resolveContainer({ ...pod, metadata: { name: "p" } }, undefined).name, "main");
  assert.equal(resolveContainer(pod, "main").name, "main");
  assert.throws(() => resolveContainer(pod, "nope"), /pod p has no container nope/);
});

test("shell: named after its container, sized at start and on resize, bytes both ways, exit 3 is the outcome", async () => {
  const pod = runningPods()[0];
  assert.ok(pod);
  const container = String(((pod.spec as Obj).containers as Obj[])[0]?.name);
  const session = await openTerminalSession(admin, { mode: "shell", ...ref(pod) });
  assert.equal(session.label, `shell on ${pod.metadata!.name}/${container}`);
  const t = fakeIO({ width: 120, height: 40 });
  const outcome = session.run(t.io);
  await t.waitFor(":/# ");
  t.type("stty size\r");
  await t.waitFor("40 120\r\n");
  t.resize({ width: 70, height: 10 });
  t.type("stty size\r");
  await t.waitFor("10 70\r\n");
  t.type("hostname\r");
  await t.waitFor(`${pod.metadata!.name}\r\n`);
  t.type("exit 3\r");
  assert.deepEqual(await outcome, { code: 3 });
});

test("a pod with several containers: the default one is used, and said so as kubectl says it", async () => {
  const pod = sim.store
    .list("pods")
    .find(
      (p) =>
        !p.metadata?.deletionTimestamp &&
        !p.metadata?.annotations?.["kubectl.kubernetes.io/default-container"] &&
        ((p.spec as Obj).containers as Obj[]).length > 1 &&
        ((p.status as Obj).containerStatuses as Obj[] | undefined)?.every((s) => (s.state as Obj).running) === true,
    );
  assert.ok(pod, "the simulator has a running pod with several containers");
  const names = ((pod.spec as Obj).containers as Obj[]).map((c) => String(c.name));
  const session = await openTerminalSession(admin, { mode: "shell", ...ref(pod) });
  assert.equal(session.label, `shell on ${pod.metadata!.name}/${names[0]}`);
  const t = fakeIO();
  const outcome = session.run(t.io);
  await t.waitFor(`Defaulted container "${names[0]}" out of: ${names.join(", ")}\r\n`);
  t.type("exit\r");
  assert.deepEqual(await outcome, { code: 0 });
});

test("attach: the container's output comes, Ctrl-P Ctrl-Q detaches (even split over two reads)", async () => {
  const pod = runningPods()[1];
  assert.ok(pod);
  const session = await openTerminalSession(admin, { mode: "attach", ...ref(pod) });
  const t = fakeIO();
  const outcome = session.run(t.io);
  await t.waitFor("Ctrl-P Ctrl-Q detaches\r\n");
  t.type("typed\n");
  await t.waitFor("typed\n");
  t.type("\x10");
  t.type("\x11");
  assert.deepEqual(await outcome, { code: null, error: "detached" });
});

test("refusals come before any handover: 403 names the verb, a pod that does not exist says so", async () => {
  const pod = runningPods()[0];
  assert.ok(pod);
  await assert.rejects(
    openTerminalSession(viewer, { mode: "shell", ...ref(pod) }),
    new RegExp(`^KubeError: forbidden: cannot create pods/exec in namespace ${pod.metadata!.namespace}$`),
  );
  await assert.rejects(
    openTerminalSession(admin, { mode: "shell", namespace: pod.metadata!.namespace!, pod: "gone-pod" }),
    /pod .*\/gone-pod not found/,
  );
});

test("the pod deleted while its shell is open: the session ends and says so", async () => {
  const pod = runningPods()[2];
  assert.ok(pod);
  const session = await openTerminalSession(admin, { mode: "shell", ...ref(pod) });
  const t = fakeIO();
  const outcome = session.run(t.io);
  await t.waitFor(":/# ");
  sim.store.delete("pods", pod.metadata!.namespace!, pod.metadata!.name!);
  assert.deepEqual(await outcome, {
    code: null,
    error: `pod ${pod.metadata!.namespace}/${pod.metadata!.name} was deleted`,
  });
});

test("the UI ending (the signal) ends the session", async () => {
  const pod = runningPods()[0];
  assert.ok(pod);
  const session = await openTerminalSession(admin, { mode: "shell", ...ref(pod) });
  const t = fakeIO();
  const outcome = session.run(t.io);
  await t.waitFor(":/# ");
  t.abort.abort();
  assert.deepEqual(await outcome, { code: null, error: "the terminal went away" });
});
