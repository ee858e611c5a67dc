// The runtime: puts the terminal in UI mode, feeds key presses, repository changes, timer ticks and resizes to
// update(), paints view() through the line-diff renderer, and on quit (or any way out) restores the terminal.
//
// runUi does NOT stop the repository: the caller (the CLI) owns it and stops it after runUi resolves.
import { writeSync } from "node:fs";
import { type Model, newModel } from "../app/model.ts";
import type { ScreenDef } from "../app/screens/screen.ts";
import { type Msg, update } from "../app/update.ts";
import { isLoading, view } from "../app/view.ts";
import type { Repository } from "../repository/types.ts";
import { RESTORE_TERMINAL, SETUP_TERMINAL } from "./ansi.ts";
import { InputParser } from "./input.ts";
import { Renderer } from "./renderer.ts";

export interface UiInput {
  on(event: "data", listener: (chunk: string | Buffer) => void): unknown;
  on(event: "end", listener: () => void): unknown;
  off(event: "data", listener: (chunk: string | Buffer) => void): unknown;
  off(event: "end", listener: () => void): unknown;
  setEncoding?(encoding: BufferEncoding): unknown;
  resume?(): unknown;
  pause?(): unknown;
  isTTY?: boolean;
  setRawMode?(mode: boolean): unknown;
}

export interface UiOutput {
  write(data: string): boolean;
  columns?: number;
  rows?: number;
  fd?: number;
  isTTY?: boolean;
  writableNeedDrain?: boolean;
  on(event: "resize" | "drain", listener: () => void): unknown;
  on(event: "error", listener: (err: Error) => void): unknown;
  off(event: "resize" | "drain", listener: () => void): unknown;
  off(event: "error", listener: (err: Error) => void): unknown;
}

export interface FrameInfo {
  /** Bytes written for the frame (0 when nothing changed). */
  bytes: number;
  linesWritten: number;
  /** Time to run view() and diff it, ms. */
  renderMs: number;
  /** Time spent in update() since the previous frame, ms. */
  updateMs: number;
  /** What caused the frame. */
  cause: "start" | "input" | "data" | "tick" | "resize" | "drain";
}

export interface RunUiOptions {
  stdin: UiInput;
  stdout: UiOutput;
  /** Called with the exit code once the terminal is restored, just before the promise resolves. */
  onExit?: (code: number) => void;
  /** Clock (epoch ms); tests pass a fixed one. */
  now?: () => number;
  /** Minimum time between frames caused by repository changes (default 100 ms: at most 10 frames/s). */
  minDataIntervalMs?: number;
  /** How long a lone ESC waits for the rest of an escape sequence before it counts as the Escape key (default 40). */
  escapeTimeoutMs?: number;
  /** Handle SIGINT/SIGTERM/SIGHUP, uncaught errors and unhandled rejections (default true). */
  handleProcessEvents?: boolean;
  /** Called after every frame; for benchmarks and tests. */
  onFrame?: (frame: FrameInfo) => void;
  /** Start on this screen instead of pods. */
  screen?: ScreenDef;
  /** Stops the process for Ctrl-Z (default: SIGTSTP to itself); the UI comes back on SIGCONT. */
  suspendProcess?: () => void;
}

const SIGNAL_CODES: Partial<Record<NodeJS.Signals, number>> = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 };

/**
 * Runs the UI until the user quits (exit code 0), a signal arrives (128 + signal number) or something throws
 * (exit code 1; the error is printed after the terminal is restored). Resolves with the exit code; never rejects.
 */
