// A reader for the plain block YAML that kubectl, kind, minikube and the clouds' CLIs write kubeconfigs in: nested
// mappings and sequences by indentation, plain and quoted one-line scalars, `{}` and `[]`. The yaml library reads the
// same text in ~2 ms once warm, but its first parse in a process costs 10-20 ms (most of its parser runs for the first
// time), and the kubeconfig is the one document parsed before the first frame. Anything outside this subset (tabs,
// anchors, tags, block or multi-line scalars, escapes, flow collections with content, numbers other than decimal
// integers, duplicate keys...) makes it answer undefined, and the caller hands the text to the yaml library, which
// reads it (or reports its error) as before. test/unit/kube/plain-yaml.test.ts checks it against the yaml library.

interface Line {
  indent: number;
  /** The line without its indentation or trailing spaces; never empty, never a comment. */
  text: string;
}

/** Thrown to give up on the subset; never escapes readPlainYaml. */
class NotPlain extends Error {}

const KEY = /^([A-Za-z_][A-Za-z0-9_./-]*):(?: +(.*))?$/;
/** Keys the yaml library would read as null or a boolean (and turn into another string). */
const SPECIAL_KEY = /^(?:null|Null|NULL|true|True|TRUE|false|False|FALSE)$/;
/** The core schema's decimal integers (yaml's default schema), short enough to be exact as numbers. */
const INTEGER = /^[-+]?(?:0|[1-9][0-9]{0,14})$/;
/** The core schema's other numbers (octal, hexadecimal, floats, infinities, NaN) and long or zero-led integers. */
const OTHER_NUMBER =
  /^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+|[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/;
/** Plain scalars starting with an indicator: flow collections, anchors, aliases, tags, block scalars, quotes... */
const INDICATOR_START = /^(?:[[\]{}&*!|>%@`"',?:#]|-(?: |$))/;

/**
 * The value of `text` when it is a kubeconfig-style block mapping (see above), exactly as yaml's parse() would give
 * it; undefined when the text is outside that subset.
 */
export function readPlainYaml(text: string): Record<string, unknown> | undefined {
  if (/[\t\r\ufeff]/.test(text)) return undefined;
  const lines: Line[] = [];
  for (const raw of text.split("\n")) {
    const trimmed = raw.trimEnd();
    const body = trimmed.trimStart();
    if (body === "" || body.startsWith("#")) continue;
    if (body.startsWith("---") || body.startsWith("...") || body.startsWith("%")) return undefined;
    lines.push({ indent: trimmed.length - body.length, text: body });
  }
  if (lines.length === 0 || lines[0]!.indent !== 0 || isItem(lines[0]!.text)) return undefined;
  try {
    const at = { i: 0 };
    const value = mapping(lines, at, 0);
    return at.i === lines.length ? value : undefined;
  } catch (err) {
    if (err instanceof NotPlain) return undefined;
    throw err;
  }
}

const isItem = (text: string) => text === "-" || text.startsWith("- ");

function node(lines: Line[], at: { i: number }, indent: number): unknown {
  return isItem(lines[at.i]!.text) ? sequence(lines, at, indent) : mapping(lines, at, indent);
}

function mapping(lines: Line[], at: { i: number }, indent: number): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  while (at.i < lines.length) {
    const line = lines[at.i]!;
    if (line.indent < indent) break;
    if (line.indent > indent || isItem(line.text)) {
      // A sequence item at the mapping's own indentation belongs to the key before it (handled there), so here it
      // is something else: a continuation line or a syntax the subset does not read.
      throw new NotPlain();
    }
    const match = KEY.exec(line.text);
    if (!match) throw new NotPlain();
    const key = match[1]!;
    if (SPECIAL_KEY.test(key) || Object.hasOwn(out, key) || key === "__proto__") throw new NotPlain();
    at.i++;
    const rest = match[2];
    if (rest === undefined || rest.startsWith("#")) {
      const next = lines[at.i];
      if (next && (next.indent > indent || (next.indent === indent && isItem(next.text)))) {
        out[key] = node(lines, at, next.indent);
      } else out[key] = null;
    } else {
      // A more indented line after it (a scalar over two lines) stops the loop above.
      out[key] = scalar(rest);
    }
  }
  return out;
}

function sequence(lines: Line[], at: { i: number }, indent: number): unknown[] {
  const out: unknown[] = [];
  while (at.i < lines.length) {
    const line = lines[at.i]!;
    if (line.indent < indent || (line.indent === indent && !isItem(line.text))) break;
    if (line.indent > indent) throw new NotPlain();
    const content = line.text.slice(1).trimStart();
    if (content === "" || content.startsWith("#")) {
      at.i++;
      const next = lines[at.i];
      out.push(next && next.indent > indent ? node(lines, at, next.indent) : null);
      continue;
    }
    if (isItem(content)) throw new NotPlain();
    const column = indent + (line.text.length - content.length);
    if (KEY.test(content)) {
      // "- key: value": a mapping whose keys line up with this first one.
      lines[at.i] = { indent: column, text: content };
      out.push(mapping(lines, at, column));
    } else {
      out.push(scalar(content));
      at.i++;
    }
  }
  return out;
}

/** A one-line value: quoted (no escapes), `{}`, `[]`, or plain with the core schema's null, booleans and integers. */
function scalar(text: string): unknown {
  const quote = text[0];
  if (quote === '"' || quote === "'") {
    const end = text.indexOf(quote, 1);
    if (end === -1) throw new NotPlain();
    const value = text.slice(1, end);
    // Double quotes have escapes; single quotes escape themselves as '' (which ends up here as a first quote with
    // more text after it).
    if (quote === '"' && value.includes("\\")) throw new NotPlain();
    endsClean(text.slice(end + 1));
    return value;
  }
  if (text.startsWith("{}") || text.startsWith("[]")) {
    endsClean(text.slice(2));
    return text[0] === "{" ? {} : [];
  }
  const comment = text.indexOf(" #");
  const value = (comment === -1 ? text : text.slice(0, comment)).trimEnd();
  if (value.includes(": ") || value.endsWith(":") || INDICATOR_START.test(value)) throw new NotPlain();
  if (INTEGER.test(value)) return Number(value);
  if (OTHER_NUMBER.test(value)) throw new NotPlain();
  if (/^(?:~|[Nn]ull|NULL)$/.test(value)) return null;
  if (/^(?:[Tt]rue|TRUE)$/.test(value)) return true;
  if (/^(?:[Ff]alse|FALSE)$/.test(value)) return false;
  return value;
}

/** What follows a quoted scalar or `{}` on its line: nothing, or a comment. */
function endsClean(rest: string): void {
  if (rest !== "" && !/^ +#/.test(rest)) throw new NotPlain();
}
