// The write actions a table offers on its selected row or its marked rows: only those the kind supports
// (capabilities), the user may take (RBAC, from Repository.can) and the session allows (read-only mode removes them
// all). Each destructive one asks first: a dialog (delete, scale) or a y/n question (kill, restart, drain…).
import type { ApiKind } from "../../kube/kinds.ts";
import type { BaseRow } from "../../resources/types.ts";
import {
  accessCheck,
  capabilitiesOf,
  cordonRequest,
  type DeleteChoice,
  deleteRequest,
  describeTargets,
  killRequest,
  type Propagation,
  restartRequest,
  scaleRequest,
  suspendRequest,
} from "../actions.ts";
import { type Binding, keys } from "../bindings.ts";
import { DialogView, textField } from "./dialog.ts";
import { DrainView } from "./drain.ts";
import { EditView } from "./edit.ts";
import type { Action, View, ViewContext } from "./view.ts";

/** What the actions apply to. */
export interface ActionTarget {
  kind: ApiKind;
  /** The kind's short name ("deploy") and plural ("deployments"), for questions and messages. */
  short: string;
  plural: string;
  /** The marked rows, or the selected one when none is marked. */
  rows: readonly BaseRow[];
  /** The view the actions are taken from (a dialog is painted over it). */
  view: View;
  /** The id of the table view, for the requests' ids. */
  viewId: string;
}

const PROPAGATIONS: readonly { label: string; value: Propagation }[] = [
  { label: "Background", value: "background" },
  { label: "Foreground", value: "foreground" },
  { label: "Orphan", value: "orphan" },
];

/** The action bindings for `target` (empty when nothing is selected or in read-only mode). */
export function actionBindings(target: ActionTarget, ctx: ViewContext): Binding<Action[]>[] {
  const { kind, rows } = target;
  const first = rows[0];
  if (ctx.readOnly || !first) return [];
  const caps = capabilitiesOf(kind);
  // One question per namespace would be exact for marked rows across namespaces; the first row's stands for them.
  const may = (verb: string, subresource?: string) =>
    ctx.repo.can(accessCheck(kind, verb, first, subresource)) !== false;
  const what = describeTargets(target.short, rows, target.plural);
  const single = rows.length === 1;
  const out: Binding<Action[]>[] = [];
  if (caps.delete && may("delete")) {
    out.push({
      keys: keys("ctrl+d"),
      label: "delete (asks first: propagation, grace period, force)",
      section: "Actions",
      hint: "delete",
      run: () => [{ type: "push", view: deleteDialog(target, what) }],
    });
  }
  if (caps.kill && may("delete")) {
    out.push({
      keys: keys("ctrl+k"),
      label: "kill: delete at once, grace period 0 (asks first)",
      section: "Actions",
      run: () => [
        {
          type: "write",
          verb: "kill",
          done: "killed",
          what,
          requests: rows.map((r) => killRequest(kind, r)),
          confirm: `kill ${what} now (grace period 0)? y/n`,
        },
      ],
    });
  }
  if (caps.scale && single && may("patch", "scale")) {
    out.push({
      keys: keys("s"),
      label: "scale: set the replica count",
      section: "Actions",
      hint: "scale",
      run: () => [{ type: "push", view: scaleDialog(target, first) }],
    });
  }
  if (caps.restart && may("patch")) {
    out.push({
      keys: keys("r"),
      label: "restart: roll every pod, as kubectl rollout restart (asks first)",
      section: "Actions",
      run: () => [
        {
          type: "write",
          verb: "restart",
          done: "restarted",
          what,
          requests: rows.map((r) => restartRequest(kind, r, ctx.now)),
          confirm: `restart ${what}? y/n`,
        },
      ],
    });
  }
  if (caps.edit && single && may("update")) {
    out.push({
      keys: keys("e"),
      label: "edit in $KUBE_EDITOR / $EDITOR, then update the object",
      section: "Actions",
      hint: "edit",
      run: () => {
        const [view, actions] = EditView.open(kind, first, target.short, target.viewId);
        return [{ type: "push", view }, ...actions];
      },
    });
  }
  if (caps.cordon && may("patch")) {
    const cordoned = (r: BaseRow) => (r as BaseRow & { unschedulable?: boolean }).unschedulable === true;
    out.push(
      {
        keys: keys("c"),
        label: "cordon: no new pods on the node",
        section: "Actions",
        run: () => [
          {
            type: "write",
            verb: "cordon",
            done: "cordoned",
            what,
            requests: rows.map((r) => cordonRequest(kind, r, true)),
          },
        ],
      },
      {
        keys: keys("u"),
        label: "uncordon: pods may be scheduled on the node again",
        section: "Actions",
        run: () => [
          {
            type: "write",
            verb: "uncordon",
            done: "uncordoned",
            what,
            requests: rows.filter(cordoned).map((r) => cordonRequest(kind, r, false)),
          },
        ],
      },
    );
    if (single && may("create", "eviction")) {
      out.push({
        keys: keys("r"),
        label: "drain: cordon, then evict its pods (PodDisruptionBudgets honoured; asks first)",
        section: "Actions",
        run: () => [{ type: "push", view: DrainView.confirm(kind, first, target.view) }],
      });
    }
  }
  if (caps.trigger && may("patch")) {
    const suspended = (r: BaseRow) => (r as BaseRow & { suspend?: string }).suspend === "True";
    if (single) {
      out.push({
        keys: keys("t"),
        label: "trigger: run a job now, as kubectl create job --from=cronjob/…",
        section: "Actions",
        run: () => [
          { type: "effect", effect: { type: "get", id: `${target.viewId}#trigger`, path: cronJobPath(kind, first) } },
          { type: "message", text: `triggering ${what}…` },
        ],
      });
    }
    const suspend = !rows.every(suspended);
    out.push({
      keys: keys("s"),
      label: suspend ? "suspend: no new runs until resumed" : "resume: runs start again on schedule",
      section: "Actions",
      run: () => [
        {
          type: "write",
          verb: suspend ? "suspend" : "resume",
          done: suspend ? "suspended" : "resumed",
          what,
          requests: rows.map((r) => suspendRequest(kind, r, suspend)),
        },
      ],
    });
  }
  return out;
}

