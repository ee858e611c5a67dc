// A small form as a view: labelled one-line text fields (edited with the keys of the `/` and `:` lines), Tab and
// Shift-Tab (or ↑/↓) between them, Enter submits, Esc cancels. What the form is for is data: its fields, a validate
// function that returns the one error line to show (the form then stays open), and a submit function that returns
// the actions to run once it is valid. Two optional parts cover forms whose work is an effect:
// - `prefill`: values that come after the form opened (the result of a GET the opener asked for), for the fields the
//   user has not edited yet;
// - submit's `awaitResult`: the form stays open ("starting…") until that effect's result arrives: an error is shown
//   as the error line (the user may change a field and try again), a value closes the form with done()'s actions.
//
//   const [view, actions] = FormView.open({
//     id: "scale", crumb: "scale", title: "Scale deploy/api",
//     fields: [{ name: "replicas", label: "Replicas", value: "3" }],
//     validate: (v) => (/^\d+$/.test(v.replicas ?? "") ? undefined : "replicas: a whole number"),
//     submit: (v, attempt) => ({ actions: [{ type: "effect", effect: { type: "write", id: `scale:${attempt}`, … } }],
//       awaitResult: { id: `scale:${attempt}`, waiting: "scaling…", done: () => [{ type: "message", text: "scaled" }] } }),
//   });
import type { RowQuery } from "../../repository/types.ts";
import type { KeyEvent } from "../../tui/input.ts";
import { displayWidth } from "../../tui/width.ts";
import { type Binding, keys } from "../bindings.ts";
import { paintSegments, type Segment } from "../paint.ts";
import { editBindings, editInput, inputOf, inputSegments, pasteInto, type TextInput } from "../text-input.ts";
import { THEME } from "../theme.ts";
import type { Action, View, ViewContext, ViewMsg, ViewResult } from "./view.ts";

/** One text field of a form. */
export interface FormField {
  /** Its key in the values given to validate and submit. */
  readonly name: string;
  /** What the form shows before it ("Local port"). */
  readonly label: string;
  /** The text it starts with (default empty). */
  readonly value?: string;
  /** A dim note after the field ("the pod's port", "127.0.0.1 or 0.0.0.0"). */
  readonly note?: string;
}

/** The values of a form's fields, by field name. */
export type FormValues = Readonly<Record<string, string>>;

/** What a form is: its text, its fields, and what happens on Enter. */
export interface FormSpec {
  /** The view's id and breadcrumb. */
  readonly id: string;
  readonly crumb: string;
  /** The header's right side and the form's first line ("Port-forward pod shop/api-1"). */
  readonly title: string;
  /** Lines shown between the title and the fields (what the form does), plain text. */
  readonly intro?: readonly string[];
  readonly fields: readonly FormField[];
  /** An error line for these values (the form stays open and shows it), or undefined when they may be submitted. */
  validate(values: FormValues): string | undefined;
  /**
   * What Enter does with valid values (`attempt` counts the Enters that got this far: 1, 2, … for request ids): the
   * actions to run; without `awaitResult` the form closes first.
   */
  submit(values: FormValues, attempt: number): FormSubmit;
  /** Values that arrive after opening: a "result" message with this id (the opener's GET), given to fill. */
  readonly prefill?: {
    readonly id: string;
    /** New starting values (for fields the user has not edited) and notes, by field name. */
    fill(value: unknown): { values?: Readonly<Record<string, string>>; notes?: Readonly<Record<string, string>> };
  };
  /** What Enter does, for the help and the hint ("start forwarding"; default "submit"). */
  readonly submitLabel?: string;
}

/** What Enter does: actions, and maybe an effect's result to wait for before closing. */
export interface FormSubmit {
  readonly actions: Action[];
  readonly awaitResult?: {
    /** The id of the effect's result message. */
    readonly id: string;
    /** Shown while waiting ("starting…"). */
    readonly waiting: string;
    /** The actions once it succeeded (the form closes first). */
    done(value: unknown): Action[];
  };
}

interface FormState {
  readonly spec: FormSpec;
  readonly inputs: readonly TextInput[];
  /** Fields the user changed: a prefill leaves them alone. */
  readonly edited: readonly boolean[];
  readonly notes: readonly (string | undefined)[];
  readonly focus: number;
  readonly error: string | undefined;
  readonly attempts: number;
  readonly waiting: FormSubmit["awaitResult"];
}

export class FormView implements View {
  readonly id: string;
  readonly crumb: string;
  private readonly s: FormState;

  private constructor(state: FormState) {
    this.s = state;
    this.id = state.spec.id;
    this.crumb = state.spec.crumb;
  }

  /** The form with its fields' starting values, the first field focused. */
  static open(spec: FormSpec): FormView {
    return new FormView({
      spec,
      inputs: spec.fields.map((f) => inputOf(f.value ?? "")),
      edited: spec.fields.map(() => false),
      notes: spec.fields.map((f) => f.note),
      focus: 0,
      error: undefined,
      attempts: 0,
      waiting: undefined,
    });
  }

  /** The fields' current values, by name. */
  values(): FormValues {
    const out: Record<string, string> = {};
    this.s.spec.fields.forEach((f, i) => {
      out[f.name] = this.s.inputs[i]?.text ?? "";
    });
    return out;
  }

  /** The focused field's name. */
  get focused(): string {
    return this.s.spec.fields[this.s.focus]?.name ?? "";
  }

  /** The error line shown, if any. */
  get error(): string | undefined {
    return this.s.error;
  }

  /** What the form waits for after Enter, if anything. */
  get waiting(): string | undefined {
    return this.s.waiting?.waiting;
  }

  private with(change: Partial<FormState>): FormView {
    return new FormView({ ...this.s, ...change });
  }

