// The other direction: JSON API objects → Kubernetes protobuf bytes, as kube-apiserver would send them. Not used by the
// client at run time; it lets the simulator answer in protobuf (src/sim/protobuf.ts) and builds the fixtures of the
// decoder's tests and benchmark. ProtoWriter also builds messages field by field for hand-made test bytes.
//
// The schema encoder transcodes JSON *text* straight into protobuf, following schema.ts, without JSON.parse: the
// simulator keeps every object as JSON bytes, and parsing a 10 KB pod into objects (~50 µs) then walking them with a
// writer per message (~330 µs) cost ~6× more than reading its bytes once (~55 µs, on this project's 2-core machine).
// Strings without escapes and fieldsV1 values are copied as they are; a nested message is written behind a one-byte
// length that is widened in place when it turns out longer.
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
  const head = envelopeHead(apiVersion, kind, raw.length);
  return Buffer.concat([head, raw, ENVELOPE_TAIL]);
}

/**
 * The envelope's bytes before a raw object of `rawLength` bytes (magic, typeMeta, raw's tag and length), so that a big
 * list can be sent as head + its parts + ENVELOPE_TAIL without copying them together.
 */
export function envelopeHead(apiVersion: string, kind: string, rawLength: number): Buffer {
  const w = new ProtoWriter().raw(MAGIC);
  w.message(1, (t) => t.string(1, apiVersion).string(2, kind));
  return w.tag(2, BYTES).rawVarint(rawLength).finish();
}

/** What follows raw in an envelope: kube-apiserver writes contentEncoding and contentType too, both empty. */
export const ENVELOPE_TAIL: Buffer = Buffer.from([(3 << 3) | BYTES, 0, (4 << 3) | BYTES, 0]);

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
  return encodeJson(type, Buffer.from(JSON.stringify(json)));
}

/**
 * A message of the given type from the JSON text in `text` (one object, as JSON.stringify or kube-apiserver writes it);
 * `withTypeMeta`: the object's top-level kind and apiVersion are left out (they go in the envelope), as a stored
 * object's JSON has them. Throws on a field the schema lacks or a value of the wrong JSON type, never drops data.
 */
export function encodeJson(type: string, text: Buffer, withTypeMeta = false): Buffer {
  return Buffer.from(transcode(type, text, withTypeMeta));
}

/**
 * Like encodeJson, but the result is a view into a scratch buffer that the next call overwrites: for a caller that
 * copies it at once (into a slab, or a socket write of its own copy).
 */
