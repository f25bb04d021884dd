import { isCallTimeoutError } from '../errors/call-timeout-error.js';
import { isCapacityExceededError } from '../errors/capacity-exceeded-error.js';
import { isCircuitOpenError } from '../errors/circuit-open-error.js';

/**
 * What happened at one level of a chain: it answered (`success`), failed (`failure`), ran past its
 * breaker's timeout (`timeout`), was refused by its breaker without being called (`rejected`), or
 * was given up while running (`cancelled`: a hedge that lost, or a consumer that stopped early),
 * which is never the provider's failure. Streams add `interrupted`: failed after some of its
 * content had reached the consumer.
 */
export type AttemptOutcome =
  'success' | 'failure' | 'timeout' | 'rejected' | 'interrupted' | 'cancelled';

/** One level of a chain, tried or skipped during a call. */
export interface Attempt {
  /** The breaker name of a guarded level, or the method or function name of an unguarded one. */
  readonly name: string;
  readonly outcome: AttemptOutcome;
  /** From the start of the level to its end, in ms, by the level's breaker clock. */
  readonly durationMs: number;
  /** What the level threw, or the refusal of its breaker; absent on success. */
  readonly error?: unknown | undefined;
}

/** What {@link withOutcome} resolves to. */
export interface Outcome<T> {
  /** What the function returned. */
  readonly value: T;
  /**
   * The level that answered the last chain call to finish inside the function: a breaker name, or
   * the method or function name of an unguarded fallback. `null` when no chain call answered.
   */
  readonly servedBy: string | null;
  /** Every level tried or skipped by the chain calls inside the function, in the order they ended. */
  readonly attempts: readonly Attempt[];
}

/**
 * The outcome of a failed level: `rejected` when the level's own breaker refused the call,
 * `timeout` when the level ran past its breaker's timeout, `failure` otherwise.
 */
export function failedOutcome(error: unknown, breaker: string | null): AttemptOutcome {
  if (breaker === null) return 'failure';
  if ((isCircuitOpenError(error) || isCapacityExceededError(error)) && error.breaker === breaker) {
    return 'rejected';
  }
  if (isCallTimeoutError(error) && error.breaker === breaker) return 'timeout';
  return 'failure';
}
