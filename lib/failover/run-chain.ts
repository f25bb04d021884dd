import type { Breaker } from '../breaker/breaker.js';
import { systemClock } from '../breaker/options.js';
import { defaultClassify } from '../classify/default-classifier.js';
import type { Verdict } from '../classify/verdict.js';
import {
  AllProvidersFailedError,
  type ProviderFailure,
} from '../errors/all-providers-failed-error.js';
import type { BreakerRegistry } from '../registry/breaker-registry.js';
import { usageOf } from '../registry/provider-stats.js';
import { failedOutcome } from './attempt.js';
import { enterContext, leaveContext, NEVER_ABORTED } from './call-context.js';
import type { ChainLevel } from './chain-level.js';
import { outcomeStorage } from './outcome-record.js';

/**
 * Runs one call down a priority chain: the single implementation behind decorated methods and
 * {@link failover} functions.
 *
 * Each level is tried in order. A guarded level runs through its breaker (found in the level's own
 * registry or in `registry`); when the breaker refuses, or the call fails with a verdict that may
 * fail over, the next level runs with the same arguments and the error. A caller's error (a 400)
 * is rethrown at once, untouched. The first answer wins; every guarded level that failed before it
 * notes a fallback (`breaker.recordFallback`). When every level fails, the caller gets an
 * {@link AllProvidersFailedError} with one cause per level in chain order; a chain of a single
 * level rethrows that level's error as it is.
 *
 * Outcomes for {@link withOutcome} are measured only when one is active: the async context is read
 * once per call.
 * @internal
 */
export async function runChain(
  levels: readonly ChainLevel[],
  registry: BreakerRegistry,
  self: unknown,
  args: readonly unknown[],
): Promise<unknown> {
  const record = outcomeStorage.getStore();
  // A caller's signal, passed as the last argument, cancels the chain call: each level's call
  // through its breaker, and any level not yet started.
  const last = args.length > 0 ? args[args.length - 1] : undefined;
  const callerSignal = last instanceof AbortSignal ? last : undefined;
  let causes: ProviderFailure[] | null = null;
  let failed: (Breaker | null)[] | null = null;
  let lastError: unknown = undefined;
  for (let i = 0; i < levels.length; i++) {
    const level = levels[i]!;
    const guard = level.guard;
    let breaker: Breaker | null = null;
    let start = 0;
    let waited = false;
    let value: unknown;
    let error: unknown = NO_ERROR;
    let refused: unknown = NO_ERROR;
    if (callerSignal !== undefined && callerSignal.aborted) throw callerSignal.reason;
    try {
      if (guard === null) {
        start = systemClock.now();
        value = runLevel(level, i, self, args, lastError, callerSignal ?? NEVER_ABORTED);
        if (isThenable(value)) {
          waited = true;
          value = await value;
        }
      } else {
        breaker = (guard.registry ?? registry).get(guard.breaker, guard.options);
        if (record !== undefined) start = breaker.options.clock.now();
        const previous = lastError;
        // A refusal comes back as a value, not a rejection: no throw on the fallback path.
        const attempt = breaker.attempt(
          (signal: AbortSignal) => runLevel(level, i, self, args, previous, signal),
          callerSignal,
        );
        if (attempt instanceof Promise) value = await attempt;
        else error = refused = attempt;
      }
    } catch (thrown) {
      error = thrown;
    }
    if (error !== NO_ERROR) {
      // The breaker's own refusal always fails over; anything else is judged.
      const verdict =
        error === refused
          ? REFUSED
          : breaker === null
            ? defaultClassify(error)
            : breaker.verdictOf(error);
      if (breaker === null || record !== undefined) {
        const now = breaker === null ? systemClock.now() : breaker.options.clock.now();
        if (breaker === null)
          usageOf(registry)
            .fallback(level.name)
            .record(false, now - start, now);
        if (record !== undefined) {
          const outcome = failedOutcome(error, breaker === null ? null : breaker.name);
          record.add({ name: level.name, outcome, durationMs: now - start, error });
        }
      }
      // A caller's error is rethrown; so is the caller's own abort: nobody waits for a fallback.
      if (!verdict.failover || (callerSignal !== undefined && callerSignal.aborted)) throw error;
      (causes ??= []).push({ name: level.name, error });
      (failed ??= []).push(breaker);
      lastError = error;
      continue;
    }
    let now: number;
    if (breaker === null) {
      // A fallback that answered synchronously took no time worth a second clock read.
      now = waited ? systemClock.now() : start;
      usageOf(registry)
        .fallback(level.name)
        .record(true, now - start, now);
    } else {
      now = record !== undefined ? breaker.options.clock.now() : breaker.stats.lastSuccessTime;
    }
    if (record !== undefined) {
      record.add({ name: level.name, outcome: 'success', durationMs: now - start });
      record.served(level.name);
    }
    usageOf(guard?.registry ?? registry).served(level.name, now);
    if (failed !== null) {
      for (let j = 0; j < failed.length; j++) failed[j]?.recordFallback(causes![j]!.error);
    }
    return value;
  }
  if (levels.length === 1) throw lastError;
  throw new AllProvidersFailedError(causes ?? []);
}

/** Runs one level with its {@link callContext} set while it starts. */
function runLevel(
  level: ChainLevel,
  attempt: number,
  self: unknown,
  args: readonly unknown[],
  error: unknown,
  signal: AbortSignal,
): unknown {
  const previous = enterContext(signal, error, attempt, level.name);
  try {
    return level.run(self, args, error, signal);
  } finally {
    leaveContext(previous);
  }
}

const REFUSED: Verdict = Object.freeze({ failure: false, failover: true });

/** Marks "no error" where any value, `undefined` included, may be thrown. */
const NO_ERROR: unique symbol = Symbol('no error');

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    value !== null &&
    (typeof value === 'object' || typeof value === 'function') &&
    typeof (value as PromiseLike<unknown>).then === 'function'
  );
}
