// Faults of a real control plane, each followed by the check that the informer's cache equals a fresh LIST, object
// for object. Every test runs two informers side by side, one syncing with LIST over JSON and one with watch-list over
// protobuf, since they recover through different requests and decoders.
//
//   kill -9 kube-apiserver mid-watch, pods deleted in etcd while it is down, restart → the informers converge.
//   410 Gone on resume: a TCP proxy (lib/proxy.ts) cuts the informers off while the test, talking to the server
//     directly, deletes and creates pods, compacts etcd and restarts kube-apiserver (its watch cache then starts at
//     the compacted revision). Reconnected, the informers resume from their old resourceVersion, get 410, relist and
//     drop the pods deleted meanwhile. The proxy makes "the informer is not looking" exact, where a long backoff
//     would only make it likely.
//   SIGSTOP kube-apiserver for 30 s (a black hole: connections stay open, nothing answers), pods deleted in etcd
//     meanwhile, SIGCONT → the silent watch is detected (idleTimeoutMs 10 s) and the informers converge.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import type { InformerOptions, InformerRepository } from "../../src/repository/informer-repository.ts";
import { type Cluster, startCluster } from "./cluster.ts";
import { createNamespace, createRunningPod, deletePod, deletePodInEtcd, listPods, patchPodStatus } from "./lib/api.ts";
import { assertConverges, type Context, informer, kubeconfigVia, recordErrors, sleep, until } from "./lib/informer.ts";
import { startProxy, type TcpProxy } from "./lib/proxy.ts";
import { EXTERNAL, fixtureOnly } from "./lib/target.ts";

let cluster: Cluster;
let proxy: TcpProxy | undefined;
const open: InformerRepository[] = [];

/** Every test here needs the local fixture: skipped, with this reason, on an external cluster. */
const FIXTURE = fixtureOnly("kill -9, SIGSTOP and etcd compaction of a kube-apiserver and etcd this process owns");

before(async () => {
  if (EXTERNAL) return;
  cluster = await startCluster({ log: (m) => console.log(`[cluster] ${m}`) });
});

after(async () => {
  await Promise.all(open.map((repo) => repo.stopAndWait()));
  await proxy?.close();
  await cluster?.stop();
});

/** A LIST informer (JSON) and a watch-list informer (protobuf) on the same cluster, synced. */
async function pair(at: Context, options: InformerOptions = {}): Promise<InformerRepository[]> {
  const repos = [
    await informer(at, { ...options, listMode: "list", wire: "json" }),
    await informer(at, { ...options, listMode: "watchlist", wire: "protobuf" }),
  ];
  open.push(...repos);
  await Promise.all(repos.map((repo) => repo.startPriority()));
  return repos;
}

async function allConverge(repos: InformerRepository[], what: string): Promise<void> {
  for (const [i, repo] of repos.entries()) {
    await assertConverges(repo, cluster, `${what}, ${i === 0 ? "LIST/JSON" : "watch-list/protobuf"} informer`);
  }
}

/** Proves the watches deliver before a fault: a new pod shows up in every cache. */
async function watchesFlow(repos: InformerRepository[], namespace: string, name: string): Promise<void> {
  await createRunningPod(cluster, namespace, name);
  for (const repo of repos) {
    await until(() => repo.getPods().some((p) => p.namespace === namespace && p.name === name), `${name} is seen`);
  }
}

async function populate(namespace: string, count: number): Promise<string[]> {
  await createNamespace(cluster, namespace);
  const names: string[] = [];
  for (let i = 0; i < count; i++) {
    names.push(`pod-${i}`);
    await createRunningPod(cluster, namespace, `pod-${i}`);
  }
  return names;
}

const has = (repo: InformerRepository, namespace: string, name: string) =>
  repo.getPods().some((p) => p.namespace === namespace && p.name === name);

