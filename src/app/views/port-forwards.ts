// `:pf`: the port forwards running now (ctx.forwards, as the runtime last reported them), with their connections and
// their last error; Ctrl-D stops the selected one after a y/n question on the bottom line.
import type { RowQuery } from "../../repository/types.ts";
import { humanDuration } from "../../resources/format.ts";
import { type Binding, keys } from "../bindings.ts";
import type { ActiveForward } from "../effects.ts";
import { listTableLines } from "../list-table.ts";
import { paintSegments, type Segment } from "../paint.ts";
import type { TableColumn } from "../table.ts";
import { THEME } from "../theme.ts";
import type { View, ViewContext, ViewMsg, ViewResult } from "./view.ts";

/** The `:` commands that open the view (k9s's names). */
export const PORT_FORWARD_COMMANDS = ["pf", "portforward", "portforwards"];

/** "8080→80,9090→9090". */
export function portsText(forward: Pick<ActiveForward, "ports">): string {
  return forward.ports.map((p) => `${p.local}→${p.remote}`).join(",");
}

const COLUMNS: TableColumn<ActiveForward>[] = [
  { name: "NAMESPACE", cell: (f) => f.namespace, hideOrder: 3 },
  { name: "POD", cell: (f) => f.pod, hideOrder: 0, flex: true },
  { name: "CONTAINER", cell: (f) => f.container ?? "", hideOrder: 4 },
  { name: "PORTS", cell: portsText, hideOrder: 0 },
  { name: "ADDRESS", cell: (f) => f.address, hideOrder: 2 },
  { name: "CONNECTIONS", cell: (f) => String(f.connections), hideOrder: 1 },
  { name: "AGE", cell: (f, now) => humanDuration(now - f.since), hideOrder: 1 },
  { name: "LAST ERROR", cell: (f) => f.lastError ?? "", hideOrder: 0 },
];

interface State {
  /** The selected forward's id: the cursor follows it while the list changes. */
  readonly selected: string | undefined;
  /** The forward Ctrl-D asks about, until y or another key answers. */
  readonly confirming: ActiveForward | undefined;
}

export class PortForwardsView implements View {
  readonly id = ":pf";
  readonly crumb = "port-forwards";
  private readonly s: State;

  private constructor(state: State) {
    this.s = state;
  }

  /** The view (it reads ctx.forwards: nothing to ask for). */
  static open(): ViewResult {
    return [new PortForwardsView({ selected: undefined, confirming: undefined }), []];
  }

  /** The question being asked, if any. */
  get confirming(): ActiveForward | undefined {
    return this.s.confirming;
  }

  private with(change: Partial<State>): PortForwardsView {
    return new PortForwardsView({ ...this.s, ...change });
  }

  /** The cursor's index in `forwards`: the selected forward's, else the first (it went, or none was picked). */
  private cursor(forwards: readonly ActiveForward[]): number {
    const at = forwards.findIndex((f) => f.id === this.s.selected);
    return Math.max(at, 0);
  }

  capturesInput(): boolean {
    return this.s.confirming !== undefined;
  }

  holds(): readonly RowQuery[] {
    return [];
  }

  statusKinds(): readonly string[] {
    return [];
  }

  bindings(ctx: ViewContext): readonly Binding<ViewResult>[] {
    if (this.s.confirming) return this.confirmBindings(this.s.confirming);
    const forwards = ctx.forwards;
    const cursor = this.cursor(forwards);
    const move = (to: number): ViewResult => {
      const f = forwards[Math.max(0, Math.min(forwards.length - 1, to))];
      return [f ? this.with({ selected: f.id }) : this, []];
    };
    const out: Binding<ViewResult>[] = [
      { keys: keys("up", "k"), label: "previous forward", section: "Move", run: () => move(cursor - 1) },
      { keys: keys("down", "j"), label: "next forward", section: "Move", run: () => move(cursor + 1) },
    ];
    const selected = forwards[cursor];
    if (selected) {
      out.push({
        keys: keys("ctrl+d"),
        label: "stop the forward (asks first): its listener and connections close",
        section: "Port forwards",
        hint: "stop",
        run: () => [this.with({ selected: selected.id, confirming: selected }), []],
      });
    }
    return out;
  }

  private confirmBindings(forward: ActiveForward): Binding<ViewResult>[] {
    const yes = (): ViewResult => [
      this.with({ confirming: undefined }),
      [
        { type: "effect", effect: { type: "stopPortForward", forwardId: forward.id } },
        { type: "message", text: `stopped forwarding ${describe(forward)}` },
      ],
    ];
    return [{ keys: keys("y", "Y"), label: "yes, stop it", section: "Stop the forward?", run: yes }];
  }

  update(msg: ViewMsg): ViewResult {
    // While asking, any key but y (a binding) cancels.
    if (this.s.confirming && msg.type === "key") {
      return [this.with({ confirming: undefined }), [{ type: "message", text: "cancelled" }]];
    }
    return [this, []];
  }

  title(ctx: ViewContext): string {
    return `Port forwards ${ctx.forwards.length}`;
  }

  body(ctx: ViewContext): string[] {
    const lines: string[] = [];
    const forwards = ctx.forwards;
    if (forwards.length === 0) {
      lines.push("");
      lines.push(
        paintSegments([{ text: " No port forwards: Shift-F on a pod starts one", style: THEME.dim }], ctx.width),
      );
    } else {
      lines.push(
        ...listTableLines(COLUMNS, forwards, {
          width: ctx.width,
          now: ctx.now,
          cursor: this.cursor(forwards),
          style: (f) => (f.lastError ? THEME.rowFailing : THEME.row),
        }),
      );
    }
    while (lines.length < ctx.height) lines.push("");
    return lines.slice(0, ctx.height);
  }

  bottom(): Segment[] | null {
    const f = this.s.confirming;
    if (!f) return null;
    return [
      { text: ` stop forwarding ${describe(f)}?`, style: THEME.emphasis },
      { text: "  y stops · any other key cancels", style: THEME.dim },
    ];
  }
}

/** "shop/api-1 8080→80 on 127.0.0.1". */
function describe(f: ActiveForward): string {
  return `${f.namespace}/${f.pod} ${portsText(f)} on ${f.address}`;
}
