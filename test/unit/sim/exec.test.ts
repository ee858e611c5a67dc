// Exec and attach against the simulator, through kube/exec.ts and the transport: the subprotocol handshake, bytes
// both ways, the simulated shell's commands, resize, exit codes from the error channel, stdin close (v5), attach
// output, refusals (403, 400, 404) and a pod deleted mid-session.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import type { KubeError } from "../../../src/kube/errors.ts";
import {
  openRemoteCommand,
  outcomeOfStatus,
  type RemoteCommand,
  remoteCommandPath,
  SHELL_COMMAND,
} from "../../../src/kube/exec.ts";
import type { KubeObject } from "../../../src/kube/objects.ts";
import { Transport } from "../../../src/kube/transport.ts";
import { SimShell, words } from "../../../src/sim/exec.ts";
import { type SimServer, startSimServer } from "../../../src/sim/index.ts";

let sim: SimServer;
let admin: Transport;
let viewer: Transport;
let pod: KubeObject;

type Obj = Record<string, unknown>;
const running = (p: KubeObject) =>
  (p.status as Obj).phase === "Running" &&
  ((p.spec as Obj).containers as Obj[]).length === 1 &&
  !p.metadata?.deletionTimestamp &&
  ((p.status as Obj).containerStatuses as Obj[] | undefined)?.every((s) => (s.state as Obj | undefined)?.running) ===
    true;

before(async () => {
  sim = await startSimServer({
    pods: 40,
    seed: 4,
    tls: false,
    users: [{ name: "viewer", token: "viewer-token", deny: ["pods/exec", "pods/attach"] }],
  });
  const transport = (token: string) =>
    new Transport({ server: sim.url, credentials: () => ({ headers: { Authorization: `Bearer ${token}` } }) });
  admin = transport(sim.token);
  viewer = transport("viewer-token");
  const found = sim.store.list("pods").find(running);
  assert.ok(found, "a running pod with one container");
  pod = found;
});
after(async () => {
  admin.close();
  viewer.close();
  await sim.stop();
});

