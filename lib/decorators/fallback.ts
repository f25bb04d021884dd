import { show } from '../breaker/validate-options.js';
import { decorateMethod } from './decorate-method.js';
import type { FallbackByFunctionDecorator, FallbackByNameDecorator } from './decorator-types.js';

/**
 * Names what answers when the decorated method cannot: another method of the class (by name) or a
 * function. It gets the method's arguments followed by the error, with `this` the instance.
 *
 * The fallback runs when the method's breaker refuses the call (open, half-open and busy, at
 * capacity) or the call fails in a way its classifier says may fail over; a caller's error (a 400)
 * is rethrown instead. A fallback method with its own `@CircuitBreaker` and `@Fallback` continues
 * the chain, to any depth; when every level fails, the caller gets `AllProvidersFailedError`.
 *
 * A name that is not a method of the class, or a loop (`a -> b -> a`), fails when the first
 * instance is made (standard decorators) or at the first call (`experimentalDecorators`). A
 * fallback whose arguments or result do not fit the method does not compile.
 *
 * @example
 * class Llm {
 *   @CircuitBreaker('anthropic')
 *   @Fallback('degraded')
 *   async anthropic(prompt: string): Promise<string> {
 *     return callAnthropic(prompt);
 *   }
 *
 *   async degraded(prompt: string, error: unknown): Promise<string> {
 *     return 'Service temporarily unavailable';
 *   }
 * }
 */
export function Fallback<K extends string | symbol>(method: K): FallbackByNameDecorator<K>;
export function Fallback<G extends (...args: never[]) => unknown>(
  fn: G,
): FallbackByFunctionDecorator<G>;
export function Fallback(target: unknown): unknown {
  const valid =
    typeof target === 'function' ||
    typeof target === 'symbol' ||
    (typeof target === 'string' && target.trim() !== '');
  if (!valid) {
    throw new TypeError(`@Fallback needs a method name or a function, got ${show(target)}`);
  }
  const label = `@Fallback(${typeof target === 'function' ? target.name || 'function' : JSON.stringify(String(target))})`;
  return (...args: unknown[]) =>
    decorateMethod(label, args, (meta, method) => {
      if (meta.fallback !== undefined) {
        throw new TypeError(`${label} on "${method}": the method already has a @Fallback`);
      }
      // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
      meta.fallback = target as string | symbol | Function;
    });
}
