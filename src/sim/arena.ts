// Packs the JSON of bulk-loaded objects into a few large slabs instead of one Buffer per object. A Buffer per object
// costs a malloc'd backing store each, and V8 answers every few MB of such external memory with a full GC that walks
// the whole heap: with 100k+ pods the generation spent most of its time in those GCs, growing worse than linearly.
// A slab lives as long as any object in it: objects replaced or deleted later leave their bytes in place, so the
// memory held is at most what the initial load took (updates use ordinary Buffers).

const SLAB = 16 << 20;

export class Arena {
  private slab: Buffer = Buffer.alloc(0);
  private used = 0;

  /** The UTF-8 bytes of `text`, as a view into the current slab. */
  put(text: string): Buffer {
    // A UTF-16 code unit takes at most 3 bytes in UTF-8: check the exact length only when that bound does not fit.
    if (this.used + text.length * 3 > this.slab.length) {
      const need = Buffer.byteLength(text);
      if (this.used + need > this.slab.length) {
        this.slab = Buffer.allocUnsafeSlow(Math.max(SLAB, need));
        this.used = 0;
      }
    }
    const start = this.used;
    this.used += this.slab.write(text, start);
    return this.slab.subarray(start, this.used);
  }
}
