// The write actions, as data: which a kind supports (capabilities, from discovery's verbs and subresources), and the
// requests they send — the same ones kubectl sends for `delete`, `scale`, `rollout restart`, `cordon`, `create job
// --from=cronjob/…`, so that the server (and its admission, RBAC and audit) sees what it would see from kubectl.
import type { ApiKind } from "../kube/kinds.ts";
import type { WriteRequest } from "../kube/write.ts";
import type { AccessCheck } from "../repository/access.ts";
import type { BaseRow } from "../resources/types.ts";
import { objectPath } from "./views/live-object.ts";

/** How a delete treats the object's dependents (DeleteOptions.propagationPolicy); "default" leaves it to the server. */
export type Propagation = "background" | "foreground" | "orphan" | "default";

/** What a delete dialog asks. */
export interface DeleteChoice {
  propagation: Propagation;
  /** Seconds; undefined for the object's own default. */
  gracePeriodSeconds?: number | undefined;
  /** Remove at once without waiting for the kubelet (grace period 0), as `kubectl delete --force`. */
  force: boolean;
}

/** What a kind supports, in the words of the keys that do it. */
export interface Capabilities {
  delete: boolean;
  edit: boolean;
  scale: boolean;
  restart: boolean;
  /** Pods: delete at once (Ctrl-K). */
  kill: boolean;
  /** Nodes: cordon, uncordon, drain. */
  cordon: boolean;
  /** CronJobs: trigger now, suspend, resume. */
  trigger: boolean;
}

const RESTARTABLE = new Set(["deployments.apps", "statefulsets.apps", "daemonsets.apps"]);

/** What `kind` supports, from its verbs and subresources (discovery's, or the built-in kinds' stock ones). */
export function capabilitiesOf(kind: ApiKind): Capabilities {
  const verbs = new Set(kind.verbs);
  const patch = verbs.has("patch");
  return {
    delete: verbs.has("delete"),
    edit: verbs.has("get") && verbs.has("update"),
    scale: (kind.subresources ?? []).includes("scale"),
    restart: RESTARTABLE.has(kind.key) && patch,
    kill: kind.key === "pods" && verbs.has("delete"),
    cordon: kind.key === "nodes" && patch,
    trigger: kind.key === "cronjobs.batch" && patch,
  };
}

/** The RBAC question behind an action on `row` (a verb on the kind or one of its subresources). */
export function accessCheck(kind: ApiKind, verb: string, row: BaseRow | undefined, subresource?: string): AccessCheck {
  return {
    verb,
    resource: kind.resource,
    group: kind.group,
    ...(subresource && { subresource }),
    ...(kind.namespaced && row?.namespace && { namespace: row.namespace }),
  };
}

/** The kind's name for messages: "pods", "deployments.apps". */
function resourceOf(kind: ApiKind): Pick<WriteRequest, "resource" | "group"> {
  return { resource: kind.resource, group: kind.group || undefined };
}

/** The path of `row`'s object (or of one of its subresources). */
export function rowPath(kind: ApiKind, row: BaseRow, subresource?: string): string {
  const path = objectPath(kind, { namespace: row.namespace, name: row.name });
  return subresource ? `${path}/${subresource}` : path;
}

const POLICIES: Record<Exclude<Propagation, "default">, string> = {
  background: "Background",
  foreground: "Foreground",
  orphan: "Orphan",
};

/** DELETE of `row` with the dialog's choices (kubectl's rules: --force means grace period 0). */
export function deleteRequest(kind: ApiKind, row: BaseRow, choice: DeleteChoice): WriteRequest {
  const grace = choice.force ? 0 : choice.gracePeriodSeconds;
  const body: Record<string, unknown> = { kind: "DeleteOptions", apiVersion: "v1" };
  if (choice.propagation !== "default") body.propagationPolicy = POLICIES[choice.propagation];
  if (grace !== undefined) body.gracePeriodSeconds = grace;
  return {
    method: "DELETE",
    path: rowPath(kind, row),
    body,
    verb: "delete",
    ...resourceOf(kind),
    namespace: row.namespace || undefined,
    name: row.name,
  };
}

/** Kill: a pod deleted with grace period 0, at once. */
export function killRequest(kind: ApiKind, row: BaseRow): WriteRequest {
  return deleteRequest(kind, row, { propagation: "default", force: true });
}

/** `kubectl scale --replicas=N`: a merge patch of the scale subresource. */
export function scaleRequest(kind: ApiKind, row: BaseRow, replicas: number): WriteRequest {
  return {
    method: "PATCH",
    patch: "merge",
    path: rowPath(kind, row, "scale"),
    body: { spec: { replicas } },
    verb: "patch",
    ...resourceOf(kind),
    namespace: row.namespace || undefined,
    name: row.name,
  };
}

