// Kubeconfig, read the way kubectl reads it:
//   --kubeconfig PATH (must exist) > KUBECONFIG (several paths, merged) > ~/.kube/config > in-cluster service account.
// Merging follows kubectl's rules: missing files in KUBECONFIG are skipped, the first file to define a cluster, user or
// context name wins, and the first non-empty current-context wins. Relative file references resolve against the file
// that holds them.
//
// Authentication (client certificates, tokens, token files, exec credential plugins, auth providers) is delegated to
// @kubernetes/client-node's KubeConfig: it is a solved problem. Its own loader is not used because it merges differently
// from kubectl (later files override current-context; duplicate names throw).
import { existsSync, readFileSync } from "node:fs";
import { homedir } from "node:os";
import { delimiter, dirname, isAbsolute, join, resolve } from "node:path";
import type { KubeConfig } from "@kubernetes/client-node/dist/config.js";
import { parse as parseYaml } from "yaml";
import { KubeError } from "./errors.ts";
import { readPlainYaml } from "./plain-yaml.ts";
import type { Credentials } from "./transport.ts";

export interface KubeconfigOptions {
  /** --kubeconfig */
  kubeconfig?: string;
  /** --context */
  context?: string;
  env?: NodeJS.ProcessEnv;
  homeDir?: string;
  /** Where the in-cluster service account lives (tests point it elsewhere). */
  serviceAccountDir?: string;
}

type Named = { name?: unknown; [key: string]: unknown };

interface RawConfig {
  clusters: Named[];
  users: Named[];
  contexts: Named[];
  currentContext: string;
}

export interface LoadedKubeconfig {
  contextName: string;
  clusterName: string;
  userName: string;
  /** The context's default namespace, if set. */
  namespace: string | undefined;
  server: string;
  /** Files that were read, in merge order (empty for in-cluster config). */
  files: string[];
  /** The merged configuration with the chosen context, in the shape kubectl and client-node read. */
  merged: Record<string, unknown>;
  /** Every context, as listContexts() gives them: read along, so that nothing needs to parse the files again. */
  contexts: KubeContextInfo[];
}

const SERVICE_ACCOUNT_DIR = "/var/run/secrets/kubernetes.io/serviceaccount";

function configError(message: string): KubeError {
  return new KubeError("config", message);
}

function readConfigFile(path: string): RawConfig {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === "ENOENT")
      throw configError(`kubeconfig ${path} does not exist; pass --kubeconfig PATH or set KUBECONFIG`);
    throw configError(`cannot read kubeconfig ${path} (${code ?? String(err)}); check the file's permissions`);
  }
  let doc: unknown;
  try {
    // Kubeconfigs are plain block YAML, read without the yaml library's costly first parse; anything else goes to it.
    doc = readPlainYaml(text) ?? parseYaml(text);
  } catch (err) {
    const line = (err as { linePos?: { line: number }[] }).linePos?.[0]?.line;
    const where = line ? ` at line ${line}` : "";
    const why = (err as Error).message.split("\n")[0]?.replace(/ at line \d+, column \d+:?$/, "");
    throw configError(`kubeconfig ${path} is not valid YAML${where}: ${why}; fix or replace the file`);
  }
  if (doc === null || doc === undefined) return { clusters: [], users: [], contexts: [], currentContext: "" };
  if (typeof doc !== "object" || Array.isArray(doc)) {
    throw configError(`kubeconfig ${path} is not a kubeconfig (expected a mapping with clusters, users, contexts)`);
  }
  const record = doc as Record<string, unknown>;
  const base = dirname(resolve(path));
  const list = (key: string): Named[] => {
    const value = record[key];
    if (value === undefined || value === null) return [];
    if (!Array.isArray(value)) throw configError(`kubeconfig ${path}: "${key}" must be a list`);
    return value.filter((item): item is Named => typeof item === "object" && item !== null && "name" in item);
  };
  return {
    clusters: list("clusters").map((c) => resolvePaths(c, "cluster", ["certificate-authority"], base)),
    users: list("users").map((u) => resolveUserPaths(u, base)),
    contexts: list("contexts"),
    currentContext: typeof record["current-context"] === "string" ? (record["current-context"] as string) : "",
  };
}

