// Every process the harness starts is registered here, so that it is killed on every way out: normal end, an error,
// Ctrl-C, SIGTERM, SIGHUP. Also: timed runs of a command with a deadline, and CPU/memory readings from /proc.
import { type ChildProcess, spawn } from "node:child_process";
import { readFileSync } from "node:fs";

interface Killable {
  name: string;
  kill: () => void;
}

const live = new Set<Killable>();
let handlersInstalled = false;

/** Registers something to kill on exit; returns the function that unregisters it (call it once it has ended). */
export function track(name: string, kill: () => void): () => void {
  installHandlers();
  const entry = { name, kill };
  live.add(entry);
  return () => live.delete(entry);
}

/** Kills everything still registered (SIGKILL: at exit there is no time for graceful shutdowns). */
export function killAll(): void {
  for (const entry of [...live]) {
    live.delete(entry);
    try {
      entry.kill();
    } catch {
      // Already gone.
    }
  }
}

/** Cleanups that must run before the process exits on a signal (e.g. stopping the cluster), newest first. */
const signalCleanups: (() => Promise<void> | void)[] = [];

export function onInterrupt(cleanup: () => Promise<void> | void): () => void {
  installHandlers();
  signalCleanups.push(cleanup);
  return () => {
    const i = signalCleanups.indexOf(cleanup);
    if (i >= 0) signalCleanups.splice(i, 1);
  };
}

function installHandlers(): void {
  if (handlersInstalled) return;
  handlersInstalled = true;
  process.on("exit", killAll);
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
    process.on(signal, () => {
      process.stderr.write(`\nbench: ${signal}: stopping every child process\n`);
      killAll();
      const deadline = setTimeout(() => process.exit(130), 10_000);
      deadline.unref();
      void (async () => {
        for (const cleanup of signalCleanups.splice(0).reverse()) {
          try {
            await cleanup();
          } catch {
            // Best effort: we are leaving anyway.
          }
        }
        process.exit(signal === "SIGINT" ? 130 : 143);
      })();
    });
  }
}

export function killProcess(child: ChildProcess, signal: NodeJS.Signals = "SIGKILL"): void {
  if (child.exitCode === null && child.signalCode === null) child.kill(signal);
}

export interface TimedRun {
  /** Wall clock from just before spawn to the exit event, ms. */
  wallMs: number;
  code: number | null;
  signal: NodeJS.Signals | null;
  timedOut: boolean;
  /** Killed because the machine was running out of memory (see minAvailableMb). */
  memoryKilled: boolean;
  stdout: string;
  stderr: string;
  /** Peak resident set size seen while it ran (VmHWM polled from /proc), MB; undefined if never read. */
  peakRssMb: number | undefined;
}

export interface TimedRunOptions {
  timeoutMs: number;
  /** Keep stdout (default: discard it to /dev/null, like `> /dev/null`). */
  captureStdout?: boolean;
  env?: NodeJS.ProcessEnv;
  /** Poll VmHWM every this many ms (default 100; 0 turns it off). */
  rssPollMs?: number;
  /**
   * Kill the command when the machine's MemAvailable falls below this (default 1024 MB): kubectl -o json holds about
   * 140 KB per pod, 14 GB at 100k, and the machine is shared — better a missing number than someone else OOM-killed.
   */
  minAvailableMb?: number;
}

/** MemAvailable of the machine in MB (undefined where /proc/meminfo is not there). */
export function memAvailableMb(): number | undefined {
  try {
    const kb = /^MemAvailable:\s+(\d+) kB/m.exec(readFileSync("/proc/meminfo", "utf8"))?.[1];
    return kb === undefined ? undefined : Number(kb) / 1024;
  } catch {
    return undefined;
  }
}

/** Runs a command to completion (or to its deadline, then SIGKILL) and times it. Never throws for a failing command. */
export function runTimed(file: string, args: string[], options: TimedRunOptions): Promise<TimedRun> {
  return new Promise((resolve) => {
    const started = performance.now();
    const child = spawn(file, args, {
      stdio: ["ignore", options.captureStdout ? "pipe" : "ignore", "pipe"],
      env: options.env ?? process.env,
    });
    const untrack = track(`${file} ${args.join(" ")}`, () => killProcess(child));
    let stdout = "";
    let stderr = "";
    child.stdout?.setEncoding("utf8").on("data", (s: string) => {
      stdout += s;
    });
    child.stderr?.setEncoding("utf8").on("data", (s: string) => {
      // Keep the tail only: a failing kubectl at 100k pods must not fill the harness' memory.
      stderr = (stderr + s).slice(-8192);
    });
    let peakKb: number | undefined;
    let memoryKilled = false;
    const minAvailable = options.minAvailableMb ?? 1024;
    const poll =
      (options.rssPollMs ?? 100) > 0 && child.pid !== undefined
        ? setInterval(() => {
            const kb = procStatusKb(child.pid as number, "VmHWM");
            if (kb !== undefined) peakKb = kb;
            const available = memAvailableMb();
            if (available !== undefined && available < minAvailable && !memoryKilled) {
              memoryKilled = true;
              killProcess(child);
            }
          }, options.rssPollMs ?? 100)
        : undefined;
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      killProcess(child);
    }, options.timeoutMs);
    const finish = (code: number | null, signal: NodeJS.Signals | null) => {
      const wallMs = performance.now() - started;
      clearTimeout(timer);
      clearInterval(poll);
      untrack();
      resolve({
        wallMs,
        code,
        signal,
        timedOut,
        memoryKilled,
        stdout,
        stderr,
        peakRssMb: peakKb === undefined ? undefined : peakKb / 1024,
      });
    };
    child.on("error", (err) => {
      stderr += String(err);
      finish(null, null);
    });
    child.on("exit", (code, signal) => {
      // stdout may still hold buffered data after exit; wait for the streams to close.
      if (child.stdout && !child.stdout.closed) child.stdout.once("close", () => finish(code, signal));
      else finish(code, signal);
    });
  });
}

/** A "VmXxx:  1234 kB" field of /proc/PID/status in kB, or undefined. */
export function procStatusKb(pid: number, field: string): number | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/status`, "utf8");
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(text);
    return match ? Number(match[1]) : undefined;
  } catch {
    return undefined;
  }
}

/** User + system CPU time of a process (not its children) in seconds, from /proc/PID/stat; undefined if gone. */
export function procCpuSeconds(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // The command name may hold spaces and parentheses; the numeric fields start after the last ")".
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    // fields[0] is field 3 (state): utime is field 14, stime field 15.
    const ticks = Number(fields[11]) + Number(fields[12]);
    return ticks / CLOCK_TICKS;
  } catch {
    return undefined;
  }
}

/** USER_HZ: 100 on every Linux the harness targets (getconf CLK_TCK). */
const CLOCK_TICKS = 100;

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Resolves with `promise`, or rejects with `message` after `ms`. */
export async function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(message)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}
