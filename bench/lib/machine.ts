// What the numbers were measured on: they mean little without the machine, the versions and how busy it was.
import { execFileSync } from "node:child_process";
import os from "node:os";

export interface MachineInfo {
  cpuModel: string;
  cores: number;
  memoryGb: number;
  os: string;
  kernel: string;
  node: string;
  kubectl: string;
  timoneiroCommit: string;
  date: string;
  /** 1-minute load average when the run started: other work on the machine skews every number. */
  loadAverage: number;
  [key: string]: unknown;
}

function quiet(file: string, args: string[]): string {
  try {
    return execFileSync(file, args, { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"], timeout: 10_000 }).trim();
  } catch {
    return "";
  }
}

export function kubectlVersion(kubectl: string): string {
  const out = quiet(kubectl, ["version", "--client", "-o", "json"]);
  try {
    return (JSON.parse(out) as { clientVersion?: { gitVersion?: string } }).clientVersion?.gitVersion ?? "unknown";
  } catch {
    return out === "" ? "missing" : "unknown";
  }
}

export function machineInfo(kubectl: string, repoDir: string): MachineInfo {
  const cpus = os.cpus();
  const release = quiet("sh", ["-c", '. /etc/os-release 2>/dev/null && echo "$PRETTY_NAME"']);
  return {
    cpuModel: cpus[0]?.model.trim() ?? "unknown",
    cores: cpus.length,
    memoryGb: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    os: release || `${os.type()} ${os.release()}`,
    kernel: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
    kubectl: kubectlVersion(kubectl),
    timoneiroCommit: quiet("git", ["-C", repoDir, "rev-parse", "--short", "HEAD"]) || "unknown",
    date: new Date().toISOString(),
    loadAverage: Math.round((os.loadavg()[0] ?? 0) * 100) / 100,
  };
}