  private edited(input: TextInput): FormView {
    const old = this.s.inputs[this.s.focus];
    if (old && old.text === input.text && old.cursor === input.cursor) return this;
    const inputs = this.s.inputs.map((o, i) => (i === this.s.focus ? input : o));
    const edited = this.s.edited.map((e, i) => e || (i === this.s.focus && input.text !== old?.text));
    // An edit answers the error: it goes until the next Enter checks again.
    return this.with({ inputs, edited, error: undefined });
  }

  private moveFocus(step: number): ViewResult {
    const n = this.s.inputs.length;
    if (n === 0) return [this, []];
    return [this.with({ focus: (this.s.focus + step + n) % n }), []];
  }

  private submit(): ViewResult {
    if (this.s.waiting) return [this, []];
    const values = this.values();
    const error = this.s.spec.validate(values);
    if (error !== undefined) return [this.with({ error }), []];
    const attempts = this.s.attempts + 1;
    const { actions, awaitResult } = this.s.spec.submit(values, attempts);
    if (!awaitResult) return [this, [{ type: "pop" }, ...actions]];
    return [this.with({ attempts, waiting: awaitResult, error: undefined }), actions];
  }

  /** An effect's result: the prefill, or what Enter waits for. */
  private onResult(msg: { id: string; value: unknown; error?: string }): ViewResult {
    const waiting = this.s.waiting;
    if (waiting && msg.id === waiting.id) {
      if (msg.error !== undefined) return [this.with({ waiting: undefined, error: msg.error }), []];
      return [this.with({ waiting: undefined }), [{ type: "pop" }, ...waiting.done(msg.value)]];
    }
    const prefill = this.s.spec.prefill;
    if (!prefill || msg.id !== prefill.id || msg.error !== undefined) return [this, []];
    const { values = {}, notes = {} } = prefill.fill(msg.value);
    const fields = this.s.spec.fields;
    const inputs = this.s.inputs.map((input, i) => {
      const name = fields[i]?.name ?? "";
      const value = values[name];
      return value === undefined || this.s.edited[i] ? input : inputOf(value);
    });
    const merged = this.s.notes.map((note, i) => notes[fields[i]?.name ?? ""] ?? note);
    return [this.with({ inputs, notes: merged }), []];
  }

  capturesInput(): boolean {
    return true;
  }

  holds(): readonly RowQuery[] {
    return [];
  }

  statusKinds(): readonly string[] {
    return [];
  }

  bindings(): readonly Binding<ViewResult>[] {
    const section = "Form";
    const out: Binding<ViewResult>[] = [
      {
        keys: keys("enter"),
        label: this.s.spec.submitLabel ?? "submit",
        section,
        hint: this.s.spec.submitLabel ?? "submit",
        run: () => this.submit(),
      },
      {
        keys: keys("escape"),
        label: "cancel",
        section,
        hint: "cancel",
        run: () => [this, [{ type: "pop" }, { type: "message", text: "cancelled" }]],
      },
      { keys: keys("tab", "down"), label: "next field", section, hint: "next", run: () => this.moveFocus(1) },
      { keys: keys("shift+tab", "up"), label: "previous field", section, run: () => this.moveFocus(-1) },
    ];
    const input = this.s.inputs[this.s.focus];
    if (input && !this.s.waiting) {
      out.push(...editBindings(input, "While typing in a field", (next): ViewResult => [this.edited(next), []]));
    }
    return out;
  }

  update(msg: ViewMsg): ViewResult {
    if (msg.type === "result") return this.onResult(msg);
    if (this.s.waiting) return [this, []];
    const input = this.s.inputs[this.s.focus];
    if (!input) return [this, []];
    if (msg.type === "paste") return [this.edited(pasteInto(input, msg.text)), []];
    if (msg.type !== "key") return [this, []];
    const key = msg as KeyEvent;
    if (key.text === undefined || key.ctrl || key.alt) return [this, []];
    const next = editInput(input, key);
    return next ? [this.edited(next), []] : [this, []];
  }

  title(): string {
    return this.s.spec.title;
  }

  body(ctx: ViewContext): string[] {
    const { spec } = this.s;
    const width = ctx.width;
    const labelWidth = Math.max(0, ...spec.fields.map((f) => displayWidth(f.label)));
    const lines: string[] = [""];
    lines.push(paintSegments([{ text: `  ${spec.title}`, style: THEME.emphasis }], width));
    for (const text of spec.intro ?? []) lines.push(paintSegments([{ text: `  ${text}`, style: THEME.dim }], width));
    lines.push("");
    spec.fields.forEach((field, i) => {
      const focused = i === this.s.focus;
      const input = this.s.inputs[i] ?? inputOf("");
      const label = `${focused ? "› " : "  "}${field.label}${" ".repeat(labelWidth - displayWidth(field.label))}  `;
      // The cursor takes a cell at the end of the focused field: the others get a space there, so notes stay put.
      const value: Segment[] = focused ? inputSegments(input) : [{ text: `${input.text} `, style: "" }];
      const noteText = this.s.notes[i];
      const note: Segment[] = noteText ? [{ text: `   ${noteText}`, style: THEME.dim }] : [];
      lines.push(paintSegments([{ text: label, style: focused ? THEME.emphasis : "" }, ...value, ...note], width));
    });
    lines.push("");
    if (this.s.waiting) {
      lines.push(paintSegments([{ text: `  ${this.s.waiting.waiting}`, style: THEME.dim }], width));
    } else if (this.s.error !== undefined) {
      lines.push(paintSegments([{ text: `  ${this.s.error}`, style: THEME.errorMessage }], width));
    }
    while (lines.length < ctx.height) lines.push("");
    return lines.slice(0, ctx.height);
  }

  bottom(): Segment[] | null {
    return null;
  }
}
