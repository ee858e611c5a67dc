// Shared set-up for tests that run the informer against the simulated API server over real HTTPS.
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { rowKey } from "../../../src/kube/store.ts";
import { type InformerOptions, InformerRepository } from "../../../src/repository/informer-repository.ts";
import { podRow } from "../../../src/resources/pods.ts";
import { podSearchFields, withSearchText } from "../../../src/resources/search.ts";
import { type SimOptions, type SimServer, startSimServer } from "../../../src/sim/index.ts";

export interface Harness {
  sim: SimServer;
  repo: InformerRepository;
  kubeconfig: string;
  close(): Promise<void>;
}

/** Fast reconnects so fault tests finish in seconds; the defaults are tested separately. */
export const FAST: InformerOptions = {
  backoff: { initialMs: 20, maxMs: 200 },
  idleTimeoutMs: 5_000,
  resources: ["pods"],
};

export async function startHarness(
  simOptions: Partial<SimOptions> & { pods: number },
  repoOptions: InformerOptions = FAST,
): Promise<Harness> {
  const sim = await startSimServer({ seed: 7, churn: 0, bookmarkIntervalMs: 500, deleteGraceMs: 100, ...simOptions });
  const dir = mkdtempSync(join(tmpdir(), "timoneiro-test-"));
  const kubeconfig = join(dir, "kubeconfig");
  writeFileSync(kubeconfig, sim.kubeconfig("timoneiro-sim"));
  const repo = await InformerRepository.fromKubeconfig({ kubeconfig }, repoOptions);
  return {
    sim,
    repo,
    kubeconfig,
    async close() {
      await repo.stopAndWait();
      await sim.stop();
    },
  };
}

/** Waits until `predicate` holds, re-checking on every repository change and every 20 ms; fails after `limitMs`. */
export async function until(repo: InformerRepository, predicate: () => boolean, what: string, limitMs = 15_000) {
  if (predicate()) return;
  await new Promise<void>((resolve, reject) => {
    const check = () => {
      if (!predicate()) return;
      clearInterval(timer);
      clearTimeout(limit);
      unsubscribe();
      resolve();
    };
    const unsubscribe = repo.subscribe(check);
    const timer = setInterval(check, 20);
    const limit = setTimeout(() => {
      clearInterval(timer);
      unsubscribe();
      reject(new Error(`timed out waiting for: ${what}`));
    }, limitMs);
  });
}

/** The pod rows a fresh LIST of the server gives, sorted like the cache. */
export function serverRows(sim: SimServer) {
  return sim.store
    .list("pods")
    .map((o) => withSearchText(podRow(o), podSearchFields))
    .sort(
      (a, b) =>
        b.createdAt - a.createdAt ||
        (a.namespace < b.namespace
          ? -1
          : a.namespace > b.namespace
            ? 1
            : a.name < b.name
              ? -1
              : a.name > b.name
                ? 1
                : 0),
    );
}

/** The cache holds exactly what the server has, object for object. */
export function cacheMatchesServer(h: Harness): boolean {
  const cached = h.repo.getPods();
  const fresh = serverRows(h.sim);
  if (cached.length !== fresh.length) return false;
  for (let i = 0; i < fresh.length; i++) {
    if (rowKey(cached[i]!) !== rowKey(fresh[i]!) || JSON.stringify(cached[i]) !== JSON.stringify(fresh[i]))
      return false;
  }
  return true;
}

export async function assertConverges(h: Harness, what: string) {
  await until(h.repo, () => cacheMatchesServer(h), `cache equals a fresh LIST (${what})`);
  assert.deepEqual(h.repo.getPods(), serverRows(h.sim));
}
