// kubectl as the oracle for every kind besides pods (kubectl-oracle.test.ts has those): an informer loading all kinds
// syncs each of them from the real server, each cache equals a fresh LIST, and every row prints the cells that
// `kubectl get KIND -A -o wide` prints, whatever the state (see lib/kinds-corpus.ts).
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { isDeepStrictEqual } from "node:util";
import type { KubeList } from "../../src/kube/objects.ts";
import { compareRows } from "../../src/kube/store.ts";
import { DEFAULT_RESOURCES, type InformerRepository } from "../../src/repository/informer-repository.ts";
import { type BaseRow, builtinKindOrThrow } from "../../src/resources/index.ts";
import { searchFieldsOf, withSearchText } from "../../src/resources/search.ts";
import { collectionPath, type ResourceType } from "../../src/resources/types.ts";
import { contextOf, informer, sleep, until } from "./lib/informer.ts";
import { KINDS_NAMESPACE, writeKindsCorpus } from "./lib/kinds-corpus.ts";
import { kubectlOk, parseTable } from "./lib/kubectl.ts";
import { EXTERNAL, type TestCluster, testCluster } from "./lib/target.ts";

const KINDS = DEFAULT_RESOURCES.filter((type) => type !== "pods");

let cluster: TestCluster;
let repo: InformerRepository;
/** "kinds" on the fixture, the test namespace on an external cluster. */
let ns: string;

before(async () => {
  cluster = await testCluster();
  ns = cluster.ns(KINDS_NAMESPACE);
  await writeKindsCorpus(cluster, ns);
  repo = await informer(contextOf(cluster), {
    resources: DEFAULT_RESOURCES,
    ...(cluster.scope !== undefined && { namespace: cluster.scope }),
  });
  await repo.startPriority();
});

after(async () => {
  await repo?.stopAndWait();
  await cluster?.stop();
});

async function serverRows(type: ResourceType): Promise<BaseRow[]> {
  const def = builtinKindOrThrow(type);
  const res = await cluster.request("GET", collectionPath(def, cluster.scope));
  assert.equal(res.status, 200, res.body.toString());
  // Rows as the repository makes them: the kind's transform, plus the filter text it adds at ingest.
  const fields = searchFieldsOf(type);
  return (res.json as KubeList).items.map((o) => withSearchText(def.toRow(o), fields)).sort(compareRows);
}

test("every kind syncs in the background and its cache equals a fresh LIST", async () => {
  await until(() => KINDS.every((type) => repo.isResourceSynced(type)), `${KINDS.join(", ")} synced`);
  for (const type of KINDS) {
    const deadline = Date.now() + 30_000;
    let fresh = await serverRows(type);
    while (!isDeepStrictEqual([...repo.getRows(type)], fresh) && Date.now() < deadline) {
      await sleep(100);
      fresh = await serverRows(type);
    }
    assert.deepEqual([...repo.getRows(type)], fresh, `${type}: the cache equals a fresh LIST`);
    // On an external cluster the suite creates no node, and a bare control plane may have none.
    if (!(EXTERNAL && type === "nodes")) assert.ok(fresh.length > 0, `${type}: the corpus has some`);
    assert.equal(repo.getLoadingStatus(type).error, undefined);
  }
});

for (const type of KINDS) {
  test(`${type}: rows print like kubectl get ${type} -A -o wide, cell for cell`, async (t) => {
    await until(() => repo.isResourceSynced(type), `${type} synced`);
    const def = builtinKindOrThrow(type);
    if (EXTERNAL && type === "nodes" && repo.getRows(type).length === 0) {
      t.skip("the cluster has no nodes, and the suite creates none on an external cluster");
      return;
    }
    // On an external cluster its controllers may still be writing the workloads' status: compare again for a while.
    const deadline = Date.now() + (EXTERNAL ? 20_000 : 0);
    let result = compareKind(type);
    while (result.differences.length > 0 && Date.now() < deadline) {
      await sleep(1000);
      result = compareKind(type);
    }
    assert.deepEqual(result.differences, [], result.out);
    if (def.namespaced) {
      assert.ok(
        result.table.rows.some((r) => r.NAMESPACE === ns),
        `the corpus has ${type} in namespace ${ns}`,
      );
    }
  });
}

/** kubectl get TYPE -A -o wide against the cache: every cell where they differ (empty when they agree). */
function compareKind(type: (typeof KINDS)[number]) {
  const def = builtinKindOrThrow(type);
  // On an external cluster only the test namespace (kept in -A's form, so the NAMESPACE column stays).
  const only = def.namespaced && cluster.scope ? ["--field-selector", `metadata.namespace=${cluster.scope}`] : [];
  const from = Date.now();
  const out = kubectlOk(cluster, "get", type, "-A", "-o", "wide", ...only);
  const to = Date.now();
  const table = parseTable(out);
  assert.deepEqual(
    table.headers,
    [...(def.namespaced ? ["NAMESPACE"] : []), "NAME", ...def.columns.map((c) => c.name)],
    out,
  );
  const key = (namespace: string, name: string) => (def.namespaced ? `${namespace}/${name}` : name);
  const ours = new Map(repo.getRows(type).map((row) => [key(row.namespace, row.name), row]));
  const differences: string[] = [];
  for (const printed of table.rows) {
    const k = key(printed.NAMESPACE ?? "", printed.NAME ?? "");
    const row = ours.get(k);
    if (!row) {
      differences.push(`${k}: printed by kubectl, not cached`);
      continue;
    }
    ours.delete(k);
    for (const column of def.columns) {
      // Any moment of [from, to] may be when the server printed it; cells change on whole seconds at most.
      const candidates = new Set<string>();
      for (let t = from; t < to; t += 1000) candidates.add(column.cell(row, t));
      candidates.add(column.cell(row, to));
      if (!candidates.has(printed[column.name] ?? "")) {
        differences.push(
          `${k} ${column.name}: kubectl "${printed[column.name]}", Timoneiro ${[...candidates].map((c) => `"${c}"`).join(" or ")}`,
        );
      }
    }
  }
  for (const k of ours.keys()) differences.push(`${k}: cached, not printed by kubectl`);
  return { differences, out, table };
}
