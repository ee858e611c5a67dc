// Colours the terminal can show, and how one colour becomes SGR codes at a depth: how many colours the terminal has
// is read from the environment as common tools do; a colour it cannot show becomes the nearest one it can
// (truecolor → the 256-colour palette → the 16 ANSI colours). Pure: no terminal I/O.

/** "none": no colour at all (NO_COLOR, TERM=dumb); bold, dim, underline and reverse video remain. */
export type ColorDepth = "none" | "16" | "256" | "truecolor";

/** A colour as a skin names it: one of the 16 ANSI colours, a 256-palette index, or 24-bit RGB. */
export type Color =
  | { kind: "ansi"; index: number } // 0–15: black … white, then brightblack … brightwhite
  | { kind: "index"; index: number } // 0–255
  | { kind: "rgb"; r: number; g: number; b: number };

const ANSI_NAMES = ["black", "red", "green", "yellow", "blue", "magenta", "cyan", "white"];

/**
 * The colour depth the environment asks for:
 * NO_COLOR set and not empty → none (no-color.org); TERM=dumb → none; COLORTERM=truecolor or 24bit → truecolor;
 * TERM ending in -direct, or xterm-kitty → truecolor; TERM containing 256color (or ending in -256) → 256;
 * otherwise 16.
 */
export function detectColorDepth(env: Readonly<Record<string, string | undefined>>): ColorDepth {
  if ((env.NO_COLOR ?? "") !== "") return "none";
  const term = (env.TERM ?? "").toLowerCase();
  if (term === "dumb") return "none";
  const colorterm = (env.COLORTERM ?? "").toLowerCase();
  if (colorterm === "truecolor" || colorterm === "24bit") return "truecolor";
  if (term.endsWith("-direct") || term === "xterm-kitty") return "truecolor";
  if (term.includes("256color") || term.endsWith("-256")) return "256";
  return "16";
}

/** "red", "brightblue" (or "bright-blue"), "gray" (brightblack), "default", "208" (palette index), "#ff8700". undefined: not a colour. */
export function parseColor(value: string | number): Color | "default" | undefined {
  if (typeof value === "number") {
    return Number.isInteger(value) && value >= 0 && value <= 255 ? { kind: "index", index: value } : undefined;
  }
  const v = value.trim().toLowerCase();
  if (v === "default") return "default";
  const hex = /^#([0-9a-f]{6})$/.exec(v);
  if (hex) {
    const n = Number.parseInt(hex[1] as string, 16);
    return { kind: "rgb", r: (n >> 16) & 255, g: (n >> 8) & 255, b: n & 255 };
  }
  if (/^\d{1,3}$/.test(v)) return parseColor(Number(v));
  // "gray" / "grey" is what most tools call brightblack.
  if (v === "gray" || v === "grey") return { kind: "ansi", index: 8 };
  const bright = v.startsWith("bright");
  const i = ANSI_NAMES.indexOf(v.replace(/^bright-?/, ""));
  if (i < 0) return undefined;
  return { kind: "ansi", index: bright ? i + 8 : i };
}

// xterm's default RGB for the 16 ANSI colours: what "nearest of the 16" measures against.
const ANSI_RGB: readonly (readonly [number, number, number])[] = [
  [0, 0, 0],
  [205, 0, 0],
  [0, 205, 0],
  [205, 205, 0],
  [0, 0, 238],
  [205, 0, 205],
  [0, 205, 205],
  [229, 229, 229],
  [127, 127, 127],
  [255, 0, 0],
  [0, 255, 0],
  [255, 255, 0],
  [92, 92, 255],
  [255, 0, 255],
  [0, 255, 255],
  [255, 255, 255],
];
const CUBE = [0, 95, 135, 175, 215, 255];

/** RGB of a 256-palette index (xterm's palette). */
export function indexToRgb(index: number): [number, number, number] {
  if (index < 16) return [...(ANSI_RGB[index] as [number, number, number])];
  if (index < 232) {
    const i = index - 16;
    return [CUBE[Math.floor(i / 36)] as number, CUBE[Math.floor(i / 6) % 6] as number, CUBE[i % 6] as number];
  }
  const g = 8 + (index - 232) * 10;
  return [g, g, g];
}

const dist = (a: readonly number[], b: readonly number[]) =>
  ((a[0] as number) - (b[0] as number)) ** 2 +
  ((a[1] as number) - (b[1] as number)) ** 2 +
  ((a[2] as number) - (b[2] as number)) ** 2;

/** The nearest colour of the 6×6×6 cube or the grey ramp (16–255; the 16 ANSI colours vary by terminal). */
export function nearest256(r: number, g: number, b: number): number {
  const level = (c: number) => {
    let best = 0;
    for (let i = 1; i < CUBE.length; i++)
      if (Math.abs((CUBE[i] as number) - c) < Math.abs((CUBE[best] as number) - c)) best = i;
    return best;
  };
  const cube = 16 + 36 * level(r) + 6 * level(g) + level(b);
  const avg = (r + g + b) / 3;
  const grey = 232 + Math.max(0, Math.min(23, Math.round((avg - 8) / 10)));
  return dist(indexToRgb(grey), [r, g, b]) < dist(indexToRgb(cube), [r, g, b]) ? grey : cube;
}

/** The nearest of the 16 ANSI colours (0–15). */
export function nearest16(r: number, g: number, b: number): number {
  let best = 0;
  for (let i = 1; i < 16; i++)
    if (dist(ANSI_RGB[i] as readonly number[], [r, g, b]) < dist(ANSI_RGB[best] as readonly number[], [r, g, b]))
      best = i;
  return best;
}

/** SGR codes for `color` as foreground or background at `depth`; "" at depth none. */
export function colorCodes(color: Color | "default", depth: ColorDepth, layer: "fg" | "bg"): string {
  if (depth === "none") return "";
  const bg = layer === "bg";
  const ansi = (i: number) => String((i < 8 ? 30 + i : 82 + i) + (bg ? 10 : 0));
  if (color === "default") return bg ? "49" : "39";
  if (color.kind === "ansi") return ansi(color.index);
  if (color.kind === "index") {
    if (color.index < 16) return ansi(color.index);
    if (depth === "16") return ansi(nearest16(...indexToRgb(color.index)));
    return `${bg ? 48 : 38};5;${color.index}`;
  }
  const { r, g, b } = color;
  if (depth === "truecolor") return `${bg ? 48 : 38};2;${r};${g};${b}`;
  if (depth === "256") return `${bg ? 48 : 38};5;${nearest256(r, g, b)}`;
  return ansi(nearest16(r, g, b));
}

/** `codes` (an SGR parameter list, "1;31") without its colours: what is left when the terminal shows none. */
export function withoutColor(codes: string): string {
  const parts = codes.split(";");
  const out: string[] = [];
  for (let i = 0; i < parts.length; i++) {
    const n = Number(parts[i]);
    if (n === 38 || n === 48) {
      i += parts[i + 1] === "2" ? 4 : 2;
      continue;
    }
    if ((n >= 30 && n <= 39) || (n >= 40 && n <= 49) || (n >= 90 && n <= 97) || (n >= 100 && n <= 107)) continue;
    out.push(parts[i] as string);
  }
  return out.join(";");
}
