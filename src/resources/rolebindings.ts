// RoleBindings as `kubectl get rolebindings -o wide` prints them (printRoleBinding): ROLE as Kind/name, and in wide
// output the subjects split into USERS, GROUPS and SERVICEACCOUNTS (namespace/name), each ", "-joined.

import type { KubeObject } from "../kube/objects.ts";
import { ageColumn } from "./columns.ts";
import { arr, baseFields, obj, str } from "./fields.ts";
import { type OwnerFields, ownerFields } from "./owners.ts";
import type { BaseRow, Column, ResourceDef } from "./types.ts";

/** A role binding or cluster role binding as the cache keeps it. */
export interface RoleBindingRow extends BaseRow, OwnerFields {
  /** "Role/name" or "ClusterRole/name". */
  role: string;
  users: string;
  groups: string;
  serviceAccounts: string;
}

export function roleBindingRow(o: KubeObject): RoleBindingRow {
  const roleRef = obj(o.roleRef);
  // rbac.SubjectsStrings; subjects of any other kind are not printed.
  const users: string[] = [];
  const groups: string[] = [];
  const serviceAccounts: string[] = [];
  for (const item of arr(o.subjects)) {
    const subject = obj(item);
    if (!subject) continue;
    const name = str(subject.name);
    if (subject.kind === "ServiceAccount") serviceAccounts.push(`${str(subject.namespace)}/${name}`);
    else if (subject.kind === "User") users.push(name);
    else if (subject.kind === "Group") groups.push(name);
  }
  return {
    ...baseFields(o),
    ...ownerFields(o),
    role: `${str(roleRef?.kind)}/${str(roleRef?.name)}`,
    users: users.join(", "),
    groups: groups.join(", "),
    serviceAccounts: serviceAccounts.join(", "),
  };
}

/** ROLE, AGE, then the wide subject columns; `of` names the binding kind in the descriptions. */
export function roleBindingColumns(
  of: "roleBinding" | "clusterRoleBinding",
  roleRefDoc: string,
): Column<RoleBindingRow>[] {
  return [
    { name: "ROLE", title: "Role", priority: 0, description: roleRefDoc, cell: (row) => row.role },
    ageColumn(),
    { name: "USERS", title: "Users", priority: 1, description: `Users in the ${of}`, cell: (row) => row.users },
    { name: "GROUPS", title: "Groups", priority: 1, description: `Groups in the ${of}`, cell: (row) => row.groups },
    {
      name: "SERVICEACCOUNTS",
      title: "ServiceAccounts",
      priority: 1,
      description: `ServiceAccounts in the ${of}`,
      cell: (row) => row.serviceAccounts,
    },
  ];
}

export const rolebindings: ResourceDef<RoleBindingRow> = {
  type: "rolebindings",
  kind: "RoleBinding",
  group: "rbac.authorization.k8s.io",
  version: "v1",
  namespaced: true,
  shortNames: [],
  columns: roleBindingColumns(
    "roleBinding",
    "roleRef can reference a Role in the current namespace or a ClusterRole in the global namespace. If the RoleRef cannot be resolved, the Authorizer must return an error.",
  ),
  toRow: roleBindingRow,
};
