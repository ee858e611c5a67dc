// Start-up errors: each is one line naming the cause and the fix, and startPriority rejects instead of spinning.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { test } from "node:test";
import { KubeError } from "../../../src/kube/errors.ts";
import { InformerRepository } from "../../../src/repository/informer-repository.ts";
import { startSimServer } from "../../../src/sim/index.ts";
import { FAST, startHarness } from "./sim-harness.ts";

async function startupError(kubeconfig: string, limitMs = 10_000): Promise<KubeError> {
  const repo = await InformerRepository.fromKubeconfig({ kubeconfig }, FAST);
  try {
    await repo.startPriority(AbortSignal.timeout(limitMs));
  } catch (err) {
    assert.ok(err instanceof KubeError, `expected a KubeError, got ${String(err)}`);
    assert.ok(!err.message.includes("\n"), "one line");
    return err;
  } finally {
    await repo.stopAndWait();
  }
  assert.fail("expected start-up to fail");
}

function rewrite(kubeconfig: string, name: string, edit: (text: string) => string): string {
  const path = join(kubeconfig, "..", name);
  writeFileSync(path, edit(spawnSync("cat", [kubeconfig]).stdout.toString()));
  return path;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

test("401: the server rejects the token", async () => {
  const h = await startHarness({ pods: 5 });
  try {
    const bad = rewrite(h.kubeconfig, "bad-token", (t) => t.replace(h.sim.token, "not-the-token"));
    const err = await startupError(bad);
    assert.equal(err.status, 401);
    assert.match(err.message, /^unauthorized \(401\) at https:\/\/127\.0\.0\.1:\d+\/api\/v1\/pods: .*credentials/);
  } finally {
    await h.close();
  }
});

test("403: RBAC denies listing pods, quoting the server's message", async () => {
  const h = await startHarness({ pods: 5, faults: { rbacDeny: ["pods"] } });
  try {
    const err = await startupError(h.kubeconfig);
    assert.equal(err.status, 403);
    assert.match(
      err.message,
      /^forbidden \(403\): pods is forbidden: User "timoneiro" cannot list resource "pods" in API group "" at the cluster scope; /,
    );
  } finally {
    await h.close();
  }
});

test("connection refused names the server", async () => {
  const h = await startHarness({ pods: 1 });
  const port = await freePort();
  try {
    const refused = rewrite(h.kubeconfig, "refused", (t) => t.replace(`127.0.0.1:${h.sim.port}`, `127.0.0.1:${port}`));
    const err = await startupError(refused);
    assert.equal(
      err.message,
      `connection refused by https://127.0.0.1:${port}; is the cluster running and the address right?`,
    );
  } finally {
    await h.close();
  }
});

test("unknown host: DNS failure names the server", async () => {
  const h = await startHarness({ pods: 1 });
  try {
    const dns = rewrite(h.kubeconfig, "dns", (t) => t.replace(`127.0.0.1:${h.sim.port}`, "no-such-host.invalid:6443"));
    const err = await startupError(dns);
    assert.match(err.message, /^cannot resolve the host of https:\/\/no-such-host\.invalid:6443/);
  } finally {
    await h.close();
  }
});

test("TLS verification failure against a CA that did not sign the server", async () => {
  const h = await startHarness({ pods: 1 });
  const other = await startSimServer({ pods: 0 });
  try {
    const otherCa = Buffer.from(other.caPem).toString("base64");
    const wrongCa = rewrite(h.kubeconfig, "wrong-ca", (t) =>
      t.replace(/certificate-authority-data: .*/, `certificate-authority-data: ${otherCa}`),
    );
    const err = await startupError(wrongCa);
    assert.equal(err.kind, "tls");
    assert.match(err.message, /^TLS verification of https:\/\/127\.0\.0\.1:\d+ failed .*check certificate-authority/);
  } finally {
    await other.stop();
    await h.close();
  }
});

test("stop() aborts everything: the process exits by itself with no handles left", () => {
  const script = `
    import { startHarness } from ${JSON.stringify(join(import.meta.dirname, "sim-harness.ts"))};
    const h = await startHarness({ pods: 300, churn: 50 }, { resources: ["pods", "deployments", "services"] });
    await h.repo.startPriority();
    h.repo.stop();          // fire-and-forget, as the UI does on quit
    await h.repo.stopAndWait();
    await h.sim.stop();
    console.log("stopped");
  `;
  const result = spawnSync(process.execPath, ["--input-type=module", "-e", script], {
    timeout: 30_000,
    encoding: "utf8",
  });
  assert.equal(result.signal, null, `the process had to be killed: handles were left open\n${result.stderr}`);
  assert.equal(result.status, 0, result.stderr);
  assert.match(result.stdout, /stopped/);
});
