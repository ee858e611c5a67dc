// Fault injection, switchable per run (`--faults drop-watch=5s,latency=200ms,...`) and at run time (server.faults).
//
// List syntax, comma separated (durations as 250ms / 5s / 1m; counts as plain numbers):
//   drop-watch=5s       close every open watch connection every 5 s (abruptly, as a dying load balancer does)
//   watch-410[=N]       the next N watch requests (default 1) get an ERROR event with a 410 Expired Status
//   latency=200ms       delay every request by that long before answering
//   429=N               answer the next N requests 429 TooManyRequests (Retry-After: retry-after, default 1 s)
//   retry-after=2       seconds in Retry-After for 429s
//   500=N               answer the next N requests 500 InternalError
//   rbac-deny=pods      deny a kind (403, with kube-apiserver's wording) to every user; repeat or use | for more
//   refuse=3s           close the listener and every connection now, reopen on the same port after 3 s
//   stall=N             accept the next N requests and never answer them (a black hole)
//   stall-watch         open and new watches stop sending events (the connection stays open, silent)

export interface FaultSpec {
  dropWatchEveryMs?: number;
  expireWatches?: number;
  latencyMs?: number;
  status429?: number;
  retryAfterSeconds?: number;
  status500?: number;
  rbacDeny?: string[];
  refuseMs?: number;
  stallRequests?: number;
  stallWatches?: boolean;
}

export function parseDuration(text: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m)?$/.exec(text.trim());
  if (!m) throw new Error(`invalid duration "${text}" (use e.g. 250ms, 5s, 1m)`);
  const n = Number(m[1]);
  return m[2] === "ms" ? n : m[2] === "m" ? n * 60_000 : n * 1000;
}

function count(name: string, value: string | undefined, dflt?: number): number {
  if (value === undefined) {
    if (dflt === undefined) throw new Error(`fault "${name}" needs a value`);
    return dflt;
  }
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new Error(`fault "${name}": "${value}" is not a count`);
  return n;
}

export function parseFaults(list: string): FaultSpec {
  const spec: FaultSpec = {};
  for (const raw of list.split(",")) {
    const item = raw.trim();
    if (!item) continue;
    const eq = item.indexOf("=");
    const name = eq < 0 ? item : item.slice(0, eq);
    const value = eq < 0 ? undefined : item.slice(eq + 1);
    switch (name) {
      case "drop-watch":
        spec.dropWatchEveryMs = parseDuration(value ?? "");
        break;
      case "watch-410":
        spec.expireWatches = count(name, value, 1);
        break;
      case "latency":
        spec.latencyMs = parseDuration(value ?? "");
        break;
      case "429":
        spec.status429 = count(name, value);
        break;
      case "retry-after":
        spec.retryAfterSeconds = count(name, value);
        break;
      case "500":
        spec.status500 = count(name, value);
        break;
      case "rbac-deny":
        spec.rbacDeny = [...(spec.rbacDeny ?? []), ...(value ?? "").split("|").filter(Boolean)];
        break;
      case "refuse":
        spec.refuseMs = parseDuration(value ?? "");
        break;
      case "stall":
        spec.stallRequests = count(name, value, 1);
        break;
      case "stall-watch":
        spec.stallWatches = true;
        break;
      default:
        throw new Error(
          `unknown fault "${name}" (known: drop-watch, watch-410, latency, 429, retry-after, 500, rbac-deny, refuse, stall, stall-watch)`,
        );
    }
  }
  return spec;
}

/** Live fault controls of a running simulator. */
export interface FaultControls {
  /** Adds to / replaces the current faults (counts add up, settings replace). */
  set(spec: FaultSpec): void;
  /** Removes every fault and releases stalled requests' hold (they are closed). */
  clear(): void;
  current(): FaultSpec;
  /** Closes every open watch connection now. */
  dropWatches(): number;
  expireNextWatch(n?: number): void;
  latency(ms: number): void;
  fail(code: 429 | 500, n: number, retryAfterSeconds?: number): void;
  deny(resource: string): void;
  allow(resource: string): void;
  /** Closes the listener and all connections; reopens on the same port after `ms`. Resolves once reopened. */
  refuse(ms: number): Promise<void>;
  stall(n?: number): void;
  stallWatches(on: boolean): void;
}
