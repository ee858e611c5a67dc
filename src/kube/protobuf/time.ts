// metav1.Time on the protobuf wire is a message {seconds = 1, nanos = 2}; its JSON form is RFC 3339 in UTC with whole
// seconds ("2024-01-02T03:04:05Z", time_proto.go drops nanos on both sides). Rows parse the JSON form, so the decoder
// hands them the same string.
import { type ProtoReader, VARINT } from "./reader.ts";

/**
 * Reads a metav1.Time message whose length prefix is next. An empty message is Go's zero time, which JSON writes as
 * null: it comes back undefined, so `deletionTimestamp != null` means the same in both formats.
 */
export function readTime(r: ProtoReader): string | undefined {
  const end = r.delimited();
  if (r.pos === end) return undefined;
  let seconds = 0;
  while (r.pos < end) {
    const tag = r.varint();
    if (tag === ((1 << 3) | VARINT)) seconds = r.int64();
    else r.skip(tag & 7);
  }
  r.expectEnd(end);
  return formatTime(seconds);
}

// Pods created together share a second; one remembered string saves re-formatting it.
let lastSeconds = Number.NaN;
let lastText = "";

/** Unix seconds → "YYYY-MM-DDTHH:MM:SSZ" (UTC), without a Date object. */
export function formatTime(seconds: number): string {
  if (seconds === lastSeconds) return lastText;
  const days = Math.floor(seconds / 86400);
  const secondOfDay = seconds - days * 86400;
  // Civil date from days since 1970-01-01 (Howard Hinnant's days_from_civil, inverted).
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const dayOfEra = z - era * 146097;
  const yearOfEra = Math.floor(
    (dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36524) - Math.floor(dayOfEra / 146096)) / 365,
  );
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const mp = Math.floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
  const hour = Math.floor(secondOfDay / 3600);
  const minute = Math.floor((secondOfDay % 3600) / 60);
  const second = secondOfDay % 60;
  if (year >= 0 && year <= 9999) {
    // One flat string from its character codes: the template below makes a rope of a dozen pieces, flattened later
    // (about 450 bytes of garbage a pod at ingest).
    lastText = String.fromCharCode(
      ZERO + Math.floor(year / 1000),
      ZERO + (Math.floor(year / 100) % 10),
      ZERO + (Math.floor(year / 10) % 10),
      ZERO + (year % 10),
      DASH,
      ZERO + Math.floor(month / 10),
      ZERO + (month % 10),
      DASH,
      ZERO + Math.floor(day / 10),
      ZERO + (day % 10),
      T,
      ZERO + Math.floor(hour / 10),
      ZERO + (hour % 10),
      COLON,
      ZERO + Math.floor(minute / 10),
      ZERO + (minute % 10),
      COLON,
      ZERO + Math.floor(second / 10),
      ZERO + (second % 10),
      Z,
    );
  } else {
    lastText = `${year}-${TWO[month]}-${TWO[day]}T${TWO[hour]}:${TWO[minute]}:${TWO[second]}Z`;
  }
  lastSeconds = seconds;
  return lastText;
}

const ZERO = 0x30;
const DASH = 0x2d;
const COLON = 0x3a;
const T = 0x54;
const Z = 0x5a;
const TWO: string[] = [];
for (let i = 0; i < 100; i++) TWO.push(i < 10 ? `0${i}` : String(i));
