// Raw terminal input → key and paste events. Handles the common xterm, VT220, rxvt and Linux-console encodings of
// cursor and editing keys, modifiers (CSI 1;5A), UTF-8 text, Alt as an ESC prefix, escape sequences split across
// reads, and bracketed paste. A lone ESC cannot be told from the start of a sequence until a short pause: the parser
// keeps it pending and the caller calls flush() after a timeout.

export interface KeyEvent {
  type: "key";
  /** "up", "pageup", "enter", "escape", "f5", ... for special keys; the character itself ("a", "G", "/", "日")
   * for text; the lowercase letter for Ctrl-letter ("c" with ctrl). */
  name: string;
  ctrl: boolean;
  alt: boolean;
  shift: boolean;
  /** Text the key types, for printable keys without Ctrl or Alt. */
  text?: string;
}

export interface PasteEvent {
  type: "paste";
  text: string;
}

/** A mouse report (SGR mode 1006, or the legacy X10 encoding), with mouse reporting on (mode 1000). */
export interface MouseEvent {
  type: "mouse";
  action: "press" | "release" | "wheelUp" | "wheelDown";
  /** Cell, 0-based from the top-left corner. */
  x: number;
  y: number;
  /** 0 left, 1 middle, 2 right; 64/65 for the wheel (up/down); -1 for an X10 release (which does not say). */
  button: number;
  ctrl: boolean;
  alt: boolean;
  shift: boolean;
  /** When it came (epoch ms), stamped by the runtime: a double click is two presses close in time. */
  at?: number;
}

export type InputEvent = KeyEvent | PasteEvent | MouseEvent;

const PASTE_START = "\x1b[200~";
const PASTE_END = "\x1b[201~";

export function key(name: string, mods: { ctrl?: boolean; alt?: boolean; shift?: boolean } = {}): KeyEvent {
  return { type: "key", name, ctrl: mods.ctrl ?? false, alt: mods.alt ?? false, shift: mods.shift ?? false };
}

function textKey(ch: string): KeyEvent {
  return { type: "key", name: ch, ctrl: false, alt: false, shift: false, text: ch };
}

// ESC [ <n> ~
const TILDE_KEYS: Record<number, string> = {
  1: "home",
  2: "insert",
  3: "delete",
  4: "end",
  5: "pageup",
  6: "pagedown",
  7: "home", // rxvt
  8: "end", // rxvt
  11: "f1",
  12: "f2",
  13: "f3",
  14: "f4",
  15: "f5",
  17: "f6",
  18: "f7",
  19: "f8",
  20: "f9",
  21: "f10",
  23: "f11",
  24: "f12",
};

// Final byte of ESC [ ... X and ESC O X.
const LETTER_KEYS: Record<string, string> = {
  A: "up",
  B: "down",
  C: "right",
  D: "left",
  E: "begin",
  F: "end",
  H: "home",
  P: "f1",
  Q: "f2",
  R: "f3",
  S: "f4",
};

// Linux console: ESC [ [ A .. E
const LINUX_FKEYS: Record<string, string> = { A: "f1", B: "f2", C: "f3", D: "f4", E: "f5" };

// rxvt: ESC [ a..d = Shift-arrow, ESC O a..d = Ctrl-arrow.
const RXVT_ARROWS: Record<string, string> = { a: "up", b: "down", c: "right", d: "left" };

/** Modifier parameter of xterm sequences: 1 + (shift 1 | alt 2 | ctrl 4 | meta 8). */
function modifiers(param: string | undefined): { ctrl: boolean; alt: boolean; shift: boolean } {
  const m = Math.max(0, (Number(param) || 1) - 1);
  return { shift: (m & 1) !== 0, alt: (m & 10) !== 0, ctrl: (m & 4) !== 0 };
}

/** A single character typed without escape prefix. */
function charKey(ch: string): KeyEvent {
  const c = ch.charCodeAt(0);
  if (ch.length === 1) {
    if (c === 0x0d || c === 0x0a) return key("enter");
    if (c === 0x09) return key("tab");
    if (c === 0x7f || c === 0x08) return key("backspace");
    if (c === 0x1b) return key("escape");
    if (c === 0x00) return key("space", { ctrl: true });
    if (c < 0x1b) return key(String.fromCharCode(c + 0x60), { ctrl: true });
    if (c < 0x20) return key(String.fromCharCode(c + 0x40), { ctrl: true }); // Ctrl-\ ] ^ _
    if (c >= 0x80 && c < 0xa0) return key("unknown");
  }
  return textKey(ch);
}

