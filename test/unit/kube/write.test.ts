// Writes against a local HTTP server that answers as kube-apiserver does (or drops the connection): the request as
// sent (method, content type, body), the one-line errors (403 names the refused verb, 409/422 keep the server's
// message), and a delete whose answer was lost is settled by reading the object again, never guessed.
import assert from "node:assert/strict";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { test } from "node:test";
import { Transport } from "../../../src/kube/transport.ts";
import { type WriteRequest, write } from "../../../src/kube/write.ts";

type Handler = (req: IncomingMessage, body: string, res: ServerResponse) => void;

async function withServer(handler: Handler, run: (transport: Transport) => Promise<void>): Promise<void> {
  const server = createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => {
      body += c.toString("utf8");
    });
    req.on("end", () => handler(req, body, res));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as { port: number }).port;
  const transport = new Transport({ server: `http://127.0.0.1:${port}`, credentials: () => ({ headers: {} }) });
  try {
    await run(transport);
  } finally {
    transport.close();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
}

function status(res: ServerResponse, code: number, reason: string, message: string): void {
  res.writeHead(code, { "Content-Type": "application/json" });
  res.end(JSON.stringify({ kind: "Status", apiVersion: "v1", status: "Failure", reason, message, code }));
}

const DELETE_POD: WriteRequest = {
  method: "DELETE",
  path: "/api/v1/namespaces/shop/pods/web-1",
  body: { kind: "DeleteOptions", apiVersion: "v1", gracePeriodSeconds: 0 },
  verb: "delete",
  resource: "pods",
  namespace: "shop",
  name: "web-1",
};

test("a patch is sent with its patch type and body; the answer is parsed", async () => {
  const seen: { method?: string; type?: string; body?: string } = {};
  await withServer(
    (req, body, res) => {
      Object.assign(seen, { method: req.method, type: req.headers["content-type"], body });
      res.writeHead(200, { "Content-Type": "application/json" });
      res.end(JSON.stringify({ kind: "Scale", spec: { replicas: 3 } }));
    },
    async (t) => {
      const answer = await write(t, {
        method: "PATCH",
        patch: "merge",
        path: "/apis/apps/v1/namespaces/shop/deployments/api/scale",
        body: { spec: { replicas: 3 } },
        verb: "patch",
        resource: "deployments",
        group: "apps",
        namespace: "shop",
        name: "api",
      });
      assert.deepEqual(answer, { kind: "Scale", spec: { replicas: 3 } });
    },
  );
  assert.deepEqual(seen, {
    method: "PATCH",
    type: "application/merge-patch+json",
    body: JSON.stringify({ spec: { replicas: 3 } }),
  });
});

test("403 names the refused verb and resource; 409 and 422 keep the server's own message", async () => {
  const conflict =
    'Operation cannot be fulfilled on deployments.apps "api": the object has been modified; please apply your changes to the latest version and try again';
  await withServer(
    (req, _body, res) => {
      if (req.method === "DELETE") return status(res, 403, "Forbidden", 'pods "web-1" is forbidden: User "u" cannot…');
      if (req.method === "PUT") return status(res, 409, "Conflict", conflict);
      return status(res, 422, "Invalid", 'Deployment.apps "api" is invalid: spec.replicas: Invalid value: -1');
    },
    async (t) => {
      await assert.rejects(write(t, DELETE_POD), { message: "forbidden: cannot delete pods in namespace shop" });
      const put = { ...DELETE_POD, method: "PUT" as const, verb: "update", resource: "deployments", group: "apps" };
      await assert.rejects(write(t, put), { message: conflict, status: 409 });
      await assert.rejects(write(t, { ...put, method: "PATCH" }), {
        message: 'Deployment.apps "api" is invalid: spec.replicas: Invalid value: -1',
      });
    },
  );
});

test("a delete whose answer was lost: gone or being deleted → done; still there → it says so", async () => {
  for (const [after, expect] of [
    ["gone", "ok"],
    ["terminating", "ok"],
    ["there", "is still there"],
  ] as const) {
    await withServer(
      (req, _body, res) => {
        // The DELETE's connection is cut before any answer; the GET that follows reads the object.
        if (req.method === "DELETE") return void res.socket?.destroy();
        if (after === "gone") return status(res, 404, "NotFound", 'pods "web-1" not found');
        res.writeHead(200, { "Content-Type": "application/json" });
        const meta =
          after === "terminating" ? { name: "web-1", deletionTimestamp: "2026-12-01T10:00:00Z" } : { name: "web-1" };
        res.end(JSON.stringify({ kind: "Pod", metadata: meta }));
      },
      async (t) => {
        if (expect === "ok") {
          const answer = (await write(t, DELETE_POD)) as { status?: string };
          assert.equal(answer.status, "Success", after);
        } else {
          await assert.rejects(write(t, DELETE_POD), (err: Error) => {
            assert.match(err.message, /pods "web-1" is still there: it was not deleted/);
            return true;
          });
        }
      },
    );
  }
});

test("a patch whose answer was lost says the outcome is unknown", async () => {
  await withServer(
    (_req, _body, res) => void res.socket?.destroy(),
    async (t) => {
      await assert.rejects(write(t, { ...DELETE_POD, method: "PATCH", verb: "patch", body: {} }), (err: Error) => {
        assert.match(err.message, /the answer was lost: the list shows what the server did/);
        return true;
      });
    },
  );
});
