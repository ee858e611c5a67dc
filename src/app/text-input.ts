// Editing of the one-line inputs (the `/` filter, the `:` line, searches): a text and a cursor, edited anywhere with
// the shell's keys (readline's emacs mode). Operations take and return plain data; the cursor is a UTF-16 index that
// always sits on a grapheme boundary, so an emoji or an accented letter moves and goes in one key.
import type { KeyEvent } from "../tui/input.ts";
import { type Binding, keys } from "./bindings.ts";
import type { Segment } from "./paint.ts";
import { THEME } from "./theme.ts";

export interface TextInput {
  readonly text: string;
  /** UTF-16 index into text, on a grapheme boundary; text.length is the end. */
  readonly cursor: number;
}

export const EMPTY_INPUT: TextInput = { text: "", cursor: 0 };

/** `text` with the cursor at its end. */
export function inputOf(text: string): TextInput {
  return { text, cursor: text.length };
}

// Made on first use: the process's first Intl.Segmenter costs ~12 ms of ICU set-up, on the way to the first frame.
let segmenter: Intl.Segmenter | undefined;
const graphemes = () => (segmenter ??= new Intl.Segmenter(undefined, { granularity: "grapheme" }));
const isAscii = (code: number) => code < 0x80;

/** The grapheme boundary before `i` (0 at the start). */
export function prevBoundary(text: string, i: number): number {
  if (i <= 0) return 0;
  if (isAscii(text.charCodeAt(i - 1)) && (i < 2 || isAscii(text.charCodeAt(i - 2)))) return i - 1;
  let last = 0;
  for (const { index } of graphemes().segment(text.slice(0, i))) last = index;
  return last;
}

/** The grapheme boundary after `i` (text.length at the end). */
export function nextBoundary(text: string, i: number): number {
  if (i >= text.length) return text.length;
  if (isAscii(text.charCodeAt(i)) && (i + 1 >= text.length || isAscii(text.charCodeAt(i + 1)))) return i + 1;
  const first = graphemes().segment(text.slice(i))[Symbol.iterator]().next().value;
  return i + (first ? first.segment.length : 1);
}

const WORD = /[\p{L}\p{N}_]/u;
const SPACE = /\s/;
const isWord = (text: string, i: number) => WORD.test(text[i] ?? "");
const isSpace = (text: string, i: number) => SPACE.test(text[i] ?? "");

/** Alt-B: back to the start of the word before the cursor (letters and digits make words). */
export function wordLeft(text: string, i: number): number {
  let j = i;
  while (j > 0 && !isWord(text, j - 1)) j--;
  while (j > 0 && isWord(text, j - 1)) j--;
  return j;
}

/** Alt-F: forward to the end of the word after the cursor. */
export function wordRight(text: string, i: number): number {
  let j = i;
  while (j < text.length && !isWord(text, j)) j++;
  while (j < text.length && isWord(text, j)) j++;
  return j;
}

/** Ctrl-W's word (the shell's unix-word-rubout): spaces, then everything up to the space before them. */
function spaceWordLeft(text: string, i: number): number {
  let j = i;
  while (j > 0 && isSpace(text, j - 1)) j--;
  while (j > 0 && !isSpace(text, j - 1)) j--;
  return j;
}

function remove(input: TextInput, from: number, to: number): TextInput {
  if (from >= to) return input;
  return { text: input.text.slice(0, from) + input.text.slice(to), cursor: from };
}

const moveTo = (input: TextInput, cursor: number): TextInput =>
  cursor === input.cursor ? input : { text: input.text, cursor };

/** Typed or pasted text goes in at the cursor. */
export function insertText(input: TextInput, s: string): TextInput {
  if (s === "") return input;
  const { text, cursor } = input;
  return { text: text.slice(0, cursor) + s + text.slice(cursor), cursor: cursor + s.length };
}

/** Pasted text as one line: line breaks and tabs become spaces, other control characters go. */
export function pasteText(text: string): string {
  return text.replace(/\r\n|[\r\n\t]/g, " ").replace(/[\x00-\x1f\x7f]/g, "");
}

/** A paste at the cursor. */
export function pasteInto(input: TextInput, pasted: string): TextInput {
  return insertText(input, pasteText(pasted));
}

