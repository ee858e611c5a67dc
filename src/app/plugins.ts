// Plugins (k9s's plugins.yaml) in the app: which apply to the view on top (its scopes), the variables of the selected
// row ($NAMESPACE $NAME $CONTEXT $COL-STATUS ...), and the effect that runs one: in the foreground (the terminal is
// handed to it) or in the background (its exit is reported). Pure: the runtime runs the program.
import type { Repository } from "../repository/types.ts";
import { isReadOnly, type Plugin, type UserConfig } from "./user-config.ts";
import { TableView } from "./views/table.ts";
import type { View } from "./views/view.ts";

/** Runs a program: `exec` hands it the terminal (the runtime's), `spawn` runs it detached (the CLI's). */
export interface PluginRun {
  type: "exec" | "spawn";
  /** Identity of the run: its exit comes back as `{type: "exited", id, code}`. */
  id: string;
  command: string;
  args: string[];
  /** Added to the environment it inherits. */
  env: Record<string, string>;
}

/** The names a table's kind answers to (kind key, plural, singular, short names), lowercase. */
function kindNames(repo: Repository, key: string): string[] {
  const kind = repo.kinds().find((k) => k.key === key);
  const names = [key];
  if (kind) names.push(kind.resource, kind.singular ?? "", ...kind.shortNames, kind.kind ?? "");
  return names.filter((n) => n !== "").map((n) => n.toLowerCase());
}

/** Whether `plugin` shows in `view`: a table whose kind one of its scopes names, or any table for "all". */
export function pluginApplies(plugin: Plugin, view: View, repo: Repository): boolean {
  if (!(view instanceof TableView)) return false;
  if (plugin.scopes.includes("all")) return true;
  const names = kindNames(repo, view.source.kind);
  return plugin.scopes.some((s) => names.includes(s));
}

/** The plugins offered in `view` now: in scope, and not dangerous in a read-only context. */
export function pluginsFor(config: UserConfig, view: View, repo: Repository): Plugin[] {
  const readOnly = isReadOnly(config, repo.contextName);
  return config.plugins.filter((p) => !(readOnly && p.dangerous) && pluginApplies(p, view, repo));
}

/** The variables of the selected row of `view` (none selected: null). */
export function pluginVariables(
  config: UserConfig,
  view: View,
  repo: Repository,
  now: number,
): Map<string, string> | null {
  if (!(view instanceof TableView)) return null;
  const row = view.selected;
  if (!row) return null;
  const vars = new Map<string, string>([
    ["NAMESPACE", row.namespace],
    ["NAME", row.name],
    ["CONTAINER", ""],
    ["CONTEXT", repo.contextName],
    ["CLUSTER", repo.clusterName],
    ["USER", config.contextUsers?.[repo.contextName] ?? ""],
    ["GROUPS", ""],
    ["KUBECONFIG", config.kubeconfig ?? ""],
    ["FILTER", view.filterText],
  ]);
  for (const column of view.presentation?.columns ?? []) {
    vars.set(`COL-${column.name.toUpperCase()}`, column.cell(row, now));
  }
  return vars;
}

const VARIABLE = /\$\{([A-Za-z_][A-Za-z0-9_]*(?:-[^}]+)?)\}|\$(COL-[A-Za-z0-9_%.]+|[A-Za-z_][A-Za-z0-9_]*)/g;

/** `$NAME`, `${NAME}`, `$COL-STATUS` replaced by their values; any other `$WORD` is left for a shell to expand. */
export function substitute(text: string, vars: ReadonlyMap<string, string>): string {
  return text.replace(VARIABLE, (whole, braced: string | undefined, bare: string | undefined) => {
    const name = (braced ?? bare ?? "").replace(/^col-/i, "COL-");
    const value = vars.get(name.startsWith("COL-") ? name.toUpperCase() : name);
    return value ?? whole;
  });
}

/** The run of `plugin` on the selected row, or why it cannot run. */
export function pluginRun(
  plugin: Plugin,
  config: UserConfig,
  view: View,
  repo: Repository,
  now: number,
): PluginRun | { error: string } {
  const vars = pluginVariables(config, view, repo, now);
  if (!vars) return { error: `${plugin.name}: no row selected` };
  const env: Record<string, string> = {};
  if (config.kubeconfig) env.KUBECONFIG = config.kubeconfig;
  return {
    type: plugin.background ? "spawn" : "exec",
    id: `plugin:${plugin.name}`,
    command: substitute(plugin.command, vars),
    args: plugin.args.map((a) => substitute(a, vars)),
    env,
  };
}
