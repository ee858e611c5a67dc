// What the YAML and describe views share: one object of the cluster shown live. The cache keeps compact rows, not
// whole objects, so the object is fetched when the view opens and again whenever its row changes (every watch event
// makes a new row object); answers to older requests are ignored (their ids carry an older request number). A
// deleted object keeps what was shown, and the view says it is gone. A plain state record and pure helpers: each
// view keeps its own state type (extending LiveState) and what it makes of the object.
import type { ApiKind, RowQuery } from "../../repository/types.ts";
import type { BaseRow } from "../../resources/types.ts";
import { type Binding, keys } from "../bindings.ts";
import type { Segment } from "../paint.ts";
import { THEME } from "../theme.ts";
import { copyActions, placeholder, saveFileName } from "./text-pane.ts";
import type { Action, View, ViewContext, ViewResult } from "./view.ts";

/** The object a view shows: its namespace ("" when cluster-scoped) and name. */
export interface LiveTarget {
  readonly namespace: string;
  readonly name: string;
}

export interface LiveState {
  readonly parentId: string;
  readonly kind: ApiKind;
  readonly target: LiveTarget;
  /** The short name for the crumb and the file name ("deploy", "po"). */
  readonly short: string;
  /** The row the object was last fetched for: a new row object means the object changed, so fetch again. */
  readonly fetchedFor: BaseRow | undefined;
  /** The rows array the row was last looked for in: a data message with the same array changes nothing. */
  readonly seenRows: readonly BaseRow[] | undefined;
  readonly request: number;
  readonly saves: number;
  readonly error: string | undefined;
  readonly gone: boolean;
}

/** The live part of a view opened on `row`, waiting for the object. */
export function openLive(kind: ApiKind, row: BaseRow, parentId: string, short: string): LiveState {
  return {
    parentId,
    kind,
    target: { namespace: kind.namespaced ? row.namespace : "", name: row.name },
    short,
    fetchedFor: row,
    seenRows: undefined,
    request: 1,
    saves: 0,
    error: undefined,
    gone: false,
  };
}

const nsName = ({ namespace, name }: LiveTarget) => `${namespace ? `${namespace}/` : ""}${name}`;

/** The view's id: `PARENT › SHORT/NS/NAME › SUFFIX` (no NS/ when cluster-scoped). */
export function liveId(s: LiveState, suffix: string): string {
  return `${s.parentId} › ${s.short}/${nsName(s.target)} › ${suffix}`;
}

/** The id of the current GET: `ID#getN`. */
export const requestId = (id: string, s: LiveState): string => `${id}#get${s.request}`;

/** The id of the last save: `ID#saveN`. */
export const saveId = (id: string, s: LiveState): string => `${id}#save${s.saves}`;

/** The object's API path: /api/v1/namespaces/NS/pods/NAME, /apis/GROUP/VERSION/RESOURCE/NAME (cluster-scoped). */
export function objectPath(
  kind: Pick<ApiKind, "group" | "version" | "resource" | "namespaced">,
  target: LiveTarget,
): string {
  const prefix = kind.group === "" ? `/api/${kind.version}` : `/apis/${kind.group}/${kind.version}`;
  const ns = kind.namespaced && target.namespace ? `/namespaces/${encodeURIComponent(target.namespace)}` : "";
  return `${prefix}${ns}/${kind.resource}/${encodeURIComponent(target.name)}`;
}

/** The GET of the object under the current request id. */
export function fetchActions(id: string, s: LiveState): Action[] {
  return [{ type: "effect", effect: { type: "get", id: requestId(id, s), path: objectPath(s.kind, s.target) } }];
}

/** The rows the object's row is looked for in. */
export function liveQuery(s: LiveState): RowQuery {
  return { kind: s.kind.key, namespace: s.kind.namespaced ? s.target.namespace : undefined };
}

/** `KIND NS/NAME`, for the title. */
export const liveWhat = (s: LiveState): string => `${s.kind.kind} ${nsName(s.target)}`;

/** `SHORT/NAME`, for the trail. */
export const liveCrumb = (s: LiveState): string => `${s.short}/${s.target.name}`;

