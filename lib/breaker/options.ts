import type { Classifier } from '../classify/verdict.js';

/** A source of time in epoch ms. Inject one to drive a breaker's timing in tests. */
export interface Clock {
  now(): number;
}

/** The clock breakers use unless given one: `Date.now()`, read at each call so fake timers work. */
export const systemClock: Clock = { now: () => Date.now() };

/**
 * Options of a {@link Breaker}. Names shared with opossum mean the same thing; every option is
 * checked at construction and unknown names are refused.
 */
export interface BreakerOptions {
  /** The breaker's name, used in errors, events, snapshots and metrics. Default `"breaker"`. */
  name?: string | undefined;
  /** A label to group breakers by on the dashboard and in metrics (opossum's `group`). */
  group?: string | undefined;
  /** `false` starts the breaker `disabled` (pass-through, still measured). Default `true`. */
  enabled?: boolean | undefined;
  /** Per-call timeout in ms, or `false` for none. Default 30 000. */
  timeout?: number | false | undefined;
  /** How long an opened breaker refuses calls before admitting trials, in ms. Default 60 000. */
  resetTimeout?: number | undefined;
  /**
   * Cap of the open-duration backoff, in ms. When given, each reopening after a failed trial
   * doubles the open duration up to this cap. Default: no backoff.
   */
  maxResetTimeout?: number | undefined;
  /** Opens after this many consecutive failures; `false` turns the policy off. Default 5. */
  failureThreshold?: number | false | undefined;
  /**
   * Opens when failures reach this percentage (1–100) of the calls in the rolling window.
   * Default: off.
   */
  errorThresholdPercentage?: number | undefined;
  /** Calls the rolling window must hold before a rate policy may trip. Default 10. */
  volumeThreshold?: number | undefined;
  /** Length of the rolling window in ms. Default 10 000. */
  rollingCountTimeout?: number | undefined;
  /** Slices of the rolling window. Default 10. */
  rollingCountBuckets?: number | undefined;
  /** A call slower than this many ms is slow. Required by `slowCallRateThreshold`. */
  slowCallDurationThreshold?: number | undefined;
  /** Opens when slow calls reach this percentage (1–100) of the rolling window. Default: off. */
  slowCallRateThreshold?: number | undefined;
  /** Trial calls in flight at once while half-open. Default 1. */
  halfOpenMaxCalls?: number | undefined;
  /** Trial successes that close a half-open breaker. Default 1. */
  successThreshold?: number | undefined;
  /** Calls in flight at once; beyond it calls fail with `CapacityExceededError`. Default: no limit. */
  capacity?: number | undefined;
  /** opossum's filter: return `true` for an error that is not the provider's failure. */
  errorFilter?: ((error: unknown) => boolean) | undefined;
  /** Judges errors; return `undefined` to defer to the default classifier. */
  classify?: Classifier | undefined;
  /** The clock for state timing, windows and latency. Default {@link systemClock}. */
  clock?: Clock | undefined;
  /**
   * Streams ({@link Breaker.stream}): ms from the start of the call to the stream's first chunk
   * (of any kind), or `false` for no limit. Default: `timeout`.
   */
  firstChunkTimeout?: number | false | undefined;
  /**
   * Streams: ms the provider may take to send the next chunk once the consumer has asked for
   * it, or `false` for no limit. A slow consumer never trips it. Default: `timeout`.
   */
  idleTimeout?: number | false | undefined;
}

/** Options with every default filled in, as a breaker uses them. */
export interface ResolvedOptions {
  readonly name: string;
  readonly group: string | undefined;
  readonly enabled: boolean;
  readonly timeout: number | false;
  readonly resetTimeout: number;
  readonly maxResetTimeout: number | undefined;
  readonly failureThreshold: number | false;
  readonly errorThresholdPercentage: number | undefined;
  readonly volumeThreshold: number;
  readonly rollingCountTimeout: number;
  readonly rollingCountBuckets: number;
  readonly slowCallDurationThreshold: number | undefined;
  readonly slowCallRateThreshold: number | undefined;
  readonly halfOpenMaxCalls: number;
  readonly successThreshold: number;
  readonly capacity: number;
  readonly errorFilter: ((error: unknown) => boolean) | undefined;
  readonly classify: Classifier | undefined;
  readonly clock: Clock;
  /** `undefined` when not given: streams then use `timeout`. */
  readonly firstChunkTimeout: number | false | undefined;
  /** `undefined` when not given: streams then use `timeout`. */
  readonly idleTimeout: number | false | undefined;
}

/** The documented defaults. */
export const DEFAULTS = Object.freeze({
  name: 'breaker',
  enabled: true,
  timeout: 30_000,
  resetTimeout: 60_000,
  failureThreshold: 5,
  volumeThreshold: 10,
  rollingCountTimeout: 10_000,
  rollingCountBuckets: 10,
  halfOpenMaxCalls: 1,
  successThreshold: 1,
  capacity: Number.POSITIVE_INFINITY,
});
