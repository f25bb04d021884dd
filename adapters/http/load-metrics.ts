import type { BreakerRegistry } from '../../lib/registry/breaker-registry.js';
import type { OwnedMetrics } from './admin-core.js';

/**
 * The admin router's default `GET /metrics`: breakwater's metrics in a prom-client registry of
 * the router's own. prom-client (an optional peer) is loaded on first use, so an app without it
 * can still use the rest of the router; the route then answers 501 saying what to install.
 */
export async function loadPrometheusMetrics(registry: BreakerRegistry): Promise<OwnedMetrics> {
  const prom = await import('prom-client');
  const { createBreakerMetricsRegistry } = await import('../../lib/metrics/breaker-metrics.js');
  const metrics = createBreakerMetricsRegistry(prom, registry);
  return { source: metrics.register, dispose: () => metrics.dispose() };
}
