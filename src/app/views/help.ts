// `?`: every key the view below offers now, and the root's, generated from the same bindings that handle them.
import type { RowQuery } from "../../repository/types.ts";
import { type Binding, type HelpSection, keys } from "../bindings.ts";
import { paintSegments, type Segment } from "../paint.ts";
import { THEME } from "../theme.ts";
import type { View, ViewContext, ViewResult } from "./view.ts";

export class HelpView implements View {
  readonly id = "?";
  readonly crumb = "help";
  private readonly sections: readonly HelpSection[];
  private readonly scroll: number;

  constructor(sections: readonly HelpSection[], scroll = 0) {
    this.sections = sections;
    this.scroll = scroll;
  }

  /** The help as lines, before scrolling. */
  entries(width: number): string[] {
    const lines: string[] = [];
    for (const section of this.sections) {
      lines.push(paintSegments([{ text: ` ${section.title}`, style: THEME.title }], width));
      for (const [k, what] of section.entries) {
        lines.push(
          paintSegments(
            [
              { text: `   ${k.padEnd(26)}`, style: THEME.emphasis },
              { text: what, style: "" },
            ],
            width,
          ),
        );
      }
    }
    return lines;
  }

  capturesInput(): boolean {
    return false;
  }

  holds(): readonly RowQuery[] {
    return [];
  }

  statusKinds(): readonly string[] {
    return [];
  }

  bindings(ctx: ViewContext): readonly Binding<ViewResult>[] {
    const page = Math.max(1, ctx.height - 1);
    const max = Math.max(0, this.entries(ctx.width).length - page);
    const to = (n: number): ViewResult => [new HelpView(this.sections, Math.max(0, Math.min(max, n))), []];
    return [
      { keys: keys("escape", "?"), label: "close the help", section: "Help", run: () => [this, [{ type: "pop" }]] },
      { keys: keys("down", "j"), label: "scroll down", section: "Help", run: () => to(this.scroll + 1) },
      { keys: keys("up", "k"), label: "scroll up", section: "Help", run: () => to(this.scroll - 1) },
      { keys: keys("pagedown", "ctrl+f"), label: "next page", section: "Help", run: () => to(this.scroll + page) },
      { keys: keys("pageup", "ctrl+b"), label: "previous page", section: "Help", run: () => to(this.scroll - page) },
    ];
  }

  update(): ViewResult {
    return [this, []];
  }

  title(): string {
    return "Keys";
  }

  body(ctx: ViewContext): string[] {
    const page = Math.max(1, ctx.height - 1);
    const entries = this.entries(ctx.width);
    const scroll = Math.max(0, Math.min(this.scroll, entries.length - page));
    const more = entries.length > page ? "  ↑↓ scroll" : "";
    const lines = [paintSegments([{ text: ` Keys (Esc or ? closes)${more}`, style: THEME.viewTitle }], ctx.width)];
    lines.push(...entries.slice(scroll, scroll + page));
    while (lines.length < ctx.height) lines.push("");
    return lines.slice(0, ctx.height);
  }

  bottom(): Segment[] | null {
    return null;
  }
}
