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
  if (createdAt === 0 || createdAt === NO_TIME) return "<unknown>";
  return humanDuration(now - createdAt);
}

/**
 * "No timestamp" for row fields that hold an optional time. Not 0: 1970-01-01 is a time like any other and kubectl
 * prints it ("56y ago"); only a missing field or Go's zero time (0001-01-01T00:00:00Z, what a nil metav1.Time
 * serializes to) means none. The earliest time a Date can hold, so that "latest of" comparisons start from it.
 */
export const NO_TIME = -8.64e15;

/** Go's zero time.Time, 0001-01-01T00:00:00Z, in epoch ms. */
const GO_ZERO_TIME = -62135596800000;

/** Like parseTime, for optional timestamps: NO_TIME when missing, unparsable or Go's zero time. */
export function parseOptionalTime(value: unknown): number {
  if (typeof value !== "string" || value === "") return NO_TIME;
  const ms = parseTimeOr(value, NO_TIME);
  return ms === GO_ZERO_TIME ? NO_TIME : ms;
}

/** translateTimestampSince for an optional time: "<unknown>" for none, else the age. */
export function since(at: number, now: number): string {
  return at === NO_TIME ? "<unknown>" : humanDuration(now - at);
}

/**
 * RFC 3339 timestamp (as the API server writes it) to epoch ms; 0 when missing or unparsable.
 * The common "2024-05-01T12:34:56Z" form is parsed by hand: Date.parse is several times slower and this runs for
 * several timestamps of every pod at ingest.
 */
export function parseTime(value: unknown): number {
  if (typeof value !== "string" || value === "") return 0;
  // Pods created together share their timestamp, and the protobuf decoder hands out one string for a repeated second.
  if (value === lastParsedText) return lastParsedMs;
  const ms = parseTimeOr(value, 0);
  lastParsedText = value;
  lastParsedMs = ms;
  return ms;
}
let lastParsedText = "";
let lastParsedMs = 0;

function parseTimeOr(value: string, invalid: number): number {
  if (value.length === 20 && value.charCodeAt(19) === 90 /* Z */ && value.charCodeAt(10) === 84 /* T */) {
    const year = digits(value, 0, 4);
    const month = digits(value, 5, 2);
    const day = digits(value, 8, 2);
    const hour = digits(value, 11, 2);
    const minute = digits(value, 14, 2);
    const second = digits(value, 17, 2);
    // Date.UTC reads years 0-99 as 1900-1999; those (Go's zero time among them) take the slow path.
    if (year >= 100 && month >= 0 && day >= 0 && hour >= 0 && minute >= 0 && second >= 0) {
      return Date.UTC(year, month - 1, day, hour, minute, second);
    }
  }
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? invalid : ms;
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
