import { LatencyHistogram } from './latency-histogram.js';

/**
 * A breaker's counters since it was made or last reset. Times are epoch ms, 0 for never. The
 * latency histogram is made on the first settled call, so an idle breaker stays small.
 */
export class BreakerStats {
  /** Every call offered to the breaker, refused ones included. */
  totalRequests = 0;
  successfulRequests = 0;
  /** Calls that failed in a way counted against the provider (timeouts included). */
  failedRequests = 0;
  /** Calls refused without reaching the provider: open, half-open full, or at capacity. */
  rejectedRequests = 0;
  timeouts = 0;
  /** Calls a fallback answered after this breaker could not. */
  fallbacks = 0;
  /** The caller's own errors (a 400, say): rethrown, not counted against the provider. */
  callerErrors = 0;
  /** Rate-limit answers (429): they open the breaker without counting as ill health. */
  rateLimited = 0;
  /** Calls slower than `slowCallDurationThreshold`. */
  slowCalls = 0;
  /** Calls given up by the caller's signal or at shutdown. */
  cancelled = 0;
  /** Hedged attempts started at this breaker's level, and how many of them answered first. */
  hedgesStarted = 0;
  hedgesWon = 0;
  lastFailureTime = 0;
  lastSuccessTime = 0;
  latency: LatencyHistogram | null = null;

  /** Records a settled call's duration. */
  recordLatency(durationMs: number): void {
    (this.latency ??= new LatencyHistogram()).record(durationMs);
  }

  /** Zeroes everything. */
  clear(): void {
    this.totalRequests = 0;
    this.successfulRequests = 0;
    this.failedRequests = 0;
    this.rejectedRequests = 0;
    this.timeouts = 0;
    this.fallbacks = 0;
    this.callerErrors = 0;
    this.rateLimited = 0;
    this.slowCalls = 0;
    this.cancelled = 0;
    this.hedgesStarted = 0;
    this.hedgesWon = 0;
    this.lastFailureTime = 0;
    this.lastSuccessTime = 0;
    this.latency = null;
  }
}
