/**
 * Reads the facts a classifier needs from an error of unknown shape, without importing any
 * client library: HTTP status, error codes along the `cause` chain, response headers, and the
 * names of the error's classes.
 */

/** The HTTP status an error carries (`status`, `statusCode`, `response.status`), if any. */
export function statusOf(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const e = error as { status?: unknown; statusCode?: unknown; response?: { status?: unknown } };
  for (const candidate of [e.status, e.statusCode, e.response?.status]) {
    if (typeof candidate === 'number' && Number.isInteger(candidate)) return candidate;
  }
  return undefined;
}

/** The response headers an error carries (`headers`, `response.headers`), if any. */
export function headersOf(error: unknown): unknown {
  if (typeof error !== 'object' || error === null) return undefined;
  const e = error as { headers?: unknown; response?: { headers?: unknown } };
  return e.headers ?? e.response?.headers;
}

/** Every string `code` on the error and along its `cause` chain, outermost first. */
export function codesOf(error: unknown): string[] {
  const codes: string[] = [];
  let current: unknown = error;
  for (let depth = 0; depth < 8 && typeof current === 'object' && current !== null; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') codes.push(code);
    current = (current as { cause?: unknown }).cause;
  }
  return codes;
}

/** The names of the error's class and its ancestors, most derived first. */
export function classNamesOf(error: unknown): string[] {
  const names: string[] = [];
  if (typeof error !== 'object' || error === null) return names;
  let proto: unknown = Object.getPrototypeOf(error);
  while (proto !== null && proto !== Object.prototype && names.length < 16) {
    const ctor = (proto as { constructor?: { name?: unknown } }).constructor;
    if (typeof ctor?.name === 'string' && ctor.name !== '') names.push(ctor.name);
    proto = Object.getPrototypeOf(proto);
  }
  return names;
}
