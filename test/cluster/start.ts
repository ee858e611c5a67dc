// Starts the real-Kubernetes test fixture (etcd + kube-apiserver), building it first if needed.
//
//   node test/cluster/start.ts                      foreground: prints the kubeconfig, runs until Ctrl-C / SIGTERM
//   node test/cluster/start.ts --detach             leaves it running, writes the state under the cache dir, exits
//   node test/cluster/start.ts -- --feature-gates=WatchList=false     extra kube-apiserver flags after "--"
//
// The kubeconfig is also copied to ${TIMONEIRO_CACHE:-~/.cache/timoneiro}/cluster/kubeconfig (a stable path).
// Tear a detached cluster down with: node test/cluster/stop.ts
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { startCluster } from "./cluster.ts";
import { type ClusterState, isAlive, readState, stateDir, statePath } from "./state.ts";

const argv = process.argv.slice(2);
const dashdash = argv.indexOf("--");
const own = dashdash >= 0 ? argv.slice(0, dashdash) : argv;
const apiserverFlags = dashdash >= 0 ? argv.slice(dashdash + 1) : [];
const detach = own.includes("--detach");
const unknown = own.filter((a) => a !== "--detach");
if (unknown.length > 0) {
  console.error(
    `start.ts: unknown argument(s) ${unknown.join(" ")}\nusage: node test/cluster/start.ts [--detach] [-- KUBE_APISERVER_FLAGS...]`,
  );
  process.exit(2);
}

const previous = readState();
if (previous && (isAlive(previous.apiserverPid, "kube-apiserver") || isAlive(previous.etcdPid, "etcd"))) {
  console.error(
    `start.ts: a detached cluster is already running (${previous.server}, kubeconfig ${previous.kubeconfigPath}).\n` +
      "Stop it first: node test/cluster/stop.ts",
  );
  process.exit(1);
}

const cluster = await startCluster({ detached: detach, apiserverFlags, log: (m) => console.error(`[cluster] ${m}`) });
mkdirSync(stateDir(), { recursive: true });
const stableKubeconfig = join(stateDir(), "kubeconfig");
writeFileSync(stableKubeconfig, readFileSync(cluster.kubeconfigPath), { mode: 0o600 });

console.log(readFileSync(cluster.kubeconfigPath, "utf8"));
console.error(
  [
    `server:      ${cluster.server}`,
    `kubeconfig:  ${cluster.kubeconfigPath}`,
    `             ${stableKubeconfig} (copy)`,
    `state dir:   ${cluster.tmpDir} (etcd data, certs, kube-apiserver.log, etcd.log)`,
    `pids:        kube-apiserver ${cluster.apiserverPid}, etcd ${cluster.etcdPid}`,
    `startup:     ${cluster.startupMs} ms`,
    `try:         kubectl --kubeconfig ${stableKubeconfig} get ns`,
  ].join("\n"),
);

if (detach) {
  const state: ClusterState = {
    server: cluster.server,
    kubeconfigPath: cluster.kubeconfigPath,
    stableKubeconfigPath: stableKubeconfig,
    tmpDir: cluster.tmpDir,
    apiserverPid: cluster.apiserverPid,
    etcdPid: cluster.etcdPid,
    etcdUrl: cluster.etcdUrl,
    startedAt: new Date().toISOString(),
  };
  writeFileSync(statePath(), `${JSON.stringify(state, null, 2)}\n`);
  console.error(`detached; state in ${statePath()} — stop with: node test/cluster/stop.ts`);
  process.exit(0);
}

console.error("running in the foreground; Ctrl-C (SIGINT) or SIGTERM stops it");
let stopping = false;
const shutdown = async (signal: string) => {
  if (stopping) return;
  stopping = true;
  console.error(`[cluster] ${signal}: stopping`);
  await cluster.stop();
  rmSync(stableKubeconfig, { force: true });
  process.exit(0);
};
process.on("SIGINT", () => void shutdown("SIGINT"));
process.on("SIGTERM", () => void shutdown("SIGTERM"));
setInterval(() => {}, 1 << 30); // keep the event loop alive