/** `kubectl rollout restart`: the restartedAt annotation in the pod template, which rolls every pod. */
export function restartRequest(kind: ApiKind, row: BaseRow, now: number): WriteRequest {
  // Go's time.RFC3339, as kubectl writes it: seconds, no fraction.
  const at = new Date(now).toISOString().replace(/\.\d{3}Z$/, "Z");
  return {
    method: "PATCH",
    patch: "strategic",
    path: rowPath(kind, row),
    body: { spec: { template: { metadata: { annotations: { "kubectl.kubernetes.io/restartedAt": at } } } } },
    verb: "patch",
    ...resourceOf(kind),
    namespace: row.namespace || undefined,
    name: row.name,
  };
}

/** `kubectl cordon` / `uncordon`: spec.unschedulable set, or removed (false is its default and is omitted). */
export function cordonRequest(kind: ApiKind, row: BaseRow, cordon: boolean): WriteRequest {
  return {
    method: "PATCH",
    patch: "merge",
    path: rowPath(kind, row),
    body: { spec: { unschedulable: cordon ? true : null } },
    verb: "patch",
    ...resourceOf(kind),
    name: row.name,
  };
}

/** Suspend or resume a CronJob (spec.suspend). */
export function suspendRequest(kind: ApiKind, row: BaseRow, suspend: boolean): WriteRequest {
  return {
    method: "PATCH",
    patch: "merge",
    path: rowPath(kind, row),
    body: { spec: { suspend } },
    verb: "patch",
    ...resourceOf(kind),
    namespace: row.namespace || undefined,
    name: row.name,
  };
}

/** The policy/v1 Eviction of a pod (drain): the server refuses it with 429 while a PodDisruptionBudget forbids it. */
export function evictionRequest(pod: Pick<BaseRow, "namespace" | "name">): WriteRequest {
  const ns = encodeURIComponent(pod.namespace);
  return {
    method: "POST",
    path: `/api/v1/namespaces/${ns}/pods/${encodeURIComponent(pod.name)}/eviction`,
    body: {
      apiVersion: "policy/v1",
      kind: "Eviction",
      metadata: { name: pod.name, namespace: pod.namespace },
    },
    verb: "create",
    resource: "pods/eviction",
    namespace: pod.namespace,
    name: pod.name,
  };
}

/** A CronJob as GET returns it: what `create job --from` copies. */
interface CronJobObject {
  apiVersion?: string;
  metadata?: { name?: string; namespace?: string; uid?: string };
  spec?: {
    jobTemplate?: {
      metadata?: { labels?: Record<string, string>; annotations?: Record<string, string> };
      spec?: unknown;
    };
  };
}

/**
 * `kubectl create job NAME --from=cronjob/CJ`: the job template's spec, labels and annotations, the
 * `cronjob.kubernetes.io/instantiate: manual` annotation, and the CronJob as controller owner. `suffix` makes the
 * name unique (k9s names it CJ-manual-xxx).
 */
export function triggerRequest(cronJob: unknown, suffix: string): WriteRequest {
  const cj = cronJob as CronJobObject;
  const name = cj.metadata?.name ?? "";
  const namespace = cj.metadata?.namespace ?? "";
  const template = cj.spec?.jobTemplate ?? {};
  // Job names are at most 63 characters (they become a label value on the pods).
  const jobName = `${name.slice(0, 63 - suffix.length - 8)}-manual-${suffix}`;
  return {
    method: "POST",
    path: `/apis/batch/v1/namespaces/${encodeURIComponent(namespace)}/jobs`,
    body: {
      apiVersion: "batch/v1",
      kind: "Job",
      metadata: {
        name: jobName,
        namespace,
        labels: template.metadata?.labels ?? {},
        annotations: { ...template.metadata?.annotations, "cronjob.kubernetes.io/instantiate": "manual" },
        ownerReferences: [
          {
            apiVersion: cj.apiVersion ?? "batch/v1",
            kind: "CronJob",
            name,
            uid: cj.metadata?.uid ?? "",
            controller: true,
          },
        ],
      },
      spec: template.spec ?? {},
    },
    verb: "create",
    resource: "jobs",
    group: "batch",
    namespace,
    name: jobName,
  };
}

/** "deploy/api", "3 pods": what an action is done to, for confirmations and messages. */
export function describeTargets(short: string, rows: readonly BaseRow[], plural: string): string {
  if (rows.length === 1) {
    const row = rows[0] as BaseRow;
    return row.namespace ? `${short}/${row.name} in ${row.namespace}` : `${short}/${row.name}`;
  }
  return `${rows.length} ${plural}`;
}
