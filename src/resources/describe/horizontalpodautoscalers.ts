// `kubectl describe horizontalpodautoscaler`, from kubectl's describeHorizontalPodAutoscalerV2 (the app reads
// autoscaling/v2): the target reference, each metric as "current / target", the replica bounds, the scaling
// behavior, the target's pods, the conditions table, and the events.

import { quantityText } from "../quantity.ts";
import { describeEvents } from "./events.ts";
import { meta, optNum } from "./kit.ts";
import type { Describer } from "./types.ts";
import { annotationsMultiline, arr, DescribeWriter, labelsMultiline, num, obj, rfc1123z, str } from "./writer.ts";

type Json = Record<string, unknown>;

/** A *Quantity's String(): "<nil>" for none. */
function q(value: unknown): string {
  return value === undefined || value === null ? "<nil>" : quantityText(value);
}

/** Go's %q of a metric name. */
function quoted(s: string): string {
  return JSON.stringify(s);
}

const present = (v: unknown): boolean => v !== undefined && v !== null;

function writeMetric(w: DescribeWriter, metric: Json, current: Json | undefined): void {
  switch (str(metric.type)) {
    case "External": {
      const external = obj(metric.external);
      const target = obj(external.target);
      const name = quoted(str(obj(external.metric).name));
      const cur = current !== undefined && present(current.external) ? obj(obj(current.external).current) : undefined;
      if (present(target.averageValue)) {
        const c = cur !== undefined && present(cur.averageValue) ? q(cur.averageValue) : "<unknown>";
        w.write(1, `${name} (target average value):\t${c} / ${q(target.averageValue)}\n`);
      } else {
        const c = cur !== undefined ? q(cur.value) : "<unknown>";
        w.write(1, `${name} (target value):\t${c} / ${q(target.value)}\n`);
      }
      return;
    }
    case "Pods": {
      const pods = obj(metric.pods);
      const c =
        current !== undefined && present(current.pods) ? q(obj(obj(current.pods).current).averageValue) : "<unknown>";
      w.write(1, `${quoted(str(obj(pods.metric).name))} on pods:\t${c} / ${q(obj(pods.target).averageValue)}\n`);
      return;
    }
    case "Object": {
      const object = obj(metric.object);
      const described = obj(object.describedObject);
      const target = obj(object.target);
      w.write(1, `"${str(obj(object.metric).name)}" on ${str(described.kind)}/${str(described.name)} `);
      const cur = current !== undefined && present(current.object) ? obj(obj(current.object).current) : undefined;
      if (str(target.type) === "AverageValue") {
        w.write(0, `(target average value):\t${cur ? q(cur.averageValue) : "<unknown>"} / ${q(target.averageValue)}\n`);
      } else {
        w.write(0, `(target value):\t${cur ? q(cur.value) : "<unknown>"} / ${q(target.value)}\n`);
      }
      return;
    }
    case "Resource":
    case "ContainerResource": {
      const field = str(metric.type) === "Resource" ? "resource" : "containerResource";
      const source = obj(metric[field]);
      const target = obj(source.target);
      if (field === "resource") w.write(1, `resource ${str(source.name)} on pods`);
      else w.write(1, `resource ${str(source.name)} of container "${str(source.container)}" on pods`);
      const status = current !== undefined && present(current[field]) ? obj(obj(current[field]).current) : undefined;
      if (present(target.averageValue)) {
        w.write(0, `:\t${status ? q(status.averageValue) : "<unknown>"} / ${q(target.averageValue)}\n`);
      } else {
        const c =
          status !== undefined && present(status.averageUtilization)
            ? `${num(status.averageUtilization)}% (${q(status.averageValue)})`
            : "<unknown>";
        const t = present(target.averageUtilization) ? `${num(target.averageUtilization)}%` : "<auto>";
        w.write(1, `(as a percentage of request):\t${c} / ${t}\n`);
      }
      return;
    }
    default:
      w.write(1, `<unknown metric type ${quoted(str(metric.type))}>\n`);
  }
}

function writeDirection(w: DescribeWriter, direction: string, rules: unknown): void {
  if (!present(rules)) return;
  const r = obj(rules);
  w.write(1, `${direction}:\n`);
  const window = optNum(r.stabilizationWindowSeconds);
  if (window !== undefined) w.write(2, `Stabilization Window: ${window} seconds\n`);
  const policies = arr(r.policies).map(obj);
  if (policies.length > 0) {
    w.write(2, `Select Policy: ${typeof r.selectPolicy === "string" ? r.selectPolicy : "Max"}\n`);
    w.write(2, "Policies:\n");
    for (const p of policies) {
      w.write(3, `- Type: ${str(p.type)}\tValue: ${num(p.value)}\tPeriod: ${num(p.periodSeconds)} seconds\n`);
    }
  }
}

export const horizontalPodAutoscalerDescriber: Describer = {
  describe({ object, events, now }) {
    const m = meta(object);
    const spec = obj(object.spec);
    const status = obj(object.status);
    const ref = obj(spec.scaleTargetRef);
    const w = new DescribeWriter();
    w.write(0, `Name:\t${m.name}\n`);
    w.write(0, `Namespace:\t${m.namespace}\n`);
    labelsMultiline(w, "Labels", m.labels);
    annotationsMultiline(w, "Annotations", m.annotations);
    w.write(0, `CreationTimestamp:\t${rfc1123z(object.metadata?.creationTimestamp)}\n`);
    w.write(0, `Reference:\t${str(ref.kind)}/${str(ref.name)}\n`);
    w.write(0, "Metrics:\t( current / target )\n");
    const currents = arr(status.currentMetrics).map(obj);
    arr(spec.metrics).forEach((metric, i) => {
      writeMetric(w, obj(metric), currents[i]);
    });
    const min = optNum(spec.minReplicas);
    w.write(0, `Min replicas:\t${min === undefined ? "<unset>" : min}\n`);
    w.write(0, `Max replicas:\t${num(spec.maxReplicas)}\n`);
    if (present(spec.behavior)) {
      w.write(0, "Behavior:\n");
      writeDirection(w, "Scale Up", obj(spec.behavior).scaleUp);
      writeDirection(w, "Scale Down", obj(spec.behavior).scaleDown);
    }
    w.write(0, `${str(ref.kind)} pods:\t`);
    w.write(0, `${num(status.currentReplicas)} current / ${num(status.desiredReplicas)} desired\n`);
    const conditions = arr(status.conditions).map(obj);
    if (conditions.length > 0) {
      w.write(0, "Conditions:\n");
      w.write(1, "Type\tStatus\tReason\tMessage\n");
      w.write(1, "----\t------\t------\t-------\n");
      for (const c of conditions) {
        w.write(1, `${str(c.type)}\t${str(c.status)}\t${str(c.reason)}\t${str(c.message)}\n`);
      }
    }
    describeEvents(events, w, now);
    return w.toString();
  },
};
