// Screens reachable from the `:` command line: pods with its own columns and colours, every other kind from its
// ResourceDef (kubectl's columns) through resourceScreen().
import { resourceDefFor, resourceDefs } from "../../resources/index.ts";
import type { BaseRow, ResourceType } from "../../resources/types.ts";
import { podsScreen } from "./pods.ts";
import { resourceScreen, type ScreenDef } from "./screen.ts";

const TITLES: Record<Exclude<keyof typeof resourceDefs, "pods">, string> = {
  deployments: "Deployments",
  services: "Services",
  namespaces: "Namespaces",
  statefulsets: "StatefulSets",
  daemonsets: "DaemonSets",
  replicasets: "ReplicaSets",
  nodes: "Nodes",
};

// Stored under the common BaseRow view; every screen only hands its own rows back to its own columns.
export const screens: Record<ResourceType, ScreenDef> = {
  pods: podsScreen as unknown as ScreenDef<BaseRow>,
  ...(Object.fromEntries(
    Object.entries(TITLES).map(([type, title]) => [
      type,
      resourceScreen(resourceDefs[type as keyof typeof resourceDefs], title),
    ]),
  ) as Record<Exclude<ResourceType, "pods">, ScreenDef>),
};

/** The screen for a name as typed after `:` — any name kubectl accepts (`po`, `deploy`, `services`, `ds.apps`). */
export function screenFor(name: string): ScreenDef | undefined {
  const def = resourceDefFor(name);
  return def ? screens[def.type] : undefined;
}

export type { ScreenDef };
export { podsScreen };
