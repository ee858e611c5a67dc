// PersistentVolumeClaims as `kubectl get pvc -o wide` prints them (printPersistentVolumeClaim): CAPACITY and ACCESS
// MODES only once the claim is bound to a volume, from its status.

import type { KubeObject } from "../kube/objects.ts";
import { ageColumn } from "./columns.ts";
import { arr, baseFields, intern, type Json, obj, str } from "./fields.ts";
import { type OwnerFields, ownerFields } from "./owners.ts";
import { quantityText } from "./quantity.ts";
import type { BaseRow, ResourceDef } from "./types.ts";

/** A claim as the cache keeps it. */
export interface PersistentVolumeClaimRow extends BaseRow, OwnerFields {
  /** status.phase, or Terminating while being deleted. */
  status: string;
  volume: string;
  /** "" until bound. */
  capacity: string;
  accessModes: string;
  storageClass: string;
  /** "<unset>" when none. */
  volumeAttributesClass: string;
  volumeMode: string;
}

const BETA_STORAGE_CLASS = "volume.beta.kubernetes.io/storage-class";

/** helper.GetAccessModesAsString: RWO, ROX, RWX, RWOP in that order, each once. */
export function accessModesText(modes: unknown): string {
  const present = new Set(arr(modes).map(str));
  const out: string[] = [];
  if (present.has("ReadWriteOnce")) out.push("RWO");
  if (present.has("ReadOnlyMany")) out.push("ROX");
  if (present.has("ReadWriteMany")) out.push("RWX");
  if (present.has("ReadWriteOncePod")) out.push("RWOP");
  return out.join(",");
}

/** The storage class of a claim or volume: the beta annotation wins over spec.storageClassName. */
export function storageClassOf(o: KubeObject, spec: Json | undefined): string {
  const annotations = o.metadata?.annotations;
  if (annotations && BETA_STORAGE_CLASS in annotations) return str(annotations[BETA_STORAGE_CLASS]);
  return str(spec?.storageClassName);
}

export function persistentVolumeClaimRow(o: KubeObject): PersistentVolumeClaimRow {
  const spec = obj(o.spec);
  const status = obj(o.status);
  const volume = str(spec?.volumeName);
  const bound = volume !== "";
  return {
    ...baseFields(o),
    ...ownerFields(o),
    // The API defaults an empty phase to Pending and volumeMode to Filesystem.
    status: intern(o.metadata?.deletionTimestamp != null ? "Terminating" : str(status?.phase) || "Pending"),
    volume,
    capacity: bound ? quantityText(obj(status?.capacity)?.storage) : "",
    accessModes: bound ? accessModesText(status?.accessModes) : "",
    storageClass: intern(storageClassOf(o, spec)),
    volumeAttributesClass:
      typeof spec?.volumeAttributesClassName === "string" ? spec.volumeAttributesClassName : "<unset>",
    volumeMode: intern(str(spec?.volumeMode) || "Filesystem"),
  };
}

export const persistentvolumeclaims: ResourceDef<PersistentVolumeClaimRow> = {
  type: "persistentvolumeclaims",
  kind: "PersistentVolumeClaim",
  group: "",
  version: "v1",
  namespaced: true,
  shortNames: ["pvc"],
  columns: [
    {
      name: "STATUS",
      title: "Status",
      priority: 0,
      description: "phase represents the current phase of PersistentVolumeClaim.",
      cell: (row) => row.status,
    },
    {
      name: "VOLUME",
      title: "Volume",
      priority: 0,
      description: "volumeName is the binding reference to the PersistentVolume backing this claim.",
      cell: (row) => row.volume,
    },
    {
      name: "CAPACITY",
      title: "Capacity",
      priority: 0,
      description: "capacity represents the actual resources of the underlying volume.",
      cell: (row) => row.capacity,
    },
    {
      name: "ACCESS MODES",
      title: "Access Modes",
      priority: 0,
      description:
        "accessModes contains the actual access modes the volume backing the PVC has. More info: https://kubernetes.io/docs/concepts/storage/persistent-volumes#access-modes-1",
      cell: (row) => row.accessModes,
    },
    {
      name: "STORAGECLASS",
      title: "StorageClass",
      priority: 0,
      description: "StorageClass of the pvc",
      cell: (row) => row.storageClass,
    },
    {
      name: "VOLUMEATTRIBUTESCLASS",
      title: "VolumeAttributesClass",
      priority: 0,
      description: "VolumeAttributesClass of the pvc",
      cell: (row) => row.volumeAttributesClass,
    },
    ageColumn(),
    {
      name: "VOLUMEMODE",
      title: "VolumeMode",
      priority: 1,
      description:
        "volumeMode defines what type of volume is required by the claim. Value of Filesystem is implied when not included in claim spec.",
      cell: (row) => row.volumeMode,
    },
  ],
  toRow: persistentVolumeClaimRow,
};
