// The simulator in its own process for the harness: like `timoneiro sim --pods N --seed S --kubeconfig-out F`, plus a
// control channel on stdin so the churn can be switched on and off while clients stay connected (the sim's own
// --churn flag is fixed for the life of the process, which would leave no idle window to measure).
//
//   node bench/lib/sim-process.ts --pods N --seed S --kubeconfig-out F [--no-warm]
//   stdout: "listening on https://127.0.0.1:PORT" when ready
//
// Before it says so, it lists its pods once in protobuf itself (unless --no-warm): the simulator transcodes each pod
// version to protobuf the first time it is asked for and keeps it (src/sim/protobuf.ts), so without this the first
// protobuf client of a run would pay for all of them and later runs would not. The time goes into the server set-up.
//   stdin:  "churn R" → starts R events/s (0 stops; answers one JSON line {"events": changes since the last command})
import https from "node:https";
import { createInterface } from "node:readline";
import { parseArgs } from "node:util";
import { protobufDecoder } from "../../src/kube/protobuf/index.ts";
import { startSimServer } from "../../src/sim/index.ts";

const { values } = parseArgs({
  options: {
    pods: { type: "string", default: "1000" },
    seed: { type: "string", default: "1" },
    "kubeconfig-out": { type: "string" },
    "no-warm": { type: "boolean", default: false },
  },
});

const server = await startSimServer({ pods: Number(values.pods), seed: Number(values.seed), churn: 0 });
if (!values["no-warm"]) await listPodsInProtobuf();
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

/** Every pod listed in protobuf, in pages of 500 as the clients will ask, bodies thrown away. */
async function listPodsInProtobuf(): Promise<void> {
  let token = "";
  do token = await protobufPage(token);
  while (token);
}

/** One page; resolves with its continue token. */
function protobufPage(continueToken: string): Promise<string> {
  const query = new URLSearchParams({ limit: "500" });
  if (continueToken) query.set("continue", continueToken);
  return new Promise((resolve, reject) => {
    const req = https.get(
      `${server.url}/api/v1/pods?${query}`,
      {
        ca: server.caPem,
        headers: { Authorization: `Bearer ${server.token}`, Accept: "application/vnd.kubernetes.protobuf" },
      },
      (res) => {
        if (res.statusCode !== 200) reject(new Error(`warming the protobuf cache: HTTP ${res.statusCode}`));
        // Only the continue token is read (from the head of the page, as the clients do).
        let head: Buffer | undefined = Buffer.alloc(0);
        let token: string | undefined;
        res.on("data", (c: Buffer) => {
          if (head === undefined) return;
          head = Buffer.concat([head, c]);
          token = protobufDecoder.peekContinue?.(head);
          if (token !== undefined) head = undefined;
        });
        res.on("end", () => {
          try {
            resolve(token ?? protobufDecoder.decodeList(head ?? Buffer.alloc(0)).continueToken);
          } catch (err) {
            reject(err);
          }
        });
        res.on("error", reject);
      },
    );
    req.on("error", reject);
  });
}

const stop = async () => {
  await server.stop();
  process.exit(0);
};
// The harness going away closes stdin: do not outlive it.
lines.on("close", () => void stop());
process.once("SIGTERM", () => void stop());
process.once("SIGINT", () => void stop());
