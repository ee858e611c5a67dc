// Line-diff renderer: a frame is an array of screen lines (text with SGR styles); only lines that differ from the
// previous frame are written, each as cursor-position + content + erase-to-end-of-line, and the whole frame is wrapped
// in synchronized-output markers. No screen clears per frame, so nothing flickers and nothing reaches scrollback.
import { BEGIN_SYNC, END_SYNC, ERASE_LINE_RIGHT, moveTo } from "./ansi.ts";
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
      if (!this.repaintAll && this.previous[row] === line) continue;
      out += moveTo(row + 1) + line;
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
