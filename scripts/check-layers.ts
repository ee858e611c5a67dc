// Checks that src/'s layers import one way only (part of `npm run check`):
//   node scripts/check-layers.ts [ROOT]    checks ROOT/src (default: this project); exit 1 on a violation
// Every import counts, type-only ones too: a type import still ties a layer to the one it names.
import { join } from "node:path";
import { checkLayers, type LayerRules, readSourceTree } from "./layers.ts";

/**
 * What each folder of src/ may import besides itself. `lazy`: only through a dynamic `import()`, so that the module
 * is loaded when used rather than at start-up. Imports of node built-ins and packages are not checked.
 */
export const RULES: LayerRules = {
  kube: { may: [] },
  resources: { may: ["kube"] },
  repository: { may: ["kube", "resources"] },
  // Views draw with the terminal's primitives (key events, display widths, styles) but never drive the terminal.
  app: { may: ["kube", "resources", "repository", "tui"] },
  // The terminal: a generic program loop, renderer and input parser that know nothing of views or data.
  tui: { may: [] },
  // The simulated API server serves the resources' tables; only the CLI (lazily) and tests may load it.
  sim: { may: ["kube", "resources"] },
  cli: { may: ["kube", "resources", "repository", "app", "tui"], lazy: ["sim"] },
};

const plural = (count: number, word: string) => `${count} ${word}${count === 1 ? "" : "s"}`;

if (import.meta.main) {
  const root = process.argv[2] ?? join(import.meta.dirname, "..");
  const result = checkLayers(readSourceTree(root), RULES);
  for (const violation of result.violations) console.error(violation.message);
  const counts = `${plural(result.files, "file")}, ${plural(result.imports, "relative import")}`;
  if (result.violations.length > 0) {
    const offenders = new Set(result.violations.map((v) => v.file)).size;
    console.error(
      `layers: ${plural(result.violations.length, "violation")} in ${plural(offenders, "file")} (${counts})`,
    );
    process.exit(1);
  }
  console.log(`layers: no violations (${counts})`);
}
