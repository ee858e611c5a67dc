// kubectl describe for the workloads: deployments, replicasets, statefulsets, daemonsets, jobs, cronjobs.
import type { KubeObject } from "../../kube/objects.ts";
import { humanDuration, parseOptionalTime } from "../format.ts";
import { describeEvents } from "./events.ts";
import { describePodTemplate } from "./podspec.ts";
import type { DescribeInput, Describer } from "./types.ts";
import {
  annotationsMultiline,
  arr,
  controllerOf,
  DescribeWriter,
  formatLabelSelector,
  formatLabels,
  intOrString,
  isObj,
  labelsMultiline,
  num,
  obj,
  rfc1123z,
  selectorString,
  str,
} from "./writer.ts";

type Obj = Record<string, unknown>;

function ns(object: KubeObject): string {
  return encodeURIComponent(object.metadata?.namespace ?? "");
}

/** The LIST of the object's namespace `path` (a collection) picked by its selector. */
function listBySelector(object: KubeObject, collection: string): string {
  const selector = selectorString(obj(object.spec).selector);
  const q = selector === "" ? "" : `?labelSelector=${encodeURIComponent(selector)}`;
  return `${collection.replace("NS", ns(object))}${q}`;
}

/** getPodStatusForController: the phases of the pods the object controls. */
function podStatus(object: KubeObject, related: DescribeInput["related"]): string {
  const pods = related.pods;
  const uid = object.metadata?.uid;
  const counts = { Running: 0, Pending: 0, Succeeded: 0, Failed: 0 };
  for (const p of Array.isArray(pods) ? pods : []) {
    const owner = arr(p.metadata?.ownerReferences)
      .map(obj)
      .find((r) => r.controller === true);
    if (!owner || owner.uid !== uid) continue;
    const phase = str(obj(p.status).phase) as keyof typeof counts;
    if (phase in counts) counts[phase]++;
  }
  return `${counts.Running} Running / ${counts.Pending} Waiting / ${counts.Succeeded} Succeeded / ${counts.Failed} Failed`;
}

const podsRelated = (object: KubeObject) => ({ pods: listBySelector(object, "/api/v1/namespaces/NS/pods") });

function header(w: DescribeWriter, meta: Obj): void {
  w.write(0, `Name:\t${str(meta.name)}\n`);
  w.write(0, `Namespace:\t${str(meta.namespace)}\n`);
}

/** The parts of the object every describer here reads, and the writer it prints into. */
function begin(object: KubeObject): { meta: Obj; spec: Obj; status: Obj; w: DescribeWriter } {
  return { meta: obj(object.metadata), spec: obj(object.spec), status: obj(object.status), w: new DescribeWriter() };
}

/** The events section, last in every description, and the text. */
function end(w: DescribeWriter, events: DescribeInput["events"], now: number): string {
  describeEvents(events, w, now);
  return w.toString();
}

function labelsAndAnnotations(w: DescribeWriter, meta: Obj): void {
  labelsMultiline(w, "Labels", meta.labels);
  annotationsMultiline(w, "Annotations", meta.annotations);
}

function controlledBy(w: DescribeWriter, meta: Obj): void {
  const by = controllerOf(meta);
  if (by !== "") w.write(0, `Controlled By:\t${by}\n`);
}

/** A pod controller's "Pods Status:" line, then its pod template. */
function podsStatusAndTemplate(
  w: DescribeWriter,
  object: KubeObject,
  spec: Obj,
  related: DescribeInput["related"],
): void {
  w.write(0, `Pods Status:\t${podStatus(object, related)}\n`);
  describePodTemplate(spec.template, w);
}

function conditions(w: DescribeWriter, status: Obj): void {
  const list = arr(status.conditions).map(obj);
  if (list.length === 0) return;
  w.write(0, "Conditions:\n  Type\tStatus\tReason\n");
  w.write(1, "----\t------\t------\n");
  for (const c of list) w.write(1, `${str(c.type)} \t${str(c.status)}\t${str(c.reason)}\n`);
}

