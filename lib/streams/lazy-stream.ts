import { show } from '../core/show.js';
import { enterContext, leaveContext, type CallContext } from '../failover/call-context.js';
import { noteStreamSyntaxError } from '../classify/sdk-errors.js';
import { toAsyncIterator } from './iterable.js';

const END: IteratorReturnResult<undefined> = Object.freeze({ done: true, value: undefined });

/**
 * An unguarded level's stream, made when first read, with its call context held while it starts
 * and while its first chunk is asked for.
 * @internal
 */
export function lazyStream<C>(
  run: () => unknown,
  label: string,
  context: CallContext,
): AsyncIterator<C> {
  let inner: AsyncIterator<C> | null = null;
  let closed = false;
  return {
    async next(): Promise<IteratorResult<C>> {
      if (inner !== null) return closed ? END : inner.next().catch(malformed);
      let previous = enterContext(context.signal, context.error, context.attempt, context.level);
      let value: unknown;
      try {
        value = run();
      } finally {
        leaveContext(previous);
      }
      value = await value;
      const iterator = toAsyncIterator<C>(value);
      if (iterator === undefined) {
        throw new TypeError(
          `${label} must return an AsyncIterable or a promise of one, got ${show(value)}`,
        );
      }
      inner = iterator;
      if (closed) return END;
      previous = enterContext(context.signal, context.error, context.attempt, context.level);
      try {
        return inner.next().catch(malformed);
      } finally {
        leaveContext(previous);
      }
    },
    return(): Promise<IteratorResult<C>> {
      closed = true;
      const closing = inner?.return?.();
      closing?.then(undefined, () => undefined);
      return Promise.resolve(END);
    },
  };
}

/** Notes a `SyntaxError` raised while reading as a malformed stream, and passes it on. */
function malformed(error: unknown): never {
  noteStreamSyntaxError(error);
  throw error;
}
