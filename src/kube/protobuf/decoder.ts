// The protobuf WireDecoder for pods. Lists and single objects come in the envelope (envelope.ts); a watch is a stream of
// frames, each a 4-byte big-endian length and a metav1.WatchEvent written by the *raw* serializer (no envelope), whose
// object.raw holds one enveloped object (apiserver handlers/watch.go and response.go: the stream serializer is
// protobuf.NewRawSerializer with protobuf.LengthDelimitedFramer; the embedded object uses the negotiated serializer).
//
// `accept` is what client-go sends by default (rest/request.go), protobuf with a JSON fallback: kinds without a protobuf
// form (custom resources) come back as JSON, so both decoders look at the first bytes and hand JSON to jsonDecoder.
import { KubeError } from "../errors.ts";
import type { KubeObject, WatchEvent, WatchEventType } from "../objects.ts";
import { type DecodedList, jsonDecoder, type WatchParser, type WireDecoder } from "../wire.ts";
import { type Envelope, hasMagic, PROTOBUF, readEnvelope } from "./envelope.ts";
import { PodListStream } from "./list-stream.ts";
import { type ListMetaFields, readListMeta, readStatus } from "./meta.ts";
import { readPod } from "./pod.ts";
import { BYTES, malformed, ProtoReader } from "./reader.ts";

// PodList
const LIST_METADATA = (1 << 3) | BYTES;
const LIST_ITEMS = (2 << 3) | BYTES;
// metav1.WatchEvent
const EVENT_TYPE = (1 << 3) | BYTES;
const EVENT_OBJECT = (2 << 3) | BYTES;
// runtime.Unknown
const UNKNOWN_RAW = (2 << 3) | BYTES;
const MAGIC_LENGTH = 4;
// runtime.RawExtension
const RAW_EXTENSION_RAW = (1 << 3) | BYTES;

/**
 * A frame this large is a corrupt length, not an event (etcd itself refuses objects past 1.5 MiB). Below it a length's
 * first byte is at most 0x08, which no JSON body starts with: that is how a JSON answer is told apart.
 */
const MAX_FRAME = 128 * 1024 * 1024;

export const protobufDecoder: WireDecoder = {
  accept: `${PROTOBUF},application/json`,

  decodeList(body) {
    if (!hasMagic(body, 0, body.length)) {
      if (looksLikeJson(body[0])) return jsonDecoder.decodeList(body);
      throw malformed("a list that is neither protobuf nor JSON");
    }
    const r = new ProtoReader(body);
    const envelope = readEnvelope(r, body.length);
    if (envelope.kind !== "PodList") throw unexpectedKind(envelope.kind, "PodList");
    return readPodList(new ProtoReader(body, envelope.rawStart), envelope.rawEnd);
  },

  // The envelope's typeMeta and the list's metadata come before the items, so a page's head holds its continue token.
  peekContinue(head) {
    if (head.length < MAGIC_LENGTH) return undefined;
    if (!hasMagic(head, 0, head.length)) return jsonDecoder.peekContinue?.(head);
    try {
      const r = new ProtoReader(head, MAGIC_LENGTH);
      while (r.pos < head.length) {
        const t = r.varint();
        if (t !== UNKNOWN_RAW) {
          r.skip(t & 7);
          continue;
        }
        r.varint(); // the raw PodList's length: it runs past the head, so do not bound-check it
        if (r.varint() !== LIST_METADATA) return "";
        const meta: ListMetaFields = { resourceVersion: "", continueToken: "", remainingItemCount: undefined };
        readListMeta(r, meta);
        return meta.continueToken;
      }
    } catch {
      // The head ends inside the metadata: more bytes needed.
    }
    return undefined;
  },

  listParser(onContinue, onItem) {
    return new PodListStream(onContinue, onItem);
  },

  watchParser(onEvent) {
    return new FrameParser(onEvent);
  },
};

/** A single object as a GET returns it: a Pod, or the Status of a failure. JSON bodies are parsed as JSON. */
export function decodeObject(body: Buffer): KubeObject {
  if (!hasMagic(body, 0, body.length)) {
    if (looksLikeJson(body[0])) return parseJson(body, 0, body.length);
    throw malformed("an object that is neither protobuf nor JSON");
  }
  return readEnvelopedObject(new ProtoReader(body), body.length);
}

function readPodList(r: ProtoReader, end: number): DecodedList {
  const meta: ListMetaFields = { resourceVersion: "", continueToken: "", remainingItemCount: undefined };
  const items: KubeObject[] = [];
  while (r.pos < end) {
    const t = r.varint();
    if (t === LIST_METADATA) readListMeta(r, meta);
    else if (t === LIST_ITEMS) {
      const itemEnd = r.delimited();
      items.push(readPod(r, itemEnd));
    } else r.skip(t & 7);
  }
  r.expectEnd(end);
  return {
    resourceVersion: meta.resourceVersion,
    continueToken: meta.continueToken,
    remainingItemCount: meta.remainingItemCount,
    items,
  };
}

