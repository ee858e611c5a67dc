// A simulator and a Transport to it, for tests of the data layer alone (no repository).
import { Transport } from "../../../src/kube/transport.ts";
import { type SimOptions, type SimServer, startSimServer } from "../../../src/sim/index.ts";

export interface SimTransport {
  sim: SimServer;
  transport: Transport;
  close(): Promise<void>;
}

export async function startSimTransport(options: Partial<SimOptions> = {}): Promise<SimTransport> {
  const sim = await startSimServer({ seed: 7, pods: 20, churn: 0, bookmarkIntervalMs: 500, ...options } as SimOptions);
  const transport = new Transport({
    server: sim.url,
    credentials: () => ({ ca: sim.caPem || undefined, headers: { Authorization: `Bearer ${sim.token}` } }),
    connectTimeoutMs: 5_000,
  });
  return {
    sim,
    transport,
    async close() {
      transport.close();
      await sim.stop();
    },
  };
}
