// A real Kubernetes control plane for tests: etcd + kube-apiserver, built from the Go module proxy by build.sh, started
// on loopback with free ports, a generated CA/serving cert, service-account keys, RBAC and a static token file with an
// admin user (system:masters) and a restricted user (may only list/watch/get pods in namespace "allowed").
//
//   const cluster = await startCluster();            // builds the binaries first if they are missing
//   ... KUBECONFIG=cluster.kubeconfigPath ...
//   await cluster.stop();
//
// By default no kubelet, scheduler or controller-manager runs: pods stay as written (tests set their status through the
// status subresource) and namespaces being deleted stay Terminating. A test that wants a cluster that behaves like one
// asks for it: startCluster({ controllers: true, kwok: { nodes: 1 } }) also starts kube-controller-manager,
// kube-scheduler and KWOK (fake kubelets for fake nodes, serving logs/attach/port-forward to the apiserver).
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { generateKeyPairSync, randomBytes, webcrypto } from "node:crypto";
import { closeSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import http from "node:http";
import https from "node:https";
import net from "node:net";
import { homedir, tmpdir } from "node:os";
import { join } from "node:path";
import "reflect-metadata"; // @peculiar/x509 needs it loaded first
import * as x509 from "@peculiar/x509";
import { stringify as toYaml } from "yaml";
import {
  type AggregationFiles,
  type ApiServiceTarget,
  aggregationApiserverFlags,
  apiServiceServing,
  kwokMetricsConfig,
  kwokResourceMetricsPath,
  metricsServerArgs,
  metricsServerBinary,
  RESOURCE_METRICS_PATH_ANNOTATION,
  registerApiService,
  writeAggregationPki,
} from "./metrics-server/fixture.ts";

export const clusterDir: string = import.meta.dirname;

/** Root of the build/state cache (outside the repo, shared by every clone on the machine). */
export function cacheRoot(): string {
  return process.env.TIMONEIRO_CACHE || join(homedir(), ".cache", "timoneiro");
}

export interface StartClusterOptions {
  /** Folder with kube-apiserver and etcd. Default: build them with build.sh (a no-op when cached). */
  binDir?: string;
  /** Extra kube-apiserver flags, appended last so they win, e.g. ["--feature-gates=WatchList=false"]. */
  apiserverFlags?: string[];
  /**
   * More environment variables for kube-apiserver (on top of this process' own), e.g. { GOMEMLIMIT: "5GiB" } for a
   * benchmark with 100k pods on a machine short of memory.
   */
  apiserverEnv?: Record<string, string>;
  /** Extra etcd flags. */
  etcdFlags?: string[];
  /** Parent of the cluster's temporary folder. Default: the OS temp folder. */
  tmpParent?: string;
  /** How long to wait for etcd /health and kube-apiserver /readyz. Default 60 s. */
  readyTimeoutMs?: number;
  /**
   * Leave etcd and kube-apiserver running when this process exits (start.ts --detach). They get their own process
   * group, their output goes to files only, and no exit handler is registered: call stop() or kill them yourself.
   */
  detached?: boolean;
  /** Progress messages (default: silent). */
  log?: (message: string) => void;
  /**
   * Also start kube-controller-manager (deployment, replicaset, garbage collector, job, … controllers; no cloud) and
   * kube-scheduler, both as admin through the kubeconfig. Default false: the fixture stays apiserver + etcd only.
   */
  controllers?: boolean;
  /** Also start KWOK as the kubelet of fake nodes (default: off). `true` = `{}`. */
  kwok?: boolean | KwokOptions;
  /**
   * Also serve metrics.k8s.io: metrics-server (built by build.sh) registered as an APIService behind kube-apiserver,
   * scraping the KWOK nodes, which report each pod's usage from its kwok.x-k8s.io/usage-{cpu,memory} annotations.
   * Needs `kwok`. startCluster returns once the APIService is Available and served; a new pod's metrics follow three
   * or four scrapes (10 s apart: about 40 s) after it runs. Default false.
   */
  metrics?: boolean;
}

export interface KwokOptions {
  /** How many Node objects to create for KWOK (kwok-node-0, kwok-node-1, …). Default 1. */
  nodes?: number;
  /**
   * More KWOK configuration objects (kwok.x-k8s.io/v1alpha1, e.g. `Logs`/`ClusterLogs` with a `logsFile`,
   * `Attach`/`ClusterAttach`, `PortForward`/`ClusterPortForward` with a `target`), added to its --config after the
   * default stages. `Exec`/`ClusterExec` (unless `allowExec`) and port-forward `command`s are refused: KWOK runs them
   * as local processes, with whatever command the request names, and its kubelet port has no authentication.
   */
  config?: Record<string, unknown>[];
  /**
   * Accept `Exec`/`ClusterExec` in `config` (default false): for a test of exec itself, which then names every
   * command run (KWOK runs the request's command on this machine, in the rule's `local.workDir` with its `envs`:
   * give it a temporary folder and a PATH of a few harmless programs).
   */
  allowExec?: boolean;
}

/** The annotation KWOK is told to manage nodes by (the one KWOK's documentation uses). */
export const KWOK_NODE_ANNOTATION = "kwok.x-k8s.io/node";

export interface RequestResult {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
  /** body parsed as JSON (undefined if it is not JSON). */
  json: unknown;
}

export interface Cluster {
  kubeconfigPath: string;
  /** https://127.0.0.1:PORT */
  server: string;
  /** PEM of the CA that signed the serving certificate. */
  caPem: string;
  adminToken: string;
  restrictedToken: string;
  tmpDir: string;
  apiserverPid: number;
  etcdPid: number;
  /** http://127.0.0.1:PORT (etcd client URL, no TLS). */
  etcdUrl: string;
  binDir: string;
  /** Milliseconds from spawning etcd to a ready kube-apiserver with the RBAC fixture in place. */
  startupMs: number;
  /** One HTTPS request to the apiserver (default: as admin). */
  request(method: string, path: string, body?: unknown, opts?: RequestOptions): Promise<RequestResult>;
  /** Stop both processes and remove tmpDir. Safe to call twice. */
  stop(): Promise<void>;
  /** kill -9 kube-apiserver (it is not restarted). */
  killApiserver(): Promise<void>;
  /** kill -9 kube-apiserver if it runs, then start it again on the same port with the same etcd; waits for /readyz. */
  restartApiserver(): Promise<void>;
  /** SIGSTOP kube-apiserver: connections stay open but nothing is answered. */
  pauseApiserver(): void;
  /** SIGCONT kube-apiserver. */
  resumeApiserver(): void;
  /**
   * Compact etcd at its current revision (physical). Returns that revision. A WATCH from an older resourceVersion that
   * reaches etcd then gets 410 Gone; note that the apiserver's watch cache serves most watches itself, so combine with
   * restartApiserver() or start with apiserverFlags ["--watch-cache=false"] to see 410 on resume deterministically.
   */
  compact(): Promise<number>;
  /** Current etcd revision (= the newest resourceVersion). */
  etcdRevision(): Promise<number>;
  /** Names of the KWOK nodes (empty without `kwok`). */
  kwokNodes: string[];
  /** Port of KWOK's kubelet server on 127.0.0.1 (0 without `kwok`). */
  kwokPort: number;
  /** Pids of kube-controller-manager, kube-scheduler and kwok (-1 when not started). */
  controllerManagerPid: number;
  schedulerPid: number;
  kwokPid: number;
  /** Pid of metrics-server (-1 when not started or stopped). */
  readonly metricsServerPid: number;
  /** Stop metrics-server (SIGTERM): metrics.k8s.io then answers 503. Its APIService stays registered. */
  stopMetricsServer(): Promise<void>;
  /** Start metrics-server again (same port) after stopMetricsServer(); waits until its APIService is Available. */
  startMetricsServer(): Promise<void>;
  /**
   * Register another aggregated API (APIService + ExternalName Service) served on 127.0.0.1:port behind this
   * kube-apiserver, whose front-proxy client certificate (CN front-proxy-client, CA `frontProxyCaPem`) it presents.
   */
  registerApiService(target: ApiServiceTarget): Promise<void>;
  /** PEM of the CA of the front-proxy client certificate kube-apiserver presents to aggregated APIs. */
  frontProxyCaPem: string;
}

export interface RequestOptions {
  token?: string;
  headers?: Record<string, string>;
  timeoutMs?: number;
}

interface Child {
  name: string;
  proc: ChildProcess;
  exited: boolean;
  exitInfo: string;
  logPath: string;
}

const live = new Set<() => void>();
let handlersInstalled = false;

function installExitHandlers(): void {
  if (handlersInstalled) return;
  handlersInstalled = true;
  const cleanupAll = () => {
    for (const cleanup of [...live]) cleanup();
  };
  process.on("exit", cleanupAll);
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
    process.on(signal, () => {
      // When the program handles this signal itself (e.g. start.ts stops the cluster gracefully), leave it to it: the
      // "exit" handler still kills whatever is left. Otherwise keep the default behaviour: clean up and exit.
      if (process.listenerCount(signal) > 1) return;
      cleanupAll();
      process.exit(128 + (signal === "SIGINT" ? 2 : signal === "SIGTERM" ? 15 : 1));
    });
  }
}

