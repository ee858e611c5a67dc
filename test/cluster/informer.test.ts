// Timoneiro's informer against a real kube-apiserver: LIST and watch-list syncs, live changes, the protobuf wire format,
// and RBAC (a user who may read pods in one namespace only). Each test ends with the cache equal to a fresh LIST.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { isDeepStrictEqual } from "node:util";
import { KubeError } from "../../src/kube/errors.ts";
import { protobufDecoder } from "../../src/kube/protobuf/index.ts";
import type { ListMode } from "../../src/kube/reflector.ts";
import type { InformerOptions, InformerRepository, WireFormat } from "../../src/repository/informer-repository.ts";
import {
  createNamespace,
  createPod,
  createRunningPod,
  deletePod,
  patchPodStatus,
  podManifest,
  runningStatus,
} from "./lib/api.ts";
import { assertConverges, contextOf, informer, recordErrors, recordingInformer, sleep, until } from "./lib/informer.ts";
import { writeCorpus } from "./lib/pod-corpus.ts";
import { EXTERNAL, fixtureOnly, placement, type TestCluster, testCluster } from "./lib/target.ts";

let cluster: TestCluster;
/** Namespaces "live" and "corpus" (on an external cluster both are the one test namespace). */
let live: string;
let corpus: string;
const open: InformerRepository[] = [];

/** Registers a repository so that a failing test still stops it. */
function track<T extends InformerRepository>(repo: T): T {
  open.push(repo);
  return repo;
}

before(async () => {
  cluster = await testCluster();
  live = cluster.ns("live");
  corpus = cluster.ns("corpus");
  await createNamespace(cluster, live);
  for (let i = 0; i < 20; i++) await createRunningPod(cluster, live, `web-${i}`);
});

/** `options` scoped to the test namespace on an external cluster (the whole cluster on the fixture). */
const scoped = (options: InformerOptions = {}): InformerOptions => ({
  ...options,
  ...(cluster.scope !== undefined && { namespace: cluster.scope }),
});

after(async () => {
  await Promise.all(open.map((repo) => repo.stopAndWait()));
  await cluster?.stop();
});

const find = (repo: InformerRepository, namespace: string, name: string) =>
  repo.getPods().find((p) => p.namespace === namespace && p.name === name);

/**
 * Create → status update → delete (held by the grace period: Terminating) → final delete, each seen live. `scope` is
 * the namespace the informer watches (undefined: all, or the test namespace on an external cluster). On an external
 * cluster the pod stays unscheduled (see placement()), and the API server deletes an unscheduled pod at once: no
 * Terminating step there.
 */
async function liveChanges(
  repo: InformerRepository,
  namespace: string,
  name: string,
  scope = cluster.scope,
): Promise<void> {
  await createPod(cluster, namespace, podManifest(name, placement("node-a")));
  await until(() => find(repo, namespace, name)?.status === "Pending", `${name} appears Pending`);
  await patchPodStatus(cluster, namespace, name, runningStatus("10.244.9.9"));
  await until(() => find(repo, namespace, name)?.status === "Running", `${name} turns Running`);
  assert.equal(find(repo, namespace, name)?.ip, "10.244.9.9");
  await assertConverges(repo, cluster, `${name} running`, { namespace: scope });
  if (!EXTERNAL) {
    // A scheduled pod is only marked for deletion (no kubelet confirms it) ...
    await deletePod(cluster, namespace, name);
    await until(() => find(repo, namespace, name)?.status === "Terminating", `${name} turns Terminating`);
  }
  // ... until it is deleted with no grace period, as the kubelet would.
  await deletePod(cluster, namespace, name, 0);
  await until(() => find(repo, namespace, name) === undefined, `${name} disappears`);
  await assertConverges(repo, cluster, `${name} deleted`, { namespace: scope });
}

test("syncs pods with LIST and sees create, status update and delete live", async () => {
  const { repo, requests } = await recordingInformer(contextOf(cluster), scoped({ listMode: "list", wire: "json" }));
  track(repo);
  await repo.startPriority();
  const status = repo.getLoadingStatus("pods");
  assert.equal(status.synced, true);
  assert.equal(status.count, 20);
  assert.equal(status.error, undefined);
  await assertConverges(repo, cluster, "after sync", { namespace: cluster.scope });
  assert.equal(requests[0]?.kind, "list", "a LIST first");
  assert.equal(requests[0]?.path, cluster.scope ? `/api/v1/namespaces/${cluster.scope}/pods` : "/api/v1/pods");
  await liveChanges(repo, live, "newcomer");
  assert.equal(repo.reflector("pods")!.status.relists, 0);
  await repo.stopAndWait();
});

for (const listMode of ["watchlist", "auto"] satisfies ListMode[]) {
  test(`listMode ${listMode}: syncs through one watch-list stream (no LIST at all) and follows changes on it`, async () => {
    const { repo, requests } = await recordingInformer(contextOf(cluster), scoped({ listMode }));
    track(repo);
    await repo.startPriority();
    assert.equal(repo.getLoadingStatus("pods").count, 20);
    await assertConverges(repo, cluster, "after the watch-list sync", { namespace: cluster.scope });
    await liveChanges(repo, live, `via-${listMode}`);
    assert.deepEqual(
      requests.filter((r) => r.kind === "list"),
      [],
      "no LIST request: the initial state came from the watch-list stream",
    );
    assert.equal(requests[0]?.kind, "watchlist");
    assert.equal(requests[0]?.params.get("resourceVersionMatch"), "NotOlderThan");
    assert.equal(repo.reflector("pods")!.status.relists, 0);
    await repo.stopAndWait();
  });
}

