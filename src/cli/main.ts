// Entry point of the `timoneiro` executable: flags, start-up (kubeconfig → informer → first pods), the UI, clean exit.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setDefaultLogBounds } from "../app/log-buffer.ts";
import type { UserConfig } from "../app/user-config.ts";
import { KubeError, oneLine } from "../kube/errors.ts";
import type { KubeContextInfo } from "../kube/kubeconfig.ts";
import { HELP, parseArgs, UsageError, VERSION } from "./args.ts";
import { openSession } from "./session.ts";
import { waitForFirstPods } from "./startup.ts";

/**
 * Live watches are read in batches (ReflectorOptions.watchBatchMs). A change after a quiet spell is read at once; one
 * that follows it within this time waits for the next read, so under churn the screen is at most this far behind. At
 * 100k pods and 100 changes/s the UI's CPU was 4.6-6.6 % of a core reading every chunk, 3.2-3.9 % at 250 ms and
 * 2.4-3.0 % at 500 ms (BENCHMARKS.md); k9s redraws every 2 s.
 */
const WATCH_BATCH_MS = 500;

/**
 * TIMONEIRO_TRACE_STARTUP=1 prints, after the UI ends, when each start-up step finished (ms since the process
 * started) and the CPU time the process had used by then: what sits between start and the first frame, measured
 * rather than guessed. The CPU time tells work from waiting (and stays readable on a busy machine).
 */
const traceStartup = process.env.TIMONEIRO_TRACE_STARTUP === "1";
const startupMarks: [step: string, atMs: number, cpuMs: number][] = [];
function mark(step: string): void {
  if (!traceStartup) return;
  const cpu = process.cpuUsage();
  startupMarks.push([step, performance.now(), (cpu.user + cpu.system) / 1000]);
}
mark("main module loaded");