interface Edit {
  keys: string[];
  label: string;
  apply(input: TextInput): TextInput;
}

/** The editing keys, in the order the help lists them. */
const EDITS: readonly Edit[] = [
  { keys: ["left"], label: "cursor left", apply: (t) => moveTo(t, prevBoundary(t.text, t.cursor)) },
  { keys: ["right"], label: "cursor right", apply: (t) => moveTo(t, nextBoundary(t.text, t.cursor)) },
  { keys: ["home", "ctrl+a"], label: "cursor to the start", apply: (t) => moveTo(t, 0) },
  { keys: ["end", "ctrl+e"], label: "cursor to the end", apply: (t) => moveTo(t, t.text.length) },
  {
    keys: ["alt+b", "ctrl+left", "alt+left"],
    label: "a word left",
    apply: (t) => moveTo(t, wordLeft(t.text, t.cursor)),
  },
  {
    keys: ["alt+f", "ctrl+right", "alt+right"],
    label: "a word right",
    apply: (t) => moveTo(t, wordRight(t.text, t.cursor)),
  },
  {
    keys: ["backspace"],
    label: "delete the character before the cursor",
    apply: (t) => remove(t, prevBoundary(t.text, t.cursor), t.cursor),
  },
  {
    keys: ["delete"],
    label: "delete the character under the cursor",
    apply: (t) => remove(t, t.cursor, nextBoundary(t.text, t.cursor)),
  },
  {
    keys: ["ctrl+w", "alt+backspace", "ctrl+backspace"],
    label: "delete the word before the cursor",
    apply: (t) => remove(t, spaceWordLeft(t.text, t.cursor), t.cursor),
  },
  {
    keys: ["alt+d"],
    label: "delete the word after the cursor",
    apply: (t) => remove(t, t.cursor, wordRight(t.text, t.cursor)),
  },
  { keys: ["ctrl+u"], label: "delete to the start", apply: (t) => remove(t, 0, t.cursor) },
  { keys: ["ctrl+k"], label: "delete to the end", apply: (t) => remove(t, t.cursor, t.text.length) },
];

const EDIT_KEYS = EDITS.map((e) => ({ edit: e, specs: keys(...e.keys) }));

/**
 * The editing keys as bindings (for the help and the README), each giving `set` the edited input. Typing is not a
 * binding: unbound printable keys go through insertText.
 */
export function editBindings<R>(input: TextInput, section: string, set: (next: TextInput) => R): Binding<R>[] {
  return EDIT_KEYS.map(({ edit, specs }) => ({
    keys: specs,
    label: edit.label,
    section,
    run: () => set(edit.apply(input)),
  }));
}

/** The input after `key`, or null when the key is not an editing key (so the caller may use it). */
export function editInput(input: TextInput, key: KeyEvent): TextInput | null {
  if (key.text !== undefined && !key.ctrl && !key.alt) return insertText(input, key.text);
  for (const { edit, specs } of EDIT_KEYS) {
    for (const s of specs) {
      if (
        s.name === key.name &&
        (s.ctrl ?? false) === key.ctrl &&
        (s.alt ?? false) === key.alt &&
        (s.shift ?? false) === key.shift
      ) {
        return edit.apply(input);
      }
    }
  }
  return null;
}

/** The text after `key` with the cursor at the end (for inputs that keep no cursor), or null. */
export function editText(text: string, key: KeyEvent): string | null {
  return editInput(inputOf(text), key)?.text ?? null;
}

/** Removes the last grapheme. */
export function deleteLastChar(text: string): string {
  return text.slice(0, prevBoundary(text, text.length));
}

/** Removes trailing spaces, then the word before them. */
export function deleteLastWord(text: string): string {
  return text.slice(0, spaceWordLeft(text, text.length));
}

/** The input as drawn: the cell under the cursor in the cursor's style, reverse video (a space at the end). */
export function inputSegments(input: TextInput, style = "", cursorStyle = THEME.cursor): Segment[] {
  const { text, cursor } = input;
  const end = nextBoundary(text, cursor);
  const under = cursor < text.length ? text.slice(cursor, end) : " ";
  return [
    { text: text.slice(0, cursor), style },
    { text: under, style: cursorStyle },
    { text: text.slice(end), style },
  ];
}
