import { BreakwaterError, defineErrorPrototype, hasBrand, lightError } from './breakwater-error.js';

const brand = Symbol.for('breakwater.CapacityExceededError');

/**
 * The breaker already has `capacity` calls in flight. Not counted as the provider's failure.
 * Like {@link CircuitOpenError}, the engine's instances carry no captured stack.
 */
export class CapacityExceededError extends BreakwaterError {
  declare readonly name: 'CapacityExceededError';
  declare readonly code: 'ESEMLOCKED';

  constructor(
    readonly breaker: string,
    readonly capacity: number,
  ) {
    super(describe({ breaker, capacity }));
  }

  /** @internal A refusal without a captured stack, for the engine's refusal path. */
  static refusal(breaker: string, capacity: number): CapacityExceededError {
    return lightError(CapacityExceededError, { breaker, capacity });
  }
}

function describe(e: Pick<CapacityExceededError, 'breaker' | 'capacity'>): string {
  return `Breaker "${e.breaker}" is at capacity (${e.capacity} calls in flight)`;
}

defineErrorPrototype(CapacityExceededError, brand, 'ESEMLOCKED', describe);

/** True for a {@link CapacityExceededError} from any copy of breakwater. */
export function isCapacityExceededError(value: unknown): value is CapacityExceededError {
  return hasBrand(value, brand);
}
