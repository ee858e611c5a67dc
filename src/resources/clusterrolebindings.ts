// ClusterRoleBindings as `kubectl get clusterrolebindings -o wide` prints them (printClusterRoleBinding): the same
// cells as role bindings, cluster-scoped.

import { type RoleBindingRow, roleBindingColumns, roleBindingRow } from "./rolebindings.ts";
import type { ResourceDef } from "./types.ts";

export const clusterrolebindings: ResourceDef<RoleBindingRow> = {
  type: "clusterrolebindings",
  kind: "ClusterRoleBinding",
  group: "rbac.authorization.k8s.io",
  version: "v1",
  namespaced: false,
  shortNames: [],
  columns: roleBindingColumns(
    "clusterRoleBinding",
    "roleRef can only reference a ClusterRole in the global namespace. If the RoleRef cannot be resolved, the Authorizer must return an error.",
  ),
  toRow: roleBindingRow,
};
