// Table layout and row painting, shared by every resource screen: which columns fit the terminal, how wide each is,
// and the styled text of one row. Everything here is O(visible rows × columns); nothing scans the whole list.
import { RESET_STYLE, sgr } from "../tui/ansi.ts";
import { displayWidth, ELLIPSIS, isPrintableAscii, padEnd, sanitize, truncate } from "../tui/width.ts";
import { THEME } from "./theme.ts";

export interface TableColumn<Row> {
  /** Header as kubectl prints it ("READY"). */
  name: string;
  cell(row: Row, now: number): string;
  /**
   * 0: never hidden. Otherwise, when the terminal is too narrow, the column with the highest number hides first (the
   * rightmost of equals first).
   */
  hideOrder: number;
  /** The column that gives up width when space is short, truncating its text with "…" (NAME). */
  flex?: boolean;
  /** A cheap upper bound of this cell's width (e.g. string length), taken over all rows once per rows array so the
   * column does not change width while scrolling. Cells still measure their real width on screen. */
  widthBound?: (row: Row) => number;
  /** Position of this column's text among the screen's filter fields, for highlighting matches. */
  filterField?: number;
}

export const COLUMN_GAP = 2;
/** The flex column (NAME) keeps this many cells (or its natural width if less) before lower-priority columns hide:
 * a whole pod name matters more than its node or IP. */
export const FLEX_MIN_WIDTH = 40;
/** ...and never goes below this even when nothing else can hide. */
export const FLEX_HARD_MIN = 6;

export interface Layout {
  /** Indices of the shown columns, in display order. */
  shown: number[];
  /** Width of each shown column. */
  widths: number[];
}

/**
 * Which columns fit in `width` cells. Columns hide in order of decreasing hideOrder until the table fits with the flex
 * column at FLEX_MIN_WIDTH (or its natural width if smaller); hidden columns that fit in the room left come back; the
 * flex column then takes what is left, up to natural.
 */
export function layoutColumns(
  columns: readonly Pick<TableColumn<unknown>, "hideOrder" | "flex">[],
  natural: readonly number[],
  width: number,
): Layout {
  const shown = columns.map((_, i) => i);
  const minOf = (i: number) => {
    const n = natural[i] ?? 0;
    return columns[i]?.flex ? Math.min(n, FLEX_MIN_WIDTH) : n;
  };
  const sum = (width: (i: number) => number) =>
    shown.reduce((total, i) => total + width(i), 0) + COLUMN_GAP * Math.max(0, shown.length - 1);
  const needed = () => sum(minOf);
  while (needed() > width) {
    // The highest hideOrder goes; among equals the rightmost, so that CPU is not dropped while MEM, right of it, stays.
    let victim = -1;
    for (const i of shown) {
      const order = columns[i]?.hideOrder ?? 0;
      if (order > 0 && (victim < 0 || order >= (columns[victim]?.hideOrder ?? 0))) victim = i;
    }
    if (victim < 0) break;
    shown.splice(shown.indexOf(victim), 1);
  }
  // A wide column that went (NODE) may leave room for narrower ones that went before it (CPU, MEM): they come back,
  // the last to go first, in their places, into room that is free with the flex column at its natural width (they
  // must not cut a name that would have shown whole).
  if (shown.length < columns.length) {
    const hidden = columns
      .map((_, i) => i)
      .filter((i) => !shown.includes(i))
      .sort((a, b) => (columns[a]?.hideOrder ?? 0) - (columns[b]?.hideOrder ?? 0) || a - b);
    for (const i of hidden) {
      const at = shown.findIndex((j) => j > i);
      shown.splice(at < 0 ? shown.length : at, 0, i);
      if (sum((j) => natural[j] ?? 0) > width) shown.splice(shown.indexOf(i), 1);
    }
  }
  const fixed = shown.reduce((sum, i) => sum + (columns[i]?.flex ? 0 : (natural[i] ?? 0)), 0);
  const gaps = COLUMN_GAP * Math.max(0, shown.length - 1);
  const widths = shown.map((i) => {
    const n = natural[i] ?? 0;
    if (!columns[i]?.flex) return n;
    return Math.max(Math.min(n, width - fixed - gaps), Math.min(n, FLEX_HARD_MIN));
  });
  return { shown, widths };
}

