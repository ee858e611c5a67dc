// A scripted "editor" for the edit tests: `node fake-editor.ts STEPS FILE`. STEPS is a JSON file holding one step per
// invocation; each invocation saves what it was given to STEPS.seen.<n> (so a test can read what the edit view
// wrote), applies step n to the file and exits 0 (or with `exit`). A step:
//   { "from": k }                  start from what invocation k was given instead of the file as it is now
//   { "sed": [[pattern, replacement], …] }   String.replace with new RegExp(pattern, "m"), each in turn; a pattern
//                                  that matches nothing makes the editor fail (exit 3), so a test notices
//   { "text": "…" }                 the file becomes this text
//   { "exit": 1 }                  exit with this code, file untouched
// No step at all for an invocation (more invocations than steps) is an error too (exit 4).
import { readFileSync, writeFileSync } from "node:fs";

interface Step {
  from?: number;
  sed?: [string, string][];
  text?: string;
  exit?: number;
}

const [stepsPath, file] = process.argv.slice(2);
if (!stepsPath || !file) {
  process.stderr.write("usage: fake-editor.ts STEPS FILE\n");
  process.exit(2);
}
const counterPath = `${stepsPath}.n`;
let n = 0;
try {
  n = Number(readFileSync(counterPath, "utf8"));
} catch {
  n = 0;
}
writeFileSync(counterPath, String(n + 1));
const given = readFileSync(file, "utf8");
writeFileSync(`${stepsPath}.seen.${n}`, given);
const steps = JSON.parse(readFileSync(stepsPath, "utf8")) as Step[];
const step = steps[n];
if (!step) {
  process.stderr.write(`fake-editor: no step ${n}\n`);
  process.exit(4);
}
if (step.exit !== undefined) process.exit(step.exit);
let text = step.from === undefined ? given : readFileSync(`${stepsPath}.seen.${step.from}`, "utf8");
if (step.text !== undefined) text = step.text;
for (const [pattern, replacement] of step.sed ?? []) {
  const re = new RegExp(pattern, "m");
  if (!re.test(text)) {
    process.stderr.write(`fake-editor: step ${n}: /${pattern}/ matches nothing in:\n${text}\n`);
    process.exit(3);
  }
  text = text.replace(re, replacement);
}
writeFileSync(file, text);
