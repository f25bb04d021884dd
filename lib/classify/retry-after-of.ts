import { headersOf } from './error-facts.js';
import { retryDelayOf } from './provider-body.js';
import { retryAfterFromHeaders } from './retry-after.js';

/**
 * How long the provider behind `error` asked callers to wait, in ms: the response headers'
 * `retry-after-ms` or `retry-after` (seconds or an HTTP date, measured from `now`), else Google's
 * `retryDelay` in the error body. `undefined` when it did not say.
 *
 * @example
 * try { await openai.chat.completions.create(body); }
 * catch (error) { const waitMs = retryAfterOf(error); }
 */
export function retryAfterOf(error: unknown, now: number = Date.now()): number | undefined {
  return retryAfterFromHeaders(headersOf(error), now) ?? retryDelayOf(error);
}
