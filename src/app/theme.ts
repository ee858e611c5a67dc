// Skins: what each role on screen looks like (the title, a failing row, a YAML key...). Views never name a colour or a
// skin; they ask THEME for a role's SGR codes. THEME is one module-level object, filled once at start-up by the CLI
// (applySkin) from the chosen skin and the terminal's colour depth: the look does not change while the UI runs, and a
// plain object read costs nothing on the paint path, where threading a theme through every view and helper
// (paintRow, the header, row states) would touch every signature for no gain. Tests that change it restore it.
import { setColorless } from "../tui/ansi.ts";
import { type ColorDepth, colorCodes, parseColor } from "../tui/color.ts";

/** Every role a skin can style; the README's Skins section lists what each one is. */
export const ROLES = [
  "title", // " Timoneiro" in the header; the help's section titles
  "viewTitle", // the view's title and count, right of the header
  "dim", // labels ("context", "cluster"), hints, secondary text, "loading…"
  "value", // the context, cluster and namespace names in the header
  "emphasis", // the current breadcrumb and namespace, keys in the help, prompts, filter text
  "header", // a table's column names
  "row", // a row in a normal state
  "rowFailing", // a row that is failing (CrashLoopBackOff, Error...)
  "rowProgress", // a row on its way (Pending, ContainerCreating, not all ready)
  "rowDone", // a row that is done (Completed)
  "selected", // added to the selected row's style
  "marked", // a marked row (Space), added to its style
  "match", // filter matches in a normal row
  "matchOnColor", // filter matches in a coloured row (added to the row's style)
  "loadingOk", // ✓ of a synced kind in the header
  "loadingProgress", // the spinner and count of a kind still loading
  "loadingError", // ✗ and the error of a kind that fails
  "message", // the bottom line's message
  "errorMessage", // the bottom line's error, a view's error text
  "warning", // context switching, stale data, "the pod is gone", "the object changed"
  "cursor", // the cursor in a prompt (: and /)
  "currentItem", // the current item in a list (the current context)
  "yamlKey",
  "yamlString",
  "yamlNumber",
  "yamlLiteral", // true, false, null
  "yamlComment",
  "yamlMasked", // a secret's masked value
  "describeSection", // describe's top-level headings
  "describeKey", // describe's field names
  "searchMatch", // a search match in a text view (YAML, describe, logs)
  "searchCurrent", // the current search match
  "lineNumber", // a text view's line numbers
] as const;

export type Role = (typeof ROLES)[number];

/** How a skin describes one role. Colours: a name ("red", "brightblue"), a 256-palette index, or "#rrggbb". */
export interface StyleSpec {
  fg?: string | number;
  bg?: string | number;
  bold?: boolean;
  dim?: boolean;
  underline?: boolean;
  reverse?: boolean;
}

export type Skin = Readonly<Record<Role, StyleSpec>>;
/** Each role's SGR parameters ("" = plain), as sgr() and StyledLine take them. */
export type Theme = Record<Role, string>;

const B = { bold: true } as const;

/** Today's dark look; its theme at any colour depth is exactly the SGR the views always sent. */
const DEFAULT: Skin = {
  title: { ...B, fg: "cyan" },
  viewTitle: B,
  dim: { dim: true },
  value: {},
  emphasis: B,
  header: B,
  row: {},
  rowFailing: { fg: "red" },
  rowProgress: { fg: "yellow" },
  rowDone: { dim: true },
  selected: { reverse: true },
  marked: { ...B, fg: "cyan" },
  match: { ...B, underline: true, fg: "green" },
  matchOnColor: { ...B, underline: true },
  loadingOk: { fg: "green" },
  loadingProgress: { fg: "yellow" },
  loadingError: { fg: "red" },
  message: {},
  errorMessage: { fg: "red" },
  warning: { fg: "yellow" },
  cursor: { reverse: true },
  currentItem: { fg: "cyan" },
  yamlKey: { fg: "cyan" },
  yamlString: { fg: "green" },
  yamlNumber: { fg: "magenta" },
  yamlLiteral: { fg: "yellow" },
  yamlComment: { dim: true },
  yamlMasked: { dim: true },
  describeSection: B,
  describeKey: { fg: "cyan" },
  searchMatch: { ...B, reverse: true, fg: "yellow" },
  searchCurrent: { ...B, reverse: true, fg: "green" },
  lineNumber: { dim: true },
};

