// A pod's containers (Enter on a pod): init containers (sidecars among them), app containers and ephemeral
// containers, each with its image, READY, STATE, RESTARTS and ports. The cache keeps compact pod rows, not whole
// objects, so the pod is fetched when the view opens and again whenever its row changes.
import type { KubeObject } from "../../kube/objects.ts";
import type { RowQuery } from "../../repository/types.ts";
import { humanDuration } from "../../resources/format.ts";
import { cpuText, memText, type PodRow } from "../../resources/pods.ts";
import type { BaseRow } from "../../resources/types.ts";
import { type Binding, keys } from "../bindings.ts";
import { listTableLines } from "../list-table.ts";
import { paintSegments, type Segment } from "../paint.ts";
import { ROW_STATE_STYLE, type RowState } from "../row-style.ts";
import { sparkline } from "../sparkline.ts";
import type { TableColumn } from "../table.ts";
import { terminalBindings } from "../terminal-keys.ts";
import { THEME } from "../theme.ts";
import { LogsView } from "./logs.ts";
import type { View, ViewContext, ViewMsg, ViewResult } from "./view.ts";

/** One container as the view lists it. */
export interface ContainerRow {
  name: string;
  /** "init", "sidecar" (a restartable init container), "container" or "ephemeral". */
  type: string;
  image: string;
  ready: string;
  state: string;
  restarts: string;
  ports: string;
  rowState: RowState;
}

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (v !== null && typeof v === "object" ? (v as Obj) : {});
const arr = (v: unknown): Obj[] => (Array.isArray(v) ? v.map(obj) : []);
const str = (v: unknown): string => (typeof v === "string" ? v : v === undefined || v === null ? "" : String(v));

/** STATE as k9s shows it: Running, Waiting with its reason, Terminated with its reason (and exit code). */
function stateOf(status: Obj): { text: string; rowState: RowState } {
  const state = obj(status.state);
  if (state.running) return { text: "Running", rowState: "normal" };
  if (state.waiting) {
    const reason = str(obj(state.waiting).reason) || "Waiting";
    const failing = /BackOff|Err|Invalid|Error/.test(reason);
    return { text: reason, rowState: failing ? "failing" : "progress" };
  }
  if (state.terminated) {
    const t = obj(state.terminated);
    const code = Number(t.exitCode ?? 0);
    const reason = str(t.reason) || (code === 0 ? "Completed" : "Error");
    return { text: code === 0 ? reason : `${reason} (exit ${code})`, rowState: code === 0 ? "done" : "failing" };
  }
  return { text: "Pending", rowState: "progress" };
}

function portsOf(spec: Obj): string {
  const ports = arr(spec.ports).map((p) => {
    const name = str(p.name);
    const proto = str(p.protocol) || "TCP";
    return `${name ? `${name}:` : ""}${str(p.containerPort)}${proto === "TCP" ? "" : `/${proto}`}`;
  });
  return ports.length ? ports.join(",") : "";
}

/** A pod object's containers, in kubectl's order: init (and sidecars), app, ephemeral. */
export function containerRows(pod: KubeObject, now: number): ContainerRow[] {
  const spec = obj(pod.spec);
  const status = obj(pod.status);
  const statusByName = new Map<string, Obj>();
  for (const list of ["initContainerStatuses", "containerStatuses", "ephemeralContainerStatuses"]) {
    for (const s of arr(status[list])) statusByName.set(`${list}/${str(s.name)}`, s);
  }
  const rows: ContainerRow[] = [];
  const add = (specs: Obj[], statusList: string, typeOf: (c: Obj) => string) => {
    for (const c of specs) {
      const name = str(c.name);
      const s = statusByName.get(`${statusList}/${name}`) ?? {};
      const state = stateOf(s);
      const restarts = Number(s.restartCount ?? 0);
      const last = obj(obj(s.lastState).terminated);
      const finished = str(last.finishedAt);
      const lastAt = finished ? Date.parse(finished) : Number.NaN;
      rows.push({
        name,
        type: typeOf(c),
        image: str(c.image),
        ready: s.ready === true ? "true" : "false",
        state: state.text,
        restarts: Number.isNaN(lastAt) ? String(restarts) : `${restarts} (${humanDuration(now - lastAt)} ago)`,
        ports: portsOf(c),
        rowState: state.rowState,
      });
    }
  };
  add(arr(spec.initContainers), "initContainerStatuses", (c) => (c.restartPolicy === "Always" ? "sidecar" : "init"));
  add(arr(spec.containers), "containerStatuses", () => "container");
  add(arr(spec.ephemeralContainers), "ephemeralContainerStatuses", () => "ephemeral");
  return rows;
}

