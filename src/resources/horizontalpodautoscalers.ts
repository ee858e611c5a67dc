// HorizontalPodAutoscalers (autoscaling/v2) as `kubectl get hpa` prints them (printHorizontalPodAutoscaler):
// TARGETS pairs each metric spec with the status at the same index, "current/target", at most two then
// " + N more...".

import type { KubeObject } from "../kube/objects.ts";
import { ageColumn } from "./columns.ts";
import { arr, baseFields, int, type Json, obj, str } from "./fields.ts";
import { type OwnerFields, ownerFields } from "./owners.ts";
import { quantityText } from "./quantity.ts";
import type { BaseRow, ResourceDef } from "./types.ts";

/** An autoscaler as the cache keeps it. */
export interface HorizontalPodAutoscalerRow extends BaseRow, OwnerFields {
  /** "Deployment/web". */
  reference: string;
  /** "cpu: 50%/80%", "<unknown>/100 (avg)", ...; "<none>" without metrics. */
  targets: string;
  /** spec.minReplicas (the API defaults it to 1). */
  minPods: string;
  maxPods: number;
  replicas: number;
}

// The API defaults an HPA without metrics to 80% average CPU utilization.
const DEFAULT_METRICS: readonly unknown[] = [
  { type: "Resource", resource: { name: "cpu", target: { type: "Utilization", averageUtilization: 80 } } },
];

/** A *resource.Quantity as Go prints it: canonical, "<nil>" for a nil pointer. */
function quantity(value: unknown): string {
  return value === undefined || value === null ? "<nil>" : quantityText(value);
}

/** One metric spec against its status (undefined when the status list is shorter). */
function metricText(spec: Json, status: Json | undefined): string {
  switch (spec.type) {
    case "External":
    case "Object": {
      const key = spec.type === "External" ? "external" : "object";
      const target = obj(obj(spec[key])?.target);
      const current = obj(status?.[key]) ? obj(obj(status?.[key])?.current) : undefined;
      if (target?.averageValue != null) {
        const now = current?.averageValue != null ? quantity(current.averageValue) : "<unknown>";
        return `${now}/${quantity(target.averageValue)} (avg)`;
      }
      const now = obj(status?.[key]) ? quantity(current?.value) : "<unknown>";
      return `${now}/${quantity(target?.value)}`;
    }
    case "Pods": {
      const target = obj(obj(spec.pods)?.target);
      const now = obj(status?.pods) ? quantity(obj(obj(status?.pods)?.current)?.averageValue) : "<unknown>";
      return `${now}/${quantity(target?.averageValue)}`;
    }
    case "Resource":
    case "ContainerResource": {
      const key = spec.type === "Resource" ? "resource" : "containerResource";
      const source = obj(spec[key]);
      const target = obj(source?.target);
      const statusSource = obj(status?.[key]);
      const current = obj(statusSource?.current);
      const name = str(source?.name);
      if (target?.averageValue != null) {
        const now = statusSource ? quantity(current?.averageValue) : "<unknown>";
        return `${name}: ${now}/${quantity(target.averageValue)}`;
      }
      const now = typeof current?.averageUtilization === "number" ? `${current.averageUtilization}%` : "<unknown>";
      const goal = typeof target?.averageUtilization === "number" ? `${target.averageUtilization}%` : "<auto>";
      return `${name}: ${now}/${goal}`;
    }
    default:
      return "<unknown type>";
  }
}

/** formatHPAMetrics. */
export function targetsText(metrics: readonly unknown[], statuses: readonly unknown[]): string {
  if (metrics.length === 0) return "<none>";
  const MAX = 2;
  const list: string[] = [];
  for (let i = 0; i < metrics.length && i < MAX; i++) {
    list.push(metricText(obj(metrics[i]) ?? {}, obj(statuses[i])));
  }
  const text = list.join(", ");
  return metrics.length > MAX ? `${text} + ${metrics.length - MAX} more...` : text;
}

export function horizontalPodAutoscalerRow(o: KubeObject): HorizontalPodAutoscalerRow {
  const spec = obj(o.spec);
  const status = obj(o.status);
  const target = obj(spec?.scaleTargetRef);
  const metrics = arr(spec?.metrics);
  return {
    ...baseFields(o),
    ...ownerFields(o),
    reference: `${str(target?.kind)}/${str(target?.name)}`,
    targets: targetsText(metrics.length > 0 ? metrics : DEFAULT_METRICS, arr(status?.currentMetrics)),
    minPods: String(typeof spec?.minReplicas === "number" ? spec.minReplicas : 1),
    maxPods: int(spec?.maxReplicas),
    replicas: int(status?.currentReplicas),
  };
}

export const horizontalpodautoscalers: ResourceDef<HorizontalPodAutoscalerRow> = {
  type: "horizontalpodautoscalers",
  kind: "HorizontalPodAutoscaler",
  group: "autoscaling",
  version: "v2",
  namespaced: true,
  shortNames: ["hpa"],
  columns: [
    {
      name: "REFERENCE",
      title: "Reference",
      priority: 0,
      description:
        "scaleTargetRef points to the target resource to scale, and is used to the pods for which metrics should be collected, as well as to actually change the replica count.",
      cell: (row) => row.reference,
    },
    {
      name: "TARGETS",
      title: "Targets",
      priority: 0,
      description:
        "metrics contains the specifications for which to use to calculate the desired replica count (the maximum replica count across all metrics will be used).  The desired replica count is calculated multiplying the ratio between the target value and the current value by the current number of pods.  Ergo, metrics used must decrease as the pod count is increased, and vice-versa.  See the individual metric source types for more information about how each type of metric must respond. If not set, the default metric will be set to 80% average CPU utilization.",
      cell: (row) => row.targets,
    },
    {
      name: "MINPODS",
      title: "MinPods",
      priority: 0,
      description:
        "minReplicas is the lower limit for the number of replicas to which the autoscaler can scale down.  It defaults to 1 pod.  minReplicas is allowed to be 0 if the alpha feature gate HPAScaleToZero is enabled and at least one Object or External metric is configured.  Scaling is active as long as at least one metric value is available.",
      cell: (row) => row.minPods,
    },
    {
      name: "MAXPODS",
      title: "MaxPods",
      priority: 0,
      numeric: true,
      description:
        "maxReplicas is the upper limit for the number of replicas to which the autoscaler can scale up. It cannot be less that minReplicas.",
      cell: (row) => String(row.maxPods),
    },
    {
      name: "REPLICAS",
      title: "Replicas",
      priority: 0,
      numeric: true,
      description:
        "currentReplicas is current number of replicas of pods managed by this autoscaler, as last seen by the autoscaler.",
      cell: (row) => String(row.replicas),
    },
    ageColumn(),
  ],
  toRow: horizontalPodAutoscalerRow,
};
