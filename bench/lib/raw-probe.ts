// The floor of a full sync: the same paginated LIST pages as timoneiro's sync probe asks for (same path, page size,
// Accept header, transport and credentials), downloaded and thrown away, with nothing decoded but the continue token
// at the head of each page. Like the reflector, it asks for the next page as soon as that token is known (the pages
// overlap), so the difference from the sync probe is what decoding, rows and the store cost. Bundled and spawned like
// the sync probe, and timed the same way: from the harness' spawn to the epoch time printed here.
//
//   node raw-probe.js --kubeconfig F [--context C] [--wire protobuf|json] [--page-size 500]
//   stdout: {"syncedAtEpochMs": …, "syncCpuMs": …, "pages": …, "bytes": …}
import { parseArgs } from "node:util";
import { loadKubeconfig } from "../../src/kube/kubeconfig.ts";
import { protobufDecoder } from "../../src/kube/protobuf/index.ts";
import { jsonDecoder } from "../../src/kube/wire.ts";
import { transportFor } from "../../src/repository/informer-repository.ts";

const { values } = parseArgs({
  options: {
    kubeconfig: { type: "string" },
    context: { type: "string" },
    wire: { type: "string", default: "protobuf" },
    "page-size": { type: "string", default: "500" },
  },
});

const decoder = values.wire === "json" ? jsonDecoder : protobufDecoder;
const loaded = loadKubeconfig({
  ...(values.kubeconfig && { kubeconfig: values.kubeconfig }),
  ...(values.context && { context: values.context }),
});
const transport = await transportFor(loaded);

interface Page {
  /** The continue token, as soon as the head of the page has it ("" on the last page). */
  token: Promise<string>;
  /** Bytes of the whole page, once it is in. */
  done: Promise<number>;
}

function fetchPage(continueToken: string): Page {
  const params = new URLSearchParams({ limit: values["page-size"] });
  if (continueToken) params.set("continue", continueToken);
  let resolveToken: (token: string) => void = () => {};
  const token = new Promise<string>((resolve) => {
    resolveToken = resolve;
  });
  const done = (async () => {
    const res = await transport.stream(`/api/v1/pods?${params}`, { accept: decoder.accept, idleTimeoutMs: 60_000 });
    let bytes = 0;
    let head: Buffer | undefined = Buffer.alloc(0);
    for await (const chunk of res as AsyncIterable<Buffer>) {
      bytes += chunk.length;
      if (head === undefined) continue;
      head = Buffer.concat([head, chunk]);
      const found = decoder.peekContinue?.(head);
      if (found !== undefined) {
        resolveToken(found);
        head = undefined;
      }
    }
    // A page whose head never told (a body shorter than the peek needs) is read whole.
    if (head !== undefined) resolveToken(decoder.decodeList(head).continueToken);
    return bytes;
  })();
  done.catch(() => resolveToken(""));
  return { token, done };
}

let pages = 0;
let bytes = 0;
let page = fetchPage("");
for (;;) {
  const token = await page.token;
  const next = token ? fetchPage(token) : undefined;
  bytes += await page.done;
  pages++;
  if (!next) break;
  page = next;
}
const syncedAtEpochMs = performance.timeOrigin + performance.now();
const cpu = process.cpuUsage();
const syncCpuMs = Math.round((cpu.user + cpu.system) / 1000);
process.stdout.write(`${JSON.stringify({ syncedAtEpochMs, syncCpuMs, pages, bytes, wire: values.wire })}\n`);
transport.close();
process.exit(0);
