// Stops a cluster left running by `node test/cluster/start.ts --detach` and removes its state.
import { rmSync } from "node:fs";
import { isAlive, readState, statePath } from "./state.ts";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function terminate(pid: number, binary: string): Promise<void> {
  if (!isAlive(pid, binary)) return;
  try {
    process.kill(pid, "SIGCONT"); // in case a test left it paused
    process.kill(pid, "SIGTERM");
  } catch {
    return;
  }
  const deadline = Date.now() + 10_000;
  while (isAlive(pid, binary) && Date.now() < deadline) await sleep(50);
  if (isAlive(pid, binary)) {
    console.error(`stop.ts: ${binary} (pid ${pid}) ignored SIGTERM; SIGKILL`);
    try {
      process.kill(pid, "SIGKILL");
    } catch {}
  }
}

const state = readState();
if (!state) {
  console.error(`stop.ts: no detached cluster (no ${statePath()})`);
  process.exit(0);
}
await terminate(state.apiserverPid, "kube-apiserver");
await terminate(state.etcdPid, "etcd");
if (state.tmpDir.includes("timoneiro-cluster-")) rmSync(state.tmpDir, { recursive: true, force: true });
rmSync(state.stableKubeconfigPath, { force: true });
rmSync(statePath(), { force: true });
console.error(`stopped the cluster at ${state.server} and removed ${state.tmpDir}`);