/** An enveloped Pod or Status at buf[r.pos, end), with apiVersion and kind set as in its JSON form. */
function readEnvelopedObject(r: ProtoReader, end: number): KubeObject {
  const envelope = readEnvelope(r, end);
  const raw = new ProtoReader(r.buf, envelope.rawStart);
  let object: KubeObject;
  if (envelope.kind === "Pod") object = readPod(raw, envelope.rawEnd);
  else if (envelope.kind === "Status") object = readStatus(raw, envelope.rawEnd) as unknown as KubeObject;
  else throw unexpectedKind(envelope.kind, "Pod");
  setType(object, envelope);
  return object;
}

function setType(object: KubeObject, envelope: Envelope): void {
  object.apiVersion = envelope.apiVersion;
  object.kind = envelope.kind;
}

/** Reassembles length-prefixed frames across chunks; a frame wholly inside a chunk is decoded in place. */
class FrameParser implements WatchParser {
  private readonly onEvent: (event: WatchEvent) => void;
  /** Set when the first bytes said the server answered in JSON after all. */
  private json: WatchParser | undefined;
  private started = false;
  private readonly header = Buffer.alloc(4);
  private headerFill = 0;
  /** The frame being filled across chunks, once its length is known. */
  private frame: Buffer | undefined;
  private frameFill = 0;

  constructor(onEvent: (event: WatchEvent) => void) {
    this.onEvent = onEvent;
  }

  push(chunk: Buffer): void {
    if (this.json) {
      this.json.push(chunk);
      return;
    }
    if (!this.started) {
      if (chunk.length === 0) return;
      this.started = true;
      if (looksLikeJson(chunk[0])) {
        this.json = jsonDecoder.watchParser(this.onEvent);
        this.json.push(chunk);
        return;
      }
    }
    let pos = 0;
    while (pos < chunk.length) {
      if (this.frame === undefined) {
        let length: number;
        if (this.headerFill === 0 && chunk.length - pos >= 4) {
          length = chunk.readUInt32BE(pos);
          pos += 4;
          checkFrameLength(length);
          if (chunk.length - pos >= length) {
            const end = pos + length;
            // Advance first: onEvent may throw (an ERROR event), and the parser must not replay this frame.
            pos = end;
            this.decodeFrame(chunk, end - length, end);
            continue;
          }
        } else {
          while (this.headerFill < 4 && pos < chunk.length) this.header[this.headerFill++] = chunk[pos++]!;
          if (this.headerFill < 4) return;
          this.headerFill = 0;
          length = this.header.readUInt32BE(0);
          checkFrameLength(length);
        }
        this.frame = Buffer.allocUnsafe(length);
        this.frameFill = 0;
      }
      const n = Math.min(this.frame.length - this.frameFill, chunk.length - pos);
      chunk.copy(this.frame, this.frameFill, pos, pos + n);
      this.frameFill += n;
      pos += n;
      if (this.frameFill === this.frame.length) {
        const frame = this.frame;
        this.frame = undefined;
        this.decodeFrame(frame, 0, frame.length);
      }
    }
  }

  private decodeFrame(buf: Buffer, start: number, end: number): void {
    const r = new ProtoReader(buf, start);
    let type = "";
    let object: KubeObject | undefined;
    while (r.pos < end) {
      const t = r.varint();
      if (t === EVENT_TYPE) type = r.symbol();
      else if (t === EVENT_OBJECT) object = readRawExtension(r);
      else r.skip(t & 7);
    }
    r.expectEnd(end);
    if (object === undefined) throw malformed(`a ${type || "watch"} event without an object`);
    this.onEvent({ type: type as WatchEventType, object });
  }
}

/** A RawExtension whose length prefix is next; its raw bytes are one enveloped object (or JSON, if so negotiated). */
function readRawExtension(r: ProtoReader): KubeObject {
  const end = r.delimited();
  let object: KubeObject | undefined;
  while (r.pos < end) {
    const t = r.varint();
    if (t === RAW_EXTENSION_RAW) {
      const rawEnd = r.delimited();
      const rawStart = r.pos;
      object = hasMagic(r.buf, rawStart, rawEnd) ? readEnvelopedObject(r, rawEnd) : parseJson(r.buf, rawStart, rawEnd);
      r.pos = rawEnd;
    } else r.skip(t & 7);
  }
  r.expectEnd(end);
  if (object === undefined) throw malformed("a watch event with an empty object");
  return object;
}

function checkFrameLength(length: number): void {
  if (length > MAX_FRAME) throw malformed(`a watch frame of ${length} bytes`);
}

/** `{`, or the whitespace a JSON body may start with; never the first byte of the magic or of a frame length. */
function looksLikeJson(byte: number | undefined): boolean {
  return byte === 0x7b || byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09;
}

function parseJson(buf: Buffer, start: number, end: number): KubeObject {
  try {
    return JSON.parse(buf.toString("utf8", start, end)) as KubeObject;
  } catch {
    throw malformed("an object that is neither protobuf nor JSON");
  }
}

function unexpectedKind(kind: string, expected: string): KubeError {
  return new KubeError(
    "protocol",
    `the server sent a protobuf ${kind || "object without a kind"}, expected ${expected}`,
  );
}
