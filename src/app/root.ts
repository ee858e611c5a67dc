// The root of the app: a stack of views and what is shared by all of them (the repository, the namespace scope and
// the recent namespaces, the `:` command line, the message line). It only routes: keys go to the view on top (its
// bindings, then the root's), data changes refresh it, effects' results go to the views that asked, and the actions
// views return (push, pop, scope, command, effect) are carried out here.
import type { LoadingStatus, Repository, RowQuery } from "../repository/types.ts";
import { type InputEvent, key as inputKey, type KeyEvent, type MouseEvent } from "../tui/input.ts";
import { type Binding, findBinding, helpSections, hintText, keys } from "./bindings.ts";
import { type AppViewName, completeCommand, expandAliases, parseCommand, QUIT_COMMANDS } from "./commands.ts";
import { drillDown, shortName } from "./drill.ts";
import type { ActiveForward, AppEffect, EffectMsg } from "./effects.ts";
import { HEADER_LINES, headerLines } from "./header.ts";
import { finished, type Operation, operationLine, parseRequestId, settle, startOperation } from "./operations.ts";
import { paintSegments, type Segment } from "./paint.ts";
import { pluginRun, pluginsFor } from "./plugins.ts";
import { openPortForwards } from "./port-forward-keys.ts";
import { editBindings, inputSegments, insertText, pasteInto, type TextInput } from "./text-input.ts";
import { THEME } from "./theme.ts";
import { contextSettings, DEFAULT_CONFIG, isReadOnly, sameKey, type UserConfig } from "./user-config.ts";
import { ContextsView } from "./views/contexts.ts";
import { HelpView } from "./views/help.ts";
import { PulseView } from "./views/pulse.ts";
import { type TableSource, TableView } from "./views/table.ts";
import { TopView } from "./views/top.ts";
import type { Action, StreamSpec, View, ViewContext, ViewMsg, ViewResult } from "./views/view.ts";

export interface Message {
  text: string;
  error: boolean;
}

/** The `:` line being typed, with the completions Tab cycles through. */
export interface Prompt {
  text: string;
  /** Where the cursor is in text (see text-input.ts). */
  cursor: number;
  /** Candidates for the word being completed, and which one Tab showed last (-1: none yet). */
  completions: readonly string[];
  index: number;
  /** The text before Tab started cycling. */
  base: string;
}

export interface RootModel {
  readonly repo: Repository;
  /** Bumped when the repository is replaced (context switch), so that its informers are held anew. */
  readonly generation: number;
  readonly width: number;
  readonly height: number;
  /** Epoch ms of the last tick or data change: AGE and spinners are painted from it, never from the clock. */
  readonly now: number;
  readonly stack: readonly View[];
  /** The stack before the last navigation: `-` swaps back to it. */
  readonly previous: readonly View[] | null;
  /** Views opened by `:` and since closed, by id, so that they come back with their cursor, filter and sort. */
  readonly saved: ReadonlyMap<string, View>;
  /** The namespace scope; undefined for all namespaces. */
  readonly namespace: string | undefined;
  /** Recently used namespaces, newest first: keys 1–9. */
  readonly recent: readonly string[];
  readonly prompt: Prompt | null;
  readonly message: Message | null;
  /** Loading states at the last data change or tick. */
  readonly statuses: readonly LoadingStatus[];
  /** The context being connected to, while it has not answered. */
  readonly switching: string | null;
  readonly exitCode: number | null;
  /** The user's configuration: aliases, hotkeys, plugins, per-context settings. */
  readonly config: UserConfig;
  /** A question waiting for y/n (a plugin with `confirm: true`): its effects run on y. */
  readonly confirm: Confirm | null;
  /** Mouse capture (Ctrl-O): wheel and clicks come as messages; off, the terminal selects text itself. */
  readonly mouse?: boolean;
  /** The last click on a table row and when (the event's time): a second one soon after on it is a double click. */
  readonly lastClick?: { readonly row: string; readonly at: number } | null;
  /** The port forwards running now, as the runtime last reported them. */
  readonly forwards?: readonly ActiveForward[];
  /** The editor command for `e` (see ViewContext.editor). */
  readonly editor?: readonly string[];
  /** Writes in flight, by operation id. */
  readonly operations?: ReadonlyMap<string, Operation>;
  /** The last operation id handed out. */
  readonly seq?: number;
}

/** A yes/no question on the bottom line. */
export interface Confirm {
  text: string;
  effects: readonly RootEffect[];
  /** Actions to carry out on yes (a confirmed write). */
  actions?: readonly Action[];
  /** Only `y` confirms (a destructive action); otherwise Enter does too. */
  strict?: boolean;
}

