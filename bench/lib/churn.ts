// Churn through the API: a steady rate of pod writes, each one a MODIFIED watch event for every client. The same
// driver works on the simulator and on a real kube-apiserver, so "100 events/s" means the same thing on both.
//
// Each write bumps the first container's restart count with a JSON patch on the status subresource, so the change is
// visible in the UI (RESTARTS column), like the restarts, readiness flips and status updates of a busy cluster. If the
// server does not take JSON patches on status, an annotation is changed with a merge patch instead.
import type { KubeClient, KubeResponse } from "./kube-client.ts";

export interface PodRef {
  namespace: string;
  name: string;
  restarts: number;
}

interface PodListPage {
  items?: {
    metadata?: { namespace?: string; name?: string };
    status?: { containerStatuses?: { restartCount?: number }[] };
  }[];
}

/** Up to `limit` pods to churn, from the first page of a pod LIST. */
export async function podsToChurn(client: KubeClient, limit = 500): Promise<PodRef[]> {
  const res = await client.request("GET", `/api/v1/pods?limit=${limit}`, undefined, undefined, 120_000);
  if (res.status !== 200) throw new Error(`listing pods to churn: HTTP ${res.status}: ${res.body.slice(0, 200)}`);
  const page = JSON.parse(res.body) as PodListPage;
  return (page.items ?? []).flatMap((p) =>
    p.metadata?.namespace && p.metadata.name
      ? [
          {
            namespace: p.metadata.namespace,
            name: p.metadata.name,
            restarts: p.status?.containerStatuses?.[0]?.restartCount ?? -1,
          },
        ]
      : [],
  );
}

export interface ChurnResult {
  /** Writes the server accepted. */
  events: number;
  failures: number;
  seconds: number;
  /** events / seconds: below the asked rate when the server (or this machine) could not keep up. */
  achievedRate: number;
  /** How the events were made: API writes of one kind or the other, or the simulator's own churn (mixed changes). */
  mode: "status-json-patch" | "annotation-merge-patch" | "sim-churn";
  lastError?: string;
}

type Mode = Exclude<ChurnResult["mode"], "sim-churn">;

function write(client: KubeClient, pod: PodRef, mode: Mode, serial: number): Promise<KubeResponse> {
  const base = `/api/v1/namespaces/${pod.namespace}/pods/${pod.name}`;
  if (mode === "status-json-patch") {
    pod.restarts++;
    const patch = [{ op: "replace", path: "/status/containerStatuses/0/restartCount", value: pod.restarts }];
    return client.request("PATCH", `${base}/status`, patch, "application/json-patch+json", 10_000);
  }
  const patch = { metadata: { annotations: { "bench.timoneiro.dev/churn": String(serial) } } };
  return client.request("PATCH", base, patch, "application/merge-patch+json", 10_000);
}

/** Finds which kind of write the server accepts (tries one of each). */
export async function churnMode(client: KubeClient, pods: PodRef[]): Promise<Mode> {
  const withStatus = pods.find((p) => p.restarts >= 0);
  if (withStatus) {
    const res = await write(client, withStatus, "status-json-patch", 0);
    if (res.status === 200) return "status-json-patch";
    withStatus.restarts--;
  }
  const target = pods[0];
  if (!target) throw new Error("no pods to churn");
  const res = await write(client, target, "annotation-merge-patch", 0);
  if (res.status === 200) return "annotation-merge-patch";
  throw new Error(`the server takes neither patch: HTTP ${res.status}: ${res.body.slice(0, 200)}`);
}

/** Writes at `rate` per second for `seconds` (at most `maxInFlight` outstanding), then resolves. */
export async function churn(
  client: KubeClient,
  pods: PodRef[],
  mode: Mode,
  rate: number,
  seconds: number,
  maxInFlight = 16,
): Promise<ChurnResult> {
  const usable = mode === "status-json-patch" ? pods.filter((p) => p.restarts >= 0) : pods;
  if (usable.length === 0) throw new Error("no pods to churn");
  const started = performance.now();
  let issued = 0;
  let inFlight = 0;
  let events = 0;
  let failures = 0;
  let lastError: string | undefined;
  await new Promise<void>((resolve) => {
    const tick = () => {
      const elapsed = (performance.now() - started) / 1000;
      if (elapsed >= seconds) {
        clearInterval(timer);
        const waitForStragglers = () => (inFlight === 0 ? resolve() : setTimeout(waitForStragglers, 20));
        waitForStragglers();
        return;
      }
      // Catch up to the schedule, but never pile up more than maxInFlight requests on a slow server.
      while (issued < Math.floor(elapsed * rate) + 1 && inFlight < maxInFlight) {
        const serial = issued++;
        const pod = usable[serial % usable.length] as PodRef;
        inFlight++;
        write(client, pod, mode, serial).then(
          (res) => {
            inFlight--;
            if (res.status === 200) events++;
            else {
              failures++;
              lastError = `HTTP ${res.status}: ${res.body.slice(0, 160)}`;
            }
          },
          (err: unknown) => {
            inFlight--;
            failures++;
            lastError = String(err);
          },
        );
      }
    };
    const timer = setInterval(tick, 5);
    tick();
  });
  const elapsed = (performance.now() - started) / 1000;
  return {
    events,
    failures,
    seconds: elapsed,
    achievedRate: events / elapsed,
    mode,
    ...(lastError !== undefined && { lastError }),
  };
}