/** Runs build.sh (a no-op when the binaries are cached) and returns the binaries' folder. */
export function ensureBinaries(log?: (message: string) => void): string {
  const script = join(clusterDir, "build.sh");
  log?.(`ensuring binaries: ${script}`);
  let out: string;
  try {
    out = execFileSync("bash", [script], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "inherit"],
      maxBuffer: 1 << 20,
    });
  } catch (error) {
    throw new Error(`test/cluster/build.sh failed (see its output above): ${(error as Error).message}`);
  }
  const dir = out.trim().split("\n").pop() ?? "";
  if (!dir) throw new Error("test/cluster/build.sh printed no binaries folder");
  return dir;
}

export async function freePort(): Promise<number> {
  return await new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function tail(path: string, lines = 40): string {
  try {
    return readFileSync(path, "utf8").split("\n").slice(-lines).join("\n");
  } catch {
    return "(no log)";
  }
}

// ---- certificates -----------------------------------------------------------------------------------------------

interface Pki {
  caPem: string;
  servingCertPem: string;
  servingKeyPem: string;
  saPublicPem: string;
  saPrivatePem: string;
}

function pem(label: string, der: ArrayBuffer): string {
  const b64 = Buffer.from(der).toString("base64");
  return `-----BEGIN ${label}-----\n${b64.replace(/(.{64})/g, "$1\n").replace(/\n$/, "")}\n-----END ${label}-----\n`;
}

async function makePki(): Promise<Pki> {
  const crypto = webcrypto as unknown as Crypto;
  x509.cryptoProvider.set(crypto);
  const alg = { name: "ECDSA", namedCurve: "P-256", hash: "SHA-256" };
  const notBefore = new Date(Date.now() - 60 * 60 * 1000);
  const notAfter = new Date(Date.now() + 10 * 365 * 24 * 60 * 60 * 1000);
  const caKeys = (await crypto.subtle.generateKey(alg, true, ["sign", "verify"])) as CryptoKeyPair;
  const ca = await x509.X509CertificateGenerator.createSelfSigned({
    name: "CN=timoneiro-envtest-ca",
    notBefore,
    notAfter,
    keys: caKeys,
    signingAlgorithm: alg,
    extensions: [
      new x509.BasicConstraintsExtension(true, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(caKeys.publicKey),
    ],
  });
  const servingKeys = (await crypto.subtle.generateKey(alg, true, ["sign", "verify"])) as CryptoKeyPair;
  const serving = await x509.X509CertificateGenerator.create({
    subject: "CN=kube-apiserver",
    issuer: ca.subject,
    notBefore,
    notAfter,
    publicKey: servingKeys.publicKey,
    signingKey: caKeys.privateKey,
    signingAlgorithm: alg,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
      new x509.SubjectAlternativeNameExtension([
        { type: "ip", value: "127.0.0.1" },
        { type: "ip", value: "10.0.0.1" },
        { type: "dns", value: "localhost" },
        { type: "dns", value: "kubernetes" },
        { type: "dns", value: "kubernetes.default" },
        { type: "dns", value: "kubernetes.default.svc" },
        { type: "dns", value: "kubernetes.default.svc.cluster.local" },
      ]),
      await x509.AuthorityKeyIdentifierExtension.create(caKeys.publicKey),
    ],
  });
  const servingKeyPem = pem("PRIVATE KEY", await crypto.subtle.exportKey("pkcs8", servingKeys.privateKey));
  const sa = generateKeyPairSync("ec", {
    namedCurve: "prime256v1",
    publicKeyEncoding: { type: "spki", format: "pem" },
    privateKeyEncoding: { type: "pkcs8", format: "pem" },
  });
  return {
    caPem: ca.toString("pem"),
    servingCertPem: serving.toString("pem"),
    servingKeyPem,
    saPublicPem: sa.publicKey,
    saPrivatePem: sa.privateKey,
  };
}

// ---- HTTP helpers -----------------------------------------------------------------------------------------------

function httpsRequest(
  server: string,
  caPem: string,
  method: string,
  path: string,
  body: unknown,
  opts: RequestOptions = {},
): Promise<RequestResult> {
  return sendRequest(new URL(server), { ca: caPem }, method, path, body, opts);
}

/** TLS material and headers for a request: the fixture's CA, or what client-node's applyToHTTPSOptions fills in. */
export interface Tls {
  ca?: Buffer | string;
  cert?: Buffer | string;
  key?: Buffer | string;
  rejectUnauthorized?: boolean;
  servername?: string;
  headers?: Record<string, string>;
}

/** One request over HTTP(S), body as JSON (or raw Buffer); the response body is parsed as JSON when it is JSON. */
export function sendRequest(
  base: URL,
  tls: Tls,
  method: string,
  path: string,
  body: unknown,
  opts: RequestOptions,
): Promise<RequestResult> {
  return new Promise((resolve, reject) => {
    const payload =
      body === undefined ? undefined : Buffer.isBuffer(body) ? body : Buffer.from(JSON.stringify(body), "utf8");
    const headers: Record<string, string> = { Accept: "application/json", ...tls.headers, ...opts.headers };
    if (opts.token) headers.Authorization = `Bearer ${opts.token}`;
    if (payload) {
      headers["Content-Type"] ??= "application/json";
      headers["Content-Length"] = String(payload.length);
    }
    const url = new URL(path, base);
    const requester = url.protocol === "https:" ? https.request : http.request;
    const { headers: _, ...tlsOptions } = tls;
    const req = requester(url, { ...tlsOptions, method, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () => {
        const buf = Buffer.concat(chunks);
        let json: unknown;
        try {
          json = JSON.parse(buf.toString("utf8"));
        } catch {
          json = undefined;
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: buf, json });
      });
      res.on("error", reject);
    });
    req.setTimeout(opts.timeoutMs ?? 30_000, () => req.destroy(new Error(`${method} ${path}: timed out`)));
    req.on("error", reject);
    req.end(payload);
  });
}