function resolvePaths(entry: Named, key: string, fields: string[], base: string): Named {
  const inner = entry[key];
  if (typeof inner !== "object" || inner === null) return entry;
  const copy: Record<string, unknown> = { ...(inner as Record<string, unknown>) };
  for (const field of fields) {
    const value = copy[field];
    if (typeof value === "string" && value !== "" && !isAbsolute(value)) copy[field] = join(base, value);
  }
  return { ...entry, [key]: copy };
}

function resolveUserPaths(entry: Named, base: string): Named {
  const resolved = resolvePaths(entry, "user", ["client-certificate", "client-key", "tokenFile"], base);
  const user = resolved.user as Record<string, unknown> | undefined;
  const exec = user?.exec as Record<string, unknown> | undefined;
  // kubectl resolves an exec command relative to the kubeconfig only when it names a path (contains a separator).
  if (exec && typeof exec.command === "string" && exec.command.includes("/") && !isAbsolute(exec.command)) {
    return { ...resolved, user: { ...user, exec: { ...exec, command: join(base, exec.command) } } };
  }
  return resolved;
}

function mergeConfigs(configs: RawConfig[]): RawConfig {
  const merged: RawConfig = { clusters: [], users: [], contexts: [], currentContext: "" };
  const seen = { clusters: new Set<unknown>(), users: new Set<unknown>(), contexts: new Set<unknown>() };
  for (const config of configs) {
    if (!merged.currentContext) merged.currentContext = config.currentContext;
    for (const key of ["clusters", "users", "contexts"] as const) {
      for (const entry of config[key]) {
        if (seen[key].has(entry.name)) continue; // the first definition wins
        seen[key].add(entry.name);
        merged[key].push(entry);
      }
    }
  }
  return merged;
}

function inClusterConfig(env: NodeJS.ProcessEnv, saDir: string): RawConfig | undefined {
  const host = env.KUBERNETES_SERVICE_HOST;
  const port = env.KUBERNETES_SERVICE_PORT;
  if (!host || !port || !existsSync(join(saDir, "token"))) return undefined;
  const hostPart = host.includes(":") ? `[${host}]` : host;
  const namespaceFile = join(saDir, "namespace");
  const namespace = existsSync(namespaceFile) ? readFileSync(namespaceFile, "utf8").trim() : undefined;
  return {
    clusters: [
      {
        name: "in-cluster",
        cluster: { server: `https://${hostPart}:${port}`, "certificate-authority": join(saDir, "ca.crt") },
      },
    ],
    users: [{ name: "in-cluster", user: { tokenFile: join(saDir, "token") } }],
    contexts: [{ name: "in-cluster", context: { cluster: "in-cluster", user: "in-cluster", namespace } }],
    currentContext: "in-cluster",
  };
}

/** The files kubectl would read, merged; throws a KubeError of kind "config" when there are none or one is broken. */
function readKubeconfig(options: KubeconfigOptions): { files: string[]; raw: RawConfig } {
  const env = options.env ?? process.env;
  let files: string[];
  let raw: RawConfig;
  if (options.kubeconfig) {
    files = [options.kubeconfig];
    raw = readConfigFile(options.kubeconfig);
  } else if (env.KUBECONFIG) {
    const listed = env.KUBECONFIG.split(delimiter).filter((p) => p !== "");
    files = listed.filter((p) => existsSync(p));
    if (files.length === 0) {
      throw configError(`none of the files in KUBECONFIG exist (${listed.join(delimiter)}); fix KUBECONFIG`);
    }
    raw = mergeConfigs(files.map(readConfigFile));
  } else {
    const home = options.homeDir ?? env.HOME ?? homedir();
    const defaultPath = join(home, ".kube", "config");
    const inCluster = existsSync(defaultPath)
      ? undefined
      : inClusterConfig(env, options.serviceAccountDir ?? SERVICE_ACCOUNT_DIR);
    if (inCluster) {
      files = [];
      raw = inCluster;
    } else if (existsSync(defaultPath)) {
      files = [defaultPath];
      raw = readConfigFile(defaultPath);
    } else {
      throw configError(
        `no kubeconfig: ${defaultPath} does not exist and KUBECONFIG is not set; pass --kubeconfig PATH, or try --demo`,
      );
    }
  }
  return { files, raw };
}

