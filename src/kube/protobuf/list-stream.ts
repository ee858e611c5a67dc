// A PodList decoded while it downloads. A page of 500 pods is about 3.6 MB; gathering its chunks into one Buffer
// before decoding allocated and copied every byte once more, and at 100k pods that churn of external memory (on top of
// the socket's own chunks) was what started most of V8's full collections during a sync, each one marking every row
// already in the cache. Here each chunk is decoded where it lies: only a field cut by a chunk boundary (one pod, a few
// KB) is copied, into a scratch buffer that is reused; the list's metadata, with its continue token, is reported as soon
// as it is in, before the items.
//
// The body is the envelope (envelope.ts) whose raw field holds the PodList: magic, then runtime.Unknown's fields in
// field order (typeMeta, raw, contentEncoding, contentType), and in raw the ListMeta and then the items. A "unit" is
// one field the decoder takes whole: a field of the envelope, the head (tag and length) of its raw field, or one field
// of the PodList (its metadata, one item).
import { KubeError } from "../errors.ts";
import type { KubeObject } from "../objects.ts";
import { type DecodedList, jsonDecoder, type ListParser } from "../wire.ts";
import { checkUnknownEncoding, hasMagic, readTypeMeta, UNKNOWN_RAW, UNKNOWN_TYPE_META } from "./envelope.ts";
import { type ListMetaFields, readListMeta } from "./meta.ts";
import { readPod } from "./pod.ts";
import { BYTES, FIXED32, FIXED64, malformed, ProtoReader, VARINT } from "./reader.ts";

const MAGIC_LENGTH = 4;
// runtime.Unknown
// runtime.TypeMeta
// PodList
const LIST_METADATA = (1 << 3) | BYTES;
const LIST_ITEMS = (2 << 3) | BYTES;

/** A tag and a length are two varints of at most 10 bytes each. */
const MAX_HEAD = 20;
const INCOMPLETE = -1;

// Where the decoder is in the body.
/** The first four bytes: the magic, or the start of a JSON answer. */
const MAGIC = 0;
/** Fields of runtime.Unknown. */
const ENVELOPE = 1;
/** Fields of the PodList inside raw. */
const LIST = 2;
/** The server answered in JSON: gathered and parsed at the end. */
const JSON_BODY = 3;
type Stage = typeof MAGIC | typeof ENVELOPE | typeof LIST | typeof JSON_BODY;

/** Decodes one enveloped PodList body chunk by chunk; see ListParser. */
export class PodListStream implements ListParser {
  private readonly onContinue: (token: string) => void;
  private readonly onItem: (obj: KubeObject) => void;
  private stage: Stage = MAGIC;
  private kind = "";
  private listSeen = false;
  /** Bytes of the PodList message not consumed yet (in LIST). */
  private listRemaining = 0;
  private readonly meta: ListMetaFields = { resourceVersion: "", continueToken: "", remainingItemCount: undefined };
  private continueReported = false;
  /** The unconsumed tail of the previous chunks: the start of a unit cut by a chunk boundary. */
  private scratch: Buffer = Buffer.alloc(0);
  private scratchFill = 0;
  private json: Buffer[] | undefined;

  constructor(onContinue: (token: string) => void, onItem: (obj: KubeObject) => void) {
    this.onContinue = onContinue;
    this.onItem = onItem;
  }

  push(chunk: Buffer): void {
    if (chunk.length === 0) return;
    if (this.stage === MAGIC && this.scratchFill === 0 && looksLikeJson(chunk[0])) this.stage = JSON_BODY;
    if (this.stage === JSON_BODY) {
      this.pushJson(chunk);
      return;
    }
    let pos = this.scratchFill > 0 ? this.completeScratch(chunk) : 0;
    if (pos >= chunk.length) return;
    pos = this.parse(chunk, pos, chunk.length);
    this.keep(chunk, pos);
  }

