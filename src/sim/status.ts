// metav1.Status bodies with the reasons, codes and wording kube-apiserver uses (k8s.io/apimachinery/pkg/api/errors).
import { type KindInfo, qualifiedResource } from "./kinds.ts";

export interface StatusCause {
  reason?: string;
  message: string;
  field?: string;
}

export interface StatusBody {
  kind: "Status";
  apiVersion: "v1";
  metadata: Record<string, unknown>;
  status: "Success" | "Failure";
  message?: string;
  reason?: string;
  details?: Record<string, unknown>;
  code?: number;
}

export class ApiError extends Error {
  readonly status: StatusBody;
  /** Extra response headers (Retry-After). */
  readonly headers: Record<string, string>;
  constructor(status: StatusBody, headers: Record<string, string> = {}) {
    super(status.message);
    this.status = status;
    this.headers = headers;
  }
}

function failure(code: number, reason: string, message: string, details?: Record<string, unknown>): StatusBody {
  // Field order as the Go encoder writes metav1.Status.
  return details
    ? { kind: "Status", apiVersion: "v1", metadata: {}, status: "Failure", message, reason, details, code }
    : { kind: "Status", apiVersion: "v1", metadata: {}, status: "Failure", message, reason, code };
}

function resourceDetails(k: KindInfo, name?: string): Record<string, unknown> {
  const d: Record<string, unknown> = {};
  if (name) d.name = name;
  if (k.group) d.group = k.group;
  d.kind = k.resource;
  return d;
}

export function notFound(k: KindInfo, name: string): ApiError {
  return new ApiError(
    failure(404, "NotFound", `${qualifiedResource(k)} "${name}" not found`, resourceDetails(k, name)),
  );
}

export function alreadyExists(k: KindInfo, name: string): ApiError {
  return new ApiError(
    failure(409, "AlreadyExists", `${qualifiedResource(k)} "${name}" already exists`, resourceDetails(k, name)),
  );
}

/** The notfoundhandler's answer for a path no API serves. */
export function pathNotFound(): ApiError {
  return new ApiError(failure(404, "NotFound", "the server could not find the requested resource", {}));
}

export function unauthorized(): ApiError {
  return new ApiError(failure(401, "Unauthorized", "Unauthorized"));
}

/** RBAC denial, worded as responsewriters.Forbidden + errors.NewForbidden word it. */
export function forbidden(k: KindInfo, verb: string, user: string, namespace: string, name?: string): ApiError {
  const scope = namespace ? `in the namespace "${namespace}"` : "at the cluster scope";
  const why = `User "${user}" cannot ${verb} resource "${k.resource}" in API group "${k.group}" ${scope}`;
  const what = name ? `${qualifiedResource(k)} "${name}"` : qualifiedResource(k);
  return new ApiError(failure(403, "Forbidden", `${what} is forbidden: ${why}`, resourceDetails(k, name)));
}

export function badRequest(message: string): ApiError {
  return new ApiError(failure(400, "BadRequest", message));
}

export function methodNotAllowed(): ApiError {
  return new ApiError(
    failure(405, "MethodNotAllowed", "the server does not allow this method on the requested resource"),
  );
}

/** 422 from ListOptions validation: `ListOptions.meta.k8s.io "" is invalid: field: Forbidden: why`. */
export function invalidListOptions(
  causes: { field: string; type: string; detail: string; value?: string }[],
): ApiError {
  const text = (c: (typeof causes)[number]) =>
    c.type === "FieldValueNotSupported"
      ? `Unsupported value: "${c.value}": supported values: ${c.detail}`
      : `Forbidden: ${c.detail}`;
  const parts = causes.map((c) => `${c.field}: ${text(c)}`);
  const message = `ListOptions.meta.k8s.io "" is invalid: ${parts.length === 1 ? parts[0] : `[${parts.join(", ")}]`}`;
  return new ApiError(
    failure(422, "Invalid", message, {
      group: "meta.k8s.io",
      kind: "ListOptions",
      causes: causes.map((c) => ({ reason: c.type, message: text(c), field: c.field })),
    }),
  );
}

export function expired(message: string, continueToken?: string): ApiError {
  const s = failure(410, "Expired", message);
  if (continueToken) s.metadata = { continue: continueToken };
  return new ApiError(s);
}

export function tooManyRequests(retryAfterSeconds: number): ApiError {
  return new ApiError(
    failure(429, "TooManyRequests", "Too many requests, please try again later.", { retryAfterSeconds }),
    { "Retry-After": String(retryAfterSeconds) },
  );
}

export function internalError(cause: string): ApiError {
  return new ApiError(
    failure(500, "InternalError", `Internal error occurred: ${cause}`, { causes: [{ message: cause }] }),
  );
}

/** storage.NewTooLargeResourceVersionError: a 504 the client should retry after a second. */
export function tooLargeResourceVersion(wanted: number, current: number): ApiError {
  return new ApiError(
    failure(504, "Timeout", `Timeout: Too large resource version: ${wanted}, current: ${current}`, {
      causes: [{ reason: "ResourceVersionTooLarge", message: "Too large resource version" }],
      retryAfterSeconds: 1,
    }),
    { "Retry-After": "1" },
  );
}

/** What DELETE answers for kinds whose storage does not return the deleted object. */
export function deleteSuccess(k: KindInfo, name: string, uid: string): StatusBody {
  const details: Record<string, unknown> = { name };
  if (k.group) details.group = k.group;
  details.kind = k.resource;
  details.uid = uid;
  return { kind: "Status", apiVersion: "v1", metadata: {}, status: "Success", details };
}
