// kube/exec.ts against a bare WebSocket server that speaks what we tell it: the v4 fallback (no close signal, so
// ending stdin ends the connection), a server that picks no protocol, frames split and empty, a status in two frames.
import assert from "node:assert/strict";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, test } from "node:test";
import { type WebSocket, WebSocketServer } from "ws";
import { openRemoteCommand } from "../../../src/kube/exec.ts";
import { Transport } from "../../../src/kube/transport.ts";

let server: http.Server;
let transport: Transport;
/** What the next connection does, given the protocols offered. */
let behave: (ws: WebSocket) => void = () => {};
let choose: (offered: Set<string>) => string | false = () => false;
const received: Buffer[] = [];

before(async () => {
  server = http.createServer();
  const wss = new WebSocketServer({ server, handleProtocols: (offered) => choose(offered) });
  wss.on("connection", (ws) => {
    ws.on("message", (data: Buffer) => received.push(Buffer.from(data)));
    behave(ws);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  transport = new Transport({ server: `http://127.0.0.1:${port}`, credentials: () => ({ headers: {} }) });
});
after(async () => {
  transport.close();
  await new Promise((r) => server.close(r));
});

const frame = (channel: number, text: string) => Buffer.concat([Buffer.from([channel]), Buffer.from(text)]);
const target = { namespace: "ns", pod: "p", command: ["sh"], tty: true };

test("v4 when the server has no v5: output flows, and ending stdin can only close the connection", async () => {
  received.length = 0;
  choose = (offered) => (offered.has("v4.channel.k8s.io") ? "v4.channel.k8s.io" : false);
  behave = (ws) => {
    // Each channel opened with an empty frame, as the apiserver does; then output.
    for (const c of [1, 3]) ws.send(Buffer.from([c]));
    ws.send(frame(1, "hello "));
    ws.send(frame(1, "v4"));
  };
  const remote = await openRemoteCommand(transport, target);
  assert.equal(remote.protocol, "v4.channel.k8s.io");
  let out = "";
  remote.onOutput((data) => {
    out += data.toString();
  });
  remote.resize(80, 24);
  remote.write("x");
  for (let i = 0; i < 100 && out !== "hello v4"; i++) await new Promise((r) => setTimeout(r, 10));
  assert.equal(out, "hello v4");
  remote.closeStdin();
  assert.deepEqual(await remote.done, { code: null, error: "stdin ended" });
  assert.ok(!received.some((b) => b[0] === 255), "no close signal on v4");
  assert.deepEqual(
    received.map((b) => [b[0], b.subarray(1).toString()]),
    [
      [4, '{"Width":80,"Height":24}'],
      [0, "x"],
    ],
  );
});

test("v5: the close signal is [255, 0]; a status split over two frames is read whole", async () => {
  received.length = 0;
  choose = (offered) => (offered.has("v5.channel.k8s.io") ? "v5.channel.k8s.io" : false);
  behave = (ws) => {
    ws.on("message", (data: Buffer) => {
      if (data[0] !== 255) return;
      const status = JSON.stringify({
        status: "Failure",
        reason: "NonZeroExitCode",
        details: { causes: [{ reason: "ExitCode", message: "42" }] },
      });
      ws.send(frame(3, status.slice(0, 20)));
      ws.send(frame(3, status.slice(20)));
      ws.close(1000);
    });
  };
  const remote = await openRemoteCommand(transport, target);
  remote.closeStdin();
  assert.deepEqual(await remote.done, { code: 42 });
  assert.deepEqual([...(received.at(-1) ?? [])], [255, 0]);
});

test("a server that picks no subprotocol we speak is refused", async () => {
  choose = () => false;
  behave = () => {};
  await assert.rejects(
    openRemoteCommand(transport, target),
    /speaks no remote command protocol we speak \(v5.channel.k8s.io, v4.channel.k8s.io\)/,
  );
});

test("a connection dropped without a status says so", async () => {
  choose = (offered) => (offered.has("v5.channel.k8s.io") ? "v5.channel.k8s.io" : false);
  behave = (ws) => ws.close(1011, "kubelet went away");
  const remote = await openRemoteCommand(transport, target);
  assert.deepEqual(await remote.done, {
    code: null,
    error: "the connection closed before the command ended (1011: kubelet went away)",
  });
});
