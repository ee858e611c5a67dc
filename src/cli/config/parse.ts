// The config folder's files, checked: each parser takes a file's text and gives what it could read plus one line per
// problem ("FILE:LINE: what is wrong"). Nothing here throws on bad input: a broken file loses only what is broken.
import { isMap, isScalar, isSeq, LineCounter, type Node, parseDocument, type YAMLMap } from "yaml";
import type { ContextSettings, Hotkey, Plugin, UserConfig } from "../../app/user-config.ts";
import { parseShortCut } from "../../app/user-config.ts";

/** Reports problems of one file, at a node's line. */
export class Problems {
  readonly lines: string[] = [];
  readonly file: string;
  private readonly counter: LineCounter;
  constructor(file: string, counter: LineCounter) {
    this.file = file;
    this.counter = counter;
  }
  at(node: Node | null | undefined, text: string): void {
    const offset = node?.range?.[0];
    const line = offset === undefined ? 1 : this.counter.linePos(offset).line;
    this.lines.push(`${this.file}:${line}: ${text}`);
  }
}

/** The file's top-level map (null: empty file, or a problem reported). */
function topMap(text: string, file: string): { map: YAMLMap | null; problems: Problems } {
  const counter = new LineCounter();
  const doc = parseDocument(text, { lineCounter: counter, prettyErrors: false, uniqueKeys: true });
  const problems = new Problems(file, counter);
  if (doc.errors.length > 0) {
    for (const err of doc.errors) {
      const line = err.linePos?.[0]?.line ?? 1;
      problems.lines.push(`${file}:${line}: ${err.message.split("\n")[0]}`);
    }
    return { map: null, problems };
  }
  if (doc.contents === null || (isScalar(doc.contents) && doc.contents.value === null)) return { map: null, problems };
  if (!isMap(doc.contents)) {
    problems.at(doc.contents, "expected a map of settings");
    return { map: null, problems };
  }
  return { map: doc.contents, problems };
}

/** A map's entries as [key, value node, key node]; a non-string key is a problem. */
function entries(map: YAMLMap, problems: Problems): [string, Node | null, Node][] {
  const out: [string, Node | null, Node][] = [];
  for (const pair of map.items) {
    const k = pair.key as Node;
    if (!isScalar(k) || (typeof k.value !== "string" && typeof k.value !== "number")) {
      problems.at(k, "a key must be a name");
      continue;
    }
    out.push([String(k.value), (pair.value as Node | null) ?? null, k]);
  }
  return out;
}

function asString(node: Node | null, what: string, problems: Problems): string | undefined {
  if (isScalar(node) && (typeof node.value === "string" || typeof node.value === "number")) return String(node.value);
  problems.at(node, `${what} must be a string`);
  return undefined;
}

function asBool(node: Node | null, what: string, problems: Problems): boolean | undefined {
  if (isScalar(node) && typeof node.value === "boolean") return node.value;
  problems.at(node, `${what} must be true or false`);
  return undefined;
}

function asNumber(node: Node | null, what: string, problems: Problems, integer = false): number | undefined {
  if (isScalar(node) && typeof node.value === "number" && node.value > 0 && (!integer || Number.isInteger(node.value)))
    return node.value;
  problems.at(node, `${what} must be a ${integer ? "whole " : ""}number above 0`);
  return undefined;
}

function asStrings(node: Node | null, what: string, problems: Problems): string[] | undefined {
  if (!isSeq(node)) {
    problems.at(node, `${what} must be a list`);
    return undefined;
  }
  const out: string[] = [];
  for (const item of node.items) {
    const s = asString(item as Node, `an item of ${what}`, problems);
    if (s !== undefined) out.push(s);
  }
  return out;
}

function asMap(node: Node | null, what: string, problems: Problems): YAMLMap | undefined {
  if (isMap(node)) return node;
  if (isScalar(node) && node.value === null) return undefined;
  problems.at(node, `${what} must be a map`);
  return undefined;
}

function unknown(key: string, node: Node, problems: Problems): void {
  problems.at(node, `unknown key "${key}"`);
}

/** The part of UserConfig that config.yaml sets. */
export type MainSettings = Pick<
  UserConfig,
  "skin" | "refreshAges" | "logBuffer" | "defaultView" | "readOnly" | "contexts"
>;

