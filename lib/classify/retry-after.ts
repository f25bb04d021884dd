/**
 * Reads how long a provider asked callers to wait, in ms, from response headers: `retry-after-ms`
 * (OpenAI's), then `retry-after` in seconds or as an HTTP date. `headers` may be a WHATWG
 * `Headers` (what the SDKs keep), a Node `IncomingHttpHeaders`-like record, or a `Map`.
 *
 * @example
 * retryAfterFromHeaders(new Headers({ 'retry-after': '2' })); // 2000
 */
export function retryAfterFromHeaders(
  headers: unknown,
  now: number = Date.now(),
): number | undefined {
  const ms = header(headers, 'retry-after-ms');
  if (ms !== undefined && /^\s*\d+(\.\d+)?\s*$/.test(ms)) return Math.ceil(Number(ms));
  const after = header(headers, 'retry-after');
  return after === undefined ? undefined : parseRetryAfter(after, now);
}

/**
 * Parses a `Retry-After` value: delay-seconds (`"2"`, `"1.5"`) or an HTTP date
 * (`"Wed, 21 Oct 2026 07:28:00 GMT"`), measured from `now`. A date in the past gives 0; anything
 * else (negative numbers, words) gives `undefined`.
 */
export function parseRetryAfter(value: string, now: number = Date.now()): number | undefined {
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.ceil(Number(trimmed) * 1000);
  if (!/[a-z]/i.test(trimmed)) return undefined;
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}

/** Parses a protobuf-JSON duration such as Google's `retryDelay: "37s"` or `"1.5s"`, in ms. */
export function parseDuration(value: unknown): number | undefined {
  if (typeof value !== 'string') return undefined;
  const match = /^(\d+(?:\.\d+)?)s$/.exec(value.trim());
  return match ? Math.ceil(Number(match[1]) * 1000) : undefined;
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
