// A program in a real pseudo-terminal (node-pty) whose output is interpreted by a headless xterm, so tests can read
// the screen as a person would see it, and the raw bytes for what the screen does not show (modes, frame sizes).
import pty from "@lydell/node-pty";
import xterm from "@xterm/headless";

export const END_SYNC = "\x1b[?2026l";
export const BEGIN_SYNC = "\x1b[?2026h";

export interface PtyApp {
  term: xterm.Terminal;
  /** Everything the program wrote. */
  output(): string;
  write(data: string): void;
  resize(cols: number, rows: number): void;
  kill(signal?: string): void;
  /** The visible screen, one string per row, trailing spaces trimmed. */
  screen(): Promise<string[]>;
  /** Waits until the screen satisfies `predicate` (checked after every write), or fails after `timeoutMs`. */
  waitFor(predicate: (screen: string[]) => boolean, what: string, timeoutMs?: number): Promise<string[]>;
  waitForText(text: string, timeoutMs?: number): Promise<string[]>;
  /** Waits for the next complete frame after this call and returns its bytes. */
  nextFrame(timeoutMs?: number): Promise<string>;
  exited: Promise<number>;
}

/** The environment for the program: ours, minus what marks a process as a node:test child. */
function childEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && k !== "NODE_TEST_CONTEXT") env[k] = v;
  return env;
}

const running = new Set<PtyApp>();

/** Kills every program still running (call from an after/afterEach hook so a failed test cannot hang the run). */
export function killAll(): void {
  for (const app of running) app.kill("SIGKILL");
  running.clear();
}

export function spawnApp(file: string, args: string[], cols = 120, rows = 30): PtyApp {
  const term = new xterm.Terminal({ cols, rows, allowProposedApi: true, scrollback: 1000 });
  const child = pty.spawn(file, args, {
    cols,
    rows,
    cwd: process.cwd(),
    name: "xterm-256color",
    env: childEnv(),
  });
  let all = "";
  let pendingFrame = "";
  let written: Promise<void> = Promise.resolve();
  const frameWaiters: ((frame: string) => void)[] = [];
  const changeListeners = new Set<() => void>();
  child.onData((data) => {
    all += data;
    pendingFrame += data;
    for (;;) {
      const end = pendingFrame.indexOf(END_SYNC);
      if (end < 0) break;
      const frame = pendingFrame.slice(0, end + END_SYNC.length);
      pendingFrame = pendingFrame.slice(end + END_SYNC.length);
      frameWaiters.shift()?.(frame.slice(frame.lastIndexOf(BEGIN_SYNC)));
    }
    written = new Promise<void>((resolve) =>
      term.write(data, () => {
        resolve();
        for (const l of changeListeners) l();
      }),
    );
  });
  // node-pty may report the exit before the last output (the terminal's restore sequence) has been read, and the
  // headless terminal parses what it is given asynchronously: the exit counts once the output has been quiet for a
  // moment and all of it is parsed, so that a test looks at the terminal as the program left it.
  const exited = new Promise<number>((resolve) =>
    child.onExit((e) => {
      const settle = (seen: number) => {
        setTimeout(() => {
          if (all.length !== seen) settle(all.length);
          else void written.then(() => resolve(e.exitCode));
        }, 50);
      };
      settle(all.length);
    }),
  );

  const screen = async () => {
    await written;
    const buffer = term.buffer.active;
    const lines: string[] = [];
    for (let i = 0; i < term.rows; i++) {
      lines.push(buffer.getLine(buffer.viewportY + i)?.translateToString(true, 0, term.cols) ?? "");
    }
    return lines;
  };

  const waitFor = (predicate: (s: string[]) => boolean, what: string, timeoutMs = 15_000) =>
    new Promise<string[]>((resolve, reject) => {
      let done = false;
      const check = async () => {
        if (done) return;
        const s = await screen();
        if (!done && predicate(s)) {
          done = true;
          changeListeners.delete(listener);
          clearTimeout(timer);
          resolve(s);
        }
      };
      const listener = () => void check();
      const timer = setTimeout(async () => {
        done = true;
        changeListeners.delete(listener);
        reject(new Error(`timed out waiting for ${what}; screen:\n${(await screen()).join("\n")}`));
      }, timeoutMs);
      changeListeners.add(listener);
      void check();
    });

  const app: PtyApp = {
    term,
    output: () => all,
    write: (data) => child.write(data),
    resize: (c, r) => {
      term.resize(c, r);
      child.resize(c, r);
    },
    kill: (signal) => child.kill(signal),
    screen,
    waitFor,
    waitForText: (text, timeoutMs) => waitFor((s) => s.some((l) => l.includes(text)), `"${text}"`, timeoutMs),
    nextFrame: (timeoutMs = 15_000) =>
      new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error("no frame")), timeoutMs);
        frameWaiters.push((f) => {
          clearTimeout(timer);
          resolve(f);
        });
      }),
    exited,
  };
  running.add(app);
  void exited.then(() => running.delete(app));
  return app;
}
