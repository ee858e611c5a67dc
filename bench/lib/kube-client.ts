// A minimal HTTPS client for the harness' own writes (creating pods, churn): credentials from a kubeconfig read by the
// product's loader, one keep-alive agent with a bounded number of sockets, JSON bodies, a deadline per request.
import https from "node:https";
import { authConfig, loadKubeconfig } from "../../src/kube/kubeconfig.ts";

export interface KubeResponse {
  status: number;
  body: string;
}

export class KubeClient {
  readonly server: string;
  private readonly agent: https.Agent;
  private readonly headers: Record<string, string>;

  private constructor(server: string, agent: https.Agent, headers: Record<string, string>) {
    this.server = server;
    this.agent = agent;
    this.headers = headers;
  }

  static async fromKubeconfig(kubeconfig: string, context: string | undefined, maxSockets = 16): Promise<KubeClient> {
    const loaded = loadKubeconfig({ kubeconfig, ...(context !== undefined && { context }) });
    const kc = await authConfig(loaded);
    const opts: {
      ca?: Buffer | string;
      cert?: Buffer | string;
      key?: Buffer | string;
      rejectUnauthorized?: boolean;
      headers?: Record<string, string>;
    } = {};
    await kc.applyToHTTPSOptions(opts);
    const agent = new https.Agent({
      keepAlive: true,
      maxSockets,
      ...(opts.ca !== undefined && { ca: opts.ca }),
      ...(opts.cert !== undefined && { cert: opts.cert }),
      ...(opts.key !== undefined && { key: opts.key }),
      ...(opts.rejectUnauthorized !== undefined && { rejectUnauthorized: opts.rejectUnauthorized }),
    });
    return new KubeClient(loaded.server.replace(/\/+$/, ""), agent, { ...opts.headers });
  }

  request(
    method: string,
    path: string,
    body?: unknown,
    contentType = "application/json",
    timeoutMs = 30_000,
  ): Promise<KubeResponse> {
    return new Promise((resolve, reject) => {
      const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
      const req = https.request(
        new URL(this.server + path),
        {
          method,
          agent: this.agent,
          headers: {
            ...this.headers,
            Accept: "application/json",
            "User-Agent": "timoneiro-bench",
            ...(payload && { "Content-Type": contentType, "Content-Length": String(payload.length) }),
          },
          timeout: timeoutMs,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (c: Buffer) => chunks.push(c));
          res.on("end", () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") }));
          res.on("error", reject);
        },
      );
      req.on("timeout", () => req.destroy(new Error(`${method} ${path}: no answer in ${timeoutMs} ms`)));
      req.on("error", reject);
      req.end(payload);
    });
  }

  /** The Content-Type the server answers `path` with when asked for `accept` (content negotiation probe). */
  contentType(path: string, accept: string, timeoutMs = 30_000): Promise<string> {
    return new Promise((resolve, reject) => {
      const req = https.request(
        new URL(this.server + path),
        { agent: this.agent, headers: { ...this.headers, Accept: accept }, timeout: timeoutMs },
        (res) => {
          res.resume();
          res.on("end", () => resolve(String(res.headers["content-type"] ?? "")));
        },
      );
      req.on("timeout", () => req.destroy(new Error(`GET ${path}: no answer in ${timeoutMs} ms`)));
      req.on("error", reject);
      req.end();
    });
  }

  close(): void {
    this.agent.destroy();
  }
}

/** Runs `task(i)` for i in [0, count) with at most `concurrency` in flight; rejects on the first failure. */
export async function inParallel(
  count: number,
  concurrency: number,
  task: (i: number) => Promise<void>,
): Promise<void> {
  let next = 0;
  let failed: unknown;
  const worker = async () => {
    while (failed === undefined && next < count) {
      const i = next++;
      try {
        await task(i);
      } catch (err) {
        failed ??= err;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
  if (failed !== undefined) throw failed;
}
