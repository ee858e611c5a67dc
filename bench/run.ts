// Timoneiro's benchmark harness: `npm run bench -- [--pods N[,N...]] [--server sim|cluster] [--runs K] [--json FILE]`
// (see bench/README.md, or --help). For each pod count it starts a server with that many pods, then runs, K times
// and in rotating order so that drift on the machine is shared out fairly:
//   timoneiro UI in a pty       first frame, keystroke → frame   (bench/lib/ui-session.ts, measure.ts)
//   timoneiro data layer probe  full sync, memory, getPods()      (bench/lib/sync-probe.ts)
//   raw download of the same LIST pages, not decoded: the floor   (bench/lib/raw-probe.ts)
//   kubectl get pods -A [-o json], the client-go informer peer    (bench/peers/)
// then one more UI session for the CPU windows (idle, then 100 events/s). Every child process is killed on exit.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { DEFAULT_WIRE, type WireFormat } from "../src/repository/informer-repository.ts";
import { type BenchOptions, BenchUsageError, parseBenchArgs, type ToolName, USAGE } from "./lib/args.ts";
import { bundleHarnessParts, snapshotCli } from "./lib/bundle.ts";
import { killAll, onInterrupt } from "./lib/children.ts";
import { KubeClient } from "./lib/kube-client.ts";
import { machineInfo } from "./lib/machine.ts";
import {
  measureClientGo,
  measureKubectl,
  measureProbe,
  measureRaw,
  measureUi,
  type PeerRun,
  type ProbeRun,
  type RawRun,
  type Target,
  type UiRun,
} from "./lib/measure.ts";
import { type BenchResults, missingEntry, peerEntry, type RunEntry, rawEntry, timoneiroEntry } from "./lib/results.ts";
import { type BenchServer, type ClusterHost, startClusterHost, startSim } from "./lib/servers.ts";
import { formatErrors, formatMs, formatPods, formatTable } from "./lib/table.ts";

const repoDir = resolve(import.meta.dirname, "..");
const node = process.execPath;
let cli = join(repoDir, "dist", "timoneiro.js");

const log = (message: string) => process.stderr.write(`[bench] ${message}\n`);

/** Builds the client-go peer if needed (a no-op when cached); undefined with a reason when it cannot be had. */
function clientGoPeer(): { path?: string; missing?: string } {
  const script = join(repoDir, "bench", "peers", "build.sh");
  if (!existsSync(script))
    return { missing: "bench/peers/build.sh does not exist (the client-go peer is not written yet)" };
  try {
    const out = execFileSync("bash", [script], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "inherit"],
      timeout: 30 * 60_000,
    });
    const path = out.trim().split("\n").pop() ?? "";
    if (!path || !existsSync(path)) return { missing: `bench/peers/build.sh printed no usable binary ("${path}")` };
    return { path };
  } catch (err) {
    return { missing: `bench/peers/build.sh failed: ${(err as Error).message.split("\n")[0]}` };
  }
}

interface Samples {
  ui: UiRun[];
  probe: ProbeRun[];
  raw: RawRun[];
  peers: Map<ToolName, PeerRun[]>;
  /** The client-go peer speaking timoneiro's protocol: paginated LIST, and protobuf where timoneiro uses it. */
  clientGoLikeForLike: PeerRun[];
}

function describeUi(r: UiRun): string {
  if (r.error && r.firstFrameMs === undefined) return `FAILED: ${r.error.split("\n")[0]}`;
  const keys = [...r.keystrokesMs].sort((a, b) => a - b);
  const p95 = keys[Math.max(0, Math.ceil(keys.length * 0.95) - 1)];
  return `first frame ${formatMs(r.firstFrameMs)}, all pods shown ${formatMs(r.uiFullSyncMs)}, key p95 ${formatMs(p95)}${r.error ? ` (${r.error.split("\n")[0]})` : ""}`;
}

