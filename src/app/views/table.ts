// The table view: the rows of one kind (or of a drill-down: a deployment's pods, a node's pods), with the `/` filter,
// sorting, a cursor that follows its row while the list changes, and Enter to drill down.
import { rowKey } from "../../kube/row.ts";
import { type RowList, rowArray } from "../../kube/sorted-rows.ts";
import { cellText } from "../../kube/table.ts";
import type { RowQuery } from "../../repository/types.ts";
import type { BaseRow } from "../../resources/types.ts";
import { stripAnsi } from "../../tui/ansi.ts";
import { displayWidth, isPrintableAscii, sanitize } from "../../tui/width.ts";
import { triggerRequest } from "../actions.ts";
import { type Binding, keys } from "../bindings.ts";
import {
  type FilteredRows,
  filterRows,
  highlightFields,
  rowAt,
  shownAt,
  sourcePosition,
  unfiltered,
} from "../filter.ts";
import { formatCount, paintSegments, type Segment } from "../paint.ts";
import { podsOf } from "../pod-queries.ts";
import { portForwardBindings } from "../port-forward-keys.ts";
import { NAMESPACE_COLUMN, type Presentation, type PresentedColumn, presentationFor } from "../presentation.ts";
import { ROW_STATE_STYLE } from "../row-style.ts";
import { type Sort, sortRows } from "../sort.ts";
import {
  COLUMN_GAP,
  paintHeader,
  paintRowOf,
  SCROLL_MARK_WIDTH,
  type ScrollLayout,
  sameItems,
  scrollLayout,
} from "../table.ts";
import { terminalBindings } from "../terminal-keys.ts";
import { editBindings, inputSegments, insertText, pasteInto, type TextInput } from "../text-input.ts";
import { THEME } from "../theme.ts";
import { DescribeView } from "./describe.ts";
import { LogsView } from "./logs.ts";
import { actionBindings } from "./table-actions.ts";
import type { Action, View, ViewContext, ViewMsg, ViewResult } from "./view.ts";
import { YamlView } from "./yaml.ts";

/** Where a table's rows come from. */
export interface TableSource {
  /** Identity (a kind key for `:` views, a drill-down path otherwise). */
  id: string;
  /** The breadcrumb while on top: "pods", "deployments". */
  crumb: string;
  /** The kind's short name, for the breadcrumb once a row was opened: "deploy" in "deploy/api". */
  short: string;
  /** The kind shown ("pods", "jobs.batch"). */
  kind: string;
  /** Fixed namespace (drill-down into one object's children); otherwise the view follows the user's scope. */
  namespace?: string;
  /** The query for the rows; drill-downs compute owners from other rows, so it is asked again at every change. */
  query(ctx: ViewContext): RowQuery;
  /** Other informers the query needs (a deployment's replicasets). */
  extraHolds?(ctx: ViewContext): RowQuery[];
  /** "Pods of deploy/api": overrides the presentation's title in the header. */
  title?: string;
}

/** What Enter does on a row: open a view, or say why it cannot; `label` says it in the help. */
export interface DrillFn {
  (source: TableSource, row: BaseRow, ctx: ViewContext): Action[];
  label(kind: string): string;
}

interface TableState {
  readonly source: TableSource;
  readonly drill: DrillFn | undefined;
  /** Snapshot of the rows (sorted) at the last data change: read by position, never gathered while not needed. */
  readonly rows: RowList<BaseRow>;
  /** The repository's array the snapshot was made from: a data message with the same array changes nothing. */
  readonly sourceRows: RowList<BaseRow> | null;
  readonly presentation: Presentation | undefined;
  readonly filterText: string;
  /** Where the filter's cursor is in filterText (see text-input.ts). */
  readonly filterCursor: number;
  readonly filtering: boolean;
  readonly filtered: FilteredRows<BaseRow>;
  readonly cursor: number;
  readonly cursorKey: string | null;
  readonly scroll: number;
  readonly sort: Sort | null;
  /** The column Shift-←/→ picked for Shift-O, by index among the presentation's columns. */
  readonly picked: number | null;
  /** The scope the rows were taken for. */
  readonly namespace: string | undefined;
  /**
   * The filtered result the column width bounds are taken from, and when: under churn they follow the rows at most
   * every BOUNDS_EVERY_MS (a pass over thousands of rows per data frame cost more than the rest of the frame; once a
   * second it was still a third of the frames' time at 100k pods), and at once when the filter changes. The visible
   * rows are always measured, so a wider cell on screen widens its column at once.
   */
  readonly boundsOf: FilteredRows<BaseRow>;
  readonly boundsAt: number;
  /** Ctrl-W: the `-o wide` columns are shown (when they fit). */
  readonly wide: boolean;
  /** ←/→: how many columns the table is scrolled sideways (see scrollLayout). */
  readonly hscroll: number;
  /**
   * Rows marked with Space, by uid: actions apply to them instead of the selected row. By uid, so that an object
   * deleted and created again under the same name is not marked.
   */
  readonly marks: ReadonlySet<string>;
  /** The row Space last marked: Ctrl-Space marks from it to the cursor. */
  readonly markAnchor: string | null;
  /**
   * The user has not moved the cursor yet: it stays on the first row while the list loads (later pages bring rows that
   * sort above the first page's), instead of following whichever row happened to be first.
   */
  readonly atTop: boolean;
}