function rsList(list: readonly KubeObject[]): string {
  const s = list
    .map(
      (rs) =>
        `${rs.metadata?.name ?? ""} (${num(obj(rs.status).replicas)}/${num(obj(rs.spec).replicas)} replicas created)`,
    )
    .join(", ");
  return s === "" ? "<none>" : s;
}

/** The template without the pod-template-hash label, to compare a replicaset's with the deployment's. */
function templateKey(template: unknown): string {
  const t = obj(template);
  const meta = obj(t.metadata);
  const { "pod-template-hash": _, ...labels } = obj(meta.labels);
  return JSON.stringify(sortKeys({ ...t, metadata: { ...meta, labels } }));
}

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (!isObj(v)) return v;
  const out: Obj = {};
  for (const k of Object.keys(v).sort()) out[k] = sortKeys(v[k]);
  return out;
}

export const deploymentDescriber: Describer = {
  related: (d) => ({ replicasets: listBySelector(d, "/apis/apps/v1/namespaces/NS/replicasets") }),
  describe({ object, events, related, now }) {
    const { meta, spec, status, w } = begin(object);
    header(w, meta);
    w.write(0, `CreationTimestamp:\t${rfc1123z(meta.creationTimestamp)}\n`);
    labelsAndAnnotations(w, meta);
    w.write(0, `Selector:\t${selectorString(spec.selector)}\n`);
    w.write(
      0,
      `Replicas:\t${num(spec.replicas)} desired | ${num(status.updatedReplicas)} updated | ${num(status.replicas)} total | ${num(status.availableReplicas)} available | ${num(status.unavailableReplicas)} unavailable\n`,
    );
    const strategy = obj(spec.strategy);
    w.write(0, `StrategyType:\t${str(strategy.type)}\n`);
    w.write(0, `MinReadySeconds:\t${num(spec.minReadySeconds)}\n`);
    if (isObj(strategy.rollingUpdate)) {
      const ru = strategy.rollingUpdate;
      w.write(
        0,
        `RollingUpdateStrategy:\t${intOrString(ru.maxUnavailable)} max unavailable, ${intOrString(ru.maxSurge)} max surge\n`,
      );
    }
    describePodTemplate(spec.template, w);
    conditions(w, status);
    const all = (Array.isArray(related.replicasets) ? related.replicasets : []).filter((rs) =>
      arr(rs.metadata?.ownerReferences).some((r) => obj(r).controller === true && obj(r).uid === meta.uid),
    );
    if (all.length > 0) {
      // The new replicaset: the oldest whose template is the deployment's (the pod-template-hash label aside).
      const key = templateKey(spec.template);
      const byAge = [...all].sort(
        (a, b) =>
          parseOptionalTime(a.metadata?.creationTimestamp) - parseOptionalTime(b.metadata?.creationTimestamp) ||
          (a.metadata?.name ?? "").localeCompare(b.metadata?.name ?? ""),
      );
      const newRs = byAge.find((rs) => templateKey(obj(rs.spec).template) === key);
      const old = all.filter((rs) => rs !== newRs);
      w.write(0, `OldReplicaSets:\t${rsList(old)}\n`);
      w.write(0, `NewReplicaSet:\t${rsList(newRs ? [newRs] : [])}\n`);
    }
    return end(w, events, now);
  },
};

export const replicaSetDescriber: Describer = {
  related: podsRelated,
  describe({ object, events, related, now }) {
    const { meta, spec, status, w } = begin(object);
    header(w, meta);
    w.write(0, `Selector:\t${formatLabelSelector(spec.selector)}\n`);
    labelsAndAnnotations(w, meta);
    controlledBy(w, meta);
    w.write(0, `Replicas:\t${num(status.replicas)} current / ${num(spec.replicas)} desired\n`);
    podsStatusAndTemplate(w, object, spec, related);
    conditions(w, status);
    return end(w, events, now);
  },
};

