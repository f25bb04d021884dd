import type { BreakerRegistry } from '../../lib/registry/breaker-registry.js';
import type { CircuitStateName } from '../../lib/core/circuit-state.js';

/** The body of `GET /health`. */
export interface HealthReport {
  /**
   * `ok` when every breaker is closed (or disabled: passing everything), `degraded` when some
   * are not, `down` when none can serve (every breaker open or held open). No breakers is `ok`.
   */
  readonly status: 'ok' | 'degraded' | 'down';
  /** Each breaker's state by name. */
  readonly breakers: Readonly<Record<string, CircuitStateName>>;
}

/**
 * Reads the registry's health, as a Kubernetes readiness probe wants it: 200 for `ok` and
 * `degraded` (some provider still serves, perhaps through a fallback), 503 for `down`. A
 * half-open breaker can serve its trial calls, so it degrades health without taking it down.
 */
export function readHealth(registry: BreakerRegistry): {
  httpStatus: 200 | 503;
  report: HealthReport;
} {
  const breakers: Record<string, CircuitStateName> = {};
  let healthy = 0;
  let serving = 0;
  const all = registry.list();
  for (const breaker of all) {
    const state = breaker.state;
    breakers[breaker.name] = state;
    if (state === 'closed' || state === 'disabled') healthy++;
    if (state !== 'open' && state !== 'isolated') serving++;
  }
  const status = healthy === all.length ? 'ok' : serving === 0 ? 'down' : 'degraded';
  return { httpStatus: status === 'down' ? 503 : 200, report: { status, breakers } };
}
