// view(model) → screen lines: pure, cheap (only the visible rows are formatted), testable as strings.
import type { LoadingStatus } from "../repository/types.ts";
import { humanDuration } from "../resources/format.ts";
import type { BaseRow } from "../resources/types.ts";
import { STYLE } from "../tui/ansi.ts";
import { displayWidth, ELLIPSIS, isPrintableAscii, sanitize, takeWidth } from "../tui/width.ts";
import { highlightFields, rowAt } from "./filter.ts";
import { HELP_LINES } from "./help.ts";
import { LINES_ABOVE_TABLE, type Model, pageSize } from "./model.ts";
import { ROW_STATE_STYLE } from "./row-style.ts";
import { COLUMN_GAP, layoutColumns, paintHeader, paintRow, StyledLine, type TableColumn } from "./table.ts";

export interface Segment {
  text: string;
  style: string;
}

/** Segments cut to `width` cells, with "…" where something was cut. */
export function cutSegments(segments: readonly Segment[], width: number): Segment[] {
  const out: Segment[] = [];
  let used = 0;
  for (const seg of segments) {
    const text = isPrintableAscii(seg.text) ? seg.text : sanitize(seg.text);
    const w = displayWidth(text);
    if (used + w <= width) {
      out.push({ text, style: seg.style });
      used += w;
      continue;
    }
    if (width - used >= 1) out.push({ text: takeWidth(text, width - used - 1) + ELLIPSIS, style: seg.style });
    break;
  }
  return out;
}

function segmentsWidth(segments: readonly Segment[]): number {
  return segments.reduce((w, s) => w + displayWidth(s.text), 0);
}

/** Segments on one line, cut to `width` cells. */
export function paintSegments(segments: readonly Segment[], width: number): string {
  const line = new StyledLine();
  for (const seg of cutSegments(segments, width)) line.add(seg.text, seg.style);
  return line.toString();
}

export function formatCount(n: number): string {
  return n < 1000 ? String(n) : n.toLocaleString("en-US");
}

const SPINNER = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];

export function spinnerFrame(now: number): string {
  return SPINNER[Math.floor(now / 100) % SPINNER.length] as string;
}

/** Spinners turn only while something is loading; the runtime ticks faster then. */
export function isLoading(statuses: readonly LoadingStatus[]): boolean {
  return statuses.some((s) => !s.synced && !s.error);
}

/** The namespace the repository watches, "all" for all namespaces. */
function namespaceScope(model: Model): string {
  return model.repo.namespace || "all";
}

function titleLine(model: Model): string {
  const { repo, screen, filtered, rows } = model;
  const right: Segment = {
    text: ` ${screen.title} ${formatCount(filtered.length)} of ${formatCount(rows.length)} `,
    style: STYLE.bold,
  };
  // The count matters more than the names: the names give way first.
  const left = cutSegments(
    [
      { text: " Timoneiro", style: `${STYLE.bold};${STYLE.cyan}` },
      { text: "  context ", style: STYLE.dim },
      { text: repo.contextName, style: "" },
      { text: "  cluster ", style: STYLE.dim },
      { text: repo.clusterName, style: "" },
      { text: "  namespace ", style: STYLE.dim },
      { text: namespaceScope(model), style: "" },
    ],
    Math.max(0, model.width - displayWidth(right.text)),
  );
  const gap = {
    text: " ".repeat(Math.max(0, model.width - segmentsWidth(left) - displayWidth(right.text))),
    style: "",
  };
  return paintSegments([...left, gap, right], model.width);
}

