// update(model, msg) → [model, effects]: every state change of the UI, pure. I/O (quitting, timers, terminal) is
// done by the runtime from the returned effects.

import type { BaseRow } from "../resources/types.ts";
import type { InputEvent, KeyEvent } from "../tui/input.ts";
import { type FilteredRows, filterRows, rowAt } from "./filter.ts";
import { HELP_LINES } from "./help.ts";
import { type Model, pageSize } from "./model.ts";
import { screenFor } from "./screens/index.ts";
import { rowKey, type ScreenDef } from "./screens/screen.ts";
import { editText, pasteText } from "./text-input.ts";

export type Msg =
  | InputEvent
  | { type: "resize"; width: number; height: number }
  /** The clock moved (AGE, spinners). */
  | { type: "tick"; now: number }
  /** The repository changed: take a new snapshot. */
  | { type: "data"; now: number };

export type Effect =
  | { type: "quit"; code: number }
  /** Repaint every line: something else may have written to the terminal. */
  | { type: "redraw" }
  /** Ctrl-Z: give the terminal back and stop the process, as the shell's job control expects. */
  | { type: "suspend" };

export type Result = [Model, Effect[]];

const NONE: Effect[] = [];

export function update(model: Model, msg: Msg): Result {
  switch (msg.type) {
    case "key":
      return onKey(model, msg);
    case "paste":
      return onPaste(model, msg.text);
    case "resize":
      return [keepCursorVisible({ ...model, width: msg.width, height: msg.height }), NONE];
    case "tick":
      return [{ ...model, now: msg.now, statuses: model.repo.getAllLoadingStatus() }, NONE];
    case "data":
      return [refresh(model, msg.now), NONE];
  }
}

/** New snapshot of rows and loading states; the filter is re-applied and the cursor follows its row. */
export function refresh(model: Model, now: number): Model {
  const rows = model.screen.rows(model.repo);
  const statuses = model.repo.getAllLoadingStatus();
  if (rows === model.rows) return { ...model, now, statuses };
  const filtered = applyFilter(model.screen, rows, model.filterText);
  return followCursor({ ...model, now, statuses, rows, filtered }, model.cursor);
}

function applyFilter(screen: ScreenDef, rows: readonly BaseRow[], text: string, prev?: FilteredRows<BaseRow>) {
  return filterRows(rows, text, screen.haystacks, prev);
}

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

/**
 * After the list changed: the cursor stays on its row (by namespace/name) wherever it moved; if the row is gone, the
 * cursor stays at the same index (clamped), on the row that took its place.
 */
function followCursor(model: Model, previousIndex: number): Model {
  let cursor = model.cursorKey === null ? previousIndex : findRow(model.filtered, model.cursorKey, previousIndex);
  if (cursor < 0) cursor = previousIndex;
  return setCursor(model, cursor);
}

function setCursor(model: Model, index: number): Model {
  const last = model.filtered.length - 1;
  const cursor = Math.max(0, Math.min(index, last));
  const row = rowAt(model.filtered, cursor);
  return keepCursorVisible({ ...model, cursor, cursorKey: row ? rowKey(row) : null });
}

function keepCursorVisible(model: Model): Model {
  const page = pageSize(model);
  let scroll = model.scroll;
  if (model.cursor < scroll) scroll = model.cursor;
  if (model.cursor >= scroll + page) scroll = model.cursor - page + 1;
  scroll = Math.max(0, Math.min(scroll, model.filtered.length - page));
  return scroll === model.scroll ? model : { ...model, scroll };
}

/** Filter text changed: re-filter (narrowing the previous result when possible); the cursor keeps its row if it is
 * still shown, otherwise goes to the top. */
function setFilter(model: Model, filterText: string): Model {
  const filtered = applyFilter(model.screen, model.rows, filterText, model.filtered);
  let cursor = model.cursorKey === null ? -1 : findRow(filtered, model.cursorKey, model.cursor);
  if (cursor < 0) cursor = 0;
  return setCursor({ ...model, filterText, filtered, scroll: cursor === 0 ? 0 : model.scroll }, cursor);
}

function quit(model: Model): Result {
  return [{ ...model, exitCode: 0 }, [{ type: "quit", code: 0 }]];
}

function onKey(model: Model, key: KeyEvent): Result {
  if (key.ctrl && key.name === "c") return quit(model);
  if (key.ctrl && key.name === "l") return [model, [{ type: "redraw" }]];
  if (key.ctrl && key.name === "z") return [model, [{ type: "suspend" }]];
  const m = model.message ? { ...model, message: null } : model;
  switch (m.mode) {
    case "help":
      return onHelpKey(m, key);
    case "filter":
      return onFilterKey(m, key);
    case "command":
      return onCommandKey(m, key);
    case "table":
      return onTableKey(m, key);
  }
}

