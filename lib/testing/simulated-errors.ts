/**
 * Errors shaped like the ones real provider clients throw, for unit tests that do not run a
 * server: what {@link chaos} throws, and what the default classifier judges the same way as the
 * real thing.
 */

/** Options of {@link providerError}. */
export interface ProviderErrorOptions {
  /** A `retry-after` header: seconds, or an HTTP date. */
  retryAfter?: number | string | undefined;
  /** The body's error `type`, e.g. `overloaded_error`. */
  type?: string | undefined;
  /** The body's error `code`, e.g. `model_not_found`. */
  code?: string | undefined;
  /** The message. Default `"<status> provider error"`. */
  message?: string | undefined;
}

/** An error like an SDK's status error: `status`, `headers` (a `Headers`), `error` (the body). */
export interface SimulatedProviderError extends Error {
  readonly status: number;
  readonly headers: Headers;
  readonly error: { message: string; type?: string | undefined; code?: string | undefined };
  readonly type: string | undefined;
  readonly code: string | undefined;
}

/**
 * An error as a provider SDK throws for an HTTP error answer.
 *
 * @example
 * providerError(429, { retryAfter: 2 }); // classified as a rate limit, retryAfterMs 2000
 * providerError(404, { code: 'model_not_found' });
 */
export function providerError(
  status: number,
  options: ProviderErrorOptions = {},
): SimulatedProviderError {
  if (!Number.isInteger(status) || status < 400 || status > 599) {
    throw new RangeError(`status must be an HTTP error status 400–599, got ${String(status)}`);
  }
  const message = options.message ?? `${status} provider error`;
  const headers = new Headers();
  if (options.retryAfter !== undefined) headers.set('retry-after', String(options.retryAfter));
  const body = {
    message,
    ...(options.type && { type: options.type }),
    ...(options.code && { code: options.code }),
  };
  return Object.assign(new Error(message), {
    status,
    headers,
    error: body,
    type: options.type,
    code: options.code,
  });
}

/**
 * An error as `fetch` (undici) throws when a connection fails: `TypeError('fetch failed')` whose
 * cause carries the code (`ECONNRESET`, `ECONNREFUSED`, `ETIMEDOUT`, ...).
 */
export function connectionError(code = 'ECONNRESET'): TypeError {
  const cause = Object.assign(new Error(`connect ${code}`), { code });
  return new TypeError('fetch failed', { cause });
}

/**
 * An error as `fetch` (undici) throws when a streamed body is cut off mid-way:
 * `TypeError('terminated')` whose cause has code `UND_ERR_SOCKET`.
 */
export function streamCutError(): TypeError {
  const cause = Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' });
  return new TypeError('terminated', { cause });
}