function statusSegments(s: LoadingStatus, now: number, current: boolean): Segment[] {
  const name = { text: s.resource, style: current ? STYLE.bold : "" };
  if (s.error) {
    const segments: Segment[] = [name, { text: ` ✗ ${s.error}`, style: STYLE.red }];
    if (current && s.lastContactAt) {
      segments.push({ text: ` · data from ${humanDuration(now - s.lastContactAt)} ago`, style: STYLE.yellow });
    }
    return segments;
  }
  // Not started yet: the background tier waits for pods to sync.
  if (!s.synced && s.startedAt === undefined) return [name, { text: " · queued", style: STYLE.dim }];
  if (!s.synced) return [name, { text: ` ${spinnerFrame(now)} ${formatCount(s.count)}`, style: STYLE.yellow }];
  return [name, { text: " ✓", style: STYLE.green }, { text: ` ${formatCount(s.count)}`, style: STYLE.dim }];
}

function loadingLine(model: Model): string {
  const current = model.statuses.filter((s) => s.resource === model.screen.resource);
  const others = model.statuses.filter((s) => s.resource !== model.screen.resource);
  const segments: Segment[] = [{ text: " ", style: "" }];
  for (const s of [...current, ...others]) {
    if (segments.length > 1) segments.push({ text: "   ", style: "" });
    segments.push(...statusSegments(s, model.now, s.resource === model.screen.resource));
  }
  return paintSegments(segments, model.width);
}

// Width bounds, computed once per rows array. Over at most BOUND_SAMPLE rows spread evenly: the bound only keeps
// columns from changing width while scrolling (visible rows are always measured), so a sample is enough and a data
// change at 100k rows does not cost a pass over all of them.
const boundCache = new WeakMap<readonly BaseRow[], Map<TableColumn<BaseRow>, number>>();
const BOUND_SAMPLE = 4096;

function widthBound(rows: readonly BaseRow[], column: TableColumn<BaseRow>): number {
  const measure = column.widthBound;
  if (!measure) return 0;
  let perColumn = boundCache.get(rows);
  if (!perColumn) {
    perColumn = new Map();
    boundCache.set(rows, perColumn);
  }
  let bound = perColumn.get(column);
  if (bound === undefined) {
    bound = 0;
    const stride = Math.max(1, Math.floor(rows.length / BOUND_SAMPLE));
    for (let i = 0; i < rows.length; i += stride) bound = Math.max(bound, measure(rows[i] as BaseRow));
    perColumn.set(column, bound);
  }
  return bound;
}

function emptyText(model: Model): string {
  const status = model.statuses.find((s) => s.resource === model.screen.resource);
  const what = model.screen.title.toLowerCase();
  if (model.rows.length === 0) {
    if (!status) return `${model.screen.title} are not being watched`;
    if (status.error) return `No ${what}: ${status.error}`;
    if (!status.synced) return `Loading ${what}…`;
    return `No ${what}`;
  }
  return `No ${what} match the filter`;
}

/** Column header and visible rows: exactly pageSize(model) + 1 lines. */
function tableLines(model: Model): string[] {
  const { screen, filtered, now, width } = model;
  const columns = screen.columns;
  const page = pageSize(model);
  const first = model.scroll;
  const last = Math.min(filtered.length, first + page);
  const cells: string[][] = [];
  const natural = columns.map((c) => Math.max(displayWidth(c.name), widthBound(model.rows, c)));
  for (let i = first; i < last; i++) {
    const row = rowAt(filtered, i) as BaseRow;
    const rowCells = columns.map((c) => c.cell(row, now));
    for (let c = 0; c < rowCells.length; c++) {
      const w = displayWidth(rowCells[c] as string);
      if (w > (natural[c] as number)) natural[c] = w;
    }
    cells.push(rowCells);
  }
  const { shown, widths } = layoutColumns(columns, natural, width);
  // At tiny widths even the unhideable columns may not fit: drop from the right, then cut the last one.
  while (shown.length > 1 && widths.reduce((a, b) => a + b, 0) + COLUMN_GAP * (shown.length - 1) > width) {
    shown.pop();
    widths.pop();
  }
  if (shown.length === 1) widths[0] = Math.min(widths[0] as number, width);

  const lines = [
    paintHeader(
      shown.map((c) => columns[c]?.name ?? ""),
      widths,
    ),
  ];
  const terms = filtered.terms;
  for (let i = first; i < last; i++) {
    const row = rowAt(filtered, i) as BaseRow;
    const rowCells = cells[i - first] as string[];
    let highlights: (Set<number> | undefined)[] | undefined;
    if (terms.length > 0) {
      const fields = highlightFields(screen.filterFields(row), terms);
      highlights = shown.map((c) => {
        const f = columns[c]?.filterField;
        return f === undefined ? undefined : fields[f];
      });
    }
    const paint = { base: ROW_STATE_STYLE[screen.rowState(row)], selected: i === model.cursor, highlights };
    lines.push(
      paintRow(
        shown.map((c) => rowCells[c] as string),
        widths,
        paint,
        width,
      ),
    );
  }
  if (filtered.length === 0) lines.push(paintSegments([{ text: ` ${emptyText(model)}`, style: STYLE.dim }], width));
  while (lines.length < page + 1) lines.push("");
  return lines;
}