/** Styles of one row: base SGR codes ("" plain), reverse when selected, and which characters of which cells match. */
export interface RowPaint {
  base: string;
  selected: boolean;
  /** Marked with Space: an action applies to it. */
  marked?: boolean;
  /** Per shown column: positions (UTF-16 indices into the cell text) to highlight. */
  highlights?: readonly (ReadonlySet<number> | undefined)[];
}

/** Builds an SGR-styled line, switching styles only where they change. */
export class StyledLine {
  private out = "";
  private current = "";

  add(text: string, style: string): this {
    if (text === "") return this;
    if (style !== this.current) {
      this.out += sgr(style);
      this.current = style;
    }
    this.out += text;
    return this;
  }

  toString(): string {
    return this.current === "" ? this.out : this.out + RESET_STYLE;
  }
}

/** Two SGR parameter lists as one ("" is no style). */
export function join(a: string, b: string): string {
  return a === "" ? b : b === "" ? a : `${a};${b}`;
}

/**
 * One table row: cells truncated to their widths, separated by gaps; the selected row is padded to the full
 * `lineWidth` so its reverse video spans the screen.
 */
export function paintRow(
  cells: readonly string[],
  widths: readonly number[],
  paint: RowPaint,
  lineWidth: number,
): string {
  const own = paint.marked ? join(paint.base, THEME.marked) : paint.base;
  const base = paint.selected ? join(own, THEME.selected) : own;
  // On a coloured row the match keeps the row's colour (default: bold + underline); plain rows also get a colour
  // (default green, like fzf's highlight).
  const hl = join(base, paint.base === THEME.row ? THEME.match : THEME.matchOnColor);
  const line = new StyledLine();
  let used = 0;
  for (let c = 0; c < cells.length; c++) {
    const w = widths[c] ?? 0;
    const raw = cells[c] ?? "";
    const text = isPrintableAscii(raw) ? raw : sanitize(raw);
    const shown = truncate(text, w);
    const last = c === cells.length - 1;
    const positions = paint.highlights?.[c];
    if (positions && positions.size > 0) {
      // Characters kept from the original text (the rest was replaced by "…").
      const kept = shown.length === text.length ? text.length : shown.length - ELLIPSIS.length;
      let start = 0;
      for (let i = 1; i <= kept; i++) {
        if (i === kept || positions.has(i) !== positions.has(start)) {
          line.add(text.slice(start, i), positions.has(start) ? hl : base);
          start = i;
        }
      }
      if (kept < shown.length) line.add(ELLIPSIS, base);
    } else {
      line.add(shown, base);
    }
    const width = displayWidth(shown);
    used += width;
    if (!last) {
      line.add(" ".repeat(w - width + COLUMN_GAP), base);
      used += w - width + COLUMN_GAP;
    }
  }
  if (paint.selected && used < lineWidth) line.add(" ".repeat(lineWidth - used), base);
  return line.toString();
}

/** A row's last painted line and everything it was painted from. */
interface PaintedLine {
  style: string;
  selected: boolean;
  lineWidth: number;
  widths: readonly number[];
  cells: readonly string[];
  line: string;
}

// Keyed by the row object: rows are immutable (a change is a new object), so an entry is never stale for its key,
// and it goes with the row.
const painted = new WeakMap<object, PaintedLine>();

/** Same length and the same items (===): what the table's caches (painted lines, cells, search text) compare. */
export const sameItems = (a: readonly unknown[], b: readonly unknown[]): boolean => {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
};

/**
 * paintRow for `row`, reusing the line painted for it last time when its cells, widths and styles are the same. Under
 * churn most frames repaint rows that did not change (the events touch rows off screen), and painting is most of what
 * a frame costs. Lines with filter highlights are painted afresh.
 */
