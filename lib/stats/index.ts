export { LatencyHistogram } from './latency-histogram.js';
export { BreakerStats } from './breaker-stats.js';
export { TimeSampler } from './time-sampler.js';
