// dist/timoneiro.js in a real pseudo-terminal, its output interpreted by a headless xterm so that the harness can ask
// "does the screen show pod rows yet?" — with the time each frame ARRIVED, not the time xterm finished parsing it.
//
// Same approach as test/e2e/pty.ts and bench/tui-keystroke.ts (node-pty + @xterm/headless, frames delimited by the
// synchronized-output end marker ESC[?2026l); this wrapper exists because timing needs the receipt time of the chunk
// that completed the frame, which spawnApp() does not expose.
import pty from "@lydell/node-pty";
import xterm from "@xterm/headless";
import { track } from "./children.ts";

const END_SYNC = "\x1b[?2026l";

export type Screen = string[];

interface Waiter {
  predicate: (screen: Screen) => boolean;
  resolve: (at: number) => void;
}

export class UiSession {
  readonly pid: number;
  /** performance.now() just before the spawn. */
  readonly spawnedAt: number;
  readonly exited: Promise<number>;
  private readonly term: xterm.Terminal;
  private readonly child: pty.IPty;
  private readonly waiters = new Set<Waiter>();
  private readonly untrack: () => void;
  private exitCode: number | undefined;
  private tail = "";
  frames = 0;
  /** Arrival time of the last complete frame that has been parsed. */
  lastFrameAt: number | undefined;

  constructor(file: string, args: string[], cols = 160, rows = 48, env: NodeJS.ProcessEnv = process.env) {
    this.term = new xterm.Terminal({ cols, rows, allowProposedApi: true, scrollback: 0 });
    this.spawnedAt = performance.now();
    this.child = pty.spawn(file, args, {
      cols,
      rows,
      name: "xterm-256color",
      env: { ...env, FORCE_COLOR: "0" } as Record<string, string>,
    });
    this.pid = this.child.pid;
    this.untrack = track(`timoneiro UI (pid ${this.pid})`, () => this.child.kill("SIGKILL"));
    this.exited = new Promise((resolve) =>
      this.child.onExit((e) => {
        this.exitCode = e.exitCode;
        this.untrack();
        resolve(e.exitCode);
      }),
    );
    this.child.onData((data) => {
      const at = performance.now();
      // The marker may be split across chunks: look at the end of the previous chunk too.
      const seen = this.tail + data;
      const completesFrame = seen.includes(END_SYNC);
      this.tail = data.slice(-(END_SYNC.length - 1));
      if (completesFrame) this.frames++;
      this.term.write(data, () => {
        if (!completesFrame) return;
        this.lastFrameAt = at;
        this.check(at);
      });
    });
  }

  get running(): boolean {
    return this.exitCode === undefined;
  }

  /** The visible screen, one string per row, trailing spaces trimmed (as parsed so far). */
  screen(): Screen {
    const buffer = this.term.buffer.active;
    const lines: Screen = [];
    for (let i = 0; i < this.term.rows; i++) {
      lines.push(buffer.getLine(buffer.viewportY + i)?.translateToString(true) ?? "");
    }
    return lines;
  }

  /**
   * Resolves with the arrival time (performance.now()) of the first complete frame after which the screen satisfies
   * `predicate`; undefined after `timeoutMs` or when the program exits first.
   */
  waitForFrame(
    predicate: (screen: Screen) => boolean,
    timeoutMs: number,
    options: { includeCurrent?: boolean } = {},
  ): Promise<number | undefined> {
    if (options.includeCurrent && this.lastFrameAt !== undefined && predicate(this.screen())) {
      return Promise.resolve(this.lastFrameAt);
    }
    return new Promise((resolve) => {
      const waiter: Waiter = {
        predicate,
        resolve: (at) => {
          clearTimeout(timer);
          this.waiters.delete(waiter);
          resolve(at);
        },
      };
      const timer = setTimeout(() => {
        this.waiters.delete(waiter);
        resolve(undefined);
      }, timeoutMs);
      this.waiters.add(waiter);
      void this.exited.then(() => waiter.resolve(Number.NaN));
    }).then((at) => (at === undefined || Number.isNaN(at) ? undefined : (at as number)));
  }

  write(data: string): void {
    if (this.running) this.child.write(data);
  }

  /** Asks the UI to quit (q), and kills it if it has not gone within `graceMs`. */
  async quit(graceMs = 5000): Promise<number | undefined> {
    if (!this.running) return this.exitCode;
    // Esc leaves the filter or help; the pause keeps "Esc q" from reading as Alt-q.
    this.write("\x1b");
    await new Promise((resolve) => setTimeout(resolve, 150));
    this.write("q");
    const timer = setTimeout(() => this.child.kill("SIGKILL"), graceMs);
    const code = await this.exited;
    clearTimeout(timer);
    return code;
  }

  kill(): void {
    if (this.running) this.child.kill("SIGKILL");
  }

  private check(at: number): void {
    if (this.waiters.size === 0) return;
    const screen = this.screen();
    for (const waiter of [...this.waiters]) {
      if (waiter.predicate(screen)) waiter.resolve(at);
    }
  }
}

/** "Pods 1,234 of 100,000" in the title line → [shown, total]. */
export function podCounts(screen: Screen): [number, number] | undefined {
  const match = / Pods ([\d,]+) of ([\d,]+)/.exec(screen[0] ?? "");
  if (!match) return undefined;
  return [Number(match[1]?.replace(/,/g, "")), Number(match[2]?.replace(/,/g, ""))];
}

/** The first frame that counts: the pods table with at least one pod row under its header. */
export function showsPodRows(screen: Screen): boolean {
  const counts = podCounts(screen);
  return counts !== undefined && counts[0] > 0 && /NAME/.test(screen[3] ?? "") && (screen[4] ?? "").trim() !== "";
}

/** Every pod is in the UI's cache: the loading line shows "pods ✓ N" with N the expected count. */
export function showsAllPods(screen: Screen, expected: number): boolean {
  const match = /pods ✓ ([\d,]+)/.exec(screen[2] ?? "");
  return match !== null && Number(match[1]?.replace(/,/g, "")) >= expected;
}
