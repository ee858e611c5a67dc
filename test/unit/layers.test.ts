import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { test } from "node:test";
import { RULES } from "../../scripts/check-layers.ts";
import { checkLayers, importSpecifiers, layerOf, resolveSpecifier, type SourceFile } from "../../scripts/layers.ts";

const messages = (files: SourceFile[]) => checkLayers(files, RULES).violations.map((v) => v.message);

test("importSpecifiers finds static, type-only, re-export, side-effect and dynamic imports", () => {
  const source = [
    'import { a, type B } from "./a.ts";',
    'import type { C } from "../c.ts";',
    'import * as d from "./d.ts";',
    'import e, { f as g } from "./e.ts";',
    'import "./side-effect.ts";',
    'export * from "./reexport.ts";',
    'export type { H } from "./h.ts";',
    "export const x = 1;",
    'const lazy = await import("./lazy.ts");',
    'let t: import("./in-type.ts").T;',
    "const url = import.meta.url;",
  ].join("\n");
  assert.deepEqual(importSpecifiers(source), [
    { specifier: "./a.ts", kind: "static" },
    { specifier: "../c.ts", kind: "type" },
    { specifier: "./d.ts", kind: "static" },
    { specifier: "./e.ts", kind: "static" },
    { specifier: "./side-effect.ts", kind: "static" },
    { specifier: "./reexport.ts", kind: "static" },
    { specifier: "./h.ts", kind: "type" },
    { specifier: "./lazy.ts", kind: "dynamic" },
    { specifier: "./in-type.ts", kind: "dynamic" },
  ]);
});

test("importSpecifiers ignores imports in comments, strings, templates and regexes", () => {
  const source = [
    '// import { a } from "./comment.ts";',
    '/* import("./block.ts") */',
    "const s = 'import x from \"./string.ts\"';",
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the source under test holds a template literal
    'const t = `import("./template.ts") ${1 + 1} import "./after-substitution.ts"`;',
    'const r = /import "|from "/;',
    'import { real } from "./real.ts";',
  ].join("\n");
  assert.deepEqual(importSpecifiers(source), [{ specifier: "./real.ts", kind: "static" }]);
});

test("relative specifiers resolve from the importing file; packages and built-ins do not", () => {
  assert.equal(resolveSpecifier("src/app/screens/pods.ts", "../../resources/pods.ts"), "src/resources/pods.ts");
  assert.equal(resolveSpecifier("src/app/view.ts", "./table.ts"), "src/app/table.ts");
  assert.equal(resolveSpecifier("src/app/view.ts", "node:fs"), undefined);
  assert.equal(resolveSpecifier("src/app/view.ts", "yaml"), undefined);
  assert.equal(layerOf("src/kube/protobuf/index.ts"), "kube");
  assert.equal(layerOf("src/stray.ts"), undefined);
});

test("an import against the direction of the layers is a violation", () => {
  assert.deepEqual(
    messages([
      { path: "src/tui/run.ts", source: 'import { update } from "../app/update.ts";' },
      { path: "src/repository/types.ts", source: 'import type { X } from "../tui/width.ts";' },
      { path: "src/kube/store.ts", source: 'import { pods } from "../resources/pods.ts";' },
      { path: "src/app/model.ts", source: 'import { startSimServer } from "../sim/index.ts";' },
    ]),
    [
      "src/tui/run.ts imports src/app/update.ts: tui may not import app",
      "src/repository/types.ts imports src/tui/width.ts: repository may not import tui",
      "src/kube/store.ts imports src/resources/pods.ts: kube may not import resources",
      "src/app/model.ts imports src/sim/index.ts: app may not import sim",
    ],
  );
});

test("imports down the layers, within a layer and of packages pass", () => {
  assert.deepEqual(
    messages([
      {
        path: "src/app/screens/pods.ts",
        source: [
          'import { pods } from "../../resources/pods.ts";',
          'import type { Repository } from "../../repository/types.ts";',
          'import { HaystackCache } from "../filter.ts";',
          'import { Fzf } from "fzf";',
          'import { readFileSync } from "node:fs";',
        ].join("\n"),
      },
      { path: "src/sim/table.ts", source: 'import { builtinKind } from "../resources/index.ts";' },
      { path: "src/cli/main.ts", source: 'import { runUi } from "../tui/run.ts";' },
    ]),
    [],
  );
});

test("dynamic imports are checked: the CLI may load the simulator only lazily", () => {
  assert.deepEqual(
    messages([
      { path: "src/cli/main.ts", source: 'const { startSimServer } = await import("../sim/index.ts");' },
      { path: "src/cli/startup.ts", source: 'import { startSimServer } from "../sim/index.ts";' },
      { path: "src/tui/run.ts", source: 'const { view } = await import("../app/view.ts");' },
    ]),
    [
      "src/cli/startup.ts imports src/sim/index.ts: cli may import sim only lazily, with import()",
      "src/tui/run.ts imports src/app/view.ts: tui may not import app",
    ],
  );
});

test("a file in no layer and an import from outside src/ are violations", () => {
  assert.deepEqual(
    messages([
      { path: "src/stray.ts", source: "" },
      { path: "src/app/view.ts", source: 'import { fixture } from "../../test/fixtures/pods.ts";' },
    ]),
    [
      "src/stray.ts is in no layer (kube, resources, repository, app, tui, sim, cli)",
      "src/app/view.ts imports test/fixtures/pods.ts: app may not import outside src/",
    ],
  );
});

test("the script prints each violation and exits 1, or prints a summary and exits 0", () => {
  const root = mkdtempSync(join(tmpdir(), "timoneiro-layers-"));
  try {
    const write = (path: string, source: string) => {
      mkdirSync(dirname(join(root, path)), { recursive: true });
      writeFileSync(join(root, path), source);
    };
    const run = () =>
      spawnSync(process.execPath, [join(import.meta.dirname, "../../scripts/check-layers.ts"), root], {
        encoding: "utf8",
      });
    write("src/app/model.ts", 'import type { Row } from "../kube/row.ts";\n');
    write("src/kube/row.ts", "export interface Row { name: string }\n");
    write("src/tui/run.ts", 'import { newModel } from "../app/model.ts";\n');

    const failing = run();
    assert.equal(failing.status, 1);
    assert.match(failing.stderr, /^src\/tui\/run\.ts imports src\/app\/model\.ts: tui may not import app$/m);
    assert.match(failing.stderr, /^layers: 1 violation in 1 file \(3 files, 2 relative imports\)$/m);

    write("src/tui/run.ts", 'import { stdout } from "node:process";\n');
    const passing = run();
    assert.equal(passing.status, 0, passing.stderr);
    assert.match(passing.stdout, /^layers: no violations \(3 files, 1 relative import\)$/m);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
