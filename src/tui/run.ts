// The runtime: a generic program loop for the terminal, in the Elm style. It puts the terminal in UI mode, feeds key
// presses, resizes, timer ticks and subscription messages to the program's update(), carries out the effects it
// returns (the terminal's own here, the rest through `perform`), keeps its subscriptions running while the program
// lists them, paints view() through the line-diff renderer, and on quit (or any way out) restores the terminal.
// It knows nothing of what the program shows.
import { spawn } from "node:child_process";
import { writeSync } from "node:fs";
import { StringDecoder } from "node:string_decoder";
import { DISABLE_MOUSE, ENABLE_MOUSE, RESTORE_TERMINAL, SETUP_TERMINAL, setClipboard } from "./ansi.ts";
import { type InputEvent, InputParser } from "./input.ts";
import { Renderer } from "./renderer.ts";

/** Messages the runtime itself sends the program. */
export type TerminalMsg =
  | InputEvent
  | { type: "resize"; width: number; height: number }
  /** The clock moved (AGE, spinners). */
  | { type: "tick"; now: number }
  /** A program run with the "exec" effect ended (`code` null: it could not start, or a signal ended it). */
  | ExitedMsg;

/** How a program run by the "exec" effect (or a session run by "handover") ended. */
export interface ExitedMsg {
  type: "exited";
  id: string;
  code: number | null;
  signal?: string;
  error?: string;
}

/** Effects the runtime carries out itself; any other effect goes to RunOptions.perform. */
export type TerminalEffect =
  | { type: "quit"; code: number }
  /** Repaint every line: something else may have written to the terminal. */
  | { type: "redraw" }
  /** Ctrl-Z: give the terminal back and stop the process, as the shell's job control expects. */
  | { type: "suspend" }
  /** Put `text` on the clipboard, through the terminal (OSC 52): works over ssh; tmux needs set-clipboard on. */
  | { type: "clipboard"; text: string }
  /** Mouse reporting on (mouse messages come) or off (the terminal's own text selection works). */
  | { type: "mouse"; on: boolean }
  /**
   * Hand the terminal to a program, as Ctrl-Z hands it to the shell: restore the terminal, run `command args` with
   * the terminal as its stdin/stdout/stderr (no shell), take the terminal back and repaint; then an "exited" message.
   */
  | { type: "exec"; id: string; command: string; args: readonly string[]; env?: Readonly<Record<string, string>> }
  /**
   * Hand the terminal to a session that is not a local program (a shell in a container, over the network): the UI
   * is restored as for "exec" but the terminal stays in raw mode, its input goes to the session byte for byte (Ctrl-C
   * is 0x03 for the other side, not a signal here), and resizes are forwarded; when the session ends the UI comes
   * back, repainted at the terminal's size, and an "exited" message says how it ended.
   */
  | { type: "handover"; id: string; session: HandoverSession };

/** The end of an "exec" program or a "handover" session: the "exited" message without its type and id. */
export type Outcome = Omit<ExitedMsg, "type" | "id">;

/** A terminal's size in cells. */
export interface TerminalSize {
  width: number;
  height: number;
}

/** What a "handover" session gets: the terminal's raw bytes both ways, its size and its resizes. */
export interface HandoverIO {
  /** The size now. */
  size(): TerminalSize;
  /** Writes to the terminal; bytes are decoded as UTF-8 across calls (a character split between two is kept whole). */
  write(data: string | Uint8Array): void;
  /** Every chunk the user types, as bytes. */
  onInput(listener: (data: Buffer) => void): void;
  /** Every resize of the terminal (SIGWINCH). */
  onResize(listener: (size: TerminalSize) => void): void;
  /** Aborted when the UI ends while the session runs (a signal, the terminal went away): the session must end. */
  readonly signal: AbortSignal;
}

