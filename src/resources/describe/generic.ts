// kubectl's generic describer, for every kind without a describer of its own (CRDs among them): Name, Namespace,
// Labels, Annotations, then every field of the object as nested `Key:  value` lines (keys sorted, labelled the way
// kubectl's smartLabelFor does: camelCase split into Title Case words, API/URL/UID/OSB/GUID upper-cased), then Events.
import type { KubeObject } from "../../kube/objects.ts";
import { describeEvents } from "./events.ts";
import type { DescribeInput, Describer } from "./types.ts";
import { annotationsMultiline, byteOrder, DescribeWriter, goValue, isObj, labelsMultiline, str } from "./writer.ts";

type CharClass = 0 | 1 | 2 | 3; // lower, upper, digit, other

function charClass(ch: string): CharClass {
  if (/\p{Ll}/u.test(ch)) return 0;
  if (/\p{Lu}/u.test(ch)) return 1;
  if (/\p{Nd}/u.test(ch)) return 2;
  return 3;
}

/** github.com/fatih/camelcase.Split: runs of one character class; "HTMLParser" → HTML, Parser. */
export function camelSplit(s: string): string[] {
  const runs: string[][] = [];
  let last: CharClass | -1 = -1;
  for (const ch of s) {
    const c = charClass(ch);
    if (c === last) (runs[runs.length - 1] as string[]).push(ch);
    else runs.push([ch]);
    last = c;
  }
  // An upper-case run followed by a lower-case one gives its last letter to it.
  for (let i = 0; i < runs.length - 1; i++) {
    const run = runs[i] as string[];
    const next = runs[i + 1] as string[];
    if (charClass(run[0] as string) === 1 && charClass(next[0] as string) === 0) {
      next.unshift(run.pop() as string);
    }
  }
  return runs.filter((r) => r.length > 0).map((r) => r.join(""));
}

const ACRONYMS = new Set(["API", "URL", "UID", "OSB", "GUID"]);

/** kubectl's smartLabelFor: "apiVersion" → "API Version"; a field with characters other than letters and '-' as is. */
export function smartLabel(field: string): string {
  for (const ch of field) if (ch !== "-" && !/\p{L}/u.test(ch)) return field;
  return camelSplit(field)
    .filter((p) => p !== "_")
    .map((p) => (ACRONYMS.has(p.toUpperCase()) ? p.toUpperCase() : p.charAt(0).toUpperCase() + p.slice(1)))
    .join(" ");
}

const SKIP = new Set([
  ".metadata.managedFields",
  ".metadata.name",
  ".metadata.namespace",
  ".metadata.labels",
  ".metadata.annotations",
]);

function printContent(w: DescribeWriter, level: number, content: Record<string, unknown>, prefix: string): void {
  for (const field of Object.keys(content).sort(byteOrder)) {
    const value = content[field];
    const path = `${prefix}.${field}`;
    if (SKIP.has(path)) continue;
    if (isObj(value)) {
      w.write(level, `${smartLabel(field)}:\n`);
      printContent(w, level + 1, value, path);
    } else if (Array.isArray(value)) {
      w.write(level, `${smartLabel(field)}:\n`);
      for (const child of value) {
        if (isObj(child)) printContent(w, level + 1, child, path);
        else w.write(level + 1, `${goValue(child)}\n`);
      }
    } else {
      w.write(level, `${smartLabel(field)}:\t${goValue(value)}\n`);
    }
  }
}

/** The generic description of any object. */
export function describeGeneric(object: KubeObject, events: readonly KubeObject[], now: number): string {
  const w = new DescribeWriter();
  w.write(0, `Name:\t${str(object.metadata?.name)}\n`);
  w.write(0, `Namespace:\t${str(object.metadata?.namespace)}\n`);
  labelsMultiline(w, "Labels", object.metadata?.labels);
  annotationsMultiline(w, "Annotations", object.metadata?.annotations);
  printContent(w, 0, object as Record<string, unknown>, "");
  describeEvents(events, w, now);
  return w.toString();
}

export const genericDescriber: Describer = {
  describe: ({ object, events, now }: DescribeInput) => describeGeneric(object, events, now),
};
