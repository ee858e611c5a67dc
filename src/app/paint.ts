// Painting helpers shared by the header and the views: styled segments cut to a width, counts, the spinner.
import type { LoadingStatus } from "../repository/types.ts";
import { displayWidth, ELLIPSIS, isPrintableAscii, sanitize, takeWidth } from "../tui/width.ts";
import { StyledLine } from "./table.ts";

/** A run of text in one style (SGR codes, "" plain). */
export interface Segment {
  text: string;
  style: string;
}

/** Segments cut to `width` cells, with "…" where something was cut. Text is sanitised before it is measured. */
export function cutSegments(segments: readonly Segment[], width: number): Segment[] {
  const out: Segment[] = [];
  let used = 0;
  for (const seg of segments) {
    const text = isPrintableAscii(seg.text) ? seg.text : sanitize(seg.text);
    const w = displayWidth(text);
    if (used + w <= width) {
      out.push({ text, style: seg.style });
      used += w;
      continue;
    }
    if (width - used >= 1) out.push({ text: takeWidth(text, width - used - 1) + ELLIPSIS, style: seg.style });
    break;
  }
  return out;
}

export function segmentsWidth(segments: readonly Segment[]): number {
  return segments.reduce((w, s) => w + displayWidth(s.text), 0);
}

/** Segments on one line, cut to `width` cells. */
export function paintSegments(segments: readonly Segment[], width: number): string {
  const line = new StyledLine();
  for (const seg of cutSegments(segments, width)) line.add(seg.text, seg.style);
  return line.toString();
}

export function formatCount(n: number): string {
  return n < 1000 ? String(n) : n.toLocaleString("en-US");
}

const SPINNER = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];

export function spinnerFrame(now: number): string {
  return SPINNER[Math.floor(now / 100) % SPINNER.length] as string;
}

/** Spinners turn only while something is loading; the runtime ticks faster then. */
export function isLoading(statuses: readonly LoadingStatus[]): boolean {
  return statuses.some((s) => !s.synced && !s.error);
}

/** `lines` padded with empty lines (or cut) to exactly `height`. */
export function fill(lines: string[], height: number): string[] {
  if (lines.length > height) lines.length = Math.max(0, height);
  while (lines.length < height) lines.push("");
  return lines;
}
