// Compares our server-side Table cells with kube-apiserver's printers (the Go oracle built by build.sh) for every
// fixture in pod-cases.ts, kind-cases.ts and builtin-kind-cases.ts (roles, cluster roles and CRDs excepted: the
// server gives them the default Table or the apiextensions server's, not a printer). Usage:
//   node test/unit/resources/oracle/compare.ts "$(test/unit/resources/oracle/build.sh | tail -1)"
import { execFileSync } from "node:child_process";
import type { KubeObject } from "../../../../src/kube/objects.ts";
import { resourceDefFor, tableCells } from "../../../../src/resources/index.ts";
import { builtinKindCases } from "../builtin-kind-cases.ts";
import { kindCases } from "../kind-cases.ts";
import { podCaseGroups } from "../pod-cases.ts";

const oracle = process.argv[2];
if (!oracle) throw new Error("usage: compare.ts <path to printers-oracle>");

const NOT_PRINTERS = new Set(["Role", "ClusterRole", "CustomResourceDefinition"]);
const now = Date.now();
const fixtures: { name: string; obj: KubeObject }[] = [];
for (const { group, cases } of podCaseGroups(now)) {
  for (const c of cases) fixtures.push({ name: `${group}: ${c.name}`, obj: c.pod });
}
for (const c of kindCases(now)) fixtures.push({ name: `${c.obj.kind}: ${c.name}`, obj: c.obj });
for (const c of builtinKindCases(now)) {
  if (!NOT_PRINTERS.has(c.obj.kind ?? "")) fixtures.push({ name: `${c.obj.kind}: ${c.name}`, obj: c.obj });
}

const input = JSON.stringify(fixtures.map((f) => f.obj));
const server: unknown[][] = JSON.parse(execFileSync(oracle, { input }).toString());
// Both sides print AGE relative to the wall clock; this runs in well under a second, so the texts agree.
const printedAt = Date.now();
let mismatches = 0;
fixtures.forEach((f, i) => {
  const def = resourceDefFor(f.obj.kind ?? "");
  const ours = def ? tableCells(def, def.toRow(f.obj), printedAt) : [];
  // Events print NAME last where every def prints it first; boolean cells are JSON booleans on the server.
  const theirs = (server[i] ?? []).map((cell) => (typeof cell === "boolean" ? String(cell) : cell));
  if (f.obj.kind === "Event") theirs.unshift(theirs.pop());
  if (JSON.stringify(ours) !== JSON.stringify(theirs)) {
    mismatches++;
    console.log(`MISMATCH ${f.name}\n  ours:   ${JSON.stringify(ours)}\n  server: ${JSON.stringify(server[i])}`);
  }
});
console.log(`${fixtures.length} fixtures, ${mismatches} mismatches`);
process.exitCode = mismatches === 0 ? 0 : 1;
