import assert from "node:assert/strict";
import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { KubeError } from "../../../src/kube/errors.ts";
import { authConfig, loadKubeconfig } from "../../../src/kube/kubeconfig.ts";

const dir = mkdtempSync(join(tmpdir(), "timoneiro-kubeconfig-"));

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

function config(opts: {
  current?: string;
  contexts: [string, string, string][];
  clusters: [string, string][];
}): string {
  return JSON.stringify({
    apiVersion: "v1",
    kind: "Config",
    ...(opts.current !== undefined && { "current-context": opts.current }),
    clusters: opts.clusters.map(([name, server]) => ({ name, cluster: { server, "certificate-authority": "ca.crt" } })),
    users: [{ name: "u", user: { token: "t" } }],
    contexts: opts.contexts.map(([name, cluster, ns]) => ({ name, context: { cluster, user: "u", namespace: ns } })),
  });
}

function configError(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof KubeError && err.kind === "config", `expected a config error, got ${String(err)}`);
    assert.ok(!err.message.includes("\n"), "one line");
    return err.message;
  }
  assert.fail("expected an error");
}

test("--kubeconfig reads that file; relative paths resolve against it", () => {
  const path = file(
    "one.yaml",
    config({ current: "a", contexts: [["a", "c1", "team"]], clusters: [["c1", "https://h1:6443"]] }),
  );
  const loaded = loadKubeconfig({ kubeconfig: path, env: {} });
  assert.equal(loaded.contextName, "a");
  assert.equal(loaded.clusterName, "c1");
  assert.equal(loaded.server, "https://h1:6443");
  assert.equal(loaded.namespace, "team");
  const cluster = (loaded.merged.clusters as { cluster: Record<string, string> }[])[0]!.cluster;
  assert.equal(cluster["certificate-authority"], join(dir, "ca.crt"));
});

test("KUBECONFIG merges with kubectl's rules: first definition and first current-context win, missing files skipped", () => {
  const first = file(
    "first.yaml",
    config({ contexts: [["shared", "c1", "one"]], clusters: [["c1", "https://first"]] }),
  );
  const second = file(
    "second.yaml",
    config({
      current: "shared",
      contexts: [
        ["shared", "c2", "two"],
        ["other", "c2", "x"],
      ],
      clusters: [
        ["c1", "https://second"],
        ["c2", "https://c2"],
      ],
    }),
  );
  const third = file("third.yaml", config({ current: "other", contexts: [], clusters: [] }));
  const loaded = loadKubeconfig({ env: { KUBECONFIG: [join(dir, "missing.yaml"), first, second, third].join(":") } });
  assert.equal(loaded.contextName, "shared"); // second file sets it first; third does not override
  assert.equal(loaded.server, "https://first"); // context "shared" from the first file → cluster c1 from the first file
  assert.equal(loaded.namespace, "one");
  assert.deepEqual(loaded.files, [first, second, third]);
  assert.equal(loadKubeconfig({ env: { KUBECONFIG: `${first}:${second}` }, context: "other" }).server, "https://c2");
});

test("~/.kube/config is the default", () => {
  const home = mkdtempSync(join(tmpdir(), "timoneiro-home-"));
  mkdirSync(join(home, ".kube"));
  writeFileSync(
    join(home, ".kube", "config"),
    config({ current: "h", contexts: [["h", "c", ""]], clusters: [["c", "https://home"]] }),
  );
  assert.equal(loadKubeconfig({ env: {}, homeDir: home }).server, "https://home");
});

test("in-cluster service account config when there is no kubeconfig", () => {
  const home = mkdtempSync(join(tmpdir(), "timoneiro-home-"));
  const sa = mkdtempSync(join(tmpdir(), "timoneiro-sa-"));
  writeFileSync(join(sa, "token"), "tok");
  writeFileSync(join(sa, "namespace"), "kube-system\n");
  const env = { KUBERNETES_SERVICE_HOST: "10.0.0.1", KUBERNETES_SERVICE_PORT: "443" };
  const loaded = loadKubeconfig({ env, homeDir: home, serviceAccountDir: sa });
  assert.equal(loaded.server, "https://10.0.0.1:443");
  assert.equal(loaded.namespace, "kube-system");
});

