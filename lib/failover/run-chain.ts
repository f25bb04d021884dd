import type { Breaker } from '../breaker/breaker.js';
import { systemClock } from '../breaker/options.js';
import { defaultClassify } from '../classify/default-classifier.js';
import {
  AllProvidersFailedError,
  type ProviderFailure,
} from '../errors/all-providers-failed-error.js';
import type { BreakerRegistry } from '../registry/breaker-registry.js';
import { usageOf } from '../registry/provider-stats.js';
import { failedOutcome } from './attempt.js';
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
  let causes: ProviderFailure[] | null = null;
  let failed: (Breaker | null)[] | null = null;
  let lastError: unknown = undefined;
  for (let i = 0; i < levels.length; i++) {
    const level = levels[i]!;
    const guard = level.guard;
    const home = guard?.registry ?? registry;
    const breaker = guard === null ? null : home.get(guard.breaker, guard.options);
    const clock = breaker === null ? systemClock : breaker.options.clock;
    const start = record !== undefined || breaker === null ? clock.now() : 0;
    let value: unknown;
    try {
      if (breaker === null) {
        value = await level.run(self, args, lastError, undefined);
      } else {
        const previous = lastError;
        value = await breaker.execute(
          level.wantsSignal(args)
            ? (signal: AbortSignal) => level.run(self, args, previous, signal)
            : () => level.run(self, args, previous, undefined),
        );
      }
    } catch (error) {
      const verdict = breaker === null ? defaultClassify(error) : breaker.verdictOf(error);
      const now = record !== undefined || breaker === null ? clock.now() : 0;
      if (breaker === null)
        usageOf(registry)
          .fallback(level.name)
          .record(false, now - start, now);
      if (record !== undefined) {
        const outcome = failedOutcome(error, breaker === null ? null : breaker.name);
        record.add({ name: level.name, outcome, durationMs: now - start, error });
      }
      if (!verdict.failover) throw error;
      (causes ??= []).push({ name: level.name, error });
      (failed ??= []).push(breaker);
      lastError = error;
      continue;
    }
    const now = clock.now();
    if (breaker === null)
      usageOf(registry)
        .fallback(level.name)
        .record(true, now - start, now);
    if (record !== undefined) {
      record.add({ name: level.name, outcome: 'success', durationMs: now - start });
      record.served(level.name);
    }
    usageOf(home).served(level.name, now);
    if (failed !== null) {
      for (let j = 0; j < failed.length; j++) failed[j]?.recordFallback(causes![j]!.error);
    }
    return value;
  }
  if (levels.length === 1) throw lastError;
  throw new AllProvidersFailedError(causes ?? []);
}
