// apimachinery meta/v1 messages (pkg/apis/meta/v1/generated.proto): the parts of ObjectMeta, ListMeta and Status that
// the reflector and the rows read. Field numbers are the ones in that file.
import type { KubeStatus, ObjectMeta } from "../objects.ts";
import { BYTES, type ProtoReader, VARINT } from "./reader.ts";
import { readTime } from "./time.ts";

const tag = (field: number, wireType: number): number => (field << 3) | wireType;

// ObjectMeta
const META_NAME = tag(1, BYTES);
const META_NAMESPACE = tag(3, BYTES);
const META_UID = tag(5, BYTES);
const META_RESOURCE_VERSION = tag(6, BYTES);
const META_CREATION_TIMESTAMP = tag(8, BYTES);
const META_DELETION_TIMESTAMP = tag(9, BYTES);
const META_ANNOTATIONS = tag(12, BYTES); // map<string, string>: entries {key = 1, value = 2}
const META_OWNER_REFERENCES = tag(13, BYTES);
// OwnerReference
const OWNER_KIND = tag(1, BYTES);
const OWNER_NAME = tag(3, BYTES);
const OWNER_CONTROLLER = tag(6, VARINT);
// map entries
const ENTRY_KEY = tag(1, BYTES);
const ENTRY_VALUE = tag(2, BYTES);

/** The one annotation anyone reads: the watch-list BOOKMARK that ends the initial events. */
export const INITIAL_EVENTS_END = "k8s.io/initial-events-end";
const INITIAL_EVENTS_END_BYTES = Buffer.from(INITIAL_EVENTS_END);

type OwnerReference = NonNullable<ObjectMeta["ownerReferences"]>[number];

/** ObjectMeta whose length prefix is next: name, namespace, uid, resourceVersion, timestamps, controller refs. */
export function readObjectMeta(r: ProtoReader): ObjectMeta {
  const end = r.delimited();
  const meta: ObjectMeta = {
    name: undefined,
    namespace: undefined,
    uid: undefined,
    resourceVersion: undefined,
    creationTimestamp: undefined,
    deletionTimestamp: undefined,
    annotations: undefined,
    ownerReferences: undefined,
  };
  while (r.pos < end) {
    const t = r.varint();
    switch (t) {
      case META_NAME:
        meta.name = r.string();
        break;
      case META_NAMESPACE:
        meta.namespace = r.symbol();
        break;
      case META_UID:
        meta.uid = r.string();
        break;
      case META_RESOURCE_VERSION:
        meta.resourceVersion = r.string();
        break;
      case META_CREATION_TIMESTAMP:
        meta.creationTimestamp = readTime(r);
        break;
      case META_DELETION_TIMESTAMP:
        meta.deletionTimestamp = readTime(r);
        break;
      case META_ANNOTATIONS: {
        const value = readWantedEntry(r, INITIAL_EVENTS_END_BYTES);
        if (value !== undefined) meta.annotations = { [INITIAL_EVENTS_END]: value };
        break;
      }
      case META_OWNER_REFERENCES:
        if (meta.ownerReferences === undefined) meta.ownerReferences = [];
        meta.ownerReferences.push(readOwnerReference(r));
        break;
      default:
        r.skip(t & 7);
    }
  }
  r.expectEnd(end);
  return meta;
}

function readOwnerReference(r: ProtoReader): OwnerReference {
  const end = r.delimited();
  const ref: OwnerReference = { kind: undefined, name: undefined, controller: undefined };
  while (r.pos < end) {
    const t = r.varint();
    if (t === OWNER_KIND) ref.kind = r.symbol();
    else if (t === OWNER_NAME) ref.name = r.symbol();
    else if (t === OWNER_CONTROLLER) ref.controller = r.bool();
    else r.skip(t & 7);
  }
  r.expectEnd(end);
  return ref;
}

/**
 * A map<string, string> entry whose length prefix is next: its value if its key is `wanted`, else undefined. Keys are
 * compared as bytes so that the other annotations (often kilobytes of last-applied-configuration) allocate nothing.
 */