test("one-line errors name the cause and the fix", () => {
  const missing = configError(() => loadKubeconfig({ kubeconfig: join(dir, "nope.yaml"), env: {} }));
  assert.match(missing, /nope\.yaml does not exist/);

  const unreadable = file("unreadable.yaml", "x: 1");
  chmodSync(unreadable, 0o000);
  if (process.getuid?.() !== 0)
    assert.match(
      configError(() => loadKubeconfig({ kubeconfig: unreadable })),
      /cannot read/,
    );

  const bad = file("bad.yaml", "clusters:\n  - name: a\n    cluster: {server: [unclosed\n");
  assert.match(
    configError(() => loadKubeconfig({ kubeconfig: bad })),
    /bad\.yaml is not valid YAML at line \d+/,
  );

  const notMap = file("list.yaml", "- a\n- b\n");
  assert.match(
    configError(() => loadKubeconfig({ kubeconfig: notMap })),
    /is not a kubeconfig/,
  );

  const two = file(
    "two.yaml",
    config({
      contexts: [
        ["a", "c", ""],
        ["b", "c", ""],
      ],
      clusters: [["c", "https://x"]],
    }),
  );
  assert.match(
    configError(() => loadKubeconfig({ kubeconfig: two })),
    /no current-context; pass --context NAME \(available: a, b\)/,
  );
  assert.match(
    configError(() => loadKubeconfig({ kubeconfig: two, context: "zz" })),
    /context "zz" not found .*\(available: a, b\)/,
  );

  const dangling = file("dangling.yaml", config({ current: "a", contexts: [["a", "gone", ""]], clusters: [] }));
  assert.match(
    configError(() => loadKubeconfig({ kubeconfig: dangling })),
    /names cluster "gone"/,
  );

  const home = mkdtempSync(join(tmpdir(), "timoneiro-home-"));
  assert.match(
    configError(() => loadKubeconfig({ env: {}, homeDir: home, serviceAccountDir: join(home, "sa") })),
    /no kubeconfig:.*--kubeconfig PATH/,
  );
  assert.match(
    configError(() => loadKubeconfig({ env: { KUBECONFIG: join(dir, "x1:") } })),
    /none of the files in KUBECONFIG exist/,
  );
});

test("credentials come from client-node: bearer token and CA data", async () => {
  const ca = Buffer.from("-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n").toString("base64");
  const path = file(
    "auth.yaml",
    JSON.stringify({
      "current-context": "x",
      clusters: [{ name: "c", cluster: { server: "https://127.0.0.1:1", "certificate-authority-data": ca } }],
      users: [{ name: "u", user: { token: "secret-token" } }],
      contexts: [{ name: "x", context: { cluster: "c", user: "u" } }],
    }),
  );
  const kc = await authConfig(loadKubeconfig({ kubeconfig: path }));
  const opts: { headers?: Record<string, string>; ca?: Buffer } = {};
  await kc.applyToHTTPSOptions(opts);
  assert.equal(opts.headers?.Authorization, "Bearer secret-token");
  assert.match(String(opts.ca), /BEGIN CERTIFICATE/);
});

