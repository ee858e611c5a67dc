// Bundles the CLI into one file so that start-up does not resolve hundreds of modules at run time.
import { build } from "esbuild";

const started = performance.now();
await build({
  entryPoints: ["src/cli/main.ts"],
  outfile: "dist/timoneiro.js",
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