/** The other side of a "handover" effect: it runs with the terminal until it resolves. */
export interface HandoverSession {
  /** Runs with the terminal; resolves with how it ended (never rejects: a failure is `{code: null, error}`). */
  run(io: HandoverIO): Promise<Outcome>;
  /** It will not run (the terminal is busy with another program): release what it holds. */
  abandon(reason: string): void;
}

/** Runs a program in the foreground until it ends (the "exec" effect). */
export type ForegroundRunner = (
  command: string,
  args: readonly string[],
  env: Readonly<Record<string, string>>,
) => Promise<Outcome>;

/** Runs it with this process's stdio and environment (plus `env`). */
export const runInForeground: ForegroundRunner = (command, args, env) =>
  new Promise((resolve) => {
    try {
      const child = spawn(command, [...args], { stdio: "inherit", env: { ...process.env, ...env } });
      child.once("error", (err) => resolve({ code: null, error: err.message }));
      child.once("exit", (code, signal) => resolve(signal ? { code, signal } : { code }));
    } catch (err) {
      resolve({ code: null, error: err instanceof Error ? err.message : String(err) });
    }
  });

/** A long-lived source of messages (a repository's changes, a stream), running while the program lists its key. */
export interface Subscription<Msg> {
  /** Identity: a subscription whose key stays listed keeps running; one that disappears is stopped. */
  key: string;
  /** Deliver at most one message per this many ms (the latest wins); 0 or absent: every message at once. */
  coalesceMs?: number;
  /** Starts it; returns the function that stops it. */
  start(send: (msg: Msg) => void): () => void;
}

/** Work done in small slices between events (e.g. building a filter's index ahead of need). */
export interface IdleWork {
  /** What the work is for: a new key restarts it from 0. */
  key: unknown;
  /** Start at once; otherwise only after IDLE_DELAY_MS without a new key. */
  urgent: boolean;
  /** Does one slice from `from`; returns where the next slice starts, or -1 when done. */
  step(from: number): number;
}

/** A terminal program: state, update, view; the rest is optional. */
export interface Program<Model, Msg, Effect> {
  init(size: { width: number; height: number }, now: number): Model;
  update(model: Model, msg: Msg | TerminalMsg): [Model, readonly (Effect | TerminalEffect)[]];
  view(model: Model): string[];
  subscriptions?(model: Model): readonly Subscription<Msg>[];
  /** How often to send ticks (ms); default 1000. */
  tickInterval?(model: Model): number;
  idleWork?(model: Model): IdleWork | null;
}

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
  /** What caused the frame: the runtime's own events, or a subscription's message. */
  cause: "start" | "input" | "data" | "tick" | "resize" | "drain";
}

/** How the runtime is connected: the terminal, and who carries out the program's own effects. */
export interface RunOptions<Msg, Effect> {
  stdin: UiInput;
  stdout: UiOutput;
  /**
   * Carries out an effect that is not the terminal's; results come back through `send`. `terminal` carries out one
   * of the runtime's own effects for it, at once or later: e.g. a "handover" once the connection it needs is open.
   */
  perform?: (effect: Effect, send: (msg: Msg) => void, terminal: (effect: TerminalEffect) => void) => void;
  /** Called with the exit code once the terminal is restored, just before the promise resolves. */
  onExit?: (code: number) => void;
  /** Clock (epoch ms); tests pass a fixed one. */
  now?: () => number;
  /** How long a lone ESC waits for the rest of an escape sequence before it counts as the Escape key (default 40). */
  escapeTimeoutMs?: number;
  /** Mouse reporting at start (default true); the program turns it off and on with the "mouse" effect. */
  mouse?: boolean;
  /** Handle SIGINT/SIGTERM/SIGHUP, uncaught errors and unhandled rejections (default true). */
  handleProcessEvents?: boolean;
  /** Called after every frame; for benchmarks and tests. */
  onFrame?: (frame: FrameInfo) => void;
  /** Stops the process for Ctrl-Z (default: SIGTSTP to itself); the UI comes back on SIGCONT. */
  suspendProcess?: () => void;
  /** Runs the "exec" effect's program (default: runInForeground). */
  runForeground?: ForegroundRunner;
}

