// resource.Quantity as the printers show it: Quantity.String() writes the canonical form, not what the object said
// ("1.5Gi" prints "1536Mi", "1000M" prints "1G", "0.5" prints "500m"). BigInt keeps exactness for any size.

const DECIMAL_SUFFIXES: Record<string, number> = { n: -9, u: -6, m: -3, "": 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
const BINARY_SUFFIXES: Record<string, number> = { Ki: 1, Mi: 2, Gi: 3, Ti: 4, Pi: 5, Ei: 6 };
const DECIMAL_BY_EXPONENT = new Map(Object.entries(DECIMAL_SUFFIXES).map(([suffix, exp]) => [exp, suffix]));
const BINARY_BY_POWER = ["", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"];
const QUANTITY = /^([+-]?)(\d*)(?:\.(\d*))?(.*)$/;

/** The canonical text of a quantity string; the input unchanged when it does not parse (the API would refuse it). */
export function canonicalQuantity(text: string): string {
  const match = QUANTITY.exec(text.trim());
  if (!match) return text;
  const [, sign, whole = "", fraction = "", suffix = ""] = match;
  if (whole === "" && fraction === "") return text;
  let mantissa = BigInt(whole + fraction || "0");
  let scale = -fraction.length;
  let binary = false;
  let exponentForm = false;
  if (suffix in DECIMAL_SUFFIXES) scale += DECIMAL_SUFFIXES[suffix]!;
  else if (suffix in BINARY_SUFFIXES) {
    mantissa *= 1n << BigInt(10 * BINARY_SUFFIXES[suffix]!);
    binary = true;
  } else if (/^[eE][+-]?\d+$/.test(suffix)) {
    scale += Number(suffix.slice(1));
    exponentForm = true;
  } else return text;
  if (mantissa === 0n) return "0";
  // Quantities keep at most nano precision; ParseQuantity rounds the rest away from zero.
  if (scale < -9) {
    const divisor = 10n ** BigInt(-9 - scale);
    mantissa = (mantissa + divisor - 1n) / divisor;
    scale = -9;
  }
  const negative = sign === "-";

  if (binary && mantissa * 10n ** BigInt(Math.max(scale, 0)) >= 1024n * 10n ** BigInt(Math.max(-scale, 0))) {
    const integer = integerValue(mantissa, scale);
    if (integer !== undefined) {
      let value = integer;
      let power = 0;
      while (power < 6 && value % 1024n === 0n) {
        value /= 1024n;
        power++;
      }
      return `${negative ? "-" : ""}${value}${BINARY_BY_POWER[power]}`;
    }
  }

  // Decimal: drop trailing zeros into the exponent, then lower the exponent to a multiple of 3.
  while (mantissa % 10n === 0n) {
    mantissa /= 10n;
    scale++;
  }
  const extra = ((scale % 3) + 3) % 3;
  mantissa *= 10n ** BigInt(extra);
  scale -= extra;
  const digits = `${negative ? "-" : ""}${mantissa}`;
  if (exponentForm) return scale === 0 ? digits : `${digits}e${scale}`;
  return digits + (DECIMAL_BY_EXPONENT.get(scale) ?? `e${scale}`);
}

/** mantissa × 10^scale when it is a whole number. */
function integerValue(mantissa: bigint, scale: number): bigint | undefined {
  if (scale >= 0) return mantissa * 10n ** BigInt(scale);
  const divisor = 10n ** BigInt(-scale);
  return mantissa % divisor === 0n ? mantissa / divisor : undefined;
}

/** A quantity field of API JSON: canonical text, "0" when missing (the zero Quantity prints "0"). */
export function quantityText(value: unknown): string {
  if (typeof value === "number") return canonicalQuantity(String(value));
  return typeof value === "string" && value !== "" ? canonicalQuantity(value) : "0";
}
