// Builds what the harness runs, once per run and outside dist/:
// - the sync probe, bundled the way scripts/build.ts bundles the CLI (code-split, lazily imported parts in chunks), so
//   that its start-up — part of the full-sync time — is the product's, not Node stripping types from a hundred files;
//   the raw download probe (its floor) the same way, so that both start alike;
// - the simulator process, so that edits to src/ during a long run do not change the server between pod counts;
// - a private copy of dist/, so that another `npm run build` on the machine during a long run cannot swap the program
//   under measurement halfway (or delete it while a run starts).
import { cpSync, existsSync, mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { build, stop } from "esbuild";

export async function bundleHarnessParts(
  repoDir: string,
  outDir: string,
): Promise<{ probe: string; sim: string; rawProbe: string }> {
  const dir = join(outDir, "parts");
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  await build({
    entryPoints: {
      "sync-probe": join(repoDir, "bench", "lib", "sync-probe.ts"),
      "sim-process": join(repoDir, "bench", "lib", "sim-process.ts"),
      "raw-probe": join(repoDir, "bench", "lib", "raw-probe.ts"),
    },
    outdir: dir,
    splitting: true,
    chunkNames: "chunks/[name]-[hash]",
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
  await stop(); // esbuild's service process holds ~200 MB for nothing during the rest of the run
  return {
    probe: join(dir, "sync-probe.js"),
    sim: join(dir, "sim-process.js"),
    rawProbe: join(dir, "raw-probe.js"),
  };
}

/** Copies dist/ (the CLI and its chunks) to `outDir`/dist; returns the copied timoneiro.js. */
export function snapshotCli(repoDir: string, outDir: string): string {
  const source = join(repoDir, "dist");
  if (!existsSync(join(source, "timoneiro.js")))
    throw new Error(`${source}/timoneiro.js is missing; run npm run build`);
  const target = join(outDir, "dist");
  rmSync(target, { recursive: true, force: true });
  cpSync(source, target, { recursive: true });
  return join(target, "timoneiro.js");
}
