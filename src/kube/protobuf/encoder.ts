// The other direction: JSON API objects → Kubernetes protobuf bytes, as kube-apiserver would send them. Not used by the
// client at run time; it builds the fixtures of the decoder's tests and benchmark, and lets a simulated API server
// answer in protobuf. ProtoWriter also builds messages field by field for hand-made test bytes.
import { MAGIC } from "./envelope.ts";
import { BYTES, VARINT } from "./reader.ts";
import { schema } from "./schema.ts";

type Json = Record<string, unknown>;

export class ProtoWriter {
  private buf = Buffer.allocUnsafe(256);
  private length = 0;

  /** The bytes written so far. */
  finish(): Buffer {
    return Buffer.from(this.buf.subarray(0, this.length));
  }

  tag(field: number, wireType: number): this {
    return this.rawVarint(field * 8 + wireType);
  }

  /** A varint field: uint, int32/int64 (negatives take ten bytes, two's complement) or bool. */
  varint(field: number, value: number | boolean): this {
    this.tag(field, VARINT);
    return this.rawVarint(typeof value === "boolean" ? (value ? 1 : 0) : value);
  }

  string(field: number, value: string): this {
    return this.bytes(field, Buffer.from(value, "utf8"));
  }

  bytes(field: number, value: Uint8Array): this {
    this.tag(field, BYTES);
    this.rawVarint(value.length);
    return this.raw(value);
  }

  /** A nested message, written by `build` on a fresh writer. */
  message(field: number, build: (w: ProtoWriter) => void): this {
    const child = new ProtoWriter();
    build(child);
    return this.bytes(field, child.finish());
  }

  /** A bare varint (no tag). */
  rawVarint(value: number): this {
    if (value < 0) {
      // Sign-extended to 64 bits, as Go writes negative int32 and int64.
      let big = BigInt.asUintN(64, BigInt(value));
      while (big >= 0x80n) {
        this.byte(Number(big & 0x7fn) | 0x80);
        big >>= 7n;
      }
      return this.byte(Number(big));
    }
    while (value >= 0x80) {
      this.byte((value % 128) | 0x80);
      value = Math.floor(value / 128);
    }
    return this.byte(value);
  }

  /** Bytes as they are (no tag, no length). */
  raw(bytes: Uint8Array): this {
    this.reserve(bytes.length);
    this.buf.set(bytes, this.length);
    this.length += bytes.length;
    return this;
  }

  private byte(value: number): this {
    this.reserve(1);
    this.buf[this.length++] = value;
    return this;
  }

  private reserve(n: number): void {
    if (this.length + n <= this.buf.length) return;
    const grown = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.length + n));
    this.buf.copy(grown, 0, 0, this.length);
    this.buf = grown;
  }
}

/** "k8s\0" + runtime.Unknown{typeMeta{apiVersion, kind}, raw}: a whole LIST or GET body. */
export function envelope(apiVersion: string, kind: string, raw: Uint8Array): Buffer {
  const w = new ProtoWriter().raw(MAGIC);
  w.message(1, (t) => t.string(1, apiVersion).string(2, kind));
  w.bytes(2, raw);
  // kube-apiserver writes both (empty) strings too.
  w.string(3, "").string(4, "");
  return w.finish();
}

/** One watch frame: big-endian length + metav1.WatchEvent{type, object: RawExtension{raw: enveloped object}}. */
export function watchFrame(type: string, object: Uint8Array): Buffer {
  const event = new ProtoWriter()
    .string(1, type)
    .message(2, (raw) => raw.bytes(1, object))
    .finish();
  const header = Buffer.alloc(4);
  header.writeUInt32BE(event.length);
  return Buffer.concat([header, event]);
}

/** A message of the given type (a key of schema.ts) from its JSON form; throws on a field the schema lacks. */
export function encodeMessage(type: string, json: Json): Buffer {
  const w = new ProtoWriter();
  writeMessage(w, type, json);
  checkKnown(type, json);
  return w.finish();
}

/** A Pod as kube-apiserver sends it for a GET (enveloped). */
export function encodePod(pod: Json): Buffer {
  return envelope("v1", "Pod", encodeMessage("Pod", withoutTypeMeta(pod)));
}

