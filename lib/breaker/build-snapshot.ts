import type { Breaker } from './breaker.js';
import { isoOf, isoOrNull, type BreakerSnapshot } from './snapshot.js';
import { configOf } from './live-config.js';

/** Reads a breaker into its JSON {@link BreakerSnapshot} at `now`. */
export function buildSnapshot(breaker: Breaker, now: number): BreakerSnapshot {
  const circuit = breaker.circuit;
  const state = circuit.current;
  const stats = breaker.stats;
  const latency = stats.latency;
  const window = circuit.window;
  window.rotate(now);
  const open = state.kind === 'open';
  return {
    name: breaker.name,
    group: breaker.options.group ?? null,
    state: state.kind,
    reason: open ? state.reason : null,
    failureCount: circuit.consecutive.count,
    successCount: circuit.successCount,
    totalRequests: stats.totalRequests,
    successfulRequests: stats.successfulRequests,
    failedRequests: stats.failedRequests,
    rejectedRequests: stats.rejectedRequests,
    timeouts: stats.timeouts,
    fallbacks: stats.fallbacks,
    callerErrors: stats.callerErrors,
    rateLimited: stats.rateLimited,
    slowCalls: stats.slowCalls,
    cancelled: stats.cancelled,
    inFlight: breaker.inFlight,
    hedges: { started: stats.hedgesStarted, won: stats.hedgesWon },
    errorRate: window.errorRate(now),
    slowCallRate: window.slowRate(now),
    windowRequests: window.totalCalls,
    latency: {
      p50: latency?.quantile(0.5) ?? 0,
      p95: latency?.quantile(0.95) ?? 0,
      p99: latency?.quantile(0.99) ?? 0,
      mean: latency?.mean() ?? 0,
      count: latency?.count ?? 0,
    },
    lastFailureTime: isoOrNull(stats.lastFailureTime),
    lastSuccessTime: isoOrNull(stats.lastSuccessTime),
    stateChangedAt: isoOf(state.since),
    retryAfterMs: open ? Math.max(0, state.until - now) : null,
    openUntil: open ? isoOf(state.until) : null,
    config: configOf(breaker.options),
  };
}
