/**
 * The async iterator of `value`: its own for an `AsyncIterable`, an adapter for a sync
 * `Iterable` other than a string (an array of chunks in a test, a generator); `undefined` for
 * anything else.
 * @internal
 */
export function toAsyncIterator<C>(value: unknown): AsyncIterator<C> | undefined {
  if ((typeof value !== 'object' && typeof value !== 'function') || value === null) {
    return undefined;
  }
  const asyncIterator = (value as Partial<AsyncIterable<C>>)[Symbol.asyncIterator];
  if (typeof asyncIterator === 'function') return asyncIterator.call(value);
  const iterator = (value as Partial<Iterable<C>>)[Symbol.iterator];
  if (typeof iterator === 'function') return fromSync(iterator.call(value));
  return undefined;
}

function fromSync<C>(iterator: Iterator<C>): AsyncIterator<C> {
  return {
    next(): Promise<IteratorResult<C>> {
      try {
        return Promise.resolve(iterator.next());
      } catch (error) {
        return Promise.reject(error);
      }
    },
    return(): Promise<IteratorResult<C>> {
      try {
        iterator.return?.();
      } catch {
        // Closing early; nothing more to say.
      }
      return Promise.resolve({ done: true, value: undefined });
    },
  };
}

/** Whether `value` can be iterated with `for await`. @internal */
export function isStreamLike(value: unknown): boolean {
  if ((typeof value !== 'object' && typeof value !== 'function') || value === null) return false;
  return (
    typeof (value as Partial<AsyncIterable<unknown>>)[Symbol.asyncIterator] === 'function' ||
    typeof (value as Partial<Iterable<unknown>>)[Symbol.iterator] === 'function'
  );
}

/** Whether `value` has a `then` method. @internal */
export function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    value !== null &&
    (typeof value === 'object' || typeof value === 'function') &&
    typeof (value as PromiseLike<unknown>).then === 'function'
  );
}

/** Swallows a rejection nobody waits for. @internal */
export function ignore(): void {}

/**
 * Where {@link capture} leaves a new promise's settlers: one shared executor, no closure per
 * promise. Read them right after `new Promise(capture)`. @internal
 */
export const captured: { resolve: (value: never) => void; reject: (error: unknown) => void } = {
  resolve: () => undefined,
  reject: () => undefined,
};

/** The executor that leaves its settlers in {@link captured}. @internal */
export function capture(resolve: (value: never) => void, reject: (error: unknown) => void): void {
  captured.resolve = resolve;
  captured.reject = reject;
}
