import type { Stamp } from '../store/state-store.js';
import type { HalfOpen } from '../core/circuit-state.js';

/** The trials of one ended half-open epoch that are still in flight. */
export interface PastPeriod {
  /** The half-open period: the stamp of the open state it followed. */
  readonly period: Stamp;
  readonly reopenCount: number;
  /** Trials of the period still in flight here. */
  trials: number;
  /** Successes of the period seen here. */
  successes: number;
}

/**
 * The trials of half-open epochs that ended (another replica, or an operator, moved the circuit)
 * while they were still in flight. Their outcomes still count in their own period: a success or a
 * failure is written as a move from that period, competing in the fleet's order of writes with
 * the move that ended it, and each permit is given back with it. An entry lives until its last
 * trial settles.
 */
export class PastTrials {
  private readonly byEpoch = new Map<number, PastPeriod>();

  /** Keeps the trials of half-open `state`, in `period`, which epoch `epoch` is leaving. */
  keep(epoch: number, period: Stamp, state: HalfOpen): void {
    if (state.trials === 0) return;
    const { reopenCount, trials, successes } = state;
    this.byEpoch.set(epoch, { period, reopenCount, trials, successes });
  }

  /** Counts one trial of ended epoch `epoch` as settled; its period, if it had one. */
  end(epoch: number): PastPeriod | undefined {
    const past = this.byEpoch.get(epoch);
    if (past === undefined) return undefined;
    if (--past.trials <= 0) this.byEpoch.delete(epoch);
    return past;
  }
}

/**
 * The stamp of a late trial's move from `period`: one version past it, by `origin`. `null` when
 * this replica has written since the period began (its own move ended it, or came after): a
 * replica never writes one stamp twice.
 */
export function lateStamp(period: Stamp, lastWrite: Stamp | null, origin: string): Stamp | null {
  if (
    lastWrite !== null &&
    (lastWrite.term > period.term ||
      (lastWrite.term === period.term && lastWrite.version > period.version))
  ) {
    return null;
  }
  return { term: period.term, version: period.version + 1, origin };
}
