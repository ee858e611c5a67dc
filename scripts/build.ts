// Bundles the CLI into one file so that start-up does not resolve hundreds of modules at run time.
import { rmSync } from "node:fs";
import { build } from "esbuild";

const started = performance.now();
rmSync("dist", { recursive: true, force: true });
await build({
  // The entry checks the Node version first and then loads the program (src/cli/main.ts) as a chunk.
  entryPoints: { timoneiro: "src/cli/bin.ts" },
  outdir: "dist",
  // Lazily imported parts (the simulator, client-node's auth) become chunks parsed only when used.
  splitting: true,
  chunkNames: "chunks/[name]-[hash]",
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node22",
  sourcemap: "linked",
  legalComments: "none",
  // Bundled CommonJS dependencies call require() for Node built-ins; ESM has no require, so provide one.
  banner: {
    js: [
      "#!/usr/bin/env node",
      'import { createRequire as __timoneiroCreateRequire } from "node:module";',
      "const require = __timoneiroCreateRequire(import.meta.url);",
    ].join("\n"),
  },
  logLevel: "warning",
});
if (process.argv.includes("--verbose")) {
  console.log(`built dist/timoneiro.js in ${Math.round(performance.now() - started)} ms`);
}
