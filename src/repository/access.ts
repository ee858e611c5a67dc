// What the user may do, as the server says: SelfSubjectAccessReviews per (verb, resource, namespace), asked in the
// background when a view wants to know and cached for minutes, so that a view offers only the actions the user may
// take and a key press never waits for an answer.
import { oneLine } from "../kube/errors.ts";

/** One question to the authorizer: may I `verb` `resource` (of `group`) in `namespace`? */
export interface AccessCheck {
  verb: string;
  resource: string;
  group: string;
  /** "scale", "exec", "eviction": a subresource of `resource`. */
  subresource?: string | undefined;
  /** Undefined: cluster-wide (or a cluster-scoped resource). */
  namespace?: string | undefined;
}

/** Sends a SelfSubjectAccessReview (as JSON) and resolves with the server's answer. */
export type ReviewPoster = (review: unknown) => Promise<unknown>;

interface Answer {
  allowed: boolean | undefined;
  at: number;
}

/** How long an answer is kept: RBAC changes are rare, and a refused action still says why. */
export const ACCESS_TTL_MS = 5 * 60_000;

/** The cached answers, and the questions in flight. */
export class AccessReviews {
  private readonly answers = new Map<string, Answer>();
  private readonly asking = new Set<string>();
  private readonly post: ReviewPoster;
  private readonly changed: () => void;
  private readonly now: () => number;
  private readonly ttlMs: number;

  constructor(post: ReviewPoster, changed: () => void, opts: { now?: () => number; ttlMs?: number } = {}) {
    this.post = post;
    this.changed = changed;
    this.now = opts.now ?? Date.now;
    this.ttlMs = opts.ttlMs ?? ACCESS_TTL_MS;
  }

  /**
   * True or false once the server answered; undefined while it has not (or could not: a server without the
   * authorization API, an error), and then the action is offered and the server decides when it is taken.
   */
  can(check: AccessCheck): boolean | undefined {
    const key = keyOf(check);
    const answer = this.answers.get(key);
    const fresh = answer !== undefined && this.now() - answer.at < this.ttlMs;
    if (!fresh && !this.asking.has(key)) this.ask(key, check);
    return answer?.allowed;
  }

  /** Forgets every answer (a refused action: the rights may have changed). */
  clear(): void {
    this.answers.clear();
  }

  private ask(key: string, check: AccessCheck): void {
    this.asking.add(key);
    const review = {
      apiVersion: "authorization.k8s.io/v1",
      kind: "SelfSubjectAccessReview",
      spec: {
        resourceAttributes: {
          verb: check.verb,
          group: check.group,
          resource: check.resource,
          ...(check.subresource && { subresource: check.subresource }),
          ...(check.namespace && { namespace: check.namespace }),
        },
      },
    };
    this.post(review).then(
      (answer) => {
        const allowed = (answer as { status?: { allowed?: unknown } } | undefined)?.status?.allowed;
        this.settle(key, typeof allowed === "boolean" ? allowed : undefined);
      },
      (err: unknown) => {
        // Unknown, not refused: the action stays offered and the server's refusal, if any, is shown then.
        void oneLine(err);
        this.settle(key, undefined);
      },
    );
  }

  private settle(key: string, allowed: boolean | undefined): void {
    this.asking.delete(key);
    const before = this.answers.get(key)?.allowed;
    this.answers.set(key, { allowed, at: this.now() });
    if (before !== allowed) this.changed();
  }
}

function keyOf(c: AccessCheck): string {
  return `${c.verb} ${c.group}/${c.resource}/${c.subresource ?? ""} ${c.namespace ?? ""}`;
}
