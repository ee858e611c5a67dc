// The `:` command line: a kind by any name kubectl accepts (with an optional namespace), `ctx` and quitting, and Tab
// completion over the names the server's discovery lists.
import type { Repository } from "../repository/types.ts";

export const QUIT_COMMANDS = ["q", "quit", "q!", "qa", "exit"];
const CONTEXT_COMMANDS = ["ctx", "context", "contexts"];
/** Views that are not a kind's table, by the names `:` takes for them (k9s's where it has one). */
export const VIEW_COMMANDS: Readonly<Record<string, AppViewName>> = {
  pulse: "pulse",
  pu: "pulse",
  top: "top",
  pf: "portforwards",
  portforward: "portforwards",
  portforwards: "portforwards",
};

/** The views VIEW_COMMANDS opens. */
export type AppViewName = "pulse" | "top" | "portforwards";

/** A parsed command line. */
export type Command =
  | { type: "none" }
  | { type: "quit" }
  /** `:ctx` lists the contexts; `:ctx NAME` switches at once. */
  | { type: "contexts"; name?: string }
  /** `:pulse`, `:top`, `:pf`: a view of the app's own. */
  | { type: "view"; view: AppViewName }
  /**
   * A kind's view; `namespace` "all" for all namespaces (`:pods -A`, `:pods all`); `filter`: the `/` filter to apply
   * (`:pods /CrashLoop`, everything after the slash).
   */
  | { type: "kind"; kind: string; namespace?: string; filter?: string }
  | { type: "error"; message: string }
  /** A name no kind has: maybe one created since discovery last answered. */
  | { type: "unknown"; name: string; message: string };

export function parseCommand(repo: Repository, text: string): Command {
  // A word that starts with "/" starts the filter: the rest of the line.
  const slash = text.search(/(^|\s)\//);
  const filter = slash < 0 ? undefined : text.slice(slash).trim().slice(1);
  const words = (slash < 0 ? text : text.slice(0, slash))
    .trim()
    .split(/\s+/)
    .filter((w) => w !== "");
  const [first, ...rest] = words;
  if (first === undefined) return { type: "none" };
  if (QUIT_COMMANDS.includes(first)) return { type: "quit" };
  const appView = Object.hasOwn(VIEW_COMMANDS, first) ? VIEW_COMMANDS[first] : undefined;
  if (appView && rest.length === 0) return { type: "view", view: appView };
  if (CONTEXT_COMMANDS.includes(first))
    return rest[0] === undefined ? { type: "contexts" } : { type: "contexts", name: rest[0] };
  const kind = repo.resolve(first);
  if (!kind) {
    return {
      type: "unknown",
      name: first,
      message: `unknown resource "${first}": the server serves no kind by that name (Tab completes; :ctx for contexts)`,
    };
  }
  let namespace: string | undefined;
  for (let i = 0; i < rest.length; i++) {
    const word = rest[i] as string;
    if (word === "-A" || word === "--all-namespaces" || word === "all") namespace = "all";
    else if (word === "-n" || word === "--namespace") namespace = rest[++i];
    else namespace = word;
  }
  if (namespace !== undefined && !kind.namespaced) {
    return { type: "error", message: `${kind.resource} are not namespaced: ${first} takes no namespace` };
  }
  return {
    type: "kind",
    kind: kind.key,
    ...(namespace !== undefined && { namespace }),
    ...(filter !== undefined && filter !== "" && { filter }),
  };
}

/**
 * `text` with its first word replaced by what the alias stands for (`dp kube-system` → `deployments kube-system`),
 * again while the first word is another alias (each alias once: no loops).
 */
export function expandAliases(text: string, aliases: Readonly<Record<string, string>>): string {
  let out = text.trim();
  const used = new Set<string>();
  for (;;) {
    const first = out.split(/\s+/)[0] ?? "";
    const to = Object.hasOwn(aliases, first) ? aliases[first] : undefined;
    if (to === undefined || used.has(first)) return out;
    used.add(first);
    out = `${to.trim()}${out.slice(first.length)}`;
  }
}

/** Every name a kind answers to on the command line. */
function kindNames(repo: Repository): string[] {
  const names = new Set<string>();
  for (const k of repo.kinds()) {
    names.add(k.resource);
    if (k.singular) names.add(k.singular);
    for (const s of k.shortNames) names.add(s);
    if (k.group !== "") names.add(`${k.resource}.${k.group}`);
  }
  return [...names];
}

/** Candidates for the last word of `text`, shortest first: kinds and commands, or a namespace after a kind. */
export function completeCommand(
  repo: Repository,
  text: string,
  aliases: Readonly<Record<string, string>> = {},
): string[] {
  const words = text.split(/\s+/);
  const last = (words[words.length - 1] ?? "").toLowerCase();
  let pool: string[];
  if (words.length <= 1) {
    pool = [...kindNames(repo), ...Object.keys(aliases), ...CONTEXT_COMMANDS, ...Object.keys(VIEW_COMMANDS), "quit"];
  } else {
    const kind = repo.resolve(expandAliases(words[0] as string, aliases).split(/\s+/)[0] as string);
    if (!kind?.namespaced) return [];
    pool = ["all", ...repo.rows({ kind: "namespaces" }).map((r) => r.name)];
  }
  const matches = [...new Set(pool.filter((n) => n.toLowerCase().startsWith(last)))];
  return matches.sort((a, b) => a.length - b.length || (a < b ? -1 : 1));
}
