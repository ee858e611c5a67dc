// The API servers the benchmark runs against, behind one interface: the simulator (a separate process) and a real
// kube-apiserver + etcd (test/cluster), filled with N realistic pods through the API.
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface, type Interface } from "node:readline";
import type { KubeObject } from "../../src/kube/objects.ts";
import { ClusterModel } from "../../src/sim/generate.ts";
import type { Cluster } from "../../test/cluster/cluster.ts";
import type { ServerKind } from "./args.ts";
import { killProcess, onInterrupt, sleep, track } from "./children.ts";
import { type ChurnResult, churn, churnMode, podsToChurn } from "./churn.ts";
import { inParallel, KubeClient } from "./kube-client.ts";

export interface BenchServer {
  kind: ServerKind;
  kubeconfig: string;
  context: string | undefined;
  pods: number;
  /** How long it took to get the server ready with its pods. */
  setupMs: number;
  /** Cluster only: creating the pods through the API. */
  podCreation?: { pods: number; ms: number; perSecond: number; concurrency: number };
  /** Changes pods at `rate` per second for `seconds`. */
  churn(rate: number, seconds: number): Promise<ChurnResult>;
  stop(): Promise<void>;
}

export const SIM_SEED = 1;

// ---- simulator ----------------------------------------------------------------------------------------------------

/** `script`: bench/lib/sim-process.ts or its bundle. */
export async function startSim(node: string, script: string, pods: number, timeoutMs: number): Promise<BenchServer> {
  const dir = mkdtempSync(join(tmpdir(), "timoneiro-bench-sim-"));
  const kubeconfig = join(dir, "kubeconfig");
  const started = performance.now();
  const child = spawn(
    node,
    [script, "--pods", String(pods), "--seed", String(SIM_SEED), "--kubeconfig-out", kubeconfig],
    { stdio: ["pipe", "pipe", "inherit"] },
  );
  const untrack = track(`simulator (${pods} pods)`, () => killProcess(child));
  const removeDir = () => rmSync(dir, { recursive: true, force: true });
  const noLongerOnInterrupt = onInterrupt(removeDir);
  const lines = createInterface({ input: child.stdout! });
  const next = lineReader(lines, child);
  const first = await next(timeoutMs);
  if (!first?.startsWith("listening on ")) {
    killProcess(child);
    untrack();
    noLongerOnInterrupt();
    removeDir();
    throw new Error(`the simulator did not start within ${timeoutMs / 1000}s (${first ?? "no output"})`);
  }
  const setupMs = performance.now() - started;
  return {
    kind: "sim",
    kubeconfig,
    context: undefined,
    pods,
    setupMs,
    async churn(rate, seconds) {
      child.stdin!.write(`churn ${rate}\n`);
      const before = await next(60_000); // the (idle) count before the window
      const t0 = performance.now();
      await sleep(seconds * 1000);
      child.stdin!.write("churn 0\n");
      const reply = await next(60_000);
      const elapsed = (performance.now() - t0) / 1000;
      const events = reply ? (JSON.parse(reply) as { events: number }).events : 0;
      return {
        events,
        failures: 0,
        seconds: elapsed,
        achievedRate: events / elapsed,
        mode: "sim-churn",
        ...((!before || !reply) && { lastError: "the simulator did not answer the churn control in time" }),
      };
    },
    async stop() {
      child.stdin!.end();
      const exited = new Promise((resolve) => child.once("exit", resolve));
      const timer = setTimeout(() => killProcess(child), 5000);
      if (child.exitCode === null && child.signalCode === null) await exited;
      clearTimeout(timer);
      untrack();
      noLongerOnInterrupt();
      removeDir();
    },
  };
}