export type RootMsg =
  | InputEvent
  | { type: "resize"; width: number; height: number }
  /** The clock moved (AGE, spinners). */
  | { type: "tick"; now: number }
  /** The repository changed: take a new snapshot. */
  | { type: "data"; now: number }
  | EffectMsg;

export type RootEffect =
  | { type: "quit"; code: number }
  /** Repaint every line: something else may have written to the terminal. */
  | { type: "redraw" }
  /** Ctrl-Z: give the terminal back and stop the process, as the shell's job control expects. */
  | { type: "suspend" }
  /** Mouse reporting on or off (the runtime's "mouse" effect). */
  | { type: "mouse"; on: boolean }
  /** Hand the terminal to a program (a plugin), then take it back; its end comes back as "exited". */
  | { type: "exec"; id: string; command: string; args: readonly string[]; env?: Readonly<Record<string, string>> }
  | AppEffect;

export type RootResult = [RootModel, RootEffect[]];

export interface RootOptions {
  width: number;
  height: number;
  now: number;
  /** The first view's kind (default pods). */
  kind?: string;
  /** The first namespace scope (the context's default namespace); undefined for all namespaces. */
  namespace?: string | undefined;
  /** The user's configuration (default: none). */
  config?: UserConfig;
  /** The editor command for `e` (default vi). */
  editor?: readonly string[];
}

const NONE: RootEffect[] = [];
const MAX_RECENT = 9;

/** The view's share of the screen: all but the header and the bottom line. */
export function bodyHeight(model: Pick<RootModel, "height">): number {
  return Math.max(1, model.height - HEADER_LINES - 1);
}

export function viewContext(model: RootModel): ViewContext {
  return {
    repo: model.repo,
    now: model.now,
    width: model.width,
    height: bodyHeight(model),
    namespace: model.namespace,
    readOnly: isReadOnly(model.config, model.repo.contextName),
    forwards: model.forwards ?? [],
    editor: model.editor ?? ["vi"],
  };
}

export function top(model: RootModel): View {
  return model.stack[model.stack.length - 1] as View;
}

/** The table of a kind as `:` opens it: follows the namespace scope. */
export function kindSource(repo: Repository, key: string): TableSource {
  const kind = repo.kinds().find((k) => k.key === key);
  const namespaced = kind?.namespaced ?? true;
  return {
    id: key,
    crumb: kind?.resource ?? key,
    short: shortName(kind, key),
    kind: key,
    query: (ctx) => ({ kind: key, namespace: namespaced ? ctx.namespace : undefined }),
  };
}

/** The first model: the first view reads its rows right away so the first frame already shows them. */
export function newRootModel(repo: Repository, options: RootOptions): RootModel {
  const config = options.config ?? DEFAULT_CONFIG;
  const problems = config.problems;
  const base: RootModel = {
    repo,
    generation: 0,
    width: options.width,
    height: options.height,
    now: options.now,
    stack: [],
    previous: null,
    saved: new Map(),
    ...contextScope(config, repo, options.namespace),
    prompt: null,
    message:
      problems.length === 0
        ? null
        : {
            text: `${problems[0]}${problems.length > 1 ? ` (and ${problems.length - 1} more: timoneiro info)` : ""}`,
            error: true,
          },
    statuses: repo.statuses(),
    switching: null,
    exitCode: null,
    config,
    confirm: null,
    ...(options.editor && { editor: options.editor }),
  };
  return firstView(base, options.kind);
}

/** The first scope and recent namespaces in `repo`'s context: its defaultNamespace, favoriteNamespaces (1–9). */
function contextScope(
  config: UserConfig,
  repo: Repository,
  namespace: string | undefined,
): Pick<RootModel, "namespace" | "recent"> {
  const settings = contextSettings(config, repo.contextName);
  const scope = repo.namespace ?? (config.allNamespaces ? undefined : (settings.defaultNamespace ?? namespace));
  const recent = [...new Set([scope, ...(settings.favoriteNamespaces ?? [])])].filter((n) => n !== undefined);
  return { namespace: scope, recent: recent.slice(0, MAX_RECENT) };
}

