// ClusterRoles: like roles, the default Table (NAME, CREATED AT), cluster-scoped.

import { createdAtColumn } from "./created-at.ts";
import { type RoleRow, roleRow } from "./roles.ts";
import type { ResourceDef } from "./types.ts";

export const clusterroles: ResourceDef<RoleRow> = {
  type: "clusterroles",
  kind: "ClusterRole",
  group: "rbac.authorization.k8s.io",
  version: "v1",
  namespaced: false,
  shortNames: [],
  columns: [createdAtColumn()],
  toRow: roleRow,
};