function readWantedEntry(r: ProtoReader, wanted: Buffer): string | undefined {
  const end = r.delimited();
  let matched = false;
  let valueStart = -1;
  let valueEnd = -1;
  while (r.pos < end) {
    const t = r.varint();
    if (t === ENTRY_KEY) {
      const keyEnd = r.delimited();
      matched = keyEnd - r.pos === wanted.length && r.buf.compare(wanted, 0, wanted.length, r.pos, keyEnd) === 0;
      r.pos = keyEnd;
    } else if (t === ENTRY_VALUE) {
      // Only remembered: the key may (legally, if never in practice) come after the value.
      valueEnd = r.delimited();
      valueStart = r.pos;
      r.pos = valueEnd;
    } else r.skip(t & 7);
  }
  r.expectEnd(end);
  if (!matched) return undefined;
  return valueStart < 0 ? "" : r.buf.toString("utf8", valueStart, valueEnd);
}

// ListMeta
const LIST_RESOURCE_VERSION = tag(2, BYTES);
const LIST_CONTINUE = tag(3, BYTES);
const LIST_REMAINING_ITEM_COUNT = tag(4, VARINT);

export interface ListMetaFields {
  resourceVersion: string;
  continueToken: string;
  remainingItemCount: number | undefined;
}

/** ListMeta whose length prefix is next. */
export function readListMeta(r: ProtoReader, into: ListMetaFields): void {
  const end = r.delimited();
  while (r.pos < end) {
    const t = r.varint();
    if (t === LIST_RESOURCE_VERSION) into.resourceVersion = r.string();
    else if (t === LIST_CONTINUE) into.continueToken = r.string();
    else if (t === LIST_REMAINING_ITEM_COUNT) into.remainingItemCount = r.int64();
    else r.skip(t & 7);
  }
  r.expectEnd(end);
}

// Status
const STATUS_STATUS = tag(2, BYTES);
const STATUS_MESSAGE = tag(3, BYTES);
const STATUS_REASON = tag(4, BYTES);
const STATUS_DETAILS = tag(5, BYTES);
const STATUS_CODE = tag(6, VARINT);
// StatusDetails
const DETAILS_NAME = tag(1, BYTES);
const DETAILS_GROUP = tag(2, BYTES);
const DETAILS_KIND = tag(3, BYTES);
const DETAILS_RETRY_AFTER_SECONDS = tag(5, VARINT);

/** A whole metav1.Status message spanning [r.pos, end): what an ERROR watch event carries. */
export function readStatus(r: ProtoReader, end: number): KubeStatus {
  const status: KubeStatus = {
    kind: "Status",
    apiVersion: "v1",
    metadata: {},
    status: "Failure",
    message: undefined,
    reason: undefined,
    details: undefined,
    code: 0,
  };
  while (r.pos < end) {
    const t = r.varint();
    switch (t) {
      case STATUS_STATUS:
        status.status = r.string() === "Success" ? "Success" : "Failure";
        break;
      case STATUS_MESSAGE:
        status.message = r.string();
        break;
      case STATUS_REASON:
        status.reason = r.string();
        break;
      case STATUS_DETAILS:
        status.details = readStatusDetails(r);
        break;
      case STATUS_CODE:
        status.code = r.int32();
        break;
      default:
        r.skip(t & 7);
    }
  }
  r.expectEnd(end);
  return status;
}

function readStatusDetails(r: ProtoReader): NonNullable<KubeStatus["details"]> {
  const end = r.delimited();
  const details: NonNullable<KubeStatus["details"]> = {};
  while (r.pos < end) {
    const t = r.varint();
    if (t === DETAILS_NAME) details.name = r.string();
    else if (t === DETAILS_GROUP) details.group = r.string();
    else if (t === DETAILS_KIND) details.kind = r.string();
    else if (t === DETAILS_RETRY_AFTER_SECONDS) details.retryAfterSeconds = r.int32();
    else r.skip(t & 7);
  }
  r.expectEnd(end);
  return details;
}
