// The parts of scripts/check-layers.ts that a test can call: find the import specifiers in a TypeScript source, map
// files to layers, and judge each import against a rule table.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, posix, relative, sep } from "node:path";

/** What a layer may import besides itself: `may` in any way, `lazy` only through a dynamic `import()`. */
export interface LayerRule {
  may: readonly string[];
  lazy?: readonly string[];
}

export type LayerRules = Readonly<Record<string, LayerRule>>;

export type ImportKind = "static" | "type" | "dynamic";

export interface ImportRef {
  specifier: string;
  kind: ImportKind;
}

export interface SourceFile {
  /** Relative to the project root, with forward slashes: `src/app/view.ts`. */
  path: string;
  source: string;
}

export interface Violation {
  file: string;
  /** The imported file, or undefined when the file itself is the problem (it lies in no layer). */
  target: string | undefined;
  message: string;
}

export interface CheckResult {
  files: number;
  imports: number;
  violations: Violation[];
}

type Token = { type: "name"; value: string } | { type: "string"; value: string } | { type: "punct"; value: string };

// After one of these a `/` starts a regular expression rather than a division.
const KEYWORDS_BEFORE_EXPRESSION = new Set([
  "return",
  "typeof",
  "instanceof",
  "in",
  "of",
  "new",
  "delete",
  "void",
  "throw",
  "case",
  "do",
  "else",
  "yield",
  "await",
]);

/**
 * Just enough of a JavaScript lexer to tell code from comments, strings, template text and regular expressions, so
 * that an `import` in a comment or a string is not taken for one. Template text and regexes produce no tokens.
 */
function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  // Brace depths at which a `${` of a template literal was opened: the matching `}` resumes the template.
  const templateDepths: number[] = [];
  let depth = 0;
  let i = 0;
  const n = source.length;

  const regexAllowed = (): boolean => {
    const prev = tokens.at(-1);
    if (prev === undefined) return true;
    if (prev.type === "string") return false;
    if (prev.type === "name") return KEYWORDS_BEFORE_EXPRESSION.has(prev.value);
    return !(prev.value === ")" || prev.value === "]" || prev.value === "}");
  };

  // Scans template text from i (just after "`" or the "}" closing a substitution) to its end or the next "${".
  const scanTemplate = (): void => {
    while (i < n) {
      const c = source[i]!;
      if (c === "\\") {
        i += 2;
      } else if (c === "`") {
        i++;
        tokens.push({ type: "punct", value: "`" });
        return;
      } else if (c === "$" && source[i + 1] === "{") {
        i += 2;
        templateDepths.push(depth);
        depth++;
        tokens.push({ type: "punct", value: "${" });
        return;
      } else {
        i++;
      }
    }
  };

  while (i < n) {
    const c = source[i]!;
    if (c === " " || c === "\t" || c === "\n" || c === "\r") {
      i++;
    } else if (c === "/" && source[i + 1] === "/") {
      const end = source.indexOf("\n", i);
      i = end < 0 ? n : end;
    } else if (c === "/" && source[i + 1] === "*") {
      const end = source.indexOf("*/", i + 2);
      i = end < 0 ? n : end + 2;
    } else if (c === '"' || c === "'") {
      let value = "";
      i++;
      while (i < n && source[i] !== c && source[i] !== "\n") {
        if (source[i] === "\\") {
          value += source[i + 1] ?? "";
          i += 2;
        } else {
          value += source[i];
          i++;
        }
      }
      i++;
      tokens.push({ type: "string", value });
    } else if (c === "`") {
      i++;
      scanTemplate();
    } else if (c === "/" && regexAllowed()) {
      i++;
      let inClass = false;
      while (i < n && source[i] !== "\n") {
        const r = source[i]!;
        if (r === "\\") i++;
        else if (r === "[") inClass = true;
        else if (r === "]") inClass = false;
        else if (r === "/" && !inClass) break;
        i++;
      }
      i++;
      while (i < n && /[a-z]/i.test(source[i]!)) i++;
      tokens.push({ type: "punct", value: "regex" });
    } else if (/[\p{ID_Start}$_\d]/u.test(c)) {
      const start = i;
      while (i < n && /[\p{ID_Continue}$\u200c\u200d]/u.test(source[i]!)) i++;
      tokens.push({ type: "name", value: source.slice(start, i) });
    } else {
      if (c === "{") {
        depth++;
      } else if (c === "}") {
        depth--;
        if (templateDepths.at(-1) === depth) {
          templateDepths.pop();
          i++;
          scanTemplate();
          continue;
        }
      }
      tokens.push({ type: "punct", value: c });
      i++;
    }
  }
  return tokens;
}

/**
 * The module specifiers a source imports: `import … from "x"`, `import "x"`, `export … from "x"`, and `import("x")`
 * (a dynamic import, or the same syntax in a type). Type-only imports are reported too, as kind "type".
 */