/** POST to etcd's HTTP/JSON gateway; rejects on a non-200 answer. */
export function etcdPost(etcdUrl: string, path: string, body: unknown, timeoutMs = 10_000): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const payload = Buffer.from(JSON.stringify(body));
    const req = http.request(
      new URL(path, etcdUrl),
      {
        method: "POST",
        headers: { "Content-Type": "application/json", "Content-Length": payload.length },
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("end", () => {
          const text = Buffer.concat(chunks).toString("utf8");
          if (res.statusCode !== 200) reject(new Error(`etcd ${path}: HTTP ${res.statusCode}: ${text}`));
          else resolve(JSON.parse(text));
        });
      },
    );
    req.setTimeout(timeoutMs, () => req.destroy(new Error(`etcd ${path}: timed out`)));
    req.on("error", reject);
    req.end(payload);
  });
}

function etcdHealthy(etcdUrl: string): Promise<boolean> {
  return new Promise((resolve) => {
    const req = http.get(new URL("/health", etcdUrl), { agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () => resolve(res.statusCode === 200 && Buffer.concat(chunks).toString().includes('"true"')));
    });
    req.setTimeout(2000, () => req.destroy());
    req.on("error", () => resolve(false));
  });
}

// ---- the cluster ------------------------------------------------------------------------------------------------

