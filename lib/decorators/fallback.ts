import { show } from '../core/show.js';
import { decorateMethod } from './decorate-method.js';
import type { FallbackByFunctionDecorator, FallbackByNameDecorator } from './decorator-types.js';

/** Options of {@link Fallback}. */
export interface FallbackOptions {
  /**
   * `true` (the default): the fallback gets the method's arguments followed by the error. `false`:
   * the arguments alone; the error is in `callContext()`. Use `false` when the method has an
   * optional, default or rest parameter (the error would take its place when a caller leaves it
   * out): the types refuse the default then.
   */
  readonly append?: boolean | undefined;
}

/**
 * Names what answers when the decorated method cannot: another method of the class (by name) or a
 * function. It gets the method's arguments followed by the error, with `this` the instance; with
 * `{ append: false }`, the arguments alone (read the error from `callContext()`), the form for a
 * method with an optional, default or rest parameter.
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
export function Fallback<K extends string | symbol>(
  method: K,
  options?: FallbackOptions & { readonly append?: true | undefined },
): FallbackByNameDecorator<K>;
export function Fallback<K extends string | symbol>(
  method: K,
  options: FallbackOptions & { readonly append: false },
): FallbackByNameDecorator<K, false>;
export function Fallback<G extends (...args: never[]) => unknown>(
  fn: G,
  options?: FallbackOptions & { readonly append?: true | undefined },
): FallbackByFunctionDecorator<G>;
export function Fallback<G extends (...args: never[]) => unknown>(
  fn: G,
  options: FallbackOptions & { readonly append: false },
): FallbackByFunctionDecorator<G, false>;
export function Fallback(target: unknown, options?: FallbackOptions): unknown {
  const valid =
    typeof target === 'function' ||
    typeof target === 'symbol' ||
    (typeof target === 'string' && target.trim() !== '');
  if (!valid) {
    throw new TypeError(`@Fallback needs a method name or a function, got ${show(target)}`);
  }
  const label = `@Fallback(${typeof target === 'function' ? target.name || 'function' : JSON.stringify(String(target))})`;
  const append = appendOption(label, options);
  return (...args: unknown[]) =>
    decorateMethod(label, args, (meta, method) => {
      if (meta.fallback !== undefined) {
        throw new TypeError(`${label} on "${method}": the method already has a @Fallback`);
      }
      // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
      meta.fallback = target as string | symbol | Function;
      meta.fallbackAppend = append;
    });
}

function appendOption(label: string, options: FallbackOptions | undefined): boolean {
  if (options === undefined) return true;
  if (typeof options !== 'object' || options === null) {
    throw new TypeError(`${label}: options must be an object, got ${show(options)}`);
  }
  for (const key of Object.keys(options)) {
    if (key !== 'append') throw new TypeError(`${label}: unknown option "${key}"; known: append`);
  }
  const append: unknown = options.append;
  if (append !== undefined && typeof append !== 'boolean') {
    throw new TypeError(`${label}: append must be true or false, got ${show(append)}`);
  }
  return append !== false;
}
