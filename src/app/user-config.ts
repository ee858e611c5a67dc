// The user's configuration as the app sees it (read and checked by cli/config/ from the config folder): aliases,
// hotkeys, plugins, per-context settings. Data only; parsing a k9s-style key name ("Shift-0", "Ctrl-L") is here too,
// since the app's bindings are made of KeySpecs.
import type { KeySpec } from "./bindings.ts";

/** A hotkey (hotkeys.yaml): a key that runs a `:` command. */
export interface Hotkey {
  name: string;
  key: KeySpec;
  /** As written in the file ("Shift-0"), for messages. */
  shortCut: string;
  description: string;
  command: string;
}

/** A plugin (plugins.yaml, k9s's schema): a key that runs a program on the selected row. */
export interface Plugin {
  name: string;
  key: KeySpec;
  shortCut: string;
  description: string;
  /** Kind names, short names or "all", lowercase. */
  scopes: readonly string[];
  command: string;
  args: readonly string[];
  background: boolean;
  confirm: boolean;
  dangerous: boolean;
}

/** Settings of one kubeconfig context (config.yaml's `contexts:`). */
export interface ContextSettings {
  readOnly?: boolean;
  /** Seed the 1–9 namespace keys. */
  favoriteNamespaces?: readonly string[];
  /** The first namespace scope in this context. */
  defaultNamespace?: string;
  /** The first view in this context: a `:` command. */
  defaultView?: string;
}

export interface UserConfig {
  /** A skin's name (skins are applied elsewhere). */
  skin?: string;
  /** Seconds between AGE repaints (default 1). */
  refreshAges: number;
  logBuffer?: { lines?: number; bytes?: number };
  /** The first view: a `:` command ("deploy", "pods kube-system"). */
  defaultView?: string;
  /** No write actions (and no dangerous plugins). */
  readOnly: boolean;
  contexts: Readonly<Record<string, ContextSettings>>;
  /** `:dp` → "deployments": the whole command an alias stands for. */
  aliases: Readonly<Record<string, string>>;
  hotkeys: readonly Hotkey[];
  plugins: readonly Plugin[];
  /** $USER of the plugins, by context name (the kubeconfig's users). */
  contextUsers?: Readonly<Record<string, string>>;
  /** $KUBECONFIG of the plugins: the kubeconfig file(s), as the path list kubectl takes. */
  kubeconfig?: string;
  /** -A was given: the contexts' defaultNamespace does not apply. */
  allNamespaces?: boolean;
  /** Problems found in the files, one line each: shown at start-up. */
  problems: readonly string[];
}

export const DEFAULT_CONFIG: UserConfig = {
  refreshAges: 1,
  readOnly: false,
  contexts: {},
  aliases: {},
  hotkeys: [],
  plugins: [],
  problems: [],
};

/** The settings of `context` (none: an empty object). */
export function contextSettings(config: UserConfig, context: string): ContextSettings {
  return config.contexts[context] ?? {};
}

/** Read-only in `context`: the context's own setting, else the global one. */
export function isReadOnly(config: UserConfig, context: string): boolean {
  return contextSettings(config, context).readOnly ?? config.readOnly;
}

const SHIFTED_DIGITS = ")!@#$%^&*(";

const NAMED_KEYS: Record<string, string> = {
  enter: "enter",
  return: "enter",
  esc: "escape",
  escape: "escape",
  space: "space",
  tab: "tab",
  backspace: "backspace",
  delete: "delete",
  del: "delete",
  insert: "insert",
  home: "home",
  end: "end",
  pgup: "pageup",
  pageup: "pageup",
  pgdn: "pagedown",
  pagedown: "pagedown",
  up: "up",
  down: "down",
  left: "left",
  right: "right",
};

/**
 * A k9s key name → KeySpec, or null when it is not a key: "a", "Shift-A" (the capital letter), "Shift-0" (")", as a
 * US keyboard sends it), "Ctrl-L", "Alt-K", "F5", "Ctrl-Shift-Left"... Case-insensitive but for a lone letter.
 */
export function parseShortCut(text: string): KeySpec | null {
  const parts = text.trim().split("-");
  // "Ctrl--" would be Ctrl and "-": keep a trailing empty part as the "-" key.
  if (parts.length > 1 && parts[parts.length - 1] === "" && parts[parts.length - 2] === "") parts.splice(-2, 2, "-");
  const base = parts.pop() ?? "";
  let ctrl = false;
  let alt = false;
  let shift = false;
  for (const mod of parts) {
    const m = mod.toLowerCase();
    if (m === "ctrl" || m === "control") ctrl = true;
    else if (m === "alt" || m === "meta") alt = true;
    else if (m === "shift") shift = true;
    else return null;
  }
  if (base === "") return null;
  const lower = base.toLowerCase();
  if (base.length === 1) {
    if (/[a-z]/i.test(base)) {
      if (ctrl) return { name: lower, ctrl: true, ...(alt && { alt }) };
      // Shift-A and a lone "A" are the capital letter; a lone "a" the small one.
      return { name: shift ? base.toUpperCase() : base, ...(alt && { alt }) };
    }
    if (/[0-9]/.test(base) && shift && !ctrl)
      return { name: SHIFTED_DIGITS[Number(base)] as string, ...(alt && { alt }) };
    if (shift || ctrl) return null;
    if (base.charCodeAt(0) <= 32 || base.charCodeAt(0) === 127) return null;
    return { name: base, ...(alt && { alt }) };
  }
  const named = /^f([1-9]|1[0-2])$/.test(lower) ? lower : NAMED_KEYS[lower];
  if (named === undefined) return null;
  return { name: named, ...(ctrl && { ctrl }), ...(alt && { alt }), ...(shift && { shift }) };
}

/** Two KeySpecs name the same key. */
export function sameKey(a: KeySpec, b: KeySpec): boolean {
  return (
    a.name === b.name &&
    (a.ctrl ?? false) === (b.ctrl ?? false) &&
    (a.alt ?? false) === (b.alt ?? false) &&
    (a.name.length === 1 || (a.shift ?? false) === (b.shift ?? false))
  );
}
