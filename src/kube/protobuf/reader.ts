// A minimal protobuf wire reader: varints, length-delimited fields and skipping, straight over a Buffer.
// Message decoders walk their fields with `while (r.pos < end)`, read the ones they need and `skip` the rest, so unknown
// and unneeded fields (managedFields, env, volumes...) cost a varint and a jump, never an allocation.
import { KubeError } from "../errors.ts";

export const VARINT = 0;
export const FIXED64 = 1;
export const BYTES = 2;
export const FIXED32 = 5;

const TWO_32 = 2 ** 32;

// The symbol table: direct-mapped by hash, a colliding newcomer replaces the old entry. Fixed memory (~200 KB).
const SYMBOL_SLOTS = 4096;
const SYMBOL_MAX_BYTES = 48;
const symbolBytes = new Uint8Array(SYMBOL_SLOTS * SYMBOL_MAX_BYTES);
const symbolLengths = new Uint8Array(SYMBOL_SLOTS);
const symbolStrings: string[] = new Array<string>(SYMBOL_SLOTS).fill("");

export class ProtoReader {
  readonly buf: Buffer;
  pos: number;

  constructor(buf: Buffer, pos = 0) {
    this.buf = buf;
    this.pos = pos;
  }

  /** Unsigned varint as a number: exact below 2^53, which covers tags, lengths and every count the API uses. */
  varint(): number {
    const buf = this.buf;
    let pos = this.pos;
    let byte = buf[pos++]!;
    if (byte < 0x80) {
      this.pos = pos;
      return byte;
    }
    let value = byte & 0x7f;
    let scale = 128;
    for (let i = 1; i < 10; i++) {
      byte = buf[pos++]!;
      value += (byte & 0x7f) * scale;
      if (byte < 0x80) {
        if (pos > buf.length) throw truncated();
        this.pos = pos;
        return value;
      }
      scale *= 128;
    }
    // Ten bytes without an end, or the buffer ended first (indexing past the end reads undefined, which never ends).
    throw malformed("a varint longer than 10 bytes");
  }

  /** int32: negative values are sign-extended to ten bytes on the wire; the low 32 bits are the value. */
  int32(): number {
    const start = this.pos;
    const value = this.varint();
    return value < 0x80000000 ? value : this.low32(start) | 0;
  }

  /** int64 as a number (exact within ±2^53; the API's int64s are times, counts and generations). */
  int64(): number {
    const start = this.pos;
    const value = this.varint();
    if (value < 2 ** 63) return value;
    // Two's complement negative: redo the arithmetic on exact 32-bit halves.
    const lo = this.low32(start);
    const hi = this.high32(start);
    return -((~hi >>> 0) * TWO_32 + (~lo >>> 0) + 1);
  }

  bool(): boolean {
    return this.varint() !== 0;
  }

  /** Reads the length of a length-delimited field; returns where it ends, leaving `pos` at its first byte. */
  delimited(): number {
    const length = this.varint();
    const end = this.pos + length;
    if (end > this.buf.length) throw truncated();
    return end;
  }

  string(): string {
    const end = this.delimited();
    const start = this.pos;
    this.pos = end;
    return start === end ? "" : this.buf.toString("utf8", start, end);
  }

  /**
   * A string from a small set that recurs across objects (namespaces, node names, kinds, condition types and statuses,
   * reasons): the same bytes give back the same string, without decoding or allocating it again.
   */
  symbol(): string {
    const end = this.delimited();
    const start = this.pos;
    this.pos = end;
    const length = end - start;
    if (length === 0) return "";
    if (length > SYMBOL_MAX_BYTES) return this.buf.toString("utf8", start, end);
    const buf = this.buf;
    let hash = 0x811c9dc5; // FNV-1a
    for (let i = start; i < end; i++) hash = Math.imul(hash ^ buf[i]!, 0x01000193);
    const slot = hash & (SYMBOL_SLOTS - 1);
    const base = slot * SYMBOL_MAX_BYTES;
    if (symbolLengths[slot] === length) {
      let same = true;
      for (let i = 0; i < length; i++) {
        if (symbolBytes[base + i] !== buf[start + i]) {
          same = false;
          break;
        }
      }
      if (same) return symbolStrings[slot]!;
    }
    const text = buf.toString("utf8", start, end);
    buf.copy(symbolBytes, base, start, end);
    symbolLengths[slot] = length;
    symbolStrings[slot] = text;
    return text;
  }

