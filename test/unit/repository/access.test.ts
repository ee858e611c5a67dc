// What a repository does when the server says no, or is not there: RBAC refusals shown once and retried slowly, a
// namespaced informer for a user who may not list a kind cluster-wide, a dead server that hangs nothing, and the
// kubeconfig's contexts for switching.
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, test } from "node:test";
import { KubeError } from "../../../src/kube/errors.ts";
import { listContexts, loadKubeconfig } from "../../../src/kube/kubeconfig.ts";
import { InformerRepository, transportFor } from "../../../src/repository/informer-repository.ts";
import { type SimServer, startSimServer } from "../../../src/sim/index.ts";
import { keys, OPTIONS, serverKeys, until } from "./harness.ts";

function tempFile(name: string, text: string): string {
  const path = join(mkdtempSync(join(tmpdir(), "timoneiro-repo-")), name);
  writeFileSync(path, text);
  return path;
}

/**
 * A repository for the simulator's user `token`, whose transport counts collection requests and may refuse some
 * itself (`refuse` → 403, for permissions the simulator cannot express).
 */
async function repoFor(sim: SimServer, token: string, refuse: (path: string) => boolean = () => false) {
  const kubeconfig = tempFile("kubeconfig", sim.kubeconfig("sim").replaceAll(sim.token, token));
  const transport = await transportFor(loadKubeconfig({ kubeconfig }));
  const requests: string[] = [];
  const stream = transport.stream.bind(transport);
  transport.stream = (path, options) => {
    requests.push(path);
    if (refuse(path)) {
      return Promise.reject(
        new KubeError("http", `forbidden (403): cannot list ${path.split("?")[0]} at the cluster scope`, {
          status: 403,
          reason: "Forbidden",
        }),
      );
    }
    return stream(path, options);
  };
  const repo = new InformerRepository(
    transport,
    { contextName: "sim", clusterName: "sim" },
    { ...OPTIONS, refusalRetryMs: 100 },
  );
  return { repo, requests };
}

describe("refusals", () => {
  test("a kind the user may not list: 403 shown once, retried slowly, a namespace query tries its own informer", async () => {
    const sim = await startSimServer({
      pods: 30,
      seed: 7,
      users: [{ name: "dev", token: "dev-token", deny: ["deployments"] }],
    });
    const { repo, requests } = await repoFor(sim, "dev-token");
    try {
      await repo.startPriority();
      const all = { kind: "deployments" };
      const errors: (string | undefined)[] = [];
      repo.subscribe(() => {
        const error = repo.status(all).error;
        if (errors.at(-1) !== error) errors.push(error);
      });
      const namespace = sim.store.list("deployments")[0]!.metadata!.namespace!;
      const release = repo.hold({ kind: "deployments", namespace });
      const clusterWide = () => requests.filter((p) => p.startsWith("/apis/apps/v1/deployments?")).length;
      await until(repo, () => clusterWide() >= 3, "two slow retries");
      const status = repo.status(all);
      assert.equal(status.refused, true);
      assert.match(status.error!, /forbidden/i);
      assert.equal(status.synced, false);
      assert.deepEqual(errors, [status.error], "the refusal is said once: no flicker while retrying");
      // The simulator denies every namespace too, so the namespace's own informer is refused as well.
      const own = repo.statuses().find((s) => s.resource === "deployments.apps" && s.namespace === namespace);
      assert.ok(own, "a namespaced informer was started");
      assert.equal(repo.status({ kind: "deployments", namespace }).namespace, namespace);
      assert.equal(repo.status({ kind: "deployments", namespace }).refused, true);
      assert.ok(repo.status({ kind: "pods" }).synced, "other kinds are unaffected");
      release();
    } finally {
      await repo.stopAndWait();
      await sim.stop();
    }
  });

  test("a user who may list a kind in one namespace only sees that namespace through its own informer", async () => {
    const sim = await startSimServer({ pods: 30, seed: 7 });
    // The simulator's RBAC is per resource; cluster-scope-only refusals come from the transport here.
    const { repo } = await repoFor(sim, sim.token, (path) => path.startsWith("/apis/apps/v1/deployments?"));
    try {
      await repo.startPriority();
      const namespace = sim.store.list("deployments")[0]!.metadata!.namespace!;
      const query = { kind: "deployments", namespace };
      const release = repo.hold(query);
      await until(repo, () => repo.status(query).synced, "the namespaced informer synced");
      assert.deepEqual(keys(repo.rows(query)), serverKeys(sim.store.list("deployments", namespace)));
      assert.equal(repo.status(query).error, undefined);
      assert.equal(repo.status(query).namespace, namespace);
      assert.equal(repo.status({ kind: "deployments" }).refused, true, "all namespaces: still refused");
      assert.equal(repo.rows({ kind: "deployments" }).length, 0);
      release();
    } finally {
      await repo.stopAndWait();
      await sim.stop();
    }
  });
});

describe("lifecycle", () => {
  test("a dead server: building and holding do not block, errors surface in statuses, stopAndWait frees all", async () => {
    const port = await closedPort();
    const kubeconfig = tempFile(
      "kubeconfig",
      [
        "apiVersion: v1",
        "kind: Config",
        "current-context: dead",
        "clusters: [{name: dead, cluster: {server: 'https://127.0.0.1:" + port + "', insecure-skip-tls-verify: true}}]",
        "users: [{name: u, user: {token: t}}]",
        "contexts: [{name: dead, context: {cluster: dead, user: u}}]",
      ].join("\n"),
    );
    const repo = await InformerRepository.fromKubeconfig({ kubeconfig }, OPTIONS);
    try {
      const release = repo.hold({ kind: "deployments" });
      await assert.rejects(repo.startPriority(), (err: KubeError) => err.kind === "network");
      await until(repo, () => repo.status({ kind: "deployments" }).error !== undefined, "the error shows");
      await until(repo, () => repo.kindsStatus().error !== undefined, "discovery's failure shows");
      assert.equal(repo.kindsStatus().source, "builtin");
      assert.match(repo.kindsStatus().error!, /discovery failed/);
      assert.equal(repo.resolve("deploy")?.key, "deployments.apps", "built-in kinds still resolve");
      assert.deepEqual(
        repo.statuses().map((s) => s.resource),
        ["pods", "deployments.apps"],
      );
      release();
    } finally {
      await repo.stopAndWait();
    }
    assert.deepEqual(repo.statuses(), [], "nothing left running");
    assert.equal(repo.rows({ kind: "pods" }).length, 0);
    assert.doesNotThrow(() => repo.hold({ kind: "pods" })(), "holding a stopped repository is harmless");
  });

  test("listContexts names every context of the kubeconfig, with the current one marked", () => {
    const kubeconfig = tempFile(
      "kubeconfig",
      [
        "apiVersion: v1",
        "kind: Config",
        "current-context: b",
        "clusters: [{name: c1, cluster: {server: 'https://127.0.0.1:1'}}, {name: c2, cluster: {server: 'https://127.0.0.1:2'}}]",
        "users: [{name: u1, user: {token: t}}]",
        "contexts:",
        "  - {name: a, context: {cluster: c1, user: u1}}",
        "  - {name: b, context: {cluster: c2, user: u1, namespace: shop}}",
      ].join("\n"),
    );
    assert.deepEqual(listContexts({ kubeconfig }), [
      { name: "a", cluster: "c1", user: "u1", namespace: undefined, current: false },
      { name: "b", cluster: "c2", user: "u1", namespace: "shop", current: true },
    ]);
  });
});

/** A loopback port nothing listens on. */
function closedPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
