import { systemClock } from '../breaker/options.js';
import { defaultClassify } from '../classify/default-classifier.js';
import type { Verdict } from '../classify/verdict.js';
import { isCapacityExceededError } from '../errors/capacity-exceeded-error.js';
import { isCircuitOpenError } from '../errors/circuit-open-error.js';
import type { AttemptOutcome } from '../failover/attempt.js';
import type { ChainLevel } from '../failover/chain-level.js';
import type { OutcomeRecord } from '../failover/outcome-record.js';
import type { BreakerRegistry } from '../registry/breaker-registry.js';
import { usageOf } from '../registry/provider-stats.js';
import type { Runner } from './hedge-race.js';

const REFUSED: Verdict = Object.freeze({ failure: false, failover: true });

/**
 * What a level's failure before content means: its own breaker's refusal always fails over;
 * anything else is judged by its breaker (or, unguarded, by the default classifier).
 * @internal
 */
export function verdictBeforeContent(runner: Runner<unknown>, error: unknown): Verdict {
  const breaker = runner.breaker;
  if (breaker === null) return defaultClassify(error);
  const refused =
    (isCircuitOpenError(error) || isCapacityExceededError(error)) && error.breaker === breaker.name;
  return refused ? REFUSED : breaker.verdictOf(error);
}

/**
 * Records how a level of a stream chain ended: in `record` for `withOutcome` (when one is
 * active), and for an unguarded level in the registry's provider statistics. Returns the time it
 * ended, by the level's clock.
 * @internal
 */
export function noteAttempt(
  record: OutcomeRecord | undefined,
  registry: BreakerRegistry,
  level: ChainLevel,
  runner: Runner<unknown>,
  outcome: AttemptOutcome,
  error: unknown,
): number {
  const breaker = runner.breaker;
  const now = breaker === null ? systemClock.now() : breaker.options.clock.now();
  const durationMs = now - runner.start;
  if (breaker === null && outcome !== 'cancelled') {
    usageOf(registry)
      .fallback(level.name)
      .record(outcome === 'success', durationMs, now);
  }
  if (record !== undefined) {
    record.add(
      error === undefined
        ? { name: level.name, outcome, durationMs }
        : { name: level.name, outcome, durationMs, error },
    );
  }
  return now;
}
