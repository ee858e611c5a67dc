// The wire-format seam: one decoder per content type. The reflector only sees decoded lists and watch events, so a
// protobuf decoder can be added without touching it.
import { KubeError } from "./errors.ts";
import type { KubeObject, KubeStatus, WatchEvent } from "./objects.ts";

export interface DecodedList {
  resourceVersion: string;
  continueToken: string;
  remainingItemCount: number | undefined;
  items: KubeObject[];
}

export interface WatchParser {
  /** Feed raw bytes; calls the event callback for every complete event. */
  push(chunk: Buffer): void;
}

export interface WireDecoder {
  /** Value of the Accept header for this format. */
  readonly accept: string;
  decodeList(body: Buffer): DecodedList;
  /**
   * The continue token of a list page from the first bytes of its body, so the next page can be requested while this
   * one downloads and decodes: "" on the last page, undefined while the head is not conclusive (more bytes needed).
   */
  peekContinue?(head: Buffer): string | undefined;
  watchParser(onEvent: (event: WatchEvent) => void): WatchParser;
}

const NEWLINE = 10;
/** Bytes of a list body searched for its metadata; beyond this, give up peeking and wait for the whole page. */
const PEEK_LIMIT = 64 * 1024;

export const jsonDecoder: WireDecoder = {
  accept: "application/json",

  decodeList(body) {
    let parsed: {
      metadata?: { resourceVersion?: string; continue?: string; remainingItemCount?: number };
      items?: unknown;
    };
    try {
      parsed = JSON.parse(body.toString("utf8"));
    } catch (err) {
      throw new KubeError("protocol", `the server sent a list that is not JSON (${(err as Error).message})`);
    }
    if (!parsed || !Array.isArray(parsed.items)) {
      throw new KubeError("protocol", "the server sent a list without items");
    }
    return {
      resourceVersion: parsed.metadata?.resourceVersion ?? "",
      continueToken: parsed.metadata?.continue ?? "",
      remainingItemCount: parsed.metadata?.remainingItemCount,
      items: parsed.items as KubeObject[],
    };
  },

  // kube-apiserver writes the list's metadata before its items ({"kind":..,"metadata":{..,"continue":".."},"items":[).
  peekContinue(head) {
    const text = head.toString("latin1", 0, Math.min(head.length, PEEK_LIMIT));
    const items = text.indexOf('"items":');
    if (items < 0) return undefined;
    const match = /"continue":"([^"\\]*)"/.exec(text.slice(0, items));
    return match ? match[1] : "";
  },

  // Watch events arrive as one JSON document per line; a chunk may end mid-line.
  watchParser(onEvent) {
    let pending: Buffer | undefined;
    return {
      push(chunk) {
        let data = pending ? Buffer.concat([pending, chunk]) : chunk;
        let start = 0;
        for (;;) {
          const end = data.indexOf(NEWLINE, start);
          if (end < 0) break;
          if (end > start) {
            const line = data.toString("utf8", start, end);
            let event: WatchEvent;
            try {
              event = JSON.parse(line) as WatchEvent;
            } catch {
              throw new KubeError("protocol", "the server sent a watch event that is not JSON");
            }
            onEvent(event);
          }
          start = end + 1;
        }
        if (start >= data.length) pending = undefined;
        else {
          data = data.subarray(start);
          // Copy so a small remainder does not keep a large chunk alive.
          pending = Buffer.from(data);
        }
      },
    };
  },
};

/** The KubeError that a watch ERROR event carries. */
export function statusError(status: Partial<KubeStatus> | undefined): KubeError {
  const code = typeof status?.code === "number" ? status.code : 500;
  const message = status?.message ?? "watch error";
  return new KubeError("http", `watch error ${code}: ${message}`, {
    status: code,
    reason: status?.reason,
    retryAfterMs:
      status?.details?.retryAfterSeconds !== undefined ? status.details.retryAfterSeconds * 1000 : undefined,
  });
}
