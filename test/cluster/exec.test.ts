// Exec and attach (src/kube/exec.ts, and the app's session src/cli/terminal-session.ts) through the real
// kube-apiserver to KWOK's kubelet endpoint: the apiserver takes our WebSocket (v5.channel.k8s.io) and talks to the
// kubelet for us, so what is tested is the protocol as the apiserver speaks it, RBAC included.
//
// What KWOK v0.8.0 does (pkg/kwok/server/debugging_exec.go, debugging_exec_other.go, debugging_attach.go):
// - exec runs the request's command as a local process, in the ClusterExec rule's workDir with its envs. Here that is
//   a temporary folder and a PATH of a few symlinked programs (sh, cat, stty, sleep), and every command run is one
//   of this file's.
// - With tty, the process gets a pty (creack/pty) and resize messages resize it: `stty size` follows.
// - A non-zero exit is NOT reported as NonZeroExitCode: KWOK wraps the exit error (fmt.Errorf %w), the streaming
//   server's type assertion misses it, and the Status is an InternalError whose message ends "exit status N".
// - Without tty, stdin is copied into a pipe that is never closed: the v5 close signal reaches the kubelet but the
//   command never sees EOF (tested below as what it is).
// - attach follows the rule's logsFile (CRI format) from its end: what is appended comes out; stdin is ignored.
// - KWOK does not end an attach when its pod goes (it has no container to die): the session's own watch on the pod
//   ends it (cli/terminal-session.ts), which is what is tested here.
import assert from "node:assert/strict";
import { appendFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { openTerminalSession } from "../../src/cli/terminal-session.ts";
import type { KubeError } from "../../src/kube/errors.ts";
import { openRemoteCommand, type RemoteCommand } from "../../src/kube/exec.ts";
import { loadKubeconfig } from "../../src/kube/kubeconfig.ts";
import type { Transport } from "../../src/kube/transport.ts";
import { transportFor } from "../../src/repository/informer-repository.ts";
import type { HandoverIO, TerminalSize } from "../../src/tui/run.ts";
import { type Cluster, startCluster } from "./cluster.ts";
import { fixtureOnly } from "./lib/target.ts";

const FIXTURE = fixtureOnly("it starts its own KWOK with exec and attach rules of its own");
const NS = "exec";
const POD = "web";
/** The restricted user may get pods in "allowed", and nothing more: not pods/exec. */
const RESTRICTED_NS = "allowed";

let cluster: Cluster;
let dir: string;
let logsFile: string;
let admin: Transport;
let restricted: Transport;

type Json = Record<string, unknown>;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until<T>(what: string, check: () => Promise<T | undefined> | T | undefined, ms = 30_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await sleep(100);
  }
}

/** A pod bound to the KWOK node, once Running. */
async function runningPod(namespace: string, name: string): Promise<void> {
  const res = await cluster.request("POST", `/api/v1/namespaces/${namespace}/pods`, {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name },
    spec: { nodeName: cluster.kwokNodes[0], containers: [{ name: "app", image: "fake/web:1" }] },
  });
  assert.equal(res.status, 201, res.body.toString());
  await until(`${namespace}/${name} Running`, async () => {
    const got = await cluster.request("GET", `/api/v1/namespaces/${namespace}/pods/${name}`);
    return ((got.json as Json).status as Json | undefined)?.phase === "Running" ? true : undefined;
  });
}

/** A session's output as text; `waitFor` resolves once it contains `text` (or matches). */
function collect(remote: RemoteCommand) {
  let out = "";
  remote.onOutput((data) => {
    out += data.toString("utf8");
  });
  return {
    get text() {
      return out;
    },
    waitFor: (text: string | RegExp, ms = 15_000) =>
      until(
        `${text} in ${JSON.stringify(out)}`,
        () => ((typeof text === "string" ? out.includes(text) : text.test(out)) ? true : undefined),
        ms,
      ),
  };
}