type Parsed = { event: InputEvent | null; length: number } | "incomplete";

export class InputParser {
  private buffer = "";
  private paste: string | null = null;

  /** An escape sequence (or a lone ESC) is waiting for more bytes; call flush() if none come soon. */
  get hasPending(): boolean {
    return this.buffer.length > 0 && this.paste === null;
  }

  feed(data: string): InputEvent[] {
    this.buffer += data;
    return this.drain(false);
  }

  /** The pause after a lone ESC (or a cut-off sequence) is over: deliver what is pending as typed keys. */
  flush(): InputEvent[] {
    return this.drain(true);
  }

  private drain(force: boolean): InputEvent[] {
    const events: InputEvent[] = [];
    let i = 0;
    const buf = this.buffer;
    while (i < buf.length) {
      if (this.paste !== null) {
        const end = buf.indexOf(PASTE_END, i);
        if (end < 0) {
          // Keep a possibly cut-off end marker in the buffer; everything before it is pasted text.
          const keep = partialSuffix(buf, PASTE_END);
          this.paste += buf.slice(i, buf.length - keep);
          i = buf.length - keep;
          break;
        }
        events.push({ type: "paste", text: this.paste + buf.slice(i, end) });
        this.paste = null;
        i = end + PASTE_END.length;
        continue;
      }
      if (buf.startsWith(PASTE_START, i)) {
        this.paste = "";
        i += PASTE_START.length;
        continue;
      }
      const parsed = parseOne(buf, i);
      if (parsed === "incomplete") {
        if (!force) break;
        // Nothing more came: the ESC was the Escape key, and what follows it is typed text.
        events.push(key("escape"));
        i += 1;
        continue;
      }
      if (parsed.event) events.push(parsed.event);
      i += parsed.length;
    }
    this.buffer = buf.slice(i);
    return events;
  }
}

/** Length of the longest suffix of `s` that is a proper prefix of `marker`. */
function partialSuffix(s: string, marker: string): number {
  for (let n = Math.min(marker.length - 1, s.length); n > 0; n--) {
    if (s.endsWith(marker.slice(0, n))) return n;
  }
  return 0;
}

function codePointAt(s: string, i: number): string {
  const cp = s.codePointAt(i) ?? 0;
  return String.fromCodePoint(cp);
}

function parseOne(s: string, i: number): Parsed {
  const c = s[i];
  if (c !== "\x1b") {
    const ch = codePointAt(s, i);
    return { event: charKey(ch), length: ch.length };
  }
  if (i + 1 >= s.length) return "incomplete";
  const next = s[i + 1];
  if (next === "[") return parseCsi(s, i);
  if (next === "O") {
    if (i + 2 >= s.length) return "incomplete";
    return { event: ss3Key(s[i + 2] ?? ""), length: 3 };
  }
  if (next === "\x1b") return { event: key("escape"), length: 1 };
  // Alt (Meta) sends ESC before the key.
  const ch = codePointAt(s, i + 1);
  const inner = charKey(ch);
  const event: KeyEvent = { type: "key", name: inner.name, ctrl: inner.ctrl, alt: true, shift: inner.shift };
  return { event, length: 1 + ch.length };
}

function ss3Key(final: string): KeyEvent {
  const name = LETTER_KEYS[final];
  if (name) return key(name);
  const rxvt = RXVT_ARROWS[final];
  if (rxvt) return key(rxvt, { ctrl: true });
  if (final === "M") return key("enter");
  // Application keypad digits and operators: ESC O p..y = 0..9, and a few more.
  if (final >= "p" && final <= "y") return textKey(String.fromCharCode(final.charCodeAt(0) - 0x40));
  return key("unknown");
}

