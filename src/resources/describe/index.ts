// Which describer describes a kind: kubectl's own for the kinds it has one for (the ones written so far), else
// kubectl's generic describer.
import { genericDescriber } from "./generic.ts";
import { podDescriber } from "./pods.ts";
import type { Describer } from "./types.ts";
import {
  cronJobDescriber,
  daemonSetDescriber,
  deploymentDescriber,
  jobDescriber,
  replicaSetDescriber,
  statefulSetDescriber,
} from "./workloads.ts";

export { eventsPath } from "./events.ts";
export type { DescribeInput, Describer } from "./types.ts";

const BUILTIN: Record<string, Describer> = {
  "/pods": podDescriber,
  "apps/deployments": deploymentDescriber,
  "apps/replicasets": replicaSetDescriber,
  "apps/statefulsets": statefulSetDescriber,
  "apps/daemonsets": daemonSetDescriber,
  "batch/jobs": jobDescriber,
  "batch/cronjobs": cronJobDescriber,
};

/** The describer of `resource` in API group `group` ("" for core): built-in, or the generic one. */
export function describerFor(group: string, resource: string): Describer {
  return BUILTIN[`${group}/${resource}`] ?? genericDescriber;
}
