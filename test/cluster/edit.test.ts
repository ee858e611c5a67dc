// `e` (edit) against the real API server: the EditView opened from a TableView over a real InformerRepository, its
// effects performed as src/cli/ui.ts performs them (GET and PUT through a Session, the temporary file through
// src/cli/edit-files.ts) and a real editor process: lib/fake-editor.ts, given as ctx.editor, which edits the file as
// a script says and keeps what it was shown. A concurrent update made while the editor is open makes the PUT a real
// 409; invalid YAML and a 422 from the server's validation reopen the file with the error; no change sends nothing.
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import type { Action, View } from "../../src/app/views/view.ts";
import { openSession, type Session } from "../../src/cli/session.ts";
import { contextFor, type DriveHooks, drive, openTable, press, type Run, select } from "./lib/drive.ts";
import { type TestCluster, testCluster } from "./lib/target.ts";

type Json = Record<string, unknown>;

const EDITOR = join(import.meta.dirname, "lib", "fake-editor.ts");
const HEADER = "# Please edit the object below. Lines beginning with a '#' will be ignored,";

let cluster: TestCluster;
let session: Session;
let ns: string;
let workDir: string;

before(async () => {
  cluster = await testCluster();
  ns = cluster.ns("edit");
  if (!cluster.external) {
    const res = await cluster.request("POST", "/api/v1/namespaces", { metadata: { name: ns } });
    assert.equal(res.status, 201, res.body.toString());
  }
  session = await openSession(
    { kubeconfig: cluster.kubeconfigPath, ...(cluster.context !== undefined && { context: cluster.context }) },
    {
      backoff: { initialMs: 50, maxMs: 1000, factor: 2 },
      metrics: false,
      ...(cluster.scope && { namespace: cluster.scope }),
    },
  );
  await session.repo.startPriority();
  workDir = mkdtempSync(join(tmpdir(), "timoneiro-edit-test-"));
});

after(async () => {
  await session?.stop();
  await cluster?.stop();
  if (workDir) rmSync(workDir, { recursive: true, force: true });
});

const path = (name: string) => `/api/v1/namespaces/${ns}/configmaps/${name}`;

async function configMap(name: string): Promise<Json> {
  const res = await cluster.request("GET", path(name));
  assert.equal(res.status, 200, res.body.toString());
  return res.json as Json;
}

async function createConfigMap(name: string, data: Record<string, string>): Promise<Json> {
  const res = await cluster.request("POST", `/api/v1/namespaces/${ns}/configmaps`, {
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: { name },
    data,
  });
  assert.equal(res.status, 201, res.body.toString());
  return res.json as Json;
}

interface Step {
  from?: number;
  sed?: [string, string][];
  text?: string;
  exit?: number;
}

interface Edit {
  run: Run;
  /** What the editor was shown, invocation by invocation. */
  seen: string[];
  /** The temporary files the view had written. */
  files: string[];
}

/** `e` on config map `name` (or an object of another kind), the editor following `steps`; drives the EditView. */
async function edit(
  name: string,
  steps: Step[],
  hooks: DriveHooks = {},
  kind: { key: string; short: string } = { key: "configmaps", short: "cm" },
): Promise<Edit> {
  const stepsFile = join(workDir, `${kind.key}-${name}.steps.json`);
  writeFileSync(stepsFile, JSON.stringify(steps));
  const ctx = contextFor(session, { editor: [process.execPath, EDITOR, stepsFile] });
  const { view, release } = await openTable(session, ctx, kind.key, kind.short, ns, name);
  let run: Run;
  try {
    const [, actions] = press(select(view, name, ctx()), "e", ctx());
    const push = actions.find((a): a is Extract<Action, { type: "push" }> => a.type === "push");
    assert.ok(push, "e opens the edit view");
    const editView: View = push.view;
    run = await drive(
      session,
      ctx,
      editView,
      actions.filter((a) => a.type !== "push"),
      hooks,
    );
  } finally {
    release();
  }
  const seen: string[] = [];
  for (let i = 0; existsSync(`${stepsFile}.seen.${i}`); i++) seen.push(readFileSync(`${stepsFile}.seen.${i}`, "utf8"));
  const files = run.results.flatMap((m) =>
    m.type === "result" && m.id.endsWith("#file") && typeof m.value === "string" ? [m.value] : [],
  );
  return { run, seen, files };
}

