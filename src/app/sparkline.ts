// A sparkline: the last samples of a series as one line of block characters (▁▂▃▄▅▆▇█), scaled to the largest
// sample shown, a gap (space) where a sample is missing (NaN: the pod was not running, or had no news).

const BARS = "▁▂▃▄▅▆▇█";

/** The last `width` values of `values` as a sparkline, right-aligned (the newest at the right end). */
export function sparkline(values: ArrayLike<number>, width: number): string {
  if (width <= 0) return "";
  const from = Math.max(0, values.length - width);
  let max = 0;
  for (let i = from; i < values.length; i++) {
    const v = values[i] as number;
    if (Number.isFinite(v) && v > max) max = v;
  }
  let out = "";
  for (let i = from; i < values.length; i++) {
    const v = values[i] as number;
    if (!Number.isFinite(v) || v < 0) out += " ";
    else if (max === 0) out += BARS[0];
    else out += BARS[Math.min(BARS.length - 1, Math.floor((v / max) * (BARS.length - 1) + 0.5))];
  }
  return out.padStart(width, " ");
}