function spawnLogged(
  name: string,
  bin: string,
  args: string[],
  logPath: string,
  detached: boolean,
  env?: Record<string, string>,
): Child {
  const fd = openSync(logPath, "a");
  const proc = spawn(bin, args, {
    stdio: ["ignore", fd, fd],
    detached,
    ...(env && { env: { ...process.env, ...env } }),
  });
  closeSync(fd);
  if (detached) proc.unref();
  const child: Child = { name, proc, exited: false, exitInfo: "", logPath };
  proc.on("exit", (code, signal) => {
    child.exited = true;
    child.exitInfo = signal ? `signal ${signal}` : `exit code ${code}`;
  });
  proc.on("error", (error) => {
    child.exited = true;
    child.exitInfo = `spawn error: ${error.message}`;
  });
  return child;
}

async function waitExit(child: Child, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!child.exited && Date.now() < deadline) await sleep(25);
  return child.exited;
}

async function terminate(child: Child | undefined, graceMs = 5000): Promise<void> {
  if (!child || child.exited || child.proc.pid === undefined) return;
  try {
    process.kill(child.proc.pid, "SIGCONT"); // a paused process cannot handle SIGTERM
    process.kill(child.proc.pid, "SIGTERM");
  } catch {
    return;
  }
  if (await waitExit(child, graceMs)) return;
  try {
    process.kill(child.proc.pid, "SIGKILL");
  } catch {
    return;
  }
  await waitExit(child, 5000);
}