export function paintRowOf(
  row: object,
  cells: readonly string[],
  widths: readonly number[],
  paint: RowPaint,
  lineWidth: number,
): string {
  if (paint.highlights) return paintRow(cells, widths, paint, lineWidth);
  const own = paint.marked ? join(paint.base, THEME.marked) : paint.base;
  const style = paint.selected ? join(own, THEME.selected) : own;
  const last = painted.get(row);
  if (
    last &&
    last.style === style &&
    last.selected === paint.selected &&
    last.lineWidth === lineWidth &&
    sameItems(last.widths, widths) &&
    sameItems(last.cells, cells)
  ) {
    return last.line;
  }
  const line = paintRow(cells, widths, paint, lineWidth);
  painted.set(row, { style, selected: paint.selected, lineWidth, widths, cells, line });
  return line;
}

/** Header line: column names padded like the cells, bold. */
export function paintHeader(names: readonly string[], widths: readonly number[]): string {
  let text = "";
  for (let c = 0; c < names.length; c++) {
    const name = truncate(names[c] ?? "", widths[c] ?? 0);
    text += c === names.length - 1 ? name : padEnd(name, (widths[c] ?? 0) + COLUMN_GAP);
  }
  return new StyledLine().add(text, THEME.header).toString();
}

/** A layout that may scroll sideways: what is shown from `offset`, and whether there is more to either side. */
export interface ScrollLayout extends Layout {
  /** The offset in effect (the one asked for, clamped). */
  offset: number;
  /** The largest useful offset; 0 when every column fits (no sideways scrolling). */
  maxOffset: number;
  left: boolean;
  right: boolean;
}

/** Cells kept at the right end of the header for the ◀▶ marks when the table scrolls sideways. */
export const SCROLL_MARK_WIDTH = 2;

/**
 * Sideways scrolling over columns that do not all fit. Offset 0 is layoutColumns (low-priority columns hidden); at
 * offset k the flex column (NAME) stays pinned on the left and the others follow in order from the k-th, as many as
 * fit. Scrolling stops once the last column shows. O(columns).
 */
export function scrollLayout(
  columns: readonly Pick<TableColumn<unknown>, "hideOrder" | "flex">[],
  natural: readonly number[],
  width: number,
  offset: number,
): ScrollLayout {
  const all = layoutColumns(columns, natural, width);
  // Too narrow for the marks to help: as layoutColumns alone.
  if (all.shown.length === columns.length || columns.length < 2 || width < 16) {
    return { ...all, offset: 0, maxOffset: 0, left: false, right: false };
  }
  const avail = Math.max(1, width - SCROLL_MARK_WIDTH);
  const flexAt = columns.findIndex((c) => c.flex);
  const pinned = Math.max(flexAt, 0);
  const strip = columns.map((_, i) => i).filter((i) => i !== pinned);
  const pinNatural = natural[pinned] ?? 0;
  const pinMin = Math.min(pinNatural, FLEX_MIN_WIDTH);
  // The first offset from which the rest of the strip fits.
  let tail = 0;
  let maxOffset = strip.length - 1;
  for (let k = strip.length - 1; k >= 0; k--) {
    tail += (natural[strip[k] as number] ?? 0) + COLUMN_GAP;
    if (pinMin + tail > avail) break;
    maxOffset = k;
  }
  maxOffset = Math.max(1, maxOffset);
  const at = Math.max(0, Math.min(offset, maxOffset));
  if (at === 0) {
    const first = layoutColumns(columns, natural, avail);
    return { ...first, offset: 0, maxOffset, left: false, right: true };
  }
  const shown = [pinned];
  const widths = [pinMin];
  let used = pinMin;
  let lastShown = at - 1;
  for (let k = at; k < strip.length; k++) {
    const i = strip[k] as number;
    const w = natural[i] ?? 0;
    const room = avail - used - COLUMN_GAP;
    if (w > room) {
      // The first column after NAME always shows, cut if need be.
      if (k === at && room > 0) {
        shown.push(i);
        widths.push(room);
        used += COLUMN_GAP + room;
        lastShown = k;
      }
      break;
    }
    shown.push(i);
    widths.push(w);
    used += COLUMN_GAP + w;
    lastShown = k;
  }
  // What is left widens NAME up to its natural width.
  widths[0] = Math.min(pinNatural, pinMin + Math.max(0, avail - used));
  return { shown, widths, offset: at, maxOffset, left: true, right: lastShown < strip.length - 1 };
}