test(
  "kill -9 kube-apiserver mid-watch, pods deleted in etcd while it is down, restart → converges",
  FIXTURE,
  async () => {
    const names = await populate("kill", 15);
    const repos = await pair({ kubeconfig: cluster.kubeconfigPath });
    await allConverge(repos, "before the kill");
    await watchesFlow(repos, "kill", "before-kill");
    const watched = repos.map(recordErrors);

    await cluster.killApiserver();
    for (const [i, w] of watched.entries()) {
      await until(() => w.errors.length > 0, `informer ${i} notices the dead server`);
    }
    const gone = names.slice(0, 3);
    for (const name of gone) await deletePodInEtcd(cluster, "kill", name);
    await cluster.restartApiserver();

    // Changes right after the restart, through the new process.
    await createRunningPod(cluster, "kill", "after-restart");
    await deletePod(cluster, "kill", names[3]!, 0);
    await patchPodStatus(cluster, "kill", names[4]!, { phase: "Failed", reason: "Evicted" });
    await allConverge(repos, "after the restart");
    for (const repo of repos) {
      for (const name of gone) assert.ok(!has(repo, "kill", name), `${name} (deleted in etcd) left the cache`);
      await until(() => repo.getLoadingStatus("pods").error === undefined, "the error clears");
      assert.equal(repo.getLoadingStatus("pods").synced, true);
    }
    for (const w of watched) {
      w.stop();
      // The first error is the dying watch's, and it says so.
      assert.match(w.errors[0] ?? "", /was reset|connection closed/, JSON.stringify(w.errors));
    }
    console.log(`errors seen while down: ${JSON.stringify(watched.map((w) => w.errors.slice(0, 3)))}`);
    await Promise.all(repos.map((repo) => repo.stopAndWait()));
  },
);

test(
  "410 on resume (etcd compacted, kube-apiserver restarted while the informers were cut off) → relist drops the deleted pods",
  FIXTURE,
  async () => {
    const names = await populate("gone", 12);
    proxy = await startProxy(cluster.server);
    const repos = await pair({ kubeconfig: kubeconfigVia(cluster, proxy.server, "proxied") });
    await allConverge(repos, "before the cut");
    await watchesFlow(repos, "gone", "before-cut");
    const before = repos.map((repo) => repo.reflector("pods")!.status.relists);
    const watched = repos.map(recordErrors);

    proxy.block();
    for (const [i, w] of watched.entries()) await until(() => w.errors.length > 0, `informer ${i} notices the cut`);
    const victims = names.slice(0, 4);
    for (const name of victims) await deletePod(cluster, "gone", name, 0);
    await createRunningPod(cluster, "gone", "born-while-cut");
    await cluster.compact();
    await cluster.restartApiserver();
    // Their caches still hold the victims: they saw nothing of it.
    for (const repo of repos) assert.ok(victims.every((name) => has(repo, "gone", name)));
    proxy.unblock();

    await allConverge(repos, "after the 410");
    for (const [i, repo] of repos.entries()) {
      for (const name of victims) assert.ok(!has(repo, "gone", name), `${name} was dropped by informer ${i}`);
      assert.ok(has(repo, "gone", "born-while-cut"));
      assert.ok(repo.reflector("pods")!.status.relists > before[i]!, `informer ${i} relisted after 410`);
    }
    for (const w of watched) w.stop();
    // And it goes on watching: a change after the relist arrives.
    await watchesFlow(repos, "gone", "after-relist");
    await allConverge(repos, "after the relist");
    await Promise.all(repos.map((repo) => repo.stopAndWait()));
    await proxy.close();
    proxy = undefined;
  },
);

test(
  "SIGSTOP kube-apiserver for 30 s (black hole), pods deleted in etcd meanwhile, SIGCONT → reconnects and converges",
  FIXTURE,
  async () => {
    const names = await populate("frozen", 10);
    const repos = await pair({ kubeconfig: cluster.kubeconfigPath }, { idleTimeoutMs: 10_000 });
    await allConverge(repos, "before the pause");
    await watchesFlow(repos, "frozen", "before-pause");

    cluster.pauseApiserver();
    let resumed = false;
    try {
      const watched = repos.map(recordErrors);
      const gone = names.slice(0, 3);
      for (const name of gone) await deletePodInEtcd(cluster, "frozen", name);
      await sleep(30_000);
      for (const w of watched) w.stop();
      console.log(`errors seen during the pause: ${JSON.stringify(watched.map((w) => w.errors))}`);
      // The dead connection was noticed during the pause, by silence on the watch or by a request that got no answer.
      for (const [i, w] of watched.entries()) {
        assert.ok(
          w.errors.some((e) => /silent|timed out/.test(e)),
          `informer ${i} saw the silence: ${JSON.stringify(w.errors)}`,
        );
      }
      cluster.resumeApiserver();
      resumed = true;
      await allConverge(repos, "after SIGCONT");
      for (const repo of repos) for (const name of gone) assert.ok(!has(repo, "frozen", name));
      await createRunningPod(cluster, "frozen", "after-pause");
      await allConverge(repos, "after a create following SIGCONT");
      for (const repo of repos) {
        await until(() => repo.getLoadingStatus("pods").error === undefined, "the error clears");
      }
      assert.equal((await listPods(cluster, "frozen")).length, names.length - gone.length + 2);
    } finally {
      if (!resumed) cluster.resumeApiserver();
    }
    await Promise.all(repos.map((repo) => repo.stopAndWait()));
  },
);
