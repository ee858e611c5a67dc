// A kube-apiserver with watch-list turned off (--feature-gates=WatchList=false, as on servers older than v1.34 by
// default): listMode "auto" asks for a watch-list once, is refused, and syncs with a paginated LIST instead.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import type { InformerRepository } from "../../src/repository/informer-repository.ts";
import { type Cluster, startCluster } from "./cluster.ts";
import { createNamespace, createRunningPod, deletePod } from "./lib/api.ts";
import { assertConverges, recordingInformer, until } from "./lib/informer.ts";
import { EXTERNAL, fixtureOnly } from "./lib/target.ts";

let cluster: Cluster;
let repo: InformerRepository | undefined;

/** Every test here needs the local fixture: skipped, with this reason, on an external cluster. */
const FIXTURE = fixtureOnly("a kube-apiserver started with --feature-gates=WatchList=false");

before(async () => {
  if (EXTERNAL) return;
  cluster = await startCluster({
    apiserverFlags: ["--feature-gates=WatchList=false"],
    log: (m) => console.log(`[cluster] ${m}`),
  });
  await createNamespace(cluster, "apps");
  for (let i = 0; i < 12; i++) await createRunningPod(cluster, "apps", `api-${i}`);
});

after(async () => {
  await repo?.stopAndWait();
  await cluster?.stop();
});

test('listMode "auto" falls back to LIST pages when the server refuses watch-list, then watches', FIXTURE, async () => {
  const recorded = await recordingInformer({ kubeconfig: cluster.kubeconfigPath }, { listMode: "auto", pageSize: 5 });
  repo = recorded.repo;
  const { requests } = recorded;
  await repo.startPriority();
  assert.equal(repo.getLoadingStatus("pods").count, 12);
  assert.equal(repo.getLoadingStatus("pods").error, undefined);
  await assertConverges(repo, cluster, "after the fallback sync");

  // One refused watch-list, then three LIST pages of 5, then a plain watch from the list's resourceVersion.
  const first = requests[0];
  assert.equal(first?.kind, "watchlist");
  const lists = requests.filter((r) => r.kind === "list");
  assert.equal(lists.length, 3, JSON.stringify(requests.map((r) => `${r.kind} ${r.params}`)));
  assert.ok(lists.every((r) => r.path === "/api/v1/pods" && r.params.get("limit") === "5"));
  await until(
    () => requests.some((r) => r.kind === "watch" && r.params.get("resourceVersion")),
    "a plain watch is open",
  );

  await createRunningPod(cluster, "apps", "late");
  await deletePod(cluster, "apps", "api-0", 0);
  await until(() => repo!.getPods().some((p) => p.name === "late"), "late appears");
  await assertConverges(repo, cluster, "after live changes");
  // The refusal is remembered: no second watch-list attempt.
  assert.equal(requests.filter((r) => r.params.get("sendInitialEvents") === "true").length, 1);
});