const BOUNDS_EVERY_MS = 5000;

/** What body() paints: the shown columns (indices into the presentation's), the visible rows' cells, the layout. */
interface Grid {
  indices: number[];
  columns: PresentedColumn<BaseRow>[];
  cells: string[][];
  first: number;
  last: number;
  layout: ScrollLayout;
}

export { rowKey };

/** How far around its old index a row is looked for before scanning the whole list. */
const NEAR = 32;

/** Index of the row with `key` in `filtered`, looking near `hint` first (rows rarely move far), or -1. */
export function findRow(filtered: FilteredRows<BaseRow>, key: string, hint: number): number {
  const slash = key.indexOf("/");
  const namespace = slash < 0 ? "" : key.slice(0, slash);
  const name = slash < 0 ? key : key.slice(slash + 1);
  const at = (i: number) => {
    const row = rowAt(filtered, i);
    return row !== undefined && row.name === name && row.namespace === namespace;
  };
  for (let d = 0; d <= NEAR; d++) {
    if (at(hint + d)) return hint + d;
    if (d > 0 && hint - d >= 0 && at(hint - d)) return hint - d;
  }
  for (let i = 0; i < filtered.length; i++) {
    const row = rowAt(filtered, i) as BaseRow;
    if (row.name === name && row.namespace === namespace) return i;
  }
  return -1;
}

// Width bounds, computed once per filtered result: over at most BOUND_SAMPLE rows spread evenly. The bound keeps
// columns from changing width while scrolling (visible rows are always measured); it is taken over the rows the
// filter leaves, so a long name that no longer shows does not keep NAME wide. Each filter key and each refresh under
// churn takes a new sample: reading a row costs a cache miss at 100k rows, so 1,024 (about 0.3 ms a column).
const boundCache = new WeakMap<FilteredRows<BaseRow>, Map<number, number>>();
const BOUND_SAMPLE = 1024;

function widthBound(filtered: FilteredRows<BaseRow>, index: number, measure: ((row: BaseRow) => number) | undefined) {
  if (!measure) return 0;
  let perColumn = boundCache.get(filtered);
  if (!perColumn) {
    perColumn = new Map();
    boundCache.set(filtered, perColumn);
  }
  let bound = perColumn.get(index);
  if (bound === undefined) {
    bound = 0;
    const stride = Math.max(1, Math.floor(filtered.length / BOUND_SAMPLE));
    for (let i = 0; i < filtered.length; i += stride) bound = Math.max(bound, measure(rowAt(filtered, i) as BaseRow));
    perColumn.set(index, bound);
  }
  return bound;
}

/** A cell as drawn: as kubectl prints a multi-line value (up to its first line break, then "..."), controls replaced. */
const clean = (text: string) => (isPrintableAscii(text) ? text : sanitize(cellText(text)));

/** A row's cells as last drawn, with their widths, and what they were drawn from. */
interface DrawnCells {
  columns: readonly PresentedColumn<BaseRow>[];
  now: number;
  cells: string[];
  widths: number[];
}

// Keyed by the row object (a change is a new object): between two seconds a row on screen keeps its cells.
const drawnCells = new WeakMap<BaseRow, DrawnCells>();

/** The row's cells in `columns` at `now` (measured as drawn: control characters replaced first), and their widths. */
function cellsOf(row: BaseRow, columns: readonly PresentedColumn<BaseRow>[], now: number): DrawnCells {
  const last = drawnCells.get(row);
  if (last && last.now === now && sameItems(last.columns, columns)) return last;
  const cells = columns.map((c) => clean(c.cell(row, now)));
  const drawn = { columns, now, cells, widths: cells.map(displayWidth) };
  drawnCells.set(row, drawn);
  return drawn;
}

export class TableView implements View {
  readonly id: string;
  readonly crumb: string;
  private readonly s: TableState;

  private constructor(state: TableState) {
    this.s = state;
    this.id = state.source.id;
    this.crumb = state.source.crumb;
  }

  /** A new table view, with its rows read at once so the first frame already shows them. */
  static open(source: TableSource, ctx: ViewContext, drill?: DrillFn): TableView {
    const view = new TableView({
      source,
      drill,
      rows: [],
      sourceRows: null,
      presentation: undefined,
      filterText: "",
      filterCursor: 0,
      filtering: false,
      filtered: unfiltered([]),
      cursor: 0,
      cursorKey: null,
      scroll: 0,
      sort: null,
      picked: null,
      namespace: ctx.namespace,
      boundsOf: unfiltered([]),
      boundsAt: Number.NEGATIVE_INFINITY,
      wide: true,
      hscroll: 0,
      marks: new Set(),
      markAnchor: null,
      atTop: true,
    });
    return view.refresh(ctx);
  }

