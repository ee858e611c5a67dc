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
  expandTabs,
  fetchActions,
  type LiveState,
  liveBanner,
  liveCrumb,
  liveId,
  livePlaceholder,
  liveQuery,
  liveWhat,
  objectPath,
  onData,
  onGetError,
  openLive,
  requestId,
  saveCopyBindings,
  saveId,
  saveRequest,
} from "./live-object.ts";
import {
  EMPTY_PANE,
  type Pane,
  paintPane,
  paneBindings,
  paneInput,
  refresh,
  saveResultActions,
  searchBottom,
} from "./text-pane.ts";
import type { Action, View, ViewContext, ViewMsg, ViewResult } from "./view.ts";

/** What secret values show until `x` decodes them. */
export const MASK = "••••••";

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => v !== null && typeof v === "object" && !Array.isArray(v);

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

interface YamlState extends LiveState {
  readonly object: KubeObject | undefined;
  readonly formatted: Formatted | undefined;
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
    this.id = liveId(state, "yaml");
  }

  /** The view, waiting for the object: fetch() gives the GET that fills it. `parentId`: the view it is opened from. */
  static open(kind: ApiKind, row: BaseRow, parentId: string, short: string): YamlView {
    return new YamlView({
      ...openLive(kind, row, parentId, short),
      object: undefined,
      formatted: undefined,
      managedFields: false,
      decoded: false,
      lineNumbers: false,
      pane: EMPTY_PANE,
    });
  }

  get path(): string {
    return objectPath(this.s.kind, this.s.target);
  }

  /** The GET of the object, sent when the view opens and when its row changes. */
  fetch(): ViewResult {
    return [this, fetchActions(this.id, this.s)];
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
    return liveCrumb(this.s);
  }

  capturesInput(): boolean {
    return this.s.pane.search?.typing ?? false;
  }

  holds(): readonly RowQuery[] {
    return [liveQuery(this.s)];
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
        ...saveCopyBindings({
          section: "YAML",
          what: "the YAML as shown",
          text: formatted.text,
          lineCount: formatted.lines.length,
          view: this,
          save: () => this.save(formatted, ctx),
        }),
      );
    }
    return out;
  }

  private save(formatted: Formatted, ctx: ViewContext): ViewResult {
    const { change, actions } = saveRequest(this.id, this.s, ctx, { extra: [], ext: "yaml", text: formatted.text });
    return [this.with(change), actions];
  }

  update(msg: ViewMsg, ctx: ViewContext): ViewResult {
    switch (msg.type) {
      case "result":
        if (msg.id === saveId(this.id, this.s)) return [this, saveResultActions(msg.value, msg.error)];
        if (msg.id !== requestId(this.id, this.s)) return [this, NO_ACTIONS];
        if (msg.error !== undefined) return [this.with(onGetError(this.s, msg.error)), NO_ACTIONS];
        return [this.reformat({ object: msg.value as KubeObject, error: undefined }, ctx), NO_ACTIONS];
      case "data": {
        const data = onData(this.s, ctx);
        if (data.type === "unchanged") return [this, NO_ACTIONS];
        if (data.type === "refetch") return this.with(data.change).fetch();
        return [this.with(data.change), NO_ACTIONS];
      }
      case "paste":
      case "key": {
        const pane = paneInput(this.s.pane, this.s.formatted?.lines ?? [], msg);
        return [pane ? this.with({ pane }) : this, NO_ACTIONS];
      }
      default:
        return [this, NO_ACTIONS];
    }
  }

  title(): string {
    const lines = this.lineCount();
    return `YAML of ${liveWhat(this.s)}${lines ? ` ${lines} lines` : ""}${this.s.gone ? " (gone)" : ""}`;
  }

  /** One line above the YAML when something is wrong: gone, or the last GET failed. */
  private banner(): Segment | null {
    return liveBanner(this.s, this.s.formatted !== undefined, "this is the last YAML it had");
  }

  body(ctx: ViewContext): string[] {
    const formatted = this.s.formatted;
    if (!formatted) return livePlaceholder(this.s, "Loading the YAML…", ctx);
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
