// The logs and YAML views through the real kube-apiserver, with KWOK as the kubelet (kube-controller-manager and
// kube-scheduler place and start the pod). The logs view runs in the app (cli/ui.ts runApp on a session's informer
// repository, its GETs and its streams: the CLI's wiring), driven by keys on fake stdin; what it shows is read back
// from its Ctrl-S save. KWOK serves each container's log from a CRI-format file the test writes (and appends to);
// the YAML view runs as the pure view on the same informers, its GETs sent to the apiserver.
//
// What KWOK v0.8.0 does with the log request (pkg/kwok/server/debugging_logs.go): tailLines, sinceSeconds, sinceTime,
// timestamps, follow go to the kubelet's own CRI log reader (k8s.io/cri-client ReadLogs), so they behave as on a
// real node; follow watches the file (fsnotify) and sends what is appended; previous reads the rule's
// previousLogsFile, and, like any other log, follows it (KWOK has no container state to say it ended).
import assert from "node:assert/strict";
import { EventEmitter } from "node:events";
import { appendFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { findBinding } from "../../src/app/bindings.ts";
import type { ViewContext } from "../../src/app/views/view.ts";
import { YamlView } from "../../src/app/views/yaml.ts";
import { openSession, type Session } from "../../src/cli/session.ts";
import { runApp } from "../../src/cli/ui.ts";
import { key } from "../../src/tui/input.ts";
import { type Cluster, startCluster } from "./cluster.ts";
import { kubectlOk } from "./lib/kubectl.ts";
import { EXTERNAL, fixtureOnly } from "./lib/target.ts";

const FIXTURE = fixtureOnly("it starts its own kube-controller-manager, kube-scheduler and KWOK serving log files");
const NS = "logs";
const POD = "two";
const OLD_LINES = 120;

type Json = Record<string, unknown>;
let cluster: Cluster;
let dir: string;
let session: Session;
const files = {
  first: "",
  second: "",
  firstPrevious: "",
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
async function until<T>(what: string, check: () => T | undefined | Promise<T | undefined>, ms = 20_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await sleep(50);
  }
}

/** Unique, increasing timestamps (1 ms apart at least), in the 9-digit form the kubelet writes. */
let lastMs = 0;
function tsAt(ms: number): string {
  const t = Math.max(ms, lastMs + 1);
  lastMs = t;
  return new Date(t).toISOString().replace("Z", "000000Z");
}
const cri = (ts: string, text: string) => `${ts} stdout F ${text}\n`;

/** What the file holds, as [timestamp, text] pairs. */
function fileLines(path: string): [string, string][] {
  return readFileSync(path, "utf8")
    .trimEnd()
    .split("\n")
    .map((l) => {
      const m = /^(\S+) stdout F (.*)$/.exec(l);
      assert.ok(m, l);
      return [m[1] as string, m[2] as string];
    });
}
const sameInstant = (a: string, b: string) => {
  // RFC3339Nano from Go trims the fraction's trailing zeros; compare the instants, nanoseconds included.
  const norm = (s: string) => {
    const m = /^(.*T\d\d:\d\d:\d\d)(?:\.(\d+))?Z$/.exec(s);
    assert.ok(m, s);
    return `${m[1]}.${(m[2] ?? "").padEnd(9, "0")}Z`;
  };
  return norm(a) === norm(b);
};

class FakeInput extends EventEmitter {
  setEncoding() {}
  type(data: string) {
    this.emit("data", data);
  }
}
class FakeOutput extends EventEmitter {
  columns = 160;
  rows = 30;
  written = "";
  write(data: string) {
    this.written += data;
    return true;
  }
}

/** The app on the session (as cli/main.ts wires it), in namespace NS, on the pods view. */
async function startApp() {
  const stdin = new FakeInput();
  const stdout = new FakeOutput();
  const dumpDir = mkdtempSync(join(dir, "dump-"));
  const done = runApp(session.repo, {
    stdin,
    stdout,
    handleProcessEvents: false,
    dumpDir,
    namespace: NS,
    get: (path) => session.get(path),
    stream: session.stream,
  });
  await until("the pod's row", () => stdout.written.includes(POD));
  await sleep(200);
  let quit = false;
  const app = {
    stdin,
    stdout,
    /** Output since `from` (a position in stdout.written). */
    since: (from: number) => stdout.written.slice(from),
    /** Ctrl-S, then the saved file's lines (markers included). */
    async save(): Promise<string[]> {
      stdin.type("\x13");
      // Saves in the same second have the same name: each one is read, then removed.
      const file = await until("the saved log", () => readdirSync(dumpDir)[0]);
      let text: string | undefined;
      await until("the whole save", async () => {
        const now = readFileSync(join(dumpDir, file), "utf8");
        const stable = now === text;
        text = now;
        if (!stable) await sleep(50);
        return stable;
      });
      rmSync(join(dumpDir, file));
      return (text ?? "")
        .trimEnd()
        .split("\n")
        .filter((l) => l !== "");
    },
    async quit(): Promise<void> {
      if (quit) return;
      quit = true;
      stdin.type("\x1b");
      await sleep(100);
      stdin.type(":q\r");
      assert.equal(await done, 0);
    },
  };
  running.add(app);
  return app;
}
const running = new Set<{ quit(): Promise<void> }>();
type App = Awaited<ReturnType<typeof startApp>>;

/** Opens the logs view (`l`, or `p` for previous) on the pod and picks container `index` (0 first, 1 second). */
async function openLogs(app: App, index: number, previous = false): Promise<void> {
  const from = app.stdout.written.length;
  app.stdin.type(previous ? "p" : "l");
  await until("the container picker", () => /second/.test(app.since(from)));
  if (index > 0) app.stdin.type("j");
  app.stdin.type("\r");
  await until("the log's title", () => / lines · /.test(app.since(from)));
  app.stdin.type("t"); // timestamps shown (and saved)
}

const withoutMarkers = (lines: string[]) => lines.filter((l) => !l.startsWith("──"));
const texts = (lines: string[]) => withoutMarkers(lines).map((l) => l.slice(l.indexOf(" ") + 1));

let oldFirst: [string, string][] = [];
let newFirst: [string, string][] = [];

before(async () => {
  if (EXTERNAL) return;
  dir = mkdtempSync(join(tmpdir(), "timoneiro-logs-yaml-"));
  files.first = join(dir, "first.log");
  files.second = join(dir, "second.log");
  files.firstPrevious = join(dir, "first-previous.log");
  // first: OLD_LINES lines from two hours ago, then 5 from now; second: 3 lines from now; first's previous: 2 lines.
  const start = Date.now() - 2 * 3600_000;
  let text = "";
  for (let i = 0; i < OLD_LINES; i++) text += cri(tsAt(start + i * 1000), `first old ${i}`);
  lastMs = Date.now() - 5000;
  for (let i = 0; i < 5; i++) text += cri(tsAt(Date.now() - 5000 + i), `first new ${i}`);
  writeFileSync(files.first, text);
  writeFileSync(files.second, [0, 1, 2].map((i) => cri(tsAt(Date.now()), `second ${i}`)).join(""));
  writeFileSync(files.firstPrevious, [0, 1].map((i) => cri(tsAt(Date.now() - 60_000), `first previous ${i}`)).join(""));
  const all = fileLines(files.first);
  oldFirst = all.slice(0, OLD_LINES);
  newFirst = all.slice(OLD_LINES);
  cluster = await startCluster({
    controllers: true,
    kwok: {
      nodes: 1,
      config: [
        {
          apiVersion: "kwok.x-k8s.io/v1alpha1",
          kind: "Logs",
          metadata: { name: POD, namespace: NS },
          spec: {
            logs: [
              { containers: ["first"], logsFile: files.first, previousLogsFile: files.firstPrevious },
              { containers: ["second"], logsFile: files.second },
            ],
          },
        },
      ],
    },
  });
  for (const [path, body] of [
    ["/api/v1/namespaces", { apiVersion: "v1", kind: "Namespace", metadata: { name: NS } }],
    ["/api/v1/namespaces", { apiVersion: "v1", kind: "Namespace", metadata: { name: "yaml" } }],
    [
      `/api/v1/namespaces/${NS}/pods`,
      {
        apiVersion: "v1",
        kind: "Pod",
        metadata: { name: POD },
        spec: {
          containers: [
            { name: "first", image: "fake/first:1" },
            { name: "second", image: "fake/second:1" },
          ],
        },
      },
    ],
  ] as const) {
    const res = await cluster.request("POST", path, body);
    assert.equal(res.status, 201, res.body.toString());
  }
  await until(
    "the pod Running on the KWOK node",
    async () => {
      const res = await cluster.request("GET", `/api/v1/namespaces/${NS}/pods/${POD}`);
      const pod = res.json as Json;
      return (pod.status as Json)?.phase === "Running" && (pod.spec as Json).nodeName === cluster.kwokNodes[0];
    },
    30_000,
  );
  session = await openSession(
    { kubeconfig: cluster.kubeconfigPath },
    { backoff: { initialMs: 50, maxMs: 1000, factor: 2 } },
  );
});

after(async () => {
  for (const app of running) await app.quit().catch(() => {});
  await session?.stop();
  await cluster?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("the logs view through the apiserver and KWOK", () => {
  test(
    "l on a two-container pod, first container: the last 100 lines (tailLines=100), timestamps as the file has them",
    FIXTURE,
    async () => {
      const app = await startApp();
      await openLogs(app, 0);
      await until("the newest line", () => app.stdout.written.includes("first new 4"));
      const saved = await app.save();
      const expected = [...oldFirst, ...newFirst].slice(-100);
      assert.equal(withoutMarkers(saved).length, 100, saved.slice(0, 3).join("\n"));
      for (const [i, line] of withoutMarkers(saved).entries()) {
        const [ts, text] = expected[i] as [string, string];
        const at = line.indexOf(" ");
        assert.equal(line.slice(at + 1), text);
        assert.ok(sameInstant(line.slice(0, at), ts), `${line} has the file's timestamp ${ts}`);
      }
      // kubectl logs --timestamps --tail=100 prints the same lines with the same timestamps.
      const oracle = kubectlOk(cluster, "logs", "-n", NS, POD, "-c", "first", "--timestamps", "--tail=100");
      assert.deepEqual(withoutMarkers(saved), oracle.trimEnd().split("\n"));
      await app.quit();
    },
  );

  test("2 (sinceSeconds=60): only the lines of the last minute; 1 (head): the whole file", FIXTURE, async () => {
    const app = await startApp();
    await openLogs(app, 0);
    await until("the newest line", () => app.stdout.written.includes("first new 4"));
    app.stdin.type("2");
    await until("the 1m range", () => /\(1m\)/.test(app.stdout.written.slice(-4000)));
    await sleep(500);
    assert.deepEqual(
      texts(await app.save()),
      newFirst.map(([, t]) => t),
    );
    app.stdin.type("1");
    await until("the head range", () => /\(head\)/.test(app.stdout.written.slice(-4000)));
    const whole = [...oldFirst, ...newFirst].map(([, t]) => t);
    // The head is above the screen (the view follows the end): read it from saves until the stream has brought it all.
    let saved: string[] = [];
    await until("the whole file", async () => {
      saved = texts(await app.save());
      return saved.length >= whole.length || undefined;
    });
    assert.deepEqual(saved, whole);
    await app.quit();
  });

  test("the second container: its own file's lines", FIXTURE, async () => {
    const app = await startApp();
    await openLogs(app, 1);
    await until("the second container's lines", () => app.stdout.written.includes("second 2"));
    const saved = await app.save();
    assert.deepEqual(texts(saved), ["second 0", "second 1", "second 2"]);
    await app.quit();
  });

  test(
    "p (previous): KWOK's previousLogsFile for the first container; for the second, which has none, KWOK's 400 (it reads \".\") as the view shows it",
    FIXTURE,
    async () => {
      const app = await startApp();
      await openLogs(app, 0, true);
      await until("the previous lines", () => app.stdout.written.includes("first previous 1"));
      assert.deepEqual(texts(await app.save()), ["first previous 0", "first previous 1"]);
      app.stdin.type("\x1b");
      await sleep(300);
      app.stdin.type("\x1b");
      await sleep(300);
      const from = app.stdout.written.length;
      await openLogs(app, 1, true);
      // KWOK reads the rule's previousLogsFile, "" here, which its path handling makes "."; the kubelet's log reader
      // fails on it, KWOK answers 400 with that message, the apiserver relays it and the view shows it (and stops).
      await until("KWOK's error on the view's bottom line", () =>
        /server error 400 at \S+\/api\/v1\/namespaces\/logs\/pods\/two\/log: failed to tail 100 lines of log file "\.": read \.: is a directory/.test(
          app.since(from),
        ),
      );
      assert.deepEqual(texts(await app.save()), []);
      await app.quit();
    },
  );

  test(
    "follow: appended lines arrive; kill -9 kube-apiserver mid-stream and restart it → the view resumes with a marker, no line twice, none lost",
    FIXTURE,
    async () => {
      const app = await startApp();
      await openLogs(app, 1);
      await until("the second container's lines", () => app.stdout.written.includes("second 2"));
      const append = (text: string) => appendFileSync(files.second, cri(tsAt(Date.now()), text));
      for (let i = 0; i < 3; i++) {
        append(`follow ${i}`);
        await sleep(100);
      }
      await until("the appended lines", () => app.stdout.written.includes("follow 2"));
      await cluster.killApiserver();
      for (let i = 0; i < 3; i++) append(`while down ${i}`);
      await cluster.restartApiserver();
      for (let i = 0; i < 3; i++) append(`after restart ${i}`);
      await until("the lines from after the restart", () => app.stdout.written.includes("after restart 2"), 30_000);
      await sleep(500);
      const saved = await app.save();
      assert.ok(
        saved.some((l) => l.startsWith("── log stream ended; reconnecting from the last line")),
        saved.join("\n"),
      );
      const lines = withoutMarkers(saved);
      assert.equal(new Set(lines).size, lines.length, `no line twice:\n${saved.join("\n")}`);
      assert.deepEqual(
        texts(saved),
        fileLines(files.second).map(([, t]) => t),
      );
      await app.quit();
    },
  );
});

describe("the YAML view through the apiserver", () => {
  test(
    "a ConfigMap changed with kubectl: the view GETs it again, shows the new value, keeps its scroll",
    FIXTURE,
    async () => {
      const data: Record<string, string> = {};
      for (let i = 0; i < 80; i++) data[`key-${String(i).padStart(2, "0")}`] = `value ${i}`;
      const res = await cluster.request("POST", "/api/v1/namespaces/yaml/configmaps", {
        apiVersion: "v1",
        kind: "ConfigMap",
        metadata: { name: "settings" },
        data,
      });
      assert.equal(res.status, 201, res.body.toString());
      const repo = session.repo;
      const query = { kind: "configmaps", namespace: "yaml" };
      const release = repo.hold(query);
      try {
        const row = await until("the ConfigMap's row", () => repo.rows(query).find((r) => r.name === "settings"));
        const kind = repo.resolve("configmaps");
        assert.ok(kind);
        const ctx = (): ViewContext => ({
          repo,
          now: Date.now(),
          width: 120,
          height: 20,
          namespace: "yaml",
          readOnly: false,
          forwards: [],
        });
        let gets = 0;
        /** Carries out the view's GETs against the apiserver, as runApp does, and feeds their results back. */
        const run = async (result: ReturnType<YamlView["fetch"]>): Promise<YamlView> => {
          let [view, actions] = result as [YamlView, (typeof result)[1]];
          for (;;) {
            const get = actions.find((a) => a.type === "effect" && a.effect.type === "get");
            if (get?.type !== "effect" || get.effect.type !== "get") return view;
            gets++;
            const { id, path } = get.effect;
            const value = await session.get(path);
            [view, actions] = view.update({ type: "result", id, value }, ctx()) as [YamlView, typeof actions];
          }
        };
        let view = await run(YamlView.open(kind, row, "configmaps", "cm").fetch());
        assert.equal(gets, 1);
        assert.match(view.text ?? "", /key-40: value 40/);
        for (let i = 0; i < 30; i++) {
          const binding = findBinding(view.bindings(ctx()), key("j"));
          assert.ok(binding, "j is bound");
          [view] = binding.run() as [YamlView, unknown];
        }
        const scrolled = view.scroll;
        assert.ok(scrolled > 0, `scrolled (${scrolled})`);
        kubectlOk(
          cluster,
          "patch",
          "configmap",
          "settings",
          "-n",
          "yaml",
          "--type=merge",
          "-p",
          '{"data":{"key-40":"changed by kubectl"}}',
        );
        view = await until("the row changes and the view GETs again", async () => {
          const next = await run(view.update({ type: "data" }, ctx()));
          return /key-40: changed by kubectl/.test(next.text ?? "") ? next : undefined;
        });
        assert.equal(gets, 2, "one more GET, for the changed row");
        assert.doesNotMatch(view.text ?? "", /value 40\n/);
        assert.equal(view.scroll, scrolled, "the scroll position stays");
      } finally {
        release();
      }
    },
  );
});