function describeRun(r: ProbeRun | PeerRun): string {
  if (r.error && r.fullSyncMs === undefined) return `FAILED: ${r.error.split("\n")[0]}`;
  const rss = r.rssMb !== undefined ? `, RSS ${Math.round(r.rssMb)} MB` : "";
  const peak = "peakRssMb" in r && r.peakRssMb !== undefined ? `, peak RSS ${Math.round(r.peakRssMb)} MB` : "";
  const perPod = "bytesPerPod" in r && r.bytesPerPod !== undefined ? `, ${r.bytesPerPod} B/pod` : "";
  const query = "queryP99Us" in r && r.queryP99Us !== undefined ? `, getPods p99 ${r.queryP99Us} µs` : "";
  const changed =
    "queryAfterChangeP99Us" in r && r.queryAfterChangeP99Us !== undefined
      ? `, after a change: getPods p99 ${r.queryAfterChangeP99Us} µs, list p50/p99 ${r.listAfterChangeP50Us} / ${r.listAfterChangeP99Us} µs`
      : "";
  return `${formatMs(r.fullSyncMs)}${rss}${peak}${perPod}${query}${changed}${r.error ? ` (${r.error})` : ""}`;
}

/**
 * The pods wire format timoneiro ends up with on this server: `asked` (--wire) or its default, unless the server cannot
 * speak it.
 */
async function timoneiroWire(server: BenchServer, asked: WireFormat | undefined): Promise<WireFormat> {
  if ((asked ?? DEFAULT_WIRE) === "json") return "json";
  const client = await KubeClient.fromKubeconfig(server.kubeconfig, server.context, 1);
  try {
    const type = await client.contentType("/api/v1/pods?limit=1", `${PROTOBUF},application/json`);
    return type.startsWith(PROTOBUF) ? "protobuf" : "json";
  } finally {
    client.close();
  }
}

const PROTOBUF = "application/vnd.kubernetes.protobuf";

/** client-go flags for timoneiro's protocol: a paginated LIST, and protobuf if timoneiro uses it here. */
function likeForLikeArgs(wire: WireFormat): string[] {
  return ["--watch-list=false", ...(wire === "protobuf" ? ["--protobuf"] : [])];
}

function describeRaw(r: RawRun, timoneiroMs: number | undefined): string {
  if (r.error && r.fullSyncMs === undefined) return `FAILED: ${r.error.split("\n")[0]}`;
  const mb = r.bytes !== undefined ? `, ${(r.bytes / 1e6).toFixed(1)} MB in ${r.pages} pages` : "";
  const ratio =
    timoneiroMs !== undefined && r.fullSyncMs
      ? `; timoneiro's last full sync = ${(timoneiroMs / r.fullSyncMs).toFixed(2)}× it`
      : "";
  return `${formatMs(r.fullSyncMs)}${mb}${ratio}${r.error ? ` (${r.error})` : ""}`;
}

