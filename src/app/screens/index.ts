// Screens reachable from the `:` command line. Only pods for now; further kinds are one line each, e.g.
//   resourceScreen(resourceDefs.deployments, "Deployments")
import type { BaseRow } from "../../resources/types.ts";
import { podsScreen } from "./pods.ts";
import type { ScreenDef } from "./screen.ts";

// Stored under the common BaseRow view; every screen only hands its own rows back to its own columns.
export const screens: readonly ScreenDef[] = [podsScreen as unknown as ScreenDef<BaseRow>];

export function screenFor(name: string): ScreenDef | undefined {
  const n = name.trim().toLowerCase();
  return screens.find((s) => s.aliases.includes(n));
}

export type { ScreenDef };
export { podsScreen };
