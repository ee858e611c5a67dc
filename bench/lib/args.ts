// Flags of `npm run bench -- ...`. Pure, so the unit tests can check defaults and errors.

export type ServerKind = "sim" | "cluster";
export type ToolName = "timoneiro" | "raw" | "kubectl-json" | "kubectl-table" | "client-go";
export const ALL_TOOLS: ToolName[] = ["timoneiro", "raw", "kubectl-json", "kubectl-table", "client-go"];

export interface BenchOptions {
  pods: number[];
  server: ServerKind;
  runs: number;
  json: string | undefined;
  /** Length of each CPU window (idle, then under churn), seconds. */
  churnSeconds: number;
  /** Events per second during the churn window. */
  churnRate: number;
  /** Filter keystrokes timed per run of the UI. */
  keystrokes: number;
  tools: ToolName[];
  /** Skip the CPU windows (they dominate the run time). */
  cpu: boolean;
  /** Timoneiro: the sync probe only (full sync, memory, getPods), no UI sessions. */
  syncOnly: boolean;
  /** Pods wire format for timoneiro and the raw download (undefined: timoneiro's default). */
  wire: "json" | "protobuf" | undefined;
  kubectl: string;
  /** Cluster only: how the pods get into it (see ClusterFill in servers.ts). */
  clusterFill: "etcd" | "api";
  /** Cluster only: GOMEMLIMIT for kube-apiserver (e.g. "5GiB"), undefined: Go's default (none). */
  apiserverMemoryLimit: string | undefined;
  /** Per-measurement deadline, seconds. */
  timeoutSeconds: number;
  help: boolean;
}

export const USAGE = `npm run bench -- [options]

  --pods N[,N...]        pod counts (default sim: 500,10000,100000; cluster: 500,10000)
  --server sim|cluster   the simulator (default) or a real kube-apiserver + etcd (test/cluster)
  --runs K               runs per measurement; the median is reported with min/max (default 3)
  --json FILE            also write the results as JSON (read by npm run bench:report)
  --churn-seconds S      length of the idle and the churn CPU windows (default 60)
  --churn-rate E         events per second in the churn window (default 100)
  --keystrokes K         filter keystrokes timed per UI run (default 24)
  --tools LIST           subset of timoneiro,raw,kubectl-json,kubectl-table,client-go (default all); raw downloads
                         timoneiro's LIST pages without decoding them (the floor of a full sync)
  --no-cpu               skip the CPU windows
  --sync-only            timoneiro: only the data layer's full sync, memory and getPods() (no UI, no CPU windows)
  --cluster-fill etcd|api
                         cluster: write the pods straight into etcd, as kube-apiserver stores them (default; ~50×
                         faster), or create them through the API (POST + status, admission and validation included)
  --apiserver-gomemlimit SIZE
                         cluster: GOMEMLIMIT for kube-apiserver (e.g. 5GiB): at 100k pods it holds ~4.4 GB live and,
                         left to GOGC=100, grows to ~7-8 GB, which may leave the peers no room on a shared machine
  --wire json|protobuf   pods wire format of timoneiro and raw (default timoneiro's: protobuf, JSON if not served)
  --quick                1 run, 10 s CPU windows, 12 keystrokes (a smoke run; numbers are rough)
  --kubectl PATH         kubectl to compare with (default: kubectl on PATH)
  --timeout-seconds S    deadline for any one measurement (default 900)
  -h, --help             this text`;

export class BenchUsageError extends Error {}

export function parseBenchArgs(argv: readonly string[]): BenchOptions {
  let pods: number[] | undefined;
  const o: BenchOptions = {
    pods: [],
    server: "sim",
    runs: 3,
    json: undefined,
    churnSeconds: 60,
    churnRate: 100,
    keystrokes: 24,
    tools: [...ALL_TOOLS],
    cpu: true,
    syncOnly: false,
    wire: undefined,
    clusterFill: "etcd",
    apiserverMemoryLimit: undefined,
    kubectl: "kubectl",
    timeoutSeconds: 900,
    help: false,
  };
  let quick = false;
  const explicit = new Set<string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    const eq = arg.startsWith("--") ? arg.indexOf("=") : -1;
    const flag = eq > 0 ? arg.slice(0, eq) : arg;
    const inline = eq > 0 ? arg.slice(eq + 1) : undefined;
    const value = (): string => {
      const v = inline ?? argv[++i];
      if (v === undefined || v === "") throw new BenchUsageError(`${flag} needs a value`);
      return v;
    };
    const positive = (raw: string, what = flag): number => {
      const n = Number(raw.replace(/_/g, ""));
      if (!Number.isFinite(n) || n <= 0) throw new BenchUsageError(`${what} needs a positive number, got "${raw}"`);
      return n;
    };
    explicit.add(flag);
    switch (flag) {
      case "--pods":
        pods = value()
          .split(",")
          .map((s) => Math.round(positive(s.trim().replace(/k$/i, "000"), "--pods")));
        break;
      case "--server": {
        const v = value();
        if (v !== "sim" && v !== "cluster") throw new BenchUsageError(`--server must be sim or cluster, got "${v}"`);
        o.server = v;
        break;
      }
      case "--runs":
        o.runs = Math.round(positive(value()));
        break;
      case "--json":
        o.json = value();
        break;
      case "--churn-seconds":
        o.churnSeconds = positive(value());
        break;
      case "--churn-rate":
        o.churnRate = positive(value());
        break;
      case "--keystrokes":
        o.keystrokes = Math.round(positive(value()));
        break;
      case "--tools": {
        const tools = value().split(",");
        for (const t of tools) {
          if (!ALL_TOOLS.includes(t as ToolName)) {
            throw new BenchUsageError(`--tools: unknown tool "${t}" (known: ${ALL_TOOLS.join(", ")})`);
          }
        }
        o.tools = tools as ToolName[];
        break;
      }
      case "--no-cpu":
        o.cpu = false;
        break;
      case "--sync-only":
        o.syncOnly = true;
        o.cpu = false;
        break;
      case "--wire": {
        const v = value();
        if (v !== "json" && v !== "protobuf") throw new BenchUsageError(`--wire must be json or protobuf, got "${v}"`);
        o.wire = v;
        break;
      }
      case "--cluster-fill": {
        const v = value();
        if (v !== "etcd" && v !== "api") throw new BenchUsageError(`--cluster-fill must be etcd or api, got "${v}"`);
        o.clusterFill = v;
        break;
      }
      case "--apiserver-gomemlimit": {
        const v = value();
        if (!/^\d+(B|KiB|MiB|GiB|TiB)?$/.test(v)) {
          throw new BenchUsageError(`--apiserver-gomemlimit takes a Go memory size such as 5GiB, got "${v}"`);
        }
        o.apiserverMemoryLimit = v;
        break;
      }
      case "--quick":
        quick = true;
        break;
      case "--kubectl":
        o.kubectl = value();
        break;
      case "--timeout-seconds":
        o.timeoutSeconds = positive(value());
        break;
      case "-h":
      case "--help":
        o.help = true;
        break;
      default:
        throw new BenchUsageError(`unknown argument "${arg}"`);
    }
  }
  if (quick) {
    if (!explicit.has("--runs")) o.runs = 1;
    if (!explicit.has("--churn-seconds")) o.churnSeconds = 10;
    if (!explicit.has("--keystrokes")) o.keystrokes = 12;
  }
  o.pods = pods ?? (o.server === "sim" ? [500, 10_000, 100_000] : [500, 10_000]);
  return o;
}