/** One context of the kubeconfig, as a context switcher lists it. */
export interface KubeContextInfo {
  name: string;
  cluster: string;
  user: string;
  /** The context's default namespace, if set. */
  namespace: string | undefined;
  /** The kubeconfig's current-context. */
  current: boolean;
}

/**
 * Every context of the kubeconfig read the way kubectl reads it (merged KUBECONFIG, first definition wins), in file
 * order, like `kubectl config get-contexts`. Throws a KubeError of kind "config" when there is no kubeconfig.
 */
export function listContexts(options: KubeconfigOptions = {}): KubeContextInfo[] {
  return contextsOf(readKubeconfig(options).raw);
}

function contextsOf(raw: RawConfig): KubeContextInfo[] {
  return raw.contexts.map((entry) => {
    const ctx = (entry.context ?? {}) as Record<string, unknown>;
    const name = String(entry.name);
    return {
      name,
      cluster: String(ctx.cluster ?? ""),
      user: String(ctx.user ?? ""),
      namespace: typeof ctx.namespace === "string" && ctx.namespace ? ctx.namespace : undefined,
      current: name === raw.currentContext,
    };
  });
}

/** Reads, merges and validates the kubeconfig; throws a KubeError of kind "config" with a one-line message. */
export function loadKubeconfig(options: KubeconfigOptions = {}): LoadedKubeconfig {
  const { files, raw } = readKubeconfig(options);
  const where =
    files.length === 1 ? `kubeconfig ${files[0]}` : files.length ? "the merged kubeconfig" : "in-cluster config";
  const contextNames = raw.contexts.map((c) => String(c.name));
  const available = contextNames.length ? `available: ${contextNames.join(", ")}` : "it defines no contexts";
  const contextName = options.context || raw.currentContext;
  if (!contextName) {
    throw configError(`${where} has no current-context; pass --context NAME (${available})`);
  }
  const context = raw.contexts.find((c) => c.name === contextName);
  if (!context) {
    throw configError(`context "${contextName}" not found in ${where} (${available})`);
  }
  const ctx = (context.context ?? {}) as Record<string, unknown>;
  const clusterName = String(ctx.cluster ?? "");
  const userName = String(ctx.user ?? "");
  const cluster = raw.clusters.find((c) => c.name === clusterName);
  if (!cluster) {
    throw configError(`context "${contextName}" names cluster "${clusterName}", which ${where} does not define`);
  }
  const server = String((cluster.cluster as Record<string, unknown> | undefined)?.server ?? "");
  if (!server) throw configError(`cluster "${clusterName}" in ${where} has no server address`);
  try {
    new URL(server);
  } catch {
    throw configError(`cluster "${clusterName}" in ${where} has an invalid server address "${server}"`);
  }
  if (userName && !raw.users.some((u) => u.name === userName)) {
    throw configError(`context "${contextName}" names user "${userName}", which ${where} does not define`);
  }
  const namespace = typeof ctx.namespace === "string" && ctx.namespace ? ctx.namespace : undefined;
  const merged = {
    apiVersion: "v1",
    kind: "Config",
    clusters: raw.clusters,
    users: raw.users,
    contexts: raw.contexts,
    "current-context": contextName,
  };
  return { contextName, clusterName, userName, namespace, server, files, merged, contexts: contextsOf(raw) };
}

/** User fields the direct path reads itself; any other (exec, auth-provider, username, as, ...) goes to client-node. */
const STATIC_USER_FIELDS = new Set([
  "token",
  "tokenFile",
  "client-certificate",
  "client-certificate-data",
  "client-key",
  "client-key-data",
]);
/** Cluster fields the direct path honours; any other (proxy-url, ...) goes to client-node. */
const STATIC_CLUSTER_FIELDS = new Set([
  "server",
  "certificate-authority",
  "certificate-authority-data",
  "insecure-skip-tls-verify",
  "tls-server-name",
]);

/**
 * Credentials read straight from the kubeconfig when it holds nothing but a token (or token file), a client
 * certificate and key, and the cluster's CA: kubectl's common cases and in-cluster config. Loading client-node for
 * them cost 37–40 ms of a ~195 ms start (its module graph, measured with TIMONEIRO_TRACE_STARTUP against the
 * simulator); exec plugins and auth providers still go through client-node. Undefined when the entry needs it.
 */