export function encodeJsonScratch(type: string, text: Buffer, withTypeMeta = false): Buffer {
  return transcode(type, text, withTypeMeta);
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

// ---- the schema, compiled once per message type ----

/** How a field's JSON value is written. */
type ValueKind =
  | "string"
  | "int"
  | "bool"
  | "bytes"
  | "time"
  | "quantity"
  | "intOrString"
  | "fieldsV1"
  | "map"
  | "quantityMap"
  | "message";

interface CompiledField {
  field: number;
  kind: ValueKind;
  /** The message type of a "message" field. */
  message: CompiledMessage | undefined;
  /** The embedded struct this JSON field belongs to, for a field of an inline message (see schema.ts). */
  inline: CompiledField | undefined;
  where: string;
  /** The JSON key's bytes. */
  key: Buffer;
}

interface CompiledMessage {
  name: string;
  fields: Map<string, CompiledField>;
  /** The same fields by the hash of their key (hashBytes); keys that collide are compiled into a different table. */
  byHash: Map<number, CompiledField>;
  /** The inline (embedded struct) fields, in schema order: their JSON fields are gathered and written as one message. */
  inlines: CompiledField[];
}

const compiled = new Map<string, CompiledMessage>();

function compile(name: string): CompiledMessage {
  let m = compiled.get(name);
  if (m) return m;
  const fields = schema[name];
  if (!fields) throw new Error(`protobuf encoder: no schema for ${name}`);
  m = { name, fields: new Map(), byHash: new Map(), inlines: [] };
  // Registered before its fields are compiled: message types refer to each other (LabelSelector in several places).
  compiled.set(name, m);
  for (const key in fields) {
    const [field, kind] = fields[key]!;
    if (kind.startsWith("inline:")) {
      const inner = compile(kind.slice(7));
      if (inner.inlines.length > 0) throw new Error(`protobuf encoder: ${name}.${key} nests inline structs`);
      const embedded: CompiledField = {
        field,
        kind: "message",
        message: inner,
        inline: undefined,
        where: name,
        key: Buffer.from(key),
      };
      m.inlines.push(embedded);
      for (const [innerKey, f] of inner.fields) m.fields.set(innerKey, { ...f, inline: embedded });
      continue;
    }
    m.fields.set(key, {
      field,
      kind: valueKind(kind),
      message: undefined,
      inline: undefined,
      where: `${name}.${key}`,
      key: Buffer.from(key),
    });
  }
  for (const [key, f] of m.fields) {
    const h = hashBytes(f.key, 0, f.key.length);
    if (m.byHash.has(h))
      throw new Error(`protobuf encoder: ${name}.${key} collides with another key; change hashBytes`);
    m.byHash.set(h, f);
  }
  for (const [key, f] of m.fields) {
    if (f.kind === "message" && f.inline === undefined) f.message = compile(fields[key]![1]);
  }
  return m;
}

function valueKind(kind: string): ValueKind {
  switch (kind) {
    case "string":
    case "bool":
    case "bytes":
    case "time":
    case "quantity":
    case "intOrString":
    case "fieldsV1":
    case "map":
    case "quantityMap":
      return kind;
    case "int32":
    case "int64":
      return "int";
    default:
      return "message";
  }
}

// ---- output: one scratch buffer, reused ----

let out = Buffer.allocUnsafe(1 << 16);
let o = 0;

function room(n: number): void {
  if (o + n <= out.length) return;
  const grown = Buffer.allocUnsafe(Math.max(out.length * 2, o + n));
  out.copy(grown, 0, 0, o);
  out = grown;
}

function putVarint(value: number): void {
  room(10);
  if (value < 0) {
    // Sign-extended to 64 bits, as Go writes negative int32 and int64.
    let big = BigInt.asUintN(64, BigInt(value));
    while (big >= 0x80n) {
      out[o++] = Number(big & 0x7fn) | 0x80;
      big >>= 7n;
    }
    out[o++] = Number(big);
    return;
  }
  while (value >= 0x80) {
    out[o++] = (value % 128) | 0x80;
    value = Math.floor(value / 128);
  }
  out[o++] = value;
}

function putTag(field: number, wireType: number): void {
  putVarint(field * 8 + wireType);
}

/** A length-delimited field copied from src[start, end). */
function putBytes(field: number, src: Uint8Array, start: number, end: number): void {
  putTag(field, BYTES);
  putVarint(end - start);
  const n = end - start;
  room(n);
  if (n < 32) for (let i = 0; i < n; i++) out[o + i] = src[start + i]!;
  else if (src instanceof Buffer) src.copy(out, o, start, end);
  else out.set(src.subarray(start, end), o);
  o += n;
}

/** Opens a nested message: its tag and a one-byte length placeholder, whose offset is returned for close(). */
function open(field: number): number {
  putTag(field, BYTES);
  room(1);
  return o++;
}

function close(mark: number): void {
  const length = o - mark - 1;
  if (length < 0x80) {
    out[mark] = length;
    return;
  }
  let size = 1;
  for (let v = length; v >= 0x80; v = Math.floor(v / 128)) size++;
  room(size - 1);
  out.copyWithin(mark + size, mark + 1, o);
  o += size - 1;
  let at = mark;
  let v = length;
  while (v >= 0x80) {
    out[at++] = (v % 128) | 0x80;
    v = Math.floor(v / 128);
  }
  out[at] = v;
}

// ---- input: JSON text ----

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const COMMA = 0x2c;
const COLON = 0x3a;

let src: Buffer = Buffer.alloc(0);
let p = 0;
/** Set by scanString: the string just scanned has escapes, so its bytes are not its UTF-8 value. */
let escaped = false;

function transcode(type: string, text: Buffer, withTypeMeta: boolean): Buffer {
  const message = compile(type);
  src = text;
  p = 0;
  o = 0;
  try {
    ws();
    writeObject(message, withTypeMeta);
    ws();
    if (p !== src.length) throw syntax();
    return out.subarray(0, o);
  } finally {
    // Not kept alive by the module between calls.
    src = EMPTY;
  }
}

const EMPTY = Buffer.alloc(0);

function syntax(): Error {
  return new Error(`protobuf encoder: malformed JSON at byte ${p}`);
}

function ws(): void {
  for (;;) {
    const c = src[p];
    if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) p++;
    else return;
  }
}

function expectByte(c: number): void {
  ws();
  if (src[p] !== c) throw syntax();
  p++;
}

/** A JSON string at p; returns where its contents start, leaves p after the closing quote (contents end at p - 1). */
function scanString(): number {
  if (src[p] !== QUOTE) throw syntax();
  const start = ++p;
  escaped = false;
  for (;;) {
    const c = src[p];
    if (c === QUOTE) break;
    if (c === BACKSLASH) {
      escaped = true;
      p += 2;
    } else if (c === undefined) throw syntax();
    else p++;
  }
  p++;
  return start;
}

/** The string value scanned by scanString (from `start`), as a JS string. */
function stringValue(start: number): string {
  if (!escaped) return src.toString("utf8", start, p - 1);
  return JSON.parse(src.toString("utf8", start - 1, p)) as string;
}

