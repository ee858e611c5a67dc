// Which describer describes a kind: kubectl's own for the kinds it has one for (the ones written so far), else
// kubectl's generic describer.

import { configMapDescriber } from "./configmaps.ts";
import { endpointSliceDescriber } from "./endpointslices.ts";
import { genericDescriber } from "./generic.ts";
import { horizontalPodAutoscalerDescriber } from "./horizontalpodautoscalers.ts";
import { ingressDescriber } from "./ingresses.ts";
import { namespaceDescriber } from "./namespaces.ts";
import { nodeDescriber } from "./nodes.ts";
import { persistentVolumeClaimDescriber } from "./persistentvolumeclaims.ts";
import { podDescriber } from "./pods.ts";
import { secretDescriber } from "./secrets.ts";
import { serviceAccountDescriber } from "./serviceaccounts.ts";
import { serviceDescriber } from "./services.ts";
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
  "/services": serviceDescriber,
  "discovery.k8s.io/endpointslices": endpointSliceDescriber,
  "networking.k8s.io/ingresses": ingressDescriber,
  "/configmaps": configMapDescriber,
  "/secrets": secretDescriber,
  "/persistentvolumeclaims": persistentVolumeClaimDescriber,
  "/nodes": nodeDescriber,
  "/namespaces": namespaceDescriber,
  "/serviceaccounts": serviceAccountDescriber,
  "autoscaling/horizontalpodautoscalers": horizontalPodAutoscalerDescriber,
};

/** The describer of `resource` in API group `group` ("" for core): built-in, or the generic one. */
export function describerFor(group: string, resource: string): Describer {
  return BUILTIN[`${group}/${resource}`] ?? genericDescriber;
}
