// NetworkPolicies as `kubectl get networkpolicies` prints them (printNetworkPolicy).

import type { KubeObject } from "../kube/objects.ts";
import { ageColumn } from "./columns.ts";
import { baseFields, formatLabelSelector, obj } from "./fields.ts";
import { type OwnerFields, ownerFields } from "./owners.ts";
import type { BaseRow, ResourceDef } from "./types.ts";

/** A network policy as the cache keeps it. */
export interface NetworkPolicyRow extends BaseRow, OwnerFields {
  /** spec.podSelector as a label query; "<none>" for the empty selector (all pods of the namespace). */
  podSelector: string;
}

export function networkPolicyRow(o: KubeObject): NetworkPolicyRow {
  // The printer formats &spec.podSelector: never nil, so a missing selector prints like an empty one.
  const selector = obj(obj(o.spec)?.podSelector) ?? {};
  return { ...baseFields(o), ...ownerFields(o), podSelector: formatLabelSelector(selector) };
}

export const networkpolicies: ResourceDef<NetworkPolicyRow> = {
  type: "networkpolicies",
  kind: "NetworkPolicy",
  group: "networking.k8s.io",
  version: "v1",
  namespaced: true,
  shortNames: ["netpol"],
  columns: [
    {
      name: "POD-SELECTOR",
      title: "Pod-Selector",
      priority: 0,
      description:
        "podSelector selects the pods to which this NetworkPolicy object applies. The array of rules is applied to any pods selected by this field. An empty selector matches all pods in the policy's namespace. Multiple network policies can select the same set of pods. In this case, the ingress rules for each are combined additively. This field is optional. If it is not specified, it defaults to an empty selector.",
      cell: (row) => row.podSelector,
    },
    ageColumn(),
  ],
  toRow: networkPolicyRow,
};