  // Read-only accessors for the root and for tests.
  get source(): TableSource {
    return this.s.source;
  }
  get cursor(): number {
    return this.s.cursor;
  }
  get cursorKey(): string | null {
    return this.s.cursorKey;
  }
  get scroll(): number {
    return this.s.scroll;
  }
  get filterText(): string {
    return this.s.filterText;
  }
  get filtering(): boolean {
    return this.s.filtering;
  }
  get filtered(): FilteredRows<BaseRow> {
    return this.s.filtered;
  }
  /** The rows in the table's order (before the filter). */
  get rows(): RowList<BaseRow> {
    return this.s.rows;
  }
  get sort(): Sort | null {
    return this.s.sort;
  }
  get presentation(): Presentation | undefined {
    return this.s.presentation;
  }
  /** The selected row, if any. */
  get selected(): BaseRow | undefined {
    return rowAt(this.s.filtered, this.s.cursor);
  }
  /** A drill-down shows one object's children in its namespace; `:` views follow the user's scope. */
  get followsScope(): boolean {
    return this.s.source.namespace === undefined;
  }

  private with(change: Partial<TableState>): TableView {
    return new TableView({ ...this.s, ...change });
  }

  capturesInput(): boolean {
    return this.s.filtering;
  }

  trailCrumb(): string {
    const row = this.selected;
    return row ? `${this.s.source.short}/${row.name}` : this.crumb;
  }

  /**
   * A kept `/-l app=web` filter: a label selector, served by the server (an informer with that labelSelector, as a
   * service's pods are). Applied once kept with Enter, so that typing it does not start an informer per keystroke.
   */
  get labelSelector(): string | undefined {
    if (this.s.filtering) return undefined;
    return /^\s*-l\s+(\S.*)$/.exec(this.s.filterText)?.[1]?.trim();
  }

  /** The source's query, narrowed by a kept label selector. */
  private query(ctx: ViewContext): RowQuery {
    const q = this.s.source.query(ctx);
    const selector = this.labelSelector;
    if (!selector) return q;
    return { ...q, labelSelector: q.labelSelector ? `${q.labelSelector},${selector}` : selector };
  }

  holds(ctx: ViewContext): readonly RowQuery[] {
    const main = this.query(ctx);
    return [...(this.s.source.extraHolds?.(ctx) ?? []), main];
  }

  statusKinds(): readonly string[] {
    return [this.s.source.kind];
  }

  /** New snapshot: the filter is re-applied and the cursor follows its row. */
  refresh(ctx: ViewContext): TableView {
    const presentation = presentationFor(ctx.repo, this.s.source.kind);
    const sourceRows = ctx.repo.list(this.query(ctx));
    if (
      sourceRows === this.s.sourceRows &&
      presentation === this.s.presentation &&
      ctx.namespace === this.s.namespace
    ) {
      return this;
    }
    const rows = presentation ? sortRows(sourceRows, presentation.columns, this.s.sort) : sourceRows;
    const filtered = this.applyFilter(presentation, rows, this.s.filterText);
    const fresh =
      presentation !== this.s.presentation ||
      ctx.namespace !== this.s.namespace ||
      ctx.now - this.s.boundsAt >= BOUNDS_EVERY_MS ||
      this.s.boundsOf.length === 0;
    const bounds = fresh ? { boundsOf: filtered, boundsAt: ctx.now } : {};
    // Marks of rows that went away (deleted) go with them; O(rows), only while something is marked.
    const marks =
      this.s.marks.size === 0
        ? this.s.marks
        : new Set(
            rowArray(rows)
              .filter((r) => this.s.marks.has(r.uid))
              .map((r) => r.uid),
          );
    return this.with({
      presentation,
      sourceRows,
      rows,
      filtered,
      namespace: ctx.namespace,
      marks,
      ...bounds,
    }).followCursor(this.s.cursor, ctx);
  }

  private applyFilter(
    presentation: Presentation | undefined,
    rows: RowList<BaseRow>,
    text: string,
    prev?: FilteredRows<BaseRow>,
  ): FilteredRows<BaseRow> {
    if (!presentation) return unfiltered(rows);
    // `-l selector` is not text to look for: the server does that filtering (see labelSelector).
    if (/^\s*-l(\s|$)/.test(text)) return unfiltered(rows);
    // No filter: the rows as they are, without gathering them into one array.
    if (text.trim() === "") return { ...unfiltered(rows), query: text };
    return filterRows(rows, text, presentation.haystacks, prev);
  }

  /** The cursor stays on its row (by namespace/name) wherever it moved; if the row is gone, on the one in its place. */
  private followCursor(previousIndex: number, ctx: ViewContext): TableView {
    if (this.s.atTop) return this.setCursor(0, ctx, 0);
    let cursor = this.s.cursorKey === null ? previousIndex : findRow(this.s.filtered, this.s.cursorKey, previousIndex);
    if (cursor < 0) cursor = previousIndex;
    return this.setCursor(cursor, ctx);
  }

  private setCursor(index: number, ctx: ViewContext, scroll = this.s.scroll): TableView {
    const last = this.s.filtered.length - 1;
    const cursor = Math.max(0, Math.min(index, last));
    const row = rowAt(this.s.filtered, cursor);
    const page = this.page(ctx);
    let top = scroll;
    if (cursor < top) top = cursor;
    if (cursor >= top + page) top = cursor - page + 1;
    top = Math.max(0, Math.min(top, this.s.filtered.length - page));
    return this.with({ cursor, cursorKey: row ? rowKey(row) : null, scroll: top });
  }

