// `npm run package`: a standalone executable (Node's single executable application) for this machine's platform:
// the CLI bundled into one CommonJS file, turned into a SEA blob with its V8 code cache, and injected into a copy of
// the project's own Node binary (the `node` devDependency) with postject, the official injector.
//   node scripts/package.ts [--out FILE]      default dist-bin/timoneiro-<platform>-<arch>
import { execFileSync } from "node:child_process";
import { copyFileSync, mkdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { build } from "esbuild";
import { YOUNG_GENERATION_FLAG } from "../src/cli/young-generation.ts";

const started = performance.now();
const outIndex = process.argv.indexOf("--out");
const out =
  outIndex >= 0 ? (process.argv[outIndex + 1] as string) : `dist-bin/timoneiro-${process.platform}-${process.arch}`;
const work = join("dist-bin", ".work");
rmSync(work, { recursive: true, force: true });
mkdirSync(work, { recursive: true });

// One file: a SEA runs a single CommonJS script, with only Node's built-in modules to require.
const main = join(work, "timoneiro.cjs");
await build({
  entryPoints: ["src/cli/main.ts"],
  outfile: main,
  bundle: true,
  platform: "node",
  format: "cjs",
  target: "node24",
  legalComments: "none",
  logLevel: "warning",
});

const blob = join(work, "sea-prep.blob");
const config = join(work, "sea-config.json");
writeFileSync(
  config,
  JSON.stringify({
    main,
    output: blob,
    disableExperimentalSEAWarning: true,
    useCodeCache: true,
    useSnapshot: false,
    // The young-generation cap the bundle's entry re-executes itself with (src/cli/young-generation.ts): a binary
    // carries its Node flags, so it starts with it and never re-executes.
    execArgv: [YOUNG_GENERATION_FLAG],
  }),
);
execFileSync(process.execPath, ["--experimental-sea-config", config], { stdio: "pipe" });

mkdirSync(join(out, ".."), { recursive: true });
copyFileSync(process.execPath, out);
execFileSync(
  process.execPath,
  [
    join("node_modules", "postject", "dist", "cli.js"),
    out,
    "NODE_SEA_BLOB",
    blob,
    "--sentinel-fuse",
    "NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2",
    ...(process.platform === "darwin" ? ["--macho-segment-name", "NODE_SEA"] : []),
  ],
  // postject warns about ELF note sections it does not need; its output is shown only if it fails.
  { stdio: "pipe" },
);
rmSync(work, { recursive: true, force: true });
const mb = (statSync(out).size / 2 ** 20).toFixed(0);
console.log(`built ${out} (${mb} MB) in ${Math.round(performance.now() - started)} ms`);