  /** Skips the value of a field whose tag was just read. */
  skip(wireType: number): void {
    switch (wireType) {
      case VARINT:
        this.varint();
        return;
      case BYTES:
        this.pos = this.delimited();
        return;
      case FIXED64:
        this.pos += 8;
        break;
      case FIXED32:
        this.pos += 4;
        break;
      default:
        // Groups (3, 4) are proto1 relics that no Kubernetes message uses.
        throw malformed(`wire type ${wireType}`);
    }
    if (this.pos > this.buf.length) throw truncated();
  }

  /** Throws unless a message decoder stopped exactly at the end of its bytes. */
  expectEnd(end: number): void {
    if (this.pos !== end) throw malformed("a field that overruns its message");
  }

  /** Bits 0..31 of the varint at `start` (already validated by `varint`). */
  private low32(start: number): number {
    const buf = this.buf;
    let lo = 0;
    for (let i = 0; i < 5; i++) {
      const byte = buf[start + i]!;
      lo |= (byte & 0x7f) << (7 * i); // the 5th byte's upper bits shift out of the 32
      if (byte < 0x80) break;
    }
    return lo >>> 0;
  }

  /** Bits 32..63 of the (ten-byte) varint at `start`. */
  private high32(start: number): number {
    const buf = this.buf;
    let hi = (buf[start + 4]! & 0x7f) >> 4;
    for (let i = 5; i < 10; i++) {
      hi |= (buf[start + i]! & 0x7f) << (7 * i - 32);
    }
    return hi >>> 0;
  }
}

/**
 * Decoded sub-messages shared by every message whose bytes are the same (a container's resources: a few dozen
 * distinct ones across 100k pods). Direct-mapped by a hash of the bytes like the symbol table; a colliding newcomer
 * replaces the old entry. What it holds is shared, so it must be frozen and never mutated by readers.
 */
export class MessageCache<T> {
  private readonly slots: number;
  private readonly maxBytes: number;
  private readonly bytes: Uint8Array;
  private readonly lengths: Uint16Array;
  private readonly values: (T | undefined)[];

  constructor(slots: number, maxBytes: number) {
    this.slots = slots;
    this.maxBytes = maxBytes;
    this.bytes = new Uint8Array(slots * maxBytes);
    this.lengths = new Uint16Array(slots);
    this.values = new Array<T | undefined>(slots).fill(undefined);
  }

  /**
   * The message whose length prefix is next: the shared value for its bytes, or `decode(r, end)` (which reads it to
   * `end`) remembered for them. Messages longer than the cache's entries are decoded each time.
   */
  read(r: ProtoReader, decode: (r: ProtoReader, end: number) => T): T {
    const end = r.delimited();
    const start = r.pos;
    const length = end - start;
    if (length > this.maxBytes) return decode(r, end);
    const buf = r.buf;
    let hash = 0x811c9dc5; // FNV-1a
    for (let i = start; i < end; i++) hash = Math.imul(hash ^ buf[i]!, 0x01000193);
    const slot = (hash >>> 0) % this.slots;
    const base = slot * this.maxBytes;
    const known = this.values[slot];
    if (known !== undefined && this.lengths[slot] === length) {
      let same = true;
      for (let i = 0; i < length; i++) {
        if (this.bytes[base + i] !== buf[start + i]) {
          same = false;
          break;
        }
      }
      if (same) {
        r.pos = end;
        return known;
      }
    }
    const value = decode(r, end);
    buf.copy(this.bytes, base, start, end);
    this.lengths[slot] = length;
    this.values[slot] = value;
    return value;
  }
}

export function malformed(what: string): KubeError {
  return new KubeError("protocol", `the server sent malformed protobuf (${what})`);
}

function truncated(): KubeError {
  return new KubeError("protocol", "the server sent truncated protobuf");
}
