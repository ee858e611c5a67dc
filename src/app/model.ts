// The root model: everything the view needs, as plain data. The repository is held so that update() can take a
// snapshot of rows and loading states when told the data changed; view() never reads it.
import type { LoadingStatus, Repository } from "../repository/types.ts";
import type { BaseRow, ResourceType } from "../resources/types.ts";
import { type FilteredRows, unfiltered } from "./filter.ts";
import { podsScreen, type ScreenDef } from "./screens/index.ts";
import { rowKey } from "./screens/screen.ts";

export type Mode = "table" | "filter" | "command" | "help";

export interface Message {
  text: string;
  error: boolean;
}

/** What a screen shows when it is left for another, to come back to. */
export interface ScreenState {
  filterText: string;
  cursorKey: string | null;
  cursor: number;
  scroll: number;
}

export interface Model {
  readonly repo: Repository;
  readonly screen: ScreenDef;
  readonly width: number;
  readonly height: number;
  /** Epoch ms of the last tick or data change: AGE and spinners are painted from it, never from the clock. */
  readonly now: number;
  /** Snapshot of screen.rows(repo) taken at the last data change. */
  readonly rows: readonly BaseRow[];
  readonly statuses: readonly LoadingStatus[];
  /** The filter being typed or applied; the table shows `filtered` for it. */
  readonly filterText: string;
  readonly filtered: FilteredRows<BaseRow>;
  /** Index of the selected row in `filtered`, and its key (namespace/name) so it can follow its row. */
  readonly cursor: number;
  readonly cursorKey: string | null;
  /** Index of the first row on screen. */
  readonly scroll: number;
  readonly mode: Mode;
  /** First help entry shown (the help scrolls when the terminal is short). */
  readonly helpScroll: number;
  readonly commandText: string;
  /** State of the screens not shown, by resource. */
  readonly saved: Readonly<Partial<Record<ResourceType, ScreenState>>>;
  readonly message: Message | null;
  /** Set when the user asked to quit; the runtime then restores the terminal and exits with this code. */
  readonly exitCode: number | null;
}

export interface ModelOptions {
  width: number;
  height: number;
  now: number;
  screen?: ScreenDef;
}

/** The first model: rows are read from the repository right away so the first frame already shows them. */
export function newModel(repo: Repository, options: ModelOptions): Model {
  const screen = options.screen ?? (podsScreen as unknown as ScreenDef);
  const rows = screen.rows(repo);
  return {
    repo,
    screen,
    width: options.width,
    height: options.height,
    now: options.now,
    rows,
    statuses: repo.getAllLoadingStatus(),
    filterText: "",
    filtered: unfiltered(rows),
    cursor: 0,
    cursorKey: rows[0] ? rowKey(rows[0]) : null,
    scroll: 0,
    mode: "table",
    helpScroll: 0,
    commandText: "",
    saved: {},
    message: null,
    exitCode: null,
  };
}

/** Screen lines above the table (title, loading states, column header) and below it (status/input line). */
export const LINES_ABOVE_TABLE = 3;
export const LINES_BELOW_TABLE = 1;

/** Rows of the table that fit on screen (at least 1). */
export function pageSize(model: Pick<Model, "height">): number {
  return Math.max(1, model.height - LINES_ABOVE_TABLE - LINES_BELOW_TABLE);
}