  /** Table rows on screen: the body less the column header. */
  private page(ctx: ViewContext): number {
    return Math.max(1, ctx.height - 1);
  }

  /** The view with `text` as its kept filter (a `:pods /CrashLoop` command). */
  withFilter(text: string, ctx: ViewContext): TableView {
    return this.setFilter(text, ctx).with({ filtering: false }).refresh(ctx);
  }

  /** The filter as edited: its text and its cursor. */
  get filterInput(): TextInput {
    return { text: this.s.filterText, cursor: Math.min(this.s.filterCursor, this.s.filterText.length) };
  }

  /** The filter was edited: a new text filters again, a cursor move only moves the cursor. */
  private setFilterInput(input: TextInput, ctx: ViewContext): TableView {
    if (input.text === this.s.filterText) {
      return input.cursor === this.s.filterCursor ? this : this.with({ filterCursor: input.cursor });
    }
    return this.setFilter(input.text, ctx, input.cursor);
  }

  /** The filter text changed: the cursor keeps its row if it is still shown, otherwise goes to the top. */
  private setFilter(filterText: string, ctx: ViewContext, filterCursor = filterText.length): TableView {
    const filtered = this.applyFilter(this.s.presentation, this.s.rows, filterText, this.s.filtered);
    let cursor = -1;
    if (this.s.cursorKey !== null) {
      // Same rows, filtered otherwise (a key typed): the cursor's row is found by its position in them, without
      // reading 100k rows when the new filter leaves it out.
      const before = this.s.filtered;
      const p = before.source === filtered.source ? sourcePosition(before, this.s.cursor) : -1;
      const row = p >= 0 ? filtered.source.at(p) : undefined;
      cursor =
        row !== undefined && rowKey(row) === this.s.cursorKey
          ? shownAt(filtered, p)
          : findRow(filtered, this.s.cursorKey, this.s.cursor);
    }
    if (cursor < 0) cursor = 0;
    return this.with({
      atTop: false,
      filterText,
      filterCursor,
      filtered,
      scroll: cursor === 0 ? 0 : this.s.scroll,
      boundsOf: filtered,
      boundsAt: ctx.now,
    }).setCursor(cursor, ctx);
  }

  private setSort(sort: Sort | null, ctx: ViewContext): TableView {
    const presentation = this.s.presentation;
    if (!presentation) return this;
    const rows = sortRows(this.s.sourceRows ?? [], presentation.columns, sort);
    const filtered = this.applyFilter(presentation, rows, this.s.filterText);
    return this.with({ sort, rows, filtered, boundsOf: filtered, boundsAt: ctx.now, atTop: false }).followCursor(
      this.s.cursor,
      ctx,
    );
  }

  /** Sort by a column; the same column again flips the direction. Age is the repository's order (newest first). */
  private sortBy(column: string, ctx: ViewContext, firstDescending = false): TableView {
    const current = this.s.sort;
    if (column === "AGE") {
      // Newest first is the unsorted order; asking again shows oldest first.
      if (current === null) return this.setSort({ column: "AGE", descending: true }, ctx);
      if (current.column === "AGE" && current.descending) return this.setSort(null, ctx);
      return this.setSort(null, ctx);
    }
    const descending = current?.column === column ? !current.descending : firstDescending;
    return this.setSort({ column, descending }, ctx);
  }

  private hasColumn(name: string): boolean {
    return this.s.presentation?.columns.some((c) => c.name === name) ?? false;
  }

  /** The mouse wheel: the rows scroll by `n`, the cursor stays on screen. */
  scrollBy(n: number, ctx: ViewContext): TableView {
    const page = this.page(ctx);
    const top = Math.max(0, Math.min(this.s.scroll + n, this.s.filtered.length - page));
    if (top === this.s.scroll) return this;
    return this.with({ atTop: false }).setCursor(Math.max(top, Math.min(this.s.cursor, top + page - 1)), ctx, top);
  }

  /** A click on a row. */
  selectRow(index: number, ctx: ViewContext): TableView {
    return this.with({ atTop: false }).setCursor(index, ctx);
  }

  /** A double click: Enter on the selected row (leaving the filter line, as Enter there would). */
  activate(ctx: ViewContext): ViewResult {
    const view = this.s.filtering ? this.with({ filtering: false }) : this;
    const row = view.selected;
    if (!row || !this.s.drill) return [view, []];
    return [view, this.s.drill(this.s.source, row, ctx)];
  }

  private move(index: number, ctx: ViewContext, scroll?: number): ViewResult {
    return [this.with({ atTop: false }).setCursor(index, ctx, scroll), []];
  }

