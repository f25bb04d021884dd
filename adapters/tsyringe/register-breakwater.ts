import type { DependencyContainer } from 'tsyringe';
import { ownOptions } from '../../lib/breaker/own-options.js';
import { BreakerRegistry } from '../../lib/registry/breaker-registry.js';
import { bindRegistry } from '../../lib/decorators/bound-registry.js';
import { getBreakerMetadata } from '../../lib/decorators/get-breaker-metadata.js';

/** Options of {@link registerBreakwater}. */
export interface RegisterBreakwaterOptions {
  /** The registry for this container. Default: a new {@link BreakerRegistry} of its own. */
  registry?: BreakerRegistry | undefined;
}

/** The part of tsyringe's container class this integration hooks: it makes every instance. */
interface ConstructingContainer {
  construct(ctor: unknown, context: unknown): unknown;
  createChildContainer(): DependencyContainer;
}

const hooked = new WeakSet<object>();
const decoratedClasses = new WeakMap<object, boolean>();

/**
 * Gives a tsyringe container a {@link BreakerRegistry}: it is registered under the token
 * `BreakerRegistry` (inject it with `@inject(BreakerRegistry)` or a constructor parameter of that
 * type), and every instance of a class with `@CircuitBreaker` or `@Fallback` methods that the
 * container (or any child made from it later) constructs finds its breakers there.
 *
 * A child container without a registry of its own uses its parent's; call `registerBreakwater`
 * on the child to give it one. Containers with different registries never share breaker state.
 * A singleton is bound to the registry of the container that first makes it.
 *
 * Returns the registry, to mount admin routes on or to `close()` at shutdown.
 *
 * @example
 * import 'reflect-metadata';
 * import { container } from 'tsyringe';
 * import { registerBreakwater } from 'breakwater/tsyringe';
 *
 * const registry = registerBreakwater(container, { registry: new BreakerRegistry() });
 * const llm = container.resolve(Llm); // Llm's breakers live in `registry`
 */
export function registerBreakwater(
  container: DependencyContainer,
  options: RegisterBreakwaterOptions = {},
): BreakerRegistry {
  if (
    typeof container !== 'object' ||
    container === null ||
    typeof container.register !== 'function'
  ) {
    throw new TypeError(`registerBreakwater needs a tsyringe container, got ${String(container)}`);
  }
  if (typeof options !== 'object' || options === null) {
    throw new TypeError(`registerBreakwater options must be an object, got ${String(options)}`);
  }
  // Own keys only: an inherited `registry` is ignored, never used unchecked.
  const own = ownOptions(options, 'registerBreakwater', new Set(['registry']));
  const registry = (own['registry'] as BreakerRegistry | undefined) ?? new BreakerRegistry();
  if (typeof registry !== 'object' || registry === null || typeof registry.get !== 'function') {
    throw new TypeError(
      `registerBreakwater option registry must be a BreakerRegistry, got ${String(registry)}`,
    );
  }
  hook(container);
  container.register(BreakerRegistry, { useValue: registry });
  return registry;
}

/**
 * Makes `container` bind the instances it constructs to the registry it resolves, and hooks the
 * children it makes likewise. tsyringe has no public hook that sees every constructed instance
 * (interceptors are per token and per container), so this wraps the container's own `construct`.
 */
function hook(container: DependencyContainer): void {
  if (hooked.has(container)) return;
  const target = container as unknown as ConstructingContainer;
  const construct = target.construct;
  const createChild = target.createChildContainer;
  if (typeof construct !== 'function' || typeof createChild !== 'function') {
    throw new TypeError(
      'registerBreakwater needs a tsyringe 4 container (one with construct() and createChildContainer())',
    );
  }
  target.construct = function (
    this: DependencyContainer,
    ctor: unknown,
    context: unknown,
  ): unknown {
    const instance = construct.call(this, ctor, context);
    if (typeof instance === 'object' && instance !== null && isDecorated(instance)) {
      const registry = registryOf(this);
      if (registry !== undefined) bindRegistry(instance, registry);
    }
    return instance;
  };
  target.createChildContainer = function (this: DependencyContainer): DependencyContainer {
    const child = createChild.call(this);
    hook(child);
    return child;
  };
  hooked.add(container);
}

/** The registry `container` resolves (its own or an ancestor's), if any. */
function registryOf(container: DependencyContainer): BreakerRegistry | undefined {
  return container.isRegistered(BreakerRegistry, true)
    ? container.resolve(BreakerRegistry)
    : undefined;
}

/** Whether the instance's class has decorated methods; remembered per class. */
function isDecorated(instance: object): boolean {
  const prototype = Object.getPrototypeOf(instance) as object | null;
  if (prototype === null) return false;
  let decorated = decoratedClasses.get(prototype);
  if (decorated === undefined) {
    decorated = getBreakerMetadata(instance).some((m) => !m.static);
    decoratedClasses.set(prototype, decorated);
  }
  return decorated;
}
