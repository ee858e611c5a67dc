// Test helpers: HTTPS requests and watch streams against a simulator, trusting its CA and sending its token.

import type { IncomingHttpHeaders } from "node:http";
import https from "node:https";
import type { SimServer } from "../../../src/sim/index.ts";

export interface Reply {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
  // biome-ignore lint/suspicious/noExplicitAny: response shapes vary per test and are asserted field by field
  json: () => any;
}

export function call(
  sim: SimServer,
  path: string,
  init: { method?: string; headers?: Record<string, string>; token?: string | null; body?: string } = {},
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { ...(init.headers ?? {}) };
    const token = init.token === undefined ? sim.token : init.token;
    if (token !== null) headers.authorization = `Bearer ${token}`;
    const req = https.request(
      `${sim.url}${path}`,
      { method: init.method ?? "GET", headers, ca: sim.caPem, agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => {
          const text = Buffer.concat(chunks).toString();
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json: () => JSON.parse(text) });
        });
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    req.end(init.body);
  });
}

export interface WatchEvent {
  type: string;
  // biome-ignore lint/suspicious/noExplicitAny: the event object is a Pod, a Status or a Table depending on the test
  object: any;
}

/** An open watch: collects events; `next()` waits for the next one, `ended` resolves when the server ends it. */
export class Watch {
  events: WatchEvent[] = [];
  status = 0;
  headers: IncomingHttpHeaders = {};
  ended: Promise<"end" | "error">;
  private waiters: (() => void)[] = [];
  private req: ReturnType<typeof https.request>;
  private read = 0;

  constructor(sim: SimServer, path: string, headers: Record<string, string> = {}) {
    let endResolve!: (v: "end" | "error") => void;
    this.ended = new Promise((r) => {
      endResolve = r;
    });
    this.req = https.request(
      `${sim.url}${path}`,
      { headers: { authorization: `Bearer ${sim.token}`, ...headers }, ca: sim.caPem, agent: false },
      (res) => {
        this.status = res.statusCode ?? 0;
        this.headers = res.headers;
        let buf = "";
        res.setEncoding("utf8");
        res.on("data", (c: string) => {
          buf += c;
          let nl = buf.indexOf("\n");
          while (nl >= 0) {
            const line = buf.slice(0, nl);
            buf = buf.slice(nl + 1);
            if (line.trim()) this.events.push(JSON.parse(line) as WatchEvent);
            nl = buf.indexOf("\n");
          }
          for (const w of this.waiters.splice(0)) w();
        });
        res.on("end", () => {
          endResolve("end");
          for (const w of this.waiters.splice(0)) w();
        });
        res.on("error", () => endResolve("error"));
        // A connection cut mid-stream only shows as a close of an incomplete response.
        res.on("close", () => {
          endResolve(res.complete ? "end" : "error");
          for (const w of this.waiters.splice(0)) w();
        });
      },
    );
    this.req.on("error", () => endResolve("error"));
    this.req.end();
  }

  /** Waits until `pred` holds for some event not consumed yet, consuming up to it. */
  async until(pred: (e: WatchEvent) => boolean, timeoutMs = 5000): Promise<WatchEvent> {
    const deadline = Date.now() + timeoutMs;
    while (true) {
      while (this.read < this.events.length) {
        const e = this.events[this.read++]!;
        if (pred(e)) return e;
      }
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`watch: no matching event in ${timeoutMs} ms (got ${this.events.length})`);
      await new Promise<void>((r) => {
        const t = setTimeout(r, left);
        this.waiters.push(() => {
          clearTimeout(t);
          r();
        });
      });
    }
  }

  close(): void {
    this.req.destroy();
  }
}
