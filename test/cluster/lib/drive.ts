// Views driven against a real server the way the app drives them: a view's bindings are pressed, its actions carried
// out, its effects performed as src/cli/ui.ts performs them (GET and writes through a Session, temporary files
// through src/cli/edit-files.ts, the editor run as a child process) and their results fed back to the view, with the
// repository's changes as "data" messages. Write actions go through src/app/operations.ts, as the root sends them.
import { spawn } from "node:child_process";
import { type Binding, key as keySpec } from "../../../src/app/bindings.ts";
import type { AppEffect } from "../../../src/app/effects.ts";
import {
  finished,
  MAX_IN_FLIGHT,
  type Operation,
  operationLine,
  parseRequestId,
  settle,
  startOperation,
} from "../../../src/app/operations.ts";
import { type TableSource, TableView } from "../../../src/app/views/table.ts";
import type { Action, View, ViewContext, ViewMsg, ViewResult } from "../../../src/app/views/view.ts";
import { readTextFile, removeTempFile, writeTempFile } from "../../../src/cli/edit-files.ts";
import type { Session } from "../../../src/cli/session.ts";
import { oneLine } from "../../../src/kube/errors.ts";
import type { RowQuery } from "../../../src/repository/types.ts";
import { key } from "../../../src/tui/input.ts";
import { sleep, until } from "./informer.ts";

export type WriteAction = Extract<Action, { type: "write" }>;

/** A view context over `session`'s repository, the clock read at each call. */
export function contextFor(session: Session, over: Partial<ViewContext> = {}): () => ViewContext {
  return () => ({
    repo: session.repo,
    now: Date.now(),
    width: 160,
    height: 40,
    namespace: undefined,
    readOnly: false,
    forwards: [],
    editor: [],
    ...over,
  });
}

/** The binding a view offers for `spec` ("ctrl+d", "s", "enter"), or undefined. */
export function bindingFor<R>(bindings: readonly Binding<R>[], spec: string): Binding<R> | undefined {
  const want = keySpec(spec);
  return bindings.find((b) =>
    b.keys.some(
      (k) =>
        k.name === want.name && (k.ctrl ?? false) === (want.ctrl ?? false) && (k.alt ?? false) === (want.alt ?? false),
    ),
  );
}

/** Presses `spec` on `view`; fails when the view offers no such key. */
export function press(view: View, spec: string, ctx: ViewContext): ViewResult {
  const binding = bindingFor(view.bindings(ctx), spec);
  if (!binding) {
    const offered = view.bindings(ctx).flatMap((b) => b.keys.map((k) => `${k.ctrl ? "ctrl+" : ""}${k.name}`));
    throw new Error(`${view.id} offers no ${spec} (offered: ${offered.join(" ")})`);
  }
  return binding.run();
}

/** Types `text` into a view (a dialog's text field), character by character. */
export function typeText(view: View, text: string, ctx: ViewContext): View {
  let v = view;
  for (const ch of text) [v] = v.update({ ...key(ch), text: ch }, ctx);
  return v;
}

/**
 * A table of `kind` (in `namespace`, or cluster-wide) over the session's repository, opened once the informer is
 * synced and holds at least `want` rows (a number) or the row named `want`; the hold is released by the returned
 * function.
 */
export async function openTable(
  session: Session,
  ctx: () => ViewContext,
  kind: string,
  short: string,
  namespace?: string,
  want: number | string = 1,
): Promise<{ view: TableView; release: () => void }> {
  const query: RowQuery = namespace === undefined ? { kind } : { kind, namespace };
  const release = session.repo.hold(query);
  const ready = () => {
    const rows = session.repo.rows(query);
    return typeof want === "number" ? rows.length >= want : rows.some((r) => r.name === want);
  };
  await until(
    () => session.repo.status(query).synced && ready(),
    `${kind} ${namespace ?? "(all namespaces)"} synced with ${typeof want === "number" ? `${want} row(s)` : want}`,
  );
  const source: TableSource = { id: kind, crumb: kind.split(".")[0] as string, short, kind, query: () => query };
  return { view: TableView.open(source, ctx()), release };
}

/** Moves a table's cursor down until the row `name` is selected. */
export function select(view: TableView, name: string, ctx: ViewContext): TableView {
  let v = view;
  for (let i = 0; i < v.rows.length && v.selected?.name !== name; i++)
    [v] = press(v, "down", ctx) as [TableView, Action[]];
  if (v.selected?.name !== name) throw new Error(`no row ${name} in ${view.id}`);
  return v;
}

/** An effect carried out as src/cli/ui.ts does; resolves with the message the runtime would send back. */
export async function perform(session: Session, effect: AppEffect, timerMs = 0): Promise<ViewMsg | undefined> {
  const result = async (id: string, run: () => Promise<unknown>): Promise<ViewMsg> => {
    try {
      return { type: "result", id, value: await run() };
    } catch (err) {
      return { type: "result", id, value: undefined, error: oneLine(err) };
    }
  };
  switch (effect.type) {
    case "get":
      return await result(effect.id, () => session.get(effect.path));
    case "write":
      return await result(effect.id, () => session.write(effect.request));
    case "tempFile":
      return await result(effect.id, () => writeTempFile(effect.name, effect.text));
    case "readFile":
      return await result(effect.id, () => readTextFile(effect.path));
    case "removeFile":
      await removeTempFile(effect.path).catch(() => {});
      return undefined;
    case "timer":
      await sleep(timerMs);
      return { type: "result", id: effect.id, value: undefined };
    default:
      throw new Error(`the driver does not perform ${effect.type} effects`);
  }
}