export async function startCluster(opts: StartClusterOptions = {}): Promise<Cluster> {
  const log = opts.log ?? (() => {});
  const detached = opts.detached ?? false;
  const readyTimeoutMs = opts.readyTimeoutMs ?? 60_000;
  const kwokOpts: KwokOptions | undefined = opts.kwok === true ? {} : opts.kwok || undefined;
  if (kwokOpts) checkKwokConfig(kwokOpts.config ?? [], kwokOpts.allowExec === true);
  if (detached && (opts.controllers || kwokOpts || opts.metrics)) {
    // stop.ts knows etcd and kube-apiserver only (state.ts): it would leave these running.
    throw new Error("startCluster: controllers, kwok and metrics are not supported with detached");
  }
  if (opts.metrics && !kwokOpts)
    throw new Error("startCluster: metrics needs kwok (the kubelets metrics-server scrapes)");
  const binDir = opts.binDir ?? ensureBinaries(log);
  const tmpDir = mkdtempSync(join(opts.tmpParent ?? tmpdir(), "timoneiro-cluster-"));
  const t0 = performance.now();

  let etcd: Child | undefined;
  let apiserver: Child | undefined;
  let controllerManager: Child | undefined;
  let scheduler: Child | undefined;
  let kwok: Child | undefined;
  let metricsServer: Child | undefined;
  let stopped = false;

  const syncCleanup = () => {
    for (const child of [metricsServer, kwok, scheduler, controllerManager, apiserver, etcd]) {
      if (child && !child.exited && child.proc.pid !== undefined) {
        try {
          process.kill(child.proc.pid, "SIGKILL");
        } catch {}
      }
    }
    rmSync(tmpDir, { recursive: true, force: true });
    live.delete(syncCleanup);
  };
  if (!detached) {
    installExitHandlers();
    live.add(syncCleanup);
  }

  try {
    const pki = await makePki();
    const adminToken = randomBytes(24).toString("hex");
    const restrictedToken = randomBytes(24).toString("hex");
    const files = {
      ca: join(tmpDir, "ca.crt"),
      cert: join(tmpDir, "apiserver.crt"),
      key: join(tmpDir, "apiserver.key"),
      saPub: join(tmpDir, "sa.pub"),
      saKey: join(tmpDir, "sa.key"),
      tokens: join(tmpDir, "tokens.csv"),
      kubeconfig: join(tmpDir, "kubeconfig"),
    };
    writeFileSync(files.ca, pki.caPem);
    writeFileSync(files.cert, pki.servingCertPem);
    writeFileSync(files.key, pki.servingKeyPem, { mode: 0o600 });
    writeFileSync(files.saPub, pki.saPublicPem);
    writeFileSync(files.saKey, pki.saPrivatePem, { mode: 0o600 });
    writeFileSync(
      files.tokens,
      `${adminToken},admin,uid-admin,"system:masters"\n${restrictedToken},restricted,uid-restricted\n`,
      { mode: 0o600 },
    );

    const aggregation: AggregationFiles = await writeAggregationPki(tmpDir);

    const [etcdPort, peerPort, apiPort] = await distinctFreePorts(3);
    const etcdUrl = `http://127.0.0.1:${etcdPort}`;
    const server = `https://127.0.0.1:${apiPort}`;
    const etcdData = join(tmpDir, "etcd");
    mkdirSync(etcdData, { mode: 0o700 });

    const etcdArgs = [
      "--name=timoneiro",
      `--data-dir=${etcdData}`,
      `--listen-client-urls=${etcdUrl}`,
      `--advertise-client-urls=${etcdUrl}`,
      `--listen-peer-urls=http://127.0.0.1:${peerPort}`,
      `--initial-advertise-peer-urls=http://127.0.0.1:${peerPort}`,
      `--initial-cluster=timoneiro=http://127.0.0.1:${peerPort}`,
      "--unsafe-no-fsync=true", // test data only: skip fsync, much faster on a shared disk
      "--log-level=warn",
      ...(opts.etcdFlags ?? []),
    ];
    log(`starting etcd on ${etcdUrl}`);
    etcd = spawnLogged("etcd", join(binDir, "etcd"), etcdArgs, join(tmpDir, "etcd.log"), detached);
    const etcdDeadline = Date.now() + readyTimeoutMs;
    while (!(await etcdHealthy(etcdUrl))) {
      if (etcd.exited) throw new Error(`etcd exited (${etcd.exitInfo}) before it was healthy:\n${tail(etcd.logPath)}`);
      if (Date.now() > etcdDeadline)
        throw new Error(`etcd not healthy after ${readyTimeoutMs} ms:\n${tail(etcd.logPath)}`);
      await sleep(50);
    }

    const apiserverArgs = [
      `--etcd-servers=${etcdUrl}`,
      "--bind-address=127.0.0.1",
      "--advertise-address=127.0.0.1",
      `--secure-port=${apiPort}`,
      `--tls-cert-file=${files.cert}`,
      `--tls-private-key-file=${files.key}`,
      `--client-ca-file=${files.ca}`,
      `--token-auth-file=${files.tokens}`,
      "--authorization-mode=RBAC",
      `--service-account-issuer=https://kubernetes.default.svc.cluster.local`,
      `--service-account-key-file=${files.saPub}`,
      `--service-account-signing-key-file=${files.saKey}`,
      "--service-cluster-ip-range=10.0.0.0/24",
      "--allow-privileged=true",
      // No controller-manager runs, so nothing would create the "default" ServiceAccount pods need to be admitted.
      "--disable-admission-plugins=ServiceAccount",
      // Not needed without a kubelet/controllers; less work at startup.
      "--enable-priority-and-fairness=false",
      "--endpoint-reconciler-type=none",
      "--profiling=false",
      `--cert-dir=${join(tmpDir, "certs")}`,
      "--v=0",
      // KWOK's nodes are reached at their InternalIP (127.0.0.1); the default order tries Hostname (the node name) first.
      ...(kwokOpts ? ["--kubelet-preferred-address-types=InternalIP"] : []),
      // The aggregation layer (APIServices proxied with a front-proxy client certificate), as in a kubeadm cluster.
      ...aggregationApiserverFlags(aggregation),
      ...(opts.apiserverFlags ?? []),
    ];
    const apiserverLog = join(tmpDir, "kube-apiserver.log");
    const request = (method: string, path: string, body?: unknown, ropts: RequestOptions = {}) =>
      httpsRequest(server, pki.caPem, method, path, body, { token: adminToken, ...ropts });

    const startApiserver = async () => {
      log(`starting kube-apiserver on ${server}`);
      apiserver = spawnLogged(
        "kube-apiserver",
        join(binDir, "kube-apiserver"),
        apiserverArgs,
        apiserverLog,
        detached,
        opts.apiserverEnv,
      );
      const child = apiserver;
      const deadline = Date.now() + readyTimeoutMs;
      let last = "";
      for (;;) {
        if (child.exited) throw new Error(`kube-apiserver exited (${child.exitInfo}):\n${tail(apiserverLog)}`);
        try {
          const res = await request("GET", "/readyz", undefined, { timeoutMs: 5000 });
          if (res.status === 200) return;
          last = `HTTP ${res.status}: ${res.body.toString("utf8").slice(0, 2000)}`;
        } catch (error) {
          last = (error as Error).message;
        }
        if (Date.now() > deadline) {
          throw new Error(`kube-apiserver not ready after ${readyTimeoutMs} ms (${last}):\n${tail(apiserverLog)}`);
        }
        await sleep(100);
      }
    };
    await startApiserver();
    log(`kube-apiserver ready after ${Math.round(performance.now() - t0)} ms`);

    await setupRbac(request);

    const kubeconfig = {
      apiVersion: "v1",
      kind: "Config",
      clusters: [
        {
          name: "envtest",
          cluster: { server, "certificate-authority-data": Buffer.from(pki.caPem).toString("base64") },
        },
      ],
      users: [
        { name: "envtest-admin", user: { token: adminToken } },
        { name: "envtest-restricted", user: { token: restrictedToken } },
      ],
      contexts: [
        { name: "envtest-admin", context: { cluster: "envtest", user: "envtest-admin" } },
        { name: "envtest-restricted", context: { cluster: "envtest", user: "envtest-restricted" } },
      ],
      "current-context": "envtest-admin",
      preferences: {},
    };
    writeFileSync(files.kubeconfig, toYaml(kubeconfig), { mode: 0o600 });

    if (opts.controllers) {
      // No --secure-port: 0 turns their own HTTPS endpoints off (no fixed ports to collide on, nothing to authenticate).
      const controllerManagerArgs = [
        `--kubeconfig=${files.kubeconfig}`,
        "--leader-elect=false",
        "--secure-port=0",
        // Every default controller; node IPAM (no --allocate-node-cidrs) and the cloud ones do nothing here anyway.
        "--controllers=*,-nodeipam",
        `--service-account-private-key-file=${files.saKey}`,
        `--root-ca-file=${files.ca}`,
        "--v=0",
      ];
      log("starting kube-controller-manager and kube-scheduler");
      controllerManager = spawnLogged(
        "kube-controller-manager",
        join(binDir, "kube-controller-manager"),
        controllerManagerArgs,
        join(tmpDir, "kube-controller-manager.log"),
        detached,
      );
      scheduler = spawnLogged(
        "kube-scheduler",
        join(binDir, "kube-scheduler"),
        [`--kubeconfig=${files.kubeconfig}`, "--leader-elect=false", "--secure-port=0", "--v=0"],
        join(tmpDir, "kube-scheduler.log"),
        detached,
      );
    }
    let kwokNodes: string[] = [];
    let kwokPort = 0;
    if (kwokOpts) {
      kwokPort = await freePort();
      const extra = [...(opts.metrics ? kwokMetricsConfig(kwokFolder(binDir)) : []), ...(kwokOpts.config ?? [])];
      kwok = startKwok(binDir, tmpDir, files.kubeconfig, kwokPort, extra, detached);
      kwokNodes = Array.from({ length: kwokOpts.nodes ?? 1 }, (_, i) => `kwok-node-${i}`);
      for (const name of kwokNodes) {
        // metrics-server scrapes the path this annotation names instead of /metrics/resource: KWOK's, per node.
        const annotations: Record<string, string> = opts.metrics
          ? { [RESOURCE_METRICS_PATH_ANNOTATION]: kwokResourceMetricsPath(name) }
          : {};
        await mustCreate(request, "/api/v1/nodes", kwokNode(name, annotations));
      }
    }
    if (opts.controllers) {
      // The serviceaccounts controller creates "default" in every namespace: a sign that the controllers run.
      await waitFor(readyTimeoutMs, [controllerManager, scheduler], async () => {
        const res = await request("GET", "/api/v1/namespaces/default/serviceaccounts/default");
        return res.status === 200 || `default ServiceAccount: HTTP ${res.status}`;
      });
      log(`kube-controller-manager running after ${Math.round(performance.now() - t0)} ms`);
    }
    if (kwokOpts) {
      await waitFor(readyTimeoutMs, [kwok], async () => {
        for (const name of kwokNodes) {
          const res = await request("GET", `/api/v1/nodes/${name}`);
          const node = res.json as
            | { status?: { conditions?: { type: string; status: string }[]; daemonEndpoints?: unknown } }
            | undefined;
          const ready = node?.status?.conditions?.some((c) => c.type === "Ready" && c.status === "True");
          if (!ready) return `node ${name} not Ready yet`;
        }
        return true;
      });
      log(`KWOK nodes ${kwokNodes.join(", ")} Ready after ${Math.round(performance.now() - t0)} ms`);
    }
    const metricsPort = opts.metrics ? await freePort() : 0;
    const startMetricsServer = async () => {
      const started = performance.now();
      metricsServer = spawnLogged(
        "metrics-server",
        metricsServerBinary(binDir),
        metricsServerArgs({
          port: metricsPort,
          kubeconfig: files.kubeconfig,
          certDir: join(tmpDir, "metrics-server-certs"),
          files: aggregation,
        }),
        join(tmpDir, "metrics-server.log"),
        detached,
      );
      await waitFor(readyTimeoutMs, [metricsServer], () => apiServiceServing(request, "metrics.k8s.io", "v1beta1"));
      log(`metrics-server serving metrics.k8s.io ${Math.round(performance.now() - started)} ms after its start`);
    };
    if (opts.metrics) {
      await registerApiService(request, {
        group: "metrics.k8s.io",
        version: "v1beta1",
        namespace: "kube-system",
        service: "metrics-server",
        port: metricsPort,
        caPem: aggregation.servingCaPem,
      });
      log("starting metrics-server");
      await startMetricsServer();
      log(`metrics.k8s.io Available after ${Math.round(performance.now() - t0)} ms`);
    }
    const startupMs = Math.round(performance.now() - t0);
    log(`cluster ready in ${startupMs} ms; kubeconfig: ${files.kubeconfig}`);

    const cluster: Cluster = {
      kubeconfigPath: files.kubeconfig,
      server,
      caPem: pki.caPem,
      adminToken,
      restrictedToken,
      tmpDir,
      get apiserverPid() {
        return apiserver?.proc.pid ?? -1;
      },
      etcdPid: etcd.proc.pid ?? -1,
      etcdUrl,
      binDir,
      startupMs,
      request,
      kwokNodes,
      kwokPort,
      controllerManagerPid: controllerManager?.proc.pid ?? -1,
      schedulerPid: scheduler?.proc.pid ?? -1,
      kwokPid: kwok?.proc.pid ?? -1,
      get metricsServerPid() {
        return metricsServer && !metricsServer.exited ? (metricsServer.proc.pid ?? -1) : -1;
      },
      async stopMetricsServer() {
        await terminate(metricsServer);
      },
      async startMetricsServer() {
        if (!opts.metrics) throw new Error("startMetricsServer: the cluster was started without metrics");
        if (metricsServer && !metricsServer.exited) throw new Error("startMetricsServer: metrics-server is running");
        await startMetricsServer();
      },
      registerApiService: (target) => registerApiService(request, target),
      frontProxyCaPem: readFileSync(aggregation.frontProxyCa, "utf8"),
      async stop() {
        if (stopped) return;
        stopped = true;
        await Promise.all([
          terminate(metricsServer),
          terminate(kwok),
          terminate(scheduler),
          terminate(controllerManager),
        ]);
        await terminate(apiserver);
        await terminate(etcd);
        syncCleanup();
      },
      async killApiserver() {
        if (apiserver && !apiserver.exited && apiserver.proc.pid !== undefined) {
          process.kill(apiserver.proc.pid, "SIGKILL");
          await waitExit(apiserver, 10_000);
        }
      },
      async restartApiserver() {
        await cluster.killApiserver();
        await startApiserver();
      },
      pauseApiserver() {
        if (apiserver?.proc.pid !== undefined) process.kill(apiserver.proc.pid, "SIGSTOP");
      },
      resumeApiserver() {
        if (apiserver?.proc.pid !== undefined) process.kill(apiserver.proc.pid, "SIGCONT");
      },
      async etcdRevision() {
        // Any range answers with the store's current revision in its header; count_only keeps it cheap.
        const res = (await etcdPost(etcdUrl, "/v3/kv/range", {
          key: Buffer.from("/").toString("base64"),
          count_only: true,
        })) as { header?: { revision?: string } };
        const revision = Number(res.header?.revision);
        if (!Number.isFinite(revision) || revision <= 0)
          throw new Error(`etcd range: no revision in ${JSON.stringify(res)}`);
        return revision;
      },
      async compact() {
        const revision = await cluster.etcdRevision();
        await etcdPost(etcdUrl, "/v3/kv/compaction", { revision: String(revision), physical: true }, 60_000);
        log(`etcd compacted at revision ${revision}`);
        return revision;
      },
    };
    return cluster;
  } catch (error) {
    stopped = true;
    await Promise.all([
      terminate(metricsServer, 2000),
      terminate(kwok, 2000),
      terminate(scheduler, 2000),
      terminate(controllerManager, 2000),
    ]);
    await terminate(apiserver, 2000);
    await terminate(etcd, 2000);
    if (detached) {
      rmSync(tmpDir, { recursive: true, force: true });
    } else {
      syncCleanup();
    }
    throw error;
  }
}

