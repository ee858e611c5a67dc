// Terminal control sequences used by the renderer and the runtime. Kept in one place so the bytes we send are auditable.
import { withoutColor } from "./color.ts";

export const ESC = "\x1b";
export const CSI = "\x1b[";

export const ENTER_ALT_SCREEN = "\x1b[?1049h";
export const LEAVE_ALT_SCREEN = "\x1b[?1049l";
export const HIDE_CURSOR = "\x1b[?25l";
export const SHOW_CURSOR = "\x1b[?25h";
export const ENABLE_BRACKETED_PASTE = "\x1b[?2004h";
export const DISABLE_BRACKETED_PASTE = "\x1b[?2004l";
/** Mouse reporting: presses, releases and the wheel (1000), in the SGR encoding (1006: no 223-column limit). */
export const ENABLE_MOUSE = "\x1b[?1000h\x1b[?1006h";
export const DISABLE_MOUSE = "\x1b[?1006l\x1b[?1000l";
/** Synchronized output (mode 2026): the terminal shows the frame only when it is complete. tmux ignores it. */
export const BEGIN_SYNC = "\x1b[?2026h";
export const END_SYNC = "\x1b[?2026l";
export const ERASE_LINE_RIGHT = "\x1b[K";
export const RESET_STYLE = "\x1b[0m";

/** Cursor to 1-based row and column 1. */
export function moveTo(row: number): string {
  return `\x1b[${row};1H`;
}

/** SGR with a reset first, so a style never depends on what was painted before it. "" means plain. */
export function sgr(codes: string): string {
  if (colorless !== undefined && codes !== "") codes = colorlessCodes(codes, colorless);
  return codes === "" ? RESET_STYLE : `\x1b[0;${codes}m`;
}

// With no colour (NO_COLOR, TERM=dumb) every style anyone builds loses its colours here, so a view that names
// STYLE.red directly still honours it; styles are few, so each is worked out once.
let colorless: Map<string, string> | undefined;

/** No colour at all from now on (true), or colours again (false). Set once at start-up; tests reset it. */
export function setColorless(on: boolean): void {
  colorless = on ? new Map() : undefined;
}

function colorlessCodes(codes: string, cache: Map<string, string>): string {
  let out = cache.get(codes);
  if (out === undefined) {
    out = withoutColor(codes);
    cache.set(codes, out);
  }
  return out;
}

export const STYLE = {
  bold: "1",
  dim: "2",
  underline: "4",
  reverse: "7",
  red: "31",
  green: "32",
  yellow: "33",
  blue: "34",
  magenta: "35",
  cyan: "36",
} as const;

/** OSC 52: asks the terminal to put `text` on the system clipboard ("c"), base64 of its UTF-8, ended by BEL. */
export function setClipboard(text: string): string {
  return `\x1b]52;c;${Buffer.from(text, "utf8").toString("base64")}\x07`;
}

/** Sequences that put the terminal back as the shell expects it; safe to send more than once. */
export const RESTORE_TERMINAL =
  END_SYNC + DISABLE_MOUSE + DISABLE_BRACKETED_PASTE + RESET_STYLE + SHOW_CURSOR + LEAVE_ALT_SCREEN;
export const SETUP_TERMINAL = ENTER_ALT_SCREEN + HIDE_CURSOR + ENABLE_BRACKETED_PASTE;

// Matches CSI sequences (SGR and others) and OSC strings; enough to measure lines that we built ourselves.
const ANSI_PATTERN = /\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)/g;

export function stripAnsi(s: string): string {
  return s.includes("\x1b") ? s.replace(ANSI_PATTERN, "") : s;
}