/** Help entries as lines, before scrolling. */
export function helpEntries(width: number): string[] {
  const lines: string[] = [];
  for (const [keys, what] of HELP_LINES) {
    if (keys === "") {
      lines.push(paintSegments([{ text: ` ${what}`, style: `${STYLE.bold};${STYLE.cyan}` }], width));
      continue;
    }
    lines.push(
      paintSegments(
        [
          { text: `   ${keys.padEnd(26)}`, style: STYLE.bold },
          { text: what, style: "" },
        ],
        width,
      ),
    );
  }
  return lines;
}

/** The help in the table's place: a title line, then the entries from model.helpScroll (clamped). */
function helpLines(model: Model): string[] {
  const page = pageSize(model);
  const entries = helpEntries(model.width);
  const scroll = Math.max(0, Math.min(model.helpScroll, entries.length - page));
  const more = entries.length > page ? "  ↑↓ scroll" : "";
  const lines = [paintSegments([{ text: ` Keys (Esc or ? closes)${more}`, style: STYLE.bold }], model.width)];
  lines.push(...entries.slice(scroll, scroll + page));
  while (lines.length < page + 1) lines.push("");
  return lines;
}

const INPUT_CURSOR: Segment = { text: " ", style: STYLE.reverse };

function bottomLine(model: Model): string {
  const { width } = model;
  if (model.mode === "filter") {
    return paintSegments(
      [
        { text: "/", style: STYLE.bold },
        { text: model.filterText, style: "" },
        INPUT_CURSOR,
        { text: "   Enter keep · Esc clear · !x excludes", style: STYLE.dim },
      ],
      width,
    );
  }
  if (model.mode === "command") {
    return paintSegments(
      [{ text: ":", style: STYLE.bold }, { text: model.commandText, style: "" }, INPUT_CURSOR],
      width,
    );
  }
  if (model.message) {
    return paintSegments([{ text: ` ${model.message.text}`, style: model.message.error ? STYLE.red : "" }], width);
  }
  const hints = { text: " ? help  / filter  : command  q quit", style: STYLE.dim };
  if (model.filterText !== "") {
    return paintSegments(
      [
        { text: " filter ", style: STYLE.dim },
        { text: model.filterText, style: STYLE.bold },
        { text: "  Esc clears ·", style: STYLE.dim },
        hints,
      ],
      width,
    );
  }
  return paintSegments([hints], width);
}

/** The whole screen: exactly `height` lines, each at most `width` cells. */
export function view(model: Model): string[] {
  if (model.height <= 0 || model.width <= 0) return [];
  const lines = [titleLine(model), loadingLine(model)];
  lines.push(...(model.mode === "help" ? helpLines(model) : tableLines(model)));
  lines.length = Math.max(LINES_ABOVE_TABLE, model.height - 1);
  for (let i = 0; i < lines.length; i++) lines[i] ??= "";
  lines.push(bottomLine(model));
  return lines.slice(-model.height);
}