test("a quiet cluster is not mistaken for a dead connection (no bookmark comes while nothing changes)", async () => {
  // kube-apiserver sends a bookmark only once the pods' resourceVersion has moved past the watch's start: with nothing
  // changing, a healthy watch stays silent far longer than this 10 s idle timeout (minutes, measured).
  const repos = [
    track(await informer(contextOf(cluster), scoped({ idleTimeoutMs: 10_000, listMode: "list" }))),
    track(await informer(contextOf(cluster), scoped({ idleTimeoutMs: 10_000, listMode: "watchlist" }))),
  ];
  await Promise.all(repos.map((repo) => repo.startPriority()));
  const watched = repos.map(recordErrors);
  await sleep(25_000);
  for (const w of watched) w.stop();
  assert.deepEqual(
    watched.map((w) => w.errors),
    [[], []],
  );
  for (const repo of repos) {
    await assertConverges(repo, cluster, "after the quiet spell", { namespace: cluster.scope });
    assert.equal(repo.reflector("pods")!.status.relists, 0);
    await repo.stopAndWait();
  }
});

test("protobuf: syncs, follows live changes, and its rows equal the JSON informer's over the corpus", async () => {
  const written = await writeCorpus(cluster, corpus);
  const json = track(await informer(contextOf(cluster), scoped({ wire: "json" })));
  const proto = await recordingInformer(contextOf(cluster), scoped({ decoder: protobufDecoder }));
  const protoWatchList = await recordingInformer(
    contextOf(cluster),
    scoped({ wire: "protobuf", listMode: "watchlist" }),
  );
  track(proto.repo);
  track(protoWatchList.repo);
  await Promise.all([json.startPriority(), proto.repo.startPriority(), protoWatchList.repo.startPriority()]);
  const expected = 20 + written.length;
  assert.equal(proto.repo.getPods().length, expected);
  assert.equal(protoWatchList.repo.getPods().length, expected);

  const allEqual = () =>
    isDeepStrictEqual(proto.repo.getPods(), json.getPods()) &&
    isDeepStrictEqual(protoWatchList.repo.getPods(), json.getPods());
  const scope = { namespace: cluster.scope };
  await assertConverges(json, cluster, "JSON after sync", scope);
  await until(allEqual, "protobuf rows equal JSON rows after sync");
  assert.deepEqual(proto.repo.getPods(), json.getPods());

  await liveChanges(proto.repo, corpus, "proto-live");
  await assertConverges(protoWatchList.repo, cluster, "protobuf watch-list after live changes", scope);
  await assertConverges(json, cluster, "JSON after live changes", scope);
  await until(allEqual, "protobuf rows equal JSON rows after live changes");
  assert.deepEqual(protoWatchList.repo.getPods(), json.getPods());

  // The server did answer in protobuf: the bodies carried the protobuf content type.
  for (const { requests } of [proto, protoWatchList]) {
    assert.ok(requests.length > 0);
    for (const r of requests) assert.match(r.contentType ?? "(none)", /^application\/vnd\.kubernetes\.protobuf/);
  }
  await Promise.all([json.stopAndWait(), proto.repo.stopAndWait(), protoWatchList.repo.stopAndWait()]);
});

/** The RBAC tests use the fixture's user "restricted" and its context. */
const RBAC = fixtureOnly(
  'the user "restricted" (context envtest-restricted) who may only read pods in namespace allowed',
);

// The server answers an error in the format the request preferred: a JSON or a protobuf Status.
for (const wire of ["json", "protobuf"] satisfies WireFormat[]) {
  test(
    `RBAC (${wire}): the restricted user cannot list pods cluster-wide: startPriority rejects with the one-line error`,
    RBAC,
    async () => {
      const repo = track(
        await informer({ kubeconfig: cluster.kubeconfigPath, context: "envtest-restricted" }, { wire }),
      );
      const expected =
        'forbidden (403): pods is forbidden: User "restricted" cannot list resource "pods" in API group "" at the ' +
        "cluster scope; ask for list/watch rights or pick a namespace you can read (-n)";
      await assert.rejects(repo.startPriority(), (err: unknown) => {
        assert.ok(err instanceof KubeError, String(err));
        assert.equal(err.message, expected);
        assert.equal(err.status, 403);
        return true;
      });
      assert.equal(repo.getLoadingStatus("pods").error, expected);
      assert.equal(repo.getLoadingStatus("pods").synced, false);
      await repo.stopAndWait();
    },
  );
}

test(
  "RBAC: the restricted user's informer on namespace allowed syncs and follows changes there only",
  RBAC,
  async () => {
    await createRunningPod(cluster, "allowed", "ok-1");
    await createRunningPod(cluster, "allowed", "ok-2");
    const repo = track(
      await informer({ kubeconfig: cluster.kubeconfigPath, context: "envtest-restricted" }, { namespace: "allowed" }),
    );
    await repo.startPriority();
    assert.deepEqual(
      repo
        .getPods()
        .map((p) => p.name)
        .sort(),
      ["ok-1", "ok-2"],
    );
    await assertConverges(repo, cluster, "restricted, namespace allowed", { namespace: "allowed" });
    await createRunningPod(cluster, live, "elsewhere"); // not visible to it
    await liveChanges(repo, "allowed", "ok-live", "allowed");
    assert.ok(repo.getPods().every((p) => p.namespace === "allowed"));
    assert.equal(repo.getLoadingStatus("pods").error, undefined);
    await repo.stopAndWait();
  },
);
