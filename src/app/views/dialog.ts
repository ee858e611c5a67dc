// A dialog over the view it was opened from: a question, fields (text, a choice among a few, a toggle), and Enter to
// go on or Esc to cancel. The view below stays painted around the box; the dialog holds what it holds, so its rows
// keep streaming in underneath (the root keeps every view on the stack held). A field whose value is wrong says so
// on the dialog's last line and the dialog stays open. Two optional parts cover dialogs whose work is an effect (the
// port-forward dialog):
// - `prefill`: values and field hints that come after the dialog opened (the result of a GET the opener asked for);
//   a field the user has already changed keeps what the user made of it;
// - onSubmit's `awaitResult`: the dialog stays open on a waiting line ("starting…") until that effect's result
//   arrives: an error is shown as the error line (the user may change a field and try again), a value closes the
//   dialog with done()'s actions.
import type { RowQuery } from "../../repository/types.ts";
import { displayWidth } from "../../tui/width.ts";
import { type Binding, keys } from "../bindings.ts";
import { cutSegments, paintSegments, type Segment, segmentsWidth } from "../paint.ts";
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

/**
 * A submit whose work is an effect: `actions` are carried out at once (they ask for the effect) and the dialog stays
 * open until the "result" message `awaitResult.id` arrives.
 */
export interface DialogAwait {
  readonly actions: Action[];
  readonly awaitResult: {
    /** The id of the effect's result message. */
    readonly id: string;
    /** Shown in place of the error line while waiting ("starting 127.0.0.1:8080 → api-1:80…"). */
    readonly waiting: string;
    /** The actions once the effect succeeded (the dialog closes first). */
    done(value: unknown): Action[];
  };
}

/** What onSubmit makes of the values: the actions (the dialog closes), an error line (it stays), or an effect to await. */
export type DialogOutcome = Action[] | { error: string } | DialogAwait;

/**
 * Values that arrive after the dialog opened: the "result" message with this id (the opener's GET; a failed one is
 * ignored, the fields keep what they have) is given to fill, which says what the fields should now start from.
 */
export interface DialogPrefill {
  readonly id: string;
  /**
   * New values by field name, for the fields the user has not changed (text as a string, a choice by its option, a
   * toggle as a boolean), and new hints by field name, which replace a field's hint whether or not it was changed.
   */
  fill(value: unknown): { values?: DialogValues; hints?: Readonly<Record<string, string>> };
}

/** What a dialog is: its title, its question, its fields, and what Enter does with their values. */
export interface DialogSpec {
  id: string;
  title: string;
  /** Lines of text above the fields (what is about to happen). */
  lines: readonly string[];
  fields: readonly DialogField[];
  /** The label of Enter: "delete", "scale". */
  submit: string;
  /**
   * What Enter does with the values. `attempt` counts the Enters that reached onSubmit (1, 2, …), so that an effect
   * asked for again after an error gets a request id of its own.
   */
  onSubmit(values: DialogValues, attempt: number): DialogOutcome;
  prefill?: DialogPrefill;
}

