// One run of one tool against a running server. Each function returns what it measured and never throws for a tool
// that fails: the failure is recorded (error) so that one broken peer does not lose the whole benchmark.
import { spawn } from "node:child_process";
import { YOUNG_GENERATION_FLAG } from "../../src/cli/young-generation.ts";
import { procCpuSeconds, procStatusKb, runTimed, sleep, track } from "./children.ts";
import type { ChurnResult } from "./churn.ts";
import { type Screen, showsAllPods, showsPodRows, UiSession } from "./ui-session.ts";

export interface Target {
  kubeconfig: string;
  /** Context to use (undefined: the kubeconfig's current context). */
  context: string | undefined;
  pods: number;
}

// ---- timoneiro: the UI in a pty --------------------------------------------------------------------------------

export interface CpuWindows {
  seconds: number;
  /** Starts churn at the configured rate for `seconds`; resolves when it is over. */
  churn: (seconds: number) => Promise<ChurnResult>;
}

export interface UiRun {
  firstFrameMs?: number;
  /** Start → the loading line says every pod is in (the UI also loads other kinds meanwhile). */
  uiFullSyncMs?: number;
  keystrokesMs: number[];
  keystrokesMissed: number;
  uiRssMb?: number;
  idleCpuPct?: number;
  churnCpuPct?: number;
  /** CPU % of 10-second slices of each window: how steady the figure is. */
  idleCpuSlices?: number[];
  churnCpuSlices?: number[];
  churn?: ChurnResult;
  error?: string;
}

/** The same filters bench/tui-keystroke.ts types, so the two benchmarks can be compared. */
export const FILTER_QUERIES = ["web-1a", "crash !kube", "node-01 run"];
const BACKSPACE = "\x7f";
const ESCAPE = "\x1b";

const bottomLine = (screen: Screen): string => screen[screen.length - 1] ?? "";
const showsFilter = (text: string) => (screen: Screen) => {
  const line = bottomLine(screen);
  return line.startsWith(`/${text} `) && line.includes("Enter keep");
};

/**
 * The V8 flags dist/timoneiro.js runs with (its entry re-executes itself with them, see src/cli/young-generation.ts):
 * the probes are not the CLI, so they are given the same, and the data layer is measured as the product runs it.
 */
const PRODUCT_V8_FLAGS = [YOUNG_GENERATION_FLAG];

function targetArgs(target: Target): string[] {
  return ["--kubeconfig", target.kubeconfig, ...(target.context !== undefined ? ["--context", target.context] : [])];
}

/** CPU % (of one core) that `pid` used over `seconds`, and per 10-second slice. */
async function cpuWindow(pid: number, seconds: number): Promise<{ pct: number; slices: number[] } | undefined> {
  const slices: number[] = [];
  const c0 = procCpuSeconds(pid);
  const t0 = performance.now();
  if (c0 === undefined) return undefined;
  let sliceCpu = c0;
  let sliceAt = t0;
  const end = t0 + seconds * 1000;
  while (performance.now() < end) {
    await sleep(Math.min(10_000, end - performance.now()));
    const c = procCpuSeconds(pid);
    if (c === undefined) return undefined;
    const now = performance.now();
    if (now - sliceAt > 1000) slices.push(((c - sliceCpu) / ((now - sliceAt) / 1000)) * 100);
    sliceCpu = c;
    sliceAt = now;
  }
  const c1 = procCpuSeconds(pid);
  if (c1 === undefined) return undefined;
  return { pct: ((c1 - c0) / ((performance.now() - t0) / 1000)) * 100, slices };
}

export async function measureUi(
  node: string,
  script: string,
  target: Target,
  options: { keystrokes: number; timeoutMs: number; cpu?: CpuWindows | undefined; wire?: string | undefined },
): Promise<UiRun> {
  const run: UiRun = { keystrokesMs: [], keystrokesMissed: 0 };
  const wire = options.wire !== undefined ? ["--wire", options.wire] : [];
  const session = new UiSession(node, [script, ...targetArgs(target), ...wire]);
  try {
    const firstAt = await session.waitForFrame(showsPodRows, options.timeoutMs);
    if (firstAt === undefined) {
      run.error = `no frame with pod rows within ${options.timeoutMs / 1000}s; screen:\n${session.screen().join("\n")}`;
      return run;
    }
    run.firstFrameMs = firstAt - session.spawnedAt;
    const syncAt = await session.waitForFrame((s) => showsAllPods(s, target.pods), options.timeoutMs, {
      includeCurrent: true,
    });
    if (syncAt === undefined) {
      run.error = `the UI did not show all ${target.pods} pods within ${options.timeoutMs / 1000}s`;
      return run;
    }
    run.uiFullSyncMs = syncAt - session.spawnedAt;
    await sleep(1000); // let the other kinds finish loading and the first post-sync frames go out
    const rssKb = procStatusKb(session.pid, "VmRSS");
    if (rssKb !== undefined) run.uiRssMb = rssKb / 1024;

    await typeFilters(session, options.keystrokes, run);

    if (options.cpu) {
      const idle = await cpuWindow(session.pid, options.cpu.seconds);
      const churning = options.cpu.churn(options.cpu.seconds);
      const busy = await cpuWindow(session.pid, options.cpu.seconds);
      run.churn = await churning;
      if (run.churn.lastError) run.error = `churn: ${run.churn.lastError}`;
      if (idle) {
        run.idleCpuPct = idle.pct;
        run.idleCpuSlices = idle.slices;
      }
      if (busy) {
        run.churnCpuPct = busy.pct;
        run.churnCpuSlices = busy.slices;
      }
    }
    if (!session.running) run.error = "the UI exited during the run";
    return run;
  } catch (err) {
    run.error = String(err);
    return run;
  } finally {
    const code = await session.quit();
    if (code !== 0 && code !== undefined && run.error === undefined) run.error = `the UI exited with code ${code}`;
  }
}

