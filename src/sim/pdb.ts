// PodDisruptionBudgets: the demo's objects and the disruption controller's arithmetic (expected, healthy and desired
// healthy pods, disruptions allowed), which the eviction subresource checks before it deletes a pod.
import type { KubeObject } from "../kube/objects.ts";
import { isReady, rfc3339 } from "./generate.ts";

type Json = Record<string, unknown>;

/** What a PDB's status says about its pods. */
export interface Budget {
  expectedPods: number;
  currentHealthy: number;
  desiredHealthy: number;
  disruptionsAllowed: number;
}

/** Whether `labels` match a LabelSelector (matchLabels and the In/NotIn/Exists/DoesNotExist expressions). */
export function selectorMatches(selector: unknown, labels: Record<string, string>): boolean {
  const s = (selector ?? {}) as {
    matchLabels?: Record<string, string>;
    matchExpressions?: { key: string; operator: string; values?: string[] }[];
  };
  for (const [k, v] of Object.entries(s.matchLabels ?? {})) if (labels[k] !== v) return false;
  for (const e of s.matchExpressions ?? []) {
    const has = e.key in labels;
    const inValues = has && (e.values ?? []).includes(labels[e.key]!);
    if (e.operator === "In" && !inValues) return false;
    if (e.operator === "NotIn" && inValues) return false;
    if (e.operator === "Exists" && !has) return false;
    if (e.operator === "DoesNotExist" && has) return false;
  }
  return true;
}

/** An IntOrString of a budget: a count, or a percentage of `of` rounded up (as intstr.GetScaledValueFromIntOrPercent
 * rounds for minAvailable and maxUnavailable in the disruption controller). */
function scaled(v: unknown, of: number): number {
  if (typeof v === "string" && v.endsWith("%")) return Math.ceil((Number(v.slice(0, -1)) * of) / 100);
  return Number(v ?? 0);
}

/** Whether a budget counts its expected pods from their controllers' scale (maxUnavailable, or minAvailable as a
 * percentage) rather than from the pods there are (minAvailable as a count), as the disruption controller does. */
export function usesScale(pdb: KubeObject): boolean {
  const spec = (pdb.spec ?? {}) as { minAvailable?: unknown; maxUnavailable?: unknown };
  return spec.maxUnavailable !== undefined || typeof spec.minAvailable === "string";
}

/** The budget of `pdb` over `pods` (the pods its selector matches; those being deleted are not healthy), expecting
 * `scale` pods when its controllers' scale counts (usesScale), else as many as there are. */
export function budget(pdb: KubeObject, pods: readonly KubeObject[], scale?: number): Budget {
  const spec = (pdb.spec ?? {}) as { minAvailable?: unknown; maxUnavailable?: unknown };
  const going = (p: KubeObject) => p.metadata?.deletionTimestamp !== undefined;
  const expectedPods = usesScale(pdb) && scale !== undefined ? scale : pods.filter((p) => !going(p)).length;
  const currentHealthy = pods.filter((p) => !going(p) && isReady(p)).length;
  const desiredHealthy =
    spec.maxUnavailable !== undefined
      ? Math.max(0, expectedPods - scaled(spec.maxUnavailable, expectedPods))
      : scaled(spec.minAvailable ?? 1, expectedPods);
  return {
    expectedPods,
    currentHealthy,
    desiredHealthy,
    disruptionsAllowed: Math.max(0, currentHealthy - desiredHealthy),
  };
}

/** The status the disruption controller writes for a budget. */
export function budgetStatus(b: Budget, generation: number, at: number, disruptedPods: Json = {}): Json {
  const ok = b.disruptionsAllowed > 0;
  return {
    observedGeneration: generation,
    ...(Object.keys(disruptedPods).length ? { disruptedPods } : {}),
    disruptionsAllowed: b.disruptionsAllowed,
    currentHealthy: b.currentHealthy,
    desiredHealthy: b.desiredHealthy,
    expectedPods: b.expectedPods,
    conditions: [
      {
        type: "DisruptionAllowed",
        status: ok ? "True" : "False",
        observedGeneration: generation,
        lastTransitionTime: rfc3339(at),
        reason: ok ? "SufficientPods" : "InsufficientPods",
        message: "",
      },
    ],
  };
}

/** A demo PDB over a workload's pods (selected by its app label). */
export function pdbObject(
  namespace: string,
  name: string,
  uid: string,
  selector: Record<string, string>,
  limit: { minAvailable: number | string } | { maxUnavailable: number | string },
  b: Budget,
  createdAt: number,
): KubeObject {
  return {
    apiVersion: "policy/v1",
    kind: "PodDisruptionBudget",
    metadata: {
      name,
      namespace,
      uid,
      resourceVersion: "0",
      generation: 1,
      creationTimestamp: rfc3339(createdAt),
      labels: { "app.kubernetes.io/name": selector["app.kubernetes.io/name"] ?? name },
    } as KubeObject["metadata"],
    spec: { ...limit, selector: { matchLabels: selector } },
    status: budgetStatus(b, 1, createdAt),
  };
}
