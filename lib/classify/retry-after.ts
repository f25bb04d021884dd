/**
 * The longest wait a provider can impose on a breaker, in ms: one hour. A `Retry-After`,
 * `retry-after-ms` or `retryDelay` above it is read as this (a provider asking for a day is
 * asking for a pause no operator would want enforced blindly; after an hour a trial call asks
 * again). A number too large to be a date, `Infinity` digits, is clamped the same way.
 */
export const MAX_RETRY_AFTER_MS = 3_600_000;

/** `ms` clamped to [0, {@link MAX_RETRY_AFTER_MS}]; `undefined` for anything but a number. */
export function clampRetryAfter(ms: number | undefined): number | undefined {
  if (typeof ms !== 'number' || Number.isNaN(ms)) return undefined;
  return Math.min(Math.max(0, Math.ceil(ms)), MAX_RETRY_AFTER_MS);
}

/**
 * Reads how long a provider asked callers to wait, in ms, from response headers: `retry-after-ms`
 * (OpenAI's), then `retry-after` in seconds or as an HTTP date. `headers` may be a WHATWG
 * `Headers` (what the SDKs keep), a Node `IncomingHttpHeaders`-like record, or a `Map`.
 * The result is at most {@link MAX_RETRY_AFTER_MS}; garbage (negative numbers, words) is ignored.
 *
 * @example
 * retryAfterFromHeaders(new Headers({ 'retry-after': '2' })); // 2000
 */
export function retryAfterFromHeaders(
  headers: unknown,
  now: number = Date.now(),
): number | undefined {
  const ms = header(headers, 'retry-after-ms');
  if (ms !== undefined && /^\s*\d+(\.\d+)?\s*$/.test(ms)) return clampRetryAfter(Number(ms));
  const after = header(headers, 'retry-after');
  return after === undefined ? undefined : parseRetryAfter(after, now);
}

/**
 * Parses a `Retry-After` value: delay-seconds (`"2"`, `"1.5"`) or an HTTP date
 * (`"Wed, 21 Oct 2026 07:28:00 GMT"`), measured from `now`. A date in the past gives 0; anything
 * else (negative numbers, words) gives `undefined`. The result is at most {@link MAX_RETRY_AFTER_MS}.
 */
export function parseRetryAfter(value: string, now: number = Date.now()): number | undefined {
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return clampRetryAfter(Number(trimmed) * 1000);
  if (!/[a-z]/i.test(trimmed)) return undefined;
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return clampRetryAfter(date - now);
}

/**
 * Parses a protobuf-JSON duration such as Google's `retryDelay: "37s"` or `"1.5s"`, in ms, at most
 * {@link MAX_RETRY_AFTER_MS}.
 */
export function parseDuration(value: unknown): number | undefined {
  if (typeof value !== 'string') return undefined;
  const match = /^(\d+(?:\.\d+)?)s$/.exec(value.trim());
  return match ? clampRetryAfter(Number(match[1]) * 1000) : undefined;
}

function header(headers: unknown, name: string): string | undefined {
  if (typeof headers !== 'object' || headers === null) return undefined;
  const getter = (headers as { get?: unknown }).get;
  if (typeof getter === 'function') {
    const value: unknown = getter.call(headers, name);
    if (Array.isArray(value)) return typeof value[0] === 'string' ? value[0] : undefined;
    return typeof value === 'string' || typeof value === 'number' ? String(value) : undefined;
  }
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() !== name) continue;
    if (Array.isArray(value)) return typeof value[0] === 'string' ? value[0] : undefined;
    return typeof value === 'string' || typeof value === 'number' ? String(value) : undefined;
  }
  return undefined;
}
