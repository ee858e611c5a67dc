// What the text views (YAML, describe) share: a scrolled page of lines, a `/` search with n/N whose matches are
// highlighted, the scrolling and search keys, the save (Ctrl-S) and copy (c) actions. A pane is an immutable value
// (scroll + search) over lines its view owns; each function takes the lines and returns a new pane.

import { type Binding, keys } from "../bindings.ts";
import { cutSegments, paintSegments, type Segment } from "../paint.ts";
import { StyledLine } from "../table.ts";
import { editText, pasteText } from "../text-input.ts";
import { THEME } from "../theme.ts";
import type { Action, ViewMsg } from "./view.ts";

export interface Search {
  /** The text searched for, as typed. */
  readonly text: string;
  /** Being typed (the view takes the keys). */
  readonly typing: boolean;
  /** Lines with a match, ascending; computed when the search is kept (Enter) and after each change of the text. */
  readonly matches: readonly number[];
  /** Index into `matches` of the match n/N went to (-1: none yet). */
  readonly current: number;
}

export interface Pane {
  readonly scroll: number;
  readonly search: Search | null;
}

export const EMPTY_PANE: Pane = { scroll: 0, search: null };

const NO_ACTIONS: Action[] = [];

/** The pane scrolled to `line`, clamped so the last page is full. */
export function scrollTo(pane: Pane, lineCount: number, line: number, page: number): Pane {
  const max = Math.max(0, lineCount - page);
  const scroll = Math.max(0, Math.min(line, max));
  return scroll === pane.scroll ? pane : { ...pane, scroll };
}

/** The search set to `text`; its matches are found once it is kept (not while typed). */
export function withSearch(pane: Pane, lines: readonly string[], text: string, typing: boolean): Pane {
  const needle = text.toLowerCase();
  const matches: number[] = [];
  if (!typing && needle !== "") {
    for (let i = 0; i < lines.length; i++) if ((lines[i] as string).toLowerCase().includes(needle)) matches.push(i);
  }
  const previous = pane.search;
  const current = previous && previous.text === text && previous.current < matches.length ? previous.current : -1;
  return { ...pane, search: { text, typing, matches, current } };
}

/** After the lines changed: the kept search found again, the scroll clamped. */
export function refresh(pane: Pane, lines: readonly string[], page: number): Pane {
  const search = pane.search;
  const redone = search && !search.typing ? withSearch(pane, lines, search.text, false) : pane;
  return scrollTo(redone, lines.length, redone.scroll, page);
}

/** n/N: the next (previous) line with a match after (before) the current one or the top line, wrapping. */
export function jump(pane: Pane, lineCount: number, step: 1 | -1, page: number): [Pane, Action[]] {
  const search = pane.search;
  if (!search || search.matches.length === 0) {
    return [pane, [{ type: "message", text: `no match for "${search?.text ?? ""}"`, error: true }]];
  }
  const { matches } = search;
  let index: number;
  if (search.current >= 0) {
    index = (search.current + step + matches.length) % matches.length;
  } else if (step === 1) {
    index = matches.findIndex((l) => l >= pane.scroll);
    if (index < 0) index = 0;
  } else {
    index = matches.length - 1;
    for (let i = matches.length - 1; i >= 0; i--) {
      if ((matches[i] as number) < pane.scroll) {
        index = i;
        break;
      }
    }
  }
  const line = matches[index] as number;
  const next = { ...pane, search: { ...search, current: index } };
  // The match's line goes a third down the screen, so what leads to it shows too (unless it is already shown).
  const shown = line >= pane.scroll && line < pane.scroll + page;
  return [shown ? next : scrollTo(next, lineCount, line - Math.floor(page / 3), page), NO_ACTIONS];
}

