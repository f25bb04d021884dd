/** The five states a breaker can be in. */
export type CircuitStateName = 'closed' | 'open' | 'half_open' | 'isolated' | 'disabled';

/** Why a breaker opened. */
export type OpenReason =
  | 'consecutive_failures'
  | 'failure_rate'
  | 'slow_call_rate'
  | 'rate_limited'
  | 'trial_failed'
  /** Opened by hand for its `resetTimeout` (the opossum facade's `open()`). */
  | 'manual'
  | 'remote';

/** Calls pass and their outcomes feed the trip policies. */
export interface Closed {
  readonly kind: 'closed';
  readonly since: number;
}

/** Calls are refused until `until`; then the next call or state read moves to half-open. */
export interface Open {
  readonly kind: 'open';
  readonly since: number;
  readonly until: number;
  readonly reason: OpenReason;
  /** How many times in a row it reopened after a failed trial: the backoff exponent. */
  readonly reopenCount: number;
}

/** Trial calls are admitted, at most `halfOpenMaxCalls` in flight. */
export interface HalfOpen {
  readonly kind: 'half_open';
  readonly since: number;
  readonly reopenCount: number;
  /** Trials in flight and trials that succeeded in this half-open period. */
  trials: number;
  successes: number;
}

/** Held open by an operator until reset. */
export interface Isolated {
  readonly kind: 'isolated';
  readonly since: number;
}

/** Pass-through: calls are measured but never refused and never trip. */
export interface Disabled {
  readonly kind: 'disabled';
  readonly since: number;
}

/**
 * A breaker's state as a tagged union: each state holds exactly the facts it needs, so an open
 * breaker without an `until` or a closed one with trials cannot be written down.
 */
export type CircuitState = Closed | Open | HalfOpen | Isolated | Disabled;
