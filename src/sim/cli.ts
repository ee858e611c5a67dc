// `timoneiro sim --pods N [--churn EVENTS_PER_S] [--port P] [--seed S] [--kubeconfig-out FILE] [--faults LIST]`:
// runs the simulated API server in the foreground until SIGINT/SIGTERM. Prints exactly one line to stdout when ready.
import { parseFaults } from "./faults.ts";
import { type SimOptions, startSimServer } from "./server.ts";

const usage =
  "usage: timoneiro sim --pods N [--churn EVENTS_PER_S] [--port P] [--seed S] [--kubeconfig-out FILE] [--faults LIST]\n" +
  "                     [--token T] [--plain-http] [--history N] [--bookmark-interval MS] [--log]\n" +
  "faults: drop-watch=5s, watch-410[=N], latency=200ms, 429=N, retry-after=S, 500=N, rbac-deny=pods[|nodes],\n" +
  "        refuse=3s, stall[=N], stall-watch (comma separated)\n";

export async function runSimCommand(argv: string[]): Promise<number> {
  const o: SimOptions = { pods: 1000 };
  let kubeconfigOut: string | undefined;
  try {
    for (let i = 0; i < argv.length; i++) {
      const a = argv[i]!;
      const [flag, inline] = a.includes("=")
        ? [a.slice(0, a.indexOf("=")), a.slice(a.indexOf("=") + 1)]
        : [a, undefined];
      const value = (): string => {
        const v = inline ?? argv[++i];
        if (v === undefined) throw new Error(`${flag} needs a value`);
        return v;
      };
      const num = (): number => {
        const v = value();
        const n = Number(v);
        if (!Number.isFinite(n) || n < 0) throw new Error(`${flag}: "${v}" is not a number`);
        return n;
      };
      switch (flag) {
        case "sim":
          break;
        case "--pods":
          o.pods = Math.floor(num());
          break;
        case "--churn":
          o.churn = num();
          break;
        case "--port":
          o.port = Math.floor(num());
          break;
        case "--seed":
          o.seed = Math.floor(num());
          break;
        case "--namespaces":
          o.namespaces = Math.floor(num());
          break;
        case "--nodes":
          o.nodes = Math.floor(num());
          break;
        case "--kubeconfig-out":
          kubeconfigOut = value();
          break;
        case "--faults":
          o.faults = parseFaults(value());
          break;
        case "--token":
          o.token = value();
          break;
        case "--plain-http":
          o.tls = false;
          break;
        case "--history":
          o.historyWindow = Math.floor(num());
          break;
        case "--bookmark-interval":
          o.bookmarkIntervalMs = num();
          break;
        case "--log":
          o.log = true;
          break;
        case "-h":
        case "--help":
          process.stdout.write(usage);
          return 0;
        default:
          throw new Error(`unknown flag ${a}`);
      }
    }
  } catch (e) {
    process.stderr.write(`timoneiro sim: ${(e as Error).message}\n${usage}`);
    return 2;
  }
  let server: Awaited<ReturnType<typeof startSimServer>>;
  try {
    server = await startSimServer(o);
  } catch (e) {
    process.stderr.write(`timoneiro sim: ${(e as Error).message}\n`);
    return 1;
  }
  if (kubeconfigOut) server.writeKubeconfig(kubeconfigOut, "timoneiro-sim");
  process.stdout.write(`listening on ${server.url}\n`);
  const signal = await new Promise<NodeJS.Signals>((resolve) => {
    process.once("SIGINT", resolve);
    process.once("SIGTERM", resolve);
  });
  if (o.log) process.stderr.write(`timoneiro sim: ${signal}, stopping\n`);
  await server.stop();
  return 0;
}
