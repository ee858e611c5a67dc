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
    for (let row = 0; row < this.height; row++) {
      const line = lines[row] ?? "";
      next[row] = line;
      const before = this.repaintAll ? undefined : this.previous[row];
      if (before === line) continue;
      out += (before === undefined ? undefined : rewriteTail(before, line, row + 1)) ?? moveTo(row + 1) + line;
      // A line that fills the last column leaves the cursor in the pending-wrap state, where erase-to-end would
      // erase the last character; such a line has nothing to erase anyway.
      if (line === "" || visibleWidth(line) < this.width) out += ERASE_LINE_RIGHT;
      written++;
    }
    this.previous = next;
    this.repaintAll = false;
    this.stats.linesWritten = written;
    if (written === 0) {
      this.stats.bytes = 0;
      return "";
    }
    out = BEGIN_SYNC + out + END_SYNC;
    this.stats.bytes = Buffer.byteLength(out);
    return out;
  }
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