/** Reads stdout line by line: next(timeout) resolves with the next line, or undefined on timeout/exit. */
function lineReader(lines: Interface, child: ChildProcess): (timeoutMs: number) => Promise<string | undefined> {
  const queue: string[] = [];
  const waiting: ((line: string | undefined) => void)[] = [];
  lines.on("line", (line) => {
    const w = waiting.shift();
    if (w) w(line);
    else queue.push(line);
  });
  child.once("exit", () => {
    for (const w of waiting.splice(0)) w(undefined);
  });
  return (timeoutMs) =>
    new Promise((resolve) => {
      const queued = queue.shift();
      if (queued !== undefined) return resolve(queued);
      if (child.exitCode !== null || child.signalCode !== null) return resolve(undefined);
      const timer = setTimeout(() => {
        const i = waiting.indexOf(done);
        if (i >= 0) waiting.splice(i, 1);
        resolve(undefined);
      }, timeoutMs);
      const done = (line: string | undefined) => {
        clearTimeout(timer);
        resolve(line);
      };
      waiting.push(done);
    });
}

// ---- real kube-apiserver ----------------------------------------------------------------------------------------

/** Namespaces and pods of the simulator's generated cluster, for creating through the API. */
export function plannedCluster(maxPods: number, seed = SIM_SEED): { namespaces: KubeObject[]; pods: KubeObject[] } {
  const model = new ClusterModel(seed, Date.now());
  model.plan(maxPods);
  const namespaces = model.namespaces.map((n) => model.namespaceObject(n));
  const pods: KubeObject[] = [];
  for (const w of model.workloads) for (let i = 0; i < w.replicas; i++) pods.push(model.makePod(w, i));
  // A seeded shuffle: the first N pods of the list are then a fair sample for any N (workloads come in kind order).
  let state = seed * 2654435761;
  for (let i = pods.length - 1; i > 0; i--) {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    const j = state % (i + 1);
    [pods[i], pods[j]] = [pods[j] as KubeObject, pods[i] as KubeObject];
  }
  return { namespaces, pods };
}

/** The object to POST: what the server assigns (uid, resourceVersion, timestamps) removed; status goes separately. */
export function forCreate(obj: KubeObject): KubeObject {
  const metadata: Record<string, unknown> = { ...obj.metadata };
  for (const field of [
    "uid",
    "resourceVersion",
    "creationTimestamp",
    "deletionTimestamp",
    "deletionGracePeriodSeconds",
  ]) {
    delete metadata[field];
  }
  const { status, ...rest } = obj;
  void status;
  return { ...rest, metadata, ...(rest.spec !== undefined && { spec: validSpec(rest.spec as Json) }) } as KubeObject;
}

type Json = Record<string, unknown>;

/**
 * The simulator does not validate pods; a real apiserver rejects two things its generator does:
 * - it shares one container spec per workload, so the mounts name the token volume "kube-api-access" while the volume
 *   is "kube-api-access-xxxxx" (as on a real cluster): point the mounts at the volume that exists;
 * - init containers carry probes, which only sidecars (restartPolicy: Always) may have: drop them.
 */
function validSpec(spec: Json): Json {
  const volumes = (spec.volumes as Json[] | undefined) ?? [];
  const names = new Set(volumes.map((v) => v.name as string));
  const fix = (containers: unknown, init = false) =>
    (containers as Json[] | undefined)
      ?.map((original) => {
        const c = { ...original };
        if (init && c.restartPolicy !== "Always") {
          delete c.livenessProbe;
          delete c.readinessProbe;
          delete c.startupProbe;
        }
        return c;
      })
      .map((c) => ({
        ...c,
        ...(Array.isArray(c.volumeMounts) && {
          volumeMounts: (c.volumeMounts as Json[]).map((m) => {
            if (names.has(m.name as string)) return m;
            const match = [...names].find((n) => n.startsWith(`${m.name as string}-`));
            return match ? { ...m, name: match } : m;
          }),
        }),
      }));
  return {
    ...spec,
    ...(spec.containers !== undefined && { containers: fix(spec.containers) }),
    ...(spec.initContainers !== undefined && { initContainers: fix(spec.initContainers, true) }),
  };
}