/** Types the filter queries one key at a time (then erases them), timing each key to the frame that shows it. */
async function typeFilters(session: UiSession, keystrokes: number, run: UiRun): Promise<void> {
  let left = keystrokes;
  for (let q = 0; left > 0; q++) {
    const query = FILTER_QUERIES[q % FILTER_QUERIES.length] as string;
    session.write("/");
    if ((await session.waitForFrame(showsFilter(""), 5000)) === undefined) {
      run.error = "the filter prompt did not open";
      return;
    }
    await sleep(150); // a person starts typing a moment after the prompt appears
    const keys = [
      ...[...query].map((_, i) => query.slice(0, i + 1)),
      ...[...query].map((_, i) => query.slice(0, query.length - i - 1)),
    ];
    let previous = "";
    for (const text of keys) {
      if (left-- <= 0) break;
      const key = text.length > previous.length ? text.slice(-1) : BACKSPACE;
      previous = text;
      const t0 = performance.now();
      session.write(key);
      const at = await session.waitForFrame(showsFilter(text), 5000);
      if (at === undefined) run.keystrokesMissed++;
      else run.keystrokesMs.push(at - t0);
      await sleep(30); // a fast typist
    }
    session.write(ESCAPE);
    await session.waitForFrame((s) => !bottomLine(s).startsWith("/"), 5000);
    await sleep(100);
  }
}

// ---- timoneiro: the data layer in a probe process ---------------------------------------------------------------

export interface ProbeRun {
  fullSyncMs?: number;
  /** CPU time (user + system, all threads) of the probe process up to the sync. */
  syncCpuMs?: number;
  pods?: number;
  rssMb?: number;
  heapMb?: number;
  heapEmptyMb?: number;
  bytesPerPod?: number;
  queryP50Us?: number;
  queryP99Us?: number;
  queryAfterChangeP50Us?: number;
  queryAfterChangeP99Us?: number;
  /** list() (what the table reads) on the first call after a change. */
  listAfterChangeP50Us?: number;
  listAfterChangeP99Us?: number;
  error?: string;
}

export function measureProbe(
  node: string,
  probe: string,
  target: Target,
  timeoutMs: number,
  wire?: string,
): Promise<ProbeRun> {
  return new Promise((resolve) => {
    const spawnedAtEpoch = performance.timeOrigin + performance.now();
    const args = ["--expose-gc", ...PRODUCT_V8_FLAGS, probe, ...targetArgs(target), "--expect", String(target.pods)];
    if (wire !== undefined) args.push("--wire", wire);
    const child = spawn(node, args, { stdio: ["ignore", "pipe", "pipe"] });
    const untrack = track("sync probe", () => child.kill("SIGKILL"));
    let out = "";
    let err = "";
    child.stdout.setEncoding("utf8").on("data", (s: string) => {
      out += s;
    });
    child.stderr.setEncoding("utf8").on("data", (s: string) => {
      err = (err + s).slice(-4096);
    });
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      untrack();
      const line = out.trim().split("\n").pop() ?? "";
      try {
        const r = JSON.parse(line) as ProbeRun & { syncedAtEpochMs: number };
        const { syncedAtEpochMs, ...rest } = r;
        resolve({
          ...rest,
          fullSyncMs: syncedAtEpochMs - spawnedAtEpoch,
          ...(r.pods !== target.pods && { error: `probe saw ${r.pods} pods, expected ${target.pods}` }),
        });
      } catch {
        resolve({ error: `probe failed (code ${code}, signal ${signal}): ${err.trim() || out.trim()}` });
      }
    });
  });
}

// ---- the raw download: the floor of a full sync -------------------------------------------------------------

/** One run of the raw download: its time from the spawn, and what it read (to check it read every page). */
export interface RawRun {
  fullSyncMs?: number;
  pages?: number;
  bytes?: number;
  error?: string;
}