/** Polls `check` (true, or a reason it is not there yet) until true; fails early when one of `children` exits. */
async function waitFor(
  timeoutMs: number,
  children: (Child | undefined)[],
  check: () => Promise<true | string>,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = "";
  for (;;) {
    for (const child of children) {
      if (child?.exited) throw new Error(`${child.name} exited (${child.exitInfo}):\n${tail(child.logPath)}`);
    }
    try {
      const ok = await check();
      if (ok === true) return;
      last = ok;
    } catch (error) {
      last = (error as Error).message;
    }
    if (Date.now() > deadline) {
      const logs = children.map((c) => (c ? `--- ${c.name}:\n${tail(c.logPath)}` : "")).join("\n");
      throw new Error(`not ready after ${timeoutMs} ms (${last}):\n${logs}`);
    }
    await sleep(100);
  }
}

/**
 * KWOK runs local processes for Exec/ClusterExec and port-forward commands, for any caller of its port: never here,
 * except Exec/ClusterExec for a test that says so (allowExec).
 */
function checkKwokConfig(objects: Record<string, unknown>[], allowExec: boolean): void {
  for (const obj of objects) {
    const kind = String(obj.kind);
    if ((kind === "Exec" || kind === "ClusterExec") && !allowExec) {
      throw new Error(`startCluster: KWOK ${kind} is refused: KWOK would run any command an exec request names`);
    }
    const forwards = (obj.spec as { forwards?: { command?: unknown }[] } | undefined)?.forwards ?? [];
    if (forwards.some((f) => f.command !== undefined)) {
      throw new Error(`startCluster: KWOK ${kind} with a command is refused: only a target port may be forwarded to`);
    }
  }
}

