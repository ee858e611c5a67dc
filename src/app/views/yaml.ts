// `y` on a row: the object as YAML, as k9s shows it. The cache keeps compact rows, not whole objects, so the object is
// fetched when the view opens and again whenever its row changes (every watch event makes a new row object); the
// scroll position stays. A deleted object keeps its last YAML, and the view says it is gone.
//
// Cost: the YAML is formatted once per GET (or per toggle: managed fields, decoding); painting colours and search
// highlights only the lines on screen, so scrolling a 1 MB ConfigMap costs what scrolling a small one does.
import { stringify } from "yaml";
import type { KubeObject } from "../../kube/objects.ts";
import type { ApiKind, RowQuery } from "../../repository/types.ts";
import type { BaseRow } from "../../resources/types.ts";
import { type Binding, keys } from "../bindings.ts";
import type { Segment } from "../paint.ts";
import { THEME } from "../theme.ts";
import {
  copyActions,
  EMPTY_PANE,
  type Pane,
  paintPane,
  paneBindings,
  paneInput,
  placeholder,
  refresh,
  saveFileName,
  saveResultActions,
  searchBottom,
} from "./text-pane.ts";
import type { Action, View, ViewContext, ViewMsg, ViewResult } from "./view.ts";

/** What secret values show until `x` decodes them. */
export const MASK = "••••••";

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => v !== null && typeof v === "object" && !Array.isArray(v);

/** The object's API path: /api/v1/namespaces/NS/pods/NAME, /apis/GROUP/VERSION/RESOURCE/NAME (cluster-scoped). */
export function objectPath(kind: Pick<ApiKind, "group" | "version" | "resource" | "namespaced">, row: BaseRow): string {
  const prefix = kind.group === "" ? `/api/${kind.version}` : `/apis/${kind.group}/${kind.version}`;
  const ns = kind.namespaced && row.namespace ? `/namespaces/${encodeURIComponent(row.namespace)}` : "";
  return `${prefix}${ns}/${kind.resource}/${encodeURIComponent(row.name)}`;
}

/** A secret value base64-decoded, or what it is when it is not text. */
function decodeSecretValue(value: unknown): unknown {
  if (typeof value !== "string") return value;
  const bytes = Buffer.from(value, "base64");
  try {
    const text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    // Control characters other than line breaks and tabs: not text to show.
    if (/[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]/.test(text)) return `<binary: ${bytes.length} bytes>`;
    return text;
  } catch {
    return `<binary: ${bytes.length} bytes>`;
  }
}

/** The object as it is shown: managed fields dropped unless asked for, a secret's values masked or decoded. */
export function shownObject(object: KubeObject, opts: { managedFields: boolean; secret: boolean; decoded: boolean }) {
  let out: Obj = object as Obj;
  if (!opts.managedFields && isObj(out.metadata) && "managedFields" in out.metadata) {
    const { managedFields: _, ...metadata } = out.metadata;
    out = { ...out, metadata };
  }
  if (opts.secret) {
    for (const field of ["data", "stringData"]) {
      const values = out[field];
      if (!isObj(values)) continue;
      const shown: Obj = {};
      for (const [k, v] of Object.entries(values)) {
        if (!opts.decoded) shown[k] = MASK;
        else shown[k] = field === "data" ? decodeSecretValue(v) : v;
      }
      out = { ...out, [field]: shown };
    }
  }
  return out;
}

/** The formatted YAML: its text (saved, copied) and its lines as drawn (tabs expanded), with block-scalar flags. */
interface Formatted {
  readonly text: string;
  readonly lines: readonly string[];
  /** 1 where the line is the content of a block scalar (`|`, `>`): text, never a key. */
  readonly block: Uint8Array;
}

function expandTabs(line: string): string {
  if (!line.includes("\t")) return line;
  let out = "";
  for (const ch of line) out += ch === "\t" ? " ".repeat(8 - (out.length % 8)) : ch;
  return out;
}

const BLOCK_HEADER = /(?:^|: |^- |- )[|>][-+0-9]*$/;

