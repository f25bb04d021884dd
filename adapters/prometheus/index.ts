/**
 * `breakwater/prometheus`: every breaker of a registry as Prometheus metrics through prom-client
 * (an optional peer dependency), in the user's own prom-client registry or one of its own.
 */
export {
  collectBreakerMetrics,
  createBreakerMetricsRegistry,
  STATE_VALUES,
  DURATION_BUCKETS,
  FIRST_CHUNK_BUCKETS,
  type BreakerMetrics,
  type BreakerMetricsOptions,
} from './breaker-metrics.js';
