import type { CircuitStateName, OpenReason } from '../core/circuit-state.js';
import type { ConfigSnapshot } from '../core/config-snapshot.js';

export type { ConfigSnapshot };

/** Latency of settled calls in ms, from a bounded histogram. */
export interface LatencySnapshot {
  readonly p50: number;
  readonly p95: number;
  readonly p99: number;
  readonly mean: number;
  readonly count: number;
}

/** Hedges started at a breaker's level and how many of them won, since it was made or reset. */
export interface HedgeCounts {
  readonly started: number;
  readonly won: number;
}

/**
 * A breaker as JSON: what the admin routes answer and the dashboard shows. Times are ISO strings
 * or `null`. It never carries secrets: no errors' bodies, no functions, no headers.
 */
export interface BreakerSnapshot {
  readonly name: string;
  readonly group: string | null;
  readonly state: CircuitStateName;
  /** Why it is open (`rate_limited`, `consecutive_failures`, ...), else `null`. */
  readonly reason: OpenReason | null;
  /** Failures in a row toward `failureThreshold`. */
  readonly failureCount: number;
  /** Successes since the last state change. */
  readonly successCount: number;
  readonly totalRequests: number;
  readonly successfulRequests: number;
  readonly failedRequests: number;
  readonly rejectedRequests: number;
  readonly timeouts: number;
  readonly fallbacks: number;
  readonly callerErrors: number;
  readonly rateLimited: number;
  readonly slowCalls: number;
  readonly cancelled: number;
  readonly inFlight: number;
  /**
   * Hedges at this breaker's level, from hedged chains (`failover` and `failoverStream` with
   * `hedge`): `started` beside a slower level, and of those, `won` (answered, or for a stream
   * sent content, first). Both 0 for a breaker no hedged chain uses.
   */
  readonly hedges: HedgeCounts;
  /** Failures as a fraction 0–1 of the calls in the rolling window. */
  readonly errorRate: number;
  /** Slow calls as a fraction 0–1 of the calls in the rolling window. */
  readonly slowCallRate: number;
  /** Calls in the rolling window. */
  readonly windowRequests: number;
  readonly latency: LatencySnapshot;
  readonly lastFailureTime: string | null;
  readonly lastSuccessTime: string | null;
  readonly stateChangedAt: string;
  /** Ms until an open breaker admits a trial; `null` unless open. */
  readonly retryAfterMs: number | null;
  /** When an open breaker admits a trial, ISO; `null` unless open. */
  readonly openUntil: string | null;
  readonly config: ConfigSnapshot;
}

/** The latest instant a `Date` can hold, in epoch ms (±8.64e15). */
const MAX_DATE_MS = 8.64e15;

/**
 * An epoch-ms time as ISO, never throwing: a time beyond what a `Date` can hold (an absurd clock,
 * a state shared by a broken replica) is shown as the nearest instant it can hold; NaN as the
 * Unix epoch. Snapshots, events and admin routes use it, so none of them can throw a RangeError.
 */
export function isoOf(time: number): string {
  const t = time === time ? Math.min(Math.max(time, -MAX_DATE_MS), MAX_DATE_MS) : 0;
  return new Date(t).toISOString();
}

/** An epoch-ms time as ISO ({@link isoOf}), 0 and NaN as `null`. */
export function isoOrNull(time: number): string | null {
  return time === 0 || time !== time ? null : isoOf(time);
}
