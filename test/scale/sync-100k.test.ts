// 100,000 pods: the informer syncs them from a simulator running in its own process (as a real cluster would be),
// the UI-facing view is sorted, and the cache equals a fresh LIST of the server, row for row.
// Correctness only: the speed of this sync is measured in bench/, never asserted here.
import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { loadKubeconfig } from "../../src/kube/kubeconfig.ts";
import { compareRows, rowKey } from "../../src/kube/store.ts";
import { jsonDecoder } from "../../src/kube/wire.ts";
import { InformerRepository, transportFor } from "../../src/repository/informer-repository.ts";
import { podRow } from "../../src/resources/pods.ts";
import { podSearchFields, withSearchText } from "../../src/resources/search.ts";

const PODS = 100_000;
const kubeconfig = join(mkdtempSync(join(tmpdir(), "timoneiro-scale-")), "kubeconfig");
let sim: ChildProcess;

before(async () => {
  const cli = join(import.meta.dirname, "..", "..", "dist", "timoneiro.js");
  sim = spawn(process.execPath, [cli, "sim", "--pods", String(PODS), "--seed", "3", "--kubeconfig-out", kubeconfig], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  await new Promise<void>((resolve, reject) => {
    let out = "";
    sim.stdout!.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes("listening on")) resolve();
    });
    sim.once("exit", (code) => reject(new Error(`timoneiro sim exited with ${code} before listening`)));
  });
});

after(() => {
  sim?.kill("SIGTERM");
});

test(`syncs ${PODS.toLocaleString("en")} pods; the cache equals a fresh LIST, row for row`, async () => {
  const repo = await InformerRepository.fromKubeconfig({ kubeconfig }, { resources: ["pods"] });
  try {
    let countAtFirstChange = 0;
    const unsubscribe = repo.subscribe(() => {
      if (countAtFirstChange === 0) countAtFirstChange = repo.getLoadingStatus("pods").count;
    });
    await repo.startPriority();
    unsubscribe();
    assert.ok(countAtFirstChange > 0 && countAtFirstChange < PODS, "rows were published page by page, before the end");
    const cached = repo.getPods();
    assert.equal(cached.length, PODS);
    for (let i = 1; i < cached.length; i++) assert.ok(compareRows(cached[i - 1]!, cached[i]!) < 0, `sorted at ${i}`);

    // A fresh paginated LIST through a separate transport, as JSON, mapped through the same row transform.
    const transport = await transportFor(loadKubeconfig({ kubeconfig }));
    const fresh = new Map<string, ReturnType<typeof podRow>>();
    let token = "";
    do {
      const res = await transport.request(
        `/api/v1/pods?limit=1000${token ? `&continue=${encodeURIComponent(token)}` : ""}`,
      );
      const page = jsonDecoder.decodeList(res.body);
      for (const item of page.items) {
        const row = withSearchText(podRow(item), podSearchFields);
        fresh.set(rowKey(row), row);
      }
      token = page.continueToken;
    } while (token);
    transport.close();
    assert.equal(fresh.size, PODS);
    let mismatches = 0;
    for (const row of cached) {
      const other = fresh.get(rowKey(row));
      if (!other || JSON.stringify(other) !== JSON.stringify(row)) mismatches++;
    }
    assert.equal(mismatches, 0, "rows that differ from the server's");
  } finally {
    await repo.stopAndWait();
  }
});