export interface ClusterHost {
  cluster: Cluster;
  /** kube-apiserver's gitVersion (GET /version). */
  version: string;
  /** Creates pods until the cluster holds `pods` of them; returns a BenchServer for that count. */
  withPods(pods: number): Promise<BenchServer>;
  stop(): Promise<void>;
}

export async function startClusterHost(maxPods: number, log: (message: string) => void): Promise<ClusterHost> {
  const { startCluster } = await import("../../test/cluster/cluster.ts");
  const cluster = await startCluster({ log: (m) => log(`cluster: ${m}`) });
  const removeInterrupt = onInterrupt(() => cluster.stop());
  log(`cluster: kube-apiserver ready at ${cluster.server} in ${Math.round(cluster.startupMs)} ms`);
  const concurrency = 16;
  const client = await KubeClient.fromKubeconfig(cluster.kubeconfigPath, undefined, concurrency);
  const plan = plannedCluster(maxPods);
  for (const ns of plan.namespaces) {
    const res = await client.request("POST", "/api/v1/namespaces", forCreate(ns));
    if (res.status !== 201 && res.status !== 409) {
      throw new Error(`creating namespace ${ns.metadata?.name}: HTTP ${res.status}: ${res.body.slice(0, 300)}`);
    }
  }
  let created = 0;
  let churnPods: Awaited<ReturnType<typeof podsToChurn>> | undefined;
  let mode: Awaited<ReturnType<typeof churnMode>> | undefined;

  const createPod = async (pod: KubeObject) => {
    const ns = pod.metadata?.namespace ?? "default";
    const res = await client.request("POST", `/api/v1/namespaces/${ns}/pods`, forCreate(pod));
    if (res.status !== 201 && res.status !== 409) {
      throw new Error(`creating pod ${ns}/${pod.metadata?.name}: HTTP ${res.status}: ${res.body.slice(0, 400)}`);
    }
    // Pod creation resets the status to Pending; write the generated one like a kubelet would.
    const status = await client.request(
      "PATCH",
      `/api/v1/namespaces/${ns}/pods/${pod.metadata?.name}/status`,
      { status: pod.status },
      "application/merge-patch+json",
    );
    if (status.status !== 200) {
      throw new Error(`status of pod ${ns}/${pod.metadata?.name}: HTTP ${status.status}: ${status.body.slice(0, 400)}`);
    }
  };

  const versionRes = await client.request("GET", "/version");
  const version =
    versionRes.status === 200 ? ((JSON.parse(versionRes.body) as { gitVersion?: string }).gitVersion ?? "?") : "?";
  return {
    cluster,
    version,
    async withPods(pods) {
      if (pods > plan.pods.length) throw new Error(`planned ${plan.pods.length} pods, asked for ${pods}`);
      const from = created;
      const started = performance.now();
      let lastLog = started;
      await inParallel(Math.max(0, pods - from), concurrency, async (i) => {
        await createPod(plan.pods[from + i] as KubeObject);
        created = Math.max(created, from + i + 1);
        if (performance.now() - lastLog > 10_000) {
          lastLog = performance.now();
          log(`cluster: ${from + i + 1}/${pods} pods created`);
        }
      });
      created = Math.max(created, pods);
      const ms = performance.now() - started;
      const count = pods - from;
      log(`cluster: created ${count} pods in ${(ms / 1000).toFixed(1)} s (${Math.round(count / (ms / 1000))}/s)`);
      churnPods = undefined;
      return {
        kind: "cluster",
        kubeconfig: cluster.kubeconfigPath,
        context: undefined,
        pods,
        setupMs: ms,
        podCreation: { pods: count, ms, perSecond: count / (ms / 1000), concurrency },
        async churn(rate, seconds) {
          churnPods ??= await podsToChurn(client);
          mode ??= await churnMode(client, churnPods);
          return churn(client, churnPods, mode, rate, seconds);
        },
        // The cluster lives on for the next pod count; ClusterHost.stop() ends it.
        async stop() {},
      };
    },
    async stop() {
      client.close();
      await cluster.stop();
      removeInterrupt();
    },
  };
}
