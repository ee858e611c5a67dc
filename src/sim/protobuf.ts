// Protobuf answers of the simulator, for pods (the only kind whose messages schema.ts has) and for every Status: what
// kube-apiserver sends when the Accept header negotiates application/vnd.kubernetes.protobuf (negotiate.ts).
//
// Each pod version is transcoded from its stored JSON once, when first asked for in protobuf, and kept (keyed by the
// Version, so it goes when the version does). Versions made when the cluster was generated are kept in large slabs,
// as the store keeps their JSON, and sized the same way (arena.ts: V8 answers every few tens of MB of new external
// memory with a full GC of the whole heap, so a Buffer each, or many small slabs, made the first protobuf list of 100k
// pods take 21 s instead of ~6); later versions (churn) get a Buffer each, since a slab would stay alive as long as
// any one version in it does (a Buffer of their own, not a view into Buffer.from's shared pool: see ownBuffer in
// arena.ts). Unlike the arena's, these slabs are not listed anywhere: one goes with its last version.
import {
  ENVELOPE_TAIL,
  encodeJson,
  encodeJsonScratch,
  encodeMessage,
  envelope,
  envelopeHead,
  watchFrame,
} from "../kube/protobuf/encoder.ts";
import { BYTES } from "../kube/protobuf/reader.ts";
import { ownCopy } from "./arena.ts";
import type { StatusBody } from "./status.ts";
import type { KindStore, Version } from "./store.ts";

/** The Content-Type of a protobuf LIST or GET answer; a watch adds `;stream=watch`. */
export const PROTOBUF = "application/vnd.kubernetes.protobuf";
export const PROTOBUF_WATCH = `${PROTOBUF};stream=watch`;

/** Whether the simulator can answer this kind in protobuf: core/v1 pods. */
export function servesProtobuf(k: KindStore): boolean {
  return k.info.group === "" && k.info.resource === "pods";
}

const FIRST_SLAB = 16 << 20;
const MAX_SLAB = 256 << 20;

/** Transcoded pod messages (no envelope) of one store. */
export class PodMessages {
  private readonly cache = new WeakMap<Version, Buffer>();
  /** Versions up to this revision were made in bulk when the cluster was generated. */
  private readonly bulkRev: number;
  private slab: Buffer = Buffer.alloc(0);
  private used = 0;

  constructor(bulkRev: number) {
    this.bulkRev = bulkRev;
  }

  /** The Pod message of a stored version (as a PodList item, or an envelope's raw). */
  of(v: Version): Buffer {
    let bytes = this.cache.get(v);
    if (bytes !== undefined) return bytes;
    if (v.rv > this.bulkRev) bytes = ownCopy(encodeJsonScratch("Pod", v.buf!, true));
    else {
      const scratch = encodeJsonScratch("Pod", v.buf!, true);
      if (this.used + scratch.length > this.slab.length) {
        const size = this.slab.length === 0 ? FIRST_SLAB : Math.min(MAX_SLAB, this.slab.length * 2);
        this.slab = Buffer.allocUnsafeSlow(Math.max(size, scratch.length));
        this.used = 0;
      }
      bytes = this.slab.subarray(this.used, this.used + scratch.length);
      scratch.copy(bytes);
      this.used += scratch.length;
    }
    this.cache.set(v, bytes);
    return bytes;
  }

  /** A whole enveloped Pod (a GET or DELETE answer, a watch event's object). */
  enveloped(v: Version): Buffer {
    return envelope("v1", "Pod", this.of(v));
  }
}

/** A Pod from JSON text that is not a stored version (a DELETED event re-stamped for a selector), enveloped. */
export function envelopedPodJson(json: Buffer): Buffer {
  return envelope("v1", "Pod", encodeJson("Pod", json, true));
}

/** The ListMeta of a page, as list.ts's readPage found it. */
export interface ListMetaFields {
  resourceVersion: string;
  continueToken?: string;
  remainingItemCount?: number;
}

/**
 * A PodList page as parts to write one after the other: the envelope head, ListMeta, each item's tag and length then
 * its cached message, the envelope's tail. ListMeta comes first (as Go writes field 1 first), so a client can read the
 * continue token from the head of the page.
 */
export function podListParts(messages: PodMessages, meta: ListMetaFields, items: readonly Version[]): Buffer[] {
  const metaJson: Record<string, unknown> = { resourceVersion: meta.resourceVersion };
  if (meta.continueToken) metaJson.continue = meta.continueToken;
  if (meta.remainingItemCount !== undefined) metaJson.remainingItemCount = meta.remainingItemCount;
  const listMeta = encodeMessage("ListMeta", metaJson);
  const parts: Buffer[] = [Buffer.alloc(0), fieldHead(1, listMeta.length), listMeta];
  let rawLength = parts[1]!.length + listMeta.length;
  for (const v of items) {
    const pod = messages.of(v);
    const head = fieldHead(2, pod.length);
    parts.push(head, pod);
    rawLength += head.length + pod.length;
  }
  parts[0] = envelopeHead("v1", "PodList", rawLength);
  parts.push(ENVELOPE_TAIL);
  return parts;
}

/** A length-delimited field's tag and length. */
function fieldHead(field: number, length: number): Buffer {
  const bytes = [(field << 3) | BYTES];
  while (length >= 0x80) {
    bytes.push((length % 128) | 0x80);
    length = Math.floor(length / 128);
  }
  bytes.push(length);
  return Buffer.from(bytes);
}

/**
 * The object of a BOOKMARK: an empty Pod with only a resourceVersion and, at the end of a watch-list's initial events,
 * the annotations that mark it, whose list blueprint is an empty PodList in protobuf (the watch-list handler encodes
 * it with the negotiated encoder; Go writes the empty ListMeta too).
 */
export function bookmarkPod(rv: number, initialEventsEnd: boolean): Buffer {
  const metadata: Record<string, unknown> = { resourceVersion: String(rv) };
  if (initialEventsEnd) {
    const blueprint = envelope("v1", "PodList", encodeMessage("PodList", { metadata: {} }));
    metadata.annotations = {
      "k8s.io/initial-events-end": "true",
      "kubernetes.io/initial-events-list-blueprint": blueprint.toString("base64"),
    };
  }
  return envelope("v1", "Pod", encodeMessage("Pod", { metadata }));
}

/** A metav1.Status, enveloped (an error answer, or the object of a watch ERROR event). */
export function statusMessage(status: StatusBody): Buffer {
  const { kind: _kind, apiVersion: _apiVersion, ...rest } = status;
  return envelope("v1", "Status", encodeMessage("Status", rest));
}

export { watchFrame };
