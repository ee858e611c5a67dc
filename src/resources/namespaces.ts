// Namespaces as `kubectl get namespaces` prints them (kube-apiserver's printNamespace).

import type { KubeObject } from "../kube/objects.ts";
import { ageColumn } from "./columns.ts";
import { baseFields, intern, obj, str } from "./fields.ts";
import type { BaseRow, ResourceDef } from "./types.ts";

export interface NamespaceRow extends BaseRow {
  /** status.phase: Active or Terminating ("" if the server sent none). */
  status: string;
}

export function namespaceRow(o: KubeObject): NamespaceRow {
  return { ...baseFields(o), status: intern(str(obj(o.status)?.phase)) };
}

export const namespaces: ResourceDef<NamespaceRow> = {
  type: "namespaces",
  kind: "Namespace",
  group: "",
  version: "v1",
  namespaced: false,
  shortNames: ["ns"],
  columns: [
    {
      name: "STATUS",
      title: "Status",
      priority: 0,
      description: "The status of the namespace",
      cell: (row) => row.status,
    },
    ageColumn(),
  ],
  toRow: namespaceRow,
};
