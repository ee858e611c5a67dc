// CronJobs as `kubectl get cronjobs` prints them (kube-apiserver's printCronJob).

import type { KubeObject } from "../kube/objects.ts";
import { ageColumn, templateColumns } from "./columns.ts";
import { arr, baseFields, formatLabelSelector, intern, obj, str, templateContainers } from "./fields.ts";
import { NO_TIME, parseOptionalTime, since } from "./format.ts";
import { type OwnerFields, ownerFields } from "./owners.ts";
import type { BaseRow, ResourceDef } from "./types.ts";

const JOB_SELECTOR_DOC =
  "A label query over pods that should match the pod count. Normally, the system sets this field for you. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#label-selectors";

/** A cronjob as the cache keeps it. */
export interface CronJobRow extends BaseRow, OwnerFields {
  schedule: string;
  /** spec.timeZone, "<none>" when unset. */
  timeZone: string;
  /** "True" or "False" (the API defaults spec.suspend to false). */
  suspend: string;
  /** Number of jobs in status.active. */
  active: number;
  /** status.lastScheduleTime, epoch ms or NO_TIME (prints <none>). */
  lastScheduleAt: number;
  containers: string;
  images: string;
  selector: string;
}

export function cronJobRow(o: KubeObject): CronJobRow {
  const spec = obj(o.spec);
  const status = obj(o.status);
  const jobSpec = obj(obj(spec?.jobTemplate)?.spec);
  const { names, images } = templateContainers(jobSpec?.template);
  const timeZone = str(spec?.timeZone);
  return {
    ...baseFields(o),
    ...ownerFields(o),
    schedule: str(spec?.schedule),
    timeZone: typeof spec?.timeZone === "string" ? intern(timeZone) : "<none>",
    suspend: spec?.suspend === true ? "True" : "False",
    active: arr(status?.active).length,
    lastScheduleAt: parseOptionalTime(status?.lastScheduleTime),
    containers: names,
    images,
    selector: formatLabelSelector(jobSpec?.selector),
  };
}

export const cronjobs: ResourceDef<CronJobRow> = {
  type: "cronjobs",
  kind: "CronJob",
  group: "batch",
  version: "v1",
  namespaced: true,
  shortNames: ["cj"],
  columns: [
    {
      name: "SCHEDULE",
      title: "Schedule",
      priority: 0,
      description: "The schedule in Cron format, see https://en.wikipedia.org/wiki/Cron.",
      cell: (row) => row.schedule,
    },
    {
      name: "TIMEZONE",
      title: "Timezone",
      priority: 0,
      description:
        "The time zone name for the given schedule, see https://en.wikipedia.org/wiki/List_of_tz_database_time_zones. If not specified, this will default to the time zone of the kube-controller-manager process. The set of valid time zone names and the time zone offset is loaded from the system-wide time zone database by the API server during CronJob validation and the controller manager during execution. If no system-wide time zone database can be found a bundled version of the database is used instead. If the time zone name becomes invalid during the lifetime of a CronJob or due to a change in host configuration, the controller will stop creating new new Jobs and will create a system event with the reason UnknownTimeZone. More information can be found in https://kubernetes.io/docs/concepts/workloads/controllers/cron-jobs/#time-zones",
      cell: (row) => row.timeZone,
    },
    {
      name: "SUSPEND",
      title: "Suspend",
      priority: 0,
      type: "boolean",
      description:
        "This flag tells the controller to suspend subsequent executions, it does not apply to already started executions.  Defaults to false.",
      cell: (row) => row.suspend,
    },
    {
      name: "ACTIVE",
      title: "Active",
      priority: 0,
      type: "integer",
      numeric: true,
      description: "A list of pointers to currently running jobs.",
      cell: (row) => String(row.active),
    },
    {
      name: "LAST SCHEDULE",
      title: "Last Schedule",
      priority: 0,
      description: "Information when was the last time the job was successfully scheduled.",
      cell: (row, now) => (row.lastScheduleAt === NO_TIME ? "<none>" : since(row.lastScheduleAt, now)),
    },
    ageColumn(),
    ...templateColumns(),
    { name: "SELECTOR", title: "Selector", priority: 1, description: JOB_SELECTOR_DOC, cell: (row) => row.selector },
  ],
  toRow: cronJobRow,
};
