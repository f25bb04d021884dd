/**
 * Base of every error that breakwater itself raises. Each subclass carries a stable `code`
 * (opossum's where one exists) and a brand so that its `isX()` guard works across two installed
 * copies of the package, where `instanceof` would not.
 */
export abstract class BreakwaterError extends Error {
  /** A stable, machine-readable code such as `EOPENBREAKER`. */
  abstract readonly code: string;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** @internal Reads a brand without trusting the value's type. */
export function hasBrand(value: unknown, brand: symbol): boolean {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[brand] === true;
}
