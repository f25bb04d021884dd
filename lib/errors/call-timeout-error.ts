import { BreakwaterError, hasBrand } from './breakwater-error.js';

const brand = Symbol.for('breakwater.CallTimeoutError');

/** The guarded call did not settle within the breaker's `timeout`; its signal was aborted. */
export class CallTimeoutError extends BreakwaterError {
  readonly [brand] = true;
  override readonly name = 'CallTimeoutError';
  readonly code = 'ETIMEDOUT';

  constructor(
    readonly breaker: string,
    readonly timeoutMs: number,
  ) {
    super(`Call through breaker "${breaker}" timed out after ${timeoutMs} ms`);
  }
}

/** True for a {@link CallTimeoutError} from any copy of breakwater. */
export function isCallTimeoutError(value: unknown): value is CallTimeoutError {
  return hasBrand(value, brand);
}