const COLUMNS: TableColumn<ContainerRow>[] = [
  { name: "NAME", cell: (r) => r.name, hideOrder: 0, flex: true },
  { name: "TYPE", cell: (r) => r.type, hideOrder: 3 },
  { name: "IMAGE", cell: (r) => r.image, hideOrder: 1 },
  { name: "READY", cell: (r) => r.ready, hideOrder: 0 },
  { name: "STATE", cell: (r) => r.state, hideOrder: 0 },
  { name: "RESTARTS", cell: (r) => r.restarts, hideOrder: 0 },
  { name: "PORTS", cell: (r) => r.ports, hideOrder: 2 },
];

interface ContainersState {
  readonly parentId: string;
  readonly pod: { namespace: string; name: string };
  /** The pod row the containers were fetched for: a new row object means the pod changed, so fetch again. */
  readonly fetchedFor: BaseRow | undefined;
  readonly request: number;
  readonly containers: readonly ContainerRow[] | undefined;
  readonly error: string | undefined;
  readonly gone: boolean;
  readonly cursor: number;
}

const podPath = (ns: string, name: string) =>
  `/api/v1/namespaces/${encodeURIComponent(ns)}/pods/${encodeURIComponent(name)}`;

export class ContainersView implements View {
  readonly id: string;
  readonly crumb = "containers";
  private readonly s: ContainersState;

  private constructor(state: ContainersState) {
    this.s = state;
    this.id = `${state.parentId} › po/${state.pod.namespace}/${state.pod.name} › containers`;
  }

  /** The view, waiting for the pod: fetch() gives the GET that fills it. `parentId`: the view it is opened from. */
  static open(pod: PodRow, parentId: string): ContainersView {
    return new ContainersView({
      parentId,
      pod: { namespace: pod.namespace, name: pod.name },
      fetchedFor: pod,
      request: 1,
      containers: undefined,
      error: undefined,
      gone: false,
      cursor: 0,
    });
  }

  private get requestId(): string {
    return `${this.id}#${this.s.request}`;
  }

  /** The GET of the pod, sent when the view opens. */
  fetch(): ViewResult {
    return [
      this,
      [
        {
          type: "effect",
          effect: { type: "get", id: this.requestId, path: podPath(this.s.pod.namespace, this.s.pod.name) },
        },
      ],
    ];
  }

  private with(change: Partial<ContainersState>): ContainersView {
    return new ContainersView({ ...this.s, ...change });
  }

  get containers(): readonly ContainerRow[] | undefined {
    return this.s.containers;
  }

  trailCrumb(): string {
    return `po/${this.s.pod.name}`;
  }

  capturesInput(): boolean {
    return false;
  }

  holds(): readonly RowQuery[] {
    return [{ kind: "pods", namespace: this.s.pod.namespace }];
  }

  statusKinds(): readonly string[] {
    return ["pods"];
  }

  private podRow(ctx: ViewContext): BaseRow | undefined {
    return ctx.repo.rows({ kind: "pods", namespace: this.s.pod.namespace }).find((r) => r.name === this.s.pod.name);
  }

