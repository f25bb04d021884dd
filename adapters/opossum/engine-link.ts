import { Breaker } from '../../lib/breaker/breaker.js';
import { systemClock, type BreakerOptions } from '../../lib/breaker/options.js';
import type { CircuitState, CircuitStateName } from '../../lib/core/circuit-state.js';
import { CALLER_ERROR, FAILURE, type Classifier } from '../../lib/classify/verdict.js';
import type { ResolvedOptions } from './options.js';

/**
 * How the opossum facade sits on breakwater's engine. The engine's {@link Breaker} admits, times
 * out, counts and shares state (registry, dashboard, metrics, a fleet's store); the facade keeps
 * opossum's rules for when to open. So the engine's own trip policies are switched off (no
 * consecutive threshold, no rate policy, no backoff, whatever a registry's defaults say), one
 * trial at a time is admitted when half-open and one success closes, as in opossum.
 *
 * A registry's `defaults` fill only what is not given, so every option that could change those
 * rules is given: the engine's rate policies, should the defaults add one, wait for a volume of
 * calls no window reaches; backoff is capped at `resetTimeout`; no `errorFilter` of the defaults.
 *
 * The facade moves the engine's state itself (opossum's `open()` and its error-rate rule) through
 * the engine's `circuit` (`trip` and `moveTo`): the one part of the engine it uses beyond the
 * public `Breaker` surface, because breakwater's `Breaker` has no "open for `resetTimeout`" of its
 * own (`isolate()` holds open until reset).
 */
export function engineOptions(
  name: string,
  group: string,
  o: ResolvedOptions<unknown[]>,
  classify: Classifier,
): BreakerOptions {
  return {
    name,
    group,
    timeout: o.timeout === false || o.timeout <= 0 ? false : o.timeout,
    resetTimeout: o.resetTimeout,
    failureThreshold: false,
    volumeThreshold: Number.MAX_SAFE_INTEGER,
    maxResetTimeout: o.resetTimeout,
    halfOpenMaxCalls: 1,
    successThreshold: 1,
    capacity: o.capacity,
    rollingCountTimeout: o.rollingCountTimeout,
    rollingCountBuckets: o.rollingCountBuckets,
    enabled: o.enabled !== false,
    errorFilter: neverExcused,
    clock: systemClock,
    classify,
  };
}

const neverExcused = (): boolean => false;

/** The engine's verdict for a facade: a filtered error is the caller's, anything else a failure. */
export function verdictBy(filtered: (error: unknown) => boolean): Classifier {
  return (error) => (filtered(error) ? CALLER_ERROR : FAILURE);
}

/** The engine breaker of a facade: its own, or one made in (and owned by) `registry`. */
export function makeEngine(
  options: BreakerOptions & { name: string },
  registry: ResolvedOptions<unknown[]>['registry'],
): Breaker {
  if (registry === undefined) return new Breaker(options);
  if (registry.has(options.name)) {
    throw new RangeError(
      `CircuitBreaker: registry already has a breaker named "${options.name}"; give this one another name`,
    );
  }
  return registry.get(options.name, options);
}

/** Open from `now` for `resetTimeout` ms, as opossum's `open()`. */
export function openFor(now: number, resetTimeout: number): CircuitState {
  return { kind: 'open', since: now, until: now + resetTimeout, reason: 'manual', reopenCount: 0 };
}

/** Half-open from `now`, no trial taken yet (opossum's `pendingClose`). */
export function halfOpenAt(now: number): CircuitState {
  return { kind: 'half_open', since: now, reopenCount: 0, trials: 0, successes: 0 };
}

/** A state to return to on `enable()`, rebuilt from the one the engine left when disabled. */
export function resumeFrom(
  kind: CircuitStateName,
  now: number,
  lastOpenAt: number,
  resetTimeout: number,
): CircuitState {
  switch (kind) {
    case 'open':
      return openFor(lastOpenAt, resetTimeout);
    case 'half_open':
      return halfOpenAt(now);
    case 'isolated':
      return { kind: 'isolated', since: now };
    case 'closed':
    case 'disabled':
      return { kind: 'closed', since: now };
  }
}
