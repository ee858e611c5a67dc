// Roles: kube-apiserver has no printer for them and serves the default Table, NAME and CREATED AT.

import type { KubeObject } from "../kube/objects.ts";
import { createdAtColumn } from "./created-at.ts";
import { baseFields } from "./fields.ts";
import { type OwnerFields, ownerFields } from "./owners.ts";
import type { BaseRow, ResourceDef } from "./types.ts";

/** A role or cluster role as the cache keeps it: nothing beyond the name and creation time is printed. */
export interface RoleRow extends BaseRow, OwnerFields {}

export function roleRow(o: KubeObject): RoleRow {
  return { ...baseFields(o), ...ownerFields(o) };
}

export const roles: ResourceDef<RoleRow> = {
  type: "roles",
  kind: "Role",
  group: "rbac.authorization.k8s.io",
  version: "v1",
  namespaced: true,
  shortNames: [],
  columns: [createdAtColumn()],
  toRow: roleRow,
};
