import * as prom from 'prom-client';
import type { Registry, RegistryContentType } from 'prom-client';
import {
  collectBreakerMetrics as collect,
  createBreakerMetricsRegistry as createRegistry,
  type BreakerMetrics as Metrics,
  type BreakerMetricsOptions as MetricsOptions,
  type PromClient,
} from '../../lib/metrics/breaker-metrics.js';
import type { BreakerRegistry } from '../../lib/registry/breaker-registry.js';

/** prom-client, seen through the structural type the collector takes. */
type PromModule = PromClient<Registry<RegistryContentType>>;

export {
  STATE_VALUES,
  DURATION_BUCKETS,
  FIRST_CHUNK_BUCKETS,
} from '../../lib/metrics/breaker-metrics.js';

/** Options of {@link collectBreakerMetrics}: where, under what prefix, with which buckets. */
export type BreakerMetricsOptions = MetricsOptions<Registry<RegistryContentType>>;

/** Metrics collected into a prom-client registry; `dispose()` stops and unregisters them. */
export type BreakerMetrics = Metrics<Registry<RegistryContentType>>;

/**
 * Adds breakwater's metrics for every breaker of `registry` (present and future) to a prom-client
 * registry: `options.register`, or prom-client's global one.
 *
 * @example
 * import { register } from 'prom-client';
 * collectBreakerMetrics(registry, { register });
 * app.get('/metrics', async (_req, res) => res.type(register.contentType).send(await register.metrics()));
 */
export function collectBreakerMetrics(
  registry: BreakerRegistry,
  options?: BreakerMetricsOptions,
): BreakerMetrics {
  return collect(prom as PromModule, registry, options);
}

/** As {@link collectBreakerMetrics}, into a new prom-client registry of its own. */
export function createBreakerMetricsRegistry(
  registry: BreakerRegistry,
  options?: Omit<BreakerMetricsOptions, 'register'>,
): BreakerMetrics {
  return createRegistry(prom as PromModule, registry, options);
}