/** The first view: `kind`, else the context's or the config's defaultView (a `:` command), else pods. */
function firstView(base: RootModel, kind: string | undefined): RootModel {
  const open = (k: string) => ({
    ...base,
    stack: [TableView.open(kindSource(base.repo, k), viewContext(base), drillDown)],
  });
  const text = kind === undefined ? defaultView(base) : undefined;
  if (text === undefined) return open(kind ?? "pods");
  const command = parseCommand(base.repo, expandAliases(text, base.config.aliases));
  if (command.type !== "kind") {
    const why = command.type === "error" || command.type === "unknown" ? command.message : "not a view";
    return { ...open("pods"), message: { text: `defaultView "${text}": ${why}`, error: true } };
  }
  const scoped =
    command.namespace === undefined
      ? base
      : setScopeModel(base, command.namespace === "all" ? undefined : command.namespace);
  const ctx = viewContext(scoped);
  let view = TableView.open(kindSource(scoped.repo, command.kind), ctx, drillDown);
  if (command.filter !== undefined) view = view.withFilter(command.filter, ctx);
  return { ...scoped, stack: [view] };
}

function defaultView(model: RootModel): string | undefined {
  return contextSettings(model.config, model.repo.contextName).defaultView ?? model.config.defaultView;
}

export function update(model: RootModel, msg: RootMsg): RootResult {
  switch (msg.type) {
    case "key":
      return onKey(model, msg);
    case "mouse":
      return onMouse(model, msg);
    case "paste":
      return onPaste(model, msg.text);
    case "resize":
      return refreshTop({ ...model, width: msg.width, height: msg.height });
    case "tick":
      return [{ ...model, now: msg.now, statuses: model.repo.statuses() }, NONE];
    case "data":
      return refreshTop({ ...model, now: msg.now, statuses: model.repo.statuses() });
    case "contextReady":
      return contextReady(model, msg.name, msg.repo, msg.namespace);
    case "contextFailed":
      return [{ ...model, switching: null, message: { text: `context ${msg.name}: ${msg.error}`, error: true } }, NONE];
    case "contextProgress":
      return [{ ...model, message: { text: `${msg.name}: ${msg.text}`, error: false } }, NONE];
    case "result": {
      const ours = parseRequestId(msg.id);
      if (ours && model.operations?.has(ours.op)) return writeEnded(model, ours.op, ours.index, msg.error);
      return toViews(model, msg);
    }
    case "contexts":
    case "stream":
      return toViews(model, msg);
    case "forwards":
      return refreshTop({ ...model, forwards: msg.forwards });
    case "rediscovered":
      return runCommand(model, msg.command, false);
    case "exited":
      // The editor of an edit goes back to the view that opened it; a plugin's end is said on the message line.
      if (msg.id.startsWith("edit:")) return toViews(model, msg);
      return [{ ...model, message: exitMessage(msg) }, NONE];
  }
}

/** A confirmed write: refused in read-only mode, else its first requests go out. */
function startWrite(model: RootModel, action: Extract<Action, { type: "write" }>): RootResult {
  if (isReadOnly(model.config, model.repo.contextName)) {
    return [{ ...model, message: { text: `read-only: ${action.verb} is not allowed`, error: true } }, NONE];
  }
  if (action.confirm !== undefined) {
    const { confirm: text, ...write } = action;
    return [{ ...model, confirm: { text, effects: [], actions: [write], strict: true } }, NONE];
  }
  const seq = (model.seq ?? 0) + 1;
  const [op, effects] = startOperation(`op${seq}`, action);
  const operations = new Map(model.operations ?? []);
  operations.set(op.id, op);
  return [{ ...model, seq, operations, message: operationLine(op) }, effects];
}

/** One of an operation's writes ended: count it, send the next, and say how it went once all have. */
function writeEnded(model: RootModel, id: string, index: number, error: string | undefined): RootResult {
  const operations = new Map(model.operations ?? []);
  const [op, effects] = settle(operations.get(id) as Operation, index, error);
  if (finished(op)) operations.delete(id);
  else operations.set(id, op);
  return [{ ...model, operations, message: operationLine(op) }, effects];
}

/** A plugin's end on the message line. */
function exitMessage(msg: Extract<RootMsg, { type: "exited" }>): Message | null {
  const name = msg.id.replace(/^plugin:/, "");
  // Detaching from an attach (Ctrl-P Ctrl-Q) is how it is meant to end, not a failure.
  if (msg.error === "detached") return { text: `${name}: detached`, error: false };
  if (msg.error !== undefined) return { text: `${name}: ${msg.error}`, error: true };
  if (msg.signal !== undefined) return { text: `${name}: ended by ${msg.signal}`, error: true };
  const session = name.startsWith("shell on ") || name.startsWith("attach to ");
  const how = session ? `ended (exit ${msg.code})` : `exited with ${msg.code}`;
  return { text: `${name}: ${how}`, error: msg.code !== 0 };
}