const cri = (text: string) => `${new Date().toISOString().replace("Z", "000000Z")} stdout F ${text}\n`;

before(async () => {
  if (FIXTURE.skip) return;
  dir = mkdtempSync(join(tmpdir(), "timoneiro-exec-"));
  const work = join(dir, "work");
  const bin = join(dir, "bin");
  mkdirSync(work);
  mkdirSync(bin);
  // The programs a command may find on its PATH: nothing that writes outside the folder or reaches the network.
  for (const program of ["sh", "cat", "stty", "sleep"]) symlinkSync(`/bin/${program}`, join(bin, program));
  logsFile = join(dir, "attach.log");
  writeFileSync(logsFile, cri("before the attach"));
  cluster = await startCluster({
    controllers: true,
    kwok: {
      nodes: 1,
      allowExec: true,
      config: [
        {
          apiVersion: "kwok.x-k8s.io/v1alpha1",
          kind: "ClusterExec",
          metadata: { name: "exec-test" },
          spec: {
            selector: { matchNamespaces: [NS, RESTRICTED_NS] },
            execs: [
              {
                local: {
                  workDir: work,
                  envs: [
                    { name: "PATH", value: bin },
                    { name: "HOME", value: work },
                  ],
                },
              },
            ],
          },
        },
        {
          apiVersion: "kwok.x-k8s.io/v1alpha1",
          kind: "ClusterAttach",
          metadata: { name: "attach-test" },
          spec: { selector: { matchNamespaces: [NS, RESTRICTED_NS] }, attaches: [{ logsFile }] },
        },
      ],
    },
  });
  const res = await cluster.request("POST", "/api/v1/namespaces", {
    apiVersion: "v1",
    kind: "Namespace",
    metadata: { name: NS },
  });
  assert.equal(res.status, 201, res.body.toString());
  await runningPod(NS, POD);
  await runningPod(RESTRICTED_NS, POD);
  admin = await transportFor(loadKubeconfig({ kubeconfig: cluster.kubeconfigPath, context: "envtest-admin" }));
  restricted = await transportFor(
    loadKubeconfig({ kubeconfig: cluster.kubeconfigPath, context: "envtest-restricted" }),
  );
});

