// Small typed helpers over Cluster.request for the integration tests: create namespaces, nodes and pods, write pod
// status through the status subresource, delete, and read the server's own pod list (the truth a cache must equal).
import assert from "node:assert/strict";
import type { KubeList, KubeObject } from "../../../src/kube/objects.ts";
import { compareRows } from "../../../src/kube/store.ts";
import { type PodRow, podRow } from "../../../src/resources/pods.ts";
import { podSearchFields, withSearchText } from "../../../src/resources/search.ts";
import { type Cluster, etcdPost, type RequestResult } from "../cluster.ts";
import { type Api, placement } from "./target.ts";

export type Json = Record<string, unknown>;

function expectStatus(res: RequestResult, ok: number[], what: string): void {
  assert.ok(ok.includes(res.status), `${what}: HTTP ${res.status}: ${res.body.toString("utf8").slice(0, 2000)}`);
}

export async function createNamespace(cluster: Api, name: string): Promise<void> {
  const res = await cluster.request("POST", "/api/v1/namespaces", {
    apiVersion: "v1",
    kind: "Namespace",
    metadata: { name },
  });
  expectStatus(res, [201, 409], `create namespace ${name}`);
}

export async function createNode(cluster: Api, name: string): Promise<void> {
  const res = await cluster.request("POST", "/api/v1/nodes", {
    apiVersion: "v1",
    kind: "Node",
    metadata: { name, labels: { "kubernetes.io/hostname": name } },
  });
  expectStatus(res, [201, 409], `create node ${name}`);
}

/** A pod with one container (or the given spec), created as is; the server answers Pending with no statuses. */
export function podManifest(name: string, spec: Json = {}, metadata: Json = {}): KubeObject {
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name, ...metadata },
    spec: { containers: [{ name: "app", image: "registry.example/app:1" }], ...spec },
  };
}

export async function createPod(cluster: Api, namespace: string, pod: KubeObject): Promise<KubeObject> {
  const res = await cluster.request("POST", `/api/v1/namespaces/${namespace}/pods`, pod);
  expectStatus(res, [201], `create pod ${namespace}/${pod.metadata?.name}`);
  return res.json as KubeObject;
}

/** Merge-patches the status subresource (what a kubelet would write). */
export async function patchPodStatus(cluster: Api, namespace: string, name: string, status: Json): Promise<void> {
  const res = await cluster.request(
    "PATCH",
    `/api/v1/namespaces/${namespace}/pods/${name}/status`,
    { status },
    { headers: { "Content-Type": "application/merge-patch+json" } },
  );
  expectStatus(res, [200], `patch status of pod ${namespace}/${name}`);
}

/** DELETE a pod. Without a kubelet a scheduled pod keeps a deletionTimestamp until gracePeriodSeconds 0 is sent. */
export async function deletePod(
  cluster: Api,
  namespace: string,
  name: string,
  gracePeriodSeconds?: number,
): Promise<void> {
  const query = gracePeriodSeconds === undefined ? "" : `?gracePeriodSeconds=${gracePeriodSeconds}`;
  const res = await cluster.request("DELETE", `/api/v1/namespaces/${namespace}/pods/${name}${query}`);
  expectStatus(res, [200, 202], `delete pod ${namespace}/${name}`);
}

/** A pod that is Running and Ready on `node` (so that its row has a status, an IP and a node). */
export async function createRunningPod(cluster: Api, namespace: string, name: string, node = "node-a") {
  await createPod(cluster, namespace, podManifest(name, placement(node)));
  await patchPodStatus(
    cluster,
    namespace,
    name,
    runningStatus(`10.244.${hash(name) % 250}.${(hash(name) >>> 8) % 250}`),
  );
}

export function runningStatus(ip: string, now = new Date()): Json {
  const t = rfc3339(now);
  return {
    phase: "Running",
    podIP: ip,
    startTime: t,
    conditions: [
      { type: "Initialized", status: "True", lastTransitionTime: t },
      { type: "Ready", status: "True", lastTransitionTime: t },
      { type: "ContainersReady", status: "True", lastTransitionTime: t },
      { type: "PodScheduled", status: "True", lastTransitionTime: t },
    ],
    containerStatuses: [
      {
        name: "app",
        image: "registry.example/app:1",
        imageID: "",
        ready: true,
        started: true,
        restartCount: 0,
        state: { running: { startedAt: t } },
      },
    ],
  };
}

function hash(text: string): number {
  let h = 7;
  for (let i = 0; i < text.length; i++) h = (h * 31 + text.charCodeAt(i)) >>> 0;
  return h;
}

/** The API server's timestamp form: seconds, UTC, "Z". */
export function rfc3339(date: Date): string {
  return date.toISOString().replace(/\.\d+Z$/, "Z");
}

/** A fresh LIST of pods as admin (all namespaces, or one). */
export async function listPods(cluster: Api, namespace?: string): Promise<KubeObject[]> {
  const path = namespace ? `/api/v1/namespaces/${namespace}/pods` : "/api/v1/pods";
  const res = await cluster.request("GET", path);
  expectStatus(res, [200], `list ${path}`);
  return (res.json as KubeList).items;
}

/** The pod rows a fresh LIST gives, sorted the way the cache sorts them. */
export async function serverPodRows(cluster: Api, namespace?: string): Promise<PodRow[]> {
  return (await listPods(cluster, namespace)).map((o) => withSearchText(podRow(o), podSearchFields)).sort(compareRows);
}

/**
 * Deletes a pod's key in etcd directly, behind the API server's back: what another API server of an HA control plane
 * would do while this one is down or frozen. The API server's watch cache learns of it from its etcd watch (or its
 * relist after a restart) like of any other change.
 */
export async function deletePodInEtcd(cluster: Cluster, namespace: string, name: string): Promise<void> {
  const key = Buffer.from(`/registry/pods/${namespace}/${name}`).toString("base64");
  const res = (await etcdPost(cluster.etcdUrl, "/v3/kv/deleterange", { key })) as { deleted?: string };
  assert.equal(res.deleted, "1", `etcd had no key for pod ${namespace}/${name}`);
}