/** An effect's result goes to every view on the stack: each knows the requests it made. */
function toViews(model: RootModel, msg: ViewMsg): RootResult {
  const ctx = viewContext(model);
  const actions: Action[] = [];
  const stack = model.stack.map((view) => {
    const [next, more] = view.update(msg, ctx);
    actions.push(...more);
    return next;
  });
  return apply({ ...model, stack }, actions);
}

function refreshTop(model: RootModel): RootResult {
  const [view, actions] = top(model).update({ type: "data" }, viewContext(model));
  return apply(replaceTop(model, view), actions);
}

function replaceTop(model: RootModel, view: View): RootModel {
  if (view === top(model)) return model;
  return { ...model, stack: [...model.stack.slice(0, -1), view] };
}

function quit(model: RootModel): RootResult {
  return [{ ...model, exitCode: 0 }, [{ type: "quit", code: 0 }]];
}

/** The root's own keys, after the view's: navigation, namespaces, command line, help, quit. */
export function rootBindings(model: RootModel): Binding<RootResult>[] {
  const view = top(model);
  const out: Binding<RootResult>[] = [];
  if (model.stack.length > 1) {
    out.push({ keys: keys("escape"), label: "back to the previous view", section: "Views", run: () => pop(model) });
  }
  if (model.previous) {
    const previous = model.previous;
    out.push({
      keys: keys("-"),
      label: "toggle to the last view (and back)",
      section: "Views",
      run: () => refreshTop({ ...model, stack: previous, previous: model.stack }),
    });
  }
  out.push({
    keys: keys(":"),
    label: "command: any kind (:deploy :jobs :crd, CRDs), :pods NS, :ctx, :q",
    section: "Views",
    hint: "command",
    run: () => [{ ...model, prompt: { text: "", cursor: 0, completions: [], index: -1, base: "" } }, NONE],
  });
  if (view instanceof TableView && view.followsScope && model.repo.namespace === undefined) {
    out.push({
      keys: keys("0"),
      label: "all namespaces",
      section: "Namespaces",
      run: () => setScope(model, undefined),
    });
    model.recent.forEach((ns, i) => {
      out.push({
        keys: keys(String(i + 1)),
        label: "a recent namespace (1–9, numbered in the header)",
        section: "Namespaces",
        run: () => setScope(model, ns),
      });
    });
  }
  if (!(view instanceof HelpView)) {
    out.push({
      keys: keys("?"),
      label: "help: every key of this view",
      section: "Other",
      hint: "help",
      run: () => help(model),
    });
  }
  out.push({
    keys: keys("ctrl+l"),
    label: "repaint the screen",
    section: "Other",
    run: () => [model, [{ type: "redraw" }]],
  });
  out.push({
    keys: keys("ctrl+z"),
    label: "suspend (fg to come back)",
    section: "Other",
    run: () => [model, [{ type: "suspend" }]],
  });
  const mouse = model.mouse ?? true;
  out.push({
    keys: keys("ctrl+o"),
    label: mouse
      ? "mouse off, so that the terminal selects text (on: wheel scrolls, click selects, double-click is Enter)"
      : "mouse on: wheel scrolls, click selects, double-click is Enter",
    section: "Other",
    run: () => [
      {
        ...model,
        mouse: !mouse,
        lastClick: null,
        message: { text: `mouse ${mouse ? "off" : "on"} (Ctrl-O)`, error: false },
      },
      [{ type: "mouse", on: !mouse }],
    ],
  });
  out.push({ keys: keys("q", "ctrl+c"), label: "quit", section: "Other", hint: "quit", run: () => quit(model) });
  return [...out, ...userBindings(model, out)];
}

/**
 * The hotkeys and the plugins of the view on top, after every built-in key: one that a built-in key of the view or
 * the root already takes is left out (the config's check warns about those at start-up).
 */
