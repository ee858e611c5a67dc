// Display width of text in terminal cells. Almost every cell in a Kubernetes table is printable ASCII, where width is
// the string length; cellWidth (grapheme-aware, East Asian widths, emoji: string-width's rules) is only consulted for
// the rest, because calling it for every cell cost far more than building the rows.
import { stripAnsi } from "./ansi.ts";
import { cellWidth } from "./cell-width.ts";

export const ELLIPSIS = "…";

/** True when every code unit is printable ASCII (0x20–0x7e): one cell per character. */
export function isPrintableAscii(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || c > 0x7e) return false;
  }
  return true;
}

/**
 * Code point ranges (pairs, inclusive) beyond ASCII of characters that are one cell wide and a grapheme of their own
 * whatever stands next to them, as string-width and cellWidth measure them (test/unit/tui/width.test.ts checks every
 * one): Latin-1 and Latin Extended (not the soft hyphen), punctuation (… ‘’ “” •), arrows and maths, box drawing,
 * blocks and shapes (not ◽◾, which are emoji), check marks, braille (the spinner). The UI's own non-ASCII characters
 * are all in here, so a frame of them never needs cellWidth, whose first call costs tens of ms (its Unicode property
 * regexes and the process's first Intl.Segmenter are built then) and each further one a grapheme segmentation.
 */
const NARROW_RANGES = [
  0xa1, 0xac, 0xae, 0x2ff, 0x2010, 0x2027, 0x2030, 0x205e, 0x2190, 0x22ff, 0x2500, 0x25fc, 0x2713, 0x2718, 0x2800,
  0x28ff,
];

function isNarrowCode(c: number): boolean {
  if (c >= 0x20 && c <= 0x7e) return true;
  if (c < 0xa1) return false;
  for (let i = 0; i < NARROW_RANGES.length; i += 2) {
    if (c < NARROW_RANGES[i]!) return false;
    if (c <= NARROW_RANGES[i + 1]!) return true;
  }
  return false;
}

/** True when every character is one cell and one grapheme (printable ASCII or NARROW_RANGES): width = length. */
export function isNarrowText(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    if (!isNarrowCode(s.charCodeAt(i))) return false;
  }
  return true;
}

/** Replaces control characters, which would move the cursor or change modes if printed, with U+FFFD. */
export function sanitize(s: string): string {
  if (isNarrowText(s)) return s;
  return s.replace(/[\x00-\x1f\x7f-\x9f]/g, "\ufffd");
}

/** Cells that `s` (plain text, no escape sequences) occupies. */
export function displayWidth(s: string): number {
  return isNarrowText(s) ? s.length : cellWidth(s);
}

/** Width of a line that may contain SGR sequences. */
export function visibleWidth(line: string): number {
  return displayWidth(stripAnsi(line));
}

/** Made on first use: the process's first Intl.Segmenter costs ~12 ms of ICU set-up, and most frames need none. */
let segmenter: Intl.Segmenter | undefined;

/**
 * Cuts `s` to at most `max` cells, ending with "…" when something was cut. Never splits a grapheme (emoji with
 * modifiers, letters with combining marks) and never leaves half of a wide character.
 */
export function truncate(s: string, max: number): string {
  if (max <= 0) return "";
  if (isNarrowText(s)) {
    return s.length <= max ? s : s.slice(0, max - 1) + ELLIPSIS;
  }
  if (cellWidth(s) <= max) return s;
  return takeWidth(s, max - 1) + ELLIPSIS;
}

/** The longest prefix of `s` (whole graphemes) that fits in `max` cells. */
export function takeWidth(s: string, max: number): string {
  if (isNarrowText(s)) return s.slice(0, max);
  let used = 0;
  let end = 0;
  segmenter ??= new Intl.Segmenter(undefined, { granularity: "grapheme" });
  for (const { segment, index } of segmenter.segment(s)) {
    const w = isPrintableAscii(segment) ? segment.length : cellWidth(segment);
    if (used + w > max) break;
    used += w;
    end = index + segment.length;
  }
  return s.slice(0, end);
}

/** Pads with spaces on the right to exactly `width` cells (assumes `s` already fits). */
export function padEnd(s: string, width: number): string {
  const w = displayWidth(s);
  return w >= width ? s : s + " ".repeat(width - w);
}

/** Truncates then pads: the cell text of a column `width` cells wide. */
export function fit(s: string, width: number): string {
  return padEnd(truncate(s, width), width);
}
