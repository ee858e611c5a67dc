// The Events section of kubectl describe: which events belong to an object (the field selector kubectl's
// searchEvents builds from the object's reference) and their table.
import type { KubeObject } from "../../kube/objects.ts";
import { humanDuration, NO_TIME, parseOptionalTime } from "../format.ts";
import { type DescribeWriter, obj, str } from "./writer.ts";

/** fields.EscapeValue: backslash, comma and equals escaped. */
function escapeField(value: string): string {
  return value.replace(/[\\,=]/g, (c) => `\\${c}`);
}

const MIRROR_POD = "kubernetes.io/config.mirror";

/**
 * The API path listing the object's events: core/v1 events in its namespace (all namespaces for a cluster-scoped
 * object) whose involvedObject has its name, namespace, kind and UID. A pod's events are searched without the kind
 * (kubectl clears it), and a mirror pod's with the UID of the pod it mirrors.
 */
export function eventsPath(object: KubeObject, opts: { withKind?: boolean } = {}): string {
  const meta = object.metadata ?? {};
  const namespace = meta.namespace ?? "";
  const kind = object.kind ?? "";
  const isPod = kind === "Pod" && (object.apiVersion ?? "v1") === "v1";
  let uid = meta.uid ?? "";
  if (isPod && meta.annotations?.[MIRROR_POD] !== undefined) uid = meta.annotations[MIRROR_POD];
  const fields: [string, string][] = [["involvedObject.name", meta.name ?? ""]];
  fields.push(["involvedObject.namespace", namespace]);
  if ((opts.withKind ?? !isPod) && kind !== "") fields.push(["involvedObject.kind", kind]);
  if (uid !== "") fields.push(["involvedObject.uid", uid]);
  // fields.Set's selector is sorted by key.
  fields.sort((a, b) => (a[0] < b[0] ? -1 : 1));
  const selector = fields.map(([k, v]) => `${k}=${escapeField(v)}`).join(",");
  const base = namespace === "" ? "/api/v1/events" : `/api/v1/namespaces/${encodeURIComponent(namespace)}/events`;
  return `${base}?fieldSelector=${encodeURIComponent(selector)}`;
}

/** translateTimestampSince: "<unknown>" for a missing (or zero) time. */
function since(value: unknown, now: number): string {
  const at = parseOptionalTime(value);
  return at === NO_TIME ? "<unknown>" : humanDuration(now - at);
}

/** kubectl's DescribeEvents: "Events:  <none>", or the table sorted by last timestamp (stable). */
export function describeEvents(events: readonly KubeObject[], w: DescribeWriter, now: number): void {
  if (events.length === 0) {
    w.write(0, "Events:\t<none>\n");
    return;
  }
  w.flush();
  const sorted = events
    .map((e, i) => ({ e, i, at: parseOptionalTime(e.lastTimestamp) }))
    .sort((a, b) => a.at - b.at || a.i - b.i)
    .map((x) => x.e);
  w.write(0, "Events:\n  Type\tReason\tAge\tFrom\tMessage\n");
  w.write(1, "----\t------\t----\t----\t-------\n");
  for (const e of sorted) {
    const first = parseOptionalTime(e.eventTime) !== NO_TIME ? since(e.eventTime, now) : since(e.firstTimestamp, now);
    const series = obj(e.series);
    const count = typeof e.count === "number" ? e.count : 0;
    let interval: string;
    if (e.series !== undefined && e.series !== null) {
      interval = `${since(series.lastObservedTime, now)} (x${typeof series.count === "number" ? series.count : 0} over ${first})`;
    } else if (count > 1) {
      interval = `${since(e.lastTimestamp, now)} (x${count} over ${first})`;
    } else {
      interval = first;
    }
    const source = str(obj(e.source).component) || str(e.reportingComponent);
    w.write(1, `${str(e.type)}\t${str(e.reason)}\t${interval}\t${source}\t${str(e.message).trim()}\n`);
  }
}
