// The simulator in its own process for the harness: like `timoneiro sim --pods N --seed S --kubeconfig-out F`, plus a
// control channel on stdin so the churn can be switched on and off while clients stay connected (the sim's own
// --churn flag is fixed for the life of the process, which would leave no idle window to measure).
//
//   node bench/lib/sim-process.ts --pods N --seed S --kubeconfig-out F
//   stdout: "listening on https://127.0.0.1:PORT" when ready
//   stdin:  "churn R" → starts R events/s (0 stops; answers one JSON line {"events": changes since the last command})
import { createInterface } from "node:readline";
import { parseArgs } from "node:util";
import { startSimServer } from "../../src/sim/index.ts";

const { values } = parseArgs({
  options: {
    pods: { type: "string", default: "1000" },
    seed: { type: "string", default: "1" },
    "kubeconfig-out": { type: "string" },
  },
});

const server = await startSimServer({ pods: Number(values.pods), seed: Number(values.seed), churn: 0 });
if (values["kubeconfig-out"]) server.writeKubeconfig(values["kubeconfig-out"], "timoneiro-sim");
process.stdout.write(`listening on ${server.url}\n`);

let since = server.store.revision();
const lines = createInterface({ input: process.stdin });
lines.on("line", (line) => {
  const [command, arg] = line.trim().split(/\s+/);
  if (command === "churn") {
    const now = server.store.revision();
    process.stdout.write(`${JSON.stringify({ events: now - since })}\n`);
    since = now;
    server.churn.setRate(Number(arg ?? 0));
  }
});

const stop = async () => {
  await server.stop();
  process.exit(0);
};
// The harness going away closes stdin: do not outlive it.
lines.on("close", () => void stop());
process.once("SIGTERM", () => void stop());
process.once("SIGINT", () => void stop());
