// Line-diff renderer: a frame is an array of screen lines (text with SGR styles); only lines that differ from the
// previous frame are written, each as cursor-position + content + erase-to-end-of-line, and the whole frame is wrapped
// in synchronized-output markers. No screen clears per frame, so nothing flickers and nothing reaches scrollback.
import { BEGIN_SYNC, END_SYNC, ERASE_LINE_RIGHT, moveTo, RESET_STYLE } from "./ansi.ts";
import { visibleWidth } from "./width.ts";

export interface FrameStats {
  /** Lines rewritten in the last frame. */
  linesWritten: number;
  /** UTF-8 bytes of the last frame, 0 when nothing changed. */
  bytes: number;
}

export class Renderer {
  private previous: string[] = [];
  private repaintAll = true;
  private width: number;
  private height: number;
  readonly stats: FrameStats = { linesWritten: 0, bytes: 0 };

  constructor(width: number, height: number) {
    this.width = width;
    this.height = height;
  }

  get columns(): number {
    return this.width;
  }

  get rows(): number {
    return this.height;
  }

  /** New terminal size: the next frame repaints every line once. */
  resize(width: number, height: number): void {
    this.width = width;
    this.height = height;
    this.invalidate();
  }

  /** Forget what is on screen (after a resize, or when something else may have written to the terminal). */
  invalidate(): void {
    this.repaintAll = true;
    this.previous = [];
  }

  /**
   * The bytes that turn the previous frame into `lines` ("" when nothing changed). Lines must already fit the width
   * (the view truncates them) and end with their styles reset. Lines past the screen height are ignored; missing
   * lines are blank.
   */
  frame(lines: readonly string[]): string {
    let out = "";
    let written = 0;
    const next: string[] = new Array(this.height);
    for (let row = 0; row < this.height; row++) next[row] = lines[row] ?? "";
    let previous: (string | undefined)[] = this.repaintAll ? [] : this.previous;
    // Rows that moved up or down together (pods created or deleted above the cursor, scrolling by a line) are moved
    // by the terminal inside a scroll region instead of being written again.
    const shift = this.repaintAll ? null : findShift(previous, next);
    if (shift) {
      out += shift.bytes;
      previous = shift.screen;
    }
    for (let row = 0; row < this.height; row++) {
      const line = next[row] as string;
      const before = previous[row];
      if (before === line) continue;
      out += (before ? rewriteTail(before, line, row + 1) : undefined) ?? moveTo(row + 1) + line;
      // A line that fills the last column leaves the cursor in the pending-wrap state, where erase-to-end would
      // erase the last character; such a line has nothing to erase anyway.
      if (line === "" || visibleWidth(line) < this.width) out += ERASE_LINE_RIGHT;
      written++;
    }
    this.previous = next;
    this.repaintAll = false;
    this.stats.linesWritten = written;
    if (written === 0 && !shift) {
      this.stats.bytes = 0;
      return "";
    }
    out = BEGIN_SYNC + out + END_SYNC;
    this.stats.bytes = Buffer.byteLength(out);
    return out;
  }
}

/** Largest move, in rows, looked for between frames. */
const MAX_SHIFT = 8;
/** A move must save at least this many bytes over rewriting the rows. */
const MIN_SHIFT_SAVING = 64;

interface Shift {
  /** Scroll-region commands that move the rows on the terminal. */
  bytes: string;
  /** What the screen holds after the move (moved-in rows blank). */
  screen: string[];
}

/**
 * The most profitable vertical move of a contiguous band of rows from `before` to `after`, if any: for a move by k,
 * the longest run of rows r with after[r] === before[r - k] that are not already in place.
 */
export function findShift(before: readonly (string | undefined)[], after: readonly string[]): Shift | null {
  const height = after.length;
  let best: { k: number; from: number; to: number; saving: number } | null = null;
  for (let k = -MAX_SHIFT; k <= MAX_SHIFT; k++) {
    if (k === 0) continue;
    let runStart = -1;
    let saving = 0;
    const close = (end: number) => {
      if (runStart >= 0 && (!best || saving > best.saving)) best = { k, from: runStart, to: end, saving };
      runStart = -1;
      saving = 0;
    };
    for (let r = Math.max(0, k); r < Math.min(height, height + k); r++) {
      const line = after[r] as string;
      if (before[r - k] === line) {
        if (runStart < 0) runStart = r;
        if (before[r] !== line) saving += line.length;
      } else {
        close(r - 1);
      }
    }
    close(Math.min(height, height + k) - 1);
  }
  const found = best as { k: number; from: number; to: number; saving: number } | null;
  if (!found || found.saving < MIN_SHIFT_SAVING) return null;
  const { k, from, to } = found;
  const screen = before.map((l) => l ?? "");
  let bytes: string;
  if (k > 0) {
    // Rows [from-k, to-k] move down to [from, to]: insert k lines at the top of region [from-k, to].
    bytes = `\x1b[${from - k + 1};${to + 1}r\x1b[${from - k + 1};1H\x1b[${k}L\x1b[r`;
    for (let r = to; r >= from; r--) screen[r] = before[r - k] ?? "";
    for (let r = from - k; r < from; r++) screen[r] = "";
  } else {
    const n = -k;
    // Rows [from+n, to+n] move up to [from, to]: delete n lines at the top of region [from, to+n].
    bytes = `\x1b[${from + 1};${to + n + 1}r\x1b[${from + 1};1H\x1b[${n}M\x1b[r`;
    for (let r = from; r <= to; r++) screen[r] = before[r + n] ?? "";
    for (let r = to + 1; r <= to + n; r++) screen[r] = "";
  }
  return { bytes, screen };
}

/** Don't bother with a partial rewrite that saves fewer bytes than this. */
const MIN_SAVING = 16;

/**
 * Bytes that turn `before` into `line` on screen row `row` by rewriting only from the first difference on (AGE
 * ticking at the end of a row costs a few bytes instead of the whole row), or undefined when the whole line should
 * be written. Only for prefixes of printable ASCII and SGR sequences, where text length equals display width; our
 * SGR sequences always start with a reset, so the last one in the prefix is the complete style to resume with.
 */
function rewriteTail(before: string, line: string, row: number): string | undefined {
  const max = Math.min(before.length, line.length);
  let p = 0;
  while (p < max && before.charCodeAt(p) === line.charCodeAt(p)) p++;
  if (p < MIN_SAVING) return undefined;
  // Walk the common prefix: count visible columns, remember the last style, and make sure p is not inside an
  // escape sequence (if it is, resume at that sequence's start).
  let column = 0;
  let style = "";
  let i = 0;
  while (i < p) {
    const c = line.charCodeAt(i);
    if (c === 0x1b) {
      let end = i + 2;
      while (end < line.length && (line.charCodeAt(end) < 0x40 || line.charCodeAt(end) > 0x7e)) end++;
      if (end >= p) {
        p = i;
        break;
      }
      style = line.slice(i, end + 1);
      i = end + 1;
      continue;
    }
    if (c < 0x20 || c > 0x7e) return undefined;
    column++;
    i++;
  }
  const next = line.charCodeAt(p);
  if (p < line.length && (next < 0x20 || next > 0x7e) && next !== 0x1b) return undefined;
  if (p < MIN_SAVING) return undefined;
  const resume = style === "" || style === RESET_STYLE ? "" : style;
  return `\x1b[${row};${column + 1}H${resume}${line.slice(p)}`;
}
