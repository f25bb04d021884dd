import type { CircuitStateName, OpenReason } from '../core/circuit-state.js';

/**
 * Where a write stands in the fleet's one order of writes. Every replica and every store compares
 * two writes the same way ({@link isNewer}): the higher `term`, then the higher `version`, then the
 * higher `origin`. A replica never writes two states with the same stamp, so replicas that have
 * seen the same writes hold the same state, whatever order the writes reached them in.
 */
export interface Stamp {
  /**
   * Operator moves made so far: an operator's `isolate()`, `reset()`, `disable()` or config change
   * writes one more than the highest term it has seen, so it outranks every automatic move of a
   * lower term, however many versions those made (say while Redis was out of reach). Automatic
   * moves keep the term they were made in.
   */
  readonly term: number;
  /** A replica writes one more than the version of the state it holds. */
  readonly version: number;
  /** Who wrote it: a replica's id. */
  readonly origin: string;
}

/**
 * The facts about one breaker that replicas share through a {@link StateStore}.
 *
 * What is shared, and why:
 * - the state, when it opens until, the backoff exponent and the reason: one replica seeing a
 *   provider fail is enough for the fleet to stop sending it traffic, and an operator's
 *   `isolate()` or `reset()` on one replica holds for all;
 * - half-open trial permits ({@link StoreAttachment.acquireTrial}): a recovering provider gets
 *   `halfOpenMaxCalls` trial calls from the whole fleet, not from every replica. The move from
 *   open to half-open is not written: every replica makes it at the shared `openUntil`, and the
 *   half-open period is named by the open state's {@link Stamp};
 * - the operator's config changes, if any (`config`), carried by every later write.
 *
 * What stays local to each replica, and why:
 * - the consecutive-failure count and the rolling window's counts: a replica judges the calls it
 *   made itself, so recording an outcome never waits for I/O; the trip it causes is shared;
 * - statistics and latency: each replica reports its own, and a metrics system adds them up.
 */
export interface SharedState extends Stamp {
  readonly state: CircuitStateName;
  /** Epoch ms until which an open breaker refuses calls; `null` unless open. */
  readonly openUntil: number | null;
  /** Reopenings after failed trials in a row: the backoff exponent. */
  readonly reopenCount: number;
  readonly reason: OpenReason | null;
  /** Epoch ms of the move to this state. */
  readonly changedAt: number;
  /**
   * Option changes an operator made live (the admin router's config route), in force on every
   * replica until the next operator config change. Absent when none was made.
   */
  readonly config?: Readonly<Record<string, unknown>> | undefined;
}

/** A breaker's link to a store, made by {@link StateStore.attach}. */
export interface StoreAttachment {
  /** The shared state known when the breaker attached, if any. */
  readonly initial: SharedState | undefined;
  /**
   * Shares a state the breaker moved to. Fire and forget: a store that does I/O sends it beside
   * the caller's path, never in front of it. A move that a trial's outcome made names the trial's
   * half-open period as `trialOf`: its permit is given back in the same atomic step as the write.
   */
  publish(state: SharedState, trialOf?: Stamp): void;
  /**
   * Takes one of the fleet's `max` trial permits for the half-open period `period` (the stamp of
   * the open state it followed). A store answers at once when it can; a networked store that must
   * ask may answer with a promise that settles within a few ms (a bounded wait, never in front of
   * a closed breaker's calls).
   */
  acquireTrial(period: Stamp, max: number): boolean | Promise<boolean>;
  /** Gives back a permit of `period` whose trial ends without a move. */
  releaseTrial(period: Stamp): void;
  /** Stops listening; the breaker no longer takes part. A store may then forget the name. */
  detach(): void;
}

/**
 * Where breakers keep the facts they share ({@link SharedState}). The in-memory store is the
 * default; a Redis store shares them across a fleet of replicas.
 */
export interface StateStore {
  /**
   * Joins breaker `name`. `onRemote` is called with each state another attachment publishes,
   * including attachments in other processes.
   */
  attach(name: string, onRemote: (state: SharedState) => void): StoreAttachment;
  /** Releases connections and timers. */
  close(): Promise<void>;
}

/** Whether `a` is a newer write than `b` in the fleet's order of writes ({@link Stamp}). */
export function isNewer(a: Stamp, b: Stamp | undefined): boolean {
  if (b === undefined) return true;
  if (a.term !== b.term) return a.term > b.term;
  if (a.version !== b.version) return a.version > b.version;
  return a.origin > b.origin;
}

/** A stamp as one string, e.g. to name a half-open period in a key. */
export function stampKey(stamp: Stamp): string {
  return `${stamp.term}.${stamp.version}.${stamp.origin}`;
}
