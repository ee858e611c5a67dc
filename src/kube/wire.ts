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

/**
 * A list page decoded while it downloads (see protobuf/list-stream.ts): every item goes to the parser's onItem as soon
 * as its bytes are in, and its onContinue gets the page's continue token ("" on the last page) once, as early as the
 * body reveals it, so that the next page can be asked for while this one downloads.
 */
export interface ListParser {
  /** Feed raw bytes of the body; throws a KubeError on malformed data. */
  push(chunk: Buffer): void;
  /** The body ended: the list's metadata (its `items` are empty: they went to onItem). Throws if it was incomplete. */
  end(): DecodedList;
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
  /** A parser that decodes a list body as it arrives; without one, the whole body is gathered for decodeList. */
  listParser?(onContinue: (token: string) => void, onItem: (obj: KubeObject) => void): ListParser;
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

/**
 * A ListParser for any decoder: streams where the decoder can, otherwise gathers the body (peeking at its head for the
 * continue token) and decodes it at the end.
 */
export function listParser(
  decoder: WireDecoder,
  onContinue: (token: string) => void,
  onItem: (obj: KubeObject) => void,
): ListParser {
  if (decoder.listParser) return decoder.listParser(onContinue, onItem);
  const chunks: Buffer[] = [];
  let head: Buffer | undefined;
  let peeking = decoder.peekContinue !== undefined;
  let reported = false;
  const report = (token: string) => {
    if (reported) return;
    reported = true;
    onContinue(token);
  };
  return {
    push(chunk) {
      chunks.push(chunk);
      if (!peeking) return;
      head = head ? Buffer.concat([head, chunk]) : chunk;
      const token = decoder.peekContinue!(head);
      if (token !== undefined || head.length > PEEK_LIMIT) {
        peeking = false;
        head = undefined;
        if (token !== undefined) report(token);
      }
    },
    end() {
      const page = decoder.decodeList(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks));
      chunks.length = 0;
      for (const item of page.items) onItem(item);
      // A peeked token that the decoded page contradicts is the caller's to notice (it compares it with this one).
      report(page.continueToken);
      return { ...page, items: [] };
    },
  };
}
