// A shell on a pod end to end: the built CLI in a real pseudo-terminal against `timoneiro sim`. `s` hands the terminal
// to the simulated shell (the prompt, typed commands, `stty size` at the pty's size and again after a resize), and
// `exit 3` gives it back: the UI repainted at the new size, the message line naming the exit code.
import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, afterEach, before, test } from "node:test";
import { parse } from "yaml";
import { Transport } from "../../src/kube/transport.ts";
import { killAll, spawnApp } from "./pty.ts";

const dist = join(import.meta.dirname, "../../dist");
let workDir = "";
let cli = "";

before(() => {
  if (!existsSync(join(dist, "timoneiro.js"))) throw new Error("dist/timoneiro.js is missing: run `npm run build`");
  // A private copy: other work may rebuild dist/ while these tests run.
  workDir = mkdtempSync(join(tmpdir(), "timoneiro-e2e-shell-"));
  cpSync(dist, join(workDir, "dist"), { recursive: true });
  cli = join(workDir, "dist/timoneiro.js");
});
const children: ChildProcess[] = [];
const transports: Transport[] = [];
afterEach(() => {
  for (const t of transports.splice(0)) t.close();
  killAll();
  for (const child of children.splice(0)) child.kill("SIGKILL");
});
after(() => rmSync(workDir, { recursive: true, force: true }));

type Obj = Record<string, unknown>;

/** The simulator's API as the kubeconfig it wrote says (for the test's own reads and deletes). */
function simTransport(kubeconfig: string): Transport {
  const config = parse(readFileSync(kubeconfig, "utf8")) as {
    clusters: { cluster: { server: string; "certificate-authority-data": string } }[];
    users: { user: { token: string } }[];
  };
  const cluster = config.clusters[0]!.cluster;
  return new Transport({
    server: cluster.server,
    credentials: () => ({
      ca: Buffer.from(cluster["certificate-authority-data"], "base64"),
      headers: { Authorization: `Bearer ${config.users[0]!.user.token}` },
    }),
  });
}

/** A pod whose only container runs. */
async function runningPod(transport: Transport): Promise<{ namespace: string; name: string; container: string }> {
  const res = await transport.request("/api/v1/pods");
  const items = (JSON.parse(res.body.toString("utf8")) as { items: Obj[] }).items;
  const pod = items.find((p) => {
    const statuses = (p.status as Obj).containerStatuses as Obj[] | undefined;
    return (
      ((p.spec as Obj).containers as Obj[]).length === 1 &&
      statuses?.length === 1 &&
      ((statuses[0]?.state ?? {}) as Obj).running !== undefined &&
      !(p.metadata as Obj).deletionTimestamp
    );
  });
  assert.ok(pod, "the simulator has a running one-container pod");
  const meta = pod.metadata as Obj;
  const container = String(((pod.spec as Obj).containers as Obj[])[0]?.name);
  return { namespace: String(meta.namespace), name: String(meta.name), container };
}

