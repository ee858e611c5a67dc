// Label and field selectors with the syntax and error messages of k8s.io/apimachinery (labels.Parse, fields.ParseSelector).
export type Labels = Readonly<Record<string, string>>;

export interface Requirement {
  key: string;
  op: "=" | "!=" | "in" | "notin" | "exists" | "!";
  values: string[];
}

export class SelectorError extends Error {}

/** labels.Parse: `a=b,c!=d,e in (f,g),h notin (i),j,!k`; "" selects everything. */
export function parseLabelSelector(text: string): Requirement[] {
  const reqs: Requirement[] = [];
  let i = 0;
  const s = text;
  const skip = () => {
    while (i < s.length && /\s/.test(s[i]!)) i++;
  };
  const ident = (): string => {
    skip();
    const start = i;
    while (i < s.length && /[A-Za-z0-9._\-/]/.test(s[i]!)) i++;
    return s.slice(start, i);
  };
  while (true) {
    skip();
    if (i >= s.length) break;
    if (s[i] === "!") {
      i++;
      const key = ident();
      if (!key) throw new SelectorError(`unable to parse requirement: found '${s[i] ?? ""}', expected: identifier`);
      reqs.push({ key, op: "!", values: [] });
    } else {
      const key = ident();
      if (!key) throw new SelectorError(`unable to parse requirement: found '${s[i] ?? ""}', expected: identifier`);
      skip();
      if (i >= s.length || s[i] === ",") {
        reqs.push({ key, op: "exists", values: [] });
      } else if (s.startsWith("==", i) || s.startsWith("!=", i)) {
        const op = s[i] === "!" ? "!=" : "=";
        i += 2;
        reqs.push({ key, op, values: [ident()] });
      } else if (s[i] === "=") {
        i++;
        reqs.push({ key, op: "=", values: [ident()] });
      } else {
        const word = ident();
        if (word !== "in" && word !== "notin") {
          throw new SelectorError(
            `unable to parse requirement: found '${word}', expected: in, notin, =, ==, !=, gt, lt`,
          );
        }
        skip();
        if (s[i] !== "(") throw new SelectorError(`unable to parse requirement: found '${s[i] ?? ""}', expected: '('`);
        i++;
        const values: string[] = [];
        while (true) {
          values.push(ident());
          skip();
          if (s[i] === ",") {
            i++;
            continue;
          }
          if (s[i] === ")") {
            i++;
            break;
          }
          throw new SelectorError(`unable to parse requirement: found '${s[i] ?? ""}', expected: ',', ')'`);
        }
        reqs.push({ key, op: word, values });
      }
    }
    skip();
    if (i < s.length) {
      if (s[i] !== ",") throw new SelectorError(`found '${s[i]}', expected: ',' or 'end of string'`);
      i++;
    }
  }
  return reqs;
}

export function matchLabels(reqs: readonly Requirement[], labels: Labels): boolean {
  for (const r of reqs) {
    const has = Object.hasOwn(labels, r.key);
    const v = has ? labels[r.key] : undefined;
    switch (r.op) {
      case "=":
        if (v !== r.values[0]) return false;
        break;
      case "!=":
        if (v === r.values[0]) return false;
        break;
      case "in":
        if (!has || !r.values.includes(v!)) return false;
        break;
      case "notin":
        if (has && r.values.includes(v!)) return false;
        break;
      case "exists":
        if (!has) return false;
        break;
      case "!":
        if (has) return false;
        break;
    }
  }
  return true;
}

export interface FieldRequirement {
  field: string;
  value: string;
  equal: boolean;
}

/** fields.ParseSelector: `a=b,c==d,e!=f` (backslash escapes as in fields.EscapeValue). */
export function parseFieldSelector(text: string): FieldRequirement[] {
  const out: FieldRequirement[] = [];
  if (text.trim() === "") return out;
  for (const part of splitUnescaped(text)) {
    const m = /^([^=!]+)(==|=|!=)(.*)$/.exec(part);
    if (!m) throw new SelectorError(`invalid selector: '${text}'; can't understand '${part}'`);
    out.push({ field: m[1]!.trim(), value: unescapeValue(m[3]!), equal: m[2] !== "!=" });
  }
  return out;
}

function splitUnescaped(text: string): string[] {
  const parts: string[] = [];
  let cur = "";
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === "\\" && i + 1 < text.length) {
      cur += c + text[i + 1];
      i++;
    } else if (c === ",") {
      parts.push(cur);
      cur = "";
    } else cur += c;
  }
  parts.push(cur);
  return parts;
}

function unescapeValue(v: string): string {
  return v.replace(/\\(.)/g, "$1");
}

export function matchFields(reqs: readonly FieldRequirement[], fields: Readonly<Record<string, string>>): boolean {
  for (const r of reqs) {
    const v = fields[r.field] ?? "";
    if ((v === r.value) !== r.equal) return false;
  }
  return true;
}
