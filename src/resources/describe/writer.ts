// kubectl describe's output machinery, written from its rules: a prefix writer (levels of two spaces, printf-style
// pieces appended to one buffer) over Go's text/tabwriter as kubectl configures it (minwidth 0, tabwidth 8,
// padding 2, padchar ' ', no flags). A tab ends a cell; the text after a line's last tab is not a cell and does not
// count for widths. A column's block is the run of consecutive lines that have a cell in it; its width is its widest
// cell (in runes) plus the padding. A line without a tab (or a flush) ends every block.

const LEVEL = "  ";

/** What kubectl's printers.WriteEscaped replaces: ESC and CR. */
const CONTROL = /[\x1b\r]/g;

function runes(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

/** Go's tabwriter over `text` (a flush between segments: `segments` are formatted independently). */
export function tabwrite(text: string): string {
  const lines = text.split("\n");
  // A trailing "\n" leaves an empty last piece: it is not a line.
  const trailing = lines[lines.length - 1] === "";
  if (trailing) lines.pop();
  const cells = lines.map((l) => l.split("\t"));
  const out: string[] = new Array(lines.length);
  format(cells, 0, cells.length, [], out);
  return out.join("\n") + (trailing ? "\n" : "");
}

function format(cells: string[][], line0: number, line1: number, widths: number[], out: string[]): void {
  const column = widths.length;
  let start = line0;
  for (let i = line0; i < line1; i++) {
    if (column >= (cells[i] as string[]).length - 1) continue;
    // A block of lines with a cell in this column starts here.
    writeLines(cells, start, i, widths, out);
    let width = 0;
    let j = i;
    for (; j < line1; j++) {
      const line = cells[j] as string[];
      if (column >= line.length - 1) break;
      const w = runes(line[column] as string) + 2;
      if (w > width) width = w;
    }
    format(cells, i, j, [...widths, width], out);
    start = j;
    i = j - 1;
  }
  writeLines(cells, start, line1, widths, out);
}

function writeLines(cells: string[][], line0: number, line1: number, widths: number[], out: string[]): void {
  for (let i = line0; i < line1; i++) {
    const line = cells[i] as string[];
    let s = "";
    for (let j = 0; j < line.length; j++) {
      const cell = line[j] as string;
      s += cell;
      if (j < widths.length) s += " ".repeat(Math.max(0, (widths[j] as number) - runes(cell)));
    }
    out[i] = s;
  }
}

/** kubectl's PrefixWriter over its tabwriter. */
export class DescribeWriter {
  private done: string[] = [];
  private pending = "";

  /** `text` at `level` (two spaces a level); like kubectl's w.Write(level, format, ...): no newline added. */
  write(level: number, text: string): void {
    this.pending += LEVEL.repeat(level) + text.replace(CONTROL, (c) => escapeControl(c));
  }

  /** A line at `level`: `write(level, text + "\n")`. */
  line(level: number, text: string): void {
    this.write(level, `${text}\n`);
  }

  /** kubectl's Flush: the columns above are formatted on their own. */
  flush(): void {
    if (this.pending !== "") this.done.push(tabwrite(this.pending));
    this.pending = "";
  }

  /** The text, without the final newline. */
  toString(): string {
    this.flush();
    const text = this.done.join("");
    return text.endsWith("\n") ? text.slice(0, -1) : text;
  }
}

function escapeControl(c: string): string {
  return c === "\r" ? "\\r" : "^[";
}

// ---- kubectl's little formatting helpers, shared by the describers ----

type Obj = Record<string, unknown>;
export const isObj = (v: unknown): v is Obj => v !== null && typeof v === "object" && !Array.isArray(v);
export const obj = (v: unknown): Obj => (isObj(v) ? v : {});
export const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
export const str = (v: unknown): string => (typeof v === "string" ? v : v === undefined || v === null ? "" : String(v));
export const num = (v: unknown): number => (typeof v === "number" ? v : 0);

/** Go's %v of a value decoded from JSON (what the generic describer prints). */
export function goValue(v: unknown): string {
  if (v === null || v === undefined) return "<nil>";
  if (Array.isArray(v)) return `[${v.map(goValue).join(" ")}]`;
  if (isObj(v)) {
    const keys = Object.keys(v).sort();
    return `map[${keys.map((k) => `${k}:${goValue(v[k])}`).join(" ")}]`;
  }
  if (typeof v === "number") return goFloat(v);
  return String(v);
}

/**
 * Go's %v of a JSON number as an unstructured object holds it: an integer within int64 as is, anything else a
 * float64, printed %g-style with the shortest digits and an exponent when it is below -4 or at least 6 (strconv's
 * rule for the shortest precision): 1234567.5 → 1.2345675e+06, 1e19 → 1e+19, 0.00001 → 1e-05.
 */
function goFloat(n: number): string {
  if (Number.isInteger(n) && Math.abs(n) < 2 ** 63) return String(n);
  if (!Number.isFinite(n)) return String(n);
  const [m, e] = n.toExponential().split("e") as [string, string];
  const exp = Number(e);
  if (exp >= -4 && exp < 6) return String(n);
  return `${m}e${exp < 0 ? "-" : "+"}${String(Math.abs(exp)).padStart(2, "0")}`;
}

/** kubectl's stringOrNone. */
export const orNone = (s: string): string => (s === "" ? "<none>" : s);

const DAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const p2 = (n: number) => String(n).padStart(2, "0");

/** Go's time.RFC1123Z in the local time zone, as kubectl prints times: "Mon, 02 Jan 2006 15:04:05 -0700". */
export function rfc1123z(value: unknown): string {
  const ms = typeof value === "string" ? Date.parse(value) : Number.NaN;
  // A nil time formats as Go's zero time.
  if (Number.isNaN(ms)) return "Mon, 01 Jan 0001 00:00:00 +0000";
  const d = new Date(ms);
  const offset = -d.getTimezoneOffset();
  const sign = offset < 0 ? "-" : "+";
  const tz = `${sign}${p2(Math.trunc(Math.abs(offset) / 60))}${p2(Math.abs(offset) % 60)}`;
  return `${DAYS[d.getDay()]}, ${p2(d.getDate())} ${MONTHS[d.getMonth()]} ${d.getFullYear()} ${p2(d.getHours())}:${p2(d.getMinutes())}:${p2(d.getSeconds())} ${tz}`;
}

/** Labels (or a node selector) the way printLabelsMultilineWithIndent writes them: sorted, one a line. */
export function labelsMultiline(
  w: DescribeWriter,
  title: string,
  labels: unknown,
  initialIndent = "",
  innerIndent = "\t",
): void {
  w.write(0, `${initialIndent}${title}:${innerIndent}`);
  const map = obj(labels);
  const keys = Object.keys(map).sort(byteOrder);
  if (keys.length === 0) {
    w.write(0, "<none>\n");
    return;
  }
  keys.forEach((key, i) => {
    if (i !== 0) w.write(0, initialIndent + innerIndent);
    w.write(0, `${key}=${str(map[key])}\n`);
  });
}

const MAX_ANNOTATION = 140;
const LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration";

/** Go's byte-wise string order (sort.Strings). */
export function byteOrder(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function shorten(s: string, max: number): string {
  // Go slices bytes; for ASCII that is characters.
  const bytes = Buffer.from(s, "utf8");
  return bytes.length > max ? `${bytes.subarray(0, max).toString("utf8")}...` : s;
}

/** printAnnotationsMultiline: sorted, last-applied-configuration skipped, long or multi-line values cut under the key. */
export function annotationsMultiline(w: DescribeWriter, title: string, annotations: unknown): void {
  w.write(0, `${title}:\t`);
  const map = obj(annotations);
  const keys = Object.keys(map)
    .filter((k) => k !== LAST_APPLIED)
    .sort(byteOrder);
  if (keys.length === 0) {
    w.write(0, "<none>\n");
    return;
  }
  keys.forEach((key, i) => {
    if (i !== 0) w.write(0, "\t");
    let value = str(map[key]);
    if (value.endsWith("\n")) value = value.slice(0, -1);
    if (Buffer.byteLength(value) + Buffer.byteLength(key) + 2 > MAX_ANNOTATION || value.includes("\n")) {
      w.write(0, `${key}:\n`);
      for (const s of value.split("\n")) w.write(0, `\t  ${shorten(s, MAX_ANNOTATION - 2)}\n`);
    } else {
      w.write(0, `${key}: ${value}\n`);
    }
  });
}

/** labels.FormatLabels: "k=v,k2=v2" sorted, "<none>" for none. */
export function formatLabels(labels: unknown): string {
  const map = obj(labels);
  const keys = Object.keys(map).sort(byteOrder);
  return keys.length === 0 ? "<none>" : keys.map((k) => `${k}=${str(map[k])}`).join(",");
}

/** metav1.LabelSelectorAsSelector(...).String(): requirements sorted by key; "" for an empty or missing selector. */
export function selectorString(selector: unknown): string {
  if (!isObj(selector)) return "";
  const reqs: [string, string][] = [];
  const matchLabels = obj(selector.matchLabels);
  for (const k of Object.keys(matchLabels)) reqs.push([k, `${k}=${str(matchLabels[k])}`]);
  for (const e of arr(selector.matchExpressions)) {
    const x = obj(e);
    const key = str(x.key);
    const values = arr(x.values).map(str).sort(byteOrder);
    switch (str(x.operator)) {
      case "In":
        reqs.push([key, `${key} in (${values.join(",")})`]);
        break;
      case "NotIn":
        reqs.push([key, `${key} notin (${values.join(",")})`]);
        break;
      case "Exists":
        reqs.push([key, key]);
        break;
      case "DoesNotExist":
        reqs.push([key, `!${key}`]);
        break;
    }
  }
  // sort.Sort(ByKey): not stable, but keys are unique in practice.
  reqs.sort((a, b) => byteOrder(a[0], b[0]));
  return reqs.map((r) => r[1]).join(",");
}

/** metav1.FormatLabelSelector: the selector's string, "<none>" when empty. */
export function formatLabelSelector(selector: unknown): string {
  return selectorString(selector) || "<none>";
}

/** The controller owner reference as "Kind/name", or "". */
export function controllerOf(metadata: unknown): string {
  for (const ref of arr(obj(metadata).ownerReferences)) {
    const r = obj(ref);
    if (r.controller === true) return `${str(r.kind)}/${str(r.name)}`;
  }
  return "";
}

/** printBool: "True" / "False". */
export const goBool = (v: unknown): string => (v === true ? "True" : "False");

/** An intstr's String(): the number or the string. */
export const intOrString = (v: unknown): string => (typeof v === "number" ? String(v) : str(v));