export const statefulSetDescriber: Describer = {
  related: podsRelated,
  describe({ object, events, related, now }) {
    const { meta, spec, status, w } = begin(object);
    header(w, meta);
    w.write(0, `CreationTimestamp:\t${rfc1123z(meta.creationTimestamp)}\n`);
    w.write(0, `Selector:\t${selectorString(spec.selector)}\n`);
    labelsAndAnnotations(w, meta);
    w.write(0, `Replicas:\t${num(spec.replicas)} desired | ${num(status.replicas)} total\n`);
    const strategy = obj(spec.updateStrategy);
    w.write(0, `Update Strategy:\t${str(strategy.type)}\n`);
    if (isObj(strategy.rollingUpdate) && typeof strategy.rollingUpdate.partition === "number") {
      w.write(1, `Partition:\t${strategy.rollingUpdate.partition}\n`);
      if (strategy.rollingUpdate.maxUnavailable !== undefined) {
        w.write(1, `MaxUnavailable:\t${intOrString(strategy.rollingUpdate.maxUnavailable)}\n`);
      }
    }
    podsStatusAndTemplate(w, object, spec, related);
    const claims = arr(spec.volumeClaimTemplates).map(obj);
    if (claims.length === 0) {
      w.write(0, "Volume Claims:\t<none>\n");
    } else {
      w.write(0, "Volume Claims:\n");
      for (const pvc of claims) {
        const m = obj(pvc.metadata);
        const s = obj(pvc.spec);
        w.write(1, `Name:\t${str(m.name)}\n`);
        const cls = str(obj(m.annotations)["volume.beta.kubernetes.io/storage-class"]) || str(s.storageClassName);
        w.write(1, `StorageClass:\t${cls}\n`);
        labelsMultiline(w, "Labels", m.labels, "  ");
        labelsMultiline(w, "Annotations", m.annotations, "  ");
        const storage = obj(obj(s.resources).requests).storage;
        w.write(1, `Capacity:\t${storage === undefined ? "<default>" : str(storage)}\n`);
        w.write(1, `Access Modes:\t[${arr(s.accessModes).map(str).join(" ")}]\n`);
      }
    }
    return end(w, events, now);
  },
};

export const daemonSetDescriber: Describer = {
  related: podsRelated,
  describe({ object, events, related, now }) {
    const { meta, spec, status, w } = begin(object);
    w.write(0, `Name:\t${str(meta.name)}\n`);
    w.write(0, `Selector:\t${selectorString(spec.selector)}\n`);
    w.write(0, `Node-Selector:\t${formatLabels(obj(obj(spec.template).spec).nodeSelector)}\n`);
    labelsAndAnnotations(w, meta);
    w.write(0, `Desired Number of Nodes Scheduled: ${num(status.desiredNumberScheduled)}\n`);
    w.write(0, `Current Number of Nodes Scheduled: ${num(status.currentNumberScheduled)}\n`);
    w.write(0, `Number of Nodes Scheduled with Up-to-date Pods: ${num(status.updatedNumberScheduled)}\n`);
    w.write(0, `Number of Nodes Scheduled with Available Pods: ${num(status.numberAvailable)}\n`);
    w.write(0, `Number of Nodes Misscheduled: ${num(status.numberMisscheduled)}\n`);
    podsStatusAndTemplate(w, object, spec, related);
    return end(w, events, now);
  },
};

function capIndexes(indexes: string, soft: number): string {
  if (indexes === "") return "<none>";
  let ix = soft;
  for (; ix < indexes.length; ix++) if (indexes[ix] === ",") break;
  return ix >= indexes.length ? indexes : `${indexes.slice(0, ix + 1)}...`;
}