function userBindings(model: RootModel, builtin: readonly Binding<RootResult>[]): Binding<RootResult>[] {
  const { config, repo } = model;
  if (config.hotkeys.length === 0 && config.plugins.length === 0) return [];
  const view = top(model);
  const taken = [...view.bindings(viewContext(model)), ...builtin].flatMap((b) => b.keys);
  const out: Binding<RootResult>[] = [];
  const free = (k: Parameters<typeof sameKey>[0]) => {
    if (taken.some((t) => sameKey(t, k))) return false;
    taken.push(k);
    return true;
  };
  for (const hotkey of config.hotkeys) {
    if (!free(hotkey.key)) continue;
    out.push({
      keys: [hotkey.key],
      label: `${hotkey.description || hotkey.name} (:${hotkey.command})`,
      section: "Hotkeys",
      run: () => runCommand(model, hotkey.command),
    });
  }
  for (const plugin of pluginsFor(config, view, repo)) {
    if (!free(plugin.key)) continue;
    out.push({
      keys: [plugin.key],
      label: `${plugin.description || plugin.name}${plugin.dangerous ? " (dangerous)" : ""}`,
      section: "Plugins",
      run: () => {
        const run = pluginRun(plugin, config, view, repo, model.now);
        if ("error" in run) return [{ ...model, message: { text: run.error, error: true } }, NONE];
        const { type, ...rest } = run;
        const effect: RootEffect = type === "exec" ? { type: "exec", ...rest } : { type: "spawn", ...rest };
        if (!plugin.confirm) return [model, [effect]];
        const text = `run ${plugin.name}: ${[run.command, ...run.args].join(" ")}?`;
        return [{ ...model, confirm: { text, effects: [effect] } }, NONE];
      },
    });
  }
  return out;
}

/** y (or Enter) runs what the question is about; any other key cancels it. */
function onConfirmKey(model: RootModel, key: KeyEvent): RootResult {
  const confirm = model.confirm as Confirm;
  const yes =
    !key.ctrl && !key.alt && (key.name === "y" || key.name === "Y" || (!confirm.strict && key.name === "enter"));
  if (yes) {
    const [m, effects] = apply({ ...model, confirm: null }, confirm.actions ?? []);
    return [m, [...confirm.effects, ...effects]];
  }
  return [{ ...model, confirm: null, message: { text: "cancelled", error: false } }, NONE];
}

function help(model: RootModel): RootResult {
  const ctx = viewContext(model);
  const sections = helpSections([...top(model).bindings(ctx), ...rootBindings(model)]);
  return push(model, new HelpView(sections));
}

/** Every key the top view and the root offer now, for the help and the hint line. */
export function allBindings(model: RootModel): Binding<unknown>[] {
  return [...top(model).bindings(viewContext(model)), ...rootBindings(model)];
}

/** Two presses on the same row within this long are a double click. */
export const DOUBLE_CLICK_MS = 400;
/** Rows a wheel step scrolls. */
export const WHEEL_ROWS = 3;

/** The wheel scrolls the view; a click selects a table row, a double click is Enter on it. Header and bottom lines
 * take no clicks. */
function onMouse(model: RootModel, ev: MouseEvent): RootResult {
  if (!(model.mouse ?? true) || model.prompt || model.confirm) return [model, NONE];
  const view = top(model);
  const ctx = viewContext(model);
  if (ev.action === "wheelUp" || ev.action === "wheelDown") {
    const down = ev.action === "wheelDown";
    if (view instanceof TableView)
      return [replaceTop(model, view.scrollBy(down ? WHEEL_ROWS : -WHEEL_ROWS, ctx)), NONE];
    // Other views scroll with ↑/↓.
    let m = model;
    const effects: RootEffect[] = [];
    for (let i = 0; i < WHEEL_ROWS; i++) {
      const [next, more] = onKey(m, inputKey(down ? "down" : "up"));
      m = next;
      effects.push(...more);
    }
    return [m, effects];
  }
  if (ev.action !== "press" || ev.button !== 0 || !(view instanceof TableView)) return [model, NONE];
  // Body line 0 is the column header; the rows follow.
  const line = ev.y - HEADER_LINES - 1;
  const index = view.scroll + line;
  if (ev.y >= model.height - 1 || line < 0 || line >= ctx.height - 1 || index >= view.filtered.length) {
    return [model.lastClick ? { ...model, lastClick: null } : model, NONE];
  }
  const selected = view.selectRow(index, ctx);
  const row = selected.cursorKey ?? String(index);
  const at = ev.at ?? model.now;
  const last = model.lastClick;
  if (last && last.row === row && at >= last.at && at - last.at <= DOUBLE_CLICK_MS) {
    const [next, actions] = selected.activate(ctx);
    return apply({ ...replaceTop(model, next), lastClick: null }, actions);
  }
  return [{ ...replaceTop(model, selected), lastClick: { row, at } }, NONE];
}

function onKey(model: RootModel, key: KeyEvent): RootResult {
  if (key.ctrl && key.name === "c") return quit(model);
  const m = model.message ? { ...model, message: null } : model;
  if (m.confirm) return onConfirmKey(m, key);
  if (m.prompt) return onPromptKey(m, key);
  const view = top(m);
  const ctx = viewContext(m);
  const own = findBinding(view.bindings(ctx), key);
  if (own) {
    const [next, actions] = own.run();
    return apply(replaceTop(m, next), actions);
  }
  if (view.capturesInput()) {
    const [next, actions] = view.update(key, ctx);
    return apply(replaceTop(m, next), actions);
  }
  const root = findBinding(rootBindings(m), key);
  if (root) return root.run();
  const [next, actions] = view.update(key, ctx);
  return apply(replaceTop(m, next), actions);
}

