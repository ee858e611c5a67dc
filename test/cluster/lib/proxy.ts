// A loopback TCP proxy in front of the API server (TLS passes through untouched: the serving certificate is for
// 127.0.0.1, whatever the port). It lets a test cut one client off the server while the test keeps talking to the
// server directly: the client's view freezes, the server moves on.
import net from "node:net";

export interface TcpProxy {
  /** https://127.0.0.1:PORT */
  server: string;
  /** Closes every proxied connection and resets new ones until unblock(). */
  block(): void;
  unblock(): void;
  /** Connections accepted (and passed through) so far. */
  readonly connections: number;
  close(): Promise<void>;
}

export async function startProxy(target: string): Promise<TcpProxy> {
  const { hostname, port } = new URL(target);
  const open = new Set<net.Socket>();
  let blocked = false;
  let connections = 0;

  const server = net.createServer((client) => {
    if (blocked) {
      client.resetAndDestroy();
      return;
    }
    connections++;
    const upstream = net.connect(Number(port), hostname);
    open.add(client);
    open.add(upstream);
    const teardown = () => {
      client.destroy();
      upstream.destroy();
      open.delete(client);
      open.delete(upstream);
    };
    client.on("error", teardown);
    upstream.on("error", teardown);
    client.on("close", teardown);
    upstream.on("close", teardown);
    client.pipe(upstream);
    upstream.pipe(client);
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const address = server.address() as net.AddressInfo;

  return {
    server: `https://127.0.0.1:${address.port}`,
    block() {
      blocked = true;
      // A reset rather than a FIN: the client must see a broken connection, not a watch that ended normally.
      for (const socket of [...open]) socket.resetAndDestroy();
      open.clear();
    },
    unblock() {
      blocked = false;
    },
    get connections() {
      return connections;
    },
    async close() {
      for (const socket of [...open]) socket.destroy();
      open.clear();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