/** KWOK (fake kubelets), configured with its default node and pod stages (copied by build.sh) plus `extra`. */
function startKwok(
  binDir: string,
  tmpDir: string,
  kubeconfigPath: string,
  port: number,
  extra: Record<string, unknown>[],
  detached: boolean,
): Child {
  const kwokDir = kwokFolder(binDir);
  const stagesDir = join(kwokDir, "stages");
  const stages = readdirSync(stagesDir)
    .filter((name) => name.endsWith(".yaml"))
    .sort()
    .map((name) => readFileSync(join(stagesDir, name), "utf8"));
  const configPath = join(tmpDir, "kwok.yaml");
  writeFileSync(configPath, [...stages, ...extra.map((obj) => toYaml(obj))].join("\n---\n"));
  const home = join(tmpDir, "kwok-home"); // kwok also reads $HOME/.kwok/kwok.yaml: keep the user's out of it
  mkdirSync(home, { recursive: true });
  const args = [
    `--kubeconfig=${kubeconfigPath}`,
    `--config=${configPath}`,
    `--manage-nodes-with-annotation-selector=${KWOK_NODE_ANNOTATION}=fake`,
    "--node-ip=127.0.0.1", // Node.status.addresses InternalIP: where the apiserver sends logs/exec/attach/port-forward
    // Renew each node's Lease (every 10 s), as kwokctl does and the node-heartbeat-with-lease stage assumes (it writes
    // the status only every 10–20 min). The kwok binary's default is 0, no leases: the node lifecycle controller then
    // marks the node Unknown after its 50 s grace period, and node-initialize runs again (see kwokNode).
    "--node-lease-duration-seconds=40",
    `--node-port=${port}`, // Node.status.daemonEndpoints.kubeletEndpoint.Port
    `--server-address=127.0.0.1:${port}`, // loopback only (the default would be 0.0.0.0:PORT)
    "--cidr=10.244.0.0/16",
  ];
  const fd = openSync(join(tmpDir, "kwok.log"), "a");
  const proc = spawn(join(kwokDir, "kwok"), args, {
    stdio: ["ignore", fd, fd],
    detached,
    env: { ...process.env, HOME: home },
  });
  closeSync(fd);
  if (detached) proc.unref();
  const child: Child = { name: "kwok", proc, exited: false, exitInfo: "", logPath: join(tmpDir, "kwok.log") };
  proc.on("exit", (code, signal) => {
    child.exited = true;
    child.exitInfo = signal ? `signal ${signal}` : `exit code ${code}`;
  });
  proc.on("error", (error) => {
    child.exited = true;
    child.exitInfo = `spawn error: ${error.message}`;
  });
  return child;
}

