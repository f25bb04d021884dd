import { Breaker } from '../../lib/breaker/breaker.js';
import { given } from '../../lib/breaker/given.js';
import type { BreakerOptions } from '../../lib/breaker/options.js';
import { ownOptions } from '../../lib/breaker/own-options.js';
import { OPTION_NAMES, validateOptions } from '../../lib/breaker/validate-options.js';
import { show } from '../../lib/core/show.js';
import { BreakerRegistry } from '../../lib/registry/breaker-registry.js';
import { defaultRegistry } from '../../lib/registry/default-registry.js';

/**
 * Options of `protect()`: the breaker's own options (used when the breaker is made by name),
 * plus where to find it and how to answer when it refuses.
 */
export interface ProtectOptions<OnReject> extends BreakerOptions {
  /** The registry to get the breaker from. Default: `defaultRegistry`. */
  registry?: BreakerRegistry | undefined;
  /**
   * Answers a refused request instead of the default 503 (with `Retry-After` and a JSON body).
   * Gets the refusal (`CircuitOpenError` or `CapacityExceededError`) and the request.
   */
  onReject?: OnReject | undefined;
}

const PROTECT_OPTIONS: ReadonlySet<string> = new Set([...OPTION_NAMES, 'registry', 'onReject']);

/** The breaker a `protect()` guards, and its override of the refusal answer. */
export interface Protection<OnReject> {
  readonly breaker: Breaker;
  readonly onReject: OnReject | undefined;
}

/**
 * Checks `protect()`'s arguments when the middleware is made (bad input throws at once, naming
 * the option and the value) and gets the breaker from the registry, so it is listed by the
 * admin router before the first request.
 */
export function resolveProtection<OnReject>(
  nameOrBreaker: unknown,
  options: unknown,
  where: string,
): Protection<OnReject> {
  // Own keys only, read once: an inherited `registry` or `timeout` is ignored, never used unchecked.
  const own = ownOptions(options, where, PROTECT_OPTIONS);
  const { registry, onReject, ...breakerOptions } = own as ProtectOptions<OnReject>;
  if (onReject !== undefined && typeof onReject !== 'function') {
    throw new TypeError(`${where}: onReject must be a function, got ${show(onReject)}`);
  }
  if (isBreaker(nameOrBreaker)) {
    const named = Object.keys({ ...given({ registry }), ...given(breakerOptions) });
    if (named.length > 0) {
      throw new TypeError(
        `${where}: options ${named.join(', ')} apply to a breaker made by name; this Breaker already exists (only onReject may be given)`,
      );
    }
    return { breaker: nameOrBreaker, onReject };
  }
  if (typeof nameOrBreaker !== 'string' || nameOrBreaker.trim() === '') {
    throw new TypeError(
      `${where}: the first argument must be a breaker name or a Breaker, got ${show(nameOrBreaker)}`,
    );
  }
  if (registry !== undefined && !(registry instanceof BreakerRegistry)) {
    throw new TypeError(`${where}: registry must be a BreakerRegistry, got ${show(registry)}`);
  }
  if (breakerOptions.name !== undefined) {
    throw new TypeError(
      `${where}: the breaker's name is the first argument, not the "name" option`,
    );
  }
  validateOptions(breakerOptions, where);
  const breaker = (registry ?? defaultRegistry).get(nameOrBreaker, breakerOptions);
  return { breaker, onReject };
}

function isBreaker(value: unknown): value is Breaker {
  if (value instanceof Breaker) return true;
  const b = value as Breaker | null;
  return (
    typeof b === 'object' &&
    b !== null &&
    typeof b.execute === 'function' &&
    typeof b.verdictOf === 'function' &&
    typeof b.snapshot === 'function'
  );
}
