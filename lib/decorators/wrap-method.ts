import { runChain } from '../failover/run-chain.js';
import { defaultRegistry } from '../registry/default-registry.js';
import { boundRegistry } from './bound-registry.js';
import { chainFor } from './method-chain.js';
import { MethodMeta, metaOf, setMeta } from './method-meta.js';
import { isAsyncGeneratorFunction, streamDecorated } from './stream-method.js';

/**
 * The wrapper that replaces `method` (named `key`), made by the first decorator to reach it;
 * later decorators find the same wrapper and add to its record. The wrapper keeps the method's
 * `name` and `length`, and runs each call down the method's chain with `this` intact; an
 * `async *` method's calls run as a stream chain (see stream-method.ts).
 * @internal
 */
export function wrapperOf(
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  method: Function,
  key: string | symbol,
): { wrapper: (...args: unknown[]) => Promise<unknown>; meta: MethodMeta } {
  const existing = metaOf(method);
  if (existing !== undefined) {
    return { wrapper: method as (...args: unknown[]) => Promise<unknown>, meta: existing };
  }
  const meta = new MethodMeta(method, key);
  const wrapper = isAsyncGeneratorFunction(method)
    ? (function (this: unknown, ...args: unknown[]) {
        return streamDecorated(meta, this, args);
      } as unknown as (...args: unknown[]) => Promise<unknown>)
    : function (this: unknown, ...args: unknown[]): Promise<unknown> {
        return callDecorated(meta, this, args);
      };
  Object.defineProperty(wrapper, 'name', { value: method.name, configurable: true });
  Object.defineProperty(wrapper, 'length', { value: method.length, configurable: true });
  setMeta(wrapper, meta);
  return { wrapper, meta };
}

/** Runs one call of a decorated method on `self`. */
function callDecorated(meta: MethodMeta, self: unknown, args: unknown[]): Promise<unknown> {
  if ((typeof self !== 'object' && typeof self !== 'function') || self === null) {
    return Promise.reject(
      new TypeError(
        `decorated method "${String(meta.method)}" was called on ${String(self)}; ` +
          'call it on its object (or bind it) so that `this` is set',
      ),
    );
  }
  let chain;
  try {
    chain = chainFor(meta, self);
  } catch (error) {
    return Promise.reject(error);
  }
  return runChain(chain, boundRegistry(self) ?? defaultRegistry, self, args);
}