export function importSpecifiers(source: string): ImportRef[] {
  const tokens = tokenize(source);
  const refs: ImportRef[] = [];
  const at = (k: number): Token | undefined => tokens[k];
  const is = (k: number, type: Token["type"], value?: string): boolean => {
    const t = at(k);
    return t !== undefined && t.type === type && (value === undefined || t.value === value);
  };
  // From just after `import`/`export`, skips the clause (names, `{ … }`, `* as x`) to `from "x"`; undefined if the
  // statement turns out to be something else (an exported declaration, `import x = require(…)`).
  const fromClause = (start: number): string | undefined => {
    for (let k = start; k < tokens.length; k++) {
      const t = tokens[k]!;
      if (t.type === "name" && t.value === "from" && is(k + 1, "string")) return (tokens[k + 1] as Token).value;
      if (t.type === "string") return undefined;
      if (t.type === "punct" && !(t.value === "{" || t.value === "}" || t.value === "," || t.value === "*")) {
        return undefined;
      }
      // A declaration (`export const x`, `export function f`) is no re-export.
      if (t.type === "name" && k === start && t.value !== "type" && tokens[start - 1]?.value === "export") {
        return undefined;
      }
    }
    return undefined;
  };

  for (let k = 0; k < tokens.length; k++) {
    const t = tokens[k]!;
    if (t.type !== "name" || (t.value !== "import" && t.value !== "export")) continue;
    if (is(k - 1, "punct", ".")) continue; // a property named import
    if (t.value === "import" && is(k + 1, "punct", "(")) {
      if (is(k + 2, "string")) refs.push({ specifier: (tokens[k + 2] as Token).value, kind: "dynamic" });
      continue;
    }
    if (t.value === "import" && is(k + 1, "string")) {
      refs.push({ specifier: (tokens[k + 1] as Token).value, kind: "static" });
      continue;
    }
    const specifier = fromClause(k + 1);
    if (specifier === undefined) continue;
    // `import type { … }` / `export type { … }` are erased whole; `import { type A }` with only inline type names
    // still loads the module under verbatimModuleSyntax, so it counts as static.
    refs.push({ specifier, kind: is(k + 1, "name", "type") && !is(k + 2, "name", "from") ? "type" : "static" });
  }
  return refs;
}

/** The file a relative specifier names, relative to the project root; undefined for packages and built-ins. */
export function resolveSpecifier(fromFile: string, specifier: string): string | undefined {
  if (!specifier.startsWith("./") && !specifier.startsWith("../")) return undefined;
  return posix.normalize(posix.join(posix.dirname(fromFile), specifier));
}

/** `src/<layer>/…` → the layer; undefined for anything else (a file directly in src/, or outside it). */
export function layerOf(path: string): string | undefined {
  const parts = path.split("/");
  return parts[0] === "src" && parts.length >= 3 ? parts[1] : undefined;
}

/** Why `from` may not import `to` in this way, or undefined if it may. */
export function importProblem(from: string, to: string, kind: ImportKind, rules: LayerRules): string | undefined {
  const fromLayer = layerOf(from);
  if (fromLayer === undefined) return undefined; // reported once for the file itself
  const rule = rules[fromLayer];
  if (rule === undefined) return undefined; // likewise
  const toLayer = layerOf(to);
  if (toLayer === undefined) {
    return to.startsWith("src/")
      ? `${fromLayer} may not import ${to} (in no layer)`
      : `${fromLayer} may not import outside src/`;
  }
  if (toLayer === fromLayer || rule.may.includes(toLayer)) return undefined;
  if (rule.lazy?.includes(toLayer)) {
    return kind === "dynamic" ? undefined : `${fromLayer} may import ${toLayer} only lazily, with import()`;
  }
  return `${fromLayer} may not import ${toLayer}`;
}

/** Every import of every file checked against the rules; files under src/ that lie in no layer are violations too. */
export function checkLayers(files: readonly SourceFile[], rules: LayerRules): CheckResult {
  const violations: Violation[] = [];
  let imports = 0;
  for (const file of files) {
    const layer = layerOf(file.path);
    if (layer === undefined || rules[layer] === undefined) {
      const known = Object.keys(rules).join(", ");
      violations.push({ file: file.path, target: undefined, message: `${file.path} is in no layer (${known})` });
      continue;
    }
    const seen = new Set<string>();
    for (const ref of importSpecifiers(file.source)) {
      const target = resolveSpecifier(file.path, ref.specifier);
      if (target === undefined) continue;
      imports++;
      const problem = importProblem(file.path, target, ref.kind, rules);
      if (problem === undefined || seen.has(target)) continue;
      seen.add(target);
      violations.push({ file: file.path, target, message: `${file.path} imports ${target}: ${problem}` });
    }
  }
  return { files: files.length, imports, violations };
}

/** The .ts files under root/dir, sorted, with paths relative to root. */
export function readSourceTree(root: string, dir = "src"): SourceFile[] {
  const walk = (abs: string): string[] =>
    readdirSync(abs)
      .sort()
      .flatMap((entry) => {
        const path = join(abs, entry);
        if (statSync(path).isDirectory()) return walk(path);
        return entry.endsWith(".ts") ? [path] : [];
      });
  return walk(join(root, dir)).map((abs) => ({
    path: relative(root, abs).split(sep).join("/"),
    source: readFileSync(abs, "utf8"),
  }));
}
