// The config folder: $TIMONEIRO_CONFIG_DIR, else $XDG_CONFIG_HOME/timoneiro/, else ~/.config/timoneiro/. Its files
// (config.yaml, aliases.yaml, hotkeys.yaml, plugins.yaml) are read and checked; a missing file is no problem, a broken
// one is reported (file, line, what) and the rest is used. Never throws.
import { existsSync, readFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import type { KeySpec } from "../../app/bindings.ts";
import { DEFAULT_CONFIG, sameKey, type UserConfig } from "../../app/user-config.ts";
import { parseAliases, parseHotkeys, parseMainConfig, parsePlugins } from "./parse.ts";

export const CONFIG_FILES = ["config.yaml", "aliases.yaml", "hotkeys.yaml", "plugins.yaml"] as const;

/** The config folder, and which variable chose it. */
export function configDir(env: NodeJS.ProcessEnv = process.env): { dir: string; from: string } {
  if (env.TIMONEIRO_CONFIG_DIR) return { dir: env.TIMONEIRO_CONFIG_DIR, from: "$TIMONEIRO_CONFIG_DIR" };
  if (env.XDG_CONFIG_HOME) return { dir: join(env.XDG_CONFIG_HOME, "timoneiro"), from: "$XDG_CONFIG_HOME" };
  return { dir: join(env.HOME || homedir(), ".config", "timoneiro"), from: "default" };
}

/** A path as messages show it: the home directory as ~. */
export function displayPath(path: string, env: NodeJS.ProcessEnv = process.env): string {
  const home = env.HOME || homedir();
  return home && (path === home || path.startsWith(`${home}/`)) ? `~${path.slice(home.length)}` : path;
}

export interface LoadOptions {
  env?: NodeJS.ProcessEnv;
  /**
   * Keys the app already binds: hotkeys and plugins on them are skipped with a warning. A function, called only when
   * there are hotkeys or plugins to check: it builds the app's key reference, which start-up should not pay for.
   */
  builtinKeys?: () => readonly KeySpec[];
}

/** Reads the folder's files into a UserConfig (problems included); a file that cannot be read is one problem. */
export function loadConfig(options: LoadOptions = {}): UserConfig {
  const env = options.env ?? process.env;
  const { dir } = configDir(env);
  const problems: string[] = [];
  const read = (name: string): { text: string; shown: string } | null => {
    const path = join(dir, name);
    const shown = displayPath(path, env);
    if (!existsSync(path)) return null;
    try {
      return { text: readFileSync(path, "utf8"), shown };
    } catch (err) {
      problems.push(`${shown}: cannot be read: ${err instanceof Error ? err.message : String(err)}`);
      return null;
    }
  };
  let builtin: readonly KeySpec[] | undefined;
  const taken = (key: KeySpec) => {
    builtin ??= options.builtinKeys?.() ?? [];
    return builtin.some((b) => sameKey(b, key));
  };
  let config: UserConfig = { ...DEFAULT_CONFIG };
  const main = read("config.yaml");
  if (main) {
    const r = parseMainConfig(main.text, main.shown);
    config = { ...config, ...r.settings };
    problems.push(...r.problems);
  }
  const aliases = read("aliases.yaml");
  if (aliases) {
    const r = parseAliases(aliases.text, aliases.shown);
    config = { ...config, aliases: r.aliases };
    problems.push(...r.problems);
  }
  const hotkeys = read("hotkeys.yaml");
  if (hotkeys) {
    const r = parseHotkeys(hotkeys.text, hotkeys.shown, taken);
    config = { ...config, hotkeys: r.hotkeys };
    problems.push(...r.problems);
  }
  const plugins = read("plugins.yaml");
  if (plugins) {
    const r = parsePlugins(plugins.text, plugins.shown, taken);
    config = { ...config, plugins: r.plugins };
    problems.push(...r.problems);
  }
  return { ...config, problems };
}
