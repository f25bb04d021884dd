import { chainFor } from './method-chain.js';
import type { MethodMeta } from './method-meta.js';
import { wrapperOf } from './wrap-method.js';

/** The context a standard (TC39) decorator receives; only the parts used here. */
interface StandardContext {
  readonly kind: string;
  readonly name: string | symbol;
  readonly static?: boolean;
  addInitializer?(initializer: (this: unknown) => void): void;
}

function isStandardContext(value: unknown): value is StandardContext {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { kind?: unknown }).kind === 'string'
  );
}

/**
 * Applies a method decorator in whichever mode the compiler calls it: as a standard decorator
 * `(method, context)` or under `experimentalDecorators` `(prototype, key, descriptor)`. Replaces
 * the method by its wrapper (made once, shared by both decorators) and lets `update` add to its
 * record. Throws at once when the target is not a method.
 * @internal
 */
export function decorateMethod(
  label: string,
  args: readonly unknown[],
  update: (meta: MethodMeta, where: string) => void,
): unknown {
  const [first, second, third] = args;
  if (isStandardContext(second)) {
    if (second.kind !== 'method' || typeof first !== 'function') {
      throw new TypeError(
        `${label} applies to methods; it was applied to the ${second.kind} "${String(second.name)}"`,
      );
    }
    const { wrapper, meta } = wrapperOf(first, second.name);
    update(meta, String(second.name));
    if (
      second.static !== true &&
      !meta.checksAtConstruction &&
      typeof second.addInitializer === 'function'
    ) {
      // Standard decorators can look at the instance as it is made: a fallback that is not a
      // method, or a loop, fails at construction rather than at the first call.
      meta.checksAtConstruction = true;
      second.addInitializer(function (this: unknown) {
        chainFor(meta, this as object);
      });
    }
    return wrapper;
  }
  if (typeof second !== 'string' && typeof second !== 'symbol') {
    const what =
      args.length === 1 && typeof first === 'function'
        ? `the class ${first.name || '(anonymous)'}`
        : 'something that is not a method';
    throw new TypeError(`${label} applies to methods; it was applied to ${what}`);
  }
  const name = String(second);
  if (typeof third === 'number') {
    throw new TypeError(
      `${label} applies to methods; it was applied to parameter ${third} of "${name}"`,
    );
  }
  const descriptor = third as PropertyDescriptor | undefined;
  if (descriptor === undefined || typeof descriptor.value !== 'function') {
    const what =
      descriptor === undefined
        ? 'property'
        : descriptor.get || descriptor.set
          ? 'accessor'
          : 'property';
    throw new TypeError(`${label} applies to methods; it was applied to the ${what} "${name}"`);
  }
  const { wrapper, meta } = wrapperOf(descriptor.value as (...a: unknown[]) => unknown, second);
  update(meta, name);
  return { ...descriptor, value: wrapper };
}
