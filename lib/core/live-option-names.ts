/**
 * The options {@link Breaker.configure} may change on a live breaker: thresholds and timeouts.
 * The rest are who the breaker is (`name`, `group`), what it runs on (`clock`) or code
 * (`errorFilter`, `classify`), and are fixed at construction; `enabled` is an operator's move,
 * made with `disable()` and `enable()`.
 */
export const LIVE_OPTION_NAMES = Object.freeze([
  'timeout',
  'resetTimeout',
  'maxResetTimeout',
  'failureThreshold',
  'errorThresholdPercentage',
  'volumeThreshold',
  'rollingCountTimeout',
  'rollingCountBuckets',
  'slowCallDurationThreshold',
  'slowCallRateThreshold',
  'halfOpenMaxCalls',
  'successThreshold',
  'capacity',
  'firstChunkTimeout',
  'idleTimeout',
] as const);

/** The name of an option that may change on a live breaker. */
export type LiveOptionName = (typeof LIVE_OPTION_NAMES)[number];
