import { CALLER_ERROR, FAILURE, type Verdict } from './verdict.js';

/**
 * The verdict for an HTTP status a provider answered with. 408, 429, 5xx (529 included), 401,
 * 403 and 404 are the provider's failures (a bad key or an unknown model means this provider
 * cannot serve); other 4xx are the caller's errors; anything below 400 is not an error at all.
 */
export function classifyStatus(status: number, retryAfterMs?: number): Verdict {
  if (status === 429) return { failure: true, failover: true, rateLimited: true, retryAfterMs };
  if (status >= 500 || status === 408 || status === 401 || status === 403 || status === 404) {
    return retryAfterMs === undefined ? FAILURE : { failure: true, failover: true, retryAfterMs };
  }
  return CALLER_ERROR;
}

/** Whether a route's own answer counts as a failure for `protect()`: 5xx, 408 and 429. */
export function isFailureResponse(status: number): boolean {
  return status >= 500 || status === 408 || status === 429;
}
