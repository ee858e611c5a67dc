// Packs the JSON of bulk-loaded objects into a few large slabs instead of one Buffer per object. A Buffer per object
// costs a malloc'd backing store each, and V8 answers every few tens of MB of new external memory with a full GC that
// walks the whole heap: with 100k+ pods that made generation worse than linear. Slabs double from 16 MB up to 256 MB,
// so a small cluster reserves little and a large one triggers only a handful of such GCs (a slab's untouched tail
// costs address space, not resident memory).
// A slab lives as long as any object in it: objects replaced or deleted later leave their bytes in place until the
// store moves the survivors of a partly dead slab into slabs of their exact size (Store.repack). Objects stored after
// the bulk load each get a buffer of their own (ownBuffer).

const FIRST_SLAB = 16 << 20;
const MAX_SLAB = 256 << 20;

export class Arena {
  /** The slabs handed out and not yet given up (see release), with how many bytes were written into each. */
  readonly slabs = new Map<ArrayBufferLike, number>();
  private slab: Buffer = Buffer.alloc(0);
  private used = 0;

  /** The slab still being filled, if any: its free tail is not garbage. */
  get current(): ArrayBufferLike | undefined {
    return this.slab.length > 0 ? this.slab.buffer : undefined;
  }

  /** The UTF-8 bytes of `text`, as a view into the current slab. */
  put(text: string): Buffer {
    // A UTF-16 code unit takes at most 3 bytes in UTF-8: check the exact length only when that bound does not fit.
    if (this.used + text.length * 3 > this.slab.length) this.room(Buffer.byteLength(text));
    const start = this.used;
    this.used += this.slab.write(text, start);
    this.slabs.set(this.slab.buffer, this.used);
    return this.slab.subarray(start, this.used);
  }

  /** Nothing more goes into the slab being filled (the bulk load is over): it is judged by what it holds, as the
   * others are, and can be given up in turn. A later put starts a new slab. */
  seal(): void {
    this.slab = Buffer.alloc(0);
    this.used = 0;
  }

  /** A slab of exactly `size` bytes, counted as written, for the survivors of a slab given up (Store.repack): one
   * allocation rather than one per object (a Buffer each for 200k survivors took seconds of GC). */
  survivorSlab(size: number): Buffer {
    const slab = Buffer.allocUnsafeSlow(size);
    this.slabs.set(slab.buffer, size);
    return slab;
  }

  /** Forgets a slab: it is freed once no view into it is left. */
  release(slab: ArrayBufferLike): void {
    this.slabs.delete(slab);
  }

  private room(need: number): void {
    if (this.used + need <= this.slab.length) return;
    const size = this.slab.length === 0 ? FIRST_SLAB : Math.min(MAX_SLAB, this.slab.length * 2);
    this.slab = Buffer.allocUnsafeSlow(Math.max(size, need));
    this.used = 0;
    this.slabs.set(this.slab.buffer, 0);
  }
}

/**
 * The UTF-8 bytes of `text` in a buffer of their own, for an object kept beyond the moment. `Buffer.from` hands out
 * views into a shared 64 KB pool (Node 24's Buffer.poolSize; any string under 32 KB), and a pool lives as long as any
 * view into it does: under churn nearly every pool kept one current object, so each stored change held up to 64 KB of
 * memory for its ~9 KB of JSON (100k pods, 100 changes/s: RSS grew ~4.5 MB/s).
 */
export function ownBuffer(text: string): Buffer {
  const b = Buffer.allocUnsafeSlow(Buffer.byteLength(text));
  b.write(text);
  return b;
}

/** A copy of `bytes` in a buffer of its own (see ownBuffer), for bytes kept beyond the moment. */
export function ownCopy(bytes: Uint8Array): Buffer {
  const b = Buffer.allocUnsafeSlow(bytes.length);
  b.set(bytes);
  return b;
}
