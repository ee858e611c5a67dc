// Protobuf vs JSON end to end against the real kube-apiserver: the measurement behind DEFAULT_WIRE.
//
//   node bench/wire-compare.ts [--pods 10000] [--runs 3]
//
// For each wire format: full sync time of an InformerRepository (pods only) in this process, its CPU time, and the
// bytes on the wire for the whole paginated list (fetched separately with the same Accept header).
import { parseArgs } from "node:util";
import type { WireFormat } from "../src/repository/informer-repository.ts";
import { InformerRepository } from "../src/repository/informer-repository.ts";
import { startClusterHost } from "./lib/servers.ts";

const { values } = parseArgs({
  options: { pods: { type: "string", default: "10000" }, runs: { type: "string", default: "3" } },
});
const pods = Number(values.pods);
const runs = Number(values.runs);

const log = (m: string) => process.stderr.write(`${m}\n`);
const host = await startClusterHost(pods, log);
try {
  const server = await host.withPods(pods);
  const results: Record<WireFormat, { ms: number[]; cpuMs: number[]; bytes: number }> = {
    json: { ms: [], cpuMs: [], bytes: 0 },
    protobuf: { ms: [], cpuMs: [], bytes: 0 },
  };
  const accept: Record<WireFormat, string> = {
    json: "application/json",
    protobuf: "application/vnd.kubernetes.protobuf,application/json",
  };
  for (const wire of ["json", "protobuf"] as const) {
    // Bytes for the full paginated list, as the informer reads it.
    let token = "";
    do {
      const res = await fetchPage(
        host.cluster.server,
        host.cluster.adminToken,
        host.cluster.caPem,
        accept[wire],
        token,
      );
      results[wire].bytes += res.body.length;
      token = res.continueToken;
    } while (token);
  }
  for (let run = 0; run < runs; run++) {
    for (const wire of ["json", "protobuf"] as const) {
      const cpu = process.cpuUsage();
      const started = performance.now();
      const repo = await InformerRepository.fromKubeconfig(
        { kubeconfig: server.kubeconfig },
        { resources: ["pods"], wire },
      );
      await repo.startPriority();
      const ms = performance.now() - started;
      const used = process.cpuUsage(cpu);
      if (repo.getPods().length !== pods) throw new Error(`${wire}: ${repo.getPods().length} pods, expected ${pods}`);
      await repo.stopAndWait();
      results[wire].ms.push(ms);
      results[wire].cpuMs.push((used.user + used.system) / 1000);
      log(`run ${run + 1} ${wire}: ${Math.round(ms)} ms`);
    }
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  console.log(`kube-apiserver ${host.version}, ${pods} pods, median of ${runs} runs (min–max)`);
  console.log("| wire | full sync ms | CPU ms | bytes on the wire | bytes/pod |");
  console.log("|---|---|---|---|---|");
  for (const wire of ["json", "protobuf"] as const) {
    const r = results[wire];
    console.log(
      `| ${wire} | ${Math.round(median(r.ms))} (${Math.round(Math.min(...r.ms))}–${Math.round(Math.max(...r.ms))}) | ${Math.round(median(r.cpuMs))} | ${(r.bytes / 1e6).toFixed(1)} MB | ${Math.round(r.bytes / pods)} |`,
    );
  }
} finally {
  await host.stop();
}

async function fetchPage(
  server: string,
  token: string,
  ca: string,
  accept: string,
  continueToken: string,
): Promise<{ body: Buffer; continueToken: string }> {
  const https = await import("node:https");
  const { jsonDecoder } = await import("../src/kube/wire.ts");
  const { protobufDecoder } = await import("../src/kube/protobuf/index.ts");
  const url = new URL(
    `/api/v1/pods?limit=500${continueToken ? `&continue=${encodeURIComponent(continueToken)}` : ""}`,
    server,
  );
  const body = await new Promise<Buffer>((resolve, reject) => {
    https
      .get(url, { ca, headers: { Authorization: `Bearer ${token}`, Accept: accept } }, (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => resolve(Buffer.concat(chunks)));
        res.on("error", reject);
      })
      .on("error", reject);
  });
  const decoder = accept.startsWith("application/json") ? jsonDecoder : protobufDecoder;
  return { body, continueToken: decoder.decodeList(body).continueToken };
}
