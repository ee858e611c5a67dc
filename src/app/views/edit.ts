// `e`: edit an object as `kubectl edit` does. GET it, write it as YAML to a private temporary file, hand the terminal
// to the editor, read the file back, and update the object with the resourceVersion it was read at. A file that is
// not valid YAML, or that the server refuses (validation, admission), is reopened with the error as comments at the
// top; an object changed on the server meanwhile (409) is fetched again and the user's changes are re-applied to its
// latest version, shown in the editor before anything is sent; no change → "Edit cancelled, no changes made."
import { parse, stringify } from "yaml";
import type { ApiKind } from "../../kube/kinds.ts";
import type { RowQuery } from "../../repository/types.ts";
import type { BaseRow } from "../../resources/types.ts";
import { rowPath } from "../actions.ts";
import type { Binding } from "../bindings.ts";
import { keys } from "../bindings.ts";
import { paintSegments, type Segment } from "../paint.ts";
import { THEME } from "../theme.ts";
import type { Action, View, ViewContext, ViewMsg, ViewResult } from "./view.ts";

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

/** Where the edit is. */
type Phase = "fetching" | "writing" | "editing" | "reading" | "saving" | "refetching";

interface EditState {
  readonly id: string;
  readonly kind: ApiKind;
  readonly row: BaseRow;
  readonly short: string;
  readonly phase: Phase;
  /** The object as the server sent it (managedFields dropped), which the edit is compared with. */
  readonly original: JsonObject | null;
  /** What the file holds now (without the header). */
  readonly text: string;
  readonly path: string | null;
  /** Errors shown at the top of the file when it is reopened. */
  readonly errors: readonly string[];
  /** The user's last edit, when a conflict made us fetch the object again. */
  readonly edited: JsonObject | null;
  readonly status: string;
}

const HEADER = [
  "# Please edit the object below. Lines beginning with a '#' will be ignored,",
  "# and an empty file will abort the edit. If an error occurs while saving this file will be",
  "# reopened with the relevant failures.",
  "#",
];

/** The edit of one object, while the editor has the terminal and until the update is answered. */
export class EditView implements View {
  readonly id: string;
  readonly crumb = "edit";
  private readonly s: EditState;

  private constructor(s: EditState) {
    this.s = s;
    this.id = s.id;
  }

  /** Starts the edit of `row` (a GET first). */
  static open(kind: ApiKind, row: BaseRow, short: string, parentId: string): [EditView, Action[]] {
    const view = new EditView({
      id: `${parentId}>edit:${row.namespace}/${row.name}`,
      kind,
      row,
      short,
      phase: "fetching",
      original: null,
      text: "",
      path: null,
      errors: [],
      edited: null,
      status: `reading ${short}/${row.name}…`,
    });
    return [view, [view.get()]];
  }

  private with(change: Partial<EditState>): EditView {
    return new EditView({ ...this.s, ...change });
  }

  private get what(): string {
    return `${this.s.short}/${this.s.row.name}`;
  }

  private get(): Action {
    return { type: "effect", effect: { type: "get", id: `${this.id}#get`, path: rowPath(this.s.kind, this.s.row) } };
  }

  /** The file's text: the header, the errors of the last attempt, then the object. */
  private fileText(): string {
    const errors = this.s.errors.flatMap((e) => e.split("\n")).map((line) => `# ${line}`);
    return [...HEADER, ...errors, ...(errors.length ? ["#"] : []), this.s.text].join("\n");
  }

  /** Write the file (again) and open the editor on it. */
  private reopen(): ViewResult {
    const view = this.with({ phase: "writing", status: `editing ${this.what}…` });
    const name = `${this.s.short}-${this.s.row.name}.yaml`;
    return [
      view,
      [{ type: "effect", effect: { type: "tempFile", id: `${this.id}#file`, name, text: view.fileText() } }],
    ];
  }

  private end(text: string, error: boolean): ViewResult {
    const actions: Action[] = [{ type: "pop" }, { type: "message", text, error }];
    if (this.s.path) actions.push({ type: "effect", effect: { type: "removeFile", path: this.s.path } });
    return [this, actions];
  }

  capturesInput(): boolean {
    return false;
  }

  bindings(): readonly Binding<ViewResult>[] {
    if (this.s.phase === "editing") return [];
    return [
      {
        keys: keys("escape"),
        label: "stop waiting (an update already sent still happens)",
        section: "Edit",
        run: () => this.end(`edit of ${this.what} abandoned`, false),
      },
    ];
  }

  update(msg: ViewMsg, ctx: ViewContext): ViewResult {
    if (msg.type === "result" && msg.id === `${this.id}#get`) return this.onObject(msg.value, msg.error);
    if (msg.type === "result" && msg.id === `${this.id}#file`) {
      if (msg.error !== undefined) return this.end(`edit ${this.what}: ${msg.error}`, true);
      const path = String(msg.value);
      // A reopened file is a new one: the previous one (a Secret's data may be in it) goes now, not left behind.
      const previous: Action[] =
        this.s.path && this.s.path !== path
          ? [{ type: "effect", effect: { type: "removeFile", path: this.s.path } }]
          : [];
      const [command, ...args] = ctx.editor ?? ["vi"];
      if (!command) {
        const [view, actions] = this.with({ path }).end("edit: no editor (set KUBE_EDITOR or EDITOR)", true);
        return [view, [...previous, ...actions]];
      }
      return [
        this.with({ phase: "editing", path }),
        [...previous, { type: "exec", id: `edit:${this.id}`, command, args: [...args, path] }],
      ];
    }
    if (msg.type === "exited" && msg.id === `edit:${this.id}`) {
      if (msg.error !== undefined || msg.code !== 0) {
        const why = msg.error ?? (msg.signal ? `ended by ${msg.signal}` : `exited with ${msg.code}`);
        return this.end(`edit ${this.what}: the editor ${why}; nothing was changed`, true);
      }
      const path = this.s.path as string;
      return [
        this.with({ phase: "reading" }),
        [{ type: "effect", effect: { type: "readFile", id: `${this.id}#read`, path } }],
      ];
    }
    if (msg.type === "result" && msg.id === `${this.id}#read`) {
      if (msg.error !== undefined) return this.end(`edit ${this.what}: ${msg.error}`, true);
      return this.onEdited(String(msg.value));
    }
    if (msg.type === "result" && msg.id === `${this.id}#put`) {
      if (msg.error === undefined) return this.end(`edited ${this.what}`, false);
      if (/modified; please apply your changes|\(409\)|conflict/i.test(msg.error)) {
        return [
          this.with({ phase: "refetching", status: `${this.what} changed meanwhile; reading it again…` }),
          [this.get()],
        ];
      }
      return this.with({ errors: [`error: ${msg.error}`] }).reopen();
    }
    return [this, []];
  }