test("s on a pod: the simulated shell in the terminal, stty size follows the pty, exit 3 brings the UI back; a attaches until Ctrl-P Ctrl-Q; s on its container, the pod deleted under the shell brings it back too", async () => {
  const dir = mkdtempSync(join(tmpdir(), "timoneiro-e2e-shell-sim-"));
  const kubeconfig = join(dir, "kubeconfig");
  const sim = spawn(process.execPath, [cli, "sim", "--pods", "60", "--churn", "0", "--kubeconfig-out", kubeconfig], {
    stdio: "ignore",
  });
  children.push(sim);
  try {
    for (let i = 0; i < 300 && !existsSync(kubeconfig); i++) await new Promise((r) => setTimeout(r, 100));
    assert.ok(existsSync(kubeconfig), "the simulator wrote its kubeconfig");
    const transport = simTransport(kubeconfig);
    transports.push(transport);
    const pod = await runningPod(transport);
    const app = spawnApp(process.execPath, [cli, "--kubeconfig", kubeconfig, "-n", pod.namespace], 100, 30);
    await app.waitFor((s) => /pods(\(\S+\))? ✓/.test(s[2] ?? ""), "synced pods", 60_000);
    app.write(`/${pod.name}\r`);
    await app.waitFor((s) => /Pods 1 of /.test(s[0] ?? ""), "the pod alone in the table");
    app.write("s");
    const prompt = `root@${pod.name}:/#`;
    await app.waitForText(prompt, 15_000);
    app.write("hostname\r");
    await app.waitFor((s) => s.some((l) => l.trim() === pod.name), "hostname's answer");
    // Ctrl-C is the shell's (the UI would quit on it): the line is dropped and a new prompt comes.
    app.write("sleep 9\x03");
    await app.waitFor((s) => s.some((l) => l.includes("sleep 9^C")), "the shell's ^C");
    app.write("stty size\r");
    await app.waitFor((s) => s.some((l) => l.trim() === "30 100"), "the pty's size");
    app.resize(110, 35);
    // The resize reaches the UI as SIGWINCH and the typed command as input: which comes first is not ours to say,
    // so ask again until the shell has heard of the new size.
    let resized = false;
    for (let i = 0; i < 20 && !resized; i++) {
      app.write("stty size\r");
      resized = await app
        .waitFor((s) => s.some((l) => l.trim() === "35 110"), "the new size", 500)
        .then(
          () => true,
          () => false,
        );
    }
    assert.ok(resized, "stty size shows the pty's new size");
    app.write("exit 3\r");
    const screen = await app.waitFor(
      (s) => /context /.test(s[0] ?? "") && s.some((l) => l.includes(`shell on ${pod.name}`)),
      "the UI back, with the session's end",
      15_000,
    );
    // At the new size: the message line is the last of 35 rows, the header's title right-aligned to 110 columns.
    assert.match(screen[34] ?? "", new RegExp(`shell on ${pod.name}: ended \\(exit 3\\)`));
    assert.ok((screen[0] ?? "").length > 100, `the header spans the new width: ${screen[0]}`);
    assert.ok(
      !screen.some((l) => l.includes(prompt)),
      "the shell's screen is gone (the UI is on the alternate screen)",
    );
    assert.match(screen.join("\n"), new RegExp(pod.name), "the pods table is painted again");

    // Attach: the container's output streams until Ctrl-P Ctrl-Q detaches.
    app.write("a");
    await app.waitForText("Ctrl-P Ctrl-Q detaches", 15_000);
    const attached = await app.screen();
    const at = attached.findIndex((l) => l.includes("Ctrl-P Ctrl-Q detaches"));
    await app.waitFor((s) => s.slice(at + 1).some((l) => l.trim() !== ""), "the container's output", 15_000);
    app.write("\x10\x11");
    const detached = await app.waitFor((s) => /context /.test(s[0] ?? ""), "the UI back after detaching", 15_000);
    assert.match(detached[34] ?? "", new RegExp(`attach to ${pod.name}: detached`));

    // Again from the pod's containers view, and the pod goes while the shell is open: the session ends by itself
    // and says why.
    app.write("\r");
    await app.waitFor((s) => s.some((l) => l.startsWith(`${pod.container} `)), "the pod's container listed");
    app.write("s");
    await app.waitForText(prompt, 15_000);
    await transport.request(`/api/v1/namespaces/${pod.namespace}/pods/${pod.name}?gracePeriodSeconds=0`, {
      method: "DELETE",
    });
    const gone = await app.waitFor(
      (s) => /context /.test(s[0] ?? "") && /was deleted/.test(s[34] ?? ""),
      "the UI back after the pod's deletion",
      15_000,
    );
    assert.match(
      gone[34] ?? "",
      new RegExp(`shell on ${pod.name}/${pod.container}: pod ${pod.namespace}/${pod.name} was deleted`),
    );
    app.write("q");
    assert.equal(await app.exited, 0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
