// Events (core v1, what `kubectl get events` lists) as kube-apiserver's printEvent renders them. LAST SEEN falls back
// to FIRST SEEN, which falls back to eventTime (events written through events.k8s.io); a series, when present,
// gives LAST SEEN and COUNT.
//
// kubectl prints no NAME column for events (its wide output ends with NAME instead). ResourceDef always puts NAME
// first, so these columns are the server's minus that trailing NAME.

import type { KubeObject } from "../kube/objects.ts";
import { cellText } from "../kube/table.ts";
import { baseFields, int, intern, obj, str } from "./fields.ts";
import { NO_TIME, parseOptionalTime, since } from "./format.ts";
import { type OwnerFields, ownerFields } from "./owners.ts";
import type { BaseRow, ResourceDef } from "./types.ts";

/** An event as the cache keeps it. */
export interface EventRow extends BaseRow, OwnerFields {
  /** Epoch ms or NO_TIME (prints <unknown>). */
  lastSeenAt: number;
  firstSeenAt: number;
  count: number;
  /** Normal, Warning. */
  type: string;
  reason: string;
  /** "kind/name" of the involved object, kind lower-cased. */
  object: string;
  /** involvedObject.fieldPath. */
  subobject: string;
  /** "component, host" (reportingController and reportingInstance stand in for empty ones). */
  source: string;
  message: string;
}

export function eventRow(o: KubeObject): EventRow {
  let firstSeenAt = parseOptionalTime(o.firstTimestamp);
  if (firstSeenAt === NO_TIME) firstSeenAt = parseOptionalTime(o.eventTime);
  let lastSeenAt = parseOptionalTime(o.lastTimestamp);
  if (lastSeenAt === NO_TIME) lastSeenAt = firstSeenAt;
  let count = int(o.count);
  const series = obj(o.series);
  if (series) {
    lastSeenAt = parseOptionalTime(series.lastObservedTime);
    count = int(series.count);
  } else if (count === 0) {
    count = 1; // singleton events written through events.k8s.io carry no count
  }

  const involved = obj(o.involvedObject);
  const kind = str(involved?.kind).toLowerCase();
  const name = str(involved?.name);
  const source = obj(o.source);
  const component = str(source?.component) || str(o.reportingComponent);
  const host = str(source?.host) || str(o.reportingInstance);
  return {
    ...baseFields(o),
    ...ownerFields(o),
    lastSeenAt,
    firstSeenAt,
    count,
    type: intern(str(o.type)),
    reason: intern(str(o.reason)),
    object: name !== "" ? `${kind}/${name}` : kind,
    subobject: str(involved?.fieldPath),
    source: intern(host === "" ? component : `${component}, ${host}`),
    message: str(o.message).trim(),
  };
}

export const events: ResourceDef<EventRow> = {
  type: "events",
  kind: "Event",
  group: "",
  version: "v1",
  namespaced: true,
  shortNames: ["ev"],
  namePosition: "wide-last",
  columns: [
    {
      name: "LAST SEEN",
      title: "Last Seen",
      priority: 0,
      description: "The time at which the most recent occurrence of this event was recorded.",
      cell: (row, now) => since(row.lastSeenAt, now),
    },
    {
      name: "TYPE",
      title: "Type",
      priority: 0,
      description: "Type of this event (Normal, Warning), new types could be added in the future",
      cell: (row) => row.type,
    },
    {
      name: "REASON",
      title: "Reason",
      priority: 0,
      description:
        "This should be a short, machine understandable string that gives the reason for the transition into the object's current status.",
      cell: (row) => row.reason,
    },
    {
      name: "OBJECT",
      title: "Object",
      priority: 0,
      description: "The object that this event is about.",
      cell: (row) => row.object,
    },
    {
      name: "SUBOBJECT",
      title: "Subobject",
      priority: 1,
      description:
        'If referring to a piece of an object instead of an entire object, this string should contain a valid JSON/Go field access statement, such as desiredState.manifest.containers[2]. For example, if the object reference is to a container within a pod, this would take on a value like: "spec.containers{name}" (where "name" refers to the name of the container that triggered the event) or if no container name is specified "spec.containers[2]" (container with index 2 in this pod). This syntax is chosen only to have some well-defined way of referencing a part of an object.',
      cell: (row) => row.subobject,
    },
    {
      name: "SOURCE",
      title: "Source",
      priority: 1,
      description: "The component reporting this event. Should be a short machine understandable string.",
      cell: (row) => row.source,
    },
    {
      name: "MESSAGE",
      title: "Message",
      priority: 0,
      description: "A human-readable description of the status of this operation.",
      // kubectl prints a multi-line message up to its first line break, then "...".
      cell: (row) => cellText(row.message),
    },
    {
      name: "FIRST SEEN",
      title: "First Seen",
      priority: 1,
      description: "The time at which the event was first recorded. (Time of server receipt is in TypeMeta.)",
      cell: (row, now) => since(row.firstSeenAt, now),
    },
    {
      name: "COUNT",
      title: "Count",
      priority: 1,
      numeric: true,
      description: "The number of times this event has occurred.",
      cell: (row) => String(row.count),
    },
  ],
  toRow: eventRow,
};