  end(): DecodedList {
    if (this.stage === JSON_BODY) return this.endJson();
    if (this.scratchFill > 0 || this.stage !== ENVELOPE || !this.listSeen) {
      throw this.stage === MAGIC && this.scratchFill === 0
        ? malformed("an empty list body")
        : malformed("a list that ends early");
    }
    this.reportContinue();
    return {
      resourceVersion: this.meta.resourceVersion,
      continueToken: this.meta.continueToken,
      remainingItemCount: this.meta.remainingItemCount,
      // Every item went to onItem.
      items: [],
    };
  }

  /**
   * Finishes the unit whose start is in the scratch buffer with the first bytes of `chunk`; returns where in `chunk`
   * decoding goes on (chunk.length when all of it went into the scratch buffer).
   */
  private completeScratch(chunk: Buffer): number {
    const before = this.scratchFill;
    let size = this.unitSize(this.scratch, 0, this.scratchFill);
    let taken = 0;
    if (size === INCOMPLETE) {
      // The head itself is cut: add enough bytes to read it (perhaps more than the unit: those are read again from
      // the chunk below).
      taken = Math.min(MAX_HEAD, chunk.length);
      this.append(chunk, 0, taken);
      size = this.unitSize(this.scratch, 0, this.scratchFill);
      if (size === INCOMPLETE) {
        if (taken < chunk.length) throw malformed("a field head longer than 20 bytes");
        return chunk.length;
      }
    }
    if (this.scratchFill < size) {
      const more = Math.min(size - this.scratchFill, chunk.length - taken);
      this.append(chunk, taken, taken + more);
      if (this.scratchFill < size) return chunk.length;
    }
    this.scratchFill = 0;
    this.unit(this.scratch, 0, size);
    return size - before;
  }

  /** Decodes the whole units in buf[pos, end); returns where the first incomplete one starts. */
  private parse(buf: Buffer, pos: number, end: number): number {
    while (pos < end) {
      const size = this.unitSize(buf, pos, end);
      if (size === INCOMPLETE || pos + size > end) break;
      this.unit(buf, pos, pos + size);
      pos += size;
    }
    return pos;
  }

  /** Keeps chunk[pos, end) for the next chunk: the start of a unit. */
  private keep(chunk: Buffer, pos: number): void {
    this.scratchFill = 0;
    if (pos < chunk.length) this.append(chunk, pos, chunk.length);
  }

  private append(chunk: Buffer, start: number, end: number): void {
    const needed = this.scratchFill + (end - start);
    if (needed > this.scratch.length) {
      const grown = Buffer.allocUnsafe(Math.max(needed, this.scratch.length * 2, 16 * 1024));
      this.scratch.copy(grown, 0, 0, this.scratchFill);
      this.scratch = grown;
    }
    chunk.copy(this.scratch, this.scratchFill, start, end);
    this.scratchFill = needed;
  }

  /** Bytes of the unit at buf[pos, end), or INCOMPLETE when its head is not all there yet. */
  private unitSize(buf: Buffer, pos: number, end: number): number {
    if (this.stage === MAGIC) return MAGIC_LENGTH;
    const tag = varintAt(buf, pos, end);
    if (tag === INCOMPLETE) return INCOMPLETE;
    const tagLength = varintLength(buf, pos);
    const at = pos + tagLength;
    let size: number;
    switch (tag & 7) {
      case VARINT: {
        if (varintAt(buf, at, end) === INCOMPLETE) return INCOMPLETE;
        size = tagLength + varintLength(buf, at);
        break;
      }
      case BYTES: {
        const length = varintAt(buf, at, end);
        if (length === INCOMPLETE) return INCOMPLETE;
        const head = tagLength + varintLength(buf, at);
        // The envelope's raw is entered, not taken whole: its PodList fields are the units.
        size = this.stage === ENVELOPE && tag === UNKNOWN_RAW ? head : head + length;
        break;
      }
      case FIXED64:
        size = tagLength + 8;
        break;
      case FIXED32:
        size = tagLength + 4;
        break;
      default:
        throw malformed(`wire type ${tag & 7}`);
    }
    if (this.stage === LIST && size > this.listRemaining) throw malformed("a field that overruns its message");
    return size;
  }