export function runUi(repo: Repository, opts: RunUiOptions): Promise<number> {
  const { stdin, stdout } = opts;
  const now = opts.now ?? Date.now;
  const minDataInterval = opts.minDataIntervalMs ?? 100;
  const escapeTimeout = opts.escapeTimeoutMs ?? 40;
  const handleProcess = opts.handleProcessEvents ?? true;

  return new Promise<number>((resolve) => {
    const size = () => ({ width: stdout.columns || 80, height: stdout.rows || 24 });
    const { width, height } = size();
    const parser = new InputParser();
    const renderer = new Renderer(width, height);
    let model: Model;
    let painted: Model | null = null;
    let finished = false;
    let terminalActive = false;
    let waitingForDrain = false;
    let dataTimer: NodeJS.Timeout | null = null;
    let tickTimer: NodeJS.Timeout | null = null;
    let escapeTimer: NodeJS.Timeout | null = null;
    let warmTimer: NodeJS.Immediate | null = null;
    let idleWarmTimer: NodeJS.Timeout | null = null;
    const IDLE_WARM_MS = 2000;
    let lastDataAt = 0;
    let unsubscribe = () => {};

    const restoreTerminal = () => {
      if (!terminalActive) return;
      terminalActive = false;
      try {
        // Synchronous where possible: this also runs from process "exit", where async writes are lost.
        if (typeof stdout.fd === "number" && stdout.isTTY) writeSync(stdout.fd, RESTORE_TERMINAL);
        else stdout.write(RESTORE_TERMINAL);
      } catch {
        // The terminal is gone (SIGHUP); nothing left to restore.
      }
      try {
        if (stdin.isTTY) stdin.setRawMode?.(false);
      } catch {
        // as above
      }
    };

    const finish = (code: number, error?: unknown) => {
      if (finished) return;
      finished = true;
      for (const timer of [dataTimer, tickTimer, escapeTimer, resumeTimer]) if (timer) clearTimeout(timer);
      if (warmTimer) clearImmediate(warmTimer);
      if (idleWarmTimer) clearTimeout(idleWarmTimer);
      unsubscribe();
      stdin.off("data", onData);
      stdin.off("end", onInputEnd);
      stdin.pause?.();
      stdout.off("resize", onResize);
      stdout.off("error", onOutputError);
      stdout.off("drain", onDrain);
      restoreTerminal();
      if (error !== undefined) {
        const text = error instanceof Error ? (error.stack ?? error.message) : String(error);
        process.stderr.write(`timoneiro: ${text}\n`);
      }
      if (handleProcess) {
        for (const signal of Object.keys(SIGNAL_CODES) as NodeJS.Signals[]) process.off(signal, onSignal);
        process.off("uncaughtException", onFatal);
        process.off("unhandledRejection", onFatal);
      }
      process.off("exit", restoreTerminal);
      process.off("SIGCONT", onContinue);
      opts.onExit?.(code);
      resolve(code);
    };

    // Every callback runs through this: an exception in update or view ends the UI cleanly instead of leaving the
    // terminal in raw mode on the alternate screen.
    const guarded = (fn: () => void) => {
      if (finished) return;
      try {
        fn();
      } catch (err) {
        finish(1, err);
      }
    };

    let updateMs = 0;
    const dispatch = (msg: Msg) => {
      const started = performance.now();
      const [next, effects] = update(model, msg);
      model = next;
      updateMs += performance.now() - started;
      for (const effect of effects) {
        if (effect.type === "quit") finish(effect.code);
        if (effect.type === "redraw") {
          renderer.invalidate();
          painted = null;
        }
        if (effect.type === "suspend") suspend();
      }
      // While a filter is open or applied, haystacks follow every change. Without one, following a churning 100k-row
      // list on every change cost ~6 % of a core at 100 events/s, and not following it at all left the first keys of
      // a new filter waiting ~100 ms for them: so they follow at most every IDLE_WARM_MS.
      if (model.mode === "filter" || model.filterText !== "") warmFilter();
      else if (msg.type === "data" && !idleWarmTimer) {
        idleWarmTimer = setTimeout(() => {
          idleWarmTimer = null;
          guarded(warmFilter);
        }, IDLE_WARM_MS);
      }
    };

    // Filter haystacks for 100k rows take ~100 ms to build. Build them in small slices between events, from the moment
    // the filter opens and after every change while it is in use (rows that did not change keep theirs, so that is
    // cheap), so that the first key typed into the filter rarely waits for all of them.
    const WARM_SLICE = 5000;
    const warmFilter = () => {
      if (warmTimer) return;
      let rows = model.rows;
      let screen = model.screen;
      let from = 0;
      const step = () => {
        warmTimer = null;
        if (finished) return;
        if (model.rows !== rows || model.screen !== screen) {
          rows = model.rows;
          screen = model.screen;
          from = 0;
        }
        from = screen.haystacks.warm(rows, from, WARM_SLICE);
        if (from >= 0) warmTimer = setImmediate(() => guarded(step));
      };
      warmTimer = setImmediate(() => guarded(step));
    };

    const render = (cause: FrameInfo["cause"]) => {
      // Nothing is painted while the terminal is not ours (suspended with Ctrl-Z).
      if (finished || !terminalActive || model === painted) return;
      if (stdout.writableNeedDrain) {
        // The terminal is behind (slow link, tmux): paint the latest state once it has caught up.
        if (!waitingForDrain) {
          waitingForDrain = true;
          stdout.on("drain", onDrain);
        }
        return;
      }
      const started = performance.now();
      const out = renderer.frame(view(model));
      painted = model;
      if (out !== "") stdout.write(out);
      opts.onFrame?.({
        bytes: renderer.stats.bytes,
        linesWritten: renderer.stats.linesWritten,
        renderMs: performance.now() - started,
        updateMs,
        cause,
      });
      updateMs = 0;
    };

    const onDrain = () =>
      guarded(() => {
        waitingForDrain = false;
        stdout.off("drain", onDrain);
        render("drain");
      });

    const deliver = (events: ReturnType<InputParser["feed"]>) => {
      for (const event of events) {
        dispatch(event);
        if (finished) return;
      }
      render("input");
    };

    const onData = (chunk: string | Buffer) =>
      guarded(() => {
        if (escapeTimer) {
          clearTimeout(escapeTimer);
          escapeTimer = null;
        }
        deliver(parser.feed(typeof chunk === "string" ? chunk : chunk.toString("utf8")));
        if (!finished && parser.hasPending) {
          escapeTimer = setTimeout(() => {
            escapeTimer = null;
            guarded(() => deliver(parser.flush()));
          }, escapeTimeout);
        }
      });

    const onResize = () =>
      guarded(() => {
        const { width, height } = size();
        renderer.resize(width, height);
        painted = null;
        dispatch({ type: "resize", width, height });
        render("resize");
      });

    // Repository changes are coalesced: at most one data frame per minDataInterval.
    const onRepoChange = () => {
      if (finished || dataTimer) return;
      const delay = Math.max(0, lastDataAt + minDataInterval - now());
      dataTimer = setTimeout(() => {
        dataTimer = null;
        guarded(() => {
          lastDataAt = now();
          dispatch({ type: "data", now: lastDataAt });
          render("data");
        });
      }, delay);
    };

    // AGE moves every second; spinners turn every 100 ms while something loads. Ticks land on whole intervals so
    // that every AGE on screen changes in the same frame.
    const scheduleTick = () => {
      const interval = isLoading(model.statuses) ? 100 : 1000;
      tickTimer = setTimeout(
        () => {
          tickTimer = null;
          guarded(() => {
            dispatch({ type: "tick", now: now() });
            render("tick");
            if (!finished) scheduleTick();
          });
        },
        interval - (now() % interval),
      );
    };

    const enterTerminal = () => {
      terminalActive = true;
      if (stdin.isTTY) stdin.setRawMode?.(true);
      stdout.write(SETUP_TERMINAL);
    };

    // Raw mode turns Ctrl-Z into a key instead of SIGTSTP, so job control is done here: restore the terminal, stop,
    // and on SIGCONT (the shell's `fg`) take the terminal again and repaint it whole. When no shell does job control
    // (the program is its session's leader, as under `tmux new-session cmd`), the kernel discards the stop signal;
    // then the UI simply comes back after a moment instead of leaving a running program with no screen.
    let suspended = false;
    let resumeTimer: NodeJS.Timeout | null = null;
    const suspend = () => {
      if (process.platform === "win32" || suspended) return;
      suspended = true;
      restoreTerminal();
      process.once("SIGCONT", onContinue);
      (opts.suspendProcess ?? (() => process.kill(process.pid, "SIGTSTP")))();
      resumeTimer = setTimeout(onContinue, 200);
    };
    const onContinue = () =>
      guarded(() => {
        if (!suspended) return;
        suspended = false;
        process.off("SIGCONT", onContinue);
        if (resumeTimer) clearTimeout(resumeTimer);
        resumeTimer = null;
        enterTerminal();
        renderer.invalidate();
        painted = null;
        render("resize");
      });

    const onSignal = (signal: NodeJS.Signals) => finish(SIGNAL_CODES[signal] ?? 1);
    // The terminal went away (hang-up, closed pty): nothing to read from or paint on; end as SIGHUP would.
    const onInputEnd = () => finish(SIGNAL_CODES.SIGHUP ?? 129);
    const onOutputError = () => finish(SIGNAL_CODES.SIGHUP ?? 129);
    const onFatal = (err: unknown) => finish(1, err);

    guarded(() => {
      if (handleProcess) {
        for (const signal of Object.keys(SIGNAL_CODES) as NodeJS.Signals[]) process.on(signal, onSignal);
        process.on("uncaughtException", onFatal);
        process.on("unhandledRejection", onFatal);
      }
      process.on("exit", restoreTerminal);
      enterTerminal();
      stdin.setEncoding?.("utf8");
      stdin.on("data", onData);
      stdin.on("end", onInputEnd);
      stdin.resume?.();
      stdout.on("resize", onResize);
      stdout.on("error", onOutputError);
      unsubscribe = repo.subscribe(onRepoChange);
      model = newModel(repo, { width, height, now: now(), ...(opts.screen ? { screen: opts.screen } : {}) });
      lastDataAt = now();
      render("start");
      scheduleTick();
      warmFilter();
    });
  });
}
