// The `:` command line: a kind by any name kubectl accepts (with an optional namespace), `ctx` and quitting, and Tab
// completion over the names the server's discovery lists.
import type { Repository } from "../repository/types.ts";

export const QUIT_COMMANDS = ["q", "quit", "q!", "qa", "exit"];
const CONTEXT_COMMANDS = ["ctx", "context", "contexts"];

/** A parsed command line. */
export type Command =
  | { type: "none" }
  | { type: "quit" }
  /** `:ctx` lists the contexts; `:ctx NAME` switches at once. */
  | { type: "contexts"; name?: string }
  /** A kind's view; `namespace` "all" for all namespaces (`:pods -A`, `:pods all`). */
  | { type: "kind"; kind: string; namespace?: string }
  | { type: "error"; message: string }
  /** A name no kind has: maybe one created since discovery last answered. */
  | { type: "unknown"; name: string; message: string };

export function parseCommand(repo: Repository, text: string): Command {
  const words = text
    .trim()
    .split(/\s+/)
    .filter((w) => w !== "");
  const [first, ...rest] = words;
  if (first === undefined) return { type: "none" };
  if (QUIT_COMMANDS.includes(first)) return { type: "quit" };
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
  return namespace === undefined ? { type: "kind", kind: kind.key } : { type: "kind", kind: kind.key, namespace };
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
export function completeCommand(repo: Repository, text: string): string[] {
  const words = text.split(/\s+/);
  const last = (words[words.length - 1] ?? "").toLowerCase();
  let pool: string[];
  if (words.length <= 1) {
    pool = [...kindNames(repo), ...CONTEXT_COMMANDS, "quit"];
  } else {
    const kind = repo.resolve(words[0] as string);
    if (!kind?.namespaced) return [];
    pool = ["all", ...repo.rows({ kind: "namespaces" }).map((r) => r.name)];
  }
  const matches = [...new Set(pool.filter((n) => n.toLowerCase().startsWith(last)))];
  return matches.sort((a, b) => a.length - b.length || (a < b ? -1 : 1));
}
