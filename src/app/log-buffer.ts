// The logs view's memory: a ring buffer of lines bounded in lines AND bytes (below both bounds no line is ever
// dropped; above either the oldest go, and `dropped` counts them), the parsing of the server's timestamped lines,
// control-character sanitising, and the resume logic that makes a reconnected stream (sinceTime = the last line's
// timestamp) repeat nothing and lose nothing. Pure apart from the buffer's own in-place appends.

/** Default bounds: 100,000 lines or 64 MB of line text, whichever comes first. */
export const DEFAULT_MAX_LINES = 100_000;
export const DEFAULT_MAX_BYTES = 64 * 1024 * 1024;
/** A line longer than this (UTF-16 units) is cut, with a marker saying how much went. */
export const MAX_LINE_CHARS = 16 * 1024;

// The user's bounds (config.yaml's logBuffer), set once at start-up by the CLI, like the skin: every logs view opened
// afterwards uses them unless it is given its own.
let configuredBounds: Partial<BufferBounds> = {};

/** Sets the bounds of the buffers made from now on (config.yaml: `logBuffer: {lines, bytes}`). */
export function setDefaultLogBounds(bounds: { lines?: number | undefined; bytes?: number | undefined }): void {
  configuredBounds = {
    ...(bounds.lines !== undefined && { maxLines: bounds.lines }),
    ...(bounds.bytes !== undefined && { maxBytes: bounds.bytes }),
  };
}

export interface LogLine {
  /** The server's RFC3339Nano timestamp ("" for a marker or a line without one). */
  readonly ts: string;
  /** The line as shown: sanitised, tabs expanded, cut if huge. */
  readonly text: string;
  /** A line of the view's own (stream ended, resumed), not of the container. */
  readonly marker?: boolean;
  /** Whose line it is in a merged view ("app", "pod/app"); undefined in a one-container view. */
  readonly source?: string;
  /** normalTs(ts), set in a merged view to place the line by time. */
  readonly key?: string;
  /** Epoch ms it arrived at (a merged view reorders only what came in the last few seconds). */
  readonly arrived?: number;
}

export interface BufferBounds {
  maxLines: number;
  maxBytes: number;
}

/** Bytes a line is accounted for: its text's and timestamp's UTF-16 length ×2 plus a fixed overhead. */
function costOf(line: LogLine): number {
  return (line.text.length + line.ts.length + (line.source?.length ?? 0) + (line.key?.length ?? 0)) * 2 + 64;
}

/**
 * Append-only ring of lines. Lines are addressed by their absolute sequence number (0 = the first line ever
 * appended): `first` is the oldest kept, `end` one past the newest, so a position stays valid while old lines go.
 */
export class LogBuffer {
  readonly maxLines: number;
  readonly maxBytes: number;
  private items: (LogLine | undefined)[] = new Array(1024);
  private start = 0;
  private count = 0;
  private bytesUsed = 0;
  /** Lines dropped from the front (the bound was reached) or cleared. */
  private droppedCount = 0;
  private cleared = 0;

  constructor(bounds: Partial<BufferBounds> = {}) {
    this.maxLines = Math.max(1, bounds.maxLines ?? configuredBounds.maxLines ?? DEFAULT_MAX_LINES);
    this.maxBytes = Math.max(1, bounds.maxBytes ?? configuredBounds.maxBytes ?? DEFAULT_MAX_BYTES);
  }

  get first(): number {
    return this.droppedCount + this.cleared;
  }
  get end(): number {
    return this.first + this.count;
  }
  get length(): number {
    return this.count;
  }
  get bytes(): number {
    return this.bytesUsed;
  }
  /** Lines that went because a bound was reached (not those cleared by the user). */
  get dropped(): number {
    return this.droppedCount;
  }

  /** The line at absolute position `seq`, or undefined when it is not kept. */
  at(seq: number): LogLine | undefined {
    const i = seq - this.first;
    if (i < 0 || i >= this.count) return undefined;
    return this.items[(this.start + i) % this.items.length];
  }

  last(): LogLine | undefined {
    return this.count ? this.at(this.end - 1) : undefined;
  }

  push(line: LogLine): void {
    if (this.count === this.items.length) {
      if (this.items.length < this.maxLines) this.grow();
      else this.dropOldest();
    }
    this.items[(this.start + this.count) % this.items.length] = line;
    this.count++;
    this.bytesUsed += costOf(line);
    while (this.bytesUsed > this.maxBytes && this.count > 1) this.dropOldest();
    while (this.count > this.maxLines) this.dropOldest();
  }

  /**
   * Puts `line` at absolute position `seq` (end or before it), moving the lines from there on one place up: for a
   * merged view that places a line by its timestamp among the last few. O(end − seq).
   */
  insert(seq: number, line: LogLine): void {
    if (seq >= this.end) {
      this.push(line);
      return;
    }
    this.push(line);
    const lo = Math.max(seq, this.first);
    const size = this.items.length;
    for (let i = this.end - 1; i > lo; i--) {
      this.items[(this.start + i - this.first) % size] = this.items[(this.start + i - 1 - this.first) % size];
    }
    if (lo < this.end) this.items[(this.start + lo - this.first) % size] = line;
  }

  /** Empties it (the user's clear): positions go on from where they were. */
  clear(): void {
    this.cleared += this.count;
    this.items = new Array(1024);
    this.start = 0;
    this.count = 0;
    this.bytesUsed = 0;
  }

  /** Every kept line, oldest first (save, copy). */
  *lines(): Generator<LogLine> {
    for (let s = this.first; s < this.end; s++) yield this.at(s) as LogLine;
  }

