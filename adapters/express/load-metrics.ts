import type { BreakerRegistry } from '../../lib/registry/breaker-registry.js';
import type { OwnedMetrics } from '../http/index.js';

/**
 * The admin router's default `GET /metrics`: breakwater's metrics in a prom-client registry of
 * the router's own, loaded lazily so that an app without the optional peer `prom-client` can
 * still use the rest of the router (the route then answers 501 saying what to install).
 */
export async function loadPrometheusMetrics(registry: BreakerRegistry): Promise<OwnedMetrics> {
  const { createBreakerMetricsRegistry } = await import('../prometheus/index.js');
  const metrics = createBreakerMetricsRegistry(registry);
  return { source: metrics.register, dispose: () => metrics.dispose() };
}