/** The PUTs the view sent, and how each was answered (in order: they share one id). */
function puts(run: Run): { body: Json; error: string | undefined }[] {
  const sent = run.effects.flatMap((e) => (e.type === "write" ? [e] : []));
  const answers = run.results.filter((m) => m.type === "result" && sent.some((e) => e.id === m.id));
  assert.equal(answers.length, sent.length, "every PUT was answered");
  return sent.map((e, i) => {
    const answer = answers[i];
    assert.equal(e.request.method, "PUT");
    assert.equal(e.request.path, path(e.request.name as string));
    return { body: e.request.body as Json, error: answer?.type === "result" ? answer.error : "no answer" };
  });
}

function assertFilesRemoved(files: string[]): void {
  assert.ok(files.length > 0);
  for (const file of files) assert.equal(existsSync(file), false, `${file} was left behind`);
}

test("a concurrent update between the GET and the PUT: 409, read again, the change re-applied, saved", async () => {
  const name = "settings-conflict";
  await createConfigMap(name, { mode: "blue" });
  const result = await edit(name, [{ sed: [["^  mode: blue$", "  mode: green"]] }, {}], {
    // While the editor has the file, someone else updates the object.
    beforeExec: async (n) => {
      if (n !== 0) return;
      const res = await cluster.request(
        "PATCH",
        path(name),
        { data: { owner: "ops" } },
        { headers: { "Content-Type": "application/merge-patch+json" } },
      );
      assert.equal(res.status, 200, res.body.toString());
    },
  });
  const { run, seen } = result;
  assert.deepEqual(run.messages, [{ text: `edited cm/${name}`, error: false }]);
  assert.equal(run.popped, true);
  const sent = puts(run);
  assert.equal(sent.length, 2);
  assert.match(sent[0]?.error ?? "", /the object has been modified; please apply your changes to the latest version/);
  assert.equal(sent[1]?.error, undefined);
  // The second PUT carries the latest resourceVersion and both changes.
  const [first, second] = sent.map((p) => p.body as { data: Json; metadata: Json });
  assert.ok(first && second);
  assert.deepEqual(second.data, { mode: "green", owner: "ops" });
  assert.notEqual(second.metadata.resourceVersion, first.metadata.resourceVersion, "the latest resourceVersion");
  // The reopened file: the note, then the user's change on the latest version.
  assert.equal(seen.length, 2);
  assert.ok(seen[1]?.startsWith(HEADER), seen[1]);
  assert.match(seen[1] ?? "", /^# The object was changed on the server since you opened it\./m);
  assert.match(seen[1] ?? "", /^ {2}mode: green$/m);
  assert.match(seen[1] ?? "", /^ {2}owner: ops$/m);
  assert.doesNotMatch(seen[0] ?? "", /owner/);
  assert.deepEqual((await configMap(name)).data, { mode: "green", owner: "ops" });
  assertFilesRemoved(result.files);
});

test("invalid YAML: reopened with the parser's error as comments; fixed, it is saved", async () => {
  const name = "settings-yaml";
  await createConfigMap(name, { mode: "blue" });
  const result = await edit(name, [
    { text: "data:\n  mode: [unclosed\n" },
    { from: 0, sed: [["^  mode: blue$", "  mode: red"]] },
  ]);
  const { run, seen } = result;
  assert.deepEqual(run.messages, [{ text: `edited cm/${name}`, error: false }]);
  assert.equal(seen.length, 2);
  assert.ok(seen[1]?.startsWith(HEADER));
  assert.match(seen[1] ?? "", /^# error: the file is not valid YAML: /m);
  assert.match(seen[1] ?? "", /^ {2}mode: \[unclosed$/m, "the user's text is kept to fix");
  assert.equal(puts(run).length, 1, "nothing was sent for the invalid file");
  assert.deepEqual((await configMap(name)).data, { mode: "red" });
  assertFilesRemoved(result.files);
});

test("no change: Edit cancelled, no changes made., nothing sent", async () => {
  const name = "settings-same";
  const created = await createConfigMap(name, { mode: "blue" });
  const result = await edit(name, [{}]);
  assert.deepEqual(result.run.messages, [{ text: "Edit cancelled, no changes made.", error: false }]);
  assert.equal(result.run.popped, true);
  assert.equal(puts(result.run).length, 0);
  const meta = (o: Json) => o.metadata as Json;
  assert.equal(meta(await configMap(name)).resourceVersion, meta(created).resourceVersion);
  assertFilesRemoved(result.files);
});

test("422 (an invalid key): reopened with the server's message; fixed, it is saved", async () => {
  const name = "settings-invalid";
  await createConfigMap(name, { mode: "blue" });
  const result = await edit(name, [
    { sed: [["^  mode: blue$", "  mode: blue\n  bad key!: x"]] },
    { from: 0, sed: [["^  mode: blue$", "  mode: yellow"]] },
  ]);
  const { run, seen } = result;
  assert.deepEqual(run.messages, [{ text: `edited cm/${name}`, error: false }]);
  const sent = puts(run);
  assert.equal(sent.length, 2);
  const refusal = `ConfigMap "${name}" is invalid: data[bad key!]: Invalid value: "bad key!": a valid config key must consist of alphanumeric characters`;
  assert.ok(sent[0]?.error?.startsWith(refusal), sent[0]?.error);
  assert.ok(seen[1]?.includes(`\n# error: ${refusal}`), seen[1]);
  assert.deepEqual((await configMap(name)).data, { mode: "yellow" });
  assertFilesRemoved(result.files);
});

test("the editor fails: nothing is sent, the edit ends with the exit code", async () => {
  const name = "settings-quit";
  await createConfigMap(name, { mode: "blue" });
  const result = await edit(name, [{ exit: 1 }]);
  assert.deepEqual(result.run.messages, [
    { text: `edit cm/${name}: the editor exited with 1; nothing was changed`, error: true },
  ]);
  assert.equal(puts(result.run).length, 0);
  assert.deepEqual((await configMap(name)).data, { mode: "blue" });
  assertFilesRemoved(result.files);
});

test("no change on objects full of YAML's traps (a Deployment, a Secret): still no change, nothing sent", async () => {
  // Strings YAML could read as something else, quantities, int-or-string, a multi-line string, an empty one.
  const tricky = {
    octal: "0123",
    yes: "yes",
    no: "off",
    float: "1e3",
    null: "null",
    tilde: "~",
    colon: "a: b",
    empty: "",
    lines: "one\ntwo\n",
    hash: "# not a comment",
    date: "2026-12-01",
  };
  let res = await cluster.request("POST", `/apis/apps/v1/namespaces/${ns}/deployments`, {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name: "tricky", annotations: tricky, labels: { version: "1.10" } },
    spec: {
      replicas: 2,
      strategy: { rollingUpdate: { maxSurge: "25%", maxUnavailable: 1 } },
      selector: { matchLabels: { app: "tricky" } },
      template: {
        metadata: { labels: { app: "tricky" } },
        spec: {
          containers: [
            {
              name: "app",
              image: "fake/app:1",
              args: ["--flag=true", "1", ""],
              env: [{ name: "N", value: "08" }],
              resources: { requests: { cpu: "100m", memory: "64Mi" }, limits: { cpu: "1.5" } },
            },
          ],
        },
      },
    },
  });
  assert.equal(res.status, 201, res.body.toString());
  res = await cluster.request("POST", `/api/v1/namespaces/${ns}/secrets`, {
    apiVersion: "v1",
    kind: "Secret",
    metadata: { name: "tricky" },
    stringData: tricky,
  });
  assert.equal(res.status, 201, res.body.toString());
  for (const kind of [
    { key: "deployments.apps", short: "deploy" },
    { key: "secrets", short: "secret" },
  ]) {
    const result = await edit("tricky", [{}], {}, kind);
    assert.deepEqual(result.run.messages, [{ text: "Edit cancelled, no changes made.", error: false }], kind.key);
    assert.equal(puts(result.run).length, 0);
    assertFilesRemoved(result.files);
  }
});
