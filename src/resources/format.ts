// Time formatting exactly as kubectl prints it: apimachinery's duration.HumanDuration and the printers'
// translateTimestampSince. Durations are in milliseconds; the Go code truncates toward zero at every unit.

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

/** kubectl's HumanDuration: ~2-3 significant figures ("45s", "3m2s", "4h", "2d3h", "85d", "3y45d"). */
export function humanDuration(ms: number): string {
  // Up to 2 seconds (excluded) in the future counts as "now", to tolerate clock skew between machines.
  const seconds = Math.trunc(ms / SECOND);
  if (seconds < -1) return "<invalid>";
  if (seconds < 0) return "0s";
  if (seconds < 120) return `${seconds}s`;
  const minutes = Math.trunc(ms / MINUTE);
  if (minutes < 10) {
    const s = seconds % 60;
    return s === 0 ? `${minutes}m` : `${minutes}m${s}s`;
  }
  if (minutes < 180) return `${minutes}m`;
  const hours = Math.trunc(ms / HOUR);
  if (hours < 8) {
    const m = minutes % 60;
    return m === 0 ? `${hours}h` : `${hours}h${m}m`;
  }
  if (hours < 48) return `${hours}h`;
  const days = Math.trunc(hours / 24);
  if (hours < 24 * 8) {
    const h = hours % 24;
    return h === 0 ? `${days}d` : `${days}d${h}h`;
  }
  if (hours < 24 * 365 * 2) return `${days}d`;
  const years = Math.trunc(days / 365);
  if (hours < 24 * 365 * 8) {
    const d = days % 365;
    return d === 0 ? `${years}y` : `${years}y${d}d`;
  }
  return `${years}y`;
}

/** AGE cell: time since `createdAt` (epoch ms, 0 = missing) as kubectl prints it. */
export function age(createdAt: number, now: number): string {
  if (createdAt === 0) return "<unknown>";
  return humanDuration(now - createdAt);
}

/**
 * RFC 3339 timestamp (as the API server writes it) to epoch ms; 0 when missing or unparsable.
 * The common "2024-05-01T12:34:56Z" form is parsed by hand: Date.parse is several times slower and this runs for
 * several timestamps of every pod at ingest.
 */
export function parseTime(value: unknown): number {
  if (typeof value !== "string" || value === "") return 0;
  if (value.length === 20 && value.charCodeAt(19) === 90 /* Z */ && value.charCodeAt(10) === 84 /* T */) {
    const year = digits(value, 0, 4);
    const month = digits(value, 5, 2);
    const day = digits(value, 8, 2);
    const hour = digits(value, 11, 2);
    const minute = digits(value, 14, 2);
    const second = digits(value, 17, 2);
    if (year >= 0 && month >= 0 && day >= 0 && hour >= 0 && minute >= 0 && second >= 0) {
      return Date.UTC(year, month - 1, day, hour, minute, second);
    }
  }
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? 0 : ms;
}

/** The decimal number in value[start, start+count), or -1 if any character is not a digit. */
function digits(value: string, start: number, count: number): number {
  let n = 0;
  for (let i = start; i < start + count; i++) {
    const c = value.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    n = n * 10 + c;
  }
  return n;
}