  bindings(ctx: ViewContext): readonly Binding<ViewResult>[] {
    const count = this.s.containers?.length ?? 0;
    const move = (to: number): ViewResult => [this.with({ cursor: Math.max(0, Math.min(count - 1, to)) }), []];
    const out: Binding<ViewResult>[] = [
      { keys: keys("up", "k"), label: "previous container", section: "Move", run: () => move(this.s.cursor - 1) },
      { keys: keys("down", "j"), label: "next container", section: "Move", run: () => move(this.s.cursor + 1) },
      { keys: keys("home", "g"), label: "first container", section: "Move", run: () => move(0) },
      { keys: keys("end", "G"), label: "last container", section: "Move", run: () => move(count - 1) },
    ];
    const selected = this.s.containers?.[this.s.cursor];
    if (selected) {
      const logs = (previous: boolean): ViewResult => {
        const view = LogsView.open(this.s.pod, this.id, { container: selected.name, previous });
        return [this, [{ type: "push", view }]];
      };
      out.push(
        {
          keys: keys("l"),
          label: "the container's log (streamed)",
          section: "Move",
          hint: "logs",
          run: () => logs(false),
        },
        { keys: keys("p"), label: "the container's previous log", section: "Move", run: () => logs(true) },
      );
      // A pod that is gone has no container to open a session in.
      if (!this.s.gone) out.push(...terminalBindings(this, this.s.pod, ctx, selected.name));
    }
    return out;
  }

  update(msg: ViewMsg, ctx: ViewContext): ViewResult {
    if (msg.type === "result" && msg.id === this.requestId) {
      if (msg.error !== undefined) {
        const gone = /not ?found|404/i.test(msg.error);
        return [this.with({ error: msg.error, gone }), []];
      }
      const containers = containerRows(msg.value as KubeObject, ctx.now);
      return [this.with({ containers, error: undefined, cursor: Math.min(this.s.cursor, containers.length - 1) }), []];
    }
    if (msg.type === "data") {
      const row = this.podRow(ctx);
      if (row === undefined) {
        // Deleted: keep what is shown and say so (once the pods' cache is synced, absence is real).
        return [this.s.gone ? this : this.with({ gone: ctx.repo.status({ kind: "pods" }).synced }), []];
      }
      if (row !== this.s.fetchedFor) {
        return this.with({ fetchedFor: row, request: this.s.request + 1, gone: false }).fetch();
      }
    }
    return [this, []];
  }

  title(): string {
    return `Containers of ${this.s.pod.namespace}/${this.s.pod.name}`;
  }

  body(ctx: ViewContext): string[] {
    const { width, height } = ctx;
    const lines: string[] = [];
    const rows = this.s.containers;
    if (!rows) {
      lines.push("");
      const text = this.s.error ? `Cannot read the pod: ${this.s.error}` : "Loading the pod…";
      lines.push(paintSegments([{ text: ` ${text}`, style: this.s.error ? THEME.errorMessage : THEME.dim }], width));
    } else {
      lines.push(
        ...listTableLines(COLUMNS, rows, {
          width,
          now: ctx.now,
          cursor: this.s.cursor,
          style: (r) => ROW_STATE_STYLE[r.rowState],
        }),
      );
      if (rows.length === 0) lines.push(paintSegments([{ text: " No containers", style: THEME.dim }], width));
      lines.push(...this.usageLines(ctx));
    }
    if (this.s.gone) {
      lines.push("");
      lines.push(
        paintSegments(
          [{ text: " The pod is gone from the cluster; this is what it had.", style: THEME.warning }],
          width,
        ),
      );
    }
    while (lines.length < height) lines.push("");
    return lines.slice(0, height);
  }

  /** The pod's usage now and its last samples (metrics.k8s.io), as sparklines; nothing without samples. */
  private usageLines(ctx: ViewContext): string[] {
    const series = ctx.repo.metrics("pods", this.s.pod.namespace, this.s.pod.name);
    if (!series) return [];
    const spark = Math.max(8, Math.min(series.cpuMillis.length, ctx.width - 24));
    const line = (label: string, values: ArrayLike<number>, now: string) =>
      paintSegments(
        [
          { text: ` ${label}  `, style: THEME.dim },
          { text: sparkline(values, spark), style: THEME.value },
          { text: `  ${now}`, style: THEME.emphasis },
        ],
        ctx.width,
      );
    return [
      "",
      line("CPU", series.cpuMillis, `${cpuText(series.current.cpuMillis)}m`),
      line("MEM", series.memoryBytes, `${memText(series.current.memoryBytes)} MiB`),
    ];
  }

  bottom(): Segment[] | null {
    return null;
  }
}
