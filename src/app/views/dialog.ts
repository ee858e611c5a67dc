// A dialog over the view it was opened from: a question, fields (text, a choice among a few, a toggle), and Enter to
// go on or Esc to cancel. The view below stays painted around the box; the dialog holds what it holds, so its rows
// keep streaming in underneath (the root keeps every view on the stack held). A field whose value is wrong says so
// on the dialog's last line and the dialog stays open.
import type { RowQuery } from "../../repository/types.ts";
import { displayWidth } from "../../tui/width.ts";
import { type Binding, keys } from "../bindings.ts";
import { paintSegments, type Segment } from "../paint.ts";
import { editBindings, inputOf, inputSegments, insertText, pasteInto, type TextInput } from "../text-input.ts";
import { THEME } from "../theme.ts";
import type { Action, View, ViewContext, ViewMsg, ViewResult } from "./view.ts";

/** One field of a dialog. */
export type DialogField =
  | { kind: "text"; name: string; label: string; value: TextInput; hint?: string }
  | { kind: "choice"; name: string; label: string; options: readonly string[]; index: number; hint?: string }
  | { kind: "toggle"; name: string; label: string; on: boolean; hint?: string };

/** The fields' values by name: text as typed, a choice's option, a toggle's state. */
export type DialogValues = Readonly<Record<string, string | boolean>>;

/** What a dialog is: its title, its question, its fields, and what Enter does with their values. */
export interface DialogSpec {
  id: string;
  title: string;
  /** Lines of text above the fields (what is about to happen). */
  lines: readonly string[];
  fields: readonly DialogField[];
  /** The label of Enter: "delete", "scale". */
  submit: string;
  /** The actions to carry out, or an error line that keeps the dialog open. */
  onSubmit(values: DialogValues): Action[] | { error: string };
}

interface DialogState {
  readonly spec: DialogSpec;
  readonly fields: readonly DialogField[];
  readonly focus: number;
  readonly error: string | null;
  /** The view the dialog was opened from: painted around the box, and what is held meanwhile. */
  readonly below: View;
}

const BOX_MIN = 44;

/** A dialog view. */
export class DialogView implements View {
  readonly id: string;
  readonly crumb: string;
  private readonly s: DialogState;

  private constructor(s: DialogState) {
    this.s = s;
    this.id = `dialog:${s.spec.id}`;
    this.crumb = s.spec.title.toLowerCase();
  }

  static open(spec: DialogSpec, below: View): DialogView {
    return new DialogView({ spec, fields: spec.fields, focus: 0, error: null, below });
  }

  /** The values as they are now. */
  get values(): DialogValues {
    return valuesOf(this.s.fields);
  }

  private with(change: Partial<DialogState>): DialogView {
    return new DialogView({ ...this.s, ...change });
  }

  private get field(): DialogField | undefined {
    return this.s.fields[this.s.focus];
  }

  private setField(field: DialogField): DialogView {
    const fields = this.s.fields.map((f, i) => (i === this.s.focus ? field : f));
    return this.with({ fields, error: null });
  }

  /** Modal: q, :, ? and digits are the dialog's (typed, or nothing), never the app's commands. */
  capturesInput(): boolean {
    return true;
  }

  holds(ctx: ViewContext): readonly RowQuery[] {
    return this.s.below.holds(ctx);
  }

  statusKinds(ctx: ViewContext): readonly string[] {
    return this.s.below.statusKinds(ctx);
  }

  title(ctx: ViewContext): string {
    return this.s.below.title(ctx);
  }

  private submit(): ViewResult {
    const outcome = this.s.spec.onSubmit(this.values);
    if ("error" in outcome) return [this.with({ error: outcome.error }), []];
    return [this, [{ type: "pop" }, ...outcome]];
  }

  bindings(): readonly Binding<ViewResult>[] {
    const count = this.s.fields.length;
    const out: Binding<ViewResult>[] = [
      {
        keys: keys("enter"),
        label: this.s.spec.submit,
        section: "Dialog",
        hint: this.s.spec.submit,
        run: () => this.submit(),
      },
      {
        keys: keys("escape"),
        label: "cancel",
        section: "Dialog",
        hint: "cancel",
        run: () => [this, [{ type: "pop" }]],
      },
    ];
    if (count > 1) {
      out.push(
        {
          keys: keys("tab", "down"),
          label: "next field",
          section: "Dialog",
          run: () => [this.with({ focus: (this.s.focus + 1) % count }), []],
        },
        {
          keys: keys("shift+tab", "up"),
          label: "previous field",
          section: "Dialog",
          run: () => [this.with({ focus: (this.s.focus + count - 1) % count }), []],
        },
      );
    }
    const field = this.field;
    if (field?.kind === "choice") {
      const step = (d: number): ViewResult => [
        this.setField({ ...field, index: (field.index + d + field.options.length) % field.options.length }),
        [],
      ];
      out.push(
        { keys: keys("right", "space"), label: "next choice", section: "Dialog", run: () => step(1) },
        { keys: keys("left"), label: "previous choice", section: "Dialog", run: () => step(-1) },
      );
    }
    if (field?.kind === "toggle") {
      out.push({
        keys: keys("space", "x"),
        label: "toggle",
        section: "Dialog",
        run: () => [this.setField({ ...field, on: !field.on }), []],
      });
    }
    if (field?.kind === "text") {
      out.push(...editBindings(field.value, "Dialog", (value): ViewResult => [this.setField({ ...field, value }), []]));
    }
    return out;
  }