  bindings(ctx: ViewContext): readonly Binding<ViewResult>[] {
    if (this.s.filtering) return this.filterBindings(ctx);
    const page = this.page(ctx);
    const out: Binding<ViewResult>[] = [
      { keys: keys("up", "k"), label: "previous row", section: "Move", run: () => this.move(this.s.cursor - 1, ctx) },
      { keys: keys("down", "j"), label: "next row", section: "Move", run: () => this.move(this.s.cursor + 1, ctx) },
      {
        keys: keys("pageup", "ctrl+b"),
        label: "previous page",
        section: "Move",
        run: () => this.move(this.s.cursor - page, ctx, Math.max(0, this.s.scroll - page)),
      },
      {
        keys: keys("pagedown", "ctrl+f"),
        label: "next page",
        section: "Move",
        run: () => this.move(this.s.cursor + page, ctx, this.s.scroll + page),
      },
      { keys: keys("home", "g"), label: "first row", section: "Move", run: () => this.move(0, ctx) },
      {
        keys: keys("end", "G"),
        label: "last row",
        section: "Move",
        run: () => this.move(this.s.filtered.length - 1, ctx),
      },
    ];
    const row = this.selected;
    if (row && this.s.drill) {
      const drill = this.s.drill;
      out.push({
        keys: keys("enter"),
        label: drill.label(this.s.source.kind),
        section: "Move",
        run: () => [this, drill(this.s.source, row, ctx)],
      });
    }
    if (row) {
      out.push({
        keys: keys("y"),
        label: "the row's YAML (live)",
        section: "Move",
        run: () => this.openYaml(row, ctx),
      });
      out.push({
        keys: keys("d"),
        label: "describe the row, as kubectl describe (live)",
        section: "Move",
        run: () => this.openDescribe(row, ctx),
      });
      if (this.s.source.kind === "pods") {
        const logs = (previous: boolean): ViewResult => {
          const [view, actions] = LogsView.open(row, this.id, { previous }).fetch();
          return [this, [{ type: "push", view }, ...actions]];
        };
        // Shell (s: create pods/exec), attach (a: pods/attach) and port-forward (Shift-F: pods/portforward) are offered
        // unless the server said no to that subresource here.
        const may = (subresource: string) =>
          ctx.repo.can({ verb: "create", resource: "pods", group: "", subresource, namespace: row.namespace }) !==
          false;
        out.push(
          { keys: keys("l"), label: "the pod's log (streamed)", section: "Move", hint: "logs", run: () => logs(false) },
          { keys: keys("p"), label: "the previous container's log", section: "Move", run: () => logs(true) },
          ...terminalBindings(this, row, ctx).filter((b) =>
            may(b.keys.some((k) => k.name === "s") ? "exec" : "attach"),
          ),
          ...(may("portforward") ? portForwardBindings(row, ctx, this) : []),
        );
      }
      const pods = podsOf(this.s.source.kind, row);
      if (pods !== undefined) {
        out.push({
          keys: keys("l"),
          label: "the logs of all its pods, merged (pods that come later join)",
          section: "Move",
          hint: "logs",
          run: () => {
            if (typeof pods === "string") return [this, [{ type: "message", text: `${row.name} ${pods}` }]];
            const target = { namespace: row.namespace, label: `${this.s.source.short}/${row.name}`, pods };
            const [view, actions] = LogsView.workload(target, this.id, ctx);
            return [this, [{ type: "push", view }, ...actions]];
          },
        });
      }
    }
    out.push(...this.markBindings(ctx), ...this.actionBindings(ctx));
    out.push({
      keys: keys("/"),
      label: "filter rows: substring (NAME matches first), ~term fuzzy, !term excludes, -l app=web by labels",
      section: "Filter",
      hint: "filter",
      run: () => [this.with({ filtering: true, filterCursor: this.s.filterText.length }), []],
    });
    if (this.s.filterText !== "") {
      out.push({
        keys: keys("escape"),
        label: "clear the filter",
        section: "Filter",
        run: () => [this.setFilter("", ctx).refresh(ctx), []],
      });
    }
    this.columnBindings(ctx, out);
    this.sortBindings(ctx, out);
    return out;
  }

  /** Ctrl-W (k9s's toggle of the wide columns) and, when the columns do not all fit, ←/→ sideways. */
  private columnBindings(ctx: ViewContext, out: Binding<ViewResult>[]): void {
    const presentation = this.s.presentation;
    if (!presentation) return;
    if (presentation.columns.some((c) => c.wide)) {
      out.push({
        keys: keys("ctrl+w"),
        label: this.s.wide ? "hide the -o wide columns" : "show the -o wide columns (when they fit)",
        section: "Columns",
        run: () => [this.with({ wide: !this.s.wide, hscroll: 0 }), []],
      });
    }
    // Offered always (the layout is only known once the visible rows are measured, in body()); they do nothing while
    // every column fits.
    const scroll = (step: number): ViewResult => {
      const { layout } = this.grid(ctx);
      const next = Math.max(0, Math.min(layout.offset + step, layout.maxOffset));
      return [next === this.s.hscroll ? this : this.with({ hscroll: next }), []];
    };
    out.push(
      {
        keys: keys("left"),
        label: "scroll the columns left",
        section: "Columns",
        run: () => scroll(-1),
      },
      {
        keys: keys("right"),
        label: "scroll the columns right, when they do not all fit (NAME stays on the left; ◀ ▶ mark more)",
        section: "Columns",
        run: () => scroll(1),
      },
    );
  }