test("tokens, token files, client certificates and CAs are read directly, as client-node reads them; exec goes to it", async () => {
  const pem = (what: string) => `-----BEGIN ${what}-----\nMIIB${what.length}\n-----END ${what}-----\n`;
  const b64 = (text: string) => Buffer.from(text).toString("base64");
  const tokenFile = file("sa-token", "rotated-token\n");
  const certFile = file("client.crt", pem("CERTIFICATE"));
  const keyFile = file("client.key", pem("PRIVATE KEY"));
  const caFile = file("ca-file.crt", pem("CA"));
  const users: Record<string, Record<string, unknown>> = {
    token: { token: "secret-token" },
    tokenFile: { tokenFile },
    certData: { "client-certificate-data": b64(pem("CERTIFICATE")), "client-key-data": b64(pem("PRIVATE KEY")) },
    certFiles: { "client-certificate": certFile, "client-key": keyFile },
    none: {},
  };
  const clusters: Record<string, Record<string, unknown>> = {
    caData: { server: "https://127.0.0.1:1", "certificate-authority-data": b64(pem("CA")) },
    caFile: { server: "https://127.0.0.1:1", "certificate-authority": caFile, "tls-server-name": "api.internal" },
    insecure: { server: "https://127.0.0.1:1", "insecure-skip-tls-verify": true },
  };
  const { credentialsFor, staticCredentials } = await import("../../../src/kube/kubeconfig.ts");
  for (const [u, user] of Object.entries(users)) {
    for (const [c, cluster] of Object.entries(clusters)) {
      const path = file(
        `direct-${u}-${c}.yaml`,
        JSON.stringify({
          "current-context": "x",
          clusters: [{ name: "c", cluster }],
          users: [{ name: "u", user }],
          contexts: [{ name: "x", context: { cluster: "c", user: "u" } }],
        }),
      );
      const loaded = loadKubeconfig({ kubeconfig: path });
      const direct = staticCredentials(loaded);
      assert.ok(direct, `${u}/${c} is read directly`);
      const ours = await direct();
      const kc = await authConfig(loaded);
      const theirs: Record<string, unknown> & { headers?: Record<string, string> } = {};
      await kc.applyToHTTPSOptions(theirs);
      const text = (v: unknown) => (v === undefined ? undefined : String(v));
      assert.deepEqual(
        [
          ours.headers.Authorization,
          text(ours.ca),
          text(ours.cert),
          text(ours.key),
          ours.rejectUnauthorized,
          ours.servername,
        ],
        [
          // client-node does not read kubectl's tokenFile (only a "token-file" key, once): the direct path does.
          u === "tokenFile" ? "Bearer rotated-token" : theirs.headers?.Authorization,
          text(theirs.ca),
          text(theirs.cert),
          text(theirs.key),
          theirs.rejectUnauthorized === false ? false : undefined,
          theirs.servername,
        ],
        `${u}/${c}: the same as client-node`,
      );
      // credentialsFor takes the direct path for these (no client-node import on the way to the first request).
      assert.equal((await (await credentialsFor(loaded))()).headers.Authorization, ours.headers.Authorization);
    }
  }
  writeFileSync(tokenFile, "next-token\n");
  const rotating = staticCredentials(
    loadKubeconfig({
      kubeconfig: file(
        "direct-rotating.yaml",
        JSON.stringify({
          "current-context": "x",
          clusters: [{ name: "c", cluster: { server: "https://127.0.0.1:1" } }],
          users: [{ name: "u", user: { tokenFile } }],
          contexts: [{ name: "x", context: { cluster: "c", user: "u" } }],
        }),
      ),
    }),
  );
  assert.equal((await rotating!()).headers.Authorization, "Bearer next-token", "a token file is read again");
  const exec = loadKubeconfig({
    kubeconfig: file(
      "direct-exec.yaml",
      JSON.stringify({
        "current-context": "x",
        clusters: [{ name: "c", cluster: { server: "https://127.0.0.1:1" } }],
        users: [{ name: "u", user: { exec: { apiVersion: "client.authentication.k8s.io/v1", command: "true" } } }],
        contexts: [{ name: "x", context: { cluster: "c", user: "u" } }],
      }),
    ),
  });
  assert.equal(staticCredentials(exec), undefined, "an exec plugin is client-node's");
});