function onPaste(model: RootModel, text: string): RootResult {
  if (model.prompt) {
    return [{ ...model, prompt: editedPrompt(model.prompt, pasteInto(model.prompt, text)) }, NONE];
  }
  const [next, actions] = top(model).update({ type: "paste", text }, viewContext(model));
  return apply(replaceTop(model, next), actions);
}

/** Keys of the `:` line (besides typing and editing). */
export function promptBindings(model: RootModel): Binding<RootResult>[] {
  const prompt = model.prompt ?? { text: "", cursor: 0, completions: [], index: -1, base: "" };
  const complete = (backwards: boolean): RootResult => {
    const cycling = prompt.index >= 0 && prompt.completions.length > 0;
    const completions = cycling ? prompt.completions : completeCommand(model.repo, prompt.text, model.config.aliases);
    if (completions.length === 0) {
      return [{ ...model, message: { text: `nothing matches "${prompt.text}"`, error: true } }, NONE];
    }
    const step = backwards ? completions.length - 1 : 1;
    const index = cycling ? (prompt.index + step) % completions.length : backwards ? completions.length - 1 : 0;
    const base = cycling ? prompt.base : prompt.text;
    const completed = replaceLastWord(base, completions[index] as string);
    return [{ ...model, prompt: { text: completed, cursor: completed.length, completions, index, base } }, NONE];
  };
  const out: Binding<RootResult>[] = [
    {
      keys: keys("enter"),
      label: "run the command",
      section: "Command line",
      run: () => runCommand({ ...model, prompt: null }, prompt.text),
    },
    {
      keys: keys("escape"),
      label: "close the command line",
      section: "Command line",
      run: () => [{ ...model, prompt: null }, NONE],
    },
    {
      keys: keys("tab"),
      label: "complete a kind, a command or a namespace (again: the next one)",
      section: "Command line",
      run: () => complete(false),
    },
    { keys: keys("shift+tab"), label: "the previous completion", section: "Command line", run: () => complete(true) },
  ];
  // Backspace on an empty command line closes it, as in vim.
  if (prompt.text === "") {
    out.push({
      keys: keys("backspace"),
      label: "(on an empty line) close it",
      section: "Command line",
      run: () => [{ ...model, prompt: null }, NONE],
    });
  }
  const editing = model.prompt ?? prompt;
  out.push(
    ...editBindings(
      editing,
      "Command line",
      (next): RootResult => [{ ...model, prompt: editedPrompt(editing, next) }, NONE],
    ),
  );
  return out;
}

function onPromptKey(model: RootModel, key: KeyEvent): RootResult {
  const prompt = model.prompt as Prompt;
  const binding = findBinding(promptBindings(model), key);
  if (binding) return binding.run();
  if (key.text === undefined || key.ctrl || key.alt) return [model, NONE];
  return [{ ...model, prompt: editedPrompt(prompt, insertText(prompt, key.text)) }, NONE];
}

/** The prompt after an edit: a new text ends Tab's cycling; a cursor move keeps it. */
function editedPrompt(prompt: Prompt, input: TextInput): Prompt {
  if (input.text === prompt.text) return input.cursor === prompt.cursor ? prompt : { ...prompt, cursor: input.cursor };
  return { text: input.text, cursor: input.cursor, completions: [], index: -1, base: input.text };
}

function replaceLastWord(text: string, word: string): string {
  return text.replace(/\S*$/, word);
}

