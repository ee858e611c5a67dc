// Writes in flight, as the root tracks them: one operation per confirmed action (a delete of 40 marked pods is one),
// its requests sent a few at a time, and one line on the message line for its progress and its outcome. Nothing is
// changed locally: the rows change when the watch says the server did it.
import type { WriteRequest } from "../kube/write.ts";
import type { AppEffect } from "./effects.ts";

/** How many requests of one operation are in flight at once (a bulk delete must not open hundreds of sockets). */
export const MAX_IN_FLIGHT = 8;

/** An action's writes, and how far they got. */
export interface Operation {
  readonly id: string;
  /** "delete", "scale", "restart": the verb of the progress line. */
  readonly verb: string;
  /** "deleted", "scaled", "restarted": the verb of the outcome line. */
  readonly done: string;
  /** What it is done to, for the outcome line: "deploy/api", "12 pods". */
  readonly what: string;
  readonly requests: readonly WriteRequest[];
  /** Index of the next request to send. */
  readonly next: number;
  readonly inFlight: number;
  readonly succeeded: number;
  /** Failures, in the order they came: what failed and why. */
  readonly failed: readonly { readonly name: string; readonly error: string }[];
}

/** The request id of an operation's i-th write: `op7:3`. */
function requestId(op: Operation, index: number): string {
  return `${op.id}:${index}`;
}

/** The operation id and request index of a result id, when it is one of ours. */
export function parseRequestId(id: string): { op: string; index: number } | undefined {
  const match = /^(op\d+):(\d+)$/.exec(id);
  return match ? { op: match[1] as string, index: Number(match[2]) } : undefined;
}

/** A new operation and the first writes to send. */
export function startOperation(
  id: string,
  spec: Pick<Operation, "verb" | "done" | "what" | "requests">,
): [Operation, AppEffect[]] {
  const op: Operation = { id, ...spec, next: 0, inFlight: 0, succeeded: 0, failed: [] };
  return fill(op);
}

/** Sends writes until MAX_IN_FLIGHT are in flight or none is left. */
function fill(op: Operation): [Operation, AppEffect[]] {
  const effects: AppEffect[] = [];
  let next = op.next;
  let inFlight = op.inFlight;
  while (inFlight < MAX_IN_FLIGHT && next < op.requests.length) {
    effects.push({ type: "write", id: requestId(op, next), request: op.requests[next] as WriteRequest });
    next++;
    inFlight++;
  }
  return [{ ...op, next, inFlight }, effects];
}

/** One write ended: the operation with it counted, and the next writes. */
export function settle(op: Operation, index: number, error: string | undefined): [Operation, AppEffect[]] {
  const request = op.requests[index];
  const counted: Operation = {
    ...op,
    inFlight: op.inFlight - 1,
    succeeded: op.succeeded + (error === undefined ? 1 : 0),
    failed: error === undefined ? op.failed : [...op.failed, { name: request?.name ?? "", error }],
  };
  return fill(counted);
}

/** All its writes have ended. */
export function finished(op: Operation): boolean {
  return op.inFlight === 0 && op.next >= op.requests.length;
}

/** The message line for the operation: progress while it runs, then its outcome. */
export function operationLine(op: Operation): { text: string; error: boolean } {
  const total = op.requests.length;
  if (!finished(op)) {
    return { text: `${op.verb} ${op.what}: ${op.succeeded + op.failed.length} of ${total}…`, error: false };
  }
  if (op.failed.length === 0) return { text: `${op.done} ${op.what}`, error: false };
  const first = op.failed[0] as { name: string; error: string };
  if (total === 1) return { text: `${op.verb} ${op.what}: ${first.error}`, error: true };
  const more = op.failed.length > 1 ? ` (and ${op.failed.length - 1} more)` : "";
  return {
    text: `${op.done} ${op.succeeded} of ${op.what}; ${op.failed.length} failed: ${first.name}: ${first.error}${more}`,
    error: true,
  };
}
