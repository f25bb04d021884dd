/** The options a breaker runs with, as plain JSON (functions and the clock are left out). */
export interface ConfigSnapshot {
  readonly group: string | null;
  readonly timeout: number | false;
  readonly resetTimeout: number;
  readonly maxResetTimeout: number | null;
  readonly failureThreshold: number | false;
  readonly errorThresholdPercentage: number | null;
  readonly volumeThreshold: number;
  readonly rollingCountTimeout: number;
  readonly rollingCountBuckets: number;
  readonly slowCallDurationThreshold: number | null;
  readonly slowCallRateThreshold: number | null;
  readonly halfOpenMaxCalls: number;
  readonly successThreshold: number;
  /** `null` for no limit. */
  readonly capacity: number | null;
  /** Streams: ms to the first chunk; `null` when it is `timeout`'s. */
  readonly firstChunkTimeout: number | false | null;
  /** Streams: ms between chunks; `null` when it is `timeout`'s. */
  readonly idleTimeout: number | false | null;
}
