export { LatencyHistogram } from './latency-histogram.js';
export { BreakerStats } from './breaker-stats.js';