async function measureAt(
  options: BenchOptions,
  server: BenchServer,
  parts: { probe: string; rawProbe: string },
  peer: string | undefined,
): Promise<RunEntry[]> {
  const { probe, rawProbe } = parts;
  const target: Target = { kubeconfig: server.kubeconfig, context: server.context, pods: server.pods };
  const timeoutMs = options.timeoutSeconds * 1000;
  const tag = `${server.kind} ${formatPods(server.pods)}`;
  const wire = await timoneiroWire(server, options.wire);
  log(`[${tag}] timoneiro's pods wire format here: ${wire} (default ${DEFAULT_WIRE}); list mode: paginated LIST`);
  // The UI and the probe are told the format only when it is not their default, so a default run stays one.
  const wireArg = options.wire !== undefined ? wire : undefined;
  const samples: Samples = { ui: [], probe: [], raw: [], peers: new Map(), clientGoLikeForLike: [] };
  const peerRuns = (tool: ToolName) => {
    const runs = samples.peers.get(tool) ?? [];
    samples.peers.set(tool, runs);
    return runs;
  };
  const tools = options.tools.filter((t) => t !== "client-go" || peer !== undefined);
  for (let run = 0; run < options.runs; run++) {
    // Rotate the order per run: whatever the machine is doing meanwhile hits every tool alike.
    const order = tools.map((_, i) => tools[(i + run) % tools.length] as ToolName);
    for (const tool of order) {
      const what = `[${tag}] run ${run + 1}/${options.runs} ${tool}`;
      switch (tool) {
        case "timoneiro": {
          if (!options.syncOnly) {
            const ui = await measureUi(node, cli, target, { keystrokes: options.keystrokes, timeoutMs, wire: wireArg });
            samples.ui.push(ui);
            log(`${what} UI: ${describeUi(ui)}`);
          }
          const p = await measureProbe(node, probe, target, timeoutMs, wireArg);
          samples.probe.push(p);
          log(`${what} sync probe: ${describeRun(p)}`);
          break;
        }
        case "raw": {
          const r = await measureRaw(node, rawProbe, target, wire, timeoutMs);
          samples.raw.push(r);
          log(`${what} (${wire}): ${describeRaw(r, samples.probe.at(-1)?.fullSyncMs)}`);
          break;
        }
        case "kubectl-json":
        case "kubectl-table": {
          // A run that exhausted the machine's memory will do so again: do not spend minutes proving it twice.
          const earlier = peerRuns(tool).find((p) => p.outOfMemory);
          const r = earlier
            ? { ...earlier }
            : await measureKubectl(options.kubectl, target, tool === "kubectl-json" ? "json" : "table", timeoutMs);
          peerRuns(tool).push(r);
          log(`${what}: ${earlier ? "not retried, it ran out of memory in an earlier run" : describeRun(r)}`);
          break;
        }
        case "client-go": {
          // client-go's defaults (JSON, and since 1.35 a watch-list stream) are not timoneiro's (a paginated LIST,
          // protobuf where the server has it): time it both ways.
          const r = await measureClientGo(peer as string, target, timeoutMs);
          peerRuns(tool).push(r);
          log(`${what} (defaults: JSON, watch-list ${r.watchList ?? "?"}): ${describeRun(r)}`);
          const same = await measureClientGo(peer as string, target, timeoutMs, likeForLikeArgs(wire));
          samples.clientGoLikeForLike.push(same);
          log(`${what} (${likeForLikeArgs(wire).join(" ")}): ${describeRun(same)}`);
          break;
        }
      }
    }
  }
  let cpu: UiRun | undefined;
  if (options.cpu && options.tools.includes("timoneiro")) {
    log(
      `[${tag}] CPU: ${options.churnSeconds} s idle, then ${options.churnSeconds} s at ${options.churnRate} events/s`,
    );
    cpu = await measureUi(node, cli, target, {
      keystrokes: 0,
      timeoutMs,
      wire: wireArg,
      cpu: { seconds: options.churnSeconds, churn: (seconds) => server.churn(options.churnRate, seconds) },
    });
    log(
      `[${tag}] CPU: idle ${cpu.idleCpuPct?.toFixed(2)} %, churn ${cpu.churnCpuPct?.toFixed(2)} % ` +
        `(${cpu.churn?.achievedRate.toFixed(1)} events/s, ${cpu.churn?.mode})${cpu.error ? ` — ${cpu.error}` : ""}`,
    );
  }
  const entries: RunEntry[] = [];
  if (options.tools.includes("timoneiro")) {
    entries.push(
      timoneiroEntry(server.kind, server.pods, samples.ui, samples.probe, cpu, {
        wire,
        setupMs: server.setupMs,
        ...(server.podCreation && { podCreation: server.podCreation }),
      }),
    );
  }
  if (options.tools.includes("raw")) entries.push(rawEntry(server.kind, server.pods, samples.raw, wire));
  for (const tool of ["kubectl-json", "kubectl-table", "client-go"] as const) {
    const runs = samples.peers.get(tool);
    if (runs) {
      entries.push(
        peerEntry(tool, server.kind, server.pods, runs, {
          ...(tool === "client-go" && {
            likeForLike: samples.clientGoLikeForLike,
            likeForLikeArgs: likeForLikeArgs(wire),
          }),
        }),
      );
    }
  }
  return entries;
}

