// Which skin the UI wears: a built-in one or a skin file of the config folder, at the colour depth the environment
// asks for. Called once at start-up, before the first frame; whatever is wrong is a warning, never a failure.
import { existsSync, readFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { parse } from "yaml";
import { applySkin, BUILTIN_SKINS, parseSkin, type Skin } from "../app/theme.ts";
import { type ColorDepth, detectColorDepth } from "../tui/color.ts";

type Env = Readonly<Record<string, string | undefined>>;

/** The config folder: $TIMONEIRO_CONFIG_DIR, else $XDG_CONFIG_HOME/timoneiro, else ~/.config/timoneiro. */
export function configDir(env: Env = process.env): string {
  if (env.TIMONEIRO_CONFIG_DIR) return env.TIMONEIRO_CONFIG_DIR;
  if (env.XDG_CONFIG_HOME) return join(env.XDG_CONFIG_HOME, "timoneiro");
  return join(homedir(), ".config", "timoneiro");
}

/**
 * The skin called `name`: `dir`/skins/NAME.yaml if that file exists (so a file may even replace a built-in skin),
 * else the built-in skin of that name; else the default skin and a warning. `dir` is the config folder.
 */
export function loadSkin(name: string, dir: string): { skin: Skin; warnings: string[] } {
  const fallback = BUILTIN_SKINS.default as Skin;
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(name)) {
    return { skin: fallback, warnings: [`skin "${name}": not a skin name (letters, digits, . _ -); using default`] };
  }
  const path = join(dir, "skins", `${name}.yaml`);
  if (existsSync(path)) {
    let data: unknown;
    try {
      data = parse(readFileSync(path, "utf8"));
    } catch (err) {
      const why = err instanceof Error ? (err.message.split("\n")[0] ?? "") : String(err);
      return { skin: fallback, warnings: [`skin ${name}: ${path}: ${why}; using default`] };
    }
    return parseSkin(data, name);
  }
  const builtin = BUILTIN_SKINS[name];
  if (builtin) return { skin: builtin, warnings: [] };
  const names = Object.keys(BUILTIN_SKINS).join(", ");
  return { skin: fallback, warnings: [`skin ${name}: no such skin (built-in: ${names}; or ${path}); using default`] };
}

/**
 * Makes the skin `name` (undefined: default) the UI's look at the environment's colour depth; returns the depth and
 * the warnings to show.
 */
export function setupSkin(
  name: string | undefined,
  env: Env = process.env,
  dir: string = configDir(env),
): { depth: ColorDepth; warnings: string[] } {
  const { skin, warnings } =
    name === undefined ? { skin: BUILTIN_SKINS.default as Skin, warnings: [] } : loadSkin(name, dir);
  const depth = detectColorDepth(env);
  applySkin(skin, depth);
  return { depth, warnings };
}
