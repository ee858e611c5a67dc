// The cluster a test file runs against: the local fixture (cluster.ts, the default), or any cluster named by
// TIMONEIRO_TEST_KUBECONFIG (and TIMONEIRO_TEST_CONTEXT), reached through Timoneiro's own kubeconfig loading and
// authentication (exec plugins, token files, client certificates), never a static admin token.
//
// On an external cluster a test file works inside one fresh namespace, timoneiro-test-<random>, created by
// testCluster() and deleted by stop() (after dropping the finalizers the tests put on pods, so it does not stay
// Terminating); its informers watch that namespace only, so other workloads do not interfere.
import { randomBytes } from "node:crypto";
import { credentialsFor, loadKubeconfig } from "../../../src/kube/kubeconfig.ts";
import type { KubeList } from "../../../src/kube/objects.ts";
import { type Cluster, type RequestOptions, type RequestResult, sendRequest, startCluster } from "../cluster.ts";

export type Requester = (method: string, path: string, body?: unknown, opts?: RequestOptions) => Promise<RequestResult>;

/** What the helpers in lib/ need: something that answers API requests (as an admin of the test's scope). */
export interface Api {
  request: Requester;
}

export interface TestCluster extends Api {
  kubeconfigPath: string;
  /** Context to use (undefined: the kubeconfig's current context). */
  context: string | undefined;
  /** The local fixture, when the suite started one (undefined on an external cluster). */
  fixture: Cluster | undefined;
  external: boolean;
  /**
   * The namespace a test should use for what it calls `name`: `name` itself on the fixture, the one fresh test
   * namespace on an external cluster.
   */
  ns(name: string): string;
  /** The namespace informers should watch: undefined (all) on the fixture, the test namespace on an external cluster. */
  scope: string | undefined;
  /** Stops the fixture, or deletes the test namespace. Safe to call twice. */
  stop(): Promise<void>;
}

export const EXTERNAL_KUBECONFIG: string | undefined = process.env.TIMONEIRO_TEST_KUBECONFIG || undefined;
export const EXTERNAL_CONTEXT: string | undefined = process.env.TIMONEIRO_TEST_CONTEXT || undefined;
export const EXTERNAL = EXTERNAL_KUBECONFIG !== undefined;

/** `{ skip: reason }` for a test that needs the local fixture, when the suite runs against an external cluster. */
export function fixtureOnly(why: string): { skip?: string } {
  return EXTERNAL ? { skip: `needs the local fixture: ${why}` } : {};
}

/** `{ skip: reason }` for a test (or corpus entry) that cannot be done safely on an external cluster. */
export function notExternal(why: string): { skip?: string } {
  return EXTERNAL ? { skip: `not on an external cluster: ${why}` } : {};
}

/** A scheduler name no scheduler has: pods asking for it stay unscheduled, untouched by any scheduler or kubelet. */
export const NO_SCHEDULER = "timoneiro-test-no-scheduler";

/**
 * Where a test pod "runs". On the fixture, bound to `node` (nothing runs there: no kubelet). On an external cluster a
 * pod bound to a node would meet that node's kubelet (or the pod garbage collector, for a node that does not exist),
 * which would overwrite the status the test writes: the pod stays unscheduled instead, with a scheduler name that no
 * scheduler serves.
 */
export function placement(node: string): { nodeName: string } | { schedulerName: string } {
  return EXTERNAL ? { schedulerName: NO_SCHEDULER } : { nodeName: node };
}

export async function testCluster(
  log: (message: string) => void = (m) => console.log(`[cluster] ${m}`),
): Promise<TestCluster> {
  if (!EXTERNAL_KUBECONFIG) return fromFixture(await startCluster({ log }));
  return await external(EXTERNAL_KUBECONFIG, EXTERNAL_CONTEXT, log);
}

function fromFixture(cluster: Cluster): TestCluster {
  return {
    kubeconfigPath: cluster.kubeconfigPath,
    context: undefined,
    fixture: cluster,
    external: false,
    request: cluster.request.bind(cluster),
    ns: (name) => name,
    scope: undefined,
    stop: () => cluster.stop(),
  };
}

async function external(
  kubeconfigPath: string,
  context: string | undefined,
  log: (message: string) => void,
): Promise<TestCluster> {
  const loaded = loadKubeconfig({ kubeconfig: kubeconfigPath, ...(context !== undefined && { context }) });
  const credentials = await credentialsFor(loaded);
  const base = new URL(loaded.server);
  const request: Requester = async (method, path, body, opts = {}) =>
    // Credentials per request, as Timoneiro's transport gets them: exec plugins and token files may rotate them.
    await sendRequest(base, await credentials(), method, path, body, opts);
  const namespace = `timoneiro-test-${randomBytes(4).toString("hex")}`;
  log(`external cluster ${loaded.server} (context ${loaded.contextName}); test namespace ${namespace}`);
  const created = await request("POST", "/api/v1/namespaces", {
    apiVersion: "v1",
    kind: "Namespace",
    metadata: { name: namespace, labels: { "timoneiro.test/suite": "cluster" } },
  });
  if (created.status !== 201) {
    throw new Error(`create namespace ${namespace}: HTTP ${created.status}: ${created.body.toString().slice(0, 500)}`);
  }
  let stopped = false;
  return {
    kubeconfigPath,
    context,
    fixture: undefined,
    external: true,
    request,
    ns: () => namespace,
    scope: namespace,
    async stop() {
      if (stopped) return;
      stopped = true;
      await deleteNamespace(request, namespace);
      log(`deleted namespace ${namespace}`);
    },
  };
}

/** Drops the pods' finalizers (the tests hold Terminating pods with them), then deletes the namespace. */
async function deleteNamespace(request: Requester, namespace: string): Promise<void> {
  const list = await request("GET", `/api/v1/namespaces/${namespace}/pods`);
  for (const pod of (list.json as KubeList | undefined)?.items ?? []) {
    if (!(pod.metadata as { finalizers?: string[] } | undefined)?.finalizers?.length) continue;
    await request(
      "PATCH",
      `/api/v1/namespaces/${namespace}/pods/${pod.metadata?.name}`,
      { metadata: { finalizers: null } },
      { headers: { "Content-Type": "application/merge-patch+json" } },
    );
  }
  const res = await request("DELETE", `/api/v1/namespaces/${namespace}`);
  if (res.status !== 200 && res.status !== 202 && res.status !== 404) {
    throw new Error(`delete namespace ${namespace}: HTTP ${res.status}: ${res.body.toString().slice(0, 500)}`);
  }
}
