// Bundles the CLI into one file so that start-up does not resolve hundreds of modules at run time.
import { rmSync } from "node:fs";
import { builtinModules } from "node:module";
import { relative } from "node:path";
import { build, type Plugin } from "esbuild";

/**
 * Node's built-ins are loaded with require() rather than imported as ES modules. An ESM import of a built-in makes
 * Node build a facade that reads every one of its exports, and node:http's include lazy getters (WebSocket,
 * MessageEvent, CloseEvent) that load the whole of undici: ~25 ms of start-up for something timoneiro never uses.
 * require() hands the module object over as it is. The shim is a CommonJS module, so that esbuild's interop gives
 * default and named imports alike.
 */
const builtinsByRequire: Plugin = {
  name: "builtins-by-require",
  setup(b) {
    const names = new Set(builtinModules.flatMap((m) => (m.startsWith("node:") ? [m] : [m, `node:${m}`])));
    b.onResolve({ filter: /^[a-z_/:0-9]+$/ }, (args) => {
      if (!names.has(args.path)) return undefined;
      // The shim's own require() is Node's.
      if (args.namespace === "builtin-by-require") return { path: args.path, external: true };
      // One shim per importing module, so that each shim lands in its importer's chunk: a shim shared by modules of
      // different chunks became a chunk of its own (six of ~450 bytes on the way to the first frame, each one more
      // module for the ESM loader to resolve, read and link).
      return { path: `${args.path}?from=${relative(".", args.importer)}`, namespace: "builtin-by-require" };
    });
    b.onLoad({ filter: /.*/, namespace: "builtin-by-require" }, (args) => ({
      contents: `module.exports = require(${JSON.stringify(args.path.slice(0, args.path.indexOf("?from=")))});`,
      loader: "js",
    }));
  },
};

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
  plugins: [builtinsByRequire],
  // Bundled CommonJS dependencies (and the shims above) call require() for Node built-ins; ESM has no require, so
  // provide one.
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
