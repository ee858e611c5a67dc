// ConfigMaps as `kubectl get configmaps` prints them (printConfigMap): DATA counts the keys of data and binaryData.
// The values are never kept.

import type { KubeObject } from "../kube/objects.ts";
import { ageColumn } from "./columns.ts";
import { baseFields } from "./fields.ts";
import { type OwnerFields, ownerFields } from "./owners.ts";
import type { BaseRow, ResourceDef } from "./types.ts";

/** A configmap as the cache keeps it: how many keys, not what they hold. */
export interface ConfigMapRow extends BaseRow, OwnerFields {
  dataCount: number;
}

/** Number of keys of a data map (absent counts 0). */
export function keyCount(value: unknown): number {
  if (typeof value !== "object" || value === null) return 0;
  let n = 0;
  for (const _ in value) n++;
  return n;
}

export function configMapRow(o: KubeObject): ConfigMapRow {
  return { ...baseFields(o), ...ownerFields(o), dataCount: keyCount(o.data) + keyCount(o.binaryData) };
}

export const configmaps: ResourceDef<ConfigMapRow> = {
  type: "configmaps",
  kind: "ConfigMap",
  group: "",
  version: "v1",
  namespaced: true,
  shortNames: ["cm"],
  columns: [
    {
      name: "DATA",
      title: "Data",
      priority: 0,
      numeric: true,
      description:
        "Data contains the configuration data. Each key must consist of alphanumeric characters, '-', '_' or '.'. Values with non-UTF-8 byte sequences must use the BinaryData field. The keys stored in Data must not overlap with the keys in the BinaryData field, this is enforced during validation process.",
      cell: (row) => String(row.dataCount),
    },
    ageColumn(),
  ],
  toRow: configMapRow,
};