/** Skips one JSON value at p. */
function skipValue(): void {
  ws();
  const c = src[p];
  if (c === QUOTE) {
    scanString();
    return;
  }
  if (c === OPEN_BRACE || c === OPEN_BRACKET) {
    let depth = 0;
    for (;;) {
      const b = src[p];
      if (b === undefined) throw syntax();
      if (b === QUOTE) {
        scanString();
        continue;
      }
      if (b === OPEN_BRACE || b === OPEN_BRACKET) depth++;
      else if (b === CLOSE_BRACE || b === CLOSE_BRACKET) {
        depth--;
        if (depth === 0) {
          p++;
          return;
        }
      }
      p++;
    }
  }
  // A number or literal: up to the next delimiter.
  const start = p;
  for (;;) {
    const b = src[p];
    if (b === undefined || b === COMMA || b === CLOSE_BRACE || b === CLOSE_BRACKET || b === 0x20 || b === 0x0a) break;
    p++;
  }
  if (p === start) throw syntax();
}

/**
 * Object members are walked with these two: `firstMember` after the opening brace, `nextMember` after each value; both
 * leave p at the value and return false at the closing brace (no callbacks: a closure per object cost more than the
 * rest of the walk). The key's bytes are src[keyStart, keyEnd).
 */
let keyStart = 0;
let keyEnd = 0;

function firstMember(): boolean {
  expectByte(OPEN_BRACE);
  ws();
  if (src[p] === CLOSE_BRACE) {
    p++;
    return false;
  }
  return member();
}

function nextMember(): boolean {
  ws();
  const c = src[p++];
  if (c === CLOSE_BRACE) return false;
  if (c !== COMMA) throw syntax();
  return member();
}

function member(): boolean {
  ws();
  keyStart = scanString();
  keyEnd = p - 1;
  if (escaped) throw new Error("protobuf encoder: an escaped object key");
  expectByte(COLON);
  ws();
  return true;
}

/** The hash a member's key is looked up by (compile() hashes the schema's keys the same way). */
function hashBytes(bytes: Uint8Array, start: number, end: number): number {
  let h = end - start;
  for (let i = start; i < end; i++) h = (h * 31 + bytes[i]!) | 0;
  return h;
}

/** The field of m whose key is src[keyStart, keyEnd), without making a string of the key. */
function fieldOfKey(m: CompiledMessage): CompiledField | undefined {
  const f = m.byHash.get(hashBytes(src, keyStart, keyEnd));
  if (f === undefined) return undefined;
  const key = f.key;
  const n = keyEnd - keyStart;
  if (key.length !== n) return undefined;
  for (let i = 0; i < n; i++) if (key[i] !== src[keyStart + i]) return undefined;
  return f;
}

function isNull(): boolean {
  if (src[p] === 0x6e && src[p + 1] === 0x75 && src[p + 2] === 0x6c && src[p + 3] === 0x6c) {
    p += 4;
    return true;
  }
  return false;
}

function writeObject(m: CompiledMessage, withTypeMeta: boolean): void {
  // Fields of embedded structs (inline) are gathered and written after the others, one message per struct.
  let gathered: number[] | undefined;
  let gatheredFields: CompiledField[] | undefined;
  for (let more = firstMember(); more; more = nextMember()) {
    const f = fieldOfKey(m);
    if (f === undefined) {
      const key = src.toString("latin1", keyStart, keyEnd);
      if (withTypeMeta && (key === "kind" || key === "apiVersion")) {
        skipValue();
        continue;
      }
      throw new Error(`protobuf encoder: ${m.name}.${key} is not in schema.ts`);
    }
    if (f.inline !== undefined) {
      if (gathered === undefined || gatheredFields === undefined) {
        gathered = [];
        gatheredFields = [];
      }
      gathered.push(p);
      gatheredFields.push(f);
      skipValue();
      continue;
    }
    writeField(f);
  }
  if (gathered === undefined || gatheredFields === undefined) return;
  const resume = p;
  for (const embedded of m.inlines) {
    let mark = -1;
    for (let i = 0; i < gathered.length; i++) {
      const f = gatheredFields[i]!;
      if (f.inline !== embedded) continue;
      if (mark < 0) mark = open(embedded.field);
      p = gathered[i]!;
      writeField(f);
    }
    if (mark >= 0) close(mark);
  }
  p = resume;
}

/** One field's value at p (an array for a repeated field: each element is written as its own field). */
function writeField(f: CompiledField): void {
  if (isNull()) return;
  if (src[p] !== OPEN_BRACKET || f.kind === "fieldsV1") {
    writeValue(f);
    return;
  }
  p++;
  ws();
  if (src[p] === CLOSE_BRACKET) {
    p++;
    return;
  }
  for (;;) {
    ws();
    writeValue(f);
    ws();
    const c = src[p++];
    if (c === CLOSE_BRACKET) return;
    if (c !== COMMA) throw syntax();
  }
}

