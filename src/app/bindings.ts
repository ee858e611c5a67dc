// Key bindings as data. Every view declares the keys it offers right now (a key that does not apply to the row or the
// kind is simply not in the list), and both the `?` help and the hint line are generated from the same lists, so a
// key that is shown is a key that works.
import type { KeyEvent } from "../tui/input.ts";

/** One key, as the input parser names it, with its modifiers. */
export interface KeySpec {
  /** KeyEvent.name: "enter", "up", "d", "N" (Shift-N arrives as the capital letter), "left". */
  name: string;
  ctrl?: boolean;
  alt?: boolean;
  shift?: boolean;
}

/** What a key does in a view: `run` returns the view's next state and what the root should do. */
export interface Binding<Result> {
  keys: readonly KeySpec[];
  /** What it does, for the help ("sort by name"). */
  label: string;
  /** The help section it is listed under ("Navigate", "Sort", ...). */
  section: string;
  /** A few bindings are named on the bottom line when nothing else is shown there. */
  hint?: string;
  run(): Result;
}

/**
 * "ctrl+d", "shift+left", "N", "enter", "space" → KeySpec. Letters are case-sensitive: "N" is Shift-N, as terminals
 * send it.
 */
export function key(spec: string): KeySpec {
  // Views list their bindings on every frame (the hint line): each spec is parsed once, and shared frozen.
  const known = parsedKeys.get(spec);
  if (known) return known;
  const parsed = Object.freeze(parseKey(spec));
  parsedKeys.set(spec, parsed);
  return parsed;
}

const parsedKeys = new Map<string, KeySpec>();

function parseKey(spec: string): KeySpec {
  const parts = spec.split("+");
  const name = parts.pop() as string;
  const k: KeySpec = { name };
  for (const mod of parts) {
    if (mod === "ctrl") k.ctrl = true;
    else if (mod === "alt") k.alt = true;
    else if (mod === "shift") k.shift = true;
    else throw new Error(`unknown modifier ${mod} in key ${spec}`);
  }
  return k;
}

/** Several keys: keys("j", "down"). */
export function keys(...specs: string[]): KeySpec[] {
  return specs.map(key);
}

export function matches(spec: KeySpec, event: KeyEvent): boolean {
  // The space bar arrives as the text " " (Ctrl-Space as "space" with ctrl); "space" names both in bindings.
  const name = event.name === " " ? "space" : event.name;
  return (
    spec.name === name &&
    (spec.ctrl ?? false) === event.ctrl &&
    (spec.alt ?? false) === event.alt &&
    // Shift is only compared for named keys: a capital letter already says it.
    (spec.name.length === 1 || (spec.shift ?? false) === event.shift)
  );
}

/** The first binding whose keys include `event`. */
export function findBinding<R>(bindings: readonly Binding<R>[], event: KeyEvent): Binding<R> | undefined {
  return bindings.find((b) => b.keys.some((k) => matches(k, event)));
}

const NAMED: Record<string, string> = {
  up: "↑",
  down: "↓",
  left: "←",
  right: "→",
  pageup: "PgUp",
  pagedown: "PgDn",
  home: "Home",
  end: "End",
  enter: "Enter",
  escape: "Esc",
  space: "Space",
  tab: "Tab",
  backspace: "Backspace",
  delete: "Del",
};

/** How a key is written in the help: "Ctrl-D", "Shift-N", "↑", "Enter". */
export function keyLabel(spec: KeySpec): string {
  let name = NAMED[spec.name] ?? spec.name;
  if (name.length === 1 && name >= "A" && name <= "Z") name = `Shift-${name}`;
  else if (name.length === 1 && spec.ctrl) name = name.toUpperCase();
  const mods = `${spec.ctrl ? "Ctrl-" : ""}${spec.alt ? "Alt-" : ""}${spec.shift ? "Shift-" : ""}`;
  return mods + name;
}

/** A help section: its title and [keys, label] entries, in the order the bindings were declared. */
export interface HelpSection {
  title: string;
  entries: [string, string][];
}

/**
 * Help sections from bindings: one entry per binding (bindings with the same label in a section share one entry, as
 * the digits of the recent namespaces do), sections in order of first appearance.
 */
export function helpSections(bindings: readonly Binding<unknown>[]): HelpSection[] {
  const sections: HelpSection[] = [];
  for (const b of bindings) {
    let section = sections.find((s) => s.title === b.section);
    if (!section) {
      section = { title: b.section, entries: [] };
      sections.push(section);
    }
    const keysText = b.keys.map(keyLabel).join(" ");
    const same = section.entries.find(([, label]) => label === b.label);
    if (same) same[0] = `${same[0]} ${keysText}`;
    else section.entries.push([keysText, b.label]);
  }
  return sections;
}

/** The hint line: "? help  / filter  : command  q quit". */
export function hintText(bindings: readonly Binding<unknown>[]): string {
  const hints: string[] = [];
  for (const b of bindings) {
    if (b.hint === undefined) continue;
    const first = b.keys[0];
    if (first) hints.push(`${keyLabel(first)} ${b.hint}`);
  }
  return hints.join("  ");
}