async function main(argv: string[]): Promise<number> {
  if (argv[0] === "sim") {
    const { runSimCommand } = await import("../sim/cli.ts");
    return runSimCommand(argv.slice(1));
  }
  if (argv[0] === "info") {
    let info: ReturnType<typeof parseArgs>;
    try {
      info = parseArgs(argv.slice(1));
    } catch (err) {
      if (err instanceof UsageError) {
        process.stderr.write(`timoneiro info: ${err.message} (see timoneiro --help)\n`);
        return 2;
      }
      throw err;
    }
    const { infoText } = await import("./info.ts");
    process.stdout.write(`${infoText(info.kubeconfig === undefined ? {} : { kubeconfig: info.kubeconfig })}\n`);
    return 0;
  }
  let options: ReturnType<typeof parseArgs>;
  try {
    options = parseArgs(argv);
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(`timoneiro: ${err.message} (see timoneiro --help)\n`);
      return 2;
    }
    throw err;
  }
  if (options.help) {
    process.stdout.write(`${HELP}\n`);
    return 0;
  }
  if (options.version) {
    process.stdout.write(`timoneiro ${VERSION}\n`);
    return 0;
  }
  if (!process.stdout.isTTY || !process.stdin.isTTY) {
    process.stderr.write(
      "timoneiro: not a terminal; timoneiro is an interactive UI, run it in a terminal (for scripts use kubectl)\n",
    );
    return 2;
  }

  const cleanups: (() => Promise<void> | void)[] = [];
  const cleanup = async () => {
    for (const fn of cleanups.splice(0).reverse()) await fn();
  };
  const onSignal = (signal: NodeJS.Signals) => {
    void cleanup().finally(() => process.exit(signal === "SIGINT" ? 130 : 143));
  };
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  process.once("SIGHUP", onSignal);

  try {
    let kubeconfig = options.kubeconfig;
    let context = options.context;
    if (options.demo) {
      const { startSimServer } = await import("../sim/index.ts");
      const sim = await startSimServer({ pods: options.pods, churn: options.churn, seed: 1 });
      cleanups.push(() => sim.stop());
      const dir = mkdtempSync(join(tmpdir(), "timoneiro-demo-"));
      cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
      kubeconfig = join(dir, "kubeconfig");
      writeFileSync(kubeconfig, sim.kubeconfig("timoneiro-sim"), { mode: 0o600 });
      context = "timoneiro-sim";
    }
    const config = { ...(kubeconfig !== undefined && { kubeconfig }), ...(context !== undefined && { context }) };
    const informerOptions = {
      watchBatchMs: WATCH_BATCH_MS,
      ...(options.namespace !== undefined && { namespace: options.namespace }),
      ...(options.listMode !== undefined && { listMode: options.listMode }),
      ...(options.wire !== undefined && { wire: options.wire }),
    };
    const session = await openSession(config, informerOptions);
    mark("kubeconfig read, session built");
    const repo = session.repo;
    cleanups.push(() => session.stop());
    // The first page is asked for at once; the UI's modules, the skin and the config folder (never fatal: its
    // problems are shown in the UI and by `timoneiro info`) are read while it is on its way.
    const firstPods = waitForFirstPods(repo, process.stdout);
    const ui = import("./ui.ts");
    ui.catch(() => {});
    const skin = import("./skin.ts");
    skin.catch(() => {});
    const userConfigRead = readUserConfig(kubeconfig, options.allNamespaces === true, session.contexts);
    userConfigRead.catch(() => {});
    await firstPods;
    mark("first page of pods in");
    const readConfig = await userConfigRead;
    // --readonly wins over every context's own setting.
    const userConfig = options.readOnly ? forceReadOnly(readConfig) : readConfig;

    // Signals now belong to the UI, which restores the terminal before it resolves.
    for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) process.removeListener(signal, onSignal);
    const { runApp } = await ui;
    // The look, once, before the first frame: the skin at the colour depth the environment asks for (NO_COLOR...).
    const { setupSkin } = await skin;
    const { warnings } = setupSkin(options.skin ?? userConfig.skin);
    if (userConfig.logBuffer) setDefaultLogBounds(userConfig.logBuffer);
    for (const warning of warnings) process.stderr.write(`timoneiro: ${warning}\n`);
    mark("UI modules loaded");
    let firstFrame = true;
    const code = await runApp(repo, {
      onFrame: () => {
        if (firstFrame) mark("first frame written");
        firstFrame = false;
      },
      stdin: process.stdin,
      stdout: process.stdout,
      get: (path) => session.get(path),
      stream: session.stream,
      namespace: options.allNamespaces ? undefined : session.contextNamespace,
      ...(options.allNamespaces && { allNamespaces: true }),
      kubeconfig: { config, options: informerOptions, session },
      userConfig,
    });
    await cleanup();
    if (traceStartup) {
      for (const [step, at, cpu] of startupMarks) {
        process.stderr.write(
          `startup: ${at.toFixed(0).padStart(6)} ms  (cpu ${cpu.toFixed(0).padStart(4)} ms)  ${step}\n`,
        );
      }
    }
    return code;
  } catch (err) {
    await cleanup();
    if (err instanceof KubeError) {
      process.stderr.write(`\ntimoneiro: ${oneLine(err)}\n`);
      return 1;
    }
    throw err;
  }
}

/**
 * The config folder's settings, with what plugins need to know of the kubeconfig ($KUBECONFIG, $USER): its contexts
 * as the session read them, not read and parsed again.
 */
async function readUserConfig(
  kubeconfig: string | undefined,
  allNamespaces: boolean,
  contexts: readonly KubeContextInfo[],
): Promise<UserConfig> {
  const [{ loadConfig }, { builtinKeys }] = await Promise.all([
    import("./config/index.ts"),
    import("./config/builtin.ts"),
  ]);
  const loaded = loadConfig({ builtinKeys });
  const contextUsers: Record<string, string> = {};
  for (const c of contexts) contextUsers[c.name] = c.user;
  const path = kubeconfig ?? process.env.KUBECONFIG;
  return { ...loaded, contextUsers, allNamespaces, ...(path !== undefined && path !== "" && { kubeconfig: path }) };
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
    // Everything is stopped by now and the process should end by itself; if some handle was left open, do not leave
    // the user waiting at a dead prompt (an unref'd timer does not keep the process alive).
    setTimeout(() => process.exit(code), 2000).unref();
  },
  (err: unknown) => {
    process.stderr.write(
      `timoneiro: unexpected error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
    );
    process.exitCode = 70;
  },
);

/** The configuration with every context read-only (--readonly). */
function forceReadOnly(config: UserConfig): UserConfig {
  const contexts = Object.fromEntries(
    Object.entries(config.contexts).map(([name, settings]) => [name, { ...settings, readOnly: true }]),
  );
  return { ...config, readOnly: true, contexts };
}