/** Collects a session's output; `waitFor` resolves once it contains `text`. */
function collect(remote: RemoteCommand) {
  let out = "";
  const waiters: { text: string | RegExp; resolve: () => void }[] = [];
  const check = () => {
    for (const w of [...waiters]) {
      if (typeof w.text === "string" ? out.includes(w.text) : w.text.test(out)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve();
      }
    }
  };
  remote.onOutput((data) => {
    out += data.toString("utf8");
    check();
  });
  return {
    get text() {
      return out;
    },
    waitFor(text: string | RegExp, ms = 5000): Promise<void> {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no ${text} in ${JSON.stringify(out)}`)), ms);
        waiters.push({
          text,
          resolve: () => {
            clearTimeout(timer);
            resolve();
          },
        });
        check();
      });
    },
  };
}

const target = () => ({ namespace: pod.metadata!.namespace!, pod: pod.metadata!.name! });

test("the path has one command parameter per word, and no stderr with a tty", () => {
  const path = remoteCommandPath({
    namespace: "shop",
    pod: "api-1",
    container: "web",
    command: SHELL_COMMAND,
    tty: true,
  });
  const url = new URL(path, "http://x");
  assert.equal(url.pathname, "/api/v1/namespaces/shop/pods/api-1/exec");
  assert.deepEqual(url.searchParams.getAll("command"), [...SHELL_COMMAND]);
  assert.equal(url.searchParams.get("container"), "web");
  assert.equal(url.searchParams.get("stderr"), "false");
  assert.equal(url.searchParams.get("tty"), "true");
  assert.equal(url.searchParams.get("stdin"), "true");
  const attach = new URL(remoteCommandPath({ namespace: "a b", pod: "p", tty: false }), "http://x");
  assert.equal(attach.pathname, "/api/v1/namespaces/a%20b/pods/p/attach");
  assert.equal(attach.searchParams.get("stderr"), "true");
});

test("the error channel's Status: Success is 0, NonZeroExitCode its code, another failure its message", () => {
  assert.deepEqual(outcomeOfStatus('{"metadata":{},"status":"Success"}'), { code: 0 });
  assert.deepEqual(
    outcomeOfStatus(
      JSON.stringify({
        status: "Failure",
        reason: "NonZeroExitCode",
        message: "command terminated with non-zero exit code: exit status 7",
        details: { causes: [{ reason: "ExitCode", message: "7" }] },
      }),
    ),
    { code: 7 },
  );
  assert.deepEqual(
    outcomeOfStatus(
      JSON.stringify({ status: "Failure", reason: "InternalError", message: "error executing\ncommand" }),
    ),
    { code: null, error: "error executing command" },
  );
});

test("shell: v5 is chosen, the prompt comes, typed text is echoed, hostname and stty size answer, exit 3 is the code", async () => {
  const remote = await openRemoteCommand(admin, { ...target(), command: SHELL_COMMAND, tty: true });
  assert.equal(remote.protocol, "v5.channel.k8s.io");
  const out = collect(remote);
  const prompt = `root@${pod.metadata!.name}:/# `;
  await out.waitFor(prompt);
  remote.resize(101, 37);
  remote.write("hostnamx\x7fe\r");
  await out.waitFor(`hostnamx\b \be\r\n${pod.metadata!.name}\r\n${prompt}`);

  remote.write("stty size\r");
  await out.waitFor("37 101\r\n");
  remote.resize(90, 20);
  remote.write("stty size\r");
  await out.waitFor("20 90\r\n");
  remote.write("frobnicate\r");
  await out.waitFor("sh: 1: frobnicate: not found\r\n");
  remote.write("exit 3\r");
  assert.deepEqual(await remote.done, { code: 3 });
});

test("shell: exit with no code is 0; closing stdin (v5 close signal) ends it too", async () => {
  const first = await openRemoteCommand(admin, { ...target(), command: SHELL_COMMAND, tty: true });
  first.write("exit\r");
  assert.deepEqual(await first.done, { code: 0 });
  const second = await openRemoteCommand(admin, { ...target(), command: SHELL_COMMAND, tty: false });
  const out = collect(second);
  second.write("echo one two\n");
  await out.waitFor("one two\n");
  second.write("hostname");
  second.closeStdin();
  assert.deepEqual(await second.done, { code: 0 });
  assert.ok(out.text.endsWith(`${pod.metadata!.name}\n`), "the last line is run at end of input");
});

test("one command (not a shell) runs and ends with its status", async () => {
  const remote = await openRemoteCommand(admin, { ...target(), command: ["nosuch"], tty: false, stdin: false });
  const out = collect(remote);
  assert.deepEqual(await remote.done, { code: 127 });
  assert.equal(out.text, "sh: 1: nosuch: not found\n");
});

test("attach: the container's new log lines stream, and typed text is echoed", async () => {
  const remote = await openRemoteCommand(admin, { ...target(), tty: false });
  const out = collect(remote);
  remote.write("hello attach\n");
  await out.waitFor("hello attach\n");
  // The generator writes a line every 0.25–1.5 s per container.
  await out.waitFor(/\n[^\n]+\n/, 8000);
  remote.close();
  assert.equal((await remote.done).error, "closed");
});

test("a user without create on pods/exec gets a one-line 403 naming it; a bad container is the server's 400", async () => {
  await assert.rejects(
    openRemoteCommand(viewer, { ...target(), command: SHELL_COMMAND, tty: true }),
    (err: KubeError) =>
      err.status === 403 && err.message === `forbidden: cannot create pods/exec in namespace ${target().namespace}`,
  );
  await assert.rejects(openRemoteCommand(viewer, { ...target(), tty: true }), /cannot create pods\/attach/);
  await assert.rejects(
    openRemoteCommand(admin, { ...target(), container: "nope", command: ["sh"], tty: true }),
    (err: KubeError) => err.status === 400 && /container nope is not valid for pod/.test(err.message),
  );
  await assert.rejects(
    openRemoteCommand(admin, { namespace: target().namespace, pod: "no-such-pod", command: ["sh"], tty: true }),
    (err: KubeError) => err.status === 404 && /pod "no-such-pod" not found/.test(err.message),
  );
});

test("the pod deleted while a shell is open drops the session", async () => {
  const victim = sim.store.list("pods").filter(running)[1];
  assert.ok(victim);
  const remote = await openRemoteCommand(admin, {
    namespace: victim.metadata!.namespace!,
    pod: victim.metadata!.name!,
    command: SHELL_COMMAND,
    tty: true,
  });
  await collect(remote).waitFor(":/# ");
  sim.store.delete("pods", victim.metadata!.namespace!, victim.metadata!.name!);
  const outcome = await remote.done;
  assert.equal(outcome.code, null);
  assert.match(outcome.error ?? "", /closed before the command ended/);
});

test("the simulated shell's words and commands", () => {
  assert.deepEqual(words(`echo "a b" 'c'  d`), ["echo", "a b", "c", "d"]);
  const shell = new SimShell(pod, "web");
  assert.equal(shell.run("pwd").output, "/\n");
  assert.match(shell.run("env").output, new RegExp(`HOSTNAME=${pod.metadata!.name}`));
  assert.equal(shell.run("x").output, "sh: 1: x: not found\n");
  assert.equal(shell.run("echo $?").output, "127\n");
  assert.deepEqual(shell.run("exit 300"), { output: "", exit: 44 });
});
