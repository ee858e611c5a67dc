// State of a cluster left running by `start.ts --detach`, shared with stop.ts.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { cacheRoot } from "./cluster.ts";

export interface ClusterState {
  server: string;
  kubeconfigPath: string;
  stableKubeconfigPath: string;
  tmpDir: string;
  apiserverPid: number;
  etcdPid: number;
  etcdUrl: string;
  startedAt: string;
}

export const stateDir = (): string => join(cacheRoot(), "cluster");
export const statePath = (): string => join(stateDir(), "state.json");

export function readState(): ClusterState | undefined {
  try {
    return JSON.parse(readFileSync(statePath(), "utf8")) as ClusterState;
  } catch {
    return undefined;
  }
}

/** True if pid runs and its command line names `binary` (so a reused pid is never mistaken for ours). */
export function isAlive(pid: number, binary: string): boolean {
  if (!(pid > 0)) return false;
  try {
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0");
    return (cmdline[0] ?? "").endsWith(`/${binary}`);
  } catch {
    return false;
  }
}
