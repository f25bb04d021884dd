import type { BreakerRegistry } from '../registry/breaker-registry.js';

const bound = new WeakMap<object, BreakerRegistry>();

/**
 * Makes the decorated methods of `instance` find their breakers in `registry` instead of the
 * default one (a `registry` given to the decorator itself still wins). Container integrations
 * (`breakwater/tsyringe`) call it for every instance they make; call it yourself for instances you
 * make by hand. Returns `instance`.
 *
 * @example
 * const llm = bindRegistry(new Llm(), tenantRegistry);
 */
export function bindRegistry<T extends object>(instance: T, registry: BreakerRegistry): T {
  if ((typeof instance !== 'object' && typeof instance !== 'function') || instance === null) {
    throw new TypeError(`bindRegistry needs an object, got ${String(instance)}`);
  }
  if (typeof registry !== 'object' || registry === null || typeof registry.get !== 'function') {
    throw new TypeError(`bindRegistry needs a BreakerRegistry, got ${String(registry)}`);
  }
  bound.set(instance, registry);
  return instance;
}

/** The registry bound to `instance` with {@link bindRegistry}, if any. */
export function boundRegistry(instance: object): BreakerRegistry | undefined {
  return bound.get(instance);
}
