// The protobuf envelope of every object the API server sends (apimachinery pkg/runtime/serializer/protobuf): the magic
// "k8s\0", then a runtime.Unknown message (pkg/runtime/generated.proto) whose typeMeta names the kind and whose raw
// holds the object's own message.
import { BYTES, malformed, type ProtoReader } from "./reader.ts";

/** protoEncodingPrefix in protobuf.go. */
export const PROTOBUF = "application/vnd.kubernetes.protobuf";

export const MAGIC = Buffer.from([0x6b, 0x38, 0x73, 0x00]);

// runtime.Unknown
/** runtime.Unknown's fields (tag and wire type), as the envelope's readers meet them. */
export const UNKNOWN_TYPE_META = (1 << 3) | BYTES;
export const UNKNOWN_RAW = (2 << 3) | BYTES;
const UNKNOWN_CONTENT_ENCODING = (3 << 3) | BYTES;
const UNKNOWN_CONTENT_TYPE = (4 << 3) | BYTES;
// runtime.TypeMeta (note: apiVersion first, unlike metav1.TypeMeta)
const TYPE_META_API_VERSION = (1 << 3) | BYTES;
const TYPE_META_KIND = (2 << 3) | BYTES;

export interface Envelope {
  apiVersion: string;
  kind: string;
  /** The object's message is buf[rawStart, rawEnd). */
  rawStart: number;
  rawEnd: number;
}

export function hasMagic(buf: Buffer, start: number, end: number): boolean {
  return (
    end - start >= 4 &&
    buf[start] === 0x6b &&
    buf[start + 1] === 0x38 &&
    buf[start + 2] === 0x73 &&
    buf[start + 3] === 0
  );
}

/** Reads the envelope at buf[r.pos, end) (magic included); leaves r.pos at `end`. */
export function readEnvelope(r: ProtoReader, end: number): Envelope {
  if (!hasMagic(r.buf, r.pos, end)) throw malformed("no k8s protobuf prefix");
  r.pos += 4;
  const envelope: Envelope = { apiVersion: "", kind: "", rawStart: r.pos, rawEnd: r.pos };
  while (r.pos < end) {
    const t = r.varint();
    switch (t) {
      case UNKNOWN_TYPE_META: {
        const typeMeta = readTypeMeta(r);
        envelope.apiVersion = typeMeta.apiVersion;
        envelope.kind = typeMeta.kind;
        break;
      }
      case UNKNOWN_RAW:
        envelope.rawEnd = r.delimited();
        envelope.rawStart = r.pos;
        r.pos = envelope.rawEnd;
        break;
      case UNKNOWN_CONTENT_ENCODING:
      case UNKNOWN_CONTENT_TYPE:
        checkUnknownEncoding(r, t);
        break;
      default:
        r.skip(t & 7);
    }
  }
  r.expectEnd(end);
  return envelope;
}

/** An Unknown's TypeMeta (the reader at its length prefix; left after it). */
export function readTypeMeta(r: ProtoReader): { apiVersion: string; kind: string } {
  const typeMeta = { apiVersion: "", kind: "" };
  const typeEnd = r.delimited();
  while (r.pos < typeEnd) {
    const tt = r.varint();
    if (tt === TYPE_META_API_VERSION) typeMeta.apiVersion = r.symbol();
    else if (tt === TYPE_META_KIND) typeMeta.kind = r.symbol();
    else r.skip(tt & 7);
  }
  r.expectEnd(typeEnd);
  return typeMeta;
}

/**
 * Reads an Unknown's contentEncoding or contentType field (`tag`) and refuses what we cannot read: kube-apiserver
 * leaves both empty (raw is not compressed, and empty means protobuf). Returns false for any other field.
 */
export function checkUnknownEncoding(r: ProtoReader, tag: number): boolean {
  if (tag === UNKNOWN_CONTENT_ENCODING) {
    const encoding = r.string();
    if (encoding !== "") throw malformed(`content encoding ${encoding}`);
    return true;
  }
  if (tag === UNKNOWN_CONTENT_TYPE) {
    const type = r.string();
    if (type !== "" && type !== PROTOBUF) throw malformed(`content type ${type}`);
    return true;
  }
  return false;
}