function parseCsi(s: string, i: number): Parsed {
  let j = i + 2;
  // Linux console function keys: ESC [ [ A
  if (s[j] === "[") {
    if (j + 1 >= s.length) return "incomplete";
    return { event: key(LINUX_FKEYS[s[j + 1] ?? ""] ?? "unknown"), length: 4 };
  }
  // Legacy X10 mouse: ESC [ M b x y, each one byte offset by 32.
  if (s[j] === "M") {
    if (j + 3 >= s.length) return "incomplete";
    const b = s.charCodeAt(j + 1) - 32;
    const release = (b & 3) === 3 && (b & 64) === 0;
    return { event: mouseEvent(b, s.charCodeAt(j + 2) - 32, s.charCodeAt(j + 3) - 32, release), length: j + 4 - i };
  }
  const paramsStart = j;
  while (j < s.length && /[0-9;:<=>?]/.test(s[j] ?? "")) j++;
  const params = s.slice(paramsStart, j);
  while (j < s.length && /[ -#%-/]/.test(s[j] ?? "")) j++; // intermediates, but not "$" (rxvt final, below)
  if (j >= s.length) return "incomplete";
  const final = s[j] ?? "";
  const length = j + 1 - i;
  const parts = params.split(";");
  // SGR mouse: ESC [ < b ; x ; y M (press) or m (release).
  if (params.startsWith("<") && (final === "M" || final === "m")) {
    const [b, x, y] = params.slice(1).split(";").map(Number);
    return { event: mouseEvent(b ?? 0, x ?? 0, y ?? 0, final === "m"), length };
  }
  const first = Number(parts[0]) || 0;
  if (final === "~" || final === "$" || final === "^" || final === "@") {
    const name = TILDE_KEYS[first];
    if (!name) return { event: first === 201 ? null : key("unknown"), length };
    const mods = modifiers(parts[1]);
    // rxvt marks Shift with "$", Ctrl with "^" and both with "@".
    if (final === "$" || final === "@") mods.shift = true;
    if (final === "^" || final === "@") mods.ctrl = true;
    return { event: key(name, mods), length };
  }
  if (final === "u") {
    // CSI u (fixterms/kitty): ESC [ codepoint ; modifiers u
    const mods = modifiers(parts[1]);
    const ch = String.fromCodePoint(first || 0x3f);
    const base = charKey(ch);
    const letter = ch.toLowerCase();
    if (mods.ctrl && /^[a-z]$/.test(letter)) return { event: key(letter, mods), length };
    return { event: { ...base, ctrl: base.ctrl || mods.ctrl, alt: mods.alt, shift: mods.shift }, length };
  }
  if (final === "Z") return { event: key("tab", { shift: true }), length };
  const rxvt = RXVT_ARROWS[final];
  if (rxvt && params === "") return { event: key(rxvt, { shift: true }), length };
  const name = LETTER_KEYS[final];
  if (name) return { event: key(name, modifiers(parts[1])), length };
  // Focus reports, cursor position reports and the like: not keys.
  return { event: null, length };
}

/** A mouse report's button byte (low bits: button; 4 shift, 8 alt, 16 ctrl, 32 motion, 64 wheel), 1-based cell. */
function mouseEvent(b: number, x: number, y: number, release: boolean): MouseEvent | null {
  if (!Number.isFinite(b) || !Number.isFinite(x) || !Number.isFinite(y) || b < 0) return null;
  // Motion (modes 1002/1003, not asked for) and the horizontal wheel are not reported.
  if ((b & 32) !== 0) return null;
  const mods = { ctrl: (b & 16) !== 0, alt: (b & 8) !== 0, shift: (b & 4) !== 0 };
  const low = b & 3;
  const at = { x: Math.max(0, x - 1), y: Math.max(0, y - 1) };
  if ((b & 64) !== 0) {
    if (low > 1) return null;
    return { type: "mouse", action: low === 0 ? "wheelUp" : "wheelDown", button: 64 + low, ...at, ...mods };
  }
  if ((b & 128) !== 0) return null; // extra buttons 8-11
  // X10 says "released" without the button (3); SGR says which.
  const button = release && low === 3 ? -1 : low;
  return { type: "mouse", action: release ? "release" : "press", button, ...at, ...mods };
}