/** For light backgrounds: no yellow or cyan text (unreadable on white); darker 256-palette colours. */
const LIGHT: Skin = {
  ...DEFAULT,
  title: { ...B, fg: 25 },
  rowFailing: { fg: 160 },
  rowProgress: { fg: 136 },
  match: { ...B, underline: true, fg: 28 },
  loadingOk: { fg: 28 },
  loadingProgress: { fg: 136 },
  loadingError: { fg: 160 },
  errorMessage: { fg: 160 },
  warning: { fg: 136 },
  currentItem: { ...B, fg: 25 },
  marked: { ...B, fg: 25 },
  yamlKey: { fg: 25 },
  yamlString: { fg: 28 },
  yamlNumber: { fg: 90 },
  yamlLiteral: { fg: 130 },
  describeKey: { fg: 25 },
  searchMatch: { ...B, reverse: true, fg: 136 },
  searchCurrent: { ...B, reverse: true, fg: 28 },
};

/** Bright colours and bold, no dim text: every role readable at a glance. */
const HIGH_CONTRAST: Skin = {
  title: { ...B, fg: "brightcyan" },
  viewTitle: { ...B, fg: "brightwhite" },
  dim: { fg: "white" },
  value: { ...B, fg: "brightwhite" },
  emphasis: { ...B, fg: "brightwhite" },
  header: { ...B, underline: true, fg: "brightwhite" },
  row: {},
  rowFailing: { ...B, fg: "brightred" },
  rowProgress: { ...B, fg: "brightyellow" },
  rowDone: { fg: "white" },
  selected: { ...B, reverse: true },
  marked: { ...B, fg: "brightcyan" },
  match: { ...B, underline: true, fg: "brightgreen" },
  matchOnColor: { ...B, underline: true },
  loadingOk: { ...B, fg: "brightgreen" },
  loadingProgress: { ...B, fg: "brightyellow" },
  loadingError: { ...B, fg: "brightred" },
  message: { ...B, fg: "brightwhite" },
  errorMessage: { ...B, fg: "brightred" },
  warning: { ...B, fg: "brightyellow" },
  cursor: { reverse: true },
  currentItem: { ...B, fg: "brightcyan" },
  yamlKey: { fg: "brightcyan" },
  yamlString: { fg: "brightgreen" },
  yamlNumber: { fg: "brightmagenta" },
  yamlLiteral: { fg: "brightyellow" },
  yamlComment: { fg: "white" },
  yamlMasked: { fg: "white" },
  describeSection: { ...B, fg: "brightwhite" },
  describeKey: { fg: "brightcyan" },
  searchMatch: { ...B, reverse: true, fg: "brightyellow" },
  searchCurrent: { ...B, reverse: true, fg: "brightgreen" },
  lineNumber: { fg: "white" },
};

/** Only the terminal's 16 colours, and grey (brightblack) instead of dim, which some consoles show as a colour. */
const BASIC16: Skin = {
  ...DEFAULT,
  dim: { fg: "gray" },
  rowDone: { fg: "gray" },
  yamlComment: { fg: "gray" },
  yamlMasked: { fg: "gray" },
  lineNumber: { fg: "gray" },
};

/** With no colour (NO_COLOR, TERM=dumb), whatever the skin: attributes only, where the meaning needs them. */
const MONO: Skin = {
  ...Object.fromEntries(ROLES.map((r) => [r, {}])),
  title: B,
  viewTitle: B,
  dim: { dim: true },
  emphasis: B,
  header: B,
  rowFailing: B,
  rowDone: { dim: true },
  selected: { reverse: true },
  marked: { ...B, underline: true },
  match: { ...B, underline: true },
  matchOnColor: { ...B, underline: true },
  loadingError: B,
  errorMessage: B,
  cursor: { reverse: true },
  currentItem: B,
  yamlComment: { dim: true },
  yamlMasked: { dim: true },
  describeSection: B,
  searchMatch: { reverse: true },
  searchCurrent: { ...B, underline: true, reverse: true },
  lineNumber: { dim: true },
} as Skin;

export const BUILTIN_SKINS: Readonly<Record<string, Skin>> = {
  default: DEFAULT,
  light: LIGHT,
  "high-contrast": HIGH_CONTRAST,
  basic16: BASIC16,
};