  /** The GET's answer: first the object to edit; after a conflict, its latest version to re-apply the edit on. */
  private onObject(value: unknown, error: string | undefined): ViewResult {
    if (error !== undefined) return this.end(`edit ${this.what}: ${error}`, true);
    const latest = editable(value);
    if (this.s.phase === "refetching" && this.s.original && this.s.edited) {
      const patch = mergeDiff(this.s.original, this.s.edited);
      const rebased = applyMerge(latest, patch) as JsonObject;
      const note = [
        "The object was changed on the server since you opened it. Your changes are applied to its latest",
        "version below: save to update it with them, or quit without saving to cancel.",
      ];
      return this.with({ original: latest, text: yamlOf(rebased), errors: note, edited: null }).reopen();
    }
    return this.with({ original: latest, text: yamlOf(latest), errors: [] }).reopen();
  }

  /** The file as the editor left it. */
  private onEdited(file: string): ViewResult {
    // kubectl ignores every line that starts with '#'.
    const text = file
      .split("\n")
      .filter((line) => !line.startsWith("#"))
      .join("\n");
    if (text.trim() === "") return this.end("Edit cancelled, empty file", false);
    let edited: unknown;
    try {
      edited = parse(text);
    } catch (err) {
      const why = err instanceof Error ? err.message : String(err);
      return this.with({ text, errors: [`error: the file is not valid YAML: ${why}`] }).reopen();
    }
    if (!isObject(edited)) return this.with({ text, errors: ["error: the file must hold one object"] }).reopen();
    const original = this.s.original as JsonObject;
    if (JSON.stringify(canonical(edited)) === JSON.stringify(canonical(original))) {
      return this.end("Edit cancelled, no changes made.", false);
    }
    const request = {
      method: "PUT" as const,
      path: rowPath(this.s.kind, this.s.row),
      body: edited,
      verb: "update",
      resource: this.s.kind.resource,
      group: this.s.kind.group || undefined,
      namespace: this.s.row.namespace || undefined,
      name: this.s.row.name,
    };
    return [
      this.with({ phase: "saving", text, edited, status: `updating ${this.what}…` }),
      [{ type: "effect", effect: { type: "write", id: `${this.id}#put`, request } }],
    ];
  }

  holds(): readonly RowQuery[] {
    return [];
  }

  title(): string {
    return `Edit ${this.what}`;
  }

  statusKinds(): readonly string[] {
    return [];
  }

  body(ctx: ViewContext): string[] {
    const lines = ["", paintSegments([{ text: ` ${this.s.status}`, style: THEME.dim }], ctx.width)];
    while (lines.length < ctx.height) lines.push("");
    return lines.slice(0, ctx.height);
  }

  bottom(): Segment[] | null {
    return null;
  }
}

/** The object as it is edited: managedFields dropped, as kubectl edit does. */
function editable(value: unknown): JsonObject {
  const object = (isObject(value) ? structuredClone(value) : {}) as JsonObject;
  const meta = object.metadata;
  if (isObject(meta)) delete (meta as JsonObject).managedFields;
  return object;
}

function yamlOf(object: JsonObject): string {
  return stringify(object, { lineWidth: 0, aliasDuplicateObjects: false });
}

function isObject(v: unknown): v is JsonObject {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Keys sorted, so that a re-ordered but equal object compares equal. */
function canonical(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(canonical);
  if (!isObject(v)) return v;
  return Object.fromEntries(
    Object.keys(v)
      .sort()
      .map((k) => [k, canonical(v[k])]),
  );
}

/** The JSON merge patch (RFC 7386) that turns `from` into `to`. */
export function mergeDiff(from: JsonObject, to: JsonObject): JsonObject {
  const patch: JsonObject = {};
  for (const key of Object.keys(from)) if (!(key in to)) patch[key] = null;
  for (const [key, value] of Object.entries(to)) {
    const before = from[key];
    if (isObject(before) && isObject(value)) {
      const sub = mergeDiff(before, value);
      if (Object.keys(sub).length > 0) patch[key] = sub;
    } else if (JSON.stringify(canonical(before)) !== JSON.stringify(canonical(value))) {
      patch[key] = value;
    }
  }
  // The resourceVersion is the one of the version the changes are applied to, not the stale one.
  if (isObject(patch.metadata)) delete (patch.metadata as JsonObject).resourceVersion;
  return patch;
}

/** A JSON merge patch (RFC 7386) applied to `target`. */
export function applyMerge(target: Json, patch: Json): Json {
  if (!isObject(patch)) return patch;
  const out: JsonObject = isObject(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete out[key];
    else out[key] = applyMerge(out[key] ?? null, value);
  }
  return out;
}
