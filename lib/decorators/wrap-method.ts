import { runChain } from '../failover/run-chain.js';
import { defaultRegistry } from '../registry/default-registry.js';
import { boundRegistry } from './bound-registry.js';
import { callChain, ChainFailure } from './method-chain.js';
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
  const chain = callChain(meta, self);
  if (chain instanceof ChainFailure) return Promise.reject(chain.error);
  return runChain(chain, boundRegistry(self as object) ?? defaultRegistry, self, args);
}
