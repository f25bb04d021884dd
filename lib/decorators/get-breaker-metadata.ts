import { show } from '../core/show.js';
import { metaOf, type BreakerSpec, type FallbackSpec } from './method-meta.js';

/** One decorated method, as {@link getBreakerMetadata} lists it. */
export interface DecoratedMethod {
  /** The method's name. */
  readonly method: string | symbol;
  /** Whether it is a static method. */
  readonly static: boolean;
  /** Its `@CircuitBreaker`: breaker name, options and registry; `undefined` without one. */
  readonly breaker: BreakerSpec | undefined;
  /** Its `@Fallback`: a method name or a function; `undefined` without one. */
  readonly fallback: FallbackSpec | undefined;
}

/**
 * The methods of a class (or of an instance's class, base classes included) that carry
 * `@CircuitBreaker` or `@Fallback`, with their breaker names, options and fallbacks: instance
 * methods in declaration order, subclass first, then static ones. Needs no reflect-metadata.
 *
 * @example
 * getBreakerMetadata(Llm);
 * // [{ method: 'complete', static: false, breaker: { name: 'openai', ... }, fallback: 'anthropic' }, ...]
 */
export function getBreakerMetadata(classOrInstance: object): DecoratedMethod[] {
  if (
    (typeof classOrInstance !== 'object' && typeof classOrInstance !== 'function') ||
    classOrInstance === null
  ) {
    throw new TypeError(
      `getBreakerMetadata needs a class or an instance, got ${show(classOrInstance)}`,
    );
  }
  const isClass = typeof classOrInstance === 'function';
  const prototype: object | null = isClass
    ? ((classOrInstance as { prototype?: object }).prototype ?? null)
    : Object.getPrototypeOf(classOrInstance);
  const ctor: unknown = isClass
    ? classOrInstance
    : (classOrInstance as { constructor?: unknown }).constructor;
  const found: DecoratedMethod[] = [];
  collect(prototype, Object.prototype, false, found);
  if (typeof ctor === 'function') collect(ctor, Function.prototype, true, found);
  return found;
}

function collect(
  from: object | null,
  stop: object,
  isStatic: boolean,
  found: DecoratedMethod[],
): void {
  const seen = new Set<string | symbol>();
  for (
    let object = from;
    object !== null && object !== stop;
    object = Object.getPrototypeOf(object)
  ) {
    for (const key of Reflect.ownKeys(object)) {
      if (seen.has(key)) continue;
      seen.add(key);
      const descriptor = Object.getOwnPropertyDescriptor(object, key);
      const meta = metaOf(descriptor?.value);
      if (meta === undefined) continue;
      found.push({ method: key, static: isStatic, breaker: meta.breaker, fallback: meta.fallback });
    }
  }
}