export function parseMainConfig(text: string, file: string): { settings: Partial<MainSettings>; problems: string[] } {
  const { map, problems } = topMap(text, file);
  const settings: Partial<MainSettings> = {};
  if (!map) return { settings, problems: problems.lines };
  for (const [key, value, keyNode] of entries(map, problems)) {
    switch (key) {
      case "skin": {
        const v = asString(value, "skin", problems);
        if (v !== undefined) settings.skin = v;
        break;
      }
      case "refreshAges": {
        const v = asNumber(value, "refreshAges", problems);
        if (v !== undefined) settings.refreshAges = v;
        break;
      }
      case "defaultView": {
        const v = asString(value, "defaultView", problems);
        if (v !== undefined) settings.defaultView = v;
        break;
      }
      case "readOnly": {
        const v = asBool(value, "readOnly", problems);
        if (v !== undefined) settings.readOnly = v;
        break;
      }
      case "logBuffer": {
        const m = asMap(value, "logBuffer", problems);
        if (!m) break;
        const buffer: { lines?: number; bytes?: number } = {};
        for (const [k, v, kn] of entries(m, problems)) {
          if (k === "lines" || k === "bytes") {
            const n = asNumber(v, `logBuffer.${k}`, problems, true);
            if (n !== undefined) buffer[k] = n;
          } else unknown(k, kn, problems);
        }
        settings.logBuffer = buffer;
        break;
      }
      case "contexts": {
        const m = asMap(value, "contexts", problems);
        if (!m) break;
        const contexts: Record<string, ContextSettings> = {};
        for (const [name, v] of entries(m, problems)) {
          const c = asMap(v, `contexts.${name}`, problems);
          if (c) contexts[name] = parseContext(c, name, problems);
        }
        settings.contexts = contexts;
        break;
      }
      default:
        unknown(key, keyNode, problems);
    }
  }
  return { settings, problems: problems.lines };
}

function parseContext(map: YAMLMap, name: string, problems: Problems): ContextSettings {
  const out: { -readonly [K in keyof ContextSettings]: ContextSettings[K] } = {};
  for (const [key, value, keyNode] of entries(map, problems)) {
    const what = `contexts.${name}.${key}`;
    switch (key) {
      case "readOnly": {
        const v = asBool(value, what, problems);
        if (v !== undefined) out.readOnly = v;
        break;
      }
      case "favoriteNamespaces": {
        const v = asStrings(value, what, problems);
        if (v !== undefined) out.favoriteNamespaces = v;
        break;
      }
      case "defaultNamespace": {
        const v = asString(value, what, problems);
        if (v !== undefined) out.defaultNamespace = v;
        break;
      }
      case "defaultView": {
        const v = asString(value, what, problems);
        if (v !== undefined) out.defaultView = v;
        break;
      }
      default:
        unknown(key, keyNode, problems);
    }
  }
  return out;
}

/**
 * A k9s alias target as a command: "apps/v1/deployments" (k9s's group/version/resource) → "deployments.apps",
 * "v1/pods" → "pods"; anything else ("pods /CrashLoop", "deploy kube-system") as it is.
 */
export function aliasCommand(target: string): string {
  const [first = "", ...rest] = target.trim().split(/\s+/);
  if (first.startsWith("/") || !first.includes("/")) return target.trim();
  const parts = first.split("/");
  const resource = parts[parts.length - 1] ?? "";
  const group = parts.length >= 3 ? parts.slice(0, -2).join("/") : "";
  return [group ? `${resource}.${group}` : resource, ...rest].join(" ");
}

export function parseAliases(text: string, file: string): { aliases: Record<string, string>; problems: string[] } {
  const { map, problems } = topMap(text, file);
  const aliases: Record<string, string> = {};
  if (!map) return { aliases, problems: problems.lines };
  for (const [key, value, keyNode] of entries(map, problems)) {
    if (key !== "aliases") {
      unknown(key, keyNode, problems);
      continue;
    }
    const m = asMap(value, "aliases", problems);
    if (!m) continue;
    for (const [name, v, nameNode] of entries(m, problems)) {
      if (/\s/.test(name) || name === "") {
        problems.at(nameNode, `alias "${name}" must be one word`);
        continue;
      }
      const target = asString(v, `alias ${name}`, problems);
      if (target !== undefined && target.trim() !== "") aliases[name] = aliasCommand(target);
      else if (target !== undefined) problems.at(v, `alias ${name} is empty`);
    }
  }
  return { aliases, problems: problems.lines };
}

/** A key taken by a built-in binding: the hotkey or plugin on it is skipped (with a warning). */
export type KeyTaken = (key: NonNullable<ReturnType<typeof parseShortCut>>) => boolean;

function shortCutOf(
  map: YAMLMap,
  what: string,
  problems: Problems,
  taken: KeyTaken,
): { key: Hotkey["key"]; shortCut: string } | undefined {
  const node = map.get("shortCut", true) as Node | undefined;
  if (node === undefined) {
    problems.at(map, `${what} has no shortCut`);
    return undefined;
  }
  const shortCut = asString(node, `${what}'s shortCut`, problems);
  if (shortCut === undefined) return undefined;
  const key = parseShortCut(shortCut);
  if (!key) {
    problems.at(node, `shortCut "${shortCut}" is not a key`);
    return undefined;
  }
  if (taken(key)) {
    problems.at(node, `shortCut "${shortCut}" of ${what} is a built-in key: skipped`);
    return undefined;
  }
  return { key, shortCut };
}

