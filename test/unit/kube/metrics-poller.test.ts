// The metrics poller against a tiny local HTTP server that answers as kube-apiserver does for metrics.k8s.io: pages
// followed by their continue tokens, the window obeyed, 404/403/503 reported once and retried slowly, a 403
// cluster-wide answered by the namespace on screen.
import assert from "node:assert/strict";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { describe, test } from "node:test";
import { type MetricsPoll, MetricsPoller, type MetricsPollStatus } from "../../../src/kube/metrics.ts";
import { Transport } from "../../../src/kube/transport.ts";

interface Served {
  code: number;
  body: unknown;
}

/** A server whose answer per path (without the query) the test sets; every request is recorded. */
async function metricsServer(answer: (path: string, query: URLSearchParams) => Served) {
  const requests: string[] = [];
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://x");
    requests.push(`${url.pathname}${url.search}`);
    const { code, body } = answer(url.pathname, url.searchParams);
    res.writeHead(code, { "Content-Type": "application/json" });
    res.end(JSON.stringify(body));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  const transport = new Transport({ server: `http://127.0.0.1:${port}`, credentials: () => ({ headers: {} }) });
  return {
    requests,
    transport,
    async close() {
      transport.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function status(code: number, reason: string, message: string): Served {
  return { code, body: { kind: "Status", apiVersion: "v1", status: "Failure", code, reason, message } };
}

function item(namespace: string, name: string, timestamp: string, cpu: string, window = "15s") {
  return {
    metadata: { namespace, name },
    timestamp,
    window,
    containers: [{ name: "c", usage: { cpu, memory: "1Mi" } }],
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Resolves when `predicate` holds (checked every 5 ms); fails after 5 s. */
async function until(predicate: () => boolean, what: string): Promise<void> {
  for (let waited = 0; !predicate(); waited += 5) {
    if (waited > 5000) throw new Error(`timed out waiting for ${what}`);
    await sleep(5);
  }
}

describe("MetricsPoller", () => {
  test("reads every page, then polls again after the window the items state, not sooner", async () => {
    const s = await metricsServer((_path, q) =>
      q.get("continue") === "p2"
        ? { code: 200, body: { metadata: {}, items: [item("a", "two", "2025-01-01T00:00:01Z", "2m", "0.3s")] } }
        : {
            code: 200,
            body: { metadata: { continue: "p2" }, items: [item("a", "one", "2025-01-01T00:00:01Z", "1m", "0.3s")] },
          },
    );
    const polls: MetricsPoll[] = [];
    const poller = new MetricsPoller(s.transport, {
      kind: "pods",
      minIntervalMs: 1,
      // The window alone decides here: a poll slowed by a loaded machine must not stretch the interval (tested below).
      maxBusyFraction: 1,
      pageSize: 1,
      onPoll: (p) => {
        polls.push(p);
      },
    });
    try {
      poller.start();
      await until(() => polls.length >= 1, "a poll");
      assert.deepEqual(
        polls[0]!.samples.map((x) => x.name),
        ["one", "two"],
      );
      assert.equal(polls[0]!.windowMs, 300);
      assert.deepEqual(s.requests.slice(0, 2), [
        "/apis/metrics.k8s.io/v1beta1/pods?limit=1",
        "/apis/metrics.k8s.io/v1beta1/pods?limit=1&continue=p2",
      ]);
      const firstAt = performance.now();
      await until(() => polls.length >= 2, "polling goes on");
      await sleep(600);
      // At most one poll per 0.3 s window (a slow machine polls less, never more).
      const elapsed = performance.now() - firstAt;
      assert.ok(polls.length <= 1 + Math.ceil(elapsed / 300), `${polls.length} polls in ${Math.round(elapsed)} ms`);
    } finally {
      poller.stop();
      await s.close();
    }
  });

  test("a poll that keeps the thread busy stretches the interval (at most maxBusyFraction of the time)", async () => {
    const s = await metricsServer(() => ({
      code: 200,
      body: { metadata: {}, items: [item("a", "p", "2025-01-01T00:00:01Z", "1m", "0.05s")] },
    }));
    let polls = 0;
    const poller = new MetricsPoller(s.transport, {
      kind: "pods",
      minIntervalMs: 1,
      maxBusyFraction: 0.1,
      onPoll: () => {
        polls++;
        // 60 ms of work on our thread per poll (a big cluster's decode and ingest): the next poll waits ≥ 600 ms.
        const until = performance.now() + 60;
        while (performance.now() < until) {}
      },
    });
    try {
      poller.start();
      await sleep(1000);
      // With the 50 ms window alone this would be ~15 polls; a slower machine polls fewer, never more.
      assert.ok(polls >= 1 && polls <= 2, `${polls} polls in ~1 s`);
    } finally {
      poller.stop();
      await s.close();
    }
  });

  test("work that goes on after onPoll returns (rows replaced in slices) counts toward the poll's cost", async () => {
    const s = await metricsServer(() => ({
      code: 200,
      body: { metadata: {}, items: [item("a", "p", "2025-01-01T00:00:01Z", "1m", "0.05s")] },
    }));
    // The process' CPU as the poller reads it: 60 ms charged by a later slice, nothing else (no baseline to take off).
    let cpu = 0;
    let polls = 0;
    const poller = new MetricsPoller(s.transport, {
      kind: "pods",
      minIntervalMs: 1,
      maxBusyFraction: 0.1,
      cpuMs: () => cpu,
      onPoll: () => {
        polls++;
        return new Promise<void>((resolve) =>
          setImmediate(() => {
            cpu += 60;
            resolve();
          }),
        );
      },
    });
    try {
      poller.start();
      await sleep(400);
      // 60 ms at 10 %: the next poll waits 600 ms. Counting only onPoll's own return (~0 ms) would poll every few ms.
      assert.equal(polls, 1);
      await sleep(500);
      assert.equal(polls, 2, "polled again once the stretched interval passed");
    } finally {
      poller.stop();
      await s.close();
    }
  });

  test("the process' rate between polls is not charged to the next poll", async () => {
    const s = await metricsServer(() => ({
      code: 200,
      body: { metadata: {}, items: [item("a", "p", "2025-01-01T00:00:01Z", "1m", "0.05s")] },
    }));
    // A process busy at 50 % of a core whatever the poller does (watch events, frames): a poll that adds nothing
    // costs nothing once a baseline is known, and the window (1.1 s here) alone sets the interval.
    const t0 = performance.now();
    let polls = 0;
    const poller = new MetricsPoller(s.transport, {
      kind: "pods",
      minIntervalMs: 1100,
      maxBusyFraction: 0.1,
      cpuMs: () => (performance.now() - t0) * 0.5,
      onPoll: () => {
        polls++;
      },
    });
    try {
      poller.start();
      // Poll 1 at 0 s has no baseline yet and is charged 50 % of its wall time (a few ms: ≤ 1.1 s at 10 %).
      await sleep(2500);
      assert.ok(polls >= 2 && polls <= 3, `${polls} polls in 2.5 s`);
    } finally {
      poller.stop();
      await s.close();
    }
  });

  for (const [code, reason, pattern] of [
    [404, "NotFound", /not served \(404\)/],
    [403, "Forbidden", /forbidden \(403\)/],
    [503, "ServiceUnavailable", /unavailable \(503\)/],
  ] as const) {
    test(`${code}: unavailable with the reason, said once, retried after refusalRetryMs only`, async () => {
      let answer = status(code, reason, "no");
      const s = await metricsServer(() => answer);
      const statuses: MetricsPollStatus[] = [];
      const poller = new MetricsPoller(s.transport, {
        kind: "pods",
        minIntervalMs: 1,
        refusalRetryMs: 150,
        onPoll: () => {},
        onStatus: (st) => statuses.push(st),
      });
      try {
        poller.start();
        await sleep(400);
        // ~3 retries in 400 ms at 150 ms, not a tight loop.
        assert.ok(s.requests.length <= 4, `${s.requests.length} requests`);
        assert.equal(statuses.length, 1, "said once");
        assert.equal(statuses[0]!.state, "unavailable");
        assert.match(statuses[0]!.reason!, pattern);
        assert.equal(statuses[0]!.refused, true);
        answer = { code: 200, body: { metadata: {}, items: [item("a", "p", "2025-01-01T00:00:01Z", "5m")] } };
        await until(() => poller.status.state === "ok", "recovery");
        assert.equal(poller.status.count, 1);
      } finally {
        poller.stop();
        await s.close();
      }
    });
  }

  test("a 500 backs off exponentially (capped by refusalRetryMs), never a tight loop", async () => {
    const s = await metricsServer(() => status(500, "InternalError", "boom"));
    const poller = new MetricsPoller(s.transport, {
      kind: "nodes",
      minIntervalMs: 20,
      refusalRetryMs: 60_000,
      onPoll: () => {},
    });
    try {
      poller.start();
      await sleep(500);
      // 20 ms × 2^n between tries: 0, 20, 60, 140, 300 ms → at most 5 requests in 0.5 s.
      assert.ok(s.requests.length <= 5, `${s.requests.length} requests`);
      assert.equal(poller.status.state, "unavailable");
      assert.match(poller.status.reason!, /server error 500/);
      assert.equal(poller.status.refused, undefined);
    } finally {
      poller.stop();
      await s.close();
    }
  });

  test("forbidden cluster-wide: polls the namespace on screen instead", async () => {
    const s = await metricsServer((path) =>
      path === "/apis/metrics.k8s.io/v1beta1/pods"
        ? status(403, "Forbidden", 'pods.metrics.k8s.io is forbidden: User "u" cannot list resource')
        : { code: 200, body: { metadata: {}, items: [item("shop", "web", "2025-01-01T00:00:01Z", "3m")] } },
    );
    const polls: MetricsPoll[] = [];
    const poller = new MetricsPoller(s.transport, {
      kind: "pods",
      minIntervalMs: 1,
      refusalRetryMs: 60_000,
      fallbackNamespace: () => "shop",
      onPoll: (p) => {
        polls.push(p);
      },
    });
    try {
      poller.start();
      await until(() => polls.length >= 1, "a poll of the namespace");
      assert.equal(s.requests[1], "/apis/metrics.k8s.io/v1beta1/namespaces/shop/pods?limit=500");
      assert.equal(poller.status.state, "ok");
      assert.equal(poller.status.namespace, "shop");
      assert.equal(polls[0]!.samples[0]!.name, "web");
    } finally {
      poller.stop();
      await s.close();
    }
  });

  test("not in discovery: no request at all, n/a with the reason", async () => {
    const s = await metricsServer(() => ({ code: 200, body: { items: [] } }));
    const poller = new MetricsPoller(s.transport, {
      kind: "pods",
      served: () => false,
      refusalRetryMs: 60_000,
      onPoll: () => {},
    });
    try {
      poller.start();
      await until(() => poller.status.state === "unavailable", "the status");
      assert.match(poller.status.reason!, /discovery does not list/);
      assert.equal(s.requests.length, 0);
    } finally {
      poller.stop();
      await s.close();
    }
  });

  test("stopped, it asks nothing more; started again within the window, it waits for the window", async () => {
    const s = await metricsServer(() => ({
      code: 200,
      body: { metadata: {}, items: [item("a", "p", "2025-01-01T00:00:01Z", "1m", "10s")] },
    }));
    const poller = new MetricsPoller(s.transport, { kind: "pods", minIntervalMs: 1, onPoll: () => {} });
    try {
      poller.start();
      await until(() => poller.status.state === "ok", "a poll");
      poller.stop();
      poller.start();
      await sleep(200);
      assert.equal(s.requests.length, 1, "the 10 s window has not passed");
    } finally {
      poller.stop();
      await s.close();
    }
  });
});
