import { BreakwaterError, hasBrand } from './breakwater-error.js';

const brand = Symbol.for('breakwater.CircuitOpenError');

/**
 * Raised instead of calling the provider when a breaker refuses a call: it is open, held open
 * by an operator (`isolated`), or half-open with every trial permit taken.
 */
export class CircuitOpenError extends BreakwaterError {
  readonly [brand] = true;
  override readonly name = 'CircuitOpenError';
  readonly code = 'EOPENBREAKER';

  /**
   * @param breaker the refusing breaker's name
   * @param retryAfterMs how long until the breaker admits a trial call; `undefined` when no time
   * is known (held open by an operator)
   * @param state the breaker's state when it refused
   */
  constructor(
    readonly breaker: string,
    readonly retryAfterMs: number | undefined,
    readonly state: 'open' | 'half_open' | 'isolated' = 'open',
  ) {
    super(
      retryAfterMs === undefined
        ? `Breaker "${breaker}" is ${state}`
        : `Breaker "${breaker}" is ${state}; retry after ${retryAfterMs} ms`,
    );
  }
}

/** True for a {@link CircuitOpenError} from any copy of breakwater. */
export function isCircuitOpenError(value: unknown): value is CircuitOpenError {
  return hasBrand(value, brand);
}
