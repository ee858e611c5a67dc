// Filter cost per keystroke, in process: our filter (src/app/filter.ts) against the fzf npm package (fzf-for-js),
// over generated pods. Each query is typed one character at a time, as the UI sees it.
//   node bench/tui-filter.ts [--pods 10000,100000] [--no-fzf] [--fuzzy]
// Plain terms match substrings (the default); --fuzzy types them as ~terms (fuzzy, ranked by score).
import { parseArgs } from "node:util";
import * as fzfPackage from "fzf";
import { filterRows, HaystackCache } from "../src/app/filter.ts";
import { podsPresentation } from "../src/app/presentation.ts";
import { generatePods } from "../src/repository/static-repository.ts";
import type { PodRow } from "../src/resources/pods.ts";
import { podSearchFields, withSearchText } from "../src/resources/search.ts";

const { values } = parseArgs({
  options: {
    pods: { type: "string", default: "10000,100000" },
    "no-fzf": { type: "boolean", default: false },
    fuzzy: { type: "boolean", default: false },
  },
});
// fzf's declarations re-export their matchers with extensionless paths that "nodenext" resolution cannot follow, so
// the types miss what the module has.
const { Fzf, extendedMatch } = fzfPackage as unknown as {
  Fzf: new (
    list: readonly PodRow[],
    options: { selector: (p: PodRow) => string; match: unknown },
  ) => { find(query: string): unknown[] };
  extendedMatch: unknown;
};
const PLAIN = ["web-1a", "crash !kube", "node-01 run"];
const QUERIES = values.fuzzy ? PLAIN.map((q) => q.replace(/(^|\s)(?!!)(\S)/g, "$1~$2")) : PLAIN;

function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? Number.NaN;
}

console.log("| pods | implementation | haystack build ms (ours: at ingest) | per key p50 / p95 / max ms |");
console.log("|---:|---|---:|---:|");
for (const n of values.pods.split(",").map(Number)) {
  const generated = generatePods(n, Date.now());
  // Ours: each row gets its haystack when it is made, as the repository does at ingest (timed here), then typing.
  let t = performance.now();
  const pods = generated.map((row) => withSearchText({ ...row }, podSearchFields));
  const build = performance.now() - t;
  const cache = new HaystackCache<PodRow>(podsPresentation.filterFields);
  const ours: number[] = [];
  for (let round = 0; round < 2; round++) {
    for (const query of QUERIES) {
      let prev = filterRows(pods, "", cache);
      for (let i = 1; i <= query.length; i++) {
        t = performance.now();
        prev = filterRows(pods, query.slice(0, i), cache, prev);
        if (round === 1) ours.push(performance.now() - t);
      }
    }
  }
  const f = (x: number) => x.toFixed(1);
  console.log(
    `| ${n} | timoneiro filter | ${f(build)} | ${f(percentile(ours, 50))} / ${f(percentile(ours, 95))} / ${f(Math.max(...ours))} |`,
  );
  if (values["no-fzf"]) continue;
  t = performance.now();
  const fzf = new Fzf(pods, {
    selector: (p: PodRow) => podsPresentation.filterFields(p).join(" "),
    // fzf-for-js's extended syntax ("!term", AND of space-separated terms) is what the UI offers.
    match: extendedMatch,
  });
  const fzfBuild = performance.now() - t;
  const theirs: number[] = [];
  for (const query of QUERIES) {
    for (let i = 1; i <= query.length; i++) {
      t = performance.now();
      fzf.find(query.slice(0, i));
      theirs.push(performance.now() - t);
    }
  }
  console.log(
    `| ${n} | fzf npm (extended match) | ${f(fzfBuild)} | ${f(percentile(theirs, 50))} / ${f(percentile(theirs, 95))} / ${f(Math.max(...theirs))} |`,
  );
}
