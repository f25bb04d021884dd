/**
 * The peers the bench compares against, set up the way their documentation shows, each with the
 * same policy as breakwater's contender: open after consecutive failures, or never open.
 */
import CircuitBreaker from 'opossum';
import {
  ConsecutiveBreaker,
  TimeoutStrategy,
  circuitBreaker,
  fallback,
  handleAll,
  timeout,
  wrap,
  type IPolicy,
} from 'cockatiel';

const NEVER = Number.MAX_SAFE_INTEGER;

export interface PeerOptions {
  /** Consecutive failures that open; `false` never opens. */
  readonly failureThreshold: number | false;
  /** Per-call timeout in ms, or `false`. */
  readonly timeout: number | false;
  /** A fallback value, when the case measures one. */
  readonly fallback?: () => unknown;
}

/** An opossum breaker around `fn`. Call `shutdown()` when done: opossum keeps an interval. */
export function opossum(fn: () => Promise<unknown>, o: PeerOptions): CircuitBreaker {
  const breaker = new CircuitBreaker(fn, {
    timeout: o.timeout,
    resetTimeout: 1e9,
    // opossum trips on a failure rate; with a volume of 1 and 1% it opens on the first failure,
    // which is what a consecutive threshold of 1 means. The bench uses 1 or "never".
    errorThresholdPercentage: o.failureThreshold === false ? 100 : 1,
    volumeThreshold: o.failureThreshold === false ? NEVER : o.failureThreshold,
  });
  if (o.fallback !== undefined) breaker.fallback(o.fallback);
  return breaker;
}

/** A cockatiel policy: a consecutive breaker, wrapped in a timeout and a fallback when asked. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see below
export function cockatiel(o: PeerOptions): IPolicy<any, any> {
  const breaker = circuitBreaker(handleAll, {
    halfOpenAfter: 1e9,
    breaker: new ConsecutiveBreaker(o.failureThreshold === false ? NEVER : o.failureThreshold),
  });
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- wrap() merges the policies' types
  let policy: IPolicy<any, any> = breaker;
  if (o.timeout !== false) policy = wrap(timeout(o.timeout, TimeoutStrategy.Aggressive), policy);
  if (o.fallback !== undefined) policy = wrap(fallback(handleAll, o.fallback), policy);
  return policy;
}
