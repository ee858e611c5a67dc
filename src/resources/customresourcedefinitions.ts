// CustomResourceDefinitions as `kubectl get crds -o wide` prints them. Up to v1.32 the apiextensions server sent the
// default Table (NAME, CREATED AT); the project's reference server (v1.37) has a converter of its own that adds
// SCOPE and VERSIONS, and GROUP, KIND, SHORTNAMES, ESTABLISHED when wide. These are the v1.37 columns.

import type { KubeObject } from "../kube/objects.ts";
import { createdAtColumn } from "./created-at.ts";
import { arr, baseFields, compareBytes, intern, obj, str } from "./fields.ts";
import { type OwnerFields, ownerFields } from "./owners.ts";
import type { BaseRow, ResourceDef } from "./types.ts";

/** A CRD as the cache keeps it. */
export interface CustomResourceDefinitionRow extends BaseRow, OwnerFields {
  /** Cluster or Namespaced. */
  scope: string;
  /** Served versions, sorted, the storage one marked: "v1(storage),v1beta1". */
  versions: string;
  group: string;
  crdKind: string;
  shortNames: string;
  /** "true" once the Established condition is True. */
  established: string;
}

export function customResourceDefinitionRow(o: KubeObject): CustomResourceDefinitionRow {
  const spec = obj(o.spec);
  const names = obj(spec?.names);
  const versions: string[] = [];
  for (const item of arr(spec?.versions)) {
    const v = obj(item);
    if (v?.served !== true) continue;
    versions.push(v.storage === true ? `${str(v.name)}(storage)` : str(v.name));
  }
  versions.sort(compareBytes);
  let established = false;
  for (const item of arr(obj(o.status)?.conditions)) {
    const c = obj(item);
    if (c?.type === "Established" && c.status === "True") established = true;
  }
  return {
    ...baseFields(o),
    ...ownerFields(o),
    scope: intern(str(spec?.scope)),
    versions: versions.join(","),
    group: intern(str(spec?.group)),
    crdKind: str(names?.kind),
    shortNames: arr(names?.shortNames).map(str).join(","),
    established: established ? "true" : "false",
  };
}

export const customresourcedefinitions: ResourceDef<CustomResourceDefinitionRow> = {
  type: "customresourcedefinitions",
  kind: "CustomResourceDefinition",
  group: "apiextensions.k8s.io",
  version: "v1",
  namespaced: false,
  shortNames: ["crd", "crds"],
  columns: [
    { name: "SCOPE", title: "Scope", priority: 0, description: "Cluster/Namespaced", cell: (row) => row.scope },
    { name: "VERSIONS", title: "Versions", priority: 0, description: "Served versions", cell: (row) => row.versions },
    createdAtColumn(),
    { name: "GROUP", title: "Group", priority: 1, description: "API group", cell: (row) => row.group },
    { name: "KIND", title: "Kind", priority: 1, description: "CustomResource kind", cell: (row) => row.crdKind },
    {
      name: "SHORTNAMES",
      title: "ShortNames",
      priority: 1,
      description: "Short names",
      cell: (row) => row.shortNames,
    },
    {
      name: "ESTABLISHED",
      title: "Established",
      priority: 1,
      type: "boolean",
      description: "Established status",
      cell: (row) => row.established,
    },
  ],
  toRow: customResourceDefinitionRow,
};