  private openYaml(row: BaseRow, ctx: ViewContext): ViewResult {
    const kind = ctx.repo.kinds().find((k) => k.key === this.s.source.kind);
    if (!kind) return [this, [{ type: "message", text: `no API kind for ${this.s.source.kind}`, error: true }]];
    const [view, actions] = YamlView.open(kind, row, this.id, this.s.source.short).fetch();
    return [this, [{ type: "push", view }, ...actions]];
  }

  private openDescribe(row: BaseRow, ctx: ViewContext): ViewResult {
    const kind = ctx.repo.kinds().find((k) => k.key === this.s.source.kind);
    if (!kind) return [this, [{ type: "message", text: `no API kind for ${this.s.source.kind}`, error: true }]];
    const [view, actions] = DescribeView.open(kind, row, this.id, this.s.source.short).fetch();
    return [this, [{ type: "push", view }, ...actions]];
  }

  private sortBindings(ctx: ViewContext, out: Binding<ViewResult>[]): void {
    const presentation = this.s.presentation;
    if (!presentation) return;
    const add = (key: string, column: string, label: string, firstDescending = false) => {
      if (!this.hasColumn(column)) return;
      out.push({
        keys: keys(key),
        label,
        section: "Sort",
        run: () => [this.sortBy(column, ctx, firstDescending), []],
      });
    };
    add("N", "NAME", "sort by name (again: reverse)");
    add("A", "AGE", "sort by age: oldest first (again: newest first)");
    add("S", "STATUS", "sort by status (again: reverse)");
    add("T", "RESTARTS", "sort by restarts, most first (again: reverse)", true);
    add("P", "NAMESPACE", "sort by namespace (again: reverse)");
    const columns = presentation.columns;
    const pick = (step: number): ViewResult => {
      const from = this.s.picked ?? columns.findIndex((c) => c.name === this.s.sort?.column);
      const next = (Math.max(-1, from) + step + columns.length) % columns.length;
      return [this.with({ picked: next }), []];
    };
    out.push({ keys: keys("shift+left"), label: "pick the column to the left", section: "Sort", run: () => pick(-1) });
    out.push({ keys: keys("shift+right"), label: "pick the column to the right", section: "Sort", run: () => pick(1) });
    const picked = this.s.picked === null ? undefined : columns[this.s.picked];
    if (picked) {
      out.push({
        keys: keys("O"),
        label: "sort by the picked column (again: reverse)",
        section: "Sort",
        run: () => [this.sortBy(picked.name, ctx).with({ picked: null }), []],
      });
    }
  }

  private filterBindings(ctx: ViewContext): Binding<ViewResult>[] {
    const page = this.page(ctx);
    return [
      {
        keys: keys("enter"),
        label: "keep the filter and return to the table",
        section: "Filter",
        // A label selector changes the query itself: the rows are read again from its informer.
        run: () => [this.with({ filtering: false }).refresh(ctx), []],
      },
      {
        keys: keys("escape"),
        label: "clear the filter",
        section: "Filter",
        run: () => [this.setFilter("", ctx).with({ filtering: false }).refresh(ctx), []],
      },
      { keys: keys("up"), label: "previous row", section: "Filter", run: () => this.move(this.s.cursor - 1, ctx) },
      { keys: keys("down"), label: "next row", section: "Filter", run: () => this.move(this.s.cursor + 1, ctx) },
      {
        keys: keys("pageup"),
        label: "previous page",
        section: "Filter",
        run: () => this.move(this.s.cursor - page, ctx, Math.max(0, this.s.scroll - page)),
      },
      {
        keys: keys("pagedown"),
        label: "next page",
        section: "Filter",
        run: () => this.move(this.s.cursor + page, ctx, this.s.scroll + page),
      },
      ...editBindings(this.filterInput, "Filter", (next): ViewResult => [this.setFilterInput(next, ctx), []]),
    ];
  }

  /** The marked rows (in the table's order), or the selected row when none is marked. */
  private targets(): readonly BaseRow[] {
    if (this.s.marks.size === 0) return this.selected ? [this.selected] : [];
    // bindings() runs for every frame (the hint line): the pass over the rows is done once per view value.
    this.marked ??= rowArray(this.s.rows).filter((r) => this.s.marks.has(r.uid));
    return this.marked;
  }

  private marked: readonly BaseRow[] | undefined;

  private markBindings(ctx: ViewContext): Binding<ViewResult>[] {
    const row = this.selected;
    const out: Binding<ViewResult>[] = [];
    if (row) {
      out.push(
        {
          keys: keys("space"),
          label: "mark or unmark the row: actions apply to the marked rows",
          section: "Marks",
          run: () => {
            const marks = new Set(this.s.marks);
            if (marks.has(row.uid)) marks.delete(row.uid);
            else marks.add(row.uid);
            return [this.with({ marks, markAnchor: row.uid, atTop: false }).setCursor(this.s.cursor + 1, ctx), []];
          },
        },
        {
          keys: keys("ctrl+space"),
          label: "mark every row from the last marked one to this one",
          section: "Marks",
          run: () => [this.markRange(row), []],
        },
      );
    }
    if (this.s.marks.size > 0) {
      out.push({
        keys: keys("ctrl+\\"),
        label: "clear the marks",
        section: "Marks",
        run: () => [this.with({ marks: new Set(), markAnchor: null }), []],
      });
    }
    return out;
  }

