// Shared by the app tests: a root model over a StaticRepository, typing into it, and reading its top view.

import type { RootEffect } from "../../../src/app/root.ts";
import { newRootModel, type RootModel, type RootMsg, update } from "../../../src/app/root.ts";
import { TableView } from "../../../src/app/views/table.ts";
import { makePod, StaticRepository } from "../../../src/repository/static-repository.ts";
import type { PodRow } from "../../../src/resources/pods.ts";
import { type KeyEvent, key } from "../../../src/tui/input.ts";

export const NOW = Date.UTC(2026, 0, 1, 12, 0, 0);

/** Pods p0..p(n-1), newest first in that order (p0 is the newest). */
export function pods(n: number, extra: (i: number) => Partial<PodRow> = () => ({})): PodRow[] {
  return Array.from({ length: n }, (_, i) =>
    makePod({ name: `p${i}`, createdAt: NOW - (i + 1) * 60_000, ...extra(i) }),
  );
}

export function setup(rows: PodRow[], size = { width: 120, height: 12 }) {
  const repo = new StaticRepository({ pods: rows, contextName: "ctx", clusterName: "cl", now: () => NOW });
  const model = newRootModel(repo, { ...size, now: NOW });
  return { repo, model };
}

export function send(model: RootModel, ...msgs: RootMsg[]): RootModel {
  let m = model;
  for (const msg of msgs) [m] = update(m, msg);
  return m;
}

/** The effects of the last message. */
export function effectsOf(model: RootModel, ...msgs: RootMsg[]): RootEffect[] {
  let m = model;
  let effects: RootEffect[] = [];
  for (const msg of msgs) [m, effects] = update(m, msg);
  return effects;
}

/** Keys from a compact spec: plain text is typed; "<down>", "<C-u>", "<esc>", "<S-left>" are special keys. */
export function keys(spec: string): KeyEvent[] {
  const out: KeyEvent[] = [];
  for (const part of spec.split(/(<[^>]+>)/)) {
    if (part.startsWith("<") && part.endsWith(">")) {
      const name = part.slice(1, -1);
      if (name.startsWith("C-")) out.push(key(name.slice(2), { ctrl: true }));
      else if (name.startsWith("S-")) out.push(key(name.slice(2), { shift: true }));
      else out.push(key(name === "esc" ? "escape" : name));
      continue;
    }
    for (const ch of part) out.push({ ...key(ch), text: ch });
  }
  return out;
}

export function type(model: RootModel, spec: string): RootModel {
  return send(model, ...keys(spec));
}

export function data(model: RootModel): RootModel {
  return send(model, { type: "data", now: NOW });
}

/** The view on top, which these tests expect to be a table. */
export function table(model: RootModel): TableView {
  const view = model.stack[model.stack.length - 1];
  if (!(view instanceof TableView)) throw new Error(`the top view is ${view?.constructor.name}, not a table`);
  return view;
}

export function selectedName(model: RootModel): string | undefined {
  return table(model).cursorKey?.split("/")[1];
}

/** Names of the rows the filter leaves, in order. */
export function shownNames(model: RootModel): string[] {
  const t = table(model);
  const f = t.filtered;
  return Array.from({ length: f.length }, (_, i) => f.source.at(f.indices ? (f.indices[i] as number) : i)?.name ?? "");
}

/** Screen lines without SGR sequences. */
export function plain(lines: string[]): string[] {
  return lines.map((l) => l.replace(/\x1b\[[0-9;]*m/g, ""));
}
