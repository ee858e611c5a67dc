// Jobs as `kubectl get jobs` prints them (kube-apiserver's printJob): STATUS from the conditions, COMPLETIONS,
// DURATION from start to completion (or to now while running).

import type { KubeObject } from "../kube/objects.ts";
import { ageColumn, templateColumns } from "./columns.ts";
import { arr, baseFields, formatLabelSelector, int, intern, type Json, obj, templateContainers } from "./fields.ts";
import { humanDuration, NO_TIME, parseOptionalTime } from "./format.ts";
import { type OwnerFields, ownerFields } from "./owners.ts";
import type { BaseRow, ResourceDef } from "./types.ts";

/** A job as the cache keeps it; ownerKind/ownerName name the cronjob that created it, if any. */
export interface JobRow extends BaseRow, OwnerFields {
  /** Complete, Failed, Terminating, Suspended, FailureTarget, SuccessCriteriaMet or Running. */
  status: string;
  /** "3/5", "0/1 of 4" (a work queue with parallelism), "1/1". */
  completions: string;
  /** status.startTime and status.completionTime, epoch ms or NO_TIME. */
  startedAt: number;
  completedAt: number;
  containers: string;
  images: string;
  /** FormatLabelSelector of spec.selector ("<none>", "<error>"). */
  selector: string;
}

export function jobRow(o: KubeObject): JobRow {
  const spec = obj(o.spec);
  const status = obj(o.status);
  const succeeded = int(status?.succeeded);
  const { names, images } = templateContainers(spec?.template);
  return {
    ...baseFields(o),
    ...ownerFields(o),
    status: intern(jobStatus(o, arr(status?.conditions))),
    completions: completionsText(spec, succeeded),
    startedAt: parseOptionalTime(status?.startTime),
    completedAt: parseOptionalTime(status?.completionTime),
    containers: names,
    images,
    selector: formatLabelSelector(spec?.selector),
  };
}

function completionsText(spec: Json | undefined, succeeded: number): string {
  if (typeof spec?.completions === "number") return `${succeeded}/${spec.completions}`;
  // Without completions the job is a work queue: one success completes it, whatever the parallelism.
  const parallelism = int(spec?.parallelism);
  return parallelism > 1 ? `${succeeded}/1 of ${parallelism}` : `${succeeded}/1`;
}

/** hasJobCondition: the first condition of that type decides, and only when it is True. */
function hasCondition(conditions: readonly unknown[], type: string): boolean {
  for (const item of conditions) {
    const c = obj(item);
    if (c?.type === type) return c.status === "True";
  }
  return false;
}

function jobStatus(o: KubeObject, conditions: readonly unknown[]): string {
  if (hasCondition(conditions, "Complete")) return "Complete";
  if (hasCondition(conditions, "Failed")) return "Failed";
  if (o.metadata?.deletionTimestamp != null) return "Terminating";
  if (hasCondition(conditions, "Suspended")) return "Suspended";
  if (hasCondition(conditions, "FailureTarget")) return "FailureTarget";
  if (hasCondition(conditions, "SuccessCriteriaMet")) return "SuccessCriteriaMet";
  return "Running";
}

/** DURATION: empty before the job started, growing while it runs, fixed once it completed. */
export function jobDuration(row: Pick<JobRow, "startedAt" | "completedAt">, now: number): string {
  if (row.startedAt === NO_TIME) return "";
  const end = row.completedAt === NO_TIME ? now : row.completedAt;
  return humanDuration(end - row.startedAt);
}

export const jobs: ResourceDef<JobRow> = {
  type: "jobs",
  kind: "Job",
  group: "batch",
  version: "v1",
  namespaced: true,
  shortNames: [],
  columns: [
    { name: "STATUS", title: "Status", priority: 0, description: "Status of the job.", cell: (row) => row.status },
    {
      name: "COMPLETIONS",
      title: "Completions",
      priority: 0,
      description:
        "The number of pods which reached phase Succeeded. The value increases monotonically for a given spec. However, it may decrease in reaction to scale down of elastic indexed jobs.",
      cell: (row) => row.completions,
    },
    {
      name: "DURATION",
      title: "Duration",
      priority: 0,
      description: "Time required to complete the job.",
      cell: jobDuration,
    },
    ageColumn(),
    ...templateColumns(),
    {
      name: "SELECTOR",
      title: "Selector",
      priority: 1,
      description:
        "A label query over pods that should match the pod count. Normally, the system sets this field for you. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#label-selectors",
      cell: (row) => row.selector,
    },
  ],
  toRow: jobRow,
};
