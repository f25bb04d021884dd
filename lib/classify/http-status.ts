import { CALLER_ERROR, FAILURE, type Verdict } from './verdict.js';

/**
 * The verdict for an HTTP status a provider answered with:
 * - 429 is a rate limit (`rateLimited`, with the provider's `retryAfterMs`);
 * - 408, 5xx (529 included), 401, 402, 403 and 404 are the provider's failures: a bad key, a
 *   spent balance or an unknown model mean this provider cannot serve, another might;
 * - other 4xx (400, 409, 413, 422, ...) are the caller's errors;
 * - anything below 400 is not an error at all.
 *
 * @example
 * classifyStatus(503); // { failure: true, failover: true }
 * classifyStatus(429, 2000); // { failure: true, failover: true, rateLimited: true, retryAfterMs: 2000 }
 */
export function classifyStatus(status: number, retryAfterMs?: number): Verdict {
  if (status === 429) {
    return retryAfterMs === undefined
      ? RATE_LIMITED
      : { failure: true, failover: true, rateLimited: true, retryAfterMs };
  }
  if (status >= 500 || PROVIDER_4XX.has(status)) {
    return retryAfterMs === undefined ? FAILURE : { failure: true, failover: true, retryAfterMs };
  }
  return CALLER_ERROR;
}

/** 4xx statuses that say this provider cannot serve the call, though another might. */
const PROVIDER_4XX: ReadonlySet<number> = new Set([401, 402, 403, 404, 408]);

/** A rate limit without a stated wait. */
const RATE_LIMITED: Verdict = Object.freeze({ failure: true, failover: true, rateLimited: true });

/** Whether a route's own answer counts as a failure for `protect()`: 5xx, 408 and 429. */
export function isFailureResponse(status: number): boolean {
  return status >= 500 || status === 408 || status === 429;
}
