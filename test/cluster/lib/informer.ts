// Timoneiro's informer pointed at a test cluster, and the checks every test ends with: wait (generously) until the
// cache equals a fresh LIST from the server, object for object.
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { isDeepStrictEqual } from "node:util";
import { parse as parseYaml, stringify as toYaml } from "yaml";
import { loadKubeconfig } from "../../../src/kube/kubeconfig.ts";
import { type InformerOptions, InformerRepository, transportFor } from "../../../src/repository/informer-repository.ts";
import type { PodRow } from "../../../src/resources/pods.ts";
import type { Cluster } from "../cluster.ts";
import { serverPodRows } from "./api.ts";
import type { Api, TestCluster } from "./target.ts";

/**
 * Pods only, quick reconnects: a fault test should take seconds after the fault ends, not the default 30 s cap. The
 * wire format is the product's default unless a test picks one.
 */
export const QUICK: InformerOptions = {
  resources: ["pods"],
  backoff: { initialMs: 50, maxMs: 1000, factor: 2 },
};

export interface Context {
  kubeconfig: string;
  context?: string;
}

/** The kubeconfig and context of a test cluster, for informer() and recordingInformer(). */
export function contextOf(at: TestCluster): Context {
  return { kubeconfig: at.kubeconfigPath, ...(at.context !== undefined && { context: at.context }) };
}

export function informer(at: Context, options: InformerOptions = {}): Promise<InformerRepository> {
  return InformerRepository.fromKubeconfig(
    { kubeconfig: at.kubeconfig, ...(at.context !== undefined && { context: at.context }) },
    { ...QUICK, ...options },
  );
}

export interface RecordedRequest {
  /** What the request asks for, from its parameters: a LIST page, a WATCH, or a watch-list (sendInitialEvents). */
  kind: "list" | "watch" | "watchlist";
  path: string;
  params: URLSearchParams;
  /** Content-Type of the answer, once it arrived. */
  contentType?: string;
}

/**
 * An informer whose transport records every request it opens (whichever transport method the reflector uses for it),
 * so a test can tell a watch-list sync from a LIST sync without reaching into the reflector.
 */
export async function recordingInformer(
  at: Context,
  options: InformerOptions = {},
): Promise<{ repo: InformerRepository; requests: RecordedRequest[] }> {
  const loaded = loadKubeconfig({
    kubeconfig: at.kubeconfig,
    ...(at.context !== undefined && { context: at.context }),
  });
  const transport = await transportFor(loaded);
  const requests: RecordedRequest[] = [];
  const record = (path: string): RecordedRequest => {
    const query = path.indexOf("?");
    const params = new URLSearchParams(query < 0 ? "" : path.slice(query + 1));
    const watch = params.get("watch") === "1" || params.get("watch") === "true";
    const entry: RecordedRequest = {
      kind: !watch ? "list" : params.get("sendInitialEvents") === "true" ? "watchlist" : "watch",
      path: query < 0 ? path : path.slice(0, query),
      params,
    };
    requests.push(entry);
    return entry;
  };
  const request = transport.request.bind(transport);
  const stream = transport.stream.bind(transport);
  transport.request = async (path, opts) => {
    const entry = record(path);
    const res = await request(path, opts);
    entry.contentType = res.headers["content-type"];
    return res;
  };
  transport.stream = async (path, opts) => {
    const entry = record(path);
    const res = await stream(path, opts);
    entry.contentType = res.headers["content-type"];
    return res;
  };
  // Discovery's requests (/api, /apis) are not what these recordings are about: off unless asked for.
  const repo = new InformerRepository(
    transport,
    { contextName: loaded.contextName, clusterName: loaded.clusterName },
    { ...QUICK, discover: false, ...options },
  );
  return { repo, requests };
}

/** A copy of the cluster's kubeconfig whose server is `server` (e.g. a proxy in front of the API server). */
export function kubeconfigVia(cluster: Cluster, server: string, name: string): string {
  const config = parseYaml(readFileSync(cluster.kubeconfigPath, "utf8")) as {
    clusters: { cluster: { server: string } }[];
  };
  for (const entry of config.clusters) entry.cluster.server = server;
  const path = join(cluster.tmpDir, `kubeconfig-${name}`);
  writeFileSync(path, toYaml(config), { mode: 0o600 });
  return path;
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Polls `check` every `everyMs` until it holds; fails after `limitMs` (generous: the machine is shared and slow). */
export async function until(
  check: () => boolean | Promise<boolean>,
  what: string,
  limitMs = 30_000,
  everyMs = 50,
): Promise<void> {
  const deadline = Date.now() + limitMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`timed out after ${limitMs} ms waiting for: ${what}`);
    await sleep(everyMs);
  }
}

/**
 * Waits until the cache equals a fresh LIST, object for object, then asserts it (so that a timeout shows the diff).
 * `namespace` narrows the LIST to what a namespaced informer watches.
 */
export async function assertConverges(
  repo: InformerRepository,
  cluster: Api,
  what: string,
  { namespace, limitMs = 45_000 }: { namespace?: string; limitMs?: number } = {},
): Promise<PodRow[]> {
  const deadline = Date.now() + limitMs;
  for (;;) {
    const fresh = await serverPodRows(cluster, namespace);
    const cached = repo.getPods();
    if (isDeepStrictEqual([...cached], fresh)) return fresh;
    if (Date.now() > deadline) {
      assert.deepEqual([...cached], fresh, `the cache equals a fresh LIST (${what})`);
      return fresh;
    }
    await sleep(100);
  }
}

/** Records every distinct error the pods reflector reports from now on. */
export function recordErrors(repo: InformerRepository): { errors: string[]; stop: () => void } {
  const errors: string[] = [];
  const take = () => {
    const error = repo.getLoadingStatus("pods").error;
    if (error !== undefined && errors.at(-1) !== error) errors.push(error);
  };
  const unsubscribe = repo.subscribe(take);
  // Status changes without a store change (a backoff) also notify, but poll too so nothing is missed.
  const timer = setInterval(take, 25);
  timer.unref(); // a test that fails before stop() must not keep the process alive
  return {
    errors,
    stop: () => {
      clearInterval(timer);
      unsubscribe();
    },
  };
}
