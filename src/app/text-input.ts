// Editing of the one-line inputs (filter and command): the cursor is always at the end, like a shell's prompt
// while typing. Operations take and return the text, so the model stays plain data.
import type { KeyEvent } from "../tui/input.ts";

const segmenter = new Intl.Segmenter(undefined, { granularity: "grapheme" });

/** Removes the last grapheme (so an emoji or an accented letter goes in one Backspace). */
export function deleteLastChar(text: string): string {
  if (text === "") return text;
  if (text.charCodeAt(text.length - 1) < 0x80 && (text.length < 2 || text.charCodeAt(text.length - 2) < 0x80)) {
    return text.slice(0, -1);
  }
  let lastStart = 0;
  for (const { index } of segmenter.segment(text)) lastStart = index;
  return text.slice(0, lastStart);
}

/** Ctrl-W: removes trailing spaces, then the word before them. */
export function deleteLastWord(text: string): string {
  return text.replace(/\S*\s*$/, "");
}

/** Pasted text as one line: line breaks and tabs become spaces, other control characters go. */
export function pasteText(text: string): string {
  return text.replace(/\r\n|[\r\n\t]/g, " ").replace(/[\x00-\x1f\x7f]/g, "");
}

/** The text after `key`, or null when the key is not an editing key. */
export function editText(text: string, key: KeyEvent): string | null {
  if (key.text !== undefined && !key.ctrl && !key.alt) return text + key.text;
  if (key.name === "backspace") return key.alt || key.ctrl ? deleteLastWord(text) : deleteLastChar(text);
  if (key.ctrl && key.name === "u") return "";
  if (key.ctrl && key.name === "w") return deleteLastWord(text);
  return null;
}