/** Runs a `:` command: a kind (with an optional namespace), ctx, quit. */
export function runCommand(model: RootModel, text: string, rediscover = true): RootResult {
  const command = parseCommand(model.repo, expandAliases(text, model.config.aliases));
  switch (command.type) {
    case "none":
      return [model, NONE];
    case "quit":
      return quit(model);
    case "contexts": {
      if (command.name !== undefined) {
        return [
          {
            ...model,
            switching: command.name,
            message: { text: `connecting to context ${command.name}…`, error: false },
          },
          [{ type: "switchContext", name: command.name }],
        ];
      }
      const [view, actions] = ContextsView.open(model.repo.contextName);
      return apply(model, [{ type: "push", view }, ...actions]);
    }
    case "error":
      return [{ ...model, message: { text: command.message, error: true } }, NONE];
    case "unknown":
      // Discovery may be older than the kind (a CRD created since): ask it again once before saying no.
      if (rediscover) {
        return [
          { ...model, message: { text: `looking for "${command.name}" in the server's discovery…`, error: false } },
          [{ type: "rediscover", command: text }],
        ];
      }
      return [{ ...model, message: { text: command.message, error: true } }, NONE];
    case "view":
      return openAppView(model, command.view);
    case "kind": {
      let m = model;
      if (command.namespace !== undefined)
        m = setScopeModel(m, command.namespace === "all" ? undefined : command.namespace);
      const opened = openKind(m, command.kind);
      const view = top(opened[0]);
      if (command.filter === undefined || !(view instanceof TableView)) return opened;
      return [replaceTop(opened[0], view.withFilter(command.filter, viewContext(opened[0]))), opened[1]];
    }
  }
}

/** Openers of the app's own views (`:pulse`, `:top`, `:pf`). */
const APP_VIEWS: Record<AppViewName, ((ctx: ViewContext) => View) | undefined> = {
  pulse: (ctx) => PulseView.open(ctx),
  top: (ctx) => TopView.open(ctx),
  portforwards: () => openPortForwards()[0],
};

/** An app view: back to it if it is on the stack, else a new one (its state is all derived from the caches). */
function openAppView(model: RootModel, name: AppViewName): RootResult {
  const open = APP_VIEWS[name];
  if (!open) return [{ ...model, message: { text: `:${name} is not available in this build`, error: true } }, NONE];
  const at = model.stack.findIndex((v) => v.id === name);
  if (at >= 0) return refreshTop({ ...model, stack: model.stack.slice(0, at + 1), previous: model.stack });
  return push(model, open(viewContext(model)));
}

/** The view of a kind: back to it if it is on the stack, restored if it was left, else a new one. */
function openKind(model: RootModel, kind: string): RootResult {
  const at = model.stack.findIndex((v) => v.id === kind);
  if (at >= 0) {
    if (at === model.stack.length - 1) return refreshTop(model);
    const saved = withSaved(model.saved, model.stack.slice(at + 1));
    return refreshTop({ ...model, stack: model.stack.slice(0, at + 1), previous: model.stack, saved });
  }
  const saved = model.saved.get(kind);
  const view = saved ?? TableView.open(kindSource(model.repo, kind), viewContext(model), drillDown);
  return push(model, view);
}

/** `saved` plus the `:` views among `left`: they keep their state to come back to (drill-downs open fresh). */
function withSaved(saved: ReadonlyMap<string, View>, left: readonly View[]): ReadonlyMap<string, View> {
  const out = new Map(saved);
  for (const view of left) {
    if (view instanceof TableView && view.source.id === view.source.kind) out.set(view.id, view);
  }
  return out;
}

/** The deepest the stack goes: beyond it the oldest view is forgotten (kept in `saved` if it was a `:` view). */
export const MAX_STACK = 12;

function push(model: RootModel, view: View): RootResult {
  let stack = [...model.stack, view];
  let saved = model.saved;
  if (stack.length > MAX_STACK) {
    saved = withSaved(saved, stack.slice(0, stack.length - MAX_STACK));
    stack = stack.slice(-MAX_STACK);
  }
  return refreshTop({ ...model, stack, previous: model.stack, saved });
}

function pop(model: RootModel): RootResult {
  if (model.stack.length <= 1) return [model, NONE];
  const saved = withSaved(model.saved, [top(model)]);
  return refreshTop({ ...model, stack: model.stack.slice(0, -1), previous: model.stack, saved });
}

function setScopeModel(model: RootModel, namespace: string | undefined): RootModel {
  if (model.repo.namespace !== undefined) return model;
  const recent =
    namespace === undefined
      ? model.recent
      : [namespace, ...model.recent.filter((n) => n !== namespace)].slice(0, MAX_RECENT);
  return { ...model, namespace, recent };
}

function setScope(model: RootModel, namespace: string | undefined): RootResult {
  return refreshTop(setScopeModel(model, namespace));
}

