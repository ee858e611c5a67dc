// A failed request's Status arrives in the format the client asked for: kube-apiserver answers a client that prefers
// protobuf with a protobuf Status, and the one-line error must still quote the server's message (the simulator only
// speaks JSON, so this was found against a real kube-apiserver by test/cluster/informer.test.ts).
import assert from "node:assert/strict";
import http from "node:http";
import { test } from "node:test";
import { KubeError } from "../../../src/kube/errors.ts";
import { encodeStatus } from "../../../src/kube/protobuf/encoder.ts";
import { protobufDecoder } from "../../../src/kube/protobuf/index.ts";
import { Transport } from "../../../src/kube/transport.ts";

const MESSAGE = 'pods is forbidden: User "restricted" cannot list resource "pods" in API group "" at the cluster scope';

test("a protobuf Status body of a 403 is quoted in the error, for request() and stream()", async () => {
  const server = http.createServer((_req, res) => {
    const body = encodeStatus({
      status: "Failure",
      message: MESSAGE,
      reason: "Forbidden",
      details: { kind: "pods" },
      code: 403,
    });
    res.writeHead(403, { "Content-Type": "application/vnd.kubernetes.protobuf", "Content-Length": body.length });
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  const transport = new Transport({ server: `http://127.0.0.1:${port}`, credentials: () => ({ headers: {} }) });
  try {
    for (const call of [transport.request.bind(transport), transport.stream.bind(transport)]) {
      await assert.rejects(call("/api/v1/pods?limit=500", { accept: protobufDecoder.accept }), (err: unknown) => {
        assert.ok(err instanceof KubeError);
        assert.equal(err.status, 403);
        assert.equal(err.reason, "Forbidden");
        assert.equal(
          err.message,
          `forbidden (403): ${MESSAGE}; ask for list/watch rights or pick a namespace you can read (-n)`,
        );
        return true;
      });
    }
  } finally {
    transport.close();
    await new Promise((resolve) => server.close(resolve));
  }
});
