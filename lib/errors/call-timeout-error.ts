import { BreakwaterError, hasBrand } from './breakwater-error.js';

const brand = Symbol.for('breakwater.CallTimeoutError');

/** The guarded call did not settle within the breaker's `timeout`; its signal was aborted. */
export class CallTimeoutError extends BreakwaterError {
  declare readonly name: 'CallTimeoutError';
  declare readonly code: 'ETIMEDOUT';

  constructor(
    readonly breaker: string,
    readonly timeoutMs: number,
  ) {
    super(`Call through breaker "${breaker}" timed out after ${timeoutMs} ms`);
  }
}

Object.defineProperties(CallTimeoutError.prototype, {
  [brand]: { value: true },
  name: { value: 'CallTimeoutError', writable: true, configurable: true },
  code: { value: 'ETIMEDOUT', writable: true, configurable: true },
});

/** True for a {@link CallTimeoutError} from any copy of breakwater. */
export function isCallTimeoutError(value: unknown): value is CallTimeoutError {
  return hasBrand(value, brand);
}
