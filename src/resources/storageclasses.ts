// StorageClasses as `kubectl get storageclasses` prints them (printStorageClass). The "(default)" mark belongs to
// the NAME cell, which the caller prints from row.name: storageClassDisplayName gives that text.
//
// Newer servers (the project's reference v1.37, unlike v1.32) mark only the effective default of a list (the newest class carrying the default
// annotation); a row cannot see the list, so this marks every class that carries the annotation, as v1.32 did.
// The two agree whenever a cluster has at most one default class.

import type { KubeObject } from "../kube/objects.ts";
import { ageColumn } from "./columns.ts";
import { baseFields, intern, str } from "./fields.ts";
import { type OwnerFields, ownerFields } from "./owners.ts";
import type { BaseRow, ResourceDef } from "./types.ts";

/** A storage class as the cache keeps it. */
export interface StorageClassRow extends BaseRow, OwnerFields {
  provisioner: string;
  reclaimPolicy: string;
  volumeBindingMode: string;
  /** "true" or "false". */
  allowVolumeExpansion: string;
  /** Carries storageclass.kubernetes.io/is-default-class (or the beta annotation) = "true". */
  isDefault: boolean;
}

export function storageClassRow(o: KubeObject): StorageClassRow {
  const annotations = o.metadata?.annotations;
  return {
    ...baseFields(o),
    ...ownerFields(o),
    provisioner: intern(str(o.provisioner)),
    reclaimPolicy: intern(str(o.reclaimPolicy) || "Delete"),
    volumeBindingMode: intern(str(o.volumeBindingMode) || "Immediate"),
    allowVolumeExpansion: o.allowVolumeExpansion === true ? "true" : "false",
    isDefault:
      annotations?.["storageclass.kubernetes.io/is-default-class"] === "true" ||
      annotations?.["storageclass.beta.kubernetes.io/is-default-class"] === "true",
  };
}

/** The NAME cell: "standard (default)" for the default class. */
export function storageClassDisplayName(row: Pick<StorageClassRow, "name" | "isDefault">): string {
  return row.isDefault ? `${row.name} (default)` : row.name;
}

export const storageclasses: ResourceDef<StorageClassRow> = {
  type: "storageclasses",
  kind: "StorageClass",
  group: "storage.k8s.io",
  version: "v1",
  namespaced: false,
  shortNames: ["sc"],
  nameCell: storageClassDisplayName,
  columns: [
    {
      name: "PROVISIONER",
      title: "Provisioner",
      priority: 0,
      description: "provisioner indicates the type of the provisioner.",
      cell: (row) => row.provisioner,
    },
    {
      name: "RECLAIMPOLICY",
      title: "ReclaimPolicy",
      priority: 0,
      description:
        "reclaimPolicy controls the reclaimPolicy for dynamically provisioned PersistentVolumes of this storage class. Defaults to Delete.",
      cell: (row) => row.reclaimPolicy,
    },
    {
      name: "VOLUMEBINDINGMODE",
      title: "VolumeBindingMode",
      priority: 0,
      description:
        "volumeBindingMode indicates how PersistentVolumeClaims should be provisioned and bound.  When unset, VolumeBindingImmediate is used. This field is only honored by servers that enable the VolumeScheduling feature.",
      cell: (row) => row.volumeBindingMode,
    },
    {
      name: "ALLOWVOLUMEEXPANSION",
      title: "AllowVolumeExpansion",
      priority: 0,
      description: "allowVolumeExpansion shows whether the storage class allow volume expand.",
      cell: (row) => row.allowVolumeExpansion,
    },
    ageColumn(),
  ],
  toRow: storageClassRow,
};
