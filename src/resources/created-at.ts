// The default Table of kube-apiserver (rest.NewDefaultTableConvertor), which kinds without a printer get: NAME and
// CREATED AT, the creation time in RFC 3339 (UTC, whole seconds) rather than an age.
import { doc } from "./descriptions.ts";
import { NO_TIME } from "./format.ts";
import type { BaseRow, Column } from "./types.ts";

/** creationTimestamp.UTC().Format(time.RFC3339); a missing timestamp is Go's zero time. */
export function rfc3339(ms: number): string {
  if (ms === 0 || ms === NO_TIME) return "0001-01-01T00:00:00Z";
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
}

/** CREATED AT: the column of the default Table (type "date"). */
export function createdAtColumn<Row extends BaseRow>(): Column<Row> {
  return {
    name: "CREATED AT",
    title: "Created At",
    priority: 0,
    type: "date",
    description: doc.objectMetaCreationTimestamp,
    cell: (row) => rfc3339(row.createdAt),
  };
}
