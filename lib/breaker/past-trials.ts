import type { Stamp } from '../store/state-store.js';

/**
 * The trials of a half-open epoch that ended (another replica, or an operator, moved the circuit)
 * while they were still in flight. Their outcomes still count in their own period: a success or a
 * failure is written as a move from that period, competing in the fleet's order of writes with
 * the move that ended it, and each permit is given back with it.
 */
export interface PastTrials {
  /** The half-open period: the stamp of the open state it followed. */
  readonly period: Stamp;
  readonly reopenCount: number;
  /** Trials of the period still in flight here. */
  trials: number;
  /** Successes of the period seen here. */
  successes: number;
}
