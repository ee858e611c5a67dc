// `kubectl describe namespace`, from kubectl's describeNamespace: status, conditions, the namespace's resource
// quotas (used against hard, by resource) and its limit ranges merged into one table. kubectl shows no events here.
// A limit's resources are listed sorted by name (kubectl 1.32 walks a Go map, in no set order).
import type { KubeObject } from "../../kube/objects.ts";
import { quantityText } from "../quantity.ts";
import { meta } from "./kit.ts";
import type { Describer } from "./types.ts";
import { annotationsMultiline, arr, byteOrder, DescribeWriter, labelsMultiline, obj, rfc1123z, str } from "./writer.ts";

const SCOPE_HELP: Record<string, string> = {
  Terminating:
    "Matches all pods that have an active deadline. These pods have a limited lifespan on a node before being actively terminated by the system.",
  NotTerminating:
    "Matches all pods that do not have an active deadline. These pods usually include long running pods whose container command is not expected to terminate.",
  BestEffort:
    "Matches all pods that do not have resource requirements set. These pods have a best effort quality of service.",
  NotBestEffort:
    "Matches all pods that have at least one resource requirement set. These pods have a burstable or guaranteed quality of service.",
};

function describeQuotas(w: DescribeWriter, quotas: readonly KubeObject[]): void {
  if (quotas.length === 0) {
    w.write(0, "No resource quota.\n");
    return;
  }
  const sorted = [...quotas].sort((a, b) => byteOrder(str(a.metadata?.name), str(b.metadata?.name)));
  w.write(0, "Resource Quotas\n");
  for (const q of sorted) {
    w.write(1, `Name:\t${str(q.metadata?.name)}\n`);
    const scopes = arr(obj(q.spec).scopes).map(str).sort(byteOrder);
    if (scopes.length > 0) {
      w.write(1, `Scopes:\t${scopes.join(", ")}\n`);
      for (const scope of scopes) {
        const help = SCOPE_HELP[scope];
        if (help !== undefined) w.write(1, `* ${help}\n`);
      }
    }
    w.write(1, "Resource\tUsed\tHard\n");
    w.write(1, "--------\t---\t---\n");
    const hard = obj(obj(q.status).hard);
    const used = obj(obj(q.status).used);
    for (const resource of Object.keys(hard).sort(byteOrder)) {
      w.write(1, `${resource}\t${quantityText(used[resource])}\t${quantityText(hard[resource])}\n`);
    }
  }
}

function describeLimitRanges(w: DescribeWriter, ranges: readonly KubeObject[]): void {
  if (ranges.length === 0) {
    w.write(0, "No LimitRange resource.\n");
    return;
  }
  w.write(0, "Resource Limits\n Type\tResource\tMin\tMax\tDefault Request\tDefault Limit\tMax Limit/Request Ratio\n");
  w.write(0, " ----\t--------\t---\t---\t---------------\t-------------\t-----------------------\n");
  for (const range of ranges) {
    for (const l of arr(obj(range.spec).limits)) {
      const item = obj(l);
      const lists = [item.min, item.max, item.defaultRequest, item.default, item.maxLimitRequestRatio].map(obj);
      const names = new Set<string>();
      for (const list of lists) for (const k of Object.keys(list)) names.add(k);
      for (const name of [...names].sort(byteOrder)) {
        const cells = lists.map((list) => (name in list ? quantityText(list[name]) : "-"));
        w.write(0, ` ${str(item.type)}\t${name}\t${cells.join("\t")}\n`);
      }
    }
  }
}

export const namespaceDescriber: Describer = {
  related(object) {
    const ns = encodeURIComponent(meta(object).name);
    return {
      resourceQuotas: `/api/v1/namespaces/${ns}/resourcequotas`,
      limitRanges: `/api/v1/namespaces/${ns}/limitranges`,
    };
  },

  describe({ object, related }) {
    const m = meta(object);
    const status = obj(object.status);
    const w = new DescribeWriter();
    w.write(0, `Name:\t${m.name}\n`);
    labelsMultiline(w, "Labels", m.labels);
    annotationsMultiline(w, "Annotations", m.annotations);
    w.write(0, `Status:\t${str(status.phase)}\n`);
    const conditions = arr(status.conditions).map(obj);
    if (conditions.length > 0) {
      w.write(0, "Conditions:\n");
      w.write(1, "Type\tStatus\tLastTransitionTime\tReason\tMessage\n");
      w.write(1, "----\t------\t------------------\t------\t-------\n");
      for (const c of conditions) {
        w.write(
          1,
          `${str(c.type)}\t${str(c.status)}\t${rfc1123z(c.lastTransitionTime)}\t${str(c.reason)}\t${str(c.message)}\n`,
        );
      }
    }
    const quotas = related.resourceQuotas;
    if (Array.isArray(quotas)) {
      w.write(0, "\n");
      describeQuotas(w, quotas as KubeObject[]);
    }
    const ranges = related.limitRanges;
    if (Array.isArray(ranges)) {
      w.write(0, "\n");
      describeLimitRanges(w, ranges as KubeObject[]);
    }
    return w.toString();
  },
};