/** Cursor movement shared by the table and the filter input. Returns null for other keys. */
function moveCursor(model: Model, key: KeyEvent, vi: boolean): Model | null {
  const page = pageSize(model);
  const name = key.name;
  if (name === "up" || (vi && name === "k" && !key.ctrl)) return setCursor(model, model.cursor - 1);
  if (name === "down" || (vi && name === "j" && !key.ctrl)) return setCursor(model, model.cursor + 1);
  if (name === "pageup" || (key.ctrl && name === "b")) {
    return setCursor({ ...model, scroll: Math.max(0, model.scroll - page) }, model.cursor - page);
  }
  if (name === "pagedown" || (key.ctrl && name === "f")) {
    return setCursor({ ...model, scroll: model.scroll + page }, model.cursor + page);
  }
  if (name === "home" || (vi && name === "g" && !key.ctrl)) return setCursor(model, 0);
  if (name === "end" || (vi && name === "G")) return setCursor(model, model.filtered.length - 1);
  return null;
}

function onTableKey(model: Model, key: KeyEvent): Result {
  const moved = moveCursor(model, key, true);
  if (moved) return [moved, NONE];
  if (key.ctrl || key.alt) return [model, NONE];
  switch (key.name) {
    case "q":
      return quit(model);
    case "/":
      return [{ ...model, mode: "filter" }, NONE];
    case ":":
      return [{ ...model, mode: "command", commandText: "" }, NONE];
    case "?":
      return [{ ...model, mode: "help", helpScroll: 0 }, NONE];
    case "escape":
      return [model.filterText === "" ? model : setFilter(model, ""), NONE];
  }
  return [model, NONE];
}

function onFilterKey(model: Model, key: KeyEvent): Result {
  if (key.name === "enter") return [{ ...model, mode: "table" }, NONE];
  if (key.name === "escape") return [{ ...setFilter(model, ""), mode: "table" }, NONE];
  const edited = editText(model.filterText, key);
  if (edited !== null) return [edited === model.filterText ? model : setFilter(model, edited), NONE];
  const moved = moveCursor(model, key, false);
  return [moved ?? model, NONE];
}

function onCommandKey(model: Model, key: KeyEvent): Result {
  if (key.name === "escape") return [{ ...model, mode: "table", commandText: "" }, NONE];
  if (key.name === "enter") return runCommand({ ...model, mode: "table", commandText: "" }, model.commandText);
  // Backspace on an empty command line closes it, as in vim.
  if (key.name === "backspace" && model.commandText === "") return [{ ...model, mode: "table" }, NONE];
  const edited = editText(model.commandText, key);
  return [edited === null ? model : { ...model, commandText: edited }, NONE];
}

function onHelpKey(model: Model, key: KeyEvent): Result {
  if (key.name === "escape" || key.name === "?") return [{ ...model, mode: "table" }, NONE];
  if (key.name === "q" && !key.ctrl && !key.alt) return quit(model);
  const page = pageSize(model);
  const max = Math.max(0, HELP_LINES.length - page);
  const step =
    key.name === "down" || key.name === "j"
      ? 1
      : key.name === "up" || key.name === "k"
        ? -1
        : key.name === "pagedown" || (key.ctrl && key.name === "f")
          ? page
          : key.name === "pageup" || (key.ctrl && key.name === "b")
            ? -page
            : 0;
  if (step === 0) return [model, NONE];
  return [{ ...model, helpScroll: Math.max(0, Math.min(max, model.helpScroll + step)) }, NONE];
}

function onPaste(model: Model, text: string): Result {
  const clean = pasteText(text);
  if (model.mode === "filter") return [setFilter(model, model.filterText + clean), NONE];
  if (model.mode === "command") return [{ ...model, commandText: model.commandText + clean }, NONE];
  return [model, NONE];
}

export const QUIT_COMMANDS = ["q", "quit", "q!", "qa", "exit"];

function runCommand(model: Model, text: string): Result {
  const command = text.trim();
  if (command === "") return [model, NONE];
  if (QUIT_COMMANDS.includes(command)) return quit(model);
  const screen = screenFor(command);
  if (screen) return [switchScreen(model, screen), NONE];
  return [{ ...model, message: { text: `unknown command: ${command}`, error: true } }, NONE];
}

/** Another kind: its filter, selected row and scroll come back as they were when it was last left. */
function switchScreen(model: Model, screen: ScreenDef): Model {
  if (screen === model.screen) return model;
  const left = { filterText: model.filterText, cursorKey: model.cursorKey, cursor: model.cursor, scroll: model.scroll };
  const saved = { ...model.saved, [model.screen.resource]: left };
  const back = saved[screen.resource] ?? { filterText: "", cursorKey: null, cursor: 0, scroll: 0 };
  const rows = screen.rows(model.repo);
  const filtered = applyFilter(screen, rows, back.filterText);
  return followCursor({ ...model, ...back, saved, screen, rows, filtered }, back.cursor);
}