/** Modes a remote program may leave set when it ends without resetting them (a shell killed with its pod). */
const RESET_REMOTE_MODES = "\x1b[?1l\x1b>\x1b[0m";

const SIGNAL_CODES: Partial<Record<NodeJS.Signals, number>> = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 };

/** Idle work that is not urgent waits this long after its key last changed (it would be redone at every change). */
export const IDLE_DELAY_MS = 2000;

function isTerminalEffect(effect: unknown): effect is TerminalEffect {
  const type = (effect as { type?: unknown }).type;
  return (
    type === "quit" ||
    type === "redraw" ||
    type === "suspend" ||
    type === "clipboard" ||
    type === "exec" ||
    type === "handover" ||
    type === "mouse"
  );
}

/** A running subscription: its stop function and, when coalescing, the message waiting for its turn. */
interface Running<Msg> {
  stop: () => void;
  timer: NodeJS.Timeout | null;
  pending: Msg | undefined;
  lastAt: number;
}

/**
 * Runs a program until it quits (its exit code), a signal arrives (128 + signal number) or something throws
 * (exit code 1; the error is printed after the terminal is restored). Resolves with the exit code; never rejects.
 */
export function runProgram<Model, Msg extends { type: string }, Effect>(
  program: Program<Model, Msg, Effect>,
  opts: RunOptions<Msg, Effect>,
): Promise<number> {
  const { stdin, stdout } = opts;
  const now = opts.now ?? Date.now;
  const escapeTimeout = opts.escapeTimeoutMs ?? 40;
  let mouseOn = opts.mouse ?? true;
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
    let tickTimer: NodeJS.Timeout | null = null;
    let escapeTimer: NodeJS.Timeout | null = null;
    const running = new Map<string, Running<Msg>>();
    let idleKey: unknown;
    let idleDone: unknown;
    let idleTimer: NodeJS.Immediate | null = null;
    let idleDelay: NodeJS.Timeout | null = null;

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

    const stopSubscriptions = () => {
      for (const sub of running.values()) {
        if (sub.timer) clearTimeout(sub.timer);
        try {
          sub.stop();
        } catch {
          // Stopping must not keep the others from stopping.
        }
      }
      running.clear();
    };

    const finish = (code: number, error?: unknown) => {
      if (finished) return;
      finished = true;
      for (const timer of [tickTimer, escapeTimer, resumeTimer, idleDelay]) if (timer) clearTimeout(timer);
      if (idleTimer) clearImmediate(idleTimer);
      stopSubscriptions();
      stdin.off("data", onData);
      stdin.off("end", onInputEnd);
      stdin.pause?.();
      stdout.off("resize", onResize);
      stdout.off("error", onOutputError);
      stdout.off("drain", onDrain);
      handingOver?.abort.abort();
      handingOver = null;
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

    // A message from outside (an effect's result, a subscription) is handled and painted at once.
    const send = (msg: Msg) =>
      guarded(() => {
        dispatch(msg);
        render("data");
      });

    let updateMs = 0;
    const dispatch = (msg: Msg | TerminalMsg) => {
      const started = performance.now();
      const [next, effects] = program.update(model, msg);
      model = next;
      updateMs += performance.now() - started;
      for (const effect of effects) {
        if (finished) return;
        if (isTerminalEffect(effect)) terminalEffect(effect);
        else opts.perform?.(effect as Effect, send, fromPerform);
      }
      if (finished) return;
      syncSubscriptions();
      scheduleIdleWork();
    };

    const terminalEffect = (effect: TerminalEffect) => {
      if (effect.type === "quit") finish(effect.code);
      if (effect.type === "redraw") {
        renderer.invalidate();
        painted = null;
      }
      if (effect.type === "suspend") suspend();
      if (effect.type === "clipboard" && terminalActive) stdout.write(setClipboard(effect.text));
      if (effect.type === "exec") execute(effect);
      if (effect.type === "handover") handover(effect);
      if (effect.type === "mouse" && effect.on !== mouseOn) {
        mouseOn = effect.on;
        if (terminalActive) stdout.write(mouseOn ? ENABLE_MOUSE : DISABLE_MOUSE);
      }
    };
    // perform may call back at once (inside dispatch) or later, from its own I/O: then it is an event of its own.
    const fromPerform = (effect: TerminalEffect) => {
      if (finished) {
        if (effect.type === "handover") effect.session.abandon("the UI has ended");
        return;
      }
      guarded(() => {
        terminalEffect(effect);
        render("data");
      });
    };

    // Subscriptions follow the program's list after every update: new keys start, missing keys stop.
    const syncSubscriptions = () => {
      const wanted = program.subscriptions?.(model) ?? [];
      const keys = new Set<string>();
      for (const sub of wanted) {
        keys.add(sub.key);
        if (running.has(sub.key)) continue;
        const entry: Running<Msg> = { stop: () => {}, timer: null, pending: undefined, lastAt: 0 };
        running.set(sub.key, entry);
        const interval = sub.coalesceMs ?? 0;
        const deliver = (msg: Msg) => {
          if (finished || running.get(sub.key) !== entry) return;
          if (interval <= 0) {
            send(msg);
            return;
          }
          entry.pending = msg;
          if (entry.timer) return;
          const delay = Math.max(0, entry.lastAt + interval - now());
          entry.timer = setTimeout(() => {
            entry.timer = null;
            const pending = entry.pending;
            entry.pending = undefined;
            entry.lastAt = now();
            if (pending !== undefined) send(pending);
          }, delay);
        };
        entry.stop = sub.start(deliver);
      }
      for (const [key, entry] of running) {
        if (keys.has(key)) continue;
        running.delete(key);
        if (entry.timer) clearTimeout(entry.timer);
        entry.stop();
      }
    };

    // Idle work runs in slices between events, so that a keystroke never waits behind it for long. Urgent work starts
    // at once; other work at most every IDLE_DELAY_MS, on the latest state (under churn its key changes with every
    // data frame, and redoing it each time would cost more than it saves).
    const scheduleIdleWork = () => {
      const work = program.idleWork?.(model) ?? null;
      if (!work || work.key === idleDone) return;
      if (work.key === idleKey && idleTimer) return;
      if (work.urgent) {
        if (idleDelay) clearTimeout(idleDelay);
        idleDelay = null;
        startIdle(work, 0);
        return;
      }
      if (idleDelay) return;
      idleDelay = setTimeout(() => {
        idleDelay = null;
        guarded(() => {
          const latest = program.idleWork?.(model) ?? null;
          if (latest && latest.key !== idleDone) startIdle(latest, 0);
        });
      }, IDLE_DELAY_MS);
    };
    const startIdle = (work: IdleWork, from: number) => {
      if (idleTimer) clearImmediate(idleTimer);
      idleKey = work.key;
      idleTimer = setImmediate(() =>
        guarded(() => {
          idleTimer = null;
          if (work.key !== idleKey) return;
          const next = work.step(from);
          if (next >= 0) startIdle(work, next);
          else idleDone = work.key;
        }),
      );
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
      const out = renderer.frame(program.view(model));
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
        // Mouse events carry their time, so that the program can tell a double click without a clock of its own.
        dispatch(event.type === "mouse" ? { ...event, at: now() } : event);
        if (finished) return;
      }
      render("input");
    };

    const onData = (chunk: string | Buffer) =>
      guarded(() => {
        if (handingOver) {
          const bytes = typeof chunk === "string" ? Buffer.from(chunk, "utf8") : chunk;
          for (const listener of handingOver.input) listener(bytes);
          return;
        }
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
        // The program follows the size even while a session has the terminal, so that it comes back at the right one.
        dispatch({ type: "resize", width, height });
        if (handingOver) for (const listener of handingOver.resize) listener({ width, height });
        render("resize");
      });

    // Ticks land on whole intervals so that every AGE on screen changes in the same frame.
    const scheduleTick = () => {
      const interval = program.tickInterval?.(model) ?? 1000;
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
      stdout.write(mouseOn ? SETUP_TERMINAL + ENABLE_MOUSE : SETUP_TERMINAL);
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

    // A program in the foreground has the terminal: the program, its stdin paused, nothing painted. Ctrl-C is its
    // (the terminal sends SIGINT to both): it ends the program, not the UI.
    let executing = false;
    const execute = (effect: Extract<TerminalEffect, { type: "exec" }>) => {
      if (executing || suspended) return;
      executing = true;
      restoreTerminal();
      stdin.pause?.();
      const run = opts.runForeground ?? runInForeground;
      run(effect.command, effect.args, effect.env ?? {}).then(
        (outcome) => back(effect.id, outcome),
        (err: unknown) => back(effect.id, { code: null, error: err instanceof Error ? err.message : String(err) }),
      );
    };
    const back = (id: string, outcome: Outcome) =>
      guarded(() => {
        executing = false;
        handingOver = null;
        enterTerminal();
        stdin.resume?.();
        renderer.invalidate();
        painted = null;
        // A resize the program did not hear of (the terminal changed while another process had it): say so first.
        const now = size();
        if (now.width !== renderer.columns || now.height !== renderer.rows) {
          renderer.resize(now.width, now.height);
          dispatch({ type: "resize", ...now });
        }
        dispatch({ type: "exited", id, ...outcome });
        render("resize");
      });

    // A session that is not a local program (a shell in a container): the UI leaves the screen as for exec, but the
    // terminal stays raw and this process keeps reading it, passing every byte on, and passes resizes on too.
    interface Handover {
      input: ((data: Buffer) => void)[];
      resize: ((size: TerminalSize) => void)[];
      abort: AbortController;
    }
    let handingOver: Handover | null = null;
    const handover = (effect: Extract<TerminalEffect, { type: "handover" }>) => {
      if (executing || suspended) {
        effect.session.abandon("the terminal is in use by another program");
        setImmediate(() =>
          guarded(() => {
            dispatch({ type: "exited", id: effect.id, code: null, error: "the terminal is in use by another program" });
            render("data");
          }),
        );
        return;
      }
      executing = true;
      if (escapeTimer) clearTimeout(escapeTimer);
      escapeTimer = null;
      parser.flush();
      const current: Handover = { input: [], resize: [], abort: new AbortController() };
      handingOver = current;
      terminalActive = false;
      stdout.write(RESTORE_TERMINAL);
      const decoder = new StringDecoder("utf8");
      const io: HandoverIO = {
        size,
        write: (data) => {
          if (handingOver !== current) return;
          const text = typeof data === "string" ? data : decoder.write(Buffer.from(data));
          if (text !== "") stdout.write(text);
        },
        onInput: (listener) => void current.input.push(listener),
        onResize: (listener) => void current.resize.push(listener),
        signal: current.abort.signal,
      };
      const ended = (outcome: Outcome) => {
        if (handingOver !== current || finished) return;
        const rest = decoder.end();
        if (rest !== "") stdout.write(rest);
        // What the other side may have left on: application cursor keys and keypad, colours.
        stdout.write(RESET_REMOTE_MODES);
        back(effect.id, outcome);
      };
      let running: Promise<Outcome>;
      try {
        running = effect.session.run(io);
      } catch (err) {
        running = Promise.resolve({ code: null, error: err instanceof Error ? err.message : String(err) });
      }
      running.then(ended, (err: unknown) =>
        ended({ code: null, error: err instanceof Error ? err.message : String(err) }),
      );
    };

    const onSignal = (signal: NodeJS.Signals) => {
      if (executing && signal === "SIGINT") return;
      finish(SIGNAL_CODES[signal] ?? 1);
    };
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
      model = program.init({ width, height }, now());
      render("start");
      syncSubscriptions();
      scheduleTick();
      scheduleIdleWork();
    });
  });
}
