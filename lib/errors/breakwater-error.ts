/**
 * Base of every error that breakwater itself raises. Each subclass carries a stable `code`
 * (opossum's where one exists) and a brand so that its `isX()` guard works across two installed
 * copies of the package, where `instanceof` would not.
 */
export abstract class BreakwaterError extends Error {
  /** A stable, machine-readable code such as `EOPENBREAKER`. */
  abstract readonly code: string;

  constructor(message: string, options?: { cause?: unknown | undefined }) {
    super(message, options);
  }
}

/** @internal Reads a brand without trusting the value's type. */
export function hasBrand(value: unknown, brand: symbol): boolean {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as Record<symbol, unknown>)[brand] === true
  );
}

/**
 * @internal Gives an error class its brand, name and code on the prototype, and a `message` and
 * `stack` derived on read for "light" instances: instances the engine makes with
 * `Object.create(prototype)` on a refusal path, where capturing a stack would cost more than the
 * call being refused. Instances made with `new` keep their own message and captured stack.
 */
export function defineErrorPrototype<E extends Error>(
  ctor: abstract new (...args: never[]) => E,
  brand: symbol,
  code: string,
  describe: (error: E) => string,
): void {
  const name = ctor.name;
  const own = (property: string) =>
    function (this: object, value: unknown) {
      Object.defineProperty(this, property, { value, writable: true, configurable: true });
    };
  Object.defineProperties(ctor.prototype, {
    [brand]: { value: true },
    name: { value: name, writable: true, configurable: true },
    code: { value: code, writable: true, configurable: true },
    message: {
      get(this: E) {
        return describe(this);
      },
      set: own('message'),
      configurable: true,
    },
    stack: {
      get(this: E) {
        return `${name}: ${this.message}\n    at breakwater (refused; no stack captured)`;
      },
      set: own('stack'),
      configurable: true,
    },
  });
}

/** @internal Makes a light instance of an error class: no constructor run, no stack captured. */
export function lightError<E extends Error>(
  ctor: abstract new (...args: never[]) => E,
  fields: Partial<Record<keyof E, unknown>>,
): E {
  const error = Object.create(ctor.prototype) as Record<string, unknown>;
  for (const key in fields) error[key] = fields[key as keyof E];
  return error as unknown as E;
}
