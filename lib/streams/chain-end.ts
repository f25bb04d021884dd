import { show } from '../core/show.js';
import {
  AllProvidersFailedError,
  type ProviderFailure,
} from '../errors/all-providers-failed-error.js';
import { StreamInterruptedError } from '../errors/stream-interrupted-error.js';
import type { ChainLevel } from '../failover/chain-level.js';
import type { Resume } from './resume-types.js';

/*
 * How a stream chain ends when it cannot go on: after a cut ({@link afterCut}), or when every
 * level failed before content ({@link exhaustedError}).
 */

/** A stream chain's committed level failed after delivering content. @internal */
export interface Cut<C> {
  readonly error: unknown;
  /** The level's name. */
  readonly level: string;
  /** Whether the failure may move on (not a caller's error, nor the caller's own abort). */
  readonly failover: boolean;
  /** The level's `resume`; `undefined` when it has none or no level comes after it. */
  readonly resume: Resume<unknown[], C> | undefined;
  readonly args: readonly unknown[];
  /** Every chunk the consumer has received. */
  readonly delivered: readonly C[];
  /** What the chain is called in error messages. */
  readonly label: string;
}

/** What the chain does after a cut. @internal */
export type AfterCut =
  /** The stream ends: the consumer gets `error`. */
  | { readonly kind: 'end'; readonly error: unknown }
  /** The next level goes on with `args`, its repeat of the delivered tail removed if asked. */
  | { readonly kind: 'resume'; readonly args: readonly unknown[]; readonly removeOverlap: boolean };

/**
 * Decides how a stream chain goes on after `cut`: a caller's error (or the caller's abort) ends
 * it as it is; otherwise the level's `resume` gives the next level's arguments, and without
 * them the stream ends with {@link StreamInterruptedError}. A `resume` that throws ends it with
 * what it threw; one that returns neither an array nor `undefined` with a TypeError naming it.
 * @internal
 */
export function afterCut<C>(cut: Cut<C>): AfterCut {
  const { error, level, resume } = cut;
  if (!cut.failover) return { kind: 'end', error };
  let next: readonly unknown[] | undefined;
  if (resume !== undefined) {
    try {
      next = resume(cut.args as unknown[], cut.delivered.slice());
    } catch (thrown) {
      return { kind: 'end', error: thrown };
    }
    if (next !== undefined && !Array.isArray(next)) {
      return {
        kind: 'end',
        error: new TypeError(
          `${cut.label}: resume of level "${level}" must return the next level's arguments (an array) or undefined, got ${show(next)}`,
        ),
      };
    }
  }
  if (next === undefined) {
    return { kind: 'end', error: new StreamInterruptedError(level, cut.delivered.slice(), error) };
  }
  return { kind: 'resume', args: next, removeOverlap: resume!.removeOverlap === true };
}

/**
 * The error a stream chain ends with when every level failed before content: the cut level's
 * {@link StreamInterruptedError} while resuming (`resumedFrom`), the only level's own error, or
 * {@link AllProvidersFailedError} with the `causes` in chain order (hedged levels may fail in
 * another).
 * @internal
 */
export function exhaustedError<C>(
  levels: readonly ChainLevel[],
  causes: ProviderFailure[],
  resumedFrom: string | null,
  delivered: readonly C[],
  lastError: unknown,
): unknown {
  if (resumedFrom !== null)
    return new StreamInterruptedError(resumedFrom, delivered.slice(), lastError);
  if (levels.length === 1) return lastError;
  const order = (name: string) => levels.findIndex((level) => level.name === name);
  return new AllProvidersFailedError(causes.sort((a, b) => order(a.name) - order(b.name)));
}
