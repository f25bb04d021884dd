import type { CircuitStateName, OpenReason } from '../breaker/state.js';

/**
 * The facts about one breaker that replicas share through a {@link StateStore}.
 *
 * What is shared, and why:
 * - the state, when it opens until, the backoff exponent and the reason: one replica seeing a
 *   provider fail is enough for the fleet to stop sending it traffic, and an operator's
 *   `isolate()` or `reset()` on one replica holds for all;
 * - half-open trial permits ({@link StoreAttachment.acquireTrial}): a recovering provider gets
 *   `halfOpenMaxCalls` trial calls from the whole fleet, not from every replica.
 *
 * What stays local to each replica, and why:
 * - the consecutive-failure count and the rolling window's counts: a replica judges the calls it
 *   made itself, so recording an outcome never waits for I/O; the trip it causes is shared;
 * - statistics and latency: each replica reports its own, and a metrics system adds them up.
 */
export interface SharedState {
  readonly state: CircuitStateName;
  /** Epoch ms until which an open breaker refuses calls; `null` unless open. */
  readonly openUntil: number | null;
  /** Reopenings after failed trials in a row: the backoff exponent. */
  readonly reopenCount: number;
  readonly reason: OpenReason | null;
  /** Epoch ms of the move to this state. */
  readonly changedAt: number;
  /**
   * Orders writes: a replica writes one more than the highest version it has seen. A store keeps
   * the write with the higher version, and of two with the same version the higher `origin`.
   */
  readonly version: number;
  /** Who wrote it: a replica's id. */
  readonly origin: string;
}

/** A breaker's link to a store, made by {@link StateStore.attach}. */
export interface StoreAttachment {
  /** The shared state known when the breaker attached, if any. */
  readonly initial: SharedState | undefined;
  /**
   * Shares a state the breaker moved to. Fire and forget: a store that does I/O sends it beside
   * the caller's path, never in front of it.
   */
  publish(state: SharedState): void;
  /**
   * Takes one of the fleet's `max` trial permits for the half-open period that began at version
   * `version`. Answered at once; a networked store answers from what it knows locally and settles
   * the count in the background.
   */
  acquireTrial(version: number, max: number): boolean;
  /** Gives back a permit taken for `version`. */
  releaseTrial(version: number): void;
  /** Stops listening; the breaker no longer takes part. */
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

/** Whether `a` is a newer write than `b` by the store's ordering. */
export function isNewer(a: SharedState, b: SharedState | undefined): boolean {
  if (b === undefined) return true;
  return a.version > b.version || (a.version === b.version && a.origin > b.origin);
}
