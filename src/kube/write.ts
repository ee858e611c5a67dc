// Write requests (delete, patch, update, create, subresources) and the one-line errors they end with. A refused write
// names what was refused ("cannot delete pods in namespace x"), not the list/watch advice of a refused read.
import { KubeError } from "./errors.ts";
import type { KubeStatus } from "./objects.ts";
import type { Transport } from "./transport.ts";

/** One write to the API server, with what it is for (for messages and access checks). */
export interface WriteRequest {
  method: "POST" | "PUT" | "PATCH" | "DELETE";
  /** The API path, query included. */
  path: string;
  /** JSON body (an object, a patch, DeleteOptions). */
  body?: unknown;
  /** For PATCH: merge (application/merge-patch+json), strategic or json (RFC 6902). */
  patch?: "merge" | "strategic" | "json";
  /** What is done, in RBAC's words: the verb, the resource (with "/subresource") and its API group. */
  verb: string;
  resource: string;
  group?: string | undefined;
  namespace?: string | undefined;
  name?: string | undefined;
}

const PATCH_TYPES = {
  merge: "application/merge-patch+json",
  strategic: "application/strategic-merge-patch+json",
  json: "application/json-patch+json",
} as const;

/** Sends `req`; resolves with the server's answer (the object, or a Status), parsed. */
export async function write(transport: Transport, req: WriteRequest, signal?: AbortSignal): Promise<unknown> {
  const contentType = req.method === "PATCH" ? PATCH_TYPES[req.patch ?? "merge"] : "application/json";
  try {
    const res = await transport.request(req.path, {
      method: req.method,
      accept: "application/json",
      contentType,
      ...(req.body !== undefined && { body: JSON.stringify(req.body) }),
      ...(signal && { signal }),
    });
    const text = res.body.toString("utf8");
    return text ? JSON.parse(text) : undefined;
  } catch (err) {
    if (err instanceof KubeError && (err.kind === "network" || err.kind === "timeout")) {
      const outcome = await outcomeAfterDrop(transport, req, err, signal);
      if (outcome === DELETED) return { kind: "Status", status: "Success", message: "confirmed by reading it again" };
      throw outcome;
    }
    throw writeError(err, req);
  }
}

/**
 * The connection dropped before the answer: the write may or may not have happened. A delete is settled by reading
 * the object again (gone, or being deleted: it happened); anything else is said to be unknown, never guessed.
 */
async function outcomeAfterDrop(
  transport: Transport,
  req: WriteRequest,
  err: KubeError,
  signal: AbortSignal | undefined,
): Promise<unknown> {
  if (req.method !== "DELETE" || !req.name) {
    return new KubeError(err.kind, `${err.message}; the answer was lost: the list shows what the server did`);
  }
  try {
    const res = await transport.request(req.path.split("?")[0] as string, {
      accept: "application/json",
      ...(signal && { signal }),
    });
    const object = JSON.parse(res.body.toString("utf8")) as { metadata?: { deletionTimestamp?: string } };
    if (object.metadata?.deletionTimestamp) return DELETED;
    return new KubeError(err.kind, `${err.message}; ${target(req)} is still there: it was not deleted`);
  } catch (again) {
    if (again instanceof KubeError && again.status === 404) return DELETED;
    return new KubeError(err.kind, `${err.message}; the answer was lost and the server cannot be read to check`);
  }
}

/** A marker thrown by outcomeAfterDrop when the delete did happen: write() then resolves. */
const DELETED = Symbol("deleted");

/** What is written, in kubectl's words: `pods "web-1"` or `pods`. */
export function target(req: Pick<WriteRequest, "resource" | "group" | "name">): string {
  const resource = req.group ? `${req.resource}.${req.group}` : req.resource;
  return req.name ? `${resource} "${req.name}"` : resource;
}

/** A KubeError from a write, reworded where the read's wording would mislead (403, 404, 409, 422). */
export function writeError(err: unknown, req: WriteRequest): unknown {
  if (!(err instanceof KubeError) || err.status === undefined) return err;
  const where = req.namespace ? ` in namespace ${req.namespace}` : "";
  const extra = {
    status: err.status,
    ...(err.reason !== undefined && { reason: err.reason }),
    ...(err.detail !== undefined && { detail: err.detail }),
  };
  const resource = req.group ? `${req.resource}.${req.group}` : req.resource;
  switch (err.status) {
    case 403:
      return new KubeError("http", `forbidden: cannot ${req.verb} ${resource}${where}`, extra);
    case 404:
      return new KubeError("http", `${target(req)} not found${where}`, extra);
    case 409:
    case 422:
      return new KubeError("http", err.detail ?? err.message, extra);
    case 429:
      // An eviction a PodDisruptionBudget forbids is answered 429 too: a refusal, not the server throttling us.
      if (req.resource === "pods/eviction" && err.detail)
        return new KubeError("http", `refused (429): ${err.detail}`, extra);
      return err;
    default:
      return err;
  }
}

/** The Status the server answers a DELETE with, or the object being deleted (finalizers, foreground). */
export type DeleteAnswer = Partial<KubeStatus> | Record<string, unknown>;
