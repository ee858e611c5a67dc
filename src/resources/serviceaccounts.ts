// ServiceAccounts as `kubectl get serviceaccounts` prints them (printServiceAccount): NAME and AGE only. Servers
// before v1.33 also printed SECRETS; the project's reference server (v1.37) no longer does.

import type { KubeObject } from "../kube/objects.ts";
import { ageColumn } from "./columns.ts";
import { baseFields } from "./fields.ts";
import { type OwnerFields, ownerFields } from "./owners.ts";
import type { BaseRow, ResourceDef } from "./types.ts";

/** A service account as the cache keeps it. */
export interface ServiceAccountRow extends BaseRow, OwnerFields {}

export function serviceAccountRow(o: KubeObject): ServiceAccountRow {
  return { ...baseFields(o), ...ownerFields(o) };
}

export const serviceaccounts: ResourceDef<ServiceAccountRow> = {
  type: "serviceaccounts",
  kind: "ServiceAccount",
  group: "",
  version: "v1",
  namespaced: true,
  shortNames: ["sa"],
  columns: [ageColumn()],
  toRow: serviceAccountRow,
};