function cronJobPath(kind: ApiKind, row: BaseRow): string {
  return `/apis/${kind.group}/${kind.version}/namespaces/${encodeURIComponent(row.namespace)}/${kind.resource}/${encodeURIComponent(row.name)}`;
}

/** Ctrl-D: what goes, how its dependents go, how long it may take. */
function deleteDialog(target: ActionTarget, what: string): DialogView {
  const { kind, rows } = target;
  return DialogView.open(
    {
      id: `delete:${target.viewId}`,
      title: "Delete",
      lines: [
        `Delete ${what}?`,
        ...(rows.length > 1 ? rows.slice(0, 5).map((r) => `  ${r.namespace ? `${r.namespace}/` : ""}${r.name}`) : []),
        ...(rows.length > 5 ? [`  … and ${rows.length - 5} more`] : []),
      ],
      fields: [
        {
          kind: "choice",
          name: "propagation",
          label: "Propagation",
          options: PROPAGATIONS.map((p) => p.label),
          index: 0,
          hint: "dependents: ←/→",
        },
        textField("grace", "Grace period", "", "seconds; empty: the object's own"),
        { kind: "toggle", name: "force", label: "Force", on: false, hint: "at once, grace period 0" },
      ],
      submit: "delete",
      onSubmit(values) {
        const graceText = String(values.grace ?? "").trim();
        const grace = graceText === "" ? undefined : Number(graceText);
        if (grace !== undefined && (!Number.isInteger(grace) || grace < 0)) {
          return { error: `grace period: "${graceText}" is not a whole number of seconds` };
        }
        const propagation = PROPAGATIONS.find((p) => p.label === values.propagation)?.value ?? "background";
        const choice: DeleteChoice = { propagation, gracePeriodSeconds: grace, force: values.force === true };
        return [
          {
            type: "write",
            verb: "delete",
            done: "deleted",
            what,
            requests: rows.map((r) => deleteRequest(kind, r, choice)),
          },
        ];
      },
    },
    target.view,
  );
}

/** `s`: the replica count, through the scale subresource. */
function scaleDialog(target: ActionTarget, row: BaseRow): DialogView {
  const current = replicasOf(row);
  const what = describeTargets(target.short, [row], target.plural);
  return DialogView.open(
    {
      id: `scale:${target.viewId}`,
      title: "Scale",
      lines: [`Scale ${what}`],
      fields: [textField("replicas", "Replicas", current === undefined ? "" : String(current), "desired pods")],
      submit: "scale",
      onSubmit(values) {
        const text = String(values.replicas ?? "").trim();
        const replicas = Number(text);
        if (text === "" || !Number.isInteger(replicas) || replicas < 0) {
          return { error: `replicas: "${text}" is not a whole number ≥ 0` };
        }
        return [
          {
            type: "write",
            verb: "scale",
            done: "scaled",
            what: `${what} to ${replicas}`,
            requests: [scaleRequest(target.kind, row, replicas)],
          },
        ];
      },
    },
    target.view,
  );
}

/** The desired replicas a row shows (READY "2/3" → 3, or a `desired` field). */
function replicasOf(row: BaseRow): number | undefined {
  const r = row as BaseRow & { desired?: number; replicas?: number; ready?: string };
  if (typeof r.desired === "number") return r.desired;
  if (typeof r.replicas === "number") return r.replicas;
  const match = typeof r.ready === "string" ? /^\d+\/(\d+)$/.exec(r.ready) : null;
  return match ? Number(match[1]) : undefined;
}