  update(msg: ViewMsg, ctx: ViewContext): ViewResult {
    const field = this.field;
    if (msg.type === "data") {
      const [below] = this.s.below.update(msg, ctx);
      return [below === this.s.below ? this : this.with({ below }), []];
    }
    if (field?.kind !== "text") return [this, []];
    if (msg.type === "paste") return [this.setField({ ...field, value: pasteInto(field.value, msg.text) }), []];
    if (msg.type === "key" && msg.text !== undefined && !msg.ctrl && !msg.alt) {
      return [this.setField({ ...field, value: insertText(field.value, msg.text) }), []];
    }
    return [this, []];
  }

  body(ctx: ViewContext): string[] {
    const lines = this.s.below.body(ctx);
    const box = this.box(ctx.width, ctx.height);
    const top = Math.max(0, Math.floor((ctx.height - box.length) / 2));
    for (let i = 0; i < box.length && top + i < lines.length; i++) lines[top + i] = box[i] as string;
    return lines;
  }

  /** The dialog's lines, each as wide as the screen (the box centred, blank around it). */
  private box(width: number, height: number): string[] {
    const { spec, fields, focus, error } = this.s;
    const labelWidth = Math.max(0, ...fields.map((f) => displayWidth(f.label)));
    const rows: Segment[][] = [];
    // On a short screen the question's detail lines give way first (its first line, the fields and keys stay).
    const fixed = fields.length + (fields.length > 0 ? 1 : 0) + 2 + (error ? 1 : 0) + 2;
    const lineRoom = Math.max(1, height - fixed);
    const shownLines =
      spec.lines.length <= lineRoom
        ? spec.lines
        : lineRoom === 1
          ? spec.lines.slice(0, 1)
          : [...spec.lines.slice(0, lineRoom - 1), "…"];
    for (const line of shownLines.slice(0, lineRoom)) rows.push([{ text: line, style: THEME.emphasis }]);
    if (fields.length > 0) rows.push([]);
    fields.forEach((f, i) => {
      const label = { text: `${f.label.padEnd(labelWidth)}  `, style: i === focus ? THEME.emphasis : THEME.dim };
      const value = fieldSegments(f, i === focus);
      const hint = f.hint ? [{ text: `  ${f.hint}`, style: THEME.dim }] : [];
      rows.push([label, ...value, ...hint]);
    });
    rows.push([]);
    if (error) rows.push([{ text: error, style: THEME.errorMessage }]);
    const keysLine = `Enter ${spec.submit} · Esc cancel${fields.length > 1 ? " · Tab next field" : ""}`;
    rows.push([{ text: keysLine, style: THEME.dim }]);
    const inner = Math.min(
      width - 4,
      Math.max(BOX_MIN, displayWidth(` ${spec.title} `) + 2, ...rows.map((r) => segmentsWidth(r) + 2)),
    );
    const left = Math.max(0, Math.floor((width - inner - 2) / 2));
    const pad = " ".repeat(left);
    const frame = THEME.header;
    const title = ` ${spec.title} `;
    const out: string[] = [];
    out.push(
      paintSegments(
        [
          { text: pad, style: "" },
          { text: `┌─${title}${"─".repeat(Math.max(0, inner - displayWidth(title) - 1))}┐`, style: frame },
        ],
        width,
      ),
    );
    for (const r of rows) {
      const used = segmentsWidth(r);
      out.push(
        paintSegments(
          [
            { text: pad, style: "" },
            { text: "│ ", style: frame },
            ...r,
            { text: " ".repeat(Math.max(0, inner - 2 - used)), style: "" },
            { text: " │", style: frame },
          ],
          width,
        ),
      );
    }
    out.push(
      paintSegments(
        [
          { text: pad, style: "" },
          { text: `└${"─".repeat(inner)}┘`, style: frame },
        ],
        width,
      ),
    );
    return out;
  }

  bottom(): Segment[] | null {
    return null;
  }
}

function segmentsWidth(segments: readonly Segment[]): number {
  return segments.reduce((n, s) => n + displayWidth(s.text), 0);
}

function fieldSegments(f: DialogField, focused: boolean): Segment[] {
  switch (f.kind) {
    case "text":
      return focused
        ? [{ text: "[", style: THEME.dim }, ...inputSegments(f.value), { text: "]", style: THEME.dim }]
        : [{ text: `[${f.value.text}]`, style: THEME.value }];
    case "choice": {
      const option = f.options[f.index] ?? "";
      return [{ text: focused ? `‹ ${option} ›` : `  ${option}  `, style: focused ? THEME.emphasis : THEME.value }];
    }
    case "toggle":
      return [{ text: f.on ? "[x]" : "[ ]", style: focused ? THEME.emphasis : THEME.value }];
  }
}

function valuesOf(fields: readonly DialogField[]): DialogValues {
  const out: Record<string, string | boolean> = {};
  for (const f of fields) {
    out[f.name] = f.kind === "text" ? f.value.text : f.kind === "choice" ? (f.options[f.index] ?? "") : f.on;
  }
  return out;
}

/** A text field's initial state. */
export function textField(name: string, label: string, value: string, hint?: string): DialogField {
  return { kind: "text", name, label, value: inputOf(value), ...(hint && { hint }) };
}
