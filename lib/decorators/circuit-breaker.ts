import type { BreakerOptions } from '../breaker/options.js';
import { ownOptions } from '../breaker/own-options.js';
import { OPTION_NAMES, validateOptions } from '../breaker/validate-options.js';
import { show } from '../core/show.js';
import type { BreakerRegistry } from '../registry/breaker-registry.js';
import { decorateMethod } from './decorate-method.js';
import type { AsyncMethodDecorator } from './decorator-types.js';

/** Options of {@link CircuitBreaker}: the breaker's options, and the registry to find it in. */
export interface CircuitBreakerOptions extends Omit<BreakerOptions, 'name'> {
  /**
   * The registry the breaker lives in. Default: the registry bound to the instance
   * (`bindRegistry`, `breakwater/tsyringe`), else `defaultRegistry`.
   */
  registry?: BreakerRegistry | undefined;
}

const DECORATOR_OPTIONS: ReadonlySet<string> = new Set([...OPTION_NAMES, 'registry']);

/**
 * Guards an async method with the breaker called `name`: calls run through it, and while it
 * refuses them the method's `@Fallback` answers (or the caller gets its `CircuitOpenError`).
 *
 * The breaker is per provider, not per object: every instance of the class (and every method that
 * names the same breaker) shares it. It is made in the registry on the first call with `options`;
 * bad options throw here, when the class is defined. Works as a standard decorator and under
 * `experimentalDecorators`, in either order with `@Fallback`, and keeps the method's type.
 *
 * @example
 * class Llm {
 *   @CircuitBreaker('openai', { failureThreshold: 3, resetTimeout: 60_000 })
 *   @Fallback('anthropic')
 *   async complete(prompt: string): Promise<string> {
 *     return callOpenAi(prompt);
 *   }
 * }
 */
export function CircuitBreaker(
  name: string,
  options?: CircuitBreakerOptions,
): AsyncMethodDecorator {
  if (typeof name !== 'string' || name.trim() === '') {
    throw new TypeError(
      `@CircuitBreaker needs a breaker name (a non-empty string), got ${show(name)}`,
    );
  }
  const label = `@CircuitBreaker(${JSON.stringify(name)})`;
  if (options !== undefined && (typeof options !== 'object' || options === null)) {
    throw new TypeError(`${label}: options must be an object, got ${show(options)}`);
  }
  // Own keys only, as every constructor reads options: an inherited registry is ignored.
  const own = ownOptions(options, label, DECORATOR_OPTIONS);
  const { registry, ...breakerOptions } = own as CircuitBreakerOptions;
  if (
    registry !== undefined &&
    (typeof registry !== 'object' || registry === null || typeof registry.get !== 'function')
  ) {
    throw new TypeError(`${label}: registry must be a BreakerRegistry, got ${show(registry)}`);
  }
  if ((breakerOptions as BreakerOptions).name !== undefined) {
    throw new TypeError(
      `${label}: options.name is not allowed; the first argument names the breaker`,
    );
  }
  validateOptions({ ...breakerOptions, name }, label);
  const spec = {
    name,
    options: options === undefined ? undefined : Object.freeze(breakerOptions),
    registry,
  };
  return ((...args: unknown[]) =>
    decorateMethod(label, args, (meta, method) => {
      if (meta.breaker !== undefined) {
        throw new TypeError(
          `${label} on "${method}": the method already has @CircuitBreaker(${JSON.stringify(meta.breaker.name)})`,
        );
      }
      meta.breaker = spec;
    })) as AsyncMethodDecorator;
}