interface DialogState {
  readonly spec: DialogSpec;
  readonly fields: readonly DialogField[];
  /** By field: whether the user changed its value (a prefill then leaves it alone). */
  readonly edited: readonly boolean[];
  readonly focus: number;
  readonly error: string | null;
  /** Enters that reached onSubmit. */
  readonly attempts: number;
  /** The effect a submit waits for; meanwhile the fields cannot be changed and Enter does nothing. */
  readonly waiting: DialogAwait["awaitResult"] | null;
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
    return new DialogView({
      spec,
      fields: spec.fields,
      edited: spec.fields.map(() => false),
      focus: 0,
      error: null,
      attempts: 0,
      waiting: null,
      below,
    });
  }

  /** The values as they are now. */
  get values(): DialogValues {
    return valuesOf(this.s.fields);
  }

  /** The line a submit waits on, or null when it waits for nothing. */
  get waiting(): string | null {
    return this.s.waiting?.waiting ?? null;
  }

  private with(change: Partial<DialogState>): DialogView {
    return new DialogView({ ...this.s, ...change });
  }

  private get field(): DialogField | undefined {
    return this.s.fields[this.s.focus];
  }

  private setField(field: DialogField): DialogView {
    const focus = this.s.focus;
    const old = this.s.fields[focus];
    const changed = old === undefined || fieldValue(old) !== fieldValue(field);
    const fields = this.s.fields.map((f, i) => (i === focus ? field : f));
    // Only a changed value makes a field the user's: moving the cursor in it does not keep a prefill out.
    const edited = this.s.edited.map((e, i) => e || (i === focus && changed));
    return this.with({ fields, edited, error: null });
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
    const attempts = this.s.attempts + 1;
    const outcome = this.s.spec.onSubmit(this.values, attempts);
    if (Array.isArray(outcome)) return [this.with({ attempts }), [{ type: "pop" }, ...outcome]];
    if ("error" in outcome) return [this.with({ attempts, error: outcome.error }), []];
    return [this.with({ attempts, error: null, waiting: outcome.awaitResult }), outcome.actions];
  }

  /** An effect's result: what a submit waits for, or the prefill. */
  private onResult(msg: { id: string; value: unknown; error?: string }): ViewResult {
    const waiting = this.s.waiting;
    if (waiting && msg.id === waiting.id) {
      if (msg.error !== undefined) return [this.with({ waiting: null, error: msg.error }), []];
      return [this.with({ waiting: null }), [{ type: "pop" }, ...waiting.done(msg.value)]];
    }
    const prefill = this.s.spec.prefill;
    if (!prefill || msg.id !== prefill.id || msg.error !== undefined) return [this, []];
    const { values = {}, hints = {} } = prefill.fill(msg.value);
    const fields = this.s.fields.map((f, i) => {
      const hint = hints[f.name];
      const filled = this.s.edited[i] ? f : withValue(f, values[f.name]);
      return hint === undefined ? filled : { ...filled, hint };
    });
    return [this.with({ fields }), []];
  }

  bindings(): readonly Binding<ViewResult>[] {
    const count = this.s.fields.length;
    const cancel: Binding<ViewResult> = {
      keys: keys("escape"),
      label: "cancel",
      section: "Dialog",
      hint: "cancel",
      run: () => [this, [{ type: "pop" }, { type: "message", text: "cancelled" }]],
    };
    // While a submit waits for its effect, the values it sent stay on screen as they were sent.
    if (this.s.waiting) return [cancel];
    const out: Binding<ViewResult>[] = [
      {
        keys: keys("enter"),
        label: this.s.spec.submit,
        section: "Dialog",
        hint: this.s.spec.submit,
        run: () => this.submit(),
      },
      cancel,
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
    if (msg.type === "result") return this.onResult(msg);
    if (this.s.waiting || field?.kind !== "text") return [this, []];
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
    const { spec, fields, focus, error, waiting } = this.s;
    const labelWidth = Math.max(0, ...fields.map((f) => displayWidth(f.label)));
    const rows: Segment[][] = [];
    // The waiting line takes the error line's place: a new submit cleared the error.
    const status: Segment | null = waiting
      ? { text: waiting.waiting, style: THEME.dim }
      : error
        ? { text: error, style: THEME.errorMessage }
        : null;
    // On a short screen the question's detail lines give way first (its first line, the fields and keys stay).
    const fixed = fields.length + (fields.length > 0 ? 1 : 0) + 2 + (status ? 1 : 0) + 2;
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
    if (status) rows.push([status]);
    const keysLine = waiting
      ? "Esc cancel"
      : `Enter ${spec.submit} · Esc cancel${fields.length > 1 ? " · Tab next field" : ""}`;
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
    for (const row of rows) {
      // A row wider than the screen's box (a long hint on a narrow terminal) is cut with "…", the frame kept whole.
      const r = cutSegments(row, Math.max(0, inner - 2));
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

function fieldValue(f: DialogField): string | boolean {
  return f.kind === "text" ? f.value.text : f.kind === "choice" ? (f.options[f.index] ?? "") : f.on;
}

function valuesOf(fields: readonly DialogField[]): DialogValues {
  const out: Record<string, string | boolean> = {};
  for (const f of fields) out[f.name] = fieldValue(f);
  return out;
}

/** The field with a prefilled value, when the value suits it (text for text, one of its options, a boolean). */
function withValue(f: DialogField, value: string | boolean | undefined): DialogField {
  if (f.kind === "text" && typeof value === "string") return { ...f, value: inputOf(value) };
  if (f.kind === "choice" && typeof value === "string" && f.options.includes(value)) {
    return { ...f, index: f.options.indexOf(value) };
  }
  if (f.kind === "toggle" && typeof value === "boolean") return { ...f, on: value };
  return f;
}

/** A text field's initial state. */
export function textField(name: string, label: string, value: string, hint?: string): DialogField {
  return { kind: "text", name, label, value: inputOf(value), ...(hint && { hint }) };
}