/** The kwok-vX.Y.Z folder build.sh made in binDir: the kwok binary, its stages/ and metrics/ configuration. */
function kwokFolder(binDir: string): string {
  const kwokDir = readdirSync(binDir)
    .filter((name) => name.startsWith("kwok-v"))
    .map((name) => join(binDir, name))
    .sort()
    .pop();
  if (!kwokDir) throw new Error(`no kwok-v* folder in ${binDir}: run test/cluster/build.sh`);
  return kwokDir;
}

/**
 * A Node for KWOK to manage, as in KWOK's documentation (no taints: only KWOK nodes exist in the fixture), created with
 * both addresses a kubelet registers. KWOK v0.8.0's node-initialize stage (again whenever Ready is not True) writes
 * `addresses:` when InternalIP or Hostname is missing and then adds only the missing ones, Hostname from --node-name
 * (unset here: one name for every node); with InternalIP alone it would write `addresses: null`, deleting them.
 */
function kwokNode(name: string, annotations: Record<string, string> = {}): Record<string, unknown> {
  return {
    apiVersion: "v1",
    kind: "Node",
    metadata: {
      name,
      annotations: { "node.alpha.kubernetes.io/ttl": "0", [KWOK_NODE_ANNOTATION]: "fake", ...annotations },
      labels: {
        "kubernetes.io/arch": "amd64",
        "kubernetes.io/hostname": name,
        "kubernetes.io/os": "linux",
        "kubernetes.io/role": "agent",
        "node-role.kubernetes.io/agent": "",
        type: "kwok",
      },
    },
    status: {
      addresses: [
        { type: "InternalIP", address: "127.0.0.1" },
        { type: "Hostname", address: name },
      ],
    },
  };
}

async function distinctFreePorts(n: number): Promise<number[]> {
  const ports = new Set<number>();
  while (ports.size < n) ports.add(await freePort());
  return [...ports];
}

type Requester = (method: string, path: string, body?: unknown, opts?: RequestOptions) => Promise<RequestResult>;

async function mustCreate(request: Requester, path: string, body: unknown): Promise<void> {
  const res = await request("POST", path, body);
  if (res.status !== 201 && res.status !== 200 && res.status !== 409) {
    throw new Error(`POST ${path}: HTTP ${res.status}: ${res.body.toString("utf8")}`);
  }
}

/** Namespace "allowed" where user "restricted" may get/list/watch pods (and nothing anywhere else). */
async function setupRbac(request: Requester): Promise<void> {
  await mustCreate(request, "/api/v1/namespaces", {
    apiVersion: "v1",
    kind: "Namespace",
    metadata: { name: "allowed" },
  });
  await mustCreate(request, "/apis/rbac.authorization.k8s.io/v1/namespaces/allowed/roles", {
    apiVersion: "rbac.authorization.k8s.io/v1",
    kind: "Role",
    metadata: { name: "pod-reader", namespace: "allowed" },
    rules: [{ apiGroups: [""], resources: ["pods"], verbs: ["get", "list", "watch"] }],
  });
  await mustCreate(request, "/apis/rbac.authorization.k8s.io/v1/namespaces/allowed/rolebindings", {
    apiVersion: "rbac.authorization.k8s.io/v1",
    kind: "RoleBinding",
    metadata: { name: "restricted-pod-reader", namespace: "allowed" },
    roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: "pod-reader" },
    subjects: [{ apiGroup: "rbac.authorization.k8s.io", kind: "User", name: "restricted" }],
  });
  // The RBAC authorizer reads bindings from an informer: wait until the binding is in effect.
  const deadline = Date.now() + 10_000;
  for (;;) {
    const res = await request("POST", "/apis/authorization.k8s.io/v1/subjectaccessreviews", {
      apiVersion: "authorization.k8s.io/v1",
      kind: "SubjectAccessReview",
      spec: { user: "restricted", resourceAttributes: { namespace: "allowed", verb: "list", resource: "pods" } },
    });
    if ((res.json as { status?: { allowed?: boolean } } | undefined)?.status?.allowed) return;
    if (Date.now() > deadline) throw new Error(`RoleBinding for "restricted" not in effect: ${res.body.toString()}`);
    await sleep(50);
  }
}