  /** Decodes the unit buf[start, end). */
  private unit(buf: Buffer, start: number, end: number): void {
    if (this.stage === MAGIC) {
      if (!hasMagic(buf, start, end)) throw malformed("a list that is neither protobuf nor JSON");
      this.stage = ENVELOPE;
      return;
    }
    const r = new ProtoReader(buf, start);
    const t = r.varint();
    if (this.stage === LIST) {
      this.listRemaining -= end - start;
      if (t === LIST_ITEMS) {
        const itemEnd = r.delimited();
        this.onItem(readPod(r, itemEnd));
      } else if (t === LIST_METADATA) {
        readListMeta(r, this.meta);
        this.reportContinue();
      } else r.skip(t & 7);
      r.expectEnd(end);
      if (this.listRemaining === 0) this.leaveList();
      return;
    }
    switch (t) {
      case UNKNOWN_TYPE_META:
        this.kind = readTypeMeta(r).kind;
        break;
      case UNKNOWN_RAW:
        // kube-apiserver writes typeMeta first (fields in order): the kind is known before any item is decoded.
        if (this.kind !== "PodList") {
          const kind = this.kind || "object without a kind";
          throw new KubeError("protocol", `the server sent a protobuf ${kind}, expected PodList`);
        }
        if (this.listSeen) throw malformed("a list with two bodies");
        this.listSeen = true;
        // Its length runs past this chunk: no bound check against the buffer.
        this.listRemaining = r.varint();
        this.stage = LIST;
        if (this.listRemaining === 0) this.leaveList();
        break;
      default:
        if (!checkUnknownEncoding(r, t)) r.skip(t & 7);
    }
    r.expectEnd(end);
  }

  private leaveList(): void {
    this.stage = ENVELOPE;
    this.reportContinue();
  }

  private reportContinue(): void {
    if (this.continueReported) return;
    this.continueReported = true;
    this.onContinue(this.meta.continueToken);
  }

  private pushJson(chunk: Buffer): void {
    if (!this.json) this.json = [];
    this.json.push(chunk);
    if (this.continueReported || !jsonDecoder.peekContinue) return;
    const head = this.json.length === 1 ? chunk : Buffer.concat(this.json);
    const token = jsonDecoder.peekContinue(head);
    if (token !== undefined) {
      this.continueReported = true;
      this.onContinue(token);
    }
  }

  private endJson(): DecodedList {
    const chunks = this.json ?? [];
    const list = jsonDecoder.decodeList(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks));
    this.json = undefined;
    for (const item of list.items) this.onItem(item);
    if (!this.continueReported) {
      this.continueReported = true;
      this.onContinue(list.continueToken);
    }
    return { ...list, items: [] };
  }
}

/** The varint at buf[pos, end) as a number (tags and lengths: below 2^53), or INCOMPLETE when it runs past `end`. */
function varintAt(buf: Buffer, pos: number, end: number): number {
  let value = 0;
  let scale = 1;
  for (let i = 0; i < 10; i++) {
    if (pos + i >= end) return INCOMPLETE;
    const byte = buf[pos + i]!;
    value += (byte & 0x7f) * scale;
    if (byte < 0x80) return value;
    scale *= 128;
  }
  throw malformed("a varint longer than 10 bytes");
}

/** Bytes of the (complete) varint at buf[pos]. */
function varintLength(buf: Buffer, pos: number): number {
  let i = 0;
  while (buf[pos + i]! >= 0x80) i++;
  return i + 1;
}

/** `{`, or the whitespace a JSON body may start with; never the first byte of the magic. */
function looksLikeJson(byte: number | undefined): boolean {
  return byte === 0x7b || byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09;
}
