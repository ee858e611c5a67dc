// Switching kubeconfig contexts at runtime against the real server (src/cli/session.ts switchContext, then the built
// CLI in a pseudo-terminal): the admin context, the restricted one (403 on cluster-wide pods, the one-line error,
// refused; namespace `allowed` works through a namespaced informer), and a context whose server is dead (the switch
// fails with an error, the previous session keeps working).
import assert from "node:assert/strict";
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, afterEach, before, test } from "node:test";
import { parse as parseYaml, stringify as toYaml } from "yaml";
import { openSession, type Session, switchContext } from "../../src/cli/session.ts";
import type { InformerOptions } from "../../src/repository/informer-repository.ts";
import { builtinKindOrThrow } from "../../src/resources/index.ts";
import type { BaseRow, Column } from "../../src/resources/types.ts";
import { killAll, spawnApp } from "../e2e/pty.ts";
import { freePort } from "./cluster.ts";
import { createNamespace, createNode, createRunningPod, deletePod } from "./lib/api.ts";
import { until } from "./lib/informer.ts";
import { compareWithKubectl } from "./lib/oracle.ts";
import { EXTERNAL, fixtureOnly, type TestCluster, testCluster } from "./lib/target.ts";

const SKIP = fixtureOnly("needs the fixture's contexts envtest-admin and envtest-restricted");
const FORBIDDEN =
  'forbidden (403): pods is forbidden: User "restricted" cannot list resource "pods" in API group "" at the ' +
  "cluster scope; ask for list/watch rights or pick a namespace you can read (-n)";
const OPTIONS: InformerOptions = { backoff: { initialMs: 50, maxMs: 1000, factor: 2 } };
const PODS = builtinKindOrThrow("pods").columns as Column<BaseRow>[];

let cluster: TestCluster;
/** The fixture's kubeconfig plus a context `dead` whose server is a closed loopback port. */
let kubeconfig = "";
let deadServer = "";
let workDir = "";
const sessions: Session[] = [];

before(async () => {
  if (EXTERNAL) return;
  cluster = await testCluster();
  workDir = mkdtempSync(join(tmpdir(), "timoneiro-contexts-"));
  const config = parseYaml(readFileSync(cluster.kubeconfigPath, "utf8")) as {
    clusters: { name: string; cluster: Record<string, unknown> }[];
    contexts: { name: string; context: Record<string, unknown> }[];
  };
  const port = await freePort(); // closed again once freePort returns: connecting is refused
  deadServer = `https://127.0.0.1:${port}`;
  config.clusters.push({ name: "dead", cluster: { ...config.clusters[0]!.cluster, server: deadServer } });
  config.contexts.push({ name: "dead", context: { ...config.contexts[0]!.context, cluster: "dead" } });
  kubeconfig = join(workDir, "kubeconfig");
  writeFileSync(kubeconfig, toYaml(config), { mode: 0o600 });

  await createNode(cluster, "node-a");
  await createNamespace(cluster, "elsewhere");
  await createRunningPod(cluster, "allowed", "mine-1");
  await createRunningPod(cluster, "allowed", "mine-2");
  await createRunningPod(cluster, "elsewhere", "theirs-1");
});

afterEach(() => killAll());
after(async () => {
  killAll();
  await Promise.all(sessions.map((s) => s.stop()));
  await cluster?.stop();
  if (workDir) rmSync(workDir, { recursive: true, force: true });
});

type Outcome = { ready: Session } | { failed: string };

/** switchContext to `context`; resolves with the session it hands over, or the error it fails with. */
function switchTo(context: string, progress: string[] = []): Promise<Outcome> {
  return new Promise((resolve) => {
    switchContext({ kubeconfig, context }, OPTIONS, {
      progress: (text) => progress.push(text),
      ready: (session) => {
        sessions.push(session);
        resolve({ ready: session });
      },
      failed: (error) => resolve({ failed: error }),
    });
  });
}

function ready(outcome: Outcome): Session {
  assert.ok("ready" in outcome, `the switch failed: ${"failed" in outcome ? outcome.failed : ""}`);
  return outcome.ready;
}