/** The keys of a pane: while a search is typed, Enter and Esc; else scrolling, `/`, and n/N/Esc once searched. */
export function paneBindings<R>(
  pane: Pane,
  lines: readonly string[],
  page: number,
  done: (pane: Pane, actions?: Action[]) => R,
): Binding<R>[] {
  const search = pane.search;
  if (search?.typing) {
    return [
      {
        keys: keys("enter"),
        label: "search: go to the first match",
        section: "Search",
        run: () => {
          if (search.text === "") return done({ ...pane, search: null });
          return done(...jump(withSearch(pane, lines, search.text, false), lines.length, 1, page));
        },
      },
      {
        keys: keys("escape"),
        label: "cancel the search",
        section: "Search",
        run: () => done({ ...pane, search: null }),
      },
    ];
  }
  const move = (line: number): R => done(scrollTo(pane, lines.length, line, page));
  const out: Binding<R>[] = [
    { keys: keys("up", "k"), label: "scroll up", section: "Move", run: () => move(pane.scroll - 1) },
    { keys: keys("down", "j"), label: "scroll down", section: "Move", run: () => move(pane.scroll + 1) },
    { keys: keys("pageup", "ctrl+b"), label: "page up", section: "Move", run: () => move(pane.scroll - page) },
    {
      keys: keys("pagedown", "ctrl+f", "space"),
      label: "page down",
      section: "Move",
      run: () => move(pane.scroll + page),
    },
    { keys: keys("home", "g"), label: "top", section: "Move", run: () => move(0) },
    { keys: keys("end", "G"), label: "bottom", section: "Move", run: () => move(lines.length) },
    {
      keys: keys("/"),
      label: "search (case-insensitive); every match is highlighted",
      section: "Search",
      hint: "search",
      run: () => done({ ...pane, search: { text: "", typing: true, matches: [], current: -1 } }),
    },
  ];
  if (search && search.text !== "") {
    out.push(
      {
        keys: keys("n"),
        label: "next match (wraps)",
        section: "Search",
        run: () => done(...jump(pane, lines.length, 1, page)),
      },
      {
        keys: keys("N"),
        label: "previous match (wraps)",
        section: "Search",
        run: () => done(...jump(pane, lines.length, -1, page)),
      },
      {
        keys: keys("escape"),
        label: "clear the search",
        section: "Search",
        run: () => done({ ...pane, search: null }),
      },
    );
  }
  return out;
}

/** A key no binding took or a paste: the search's text edited while it is typed; null when the pane ignores it. */
export function paneInput(pane: Pane, lines: readonly string[], msg: ViewMsg): Pane | null {
  const search = pane.search;
  if (!search?.typing) return null;
  if (msg.type === "paste") return withSearch(pane, lines, search.text + pasteText(msg.text), true);
  if (msg.type !== "key") return null;
  const edited = editText(search.text, msg);
  if (edited === null || edited === search.text) return null;
  return withSearch(pane, lines, edited, true);
}

/** The copy action: the text on the clipboard (OSC 52) and a message saying how much. */
export function copyActions(text: string, lineCount: number): Action[] {
  return [
    { type: "effect", effect: { type: "clipboard", text } },
    { type: "message", text: `copied ${lineCount} lines` },
  ];
}

export function fileSafe(s: string): string {
  return s.replace(/[^A-Za-z0-9._-]+/g, "_");
}

/** 20260101T120000Z: a saved file name's timestamp, from the view's clock. */
export function stamp(now: number): string {
  return new Date(now)
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d+Z$/, "Z");
}

/** The file name of a save: context-kind-namespace-name-stamp.ext, each part made file-safe. */
export function saveFileName(parts: readonly string[], now: number, ext: string): string {
  return `${[...parts, stamp(now)].map(fileSafe).join("-")}.${ext}`;
}

/** The answer to a save's result: where it went, or why it did not. */
export function saveResultActions(value: unknown, error: string | undefined): Action[] {
  if (error !== undefined) return [{ type: "message", text: `save: ${error}`, error: true }];
  return [{ type: "message", text: `saved to ${String(value)}` }];
}