export function parseHotkeys(
  text: string,
  file: string,
  taken: KeyTaken = () => false,
): { hotkeys: Hotkey[]; problems: string[] } {
  const { map, problems } = topMap(text, file);
  const hotkeys: Hotkey[] = [];
  if (!map) return { hotkeys, problems: problems.lines };
  for (const [key, value, keyNode] of entries(map, problems)) {
    if (key !== "hotKeys") {
      unknown(key, keyNode, problems);
      continue;
    }
    const m = asMap(value, "hotKeys", problems);
    if (!m) continue;
    for (const [name, v] of entries(m, problems)) {
      const h = asMap(v, `hotkey ${name}`, problems);
      if (!h) continue;
      let ok = true;
      let description = "";
      let command: string | undefined;
      for (const [k, kv, kn] of entries(h, problems)) {
        if (k === "description") description = asString(kv, `${name}.description`, problems) ?? "";
        else if (k === "command") command = asString(kv, `${name}.command`, problems);
        else if (k !== "shortCut" && k !== "keepHistory") unknown(k, kn, problems);
      }
      const shortCut = shortCutOf(h, `hotkey ${name}`, problems, taken);
      if (command === undefined || command.trim() === "") {
        if (!h.has("command")) problems.at(h, `hotkey ${name} has no command`);
        ok = false;
      }
      if (!shortCut) ok = false;
      if (ok && shortCut && command !== undefined) {
        if (hotkeys.some((o) => o.shortCut === shortCut.shortCut)) {
          problems.at(h.get("shortCut", true) as Node, `shortCut "${shortCut.shortCut}" is used twice: skipped`);
          continue;
        }
        hotkeys.push({ name, ...shortCut, description, command: command.trim().replace(/^:/, "") });
      }
    }
  }
  return { hotkeys, problems: problems.lines };
}

/** k9s plugin fields that are read and ignored (not supported here; see the README). */
export const UNSUPPORTED_PLUGIN_FIELDS = ["override", "overwriteOutput", "pipes"];

export function parsePlugins(
  text: string,
  file: string,
  taken: KeyTaken = () => false,
): { plugins: Plugin[]; problems: string[] } {
  const { map, problems } = topMap(text, file);
  const plugins: Plugin[] = [];
  if (!map) return { plugins, problems: problems.lines };
  for (const [key, value, keyNode] of entries(map, problems)) {
    if (key !== "plugins") {
      unknown(key, keyNode, problems);
      continue;
    }
    const m = asMap(value, "plugins", problems);
    if (!m) continue;
    for (const [name, v] of entries(m, problems)) {
      const p = asMap(v, `plugin ${name}`, problems);
      if (!p) continue;
      const before = problems.lines.length;
      const plugin: { -readonly [K in keyof Plugin]?: Plugin[K] } = {
        name,
        description: "",
        args: [],
        background: false,
        confirm: false,
        dangerous: false,
      };
      for (const [k, kv, kn] of entries(p, problems)) {
        const what = `${name}.${k}`;
        switch (k) {
          case "shortCut":
            break;
          case "description":
            plugin.description = asString(kv, what, problems) ?? "";
            break;
          case "command":
            plugin.command = asString(kv, what, problems);
            break;
          case "scopes":
            plugin.scopes = asStrings(kv, what, problems)?.map((s) => s.toLowerCase());
            break;
          case "args":
            if (isScalar(kv) && kv.value === null) plugin.args = [];
            else plugin.args = asStrings(kv, what, problems);
            break;
          case "background":
          case "confirm":
          case "dangerous":
            plugin[k] = asBool(kv, what, problems) ?? false;
            break;
          default:
            if (!UNSUPPORTED_PLUGIN_FIELDS.includes(k)) unknown(k, kn, problems);
        }
      }
      if (!p.has("command")) problems.at(p, `plugin ${name} has no command`);
      if (!p.has("scopes")) problems.at(p, `plugin ${name} has no scopes`);
      const shortCut = shortCutOf(p, `plugin ${name}`, problems, taken);
      // Unknown keys only warn; anything else wrong leaves the plugin out.
      const wrong = problems.lines.slice(before).some((line) => !line.includes(": unknown key "));
      if (wrong || !shortCut) continue;
      if (!plugin.command || !plugin.scopes || !plugin.args) continue;
      if (plugins.some((o) => o.shortCut === shortCut.shortCut && sameScopes(o.scopes, plugin.scopes ?? []))) {
        problems.at(p.get("shortCut", true) as Node, `shortCut "${shortCut.shortCut}" is used twice: skipped`);
        continue;
      }
      plugins.push({ ...(plugin as Plugin), ...shortCut });
    }
  }
  return { plugins, problems: problems.lines };
}

function sameScopes(a: readonly string[], b: readonly string[]): boolean {
  return a.some((s) => b.includes(s) || s === "all") || b.includes("all");
}
