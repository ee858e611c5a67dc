// The keys the app binds in its tables (from the same bindings the README's key table is made of): a hotkey or a
// plugin on one of them would never run, so the config's check skips it with a warning.
import type { KeySpec } from "../../app/bindings.ts";
import { keyReference } from "../../app/keymap.ts";
import { makePod, StaticRepository } from "../../repository/static-repository.ts";

export function builtinKeys(): KeySpec[] {
  const repo = new StaticRepository({ pods: [makePod({ name: "a" }), makePod({ name: "b" })] });
  const tables = keyReference(repo).find((place) => place.title === "Tables");
  return (tables?.bindings ?? []).flatMap((b) => b.keys);
}
