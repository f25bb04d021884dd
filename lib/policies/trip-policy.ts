import type { OpenReason } from '../core/circuit-state.js';

/**
 * Decides when a closed breaker opens. The breaker reports every counted outcome of a call it
 * admitted while closed; a policy answers `true` to open it. Policies keep their own counts and
 * forget them on `reset()` (every state change).
 */
export interface TripPolicy {
  /** The reason a trip by this policy gives, shown in snapshots and events. */
  readonly reason: OpenReason;
  /** A call succeeded after `durationMs`. */
  onSuccess(now: number, durationMs: number): boolean;
  /** A call failed (as the classifier judged it) after `durationMs`. */
  onFailure(now: number, durationMs: number): boolean;
  /** Forgets all counts. */
  reset(now: number): void;
}