/** Carries out the actions a view returned. */
function apply(model: RootModel, actions: readonly Action[]): RootResult {
  let m = model;
  const effects: RootEffect[] = [];
  for (const action of actions) {
    let result: RootResult;
    switch (action.type) {
      case "push":
        result = push(m, action.view);
        break;
      case "pop":
        result = pop(m);
        break;
      case "message":
        result = [{ ...m, message: { text: action.text, error: action.error ?? false } }, NONE];
        break;
      case "scope":
        if (action.open !== undefined) result = openKind(setScopeModel(m, action.namespace), action.open);
        else result = setScope(m, action.namespace);
        break;
      case "command":
        result = runCommand(m, action.text);
        break;
      case "quit":
        result = quit(m);
        break;
      case "effect":
        if (action.effect.type === "switchContext") m = { ...m, switching: action.effect.name };
        result = [m, [action.effect]];
        break;
      case "write":
        result = startWrite(m, action);
        break;
      case "exec": {
        const { type: _exec, ...rest } = action;
        result = [m, [{ type: "exec", ...rest }]];
        break;
      }
    }
    m = result[0];
    effects.push(...result[1]);
  }
  return [m, effects];
}

function contextReady(model: RootModel, name: string, repo: Repository, namespace: string | undefined): RootResult {
  const base: RootModel = {
    ...model,
    repo,
    generation: model.generation + 1,
    stack: [],
    previous: null,
    saved: new Map(),
    ...contextScope(model.config, repo, namespace),
    statuses: repo.statuses(),
    switching: null,
    confirm: null,
    message: { text: `switched to context ${name}`, error: false },
  };
  return [firstView(base, undefined), NONE];
}

/** Informers held by the views on the stack (the ones below stay loaded: they are the way back). */
export function heldQueries(model: RootModel): RowQuery[] {
  const ctx = viewContext(model);
  const seen = new Map<string, RowQuery>();
  for (const view of model.stack) {
    for (const query of view.holds(ctx)) {
      // Owners and node filters are read from the same informer: only kind, namespace and selector make one.
      const key = JSON.stringify([query.kind, query.namespace ?? null, query.labelSelector ?? null]);
      if (!seen.has(key)) seen.set(key, query);
    }
  }
  return [...seen.values()];
}

/** Streams read by the views on the stack (a view's streams close when it leaves the stack). */
export function heldStreams(model: RootModel): StreamSpec[] {
  const ctx = viewContext(model);
  const seen = new Map<string, StreamSpec>();
  for (const view of model.stack) for (const spec of view.streams?.(ctx) ?? []) seen.set(spec.key, spec);
  return [...seen.values()];
}

function bottomLine(model: RootModel): string {
  const { width } = model;
  if (model.confirm) {
    return paintSegments(
      [
        { text: ` ${model.confirm.text}`, style: THEME.emphasis },
        { text: "  y runs · any other key cancels", style: THEME.dim },
      ],
      width,
    );
  }
  if (model.prompt) {
    return paintSegments(
      [
        { text: ":", style: THEME.emphasis },
        ...inputSegments(model.prompt),
        // A message raised while typing (Tab found nothing) shows in place of the hints.
        model.message
          ? { text: `   ${model.message.text}`, style: model.message.error ? THEME.errorMessage : THEME.message }
          : { text: "   Tab completes · Enter runs · Esc closes", style: THEME.dim },
      ],
      width,
    );
  }
  if (model.message) {
    return paintSegments(
      [{ text: ` ${model.message.text}`, style: model.message.error ? THEME.errorMessage : THEME.message }],
      width,
    );
  }
  const own = top(model).bottom(viewContext(model));
  const hints: Segment = { text: ` ${hintText(allBindings(model))}`, style: THEME.dim };
  if (own) return paintSegments([...own, { text: "  ·", style: THEME.dim }, hints], width);
  return paintSegments([hints], width);
}

/** The whole screen: exactly `height` lines, each at most `width` cells. */
export function view(model: RootModel): string[] {
  if (model.height <= 0 || model.width <= 0) return [];
  const ctx = viewContext(model);
  const lines = headerLines(model, ctx);
  lines.push(...top(model).body(ctx));
  lines.length = Math.max(HEADER_LINES, model.height - 1);
  for (let i = 0; i < lines.length; i++) lines[i] ??= "";
  lines.push(bottomLine(model));
  return lines.slice(-model.height);
}

/**
 * The top table's search text (filter.ts HaystackCache, per chunk of rows), built in slices from the rows' own
 * haystacks as soon as the filter prompt opens, so that the first key does not wait for it.
 */
export function idleWork(model: RootModel): { key: unknown; urgent: boolean; step(from: number): number } | null {
  const view = top(model);
  if (!(view instanceof TableView)) return null;
  // Only while a filter is open or kept: under churn without one, following every rows array would cost for nothing.
  if (!view.filtering && view.filterText === "") return null;
  return {
    key: view.rows,
    urgent: true,
    step: (from) => view.warm(from, 5000),
  };
}

export type { ViewResult };
export { QUIT_COMMANDS };
