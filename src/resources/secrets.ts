// Secrets as `kubectl get secrets` prints them (printSecret): TYPE, DATA (the number of keys), AGE. The row never
// holds a value: only the type and the key count leave the transform.

import type { KubeObject } from "../kube/objects.ts";
import { ageColumn } from "./columns.ts";
import { keyCount } from "./configmaps.ts";
import { baseFields, intern, str } from "./fields.ts";
import { type OwnerFields, ownerFields } from "./owners.ts";
import type { BaseRow, ResourceDef } from "./types.ts";

/** A secret as the cache keeps it: its type and how many keys, no data. */
export interface SecretRow extends BaseRow, OwnerFields {
  /** The API defaults an empty type to Opaque. */
  type: string;
  /** Keys of data (stringData is write-only and folded into data by the server). */
  dataCount: number;
}

export function secretRow(o: KubeObject): SecretRow {
  return {
    ...baseFields(o),
    ...ownerFields(o),
    type: intern(str(o.type) || "Opaque"),
    dataCount: keyCount(o.data),
  };
}

export const secrets: ResourceDef<SecretRow> = {
  type: "secrets",
  kind: "Secret",
  group: "",
  version: "v1",
  namespaced: true,
  shortNames: [],
  columns: [
    {
      name: "TYPE",
      title: "Type",
      priority: 0,
      description:
        "Used to facilitate programmatic handling of secret data. More info: https://kubernetes.io/docs/concepts/configuration/secret/#secret-types",
      cell: (row) => row.type,
    },
    {
      name: "DATA",
      title: "Data",
      priority: 0,
      numeric: true,
      description:
        "Data contains the secret data. Each key must consist of alphanumeric characters, '-', '_' or '.'. The serialized form of the secret data is a base64 encoded string, representing the arbitrary (possibly non-string) data value here. Described in https://tools.ietf.org/html/rfc4648#section-4",
      cell: (row) => String(row.dataCount),
    },
    ageColumn(),
  ],
  toRow: secretRow,
};