  private markRange(row: BaseRow): TableView {
    const { filtered, markAnchor } = this.s;
    let from = this.s.cursor;
    if (markAnchor !== null) {
      for (let i = 0; i < filtered.length; i++) {
        if ((rowAt(filtered, i) as BaseRow).uid === markAnchor) {
          from = i;
          break;
        }
      }
    }
    const marks = new Set(this.s.marks);
    const [a, b] = from <= this.s.cursor ? [from, this.s.cursor] : [this.s.cursor, from];
    for (let i = a; i <= b; i++) marks.add((rowAt(filtered, i) as BaseRow).uid);
    return this.with({ marks, markAnchor: row.uid });
  }

  private actionBindings(ctx: ViewContext): Binding<ViewResult>[] {
    const kind = ctx.repo.resolve(this.s.source.kind);
    const rows = this.targets();
    const out: Binding<ViewResult>[] = [];
    const row = this.selected;
    if (row && !(kind?.key === "nodes")) {
      out.push({
        keys: keys("c"),
        label: "copy the name to the clipboard (OSC 52)",
        section: "Actions",
        run: () => [this, copyName(row.name, "name")],
      });
    }
    if (row?.namespace) {
      out.push({
        keys: keys("n"),
        label: "copy the namespace to the clipboard (OSC 52)",
        section: "Actions",
        run: () => [this, copyName(row.namespace, "namespace")],
      });
    }
    if (!kind) return out;
    const plural = this.s.source.crumb;
    const target = { kind, short: this.s.source.short, plural, rows, view: this, viewId: this.id };
    for (const b of actionBindings(target, ctx)) out.push({ ...b, run: () => [this, b.run()] });
    return out;
  }

  update(msg: ViewMsg, ctx: ViewContext): ViewResult {
    switch (msg.type) {
      case "data":
        return [this.refresh(ctx), []];
      case "result":
        if (msg.id !== `${this.id}#trigger`) return [this, []];
        if (msg.error !== undefined) return [this, [{ type: "message", text: `trigger: ${msg.error}`, error: true }]];
        return [this, [triggerAction(msg.value, ctx.now)]];
      case "paste":
        if (!this.s.filtering) return [this, []];
        return [this.setFilterInput(pasteInto(this.filterInput, msg.text), ctx), []];
      case "key": {
        // Editing keys are bindings (filterBindings); what is left to do here is typing.
        if (!this.s.filtering || msg.text === undefined || msg.ctrl || msg.alt) return [this, []];
        return [this.setFilterInput(insertText(this.filterInput, msg.text), ctx), []];
      }
      default:
        return [this, []];
    }
  }

  title(): string {
    const p = this.s.presentation;
    const name = this.s.source.title ?? p?.title ?? this.s.source.kind;
    const marked = this.s.marks.size > 0 ? ` · ${formatCount(this.s.marks.size)} marked` : "";
    return `${name} ${formatCount(this.s.filtered.length)} of ${formatCount(this.s.rows.length)}${marked}`;
  }

  private emptyText(ctx: ViewContext): string {
    const status = ctx.repo.status(this.query(ctx));
    const title = this.s.source.title ?? this.s.presentation?.title ?? this.s.source.kind;
    const what = title.toLowerCase();
    if (this.s.rows.length === 0) {
      if (status.error) return `No ${what}: ${status.error}`;
      if (!status.synced) return `Loading ${what}…`;
      return `No ${what}`;
    }
    return `No ${what} match the filter`;
  }

  private memo: { key: string; grid: Grid } | null = null;

  /** The visible rows' cells and the columns' layout: O(visible rows × columns), once per state and screen. */
  private grid(ctx: ViewContext): Grid {
    // Cells are drawn at the whole second. kubectl's times have whole seconds (an AGE is the same either way), every
    // time on screen then moves in the same frame, and a row keeps its cells across the data frames of a second.
    const now = Math.floor(ctx.now / 1000) * 1000;
    const key = `${ctx.width} ${ctx.height} ${now} ${ctx.namespace}`;
    if (this.memo?.key === key) return this.memo.grid;
    const { filtered } = this.s;
    const presentation = this.s.presentation as Presentation;
    const { width } = ctx;
    const page = this.page(ctx);
    // One namespace in scope: its name in every row says nothing (k9s hides the column too).
    const oneNamespace = this.query(ctx).namespace !== undefined;
    const indices = presentation.columns
      .map((_, i) => i)
      .filter((i) => !(oneNamespace && presentation.columns[i] === NAMESPACE_COLUMN))
      // Ctrl-W off: no -o wide column at all.
      .filter((i) => this.s.wide || !presentation.columns[i]?.wide);
    const columns = indices.map((i) => presentation.columns[i] as PresentedColumn<BaseRow>);
    const first = this.s.scroll;
    const last = Math.min(filtered.length, first + page);
    const cells: string[][] = [];
    const natural = columns.map((c, i) =>
      Math.max(
        displayWidth(this.headerName(indices[i] as number)),
        widthBound(this.s.boundsOf, indices[i] as number, c.widthBound),
      ),
    );
    for (let i = first; i < last; i++) {
      const drawn = cellsOf(rowAt(filtered, i) as BaseRow, columns, now);
      for (let c = 0; c < drawn.widths.length; c++) {
        const w = drawn.widths[c] as number;
        if (w > (natural[c] as number)) natural[c] = w;
      }
      cells.push(drawn.cells);
    }
    const layout = scrollLayout(columns, natural, width, this.s.hscroll);
    const { shown, widths } = layout;
    // At tiny widths even the unhideable columns may not fit: drop from the right, then cut the last one.
    while (shown.length > 1 && widths.reduce((a, b) => a + b, 0) + COLUMN_GAP * (shown.length - 1) > width) {
      shown.pop();
      widths.pop();
    }
    if (shown.length === 1) widths[0] = Math.min(widths[0] as number, width);
    const grid = { indices, columns, cells, first, last, layout };
    this.memo = { key, grid };
    return grid;
  }