/** The GET failed: say why; a not-found means gone. */
export function onGetError(s: LiveState, error: string): Partial<LiveState> {
  const gone = /not ?found|404/i.test(error);
  return { error, gone: gone || s.gone };
}

/**
 * What a `data` message means for the object: nothing (the same rows array), its row looked at (`none`), gone
 * (deleted; once the kind's cache is synced, absence is real) or changed (`refetch`: a new request number, so that
 * answers to the previous ones are ignored). `change`: what to merge into the state.
 */
export type LiveData =
  | { readonly type: "unchanged" }
  | { readonly type: "none" | "gone" | "refetch"; readonly change: Partial<LiveState> };

export function onData(s: LiveState, ctx: ViewContext): LiveData {
  const query = liveQuery(s);
  const rows = ctx.repo.rows(query);
  if (rows === s.seenRows) return { type: "unchanged" };
  const { name, namespace } = s.target;
  const row = rows.find((r) => r.name === name && r.namespace === namespace);
  if (row === undefined) {
    const synced = ctx.repo.status(query).synced;
    return { type: "gone", change: { seenRows: rows, gone: s.gone || synced } };
  }
  if (row !== s.fetchedFor) {
    return { type: "refetch", change: { seenRows: rows, fetchedFor: row, request: s.request + 1, gone: false } };
  }
  return { type: "none", change: { seenRows: rows } };
}

/**
 * Saving `text` to CONTEXT_KIND_[NS_]NAME[_EXTRA…]_STAMP.EXT: the state change (one more save) and the effect, under
 * the new save id.
 */
export function saveRequest(
  id: string,
  s: LiveState,
  ctx: ViewContext,
  file: { readonly extra: readonly string[]; readonly ext: string; readonly text: string },
): { change: Partial<LiveState>; actions: Action[] } {
  const { namespace, name } = s.target;
  const parts = [ctx.repo.contextName, s.kind.key, ...(namespace ? [namespace] : []), name, ...file.extra];
  const path = saveFileName(parts, ctx.now, file.ext);
  const saves = s.saves + 1;
  const effectId = saveId(id, { ...s, saves });
  return {
    change: { saves },
    actions: [{ type: "effect", effect: { type: "save", id: effectId, path, text: file.text } }],
  };
}

/** `ctrl+s` (save) and `c` (copy, OSC 52) of what is shown: `what` names it ("the description"). */
export function saveCopyBindings(opts: {
  readonly section: string;
  readonly what: string;
  readonly text: string;
  readonly lineCount: number;
  readonly view: View;
  readonly save: () => ViewResult;
}): Binding<ViewResult>[] {
  return [
    {
      keys: keys("ctrl+s"),
      label: `save ${opts.what} to a file`,
      section: opts.section,
      hint: "save",
      run: opts.save,
    },
    {
      keys: keys("c"),
      label: `copy ${opts.what} to the clipboard (OSC 52)`,
      section: opts.section,
      hint: "copy",
      run: () => [opts.view, copyActions(opts.text, opts.lineCount)],
    },
  ];
}

/** One line above the text when something is wrong: gone (`last`: what is shown), or the last GET failed. */
export function liveBanner(s: LiveState, shown: boolean, last: string): Segment | null {
  if (s.gone) {
    return { text: ` ${s.kind.kind} ${s.target.name} is gone from the cluster; ${last}.`, style: THEME.warning };
  }
  if (s.error !== undefined && shown) {
    return { text: ` Cannot read it again: ${s.error}`, style: THEME.errorMessage };
  }
  return null;
}

/** The body before anything is shown: the GET's error, or `loading`. */
export function livePlaceholder(s: LiveState, loading: string, ctx: ViewContext): string[] {
  const text = s.error ? `Cannot read the object: ${s.error}` : loading;
  return placeholder(text, s.error !== undefined, ctx.width, ctx.height);
}

/** A line with its tabs expanded to 8-column stops, as drawn. */
export function expandTabs(line: string): string {
  if (!line.includes("\t")) return line;
  let out = "";
  for (const ch of line) out += ch === "\t" ? " ".repeat(8 - (out.length % 8)) : ch;
  return out;
}