export function staticCredentials(loaded: LoadedKubeconfig): (() => Promise<Credentials>) | undefined {
  const merged = loaded.merged as { clusters?: Named[]; users?: Named[] };
  const cluster = (merged.clusters?.find((c) => c.name === loaded.clusterName)?.cluster ?? {}) as Record<
    string,
    unknown
  >;
  const user = (merged.users?.find((u) => u.name === loaded.userName)?.user ?? {}) as Record<string, unknown>;
  if (Object.keys(user).some((k) => !STATIC_USER_FIELDS.has(k))) return undefined;
  if (Object.keys(cluster).some((k) => !STATIC_CLUSTER_FIELDS.has(k))) return undefined;
  const str = (v: unknown) => (typeof v === "string" && v !== "" ? v : undefined);
  const material = (data: unknown, file: unknown, what: string): Buffer | undefined => {
    if (str(data)) return Buffer.from(str(data) as string, "base64");
    if (!str(file)) return undefined;
    try {
      return readFileSync(str(file) as string);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code ?? String(err);
      throw configError(`cannot read the ${what} ${String(file)} of user "${loaded.userName}" (${code})`);
    }
  };
  const ca = material(cluster["certificate-authority-data"], cluster["certificate-authority"], "certificate authority");
  const cert = material(user["client-certificate-data"], user["client-certificate"], "client certificate");
  const key = material(user["client-key-data"], user["client-key"], "client key");
  const insecure = cluster["insecure-skip-tls-verify"] === true;
  const servername = str(cluster["tls-server-name"]);
  const token = str(user.token);
  const tokenFile = str(user.tokenFile);
  const tls = {
    ...(ca && { ca }),
    ...(cert && { cert }),
    ...(key && { key }),
    ...(insecure && { rejectUnauthorized: false }),
    ...(servername && { servername }),
  };
  return async () => {
    // A token file is read for every request, as client-node does: projected service account tokens rotate.
    let bearer = token;
    if (!bearer && tokenFile) {
      try {
        // node:fs/promises is loaded here, not with the program: it costs 1-5 ms of start-up for a rare case.
        const { readFile } = await import("node:fs/promises");
        bearer = (await readFile(tokenFile, "utf8")).trim();
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code ?? String(err);
        throw new KubeError(
          "config",
          `cannot get credentials for user "${loaded.userName}": token file ${tokenFile} (${code})`,
        );
      }
    }
    const headers: Record<string, string> = bearer ? { Authorization: `Bearer ${bearer}` } : {};
    return { ...tls, headers };
  };
}

/** client-node's KubeConfig for the chosen context; it performs authentication (exec plugins, token files, ...). */
export async function authConfig(loaded: LoadedKubeconfig): Promise<KubeConfig> {
  const { KubeConfig } = await import("@kubernetes/client-node/dist/config.js");
  const kc = new KubeConfig();
  // JSON is YAML, and client-node validates and converts the entries exactly as from a file.
  kc.loadFromString(JSON.stringify(loaded.merged));
  return kc;
}

/**
 * Credentials for every request of this context: TLS material and the Authorization header. Called per request because
 * exec plugins and token files rotate them (client-node caches them until they expire).
 */
export async function credentialsFor(loaded: LoadedKubeconfig): Promise<() => Promise<Credentials>> {
  const direct = staticCredentials(loaded);
  if (direct) return direct;
  const kc = await authConfig(loaded);
  return async () => {
    const opts: Omit<Credentials, "headers"> & { headers?: Record<string, string> } = {};
    try {
      await kc.applyToHTTPSOptions(opts);
    } catch (err) {
      throw new KubeError("config", `cannot get credentials for user "${loaded.userName}": ${(err as Error).message}`);
    }
    return {
      ...(opts.ca !== undefined && { ca: opts.ca }),
      ...(opts.cert !== undefined && { cert: opts.cert }),
      ...(opts.key !== undefined && { key: opts.key }),
      ...(opts.rejectUnauthorized !== undefined && { rejectUnauthorized: opts.rejectUnauthorized }),
      ...(opts.servername !== undefined && { servername: opts.servername }),
      headers: { ...opts.headers },
    };
  };
}
