// The controller owner of an object (the ownerReference with controller: true), which drill-down follows through the
// owner index: a job to the cronjob that made it, an endpointslice to its service, a pod to its replicaset.
import type { KubeObject } from "../kube/objects.ts";
import { intern, str } from "./fields.ts";

/** Row fields naming the controller owner; both "" when the object has none. */
export interface OwnerFields {
  ownerKind: string;
  ownerName: string;
}

/** The ownerReference with controller: true, if any (there is at most one). */
export function controllerOf(o: KubeObject): { kind?: string; name?: string } | undefined {
  const refs = o.metadata?.ownerReferences;
  if (!Array.isArray(refs)) return undefined;
  for (const ref of refs) if (ref?.controller === true) return ref;
  return undefined;
}

/** ownerKind and ownerName of the controller owner, interned (many objects share an owner kind). */
export function ownerFields(o: KubeObject): OwnerFields {
  const owner = controllerOf(o);
  if (owner === undefined) return { ownerKind: "", ownerName: "" };
  return { ownerKind: intern(str(owner.kind)), ownerName: intern(str(owner.name)) };
}