async function main(argv: string[]): Promise<number> {
  let options: BenchOptions;
  try {
    options = parseBenchArgs(argv);
  } catch (err) {
    if (err instanceof BenchUsageError) {
      process.stderr.write(`bench: ${err.message}\n\n${USAGE}\n`);
      return 2;
    }
    throw err;
  }
  if (options.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (!existsSync(cli)) {
    process.stderr.write(`bench: ${cli} is missing; run npm run build (npm run bench does)\n`);
    return 2;
  }
  const machine = machineInfo(options.kubectl, repoDir);
  machine.bench = {
    server: options.server,
    runs: options.runs,
    churnSeconds: options.churnSeconds,
    churnRate: options.churnRate,
    keystrokes: options.keystrokes,
    ...(options.server === "cluster" && { clusterFill: options.clusterFill }),
    ...(options.apiserverMemoryLimit !== undefined && { apiserverGomemlimit: options.apiserverMemoryLimit }),
  };
  log(
    `${machine.cpuModel}, ${machine.cores} cores, ${machine.memoryGb} GB, ${machine.os}, Node ${machine.node}, ` +
      `kubectl ${machine.kubectl}, load ${machine.loadAverage}`,
  );
  const results: BenchResults = { machine, runs: [] };
  const save = () => {
    if (!options.json) return;
    mkdirSync(dirname(resolve(options.json)), { recursive: true });
    writeFileSync(options.json, `${JSON.stringify(results, null, 2)}\n`);
  };

  // A private build folder per harness process: two harnesses may run at once, and other work may rebuild dist/.
  const buildDir = join(repoDir, ".cache", "bench", `run-${process.pid}`);
  const removeBuildDir = () => rmSync(buildDir, { recursive: true, force: true });
  onInterrupt(removeBuildDir);
  const { probe, sim, rawProbe } = await bundleHarnessParts(repoDir, buildDir);
  cli = snapshotCli(repoDir, buildDir);
  // dist/ may hold uncommitted work of the moment; its build time at least says which moment.
  machine.distBuiltAt = statSync(join(repoDir, "dist", "timoneiro.js")).mtime.toISOString();
  let peer: string | undefined;
  const missing = new Map<ToolName, string>();
  if (options.tools.includes("client-go")) {
    const found = clientGoPeer();
    peer = found.path;
    if (found.missing) {
      missing.set("client-go", `client-go peer MISSING: ${found.missing}`);
      log(`!!! ${found.missing}`);
      log("!!! the client-go comparison is left out of this run; it is recorded as missing in the results");
    }
  }
  if (machine.kubectl === "missing" && options.tools.some((t) => t.startsWith("kubectl"))) {
    for (const t of ["kubectl-json", "kubectl-table"] as const) missing.set(t, `kubectl MISSING: ${options.kubectl}`);
    log(`!!! kubectl (${options.kubectl}) was not found; the kubectl comparisons are left out`);
    options.tools = options.tools.filter((t) => !t.startsWith("kubectl"));
  }

  const pods = [...options.pods].sort((a, b) => a - b);
  let host: ClusterHost | undefined;
  try {
    if (options.server === "cluster") {
      host = await startClusterHost(Math.max(...pods), log, {
        fill: options.clusterFill,
        ...(options.apiserverMemoryLimit !== undefined && {
          apiserverEnv: { GOMEMLIMIT: options.apiserverMemoryLimit },
        }),
      });
      machine.apiserver = host.version;
    } else machine.apiserver = "timoneiro simulator (bench/lib/sim-process.ts)";
    for (const n of pods) {
      log(`[${options.server} ${formatPods(n)}] starting the server`);
      const server = host ? await host.withPods(n) : await startSim(node, sim, n, options.timeoutSeconds * 1000);
      log(`[${options.server} ${formatPods(n)}] server ready in ${formatMs(server.setupMs)}`);
      try {
        results.runs.push(...(await measureAt(options, server, { probe, rawProbe }, peer)));
      } finally {
        await server.stop();
      }
      for (const [tool, why] of missing) results.runs.push(missingEntry(tool, options.server, n, why));
      save();
    }
  } finally {
    await host?.stop();
    killAll();
    removeBuildDir();
  }

  const table = formatTable(results.runs).replace(/<sub>(.*?)<\/sub>/g, "($1)");
  process.stdout.write(
    `\nTimoneiro benchmark — ${options.server}, median of ${options.runs} run(s) (min–max), ` +
      `${machine.cpuModel} × ${machine.cores}, Node ${machine.node}, kubectl ${machine.kubectl}\n\n${table}\n`,
  );
  const errors = formatErrors(results.runs);
  if (errors.length > 0) process.stdout.write(`\nProblems:\n${errors.map((e) => `  - ${e}`).join("\n")}\n`);
  if (options.json) process.stdout.write(`\nJSON: ${options.json}\n`);
  return 0;
}

main(process.argv.slice(2)).then(
  // Exit explicitly: a keep-alive socket or a timer left by a failed measurement must not keep the harness alive.
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`bench: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    killAll();
    process.exit(1);
  },
);