/** bench/lib/raw-probe.ts in its own process, timed like the sync probe: from the spawn to its printed epoch time. */
export function measureRaw(
  node: string,
  rawProbe: string,
  target: Target,
  wire: string,
  timeoutMs: number,
): Promise<RawRun> {
  return new Promise((resolve) => {
    const spawnedAtEpoch = performance.timeOrigin + performance.now();
    const child = spawn(node, [...PRODUCT_V8_FLAGS, rawProbe, ...targetArgs(target), "--wire", wire], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    const untrack = track("raw download probe", () => child.kill("SIGKILL"));
    let out = "";
    let err = "";
    child.stdout.setEncoding("utf8").on("data", (s: string) => {
      out += s;
    });
    child.stderr.setEncoding("utf8").on("data", (s: string) => {
      err = (err + s).slice(-4096);
    });
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      untrack();
      try {
        const r = JSON.parse(out.trim().split("\n").pop() ?? "") as {
          syncedAtEpochMs: number;
          pages: number;
          bytes: number;
        };
        const pages = Math.max(1, Math.ceil(target.pods / 500));
        resolve({
          fullSyncMs: r.syncedAtEpochMs - spawnedAtEpoch,
          pages: r.pages,
          bytes: r.bytes,
          ...(r.pages !== pages && { error: `raw download read ${r.pages} pages, expected ${pages}` }),
        });
      } catch {
        resolve({ error: `raw download probe failed (code ${code}, signal ${signal}): ${err.trim() || out.trim()}` });
      }
    });
  });
}

// ---- peers ------------------------------------------------------------------------------------------------------

export interface PeerRun {
  fullSyncMs?: number;
  rssMb?: number;
  heapMb?: number;
  /** kubectl: the most memory it held at once (it cannot be asked after the fact). */
  peakRssMb?: number;
  pods?: number;
  /** Stopped because the machine ran out of memory (peakRssMb is then how far it got). */
  outOfMemory?: boolean;
  /** client-go: the initial sync went through a watch-list stream (else a paginated LIST). */
  watchList?: boolean;
  error?: string;
}

export async function measureKubectl(
  kubectl: string,
  target: Target,
  output: "json" | "table",
  timeoutMs: number,
): Promise<PeerRun> {
  const args = [...targetArgs(target), "get", "pods", "-A", ...(output === "json" ? ["-o", "json"] : [])];
  const r = await runTimed(kubectl, args, { timeoutMs });
  if (r.timedOut) return { error: `kubectl ${output}: timed out after ${timeoutMs / 1000}s` };
  if (r.memoryKilled) {
    return {
      error: `kubectl ${output}: stopped at ${Math.round(r.peakRssMb ?? 0)} MB RSS, the machine was running out of memory`,
      outOfMemory: true,
      ...(r.peakRssMb !== undefined && { peakRssMb: r.peakRssMb }),
    };
  }
  if (r.code !== 0) return { error: `kubectl ${output} failed (code ${r.code}): ${r.stderr.trim().slice(-400)}` };
  return { fullSyncMs: r.wallMs, ...(r.peakRssMb !== undefined && { peakRssMb: r.peakRssMb }) };
}

/** `extraArgs`: e.g. ["--watch-list=false"] for a paginated LIST instead of client-go's default watch-list stream. */
export async function measureClientGo(
  peer: string,
  target: Target,
  timeoutMs: number,
  extraArgs: string[] = [],
): Promise<PeerRun> {
  const args = [...targetArgs(target), "--timeout", `${Math.round(timeoutMs / 1000)}s`, ...extraArgs];
  const r = await runTimed(peer, args, {
    timeoutMs: timeoutMs + 10_000,
    captureStdout: true,
  });
  if (r.timedOut) return { error: `client-go peer: timed out after ${timeoutMs / 1000}s` };
  if (r.memoryKilled) {
    // Not an out-of-memory of its own: the harness stops any peer when the machine's free memory runs low.
    return {
      error: `client-go peer: stopped at ${Math.round(r.peakRssMb ?? 0)} MB RSS, the machine was running out of memory`,
      outOfMemory: true,
      ...(r.peakRssMb !== undefined && { peakRssMb: r.peakRssMb }),
    };
  }
  if (r.code !== 0) return { error: `client-go peer failed (code ${r.code}): ${r.stderr.trim().slice(-400)}` };
  try {
    const j = JSON.parse(r.stdout.trim().split("\n").pop() ?? "") as Required<
      Omit<PeerRun, "error" | "peakRssMb" | "outOfMemory">
    >;
    return {
      ...(typeof j.watchList === "boolean" && { watchList: j.watchList }),
      fullSyncMs: j.fullSyncMs,
      rssMb: j.rssMb,
      heapMb: j.heapMb,
      pods: j.pods,
      ...(j.pods !== target.pods && { error: `client-go saw ${j.pods} pods, expected ${target.pods}` }),
    };
  } catch {
    return { error: `client-go peer printed no JSON: ${r.stdout.slice(0, 200)}` };
  }
}