test(
  "admin → restricted → admin with switchContext: the 403 line, namespace allowed works, then all pods again",
  SKIP,
  async () => {
    const admin = await openSession({ kubeconfig, context: "envtest-admin" }, OPTIONS);
    sessions.push(admin);
    await admin.repo.startPriority();
    assert.equal(admin.repo.contextName, "envtest-admin");
    await until(() => admin.repo.getPods().length === 3, "admin sees the 3 pods");

    const restricted = ready(await switchTo("envtest-restricted"));
    assert.equal(restricted.repo.contextName, "envtest-restricted");
    // Cluster-wide pods: refused, with the one-line 403.
    await until(() => restricted.repo.status({ kind: "pods" }).error !== undefined, "the pods query has an error");
    const all = restricted.repo.status({ kind: "pods" });
    assert.equal(all.error, FORBIDDEN);
    assert.equal(all.refused, true);
    assert.equal(all.synced, false);
    assert.deepEqual(restricted.repo.rows({ kind: "pods" }), []);
    // Namespace allowed: a namespaced informer of its own, whose rows are what kubectl shows that user.
    const query = { kind: "pods", namespace: "allowed" };
    const release = restricted.repo.hold(query);
    try {
      await until(
        () => restricted.repo.status(query).synced,
        `allowed synced (${JSON.stringify(restricted.repo.status(query))})`,
      );
      const status = restricted.repo.status(query);
      assert.equal(status.namespace, "allowed", "served by an informer on namespace allowed");
      assert.equal(status.error, undefined);
      assert.equal(status.refused, undefined);
      const rows = restricted.repo.rows(query);
      assert.deepEqual(rows.map((r) => r.name).sort(), ["mine-1", "mine-2"]);
      const target = { kubeconfigPath: kubeconfig, context: "envtest-restricted" };
      const result = compareWithKubectl(target, ["get", "pods", "-n", "allowed", "-o", "wide"], rows, PODS, {
        namespaceColumn: false,
      });
      assert.deepEqual(result.differences, [], result.out);
      // It follows changes there.
      await createRunningPod(cluster, "allowed", "mine-3");
      await until(() => restricted.repo.rows(query).some((r) => r.name === "mine-3"), "mine-3 appears");
      // The cluster-wide query still says why it is empty.
      assert.equal(restricted.repo.status({ kind: "pods" }).error, FORBIDDEN);
    } finally {
      release();
    }

    const back = ready(await switchTo("envtest-admin"));
    await until(() => back.repo.getPods().length === 4, "admin again: every pod");
    assert.equal(back.repo.status({ kind: "pods" }).error, undefined);
    await deletePod(cluster, "allowed", "mine-3", 0);
  },
);

test(
  "a context whose server is dead: the switch fails with the error, the previous session keeps working",
  SKIP,
  async () => {
    const admin = ready(await switchTo("envtest-admin"));
    await until(() => admin.repo.status({ kind: "pods" }).synced, "admin synced");
    const progress: string[] = [];
    const outcome = await switchTo("dead", progress);
    assert.ok("failed" in outcome, "the switch to a dead server fails");
    assert.match(outcome.failed, new RegExp(`connection refused by ${deadServer.replace(/[.:/]/g, "\\$&")}`));
    // The previous session is untouched: still synced, and still following the cluster.
    assert.equal(admin.repo.status({ kind: "pods" }).error, undefined);
    await createRunningPod(cluster, "elsewhere", "after-dead");
    await until(() => admin.repo.getPods().some((p) => p.name === "after-dead"), "the previous session sees a new pod");
    await deletePod(cluster, "elsewhere", "after-dead", 0);
    await until(() => !admin.repo.getPods().some((p) => p.name === "after-dead"), "and its deletion");
  },
);

test("the built CLI in a pty: :ctx, Enter on the restricted context, then on the dead one", SKIP, async () => {
  const dist = join(import.meta.dirname, "../../dist");
  assert.ok(existsSync(join(dist, "timoneiro.js")), "dist/timoneiro.js is missing: run `npm run build`");
  cpSync(dist, join(workDir, "dist"), { recursive: true }); // other work may rebuild dist/ meanwhile
  const app = spawnApp(process.execPath, [join(workDir, "dist/timoneiro.js"), "--kubeconfig", kubeconfig], 140, 30);
  await app.waitFor(
    (s) => s.some((l) => l.includes("theirs-1")) && s.some((l) => l.includes("mine-2")),
    "admin's pods",
    60_000,
  );

  const pick = async (context: string) => {
    app.write(":ctx\r");
    await app.waitFor(
      (s) => s.some((l) => l.includes("envtest-restricted")) && s.some((l) => /\bdead\b/.test(l)),
      "the contexts",
    );
    // Move the cursor to the context's line: the contexts are listed in kubeconfig order.
    const order = ["envtest-admin", "envtest-restricted", "dead"];
    for (let i = 0; i < order.indexOf(context); i++) app.write("j");
    app.write("\r");
  };

  await pick("envtest-restricted");
  // While it connects, the 403 is a progress line; once switched, the header names the context and the pods
  // status says forbidden, one line.
  const forbidden = await app.waitFor(
    (s) =>
      /context envtest-restricted\s+cluster/.test(s[0] ?? "") && s.some((l) => l.includes("pods ✗ forbidden (403)")),
    "switched to envtest-restricted, pods forbidden",
    30_000,
  );
  assert.ok(
    forbidden.some((l) => l.includes('User "restricted" cannot list resource "pods"')),
    forbidden.join("\n"),
  );
  assert.ok(!forbidden.some((l) => l.includes("theirs-1")), "no pod of the admin's view is left on screen");
  // The namespace the user may read: its pods appear.
  app.write(":pods allowed\r");
  await app.waitFor(
    (s) => s.some((l) => l.includes("mine-1")) && s.some((l) => l.includes("mine-2")),
    "pods of allowed",
    30_000,
  );

  await pick("dead");
  const failed = await app.waitFor(
    (s) => s.some((l) => l.includes("context dead:") && l.includes("connection refused")),
    "the failed switch's error line",
    40_000,
  );
  assert.match(failed[0] ?? "", /context envtest-restricted\s+cluster/, "still on the restricted context");
  // Still usable, still on the restricted context: a new pod in allowed shows up, and Esc/q work.
  await createRunningPod(cluster, "allowed", "mine-late");
  app.write("\x1b");
  await app.waitFor((s) => s.some((l) => l.includes("mine-late")), "the new pod in allowed", 30_000);
  app.write("\x03");
  assert.equal(await app.exited, 0);
});
