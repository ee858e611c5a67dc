// Switching contexts in the background: a live context answers with a session, a dead one fails with one line and
// leaves nothing running; listContexts reads the kubeconfig's contexts.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { parse, stringify } from "yaml";
import { listContexts, type Session, switchContext } from "../../../src/cli/session.ts";
import { listContexts as kubeconfigContexts } from "../../../src/kube/kubeconfig.ts";
import { type SimServer, startSimServer } from "../../../src/sim/index.ts";

let sim: SimServer;
let dir = "";
let kubeconfig = "";

before(async () => {
  sim = await startSimServer({ pods: 30, seed: 3, churn: 0 });
  dir = mkdtempSync(join(tmpdir(), "timoneiro-session-"));
  kubeconfig = join(dir, "kubeconfig");
  // The simulator's context, and a copy pointing at a port nothing listens on.
  const config = parse(sim.kubeconfig("live")) as {
    clusters: { name: string; cluster: { server: string } }[];
    contexts: { name: string; context: { cluster: string; user: string; namespace?: string } }[];
  };
  const cluster = config.clusters[0]!;
  const context = config.contexts[0]!;
  config.clusters.push({ name: "dead", cluster: { ...cluster.cluster, server: "https://127.0.0.1:9" } });
  config.contexts.push({ name: "dead", context: { ...context.context, cluster: "dead" } });
  config.contexts.push({ name: "scoped", context: { ...context.context, namespace: "payments" } });
  writeFileSync(kubeconfig, stringify(config));
});

after(async () => {
  await sim.stop();
  rmSync(dir, { recursive: true, force: true });
});

function attempt(context: string): Promise<{ session?: Session; error?: string; progress: string[] }> {
  return new Promise((resolve) => {
    const progress: string[] = [];
    switchContext(
      { kubeconfig, context },
      {},
      {
        progress: (text) => progress.push(text),
        ready: (session) => resolve({ session, progress }),
        failed: (error) => resolve({ error, progress }),
      },
      10_000,
    );
  });
}

test("the kubeconfig's contexts, with their clusters and namespaces", () => {
  const { contexts, current } = listContexts({ kubeconfig });
  assert.equal(current, "live");
  assert.deepEqual(
    contexts.map((c) => [c.name, c.cluster === "dead" ? "dead" : "live", c.namespace ?? ""]),
    [
      ["live", "live", ""],
      ["dead", "dead", ""],
      ["scoped", "live", "payments"],
    ],
  );
});

test("a live context answers with a session whose pods are in; its default namespace comes along", async () => {
  const { session, error } = await attempt("scoped");
  assert.equal(error, undefined);
  assert.ok(session);
  assert.equal(session.repo.contextName, "scoped");
  assert.equal(session.contextNamespace, "payments");
  assert.deepEqual(session.contexts, kubeconfigContexts({ kubeconfig }), "every context, read with the session");
  assert.ok(session.repo.status({ kind: "pods" }).count > 0);
  const pod = session.repo.rows({ kind: "pods" })[0]!;
  const object = (await session.get(`/api/v1/namespaces/${pod.namespace}/pods/${pod.name}`)) as {
    metadata: { name: string };
  };
  assert.equal(object.metadata.name, pod.name, "the session GETs objects for the detail views");
  await session.stop();
});

test("a dead context fails with one line naming the server (the current session is not touched)", async () => {
  const { session, error } = await attempt("dead");
  assert.equal(session, undefined);
  assert.match(error ?? "", /connection refused by https:\/\/127\.0\.0\.1:9/);
});

test("a context the kubeconfig does not have fails at once", async () => {
  const { error } = await attempt("nope");
  assert.match(error ?? "", /context "nope" not found/);
});