  /** Column header and visible rows: exactly ctx.height lines. */
  body(ctx: ViewContext): string[] {
    const { filtered, presentation } = this.s;
    const { width } = ctx;
    const lines: string[] = [];
    if (!presentation) {
      lines.push("");
      lines.push(paintSegments([{ text: ` ${this.emptyText(ctx)}`, style: THEME.dim }], width));
      while (lines.length < ctx.height) lines.push("");
      return lines.slice(0, ctx.height);
    }
    const { indices, columns, cells, first, last, layout } = this.grid(ctx);
    const { shown, widths } = layout;
    let header = paintHeader(
      shown.map((c) => this.headerName(indices[c] as number)),
      widths,
    );
    if (layout.maxOffset > 0) {
      // More columns to the left / right: ◀ ▶ at the header's end (←/→ scroll).
      const used = displayWidth(stripAnsi(header));
      const marks = `${layout.left ? "◀" : " "}${layout.right ? "▶" : " "}`;
      header +=
        " ".repeat(Math.max(0, width - SCROLL_MARK_WIDTH - used)) +
        paintSegments([{ text: marks, style: THEME.emphasis }], SCROLL_MARK_WIDTH);
    }
    lines.push(header);
    const terms = filtered.terms;
    for (let i = first; i < last; i++) {
      const row = rowAt(filtered, i) as BaseRow;
      const rowCells = cells[i - first] as string[];
      let highlights: (Set<number> | undefined)[] | undefined;
      if (terms.length > 0) {
        const fields = highlightFields(presentation.filterFields(row), terms);
        highlights = shown.map((c) => {
          const f = columns[c]?.filterField;
          return f === undefined ? undefined : fields[f];
        });
      }
      const paint = {
        base: ROW_STATE_STYLE[presentation.rowState(row)],
        selected: i === this.s.cursor,
        marked: this.s.marks.size > 0 && this.s.marks.has(row.uid),
        highlights,
      };
      lines.push(
        paintRowOf(
          row,
          shown.map((c) => rowCells[c] as string),
          widths,
          paint,
          width,
        ),
      );
    }
    if (filtered.length === 0) {
      lines.push(paintSegments([{ text: ` ${this.emptyText(ctx)}`, style: THEME.dim }], width));
    }
    while (lines.length < ctx.height) lines.push("");
    return lines.slice(0, ctx.height);
  }

  /** A column's header, with the sort mark (↑ ascending, ↓ descending) and the picked column in brackets. */
  private headerName(index: number): string {
    const column = this.s.presentation?.columns[index];
    if (!column) return "";
    const sort = this.s.sort;
    let name = column.name;
    if (sort?.column === column.name) name += sort.descending ? "↓" : "↑";
    if (this.s.picked === index) name = `[${name}]`;
    return name;
  }

  bottom(): Segment[] | null {
    if (this.s.filtering) {
      return [
        { text: "/", style: THEME.emphasis },
        ...inputSegments(this.filterInput),
        {
          text: /^\s*-l(\s|$)/.test(this.s.filterText)
            ? "   Enter applies the label selector · Esc clear"
            : "   Enter keep · Esc clear · ~x fuzzy · !x excludes · -l labels",
          style: THEME.dim,
        },
      ];
    }
    if (this.s.filterText !== "") {
      return [
        { text: " filter ", style: THEME.dim },
        { text: this.s.filterText, style: THEME.emphasis },
        { text: "  Esc clears", style: THEME.dim },
      ];
    }
    return null;
  }

  /** For the root's idle work: build the filter's search text ahead of the first key. Returns -1 when done. */
  warm(from: number, count: number): number {
    return this.s.presentation?.haystacks.warm(this.s.rows, from, count) ?? -1;
  }
}

/** The job a trigger creates, from the CronJob just read (its name made unique by the clock). */
function triggerAction(cronJob: unknown, now: number): Action {
  const suffix = Math.floor(now / 1000)
    .toString(36)
    .slice(-5);
  const request = triggerRequest(cronJob, suffix);
  return { type: "write", verb: "trigger", done: "created job", what: request.name ?? "", requests: [request] };
}

/** Copies `text` over OSC 52, and says so. */
function copyName(text: string, what: string): Action[] {
  return [
    { type: "effect", effect: { type: "clipboard", text } },
    { type: "message", text: `copied the ${what} ${text} to the clipboard` },
  ];
}
