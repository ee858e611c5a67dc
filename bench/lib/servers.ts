// The API servers the benchmark runs against, behind one interface: the simulator (a separate process) and a real
// kube-apiserver + etcd (test/cluster), filled with N realistic pods through the API.
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface, type Interface } from "node:readline";
import type { KubeObject } from "../../src/kube/objects.ts";
import { encodePod } from "../../src/kube/protobuf/encoder.ts";
import { ClusterModel, type Workload } from "../../src/sim/generate.ts";
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
  podCreation?: { pods: number; ms: number; perSecond: number; concurrency: number; fill: ClusterFill };
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

/** The simulator's generated cluster, for creating through the API: its namespaces, and its pods one by one. */
export interface PlannedCluster {
  namespaces: KubeObject[];
  /** How many pods the plan holds. */
  pods: number;
  /**
   * Pod `i` of a seeded shuffle of the plan's pods: the first N are then a fair sample for any N (workloads come in
   * kind order). Made on demand, so that 100k pods are never all in memory (their heap slowed the fill down 3× in
   * garbage collection); calls must come in order 0, 1, 2, … since each pod draws from the model's random stream.
   */
  podAt(i: number): KubeObject;
}

export function plannedCluster(maxPods: number, seed = SIM_SEED): PlannedCluster {
  const model = new ClusterModel(seed, Date.now());
  model.plan(maxPods);
  const namespaces = model.namespaces.map((n) => model.namespaceObject(n));
  const slots: [Workload, number][] = [];
  for (const w of model.workloads) for (let i = 0; i < w.replicas; i++) slots.push([w, i]);
  let state = seed * 2654435761;
  for (let i = slots.length - 1; i > 0; i--) {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    const j = state % (i + 1);
    [slots[i], slots[j]] = [slots[j] as [Workload, number], slots[i] as [Workload, number]];
  }
  let next = 0;
  return {
    namespaces,
    pods: slots.length,
    podAt(i) {
      if (i !== next) throw new Error(`plannedCluster: pod ${i} asked for, pod ${next} is next`);
      const [w, index] = slots[next++] as [Workload, number];
      return model.makePod(w, index);
    },
  };
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

/**
 * How the harness puts the pods in the cluster:
 * - `etcd`: written straight into etcd, in the protobuf form kube-apiserver stores (the "k8s\0" envelope of a v1 Pod
 *   under /registry/pods/NS/NAME), many per transaction; kube-apiserver's watch cache takes them in from its etcd
 *   watch like any write. Status included, so one write per pod, and no admission, validation or managedFields
 *   bookkeeping: the pods are the generator's, byte for byte what the simulator serves (about 50× the API's rate here).
 * - `api`: POST through kube-apiserver, then the status subresource (a create resets the status): every pod admitted
 *   and validated like a kubectl apply, with the apiserver's own managedFields, at about 200 pods/s on an idle 2-core
 *   machine.
 */
export type ClusterFill = "etcd" | "api";

/** etcd limits raised for a bulk fill: 100k pods are ~0.5 GB of values (the default quota is 2 GB, keep room). */
const ETCD_BULK_FLAGS = ["--quota-backend-bytes=8589934592", "--max-request-bytes=16777216", "--max-txn-ops=4096"];
const ETCD_TXN_OPS = 4096;
/** A transaction's values stay under this many bytes (base64 and JSON make the request ~1.4× that). */
const ETCD_TXN_BYTES = 6 * 1024 * 1024;

export interface ClusterHostOptions {
  /** Default "etcd". */
  fill?: ClusterFill;
  /** More environment for kube-apiserver, e.g. { GOMEMLIMIT: "5GiB" }. */
  apiserverEnv?: Record<string, string>;
}

export async function startClusterHost(
  maxPods: number,
  log: (message: string) => void,
  opts: ClusterHostOptions = {},
): Promise<ClusterHost> {
  const fill = opts.fill ?? "etcd";
  const { startCluster, etcdPost } = await import("../../test/cluster/cluster.ts");
  const cluster = await startCluster({
    log: (m) => log(`cluster: ${m}`),
    ...(fill === "etcd" && { etcdFlags: ETCD_BULK_FLAGS }),
    ...(opts.apiserverEnv && { apiserverEnv: opts.apiserverEnv }),
  });
  const removeInterrupt = onInterrupt(() => cluster.stop());
  log(`cluster: kube-apiserver ready at ${cluster.server} in ${Math.round(cluster.startupMs)} ms`);
  const concurrency = fill === "etcd" ? 3 : 16;
  const client = await KubeClient.fromKubeconfig(cluster.kubeconfigPath, undefined, 16);
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

  /**
   * Pods [from, to) of the plan into etcd: `concurrency` writers, each taking the next pods off a shared cursor until
   * its transaction holds ETCD_TXN_BYTES (encoded as they are taken, so the whole fill is never in memory at once).
   */
  const storePods = async (from: number, to: number, progress: (done: number) => void) => {
    let next = from;
    let done = 0;
    await inParallel(concurrency, concurrency, async () => {
      while (next < to) {
        const success: { requestPut: { key: string; value: string } }[] = [];
        let bytes = 0;
        while (next < to && bytes < ETCD_TXN_BYTES && success.length < ETCD_TXN_OPS) {
          const pod = plan.podAt(next++);
          const value = encodePod(forStorage(pod) as Json);
          bytes += value.length;
          const key = `/registry/pods/${pod.metadata?.namespace ?? "default"}/${pod.metadata?.name}`;
          success.push({ requestPut: { key: Buffer.from(key).toString("base64"), value: value.toString("base64") } });
        }
        // No compares: the transaction always takes its puts; etcdPost rejects on any error answer.
        await etcdPost(cluster.etcdUrl, "/v3/kv/txn", { success }, 120_000);
        done += success.length;
        progress(done);
      }
    });
  };

  const versionRes = await client.request("GET", "/version");
  const version =
    versionRes.status === 200 ? ((JSON.parse(versionRes.body) as { gitVersion?: string }).gitVersion ?? "?") : "?";
  return {
    cluster,
    version,
    async withPods(pods) {
      if (pods > plan.pods) throw new Error(`planned ${plan.pods} pods, asked for ${pods}`);
      const from = created;
      const started = performance.now();
      let lastLog = started;
      const progress = (done: number) => {
        if (performance.now() - lastLog > 10_000) {
          lastLog = performance.now();
          log(`cluster: ${done}/${pods} pods created`);
        }
      };
      if (fill === "etcd") {
        await storePods(from, pods, (done) => progress(from + done));
        // The fill is done once kube-apiserver serves them all (its watch cache follows etcd a little behind).
        await waitForPodCount(client, pods, 300_000);
      } else {
        await inParallel(Math.max(0, pods - from), concurrency, async (i) => {
          const pod = plan.podAt(from + i); // before any await: pods are made in order
          await createPod(pod);
          created = Math.max(created, from + i + 1);
          progress(from + i + 1);
        });
      }
      created = Math.max(created, pods);
      const ms = performance.now() - started;
      const count = pods - from;
      log(
        `cluster: created ${count} pods (${fill === "etcd" ? "into etcd" : "through the API"}) in ` +
          `${(ms / 1000).toFixed(1)} s (${Math.round(count / (ms / 1000))}/s)`,
      );
      churnPods = undefined;
      return {
        kind: "cluster",
        kubeconfig: cluster.kubeconfigPath,
        context: undefined,
        pods,
        setupMs: ms,
        podCreation: { pods: count, ms, perSecond: count / (ms / 1000), concurrency, fill },
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

/**
 * A pod as kube-apiserver would have stored it: the generator's uid and creationTimestamp kept (the apiserver sets
 * them on a create), no resourceVersion (it comes from etcd's revision on every read), and a spec that validates.
 */
export function forStorage(obj: KubeObject): KubeObject {
  const created = forCreate(obj);
  const metadata = {
    ...created.metadata,
    ...(obj.metadata?.uid !== undefined && { uid: obj.metadata.uid }),
    ...(obj.metadata?.creationTimestamp !== undefined && { creationTimestamp: obj.metadata.creationTimestamp }),
  };
  return { ...created, metadata, ...(obj.status !== undefined && { status: obj.status }) } as KubeObject;
}

/** Waits until a LIST of pods counts `pods` (limit=1: remainingItemCount + 1). */
async function waitForPodCount(client: KubeClient, pods: number, timeoutMs: number): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  let seen = -1;
  for (;;) {
    const res = await client.request("GET", "/api/v1/pods?limit=1", undefined, undefined, 60_000);
    if (res.status === 200) {
      const list = JSON.parse(res.body) as { items?: unknown[]; metadata?: { remainingItemCount?: number } };
      seen = (list.items?.length ?? 0) + (list.metadata?.remainingItemCount ?? 0);
      if (seen >= pods) return;
    }
    if (performance.now() > deadline) {
      throw new Error(`kube-apiserver lists ${seen} pods, not ${pods}, ${timeoutMs / 1000} s after the fill`);
    }
    await sleep(200);
  }
}
