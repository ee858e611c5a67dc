// Shared by the app tests: a model over a StaticRepository, and typing into it.
import { type Model, newModel } from "../../../src/app/model.ts";
import { type Msg, update } from "../../../src/app/update.ts";
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
  const model = newModel(repo, { ...size, now: NOW });
  return { repo, model };
}

export function send(model: Model, ...msgs: Msg[]): Model {
  let m = model;
  for (const msg of msgs) [m] = update(m, msg);
  return m;
}

/** Keys from a compact spec: plain text is typed; "<down>", "<C-u>", "<esc>" are special keys. */
export function keys(spec: string): KeyEvent[] {
  const out: KeyEvent[] = [];
  for (const part of spec.split(/(<[^>]+>)/)) {
    if (part.startsWith("<") && part.endsWith(">")) {
      const name = part.slice(1, -1);
      if (name.startsWith("C-")) out.push(key(name.slice(2), { ctrl: true }));
      else out.push(key(name === "esc" ? "escape" : name));
      continue;
    }
    for (const ch of part) out.push({ ...key(ch), text: ch });
  }
  return out;
}

export function type(model: Model, spec: string): Model {
  return send(model, ...keys(spec));
}

export function data(model: Model): Model {
  return send(model, { type: "data", now: NOW });
}

export function selectedName(model: Model): string | undefined {
  return model.cursorKey?.split("/")[1];
}

/** Screen lines without SGR sequences. */
export function plain(lines: string[]): string[] {
  return lines.map((l) => l.replace(/\x1b\[[0-9;]*m/g, ""));
}
