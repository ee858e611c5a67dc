// Every failure the data layer reports, with a one-line message that names the cause and the fix.
// The CLI prints `message` as is; LoadingStatus.error carries it to the header.

export type KubeErrorKind =
  | "config" // kubeconfig missing, unreadable, malformed, unknown context
  | "network" // refused, DNS, reset, unreachable
  | "timeout" // no answer (or no bytes) within the deadline
  | "tls" // certificate verification
  | "http" // the server answered with an error Status
  | "protocol" // the server answered something we cannot read
  | "aborted"; // stop() or the caller's signal

export class KubeError extends Error {
  readonly kind: KubeErrorKind;
  /** HTTP status (or the code of a watch ERROR event's Status). */
  readonly status: number | undefined;
  /** metav1.Status reason: Expired, Gone, Forbidden, TooManyRequests, ... */
  readonly reason: string | undefined;
  /** From Retry-After or Status.details.retryAfterSeconds. */
  readonly retryAfterMs: number | undefined;
  /** The message of the server's Status, as it wrote it (a conflict's, a validation error's). */
  readonly detail: string | undefined;

  constructor(
    kind: KubeErrorKind,
    message: string,
    extra: { status?: number; reason?: string; retryAfterMs?: number; detail?: string; cause?: unknown } = {},
  ) {
    super(message, extra.cause === undefined ? undefined : { cause: extra.cause });
    this.name = "KubeError";
    this.kind = kind;
    this.status = extra.status;
    this.reason = extra.reason;
    this.retryAfterMs = extra.retryAfterMs;
    this.detail = extra.detail;
  }

  /** 410 Gone / Expired: the resourceVersion or continue token is too old; the cure is a fresh LIST. */
  get isGone(): boolean {
    return this.status === 410 || this.reason === "Expired" || this.reason === "Gone";
  }
}

export function isAbort(err: unknown): boolean {
  return (
    (err instanceof KubeError && err.kind === "aborted") ||
    (err instanceof Error && (err.name === "AbortError" || (err as NodeJS.ErrnoException).code === "ABORT_ERR"))
  );
}

/** One line, whatever was thrown. */
export function oneLine(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  return text.replace(/\s*\n\s*/g, " ").trim();
}