export const jobDescriber: Describer = {
  describe({ object, events, now }) {
    const { meta, spec, status, w } = begin(object);
    header(w, meta);
    w.write(0, `Selector:\t${selectorString(spec.selector)}\n`);
    labelsAndAnnotations(w, meta);
    controlledBy(w, meta);
    if (typeof spec.parallelism === "number") w.write(0, `Parallelism:\t${spec.parallelism}\n`);
    w.write(0, `Completions:\t${typeof spec.completions === "number" ? spec.completions : "<unset>"}\n`);
    if (spec.completionMode !== undefined) w.write(0, `Completion Mode:\t${str(spec.completionMode)}\n`);
    if (typeof spec.suspend === "boolean") w.write(0, `Suspend:\t${spec.suspend}\n`);
    if (typeof spec.backoffLimit === "number") w.write(0, `Backoff Limit:\t${spec.backoffLimit}\n`);
    if (typeof spec.ttlSecondsAfterFinished === "number") {
      w.write(0, `TTL Seconds After Finished:\t${spec.ttlSecondsAfterFinished}\n`);
    }
    if (status.startTime) w.write(0, `Start Time:\t${rfc1123z(status.startTime)}\n`);
    if (status.completionTime) w.write(0, `Completed At:\t${rfc1123z(status.completionTime)}\n`);
    if (status.startTime && status.completionTime) {
      const d = parseOptionalTime(status.completionTime) - parseOptionalTime(status.startTime);
      w.write(0, `Duration:\t${humanDuration(d)}\n`);
    }
    if (typeof spec.activeDeadlineSeconds === "number") {
      w.write(0, `Active Deadline Seconds:\t${spec.activeDeadlineSeconds}s\n`);
    }
    if (typeof status.ready !== "number") {
      w.write(
        0,
        `Pods Statuses:\t${num(status.active)} Active / ${num(status.succeeded)} Succeeded / ${num(status.failed)} Failed\n`,
      );
    } else {
      w.write(
        0,
        `Pods Statuses:\t${num(status.active)} Active (${status.ready} Ready) / ${num(status.succeeded)} Succeeded / ${num(status.failed)} Failed\n`,
      );
    }
    if (spec.completionMode === "Indexed") {
      w.write(0, `Completed Indexes:\t${capIndexes(str(status.completedIndexes), 50)}\n`);
    }
    describePodTemplate(spec.template, w);
    return end(w, events, now);
  },
};

const orUnset = (v: unknown, suffix = ""): string => (typeof v === "number" ? `${v}${suffix}` : "<unset>");

export const cronJobDescriber: Describer = {
  describe({ object, events, now }) {
    const { meta, spec, status, w } = begin(object);
    header(w, meta);
    labelsAndAnnotations(w, meta);
    w.write(0, `Schedule:\t${str(spec.schedule)}\n`);
    w.write(0, `Concurrency Policy:\t${str(spec.concurrencyPolicy)}\n`);
    w.write(0, `Suspend:\t${typeof spec.suspend === "boolean" ? (spec.suspend ? "True" : "False") : "<unset>"}\n`);
    w.write(0, `Successful Job History Limit:\t${orUnset(spec.successfulJobsHistoryLimit)}\n`);
    w.write(0, `Failed Job History Limit:\t${orUnset(spec.failedJobsHistoryLimit)}\n`);
    w.write(0, `Starting Deadline Seconds:\t${orUnset(spec.startingDeadlineSeconds, "s")}\n`);
    const jobSpec = obj(obj(spec.jobTemplate).spec);
    w.write(0, `Selector:\t${isObj(jobSpec.selector) ? selectorString(jobSpec.selector) : "<unset>"}\n`);
    w.write(0, `Parallelism:\t${orUnset(jobSpec.parallelism)}\n`);
    w.write(0, `Completions:\t${orUnset(jobSpec.completions)}\n`);
    if (typeof jobSpec.activeDeadlineSeconds === "number") {
      w.write(0, `Active Deadline Seconds:\t${jobSpec.activeDeadlineSeconds}s\n`);
    }
    describePodTemplate(jobSpec.template, w);
    w.write(0, `Last Schedule Time:\t${status.lastScheduleTime ? rfc1123z(status.lastScheduleTime) : "<unset>"}\n`);
    const active = arr(status.active).map(obj);
    w.write(0, `Active Jobs:\t${active.length === 0 ? "<none>" : active.map((j) => str(j.name)).join(", ")}\n`);
    return end(w, events, now);
  },
};