function notA(f: CompiledField, type: string): Error {
  return new Error(`protobuf encoder: ${f.where} is not a ${type}`);
}

function writeValue(f: CompiledField): void {
  const c = src[p];
  switch (f.kind) {
    case "string": {
      if (c !== QUOTE) throw notA(f, "string");
      const start = scanString();
      if (!escaped) putBytes(f.field, src, start, p - 1);
      else putString(f.field, stringValue(start));
      return;
    }
    case "int": {
      const value = number(f);
      if (!Number.isInteger(value)) throw notA(f, "integer");
      putTag(f.field, VARINT);
      putVarint(value);
      return;
    }
    case "bool":
      putTag(f.field, VARINT);
      putVarint(boolean(f) ? 1 : 0);
      return;
    case "bytes": {
      if (c !== QUOTE) throw notA(f, "string");
      const bytes = Buffer.from(stringValue(scanString()), "base64");
      putBytes(f.field, bytes, 0, bytes.length);
      return;
    }
    case "time": {
      if (c !== QUOTE) throw notA(f, "string");
      const ms = Date.parse(stringValue(scanString()));
      if (Number.isNaN(ms)) throw notA(f, "time");
      // Whole seconds, like time_proto.go; a zero seconds field is left out, like gogo does.
      const seconds = Math.floor(ms / 1000);
      const mark = open(f.field);
      if (seconds !== 0) {
        putTag(1, VARINT);
        putVarint(seconds);
      }
      close(mark);
      return;
    }
    case "quantity": {
      const mark = open(f.field);
      quantity(f);
      close(mark);
      return;
    }
    case "intOrString": {
      const mark = open(f.field);
      if (c === QUOTE) {
        const start = scanString();
        putTag(1, VARINT);
        putVarint(1);
        if (!escaped) putBytes(3, src, start, p - 1);
        else putString(3, stringValue(start));
      } else {
        const value = number(f);
        putTag(1, VARINT);
        putVarint(0);
        putTag(2, VARINT);
        putVarint(value);
      }
      close(mark);
      return;
    }
    case "fieldsV1": {
      // FieldsV1.Raw is the JSON itself.
      if (c !== OPEN_BRACE) throw notA(f, "object");
      const start = p;
      skipValue();
      const mark = open(f.field);
      putBytes(1, src, start, p);
      close(mark);
      return;
    }
    case "map":
    case "quantityMap": {
      if (c !== OPEN_BRACE) throw notA(f, "object");
      for (let more = firstMember(); more; more = nextMember()) {
        const mark = open(f.field);
        putBytes(1, src, keyStart, keyEnd);
        if (f.kind === "map") {
          if (src[p] !== QUOTE)
            throw new Error(`protobuf encoder: ${f.where}.${src.toString("latin1", keyStart, keyEnd)} is not a string`);
          const start = scanString();
          if (!escaped) putBytes(2, src, start, p - 1);
          else putString(2, stringValue(start));
        } else {
          const q = open(2);
          quantity(f);
          close(q);
        }
        close(mark);
      }
      return;
    }
    case "message": {
      if (c !== OPEN_BRACE) throw notA(f, "object");
      const mark = open(f.field);
      writeObject(f.message!, false);
      close(mark);
      return;
    }
  }
}

function putString(field: number, value: string): void {
  const bytes = Buffer.from(value, "utf8");
  putBytes(field, bytes, 0, bytes.length);
}

/** resource.Quantity{string = 1}: a JSON string, or a number as it is written. */
function quantity(f: CompiledField): void {
  if (src[p] === QUOTE) {
    const start = scanString();
    if (!escaped) putBytes(1, src, start, p - 1);
    else putString(1, stringValue(start));
    return;
  }
  const start = p;
  number(f);
  putBytes(1, src, start, p);
}

function number(f: CompiledField): number {
  const start = p;
  const c = src[p];
  if (c !== 0x2d && (c === undefined || c < 0x30 || c > 0x39)) throw notA(f, "number");
  skipValue();
  const value = Number(src.toString("latin1", start, p));
  if (Number.isNaN(value)) throw notA(f, "number");
  return value;
}

function boolean(f: CompiledField): boolean {
  if (src[p] === 0x74 && src[p + 1] === 0x72 && src[p + 2] === 0x75 && src[p + 3] === 0x65) {
    p += 4;
    return true;
  }
  if (src[p] === 0x66 && src[p + 1] === 0x61 && src[p + 2] === 0x6c && src[p + 3] === 0x73 && src[p + 4] === 0x65) {
    p += 5;
    return false;
  }
  throw notA(f, "boolean");
}
