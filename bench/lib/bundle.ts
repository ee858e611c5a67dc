// Bundles the sync probe the way scripts/build.ts bundles the CLI, so that its start-up (part of the full-sync time)
// is the product's start-up, not that of Node stripping types from a hundred .ts files.
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { build } from "esbuild";

export async function bundleProbe(repoDir: string): Promise<string> {
  const outDir = join(repoDir, ".cache", "bench");
  mkdirSync(outDir, { recursive: true });
  const outfile = join(outDir, "sync-probe.js");
  await build({
    entryPoints: [join(repoDir, "bench", "lib", "sync-probe.ts")],
    outfile,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node22",
    legalComments: "none",
    banner: {
      js: [
        'import { createRequire as __timoneiroCreateRequire } from "node:module";',
        "const require = __timoneiroCreateRequire(import.meta.url);",
      ].join("\n"),
    },
    logLevel: "warning",
  });
  return outfile;
}