/** A PodList as kube-apiserver sends it for a LIST (enveloped). */
export function encodePodList(list: { metadata?: Json; items: Json[] }): Buffer {
  const w = new ProtoWriter();
  if (list.metadata) w.bytes(1, encodeMessage("ListMeta", list.metadata));
  for (const item of list.items) w.bytes(2, encodeMessage("Pod", withoutTypeMeta(item)));
  return envelope("v1", "PodList", w.finish());
}

/** A metav1.Status (enveloped), as a watch ERROR event or a failed request carries it. */
export function encodeStatus(status: Json): Buffer {
  return envelope("v1", "Status", encodeMessage("Status", withoutTypeMeta(status)));
}

function withoutTypeMeta(o: Json): Json {
  const { apiVersion: _apiVersion, kind: _kind, ...rest } = o;
  return rest;
}

function writeMessage(w: ProtoWriter, type: string, json: Json): void {
  const fields = schema[type];
  if (!fields) throw new Error(`protobuf encoder: no schema for ${type}`);
  for (const name in fields) {
    const [field, kind] = fields[name]!;
    if (kind.startsWith("inline:")) {
      // An embedded Go struct: its JSON fields are the parent's, its bytes a nested message.
      w.message(field, (child) => writeMessage(child, kind.slice(7), json));
      continue;
    }
    const value = json[name];
    if (value === undefined || value === null) continue;
    if (Array.isArray(value)) for (const item of value) writeValue(w, field, kind, item, `${type}.${name}`);
    else writeValue(w, field, kind, value, `${type}.${name}`);
  }
}

function writeValue(w: ProtoWriter, field: number, kind: string, value: unknown, where: string): void {
  switch (kind) {
    case "string":
      w.string(field, expect(value, "string", where));
      return;
    case "int32":
    case "int64":
      w.varint(field, expect(value, "number", where));
      return;
    case "bool":
      w.varint(field, expect(value, "boolean", where));
      return;
    case "bytes":
      w.bytes(field, Buffer.from(expect(value, "string", where), "base64"));
      return;
    case "time": {
      const ms = Date.parse(expect(value, "string", where));
      if (Number.isNaN(ms)) throw new Error(`protobuf encoder: ${where} is not a time`);
      // Whole seconds, like time_proto.go; a zero seconds field is left out, like gogo does.
      const seconds = Math.floor(ms / 1000);
      w.message(field, (t) => {
        if (seconds !== 0) t.varint(1, seconds);
      });
      return;
    }
    case "quantity":
      w.message(field, (q) => q.string(1, String(value)));
      return;
    case "intOrString":
      w.message(field, (v) => {
        if (typeof value === "number") v.varint(1, 0).varint(2, value);
        else v.varint(1, 1).string(3, expect(value, "string", where));
      });
      return;
    case "fieldsV1":
      w.message(field, (f) => f.bytes(1, Buffer.from(JSON.stringify(value))));
      return;
    case "map":
    case "quantityMap": {
      const map = expect(value, "object", where) as Json;
      for (const key in map) {
        w.message(field, (entry) => {
          entry.string(1, key);
          if (kind === "map") entry.string(2, expect(map[key], "string", `${where}.${key}`));
          else entry.message(2, (q) => q.string(1, String(map[key])));
        });
      }
      return;
    }
    default:
      w.message(field, (child) => writeMessage(child, kind, expect(value, "object", where) as Json));
      checkKnown(kind, value as Json);
  }
}

/** Every JSON field must be in the schema (directly or through an inline struct), so nothing is lost unnoticed. */
function checkKnown(type: string, json: Json): void {
  for (const key in json) {
    if (!knows(type, key)) throw new Error(`protobuf encoder: ${type}.${key} is not in schema.ts`);
  }
}

function knows(type: string, key: string): boolean {
  const fields = schema[type]!;
  if (Object.hasOwn(fields, key) && !fields[key]![1].startsWith("inline:")) return true;
  for (const name in fields) {
    const kind = fields[name]![1];
    if (kind.startsWith("inline:") && knows(kind.slice(7), key)) return true;
  }
  return false;
}

function expect<T extends "string" | "number" | "boolean" | "object">(
  value: unknown,
  type: T,
  where: string,
): T extends "string" ? string : T extends "number" ? number : T extends "boolean" ? boolean : object {
  if (typeof value !== type || value === null) throw new Error(`protobuf encoder: ${where} is not a ${type}`);
  return value as never;
}