after(async () => {
  admin?.close();
  restricted?.close();
  await cluster?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("exec and attach through kube-apiserver to KWOK", () => {
  const exec = (command: string[], tty: boolean, transport = admin, namespace = NS) =>
    openRemoteCommand(transport, { namespace, pod: POD, container: "app", command, tty });

  test("bytes both ways without a tty: a line in, an answer out, exit 0 as Success", FIXTURE, async () => {
    const remote = await exec(["sh", "-c", 'read line; echo "got:$line"; echo "to stderr" >&2'], false);
    assert.equal(remote.protocol, "v5.channel.k8s.io");
    const streams: string[] = [];
    remote.onOutput((data, stream) => streams.push(`${stream}:${data.toString("utf8")}`));
    remote.write("hello over the apiserver\n");
    assert.deepEqual(await remote.done, { code: 0 });
    assert.ok(streams.includes("stdout:got:hello over the apiserver\n"), JSON.stringify(streams));
    assert.ok(streams.includes("stderr:to stderr\n"), JSON.stringify(streams));
  });

  test(
    "a non-zero exit: KWOK reports it as an InternalError naming the status, not NonZeroExitCode",
    FIXTURE,
    async () => {
      const remote = await exec(["sh", "-c", "exit 3"], false);
      const outcome = await remote.done;
      assert.equal(outcome.code, null);
      assert.match(outcome.error ?? "", /error executing command in container: .*exit status 3/);
    },
  );

  test("a tty: one output stream, and resize messages resize the pty (stty size follows)", FIXTURE, async () => {
    const remote = await exec(["sh", "-c", "read a; stty size; read b; stty size; exit 0"], true);
    const out = collect(remote);
    remote.resize(101, 37);
    remote.write("\r");
    await out.waitFor("37 101");
    remote.resize(90, 20);
    remote.write("\r");
    await out.waitFor("20 90");
    assert.deepEqual(await remote.done, { code: 0 });
  });

  test(
    "stdin closed (the v5 close signal): KWOK never closes the command's stdin, so cat waits on",
    FIXTURE,
    async () => {
      const remote = await exec(["cat"], false);
      const out = collect(remote);
      remote.write("echoed by cat\n");
      await out.waitFor("echoed by cat\n");
      remote.closeStdin();
      const ended = await Promise.race([remote.done, sleep(1500).then(() => "still running")]);
      assert.equal(ended, "still running");
      remote.close("done waiting");
      assert.deepEqual(await remote.done, { code: null, error: "done waiting" });
    },
  );

  test("attach: what the container writes from now on comes out", FIXTURE, async () => {
    const remote = await openRemoteCommand(admin, { namespace: NS, pod: POD, container: "app", tty: false });
    const out = collect(remote);
    await sleep(500);
    appendFileSync(logsFile, cri("written after the attach"));
    await out.waitFor("written after the attach\n");
    assert.ok(!out.text.includes("before the attach"), "no history: attach starts at the end");
    remote.close();
    assert.equal((await remote.done).error, "closed");
  });

  test("a user without create on pods/exec gets one line naming it (403), and so for attach", FIXTURE, async () => {
    await assert.rejects(
      exec(["sh", "-c", "true"], true, restricted, RESTRICTED_NS),
      (err: KubeError) =>
        err.status === 403 && err.message === `forbidden: cannot create pods/exec in namespace ${RESTRICTED_NS}`,
    );
    await assert.rejects(
      openTerminalSession(restricted, { mode: "attach", namespace: RESTRICTED_NS, pod: POD }),
      /^KubeError: forbidden: cannot create pods\/attach in namespace allowed$/,
    );
  });
});

/** A HandoverIO the test types into and reads from. */
function fakeIO(size: TerminalSize = { width: 120, height: 40 }) {
  let out = "";
  const input: ((data: Buffer) => void)[] = [];
  const abort = new AbortController();
  const io: HandoverIO = {
    size: () => size,
    write: (data) => {
      out += typeof data === "string" ? data : Buffer.from(data).toString("utf8");
    },
    onInput: (l) => void input.push(l),
    onResize: () => {},
    signal: abort.signal,
  };
  return {
    io,
    type: (text: string) => {
      for (const l of input) l(Buffer.from(text, "utf8"));
    },
    waitFor: (text: string) =>
      until(`${text} in ${JSON.stringify(out)}`, () => (out.includes(text) ? true : undefined)),
  };
}

describe("the app's terminal session through kube-apiserver to KWOK", () => {
  test("s: the shell (bash, else sh) in a tty, sized from the terminal; its exit comes back", FIXTURE, async () => {
    const session = await openTerminalSession(admin, { mode: "shell", namespace: NS, pod: POD });
    assert.equal(session.label, `shell on ${POD}/app`);
    const t = fakeIO({ width: 77, height: 19 });
    const outcome = session.run(t.io);
    t.type("stty size\r");
    await t.waitFor("19 77");
    t.type("exit 0\r");
    assert.deepEqual(await outcome, { code: 0 });
  });

  test("the pod deleted while attached: the session ends and says so", FIXTURE, async () => {
    await runningPod(NS, "doomed");
    const session = await openTerminalSession(admin, { mode: "attach", namespace: NS, pod: "doomed" });
    const t = fakeIO();
    const outcome = session.run(t.io);
    await t.waitFor("Ctrl-P Ctrl-Q detaches");
    const res = await cluster.request("DELETE", `/api/v1/namespaces/${NS}/pods/doomed`);
    assert.equal(res.status, 200, res.body.toString());
    assert.deepEqual(await outcome, { code: null, error: `pod ${NS}/doomed was deleted` });
  });
});