export function formatYaml(value: unknown): Formatted {
  const text = stringify(value, { lineWidth: 0, aliasDuplicateObjects: false });
  const lines = text.endsWith("\n") ? text.slice(0, -1).split("\n") : text.split("\n");
  const block = new Uint8Array(lines.length);
  let blockIndent = -1;
  for (let i = 0; i < lines.length; i++) {
    const line = expandTabs(lines[i] as string);
    lines[i] = line;
    const indent = line.length - line.trimStart().length;
    if (blockIndent >= 0) {
      if (line.trim() === "" || indent > blockIndent) {
        block[i] = 1;
        continue;
      }
      blockIndent = -1;
    }
    if (BLOCK_HEADER.test(line)) blockIndent = indent;
  }
  return { text, lines, block };
}

const NUMBER = /^[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?$/;
const LITERALS = new Set(["true", "false", "null", "~"]);

function valueStyle(value: string): string {
  if (value === "" || value === "{}" || value === "[]") return "";
  if (value === MASK) return THEME.yamlMasked;
  if (value.startsWith("#")) return THEME.yamlComment;
  if (/^[|>][-+0-9]*$/.test(value)) return "";
  if (LITERALS.has(value)) return THEME.yamlLiteral;
  if (NUMBER.test(value)) return THEME.yamlNumber;
  return THEME.yamlString;
}

/** One YAML line as coloured segments: indent, `- ` markers, key, value, comment. */
export function yamlSegments(line: string, blockText: boolean): Segment[] {
  if (blockText) return [{ text: line, style: THEME.yamlString }];
  const indent = line.length - line.trimStart().length;
  let at = indent;
  while (line.startsWith("- ", at) || (line.endsWith("-") && at === line.length - 1)) at += 2;
  const out: Segment[] = [];
  if (at > 0) out.push({ text: line.slice(0, Math.min(at, line.length)), style: "" });
  const rest = line.slice(at);
  if (rest === "") return out;
  if (rest.startsWith("#")) {
    out.push({ text: rest, style: THEME.yamlComment });
    return out;
  }
  let keyEnd = -1;
  if (rest.startsWith('"') || rest.startsWith("'")) {
    const q = rest[0] as string;
    let i = 1;
    while (i < rest.length && rest[i] !== q) i += rest[i] === "\\" && q === '"' ? 2 : 1;
    if (rest[i + 1] === ":" && (i + 2 === rest.length || rest[i + 2] === " ")) keyEnd = i + 1;
  } else {
    keyEnd = rest.indexOf(": ");
    if (keyEnd < 0 && rest.endsWith(":")) keyEnd = rest.length - 1;
  }
  if (keyEnd < 0) {
    out.push({ text: rest, style: valueStyle(rest) });
    return out;
  }
  out.push({ text: rest.slice(0, keyEnd), style: THEME.yamlKey });
  out.push({ text: rest.slice(keyEnd, keyEnd + 2), style: "" });
  const value = rest.slice(keyEnd + 2);
  if (value !== "") out.push({ text: value, style: valueStyle(value) });
  return out;
}

interface YamlState {
  readonly parentId: string;
  readonly kind: ApiKind;
  readonly target: { namespace: string; name: string };
  /** The short name for the crumb and the file name ("deploy", "po"). */
  readonly short: string;
  readonly fetchedFor: BaseRow | undefined;
  /** The rows array the row was last looked for in: a data message with the same array changes nothing. */
  readonly seenRows: readonly BaseRow[] | undefined;
  readonly request: number;
  readonly saves: number;
  readonly object: KubeObject | undefined;
  readonly formatted: Formatted | undefined;
  readonly error: string | undefined;
  readonly gone: boolean;
  readonly managedFields: boolean;
  readonly decoded: boolean;
  readonly lineNumbers: boolean;
  readonly pane: Pane;
}

const NO_ACTIONS: Action[] = [];

export class YamlView implements View {
  readonly id: string;
  readonly crumb = "yaml";
  private readonly s: YamlState;

  private constructor(state: YamlState) {
    this.s = state;
    const { namespace, name } = state.target;
    this.id = `${state.parentId} › ${state.short}/${namespace ? `${namespace}/` : ""}${name} › yaml`;
  }

  /** The view, waiting for the object: fetch() gives the GET that fills it. `parentId`: the view it is opened from. */
  static open(kind: ApiKind, row: BaseRow, parentId: string, short: string): YamlView {
    return new YamlView({
      parentId,
      kind,
      target: { namespace: kind.namespaced ? row.namespace : "", name: row.name },
      short,
      fetchedFor: row,
      seenRows: undefined,
      request: 1,
      saves: 0,
      object: undefined,
      formatted: undefined,
      error: undefined,
      gone: false,
      managedFields: false,
      decoded: false,
      lineNumbers: false,
      pane: EMPTY_PANE,
    });
  }

  private get requestId(): string {
    return `${this.id}#get${this.s.request}`;
  }

  private get saveId(): string {
    return `${this.id}#save${this.s.saves}`;
  }

  get path(): string {
    return objectPath(this.s.kind, { ...this.s.target, uid: "", createdAt: 0 });
  }

  /** The GET of the object, sent when the view opens and when its row changes. */
  fetch(): ViewResult {
    return [this, [{ type: "effect", effect: { type: "get", id: this.requestId, path: this.path } }]];
  }

  private with(change: Partial<YamlState>): YamlView {
    return new YamlView({ ...this.s, ...change });
  }

  // Read-only accessors for tests.
  get scroll(): number {
    return this.s.pane.scroll;
  }
  get gone(): boolean {
    return this.s.gone;
  }
  /** The YAML as shown (masked or decoded, managed fields or not), as saved and copied. */
  get text(): string | undefined {
    return this.s.formatted?.text;
  }

  private get isSecret(): boolean {
    return this.s.kind.group === "" && this.s.kind.resource === "secrets";
  }

  /** Formats the object again (after a GET or a toggle); the scroll stays (clamped), the search is redone. */
  private reformat(change: Partial<YamlState>, ctx: ViewContext): YamlView {
    const s = { ...this.s, ...change };
    const formatted =
      s.object === undefined
        ? undefined
        : formatYaml(
            shownObject(s.object, { managedFields: s.managedFields, secret: this.isSecret, decoded: s.decoded }),
          );
    const next = this.with({ ...change, formatted });
    return next.with({ pane: refresh(next.s.pane, formatted?.lines ?? [], next.page(ctx)) });
  }

  private lineCount(): number {
    return this.s.formatted?.lines.length ?? 0;
  }

  /** Lines of YAML on screen: the body less the banner when the object is gone or a GET failed. */
  private page(ctx: ViewContext): number {
    return Math.max(1, ctx.height - (this.banner() ? 1 : 0));
  }

  trailCrumb(): string {
    return `${this.s.short}/${this.s.target.name}`;
  }

  capturesInput(): boolean {
    return this.s.pane.search?.typing ?? false;
  }

  private get query(): RowQuery {
    return { kind: this.s.kind.key, namespace: this.s.kind.namespaced ? this.s.target.namespace : undefined };
  }

  holds(): readonly RowQuery[] {
    return [this.query];
  }

  statusKinds(): readonly string[] {
    return [this.s.kind.key];
  }

  bindings(ctx: ViewContext): readonly Binding<ViewResult>[] {
    const lines = this.s.formatted?.lines ?? [];
    const done = (pane: Pane, actions: Action[] = NO_ACTIONS): ViewResult => [this.with({ pane }), actions];
    const out = paneBindings(this.s.pane, lines, this.page(ctx), done);
    if (this.s.pane.search?.typing) return out;
    out.push({
      keys: keys("m"),
      label: this.s.managedFields ? "hide metadata.managedFields" : "show metadata.managedFields",
      section: "YAML",
      run: () => [this.reformat({ managedFields: !this.s.managedFields }, ctx), NO_ACTIONS],
    });
    if (this.isSecret) {
      out.push({
        keys: keys("x"),
        label: this.s.decoded ? "mask the secret's values" : "decode the secret's values (base64)",
        section: "YAML",
        hint: this.s.decoded ? "mask" : "decode",
        run: () => [this.reformat({ decoded: !this.s.decoded }, ctx), NO_ACTIONS],
      });
    }
    out.push({
      keys: keys("#"),
      label: this.s.lineNumbers ? "hide line numbers" : "show line numbers",
      section: "YAML",
      run: () => [this.with({ lineNumbers: !this.s.lineNumbers }), NO_ACTIONS],
    });
    const formatted = this.s.formatted;
    if (formatted) {
      out.push(
        {
          keys: keys("ctrl+s"),
          label: "save the YAML as shown to a file",
          section: "YAML",
          hint: "save",
          run: () => this.save(formatted, ctx),
        },
        {
          keys: keys("c"),
          label: "copy the YAML as shown to the clipboard (OSC 52)",
          section: "YAML",
          hint: "copy",
          run: () => [this, copyActions(formatted.text, formatted.lines.length)],
        },
      );
    }
    return out;
  }

  private save(formatted: Formatted, ctx: ViewContext): ViewResult {
    const { namespace, name } = this.s.target;
    const parts = [ctx.repo.contextName, this.s.kind.key, ...(namespace ? [namespace] : []), name];
    const path = saveFileName(parts, ctx.now, "yaml");
    const next = this.with({ saves: this.s.saves + 1 });
    return [next, [{ type: "effect", effect: { type: "save", id: next.saveId, path, text: formatted.text } }]];
  }

  update(msg: ViewMsg, ctx: ViewContext): ViewResult {
    switch (msg.type) {
      case "result":
        if (msg.id === this.saveId) return [this, saveResultActions(msg.value, msg.error)];
        if (msg.id !== this.requestId) return [this, NO_ACTIONS];
        if (msg.error !== undefined) {
          const gone = /not ?found|404/i.test(msg.error);
          return [this.with({ error: msg.error, gone: gone || this.s.gone }), NO_ACTIONS];
        }
        return [this.reformat({ object: msg.value as KubeObject, error: undefined }, ctx), NO_ACTIONS];
      case "data":
        return this.onData(ctx);
      case "paste":
      case "key": {
        const pane = paneInput(this.s.pane, this.s.formatted?.lines ?? [], msg);
        return [pane ? this.with({ pane }) : this, NO_ACTIONS];
      }
      default:
        return [this, NO_ACTIONS];
    }
  }

  private onData(ctx: ViewContext): ViewResult {
    const rows = ctx.repo.rows(this.query);
    if (rows === this.s.seenRows) return [this, NO_ACTIONS];
    const { name, namespace } = this.s.target;
    const row = rows.find((r) => r.name === name && r.namespace === namespace);
    if (row === undefined) {
      // Deleted: keep what is shown and say so (once the kind's cache is synced, absence is real).
      const synced = ctx.repo.status(this.query).synced;
      return [this.with({ seenRows: rows, gone: this.s.gone || synced }), NO_ACTIONS];
    }
    if (row !== this.s.fetchedFor) {
      return this.with({ seenRows: rows, fetchedFor: row, request: this.s.request + 1, gone: false }).fetch();
    }
    return [this.with({ seenRows: rows }), NO_ACTIONS];
  }

  title(): string {
    const { namespace, name } = this.s.target;
    const what = `${this.s.kind.kind} ${namespace ? `${namespace}/` : ""}${name}`;
    const lines = this.lineCount();
    return `YAML of ${what}${lines ? ` ${lines} lines` : ""}${this.s.gone ? " (gone)" : ""}`;
  }

  /** One line above the YAML when something is wrong: gone, or the last GET failed. */
  private banner(): Segment | null {
    if (this.s.gone) {
      return {
        text: ` ${this.s.kind.kind} ${this.s.target.name} is gone from the cluster; this is the last YAML it had.`,
        style: THEME.warning,
      };
    }
    if (this.s.error !== undefined && this.s.formatted) {
      return { text: ` Cannot read it again: ${this.s.error}`, style: THEME.errorMessage };
    }
    return null;
  }

  body(ctx: ViewContext): string[] {
    const formatted = this.s.formatted;
    if (!formatted) {
      const text = this.s.error ? `Cannot read the object: ${this.s.error}` : "Loading the YAML…";
      return placeholder(text, this.s.error !== undefined, ctx.width, ctx.height);
    }
    return paintPane(this.s.pane, formatted.lines, {
      width: ctx.width,
      height: ctx.height,
      banner: this.banner(),
      lineNumbers: this.s.lineNumbers,
      segments: (line, i) => yamlSegments(line, formatted.block[i] === 1),
    });
  }

  bottom(): Segment[] | null {
    return searchBottom(this.s.pane.search);
  }
}