/** The "exec" action as the runtime carries it out (the terminal's "exec" effect), without a terminal. */
function runProgram(id: string, command: string, args: readonly string[]): Promise<ViewMsg> {
  return new Promise((resolve) => {
    const child = spawn(command, [...args], { stdio: ["ignore", "ignore", "inherit"] });
    child.once("error", (err) => resolve({ type: "exited", id, code: null, error: err.message }));
    child.once("exit", (code, signal) =>
      resolve(signal ? { type: "exited", id, code, signal } : { type: "exited", id, code }),
    );
  });
}

export interface DriveHooks {
  /** Before the n-th program (editor) runs (n from 0): e.g. an update made meanwhile by someone else. */
  beforeExec?: (n: number) => Promise<void>;
  /** Before the n-th timer's result is sent (n from 0). */
  beforeTimer?: (n: number) => Promise<void>;
  /** How long a timer takes here (default 0: at once). */
  timerMs?: number;
  /** Keep going, feeding the repository's changes as "data", until this holds (default: until no action is left). */
  until?: (run: Run) => boolean;
  /** How long `until` may take (default 60 s). */
  limitMs?: number;
}

/** What driving a view ended with. */
export interface Run {
  view: View;
  popped: boolean;
  messages: { text: string; error: boolean }[];
  /** Write actions the view asked for (the root would start them as operations: see runWrite). */
  writes: WriteAction[];
  /** Views it pushed (a dialog). */
  pushed: View[];
  /** Every effect it asked for, in order. */
  effects: AppEffect[];
  /** The results fed back to it, in order. */
  results: ViewMsg[];
}

/**
 * Carries out `actions` (those `view` just returned) and everything that follows from them, one at a time, feeding
 * each result back to the view; while `hooks.until` does not hold, the repository's changes are fed as "data".
 */
export async function drive(
  session: Session,
  ctx: () => ViewContext,
  view: View,
  actions: readonly Action[],
  hooks: DriveHooks = {},
): Promise<Run> {
  const run: Run = { view, popped: false, messages: [], writes: [], pushed: [], effects: [], results: [] };
  const releases = view.holds(ctx()).map((q) => session.repo.hold(q));
  let dirty = false;
  const unsubscribe = session.repo.subscribe(() => {
    dirty = true;
  });
  let execs = 0;
  let timers = 0;
  const queue = [...actions];
  const feed = (msg: ViewMsg) => {
    run.results.push(msg);
    const [next, more] = run.view.update(msg, ctx());
    run.view = next;
    queue.push(...more);
  };
  const deadline = Date.now() + (hooks.limitMs ?? 60_000);
  try {
    for (;;) {
      if (dirty && hooks.until) {
        dirty = false;
        feed({ type: "data" });
      }
      const action = queue.shift();
      if (!action) {
        if (!hooks.until || hooks.until(run)) return run;
        if (Date.now() > deadline)
          throw new Error(`drive ${view.id}: gave up waiting; messages: ${JSON.stringify(run.messages)}`);
        await sleep(50);
        continue;
      }
      switch (action.type) {
        case "effect": {
          run.effects.push(action.effect);
          if (action.effect.type === "timer") await hooks.beforeTimer?.(timers++);
          const msg = await perform(session, action.effect, hooks.timerMs ?? 0);
          if (msg) feed(msg);
          break;
        }
        case "exec":
          await hooks.beforeExec?.(execs++);
          feed(await runProgram(action.id, action.command, action.args));
          break;
        case "pop":
          run.popped = true;
          break;
        case "message":
          run.messages.push({ text: action.text, error: action.error ?? false });
          break;
        case "push":
          run.pushed.push(action.view);
          break;
        case "write":
          run.writes.push(action);
          break;
        default:
          throw new Error(`drive ${view.id}: unexpected action ${JSON.stringify(action)}`);
      }
    }
  } finally {
    unsubscribe();
    for (const release of releases) release();
  }
}

/** How a write action went, as the root carries it out: one operation, its requests a few at a time. */
export interface WriteOutcome {
  /** The message line at the end (the outcome), and every line before it (progress). */
  line: { text: string; error: boolean };
  lines: string[];
  /** The server's answers (or errors), by request index. */
  answers: ({ value: unknown } | { error: string })[];
  /** The most requests in flight at once. */
  maxInFlight: number;
}

/** Starts `action` as an operation (src/app/operations.ts) and sends its writes through `session` until it ends. */
export async function runWrite(session: Session, action: WriteAction): Promise<WriteOutcome> {
  let [op, first] = startOperation("op1", action);
  const lines = [operationLine(op).text];
  const answers: WriteOutcome["answers"] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  await new Promise<void>((resolve, reject) => {
    const send = (effects: readonly AppEffect[]) => {
      for (const effect of effects) {
        if (effect.type !== "write") return reject(new Error(`an operation asked for ${effect.type}`));
        const index = parseRequestId(effect.id)?.index as number;
        inFlight++;
        maxInFlight = Math.max(maxInFlight, inFlight);
        session.write(effect.request).then(
          (value) => settled(index, { value }),
          (err: unknown) => settled(index, { error: oneLine(err) }),
        );
      }
    };
    const settled = (index: number, answer: { value: unknown } | { error: string }) => {
      inFlight--;
      answers[index] = answer;
      let more: readonly AppEffect[];
      [op, more] = settle(op as Operation, index, "error" in answer ? answer.error : undefined);
      lines.push(operationLine(op).text);
      send(more);
      if (finished(op)) resolve();
    };
    send(first);
    if (finished(op)) resolve();
  });
  if (maxInFlight > MAX_IN_FLIGHT) throw new Error(`${maxInFlight} writes in flight, more than ${MAX_IN_FLIGHT}`);
  return { line: operationLine(op), lines, answers, maxInFlight };
}