/** SGR parameters of one style at `depth`: attributes first (1 bold, 2 dim, 4 underline, 7 reverse), then colours. */
export function styleCodes(spec: StyleSpec, depth: ColorDepth): string {
  const codes: string[] = [];
  if (spec.bold) codes.push("1");
  if (spec.dim) codes.push("2");
  if (spec.underline) codes.push("4");
  if (spec.reverse) codes.push("7");
  for (const layer of ["fg", "bg"] as const) {
    const raw = spec[layer];
    const color = raw === undefined ? undefined : parseColor(raw);
    const c = color === undefined ? "" : colorCodes(color, depth, layer);
    if (c !== "") codes.push(c);
  }
  return codes.join(";");
}

/** A skin's theme at `depth`; at depth none every skin looks the same (MONO). */
export function buildTheme(skin: Skin, depth: ColorDepth): Theme {
  const source = depth === "none" ? MONO : skin;
  return Object.fromEntries(ROLES.map((r) => [r, styleCodes(source[r], depth)])) as Theme;
}

/** The active theme. Read a role at paint time (THEME.rowFailing), never copy it into a module-level constant. */
export const THEME: Theme = buildTheme(DEFAULT, "16");

/** Makes `skin` at `depth` the active theme; at depth none, styles built from STYLE directly lose colours too. */
export function applySkin(skin: Skin, depth: ColorDepth): void {
  Object.assign(THEME, buildTheme(skin, depth));
  setColorless(depth === "none");
}

const STYLE_KEYS = new Set(["fg", "bg", "bold", "dim", "underline", "reverse"]);

/**
 * A skin from a skin file's parsed YAML (see the README): `extends` (a built-in skin, default "default") and `styles`,
 * role → a style mapping or a colour (foreground). Whatever is wrong gives a warning and is ignored; a file that is
 * not a skin at all gives one warning and the default skin.
 */
export function parseSkin(data: unknown, name: string): { skin: Skin; warnings: string[] } {
  const warnings: string[] = [];
  const warn = (text: string) => warnings.push(`skin ${name}: ${text}`);
  if (data === null || typeof data !== "object" || Array.isArray(data)) {
    return { skin: DEFAULT, warnings: [`skin ${name}: not a skin file (a mapping with styles:); using default`] };
  }
  const doc = data as Record<string, unknown>;
  for (const key of Object.keys(doc)) if (key !== "extends" && key !== "styles") warn(`unknown key "${key}" (ignored)`);
  let base = DEFAULT;
  if (doc.extends !== undefined) {
    const b = typeof doc.extends === "string" ? BUILTIN_SKINS[doc.extends] : undefined;
    if (b) base = b;
    else warn(`extends: no built-in skin "${String(doc.extends)}" (using default)`);
  }
  const skin: Record<Role, StyleSpec> = { ...base };
  const styles = doc.styles ?? {};
  if (styles === null || typeof styles !== "object" || Array.isArray(styles)) {
    warn("styles: must be a mapping of role → style (ignored)");
    return { skin, warnings };
  }
  const roles = new Set<string>(ROLES);
  for (const [role, value] of Object.entries(styles as Record<string, unknown>)) {
    if (!roles.has(role)) {
      warn(`unknown role "${role}" (ignored)`);
      continue;
    }
    const spec = parseStyle(value, (text) => warn(`${role}: ${text}`));
    if (spec) skin[role as Role] = spec;
  }
  return { skin, warnings };
}

function parseStyle(value: unknown, warn: (text: string) => void): StyleSpec | undefined {
  if (typeof value === "string" || typeof value === "number") {
    if (parseColor(value) !== undefined) return { fg: value };
    warn(`"${value}" is not a colour (ignored)`);
    return undefined;
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    warn("must be a colour or a mapping of fg, bg, bold, dim, underline, reverse (ignored)");
    return undefined;
  }
  const spec: StyleSpec = {};
  for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
    if (!STYLE_KEYS.has(key)) {
      warn(`unknown key "${key}" (ignored)`);
    } else if (key === "fg" || key === "bg") {
      if ((typeof v === "string" || typeof v === "number") && parseColor(v) !== undefined) spec[key] = v;
      else warn(`${key}: "${String(v)}" is not a colour (ignored)`);
    } else if (typeof v === "boolean") {
      spec[key as "bold" | "dim" | "underline" | "reverse"] = v;
    } else {
      warn(`${key}: must be true or false (ignored)`);
    }
  }
  return spec;
}
