import { BreakwaterError, hasBrand } from './breakwater-error.js';

const brand = Symbol.for('breakwater.CapacityExceededError');

/** The breaker already has `capacity` calls in flight. Not counted as the provider's failure. */
export class CapacityExceededError extends BreakwaterError {
  readonly [brand] = true;
  override readonly name = 'CapacityExceededError';
  readonly code = 'ESEMLOCKED';

  constructor(
    readonly breaker: string,
    readonly capacity: number,
  ) {
    super(`Breaker "${breaker}" is at capacity (${capacity} calls in flight)`);
  }
}

/** True for a {@link CapacityExceededError} from any copy of breakwater. */
export function isCapacityExceededError(value: unknown): value is CapacityExceededError {
  return hasBrand(value, brand);
}