/** Segments with the search's matches restyled with `hl`. */
export function highlight(segments: Segment[], line: string, needle: string, hl: string): Segment[] {
  if (needle === "") return segments;
  const lower = line.toLowerCase();
  const ranges: [number, number][] = [];
  for (let i = lower.indexOf(needle); i >= 0; i = lower.indexOf(needle, i + needle.length)) {
    ranges.push([i, i + needle.length]);
  }
  if (ranges.length === 0) return segments;
  const out: Segment[] = [];
  let pos = 0;
  let r = 0;
  for (const seg of segments) {
    const end = pos + seg.text.length;
    let at = pos;
    while (at < end) {
      while (r < ranges.length && (ranges[r] as [number, number])[1] <= at) r++;
      const range = ranges[r];
      if (!range || range[0] >= end) {
        out.push({ text: seg.text.slice(at - pos), style: seg.style });
        at = end;
      } else if (range[0] > at) {
        out.push({ text: seg.text.slice(at - pos, range[0] - pos), style: seg.style });
        at = range[0];
      } else {
        const stop = Math.min(range[1], end);
        out.push({ text: seg.text.slice(at - pos, stop - pos), style: hl });
        at = stop;
      }
    }
    pos = end;
  }
  return out;
}

/**
 * The page of lines on screen, painted: `segments` colours a line, the search's matches are highlighted, a line
 * numbers gutter when asked; exactly `height` lines, `banner` (if any) first.
 */
export function paintPane(
  pane: Pane,
  lines: readonly string[],
  opts: {
    width: number;
    height: number;
    banner: Segment | null;
    lineNumbers?: boolean;
    segments: (line: string, index: number) => Segment[];
  },
): string[] {
  const { width, height, banner } = opts;
  const out: string[] = [];
  if (banner) out.push(paintSegments([banner], width));
  const page = Math.max(1, height - (banner ? 1 : 0));
  const search = pane.search;
  const needle = search?.text.toLowerCase() ?? "";
  const currentLine = search && search.current >= 0 ? search.matches[search.current] : undefined;
  const hl = THEME.searchMatch;
  const hlCurrent = THEME.searchCurrent;
  const total = lines.length;
  const gutter = opts.lineNumbers ? String(total).length + 1 : 0;
  const textWidth = Math.max(1, width - gutter);
  // A line longer than this many code units cannot fit the screen: cut it before painting (a 1 MB line costs the
  // same as a short one); the cut shows as "…".
  const limit = textWidth * 4 + 8;
  const last = Math.min(total, pane.scroll + page);
  for (let i = pane.scroll; i < last; i++) {
    const full = lines[i] as string;
    const raw = full.length > limit ? full.slice(0, limit) : full;
    let segments = opts.segments(raw, i);
    if (needle !== "") segments = highlight(segments, raw, needle, i === currentLine ? hlCurrent : hl);
    // Force the "…" when the line was cut before painting.
    if (raw !== full) segments.push({ text: " ".repeat(textWidth + 1), style: "" });
    const line = new StyledLine();
    if (gutter) line.add(`${String(i + 1).padStart(gutter - 1)} `, THEME.lineNumber);
    for (const seg of cutSegments(segments, textWidth)) line.add(seg.text, seg.style);
    out.push(line.toString());
  }
  while (out.length < height) out.push("");
  return out.slice(0, height);
}

/** The body while there is nothing to show yet: loading, or why not. */
export function placeholder(text: string, error: boolean, width: number, height: number): string[] {
  const out = ["", paintSegments([{ text: ` ${text}`, style: error ? THEME.errorMessage : THEME.dim }], width)];
  while (out.length < height) out.push("");
  return out.slice(0, height);
}

/** The bottom line while a search is typed or kept; null otherwise. */
export function searchBottom(search: Search | null): Segment[] | null {
  if (!search) return null;
  if (search.typing) {
    return [
      { text: "/", style: THEME.emphasis },
      { text: search.text, style: "" },
      { text: " ", style: THEME.cursor },
      { text: "   Enter find · Esc cancel", style: THEME.dim },
    ];
  }
  const count = search.matches.length;
  const at = search.current >= 0 ? `${search.current + 1}/${count}` : `${count}`;
  return [
    { text: " search ", style: THEME.dim },
    { text: search.text, style: THEME.emphasis },
    { text: count === 0 ? "  no match" : `  ${at} lines match`, style: count === 0 ? THEME.errorMessage : "" },
    { text: "  n next · N previous · Esc clears", style: THEME.dim },
  ];
}
