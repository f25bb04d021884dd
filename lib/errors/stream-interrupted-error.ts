import { BreakwaterError, hasBrand } from './breakwater-error.js';

const brand = Symbol.for('breakwater.StreamInterruptedError');

/**
 * A stream failed after some of its content had reached the consumer, and no level of the chain
 * could take over (none had `resume`, or `resume` gave up, or every later level failed too).
 * Before the first content chunk a failure never shows: the chain moves to its next level
 * invisibly. After it, the consumer has seen part of an answer, so the stream ends with this.
 */
export class StreamInterruptedError<T = unknown> extends BreakwaterError {
  declare readonly name: 'StreamInterruptedError';
  declare readonly code: 'ESTREAMCUT';

  /**
   * @param breaker the name of the level whose stream was cut (a breaker's, or an unguarded
   * fallback's function name)
   * @param delivered every chunk the consumer received before the cut, in order
   * @param cause what ended the stream: the provider's error, a `CallTimeoutError`, ...
   */
  constructor(
    readonly breaker: string,
    readonly delivered: readonly T[],
    cause: unknown,
  ) {
    super(
      `Stream from "${breaker}" was interrupted after ${delivered.length} chunk${delivered.length === 1 ? '' : 's'}: ${describe(cause)}`,
      { cause },
    );
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

Object.defineProperties(StreamInterruptedError.prototype, {
  [brand]: { value: true },
  name: { value: 'StreamInterruptedError', writable: true, configurable: true },
  code: { value: 'ESTREAMCUT', writable: true, configurable: true },
});

/** True for a {@link StreamInterruptedError} from any copy of breakwater. */
export function isStreamInterruptedError(value: unknown): value is StreamInterruptedError {
  return hasBrand(value, brand);
}