  private dropOldest(): void {
    const line = this.items[this.start] as LogLine;
    this.items[this.start] = undefined;
    this.start = (this.start + 1) % this.items.length;
    this.count--;
    this.bytesUsed -= costOf(line);
    this.droppedCount++;
  }

  private grow(): void {
    const size = Math.min(this.maxLines, this.items.length * 2);
    const next: (LogLine | undefined)[] = new Array(size);
    for (let i = 0; i < this.count; i++) next[i] = this.items[(this.start + i) % this.items.length];
    this.items = next;
    this.start = 0;
  }
}

// ---- Lines from the server ----

const TS = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d{1,9})?(?:Z|[+-]\d\d:\d\d)) /;
// CSI and OSC escape sequences (colours, titles): dropped; other control characters are shown as ^X.
const ESCAPES = /\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-_]/g;
const CONTROLS = /[\x00-\x08\x0b-\x1f\x7f\x80-\x9f]/g;

/** A line made safe to paint: escape sequences dropped, control characters as ^X, tabs expanded, cut if huge. */
export function sanitize(raw: string): string {
  let line = raw.endsWith("\r") ? raw.slice(0, -1) : raw;
  let cut = 0;
  if (line.length > MAX_LINE_CHARS) {
    cut = line.length - MAX_LINE_CHARS;
    line = line.slice(0, MAX_LINE_CHARS);
  }
  if (line.includes("\x1b")) line = line.replace(ESCAPES, "");
  line = line.replace(CONTROLS, (c) => {
    const code = c.charCodeAt(0);
    return code < 0x20 ? `^${String.fromCharCode(code + 64)}` : code === 0x7f ? "^?" : "�";
  });
  if (line.includes("\t")) {
    let out = "";
    for (const ch of line) out += ch === "\t" ? " ".repeat(8 - (out.length % 8)) : ch;
    line = out;
  }
  return cut ? `${line} …[line cut: ${cut} more characters]` : line;
}

/** A raw line of a `timestamps=true` response: its timestamp and its text. */
export function parseLine(raw: string): LogLine {
  const m = TS.exec(raw);
  if (!m) return { ts: "", text: sanitize(raw) };
  return { ts: m[1] as string, text: sanitize(raw.slice(m[0].length)) };
}

/** Splits streamed text into whole lines; the unfinished end is carried to the next chunk. */
export function splitChunk(carry: string, chunk: string): { lines: string[]; carry: string } {
  const text = carry + chunk;
  const parts = text.split("\n");
  return { lines: parts.slice(0, -1), carry: parts[parts.length - 1] as string };
}

/** An RFC3339 timestamp with a 9-digit fraction in UTC, so that timestamps compare as strings. */
export function normalTs(ts: string): string {
  const m = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d{1,9}))?(Z|[+-]\d\d:\d\d)$/.exec(ts);
  if (!m) return ts;
  let head = m[1] as string;
  if (m[3] !== "Z") head = new Date(`${head}${m[3]}`).toISOString().slice(0, 19);
  return `${head}.${(m[2] ?? "").padEnd(9, "0")}Z`;
}

// ---- Resume without duplicates ----

/**
 * What a reconnect must skip: the lines already seen whose timestamp is the last one's (the server sends lines
 * at or after sinceTime, so those come again). A multiset, as a container may write the same text twice at once.
 */
export interface ResumePoint {
  /** The last line's timestamp, as the server wrote it (sent as sinceTime). */
  readonly since: string;
  readonly sinceKey: string;
  /** ts + "\n" + text → how many times it was seen at that timestamp. */
  readonly seen: ReadonlyMap<string, number>;
}

const RESUME_WINDOW = 10_000;

/**
 * The resume point after `lines` (newest last; markers skipped), or null when none has a timestamp. With `source`,
 * only that source's lines count (a merged view resumes each stream on its own).
 */
export function resumePoint(buffer: LogBuffer, source?: string): ResumePoint | null {
  let seq = buffer.end - 1;
  let last: LogLine | undefined;
  for (; seq >= buffer.first; seq--) {
    const l = buffer.at(seq) as LogLine;
    if (!l.marker && l.ts && l.source === source) {
      last = l;
      break;
    }
  }
  if (!last) return null;
  const sinceKey = normalTs(last.ts);
  const seen = new Map<string, number>();
  for (let n = 0; seq >= buffer.first && n < RESUME_WINDOW; seq--, n++) {
    const l = buffer.at(seq) as LogLine;
    if (l.marker || !l.ts || l.source !== source) continue;
    if (normalTs(l.ts) !== sinceKey) break;
    const key = `${sinceKey}\n${l.text}`;
    seen.set(key, (seen.get(key) ?? 0) + 1);
  }
  return { since: last.ts, sinceKey, seen };
}

/**
 * Skips what a resumed stream repeats: a line older than the resume point, or at its timestamp and seen there,
 * is dropped (each seen copy once); the first line after it ends the skipping (returns null for the next state).
 */
export class ResumeFilter {
  private readonly point: ResumePoint;
  private readonly left: Map<string, number>;
  private done = false;

  constructor(point: ResumePoint) {
    this.point = point;
    this.left = new Map(point.seen);
  }

  get active(): boolean {
    return !this.done;
  }

  /** True when the line is new (to keep). */
  keep(line: LogLine): boolean {
    if (this.done || !line.ts) return true;
    const key = normalTs(line.ts);
    if (key < this.point.sinceKey) return false;
    if (key === this.point.sinceKey) {
      const k = `${key}\n${line.text}`;
      const n = this.left.get(k) ?? 0;
      if (n > 0) {
        this.left.set(k, n - 1);
        return false;
      }
      return true;
    }
    this.done = true;
    return true;
  }
}
