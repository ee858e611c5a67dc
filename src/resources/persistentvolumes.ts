// PersistentVolumes as `kubectl get pv -o wide` prints them (printPersistentVolume).

import type { KubeObject } from "../kube/objects.ts";
import { ageColumn } from "./columns.ts";
import { baseFields, intern, obj, str } from "./fields.ts";
import { type OwnerFields, ownerFields } from "./owners.ts";
import { accessModesText, storageClassOf } from "./persistentvolumeclaims.ts";
import { quantityText } from "./quantity.ts";
import type { BaseRow, ResourceDef } from "./types.ts";

/** A volume as the cache keeps it. */
export interface PersistentVolumeRow extends BaseRow, OwnerFields {
  capacity: string;
  accessModes: string;
  reclaimPolicy: string;
  /** status.phase, or Terminating while being deleted. */
  status: string;
  /** "namespace/name" of spec.claimRef, "" when unbound. */
  claim: string;
  storageClass: string;
  volumeAttributesClass: string;
  /** status.reason, often "". */
  reason: string;
  volumeMode: string;
}

export function persistentVolumeRow(o: KubeObject): PersistentVolumeRow {
  const spec = obj(o.spec);
  const status = obj(o.status);
  const claimRef = obj(spec?.claimRef);
  return {
    ...baseFields(o),
    ...ownerFields(o),
    capacity: quantityText(obj(spec?.capacity)?.storage),
    accessModes: accessModesText(spec?.accessModes),
    // The API defaults the reclaim policy to Retain, the phase to Pending and volumeMode to Filesystem.
    reclaimPolicy: intern(str(spec?.persistentVolumeReclaimPolicy) || "Retain"),
    status: intern(o.metadata?.deletionTimestamp != null ? "Terminating" : str(status?.phase) || "Pending"),
    claim: claimRef ? `${str(claimRef.namespace)}/${str(claimRef.name)}` : "",
    storageClass: intern(storageClassOf(o, spec)),
    volumeAttributesClass:
      typeof spec?.volumeAttributesClassName === "string" ? spec.volumeAttributesClassName : "<unset>",
    reason: str(status?.reason),
    volumeMode: intern(str(spec?.volumeMode) || "Filesystem"),
  };
}

export const persistentvolumes: ResourceDef<PersistentVolumeRow> = {
  type: "persistentvolumes",
  kind: "PersistentVolume",
  group: "",
  version: "v1",
  namespaced: false,
  shortNames: ["pv"],
  columns: [
    {
      name: "CAPACITY",
      title: "Capacity",
      priority: 0,
      description:
        "capacity is the description of the persistent volume's resources and capacity. More info: https://kubernetes.io/docs/concepts/storage/persistent-volumes#capacity",
      cell: (row) => row.capacity,
    },
    {
      name: "ACCESS MODES",
      title: "Access Modes",
      priority: 0,
      description:
        "accessModes contains all ways the volume can be mounted. More info: https://kubernetes.io/docs/concepts/storage/persistent-volumes#access-modes",
      cell: (row) => row.accessModes,
    },
    {
      name: "RECLAIM POLICY",
      title: "Reclaim Policy",
      priority: 0,
      description:
        "persistentVolumeReclaimPolicy defines what happens to a persistent volume when released from its claim. Valid options are Retain (default for manually created PersistentVolumes), Delete (default for dynamically provisioned PersistentVolumes), and Recycle (deprecated). Recycle must be supported by the volume plugin underlying this PersistentVolume. More info: https://kubernetes.io/docs/concepts/storage/persistent-volumes#reclaiming",
      cell: (row) => row.reclaimPolicy,
    },
    {
      name: "STATUS",
      title: "Status",
      priority: 0,
      description:
        "phase indicates if a volume is available, bound to a claim, or released by a claim. More info: https://kubernetes.io/docs/concepts/storage/persistent-volumes#phase",
      cell: (row) => row.status,
    },
    {
      name: "CLAIM",
      title: "Claim",
      priority: 0,
      description:
        "claimRef is part of a bi-directional binding between PersistentVolume and PersistentVolumeClaim. Expected to be non-nil when bound. claim.VolumeName is the authoritative bind between PV and PVC. More info: https://kubernetes.io/docs/concepts/storage/persistent-volumes#binding",
      cell: (row) => row.claim,
    },
    {
      name: "STORAGECLASS",
      title: "StorageClass",
      priority: 0,
      description: "StorageClass of the pv",
      cell: (row) => row.storageClass,
    },
    {
      name: "VOLUMEATTRIBUTESCLASS",
      title: "VolumeAttributesClass",
      priority: 0,
      description: "VolumeAttributesClass of the pv",
      cell: (row) => row.volumeAttributesClass,
    },
    {
      name: "REASON",
      title: "Reason",
      priority: 0,
      description:
        "reason is a brief CamelCase string that describes any failure and is meant for machine parsing and tidy display in the CLI.",
      cell: (row) => row.reason,
    },
    ageColumn(),
    {
      name: "VOLUMEMODE",
      title: "VolumeMode",
      priority: 1,
      description:
        "volumeMode defines if a volume is intended to be used with a formatted filesystem or to remain in raw block state. Value of Filesystem is implied when not included in spec.",
      cell: (row) => row.volumeMode,
    },
  ],
  toRow: persistentVolumeRow,
};
