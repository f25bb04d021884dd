/**
 * What an error means to a breaker and to a failover chain. Produced by a {@link Classifier};
 * the engine never looks at errors itself.
 */
export interface Verdict {
  /** The error counts toward the trip policies and the failure statistics. */
  readonly failure: boolean;
  /** A failover chain may move on to its next level. `false` for the caller's own errors. */
  readonly failover: boolean;
  /**
   * The provider asked callers to wait this long (a `Retry-After`). When this failure opens
   * the breaker, it stays open at least this long.
   */
  readonly retryAfterMs?: number | undefined;
  /**
   * A rate limit, not an outage: the breaker opens at once for `retryAfterMs` (at least its
   * `resetTimeout`) with reason `rate_limited`, and the error is not counted as ill health.
   */
  readonly rateLimited?: boolean | undefined;
}

/**
 * Turns an error into a {@link Verdict}. Return `undefined` to defer to the default
 * classifier ({@link defaultClassify}).
 */
export type Classifier = (error: unknown) => Verdict | undefined;

/** A provider failure that may fail over. */
export const FAILURE: Verdict = Object.freeze({ failure: true, failover: true });
/** The caller's own error (a 400, say): rethrown, not counted, not failed over. */
export const CALLER_ERROR: Verdict = Object.freeze({ failure: false, failover: false });
