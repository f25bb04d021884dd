/**
 * Renders a value for an error message: strings quoted, functions by name, objects as JSON.
 * It lives on the lowest floor and imports nothing, so every layer (breaker, testing,
 * decorators, the adapters) can name a bad value without reaching up into breaker/.
 */
export function show(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'function') return `function ${value.name || '(anonymous)'}`;
  if (typeof value === 'bigint') return `${value}n`;
  if (typeof value === 'object' && value !== null) {
    try {
      return JSON.stringify(value) ?? String(value);
    } catch {
      return Object.prototype.toString.call(value);
    }
  }
  return String(value);
}
