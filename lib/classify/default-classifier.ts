import { isCallTimeoutError } from '../errors/call-timeout-error.js';
import { isCapacityExceededError } from '../errors/capacity-exceeded-error.js';
import { isCircuitOpenError } from '../errors/circuit-open-error.js';
import { statusOf } from './error-facts.js';
import { classifyStatus } from './http-status.js';
import { hasNetworkCode } from './network.js';
import { statusOfErrorTypes } from './error-types.js';
import {
  bodyCodesOf,
  MISSING_MODEL_CODES,
  QUOTA_EXHAUSTED_CODES,
  RATE_LIMIT_CODES,
  saysAny,
} from './provider-body.js';
import { retryAfterOf } from './retry-after-of.js';
import { isFetchTermination, isMalformedStream, sdkErrorKind } from './sdk-errors.js';
import { CALLER_ERROR, FAILURE, type Verdict } from './verdict.js';

/**
 * The classifier every breaker uses unless given `classify`. It knows what the official
 * `openai`, `@anthropic-ai/sdk` and `@google/genai` clients throw, without importing them:
 *
 * | error | verdict |
 * |---|---|
 * | breakwater's `CallTimeoutError`; an SDK's `APIConnectionTimeoutError`; a `TimeoutError` | failure |
 * | an SDK's `APIConnectionError` (refused, reset); a network code anywhere on the `cause` chain; a stream cut (`TypeError('terminated')`) | failure |
 * | an in-band stream error event (an SDK `APIError` without a status) | as the status its type stands for (`overloaded_error` 529, `invalid_request_error` 400, ...); else failure |
 * | HTTP 429 (`RateLimitError`, Google `RESOURCE_EXHAUSTED`) | rate limit, `retryAfterMs` from `retry-after-ms`, `retry-after` or `retryDelay` |
 * | HTTP 429 saying the quota is used up (`insufficient_quota`) | failure |
 * | HTTP 5xx, 529, 408, 401, 402, 403, 404; any 4xx whose code or type says the model does not exist | failure |
 * | other HTTP 4xx (400, 409, 413, 422, ...) | the caller's error |
 * | the caller's abort (`AbortError`, `APIUserAbortError`) | the caller's: not counted, no failover |
 * | openai's `LengthFinishReasonError`, `ContentFilterFinishReasonError` | the caller's |
 * | another breaker's refusal (`CircuitOpenError`, `CapacityExceededError`) thrown from inside a guarded call | failure: what this provider needs is down (a breaker's own refusals are never judged: they never reach the provider) |
 * | `TypeError`, `RangeError`, `ReferenceError`, `SyntaxError` with nothing above | the caller's (a bug in the calling code) |
 * | anything else | failure, as in opossum |
 *
 * "Failure" means counted against the provider and free to fail over. `now` (default `Date.now()`)
 * is only used to read a `retry-after` given as an HTTP date.
 *
 * @example
 * new Breaker({ name: 'openai', classify: (e) => (isMyQuotaError(e) ? CALLER_ERROR : undefined) });
 * // returning undefined defers to defaultClassify
 */
export function defaultClassify(error: unknown, now?: number): Verdict {
  if (typeof error !== 'object' || error === null) return FAILURE;
  if (isCallTimeoutError(error)) return FAILURE;
  if (isCircuitOpenError(error) || isCapacityExceededError(error)) return FAILURE;
  switch (sdkErrorKind(error)) {
    case 'timeout':
    case 'connection':
      return FAILURE;
    case 'aborted':
    case 'finish_reason':
      return CALLER_ERROR;
    case 'stream_error': {
      // No status of its own: its type says which one it would have had before the stream began.
      const status = statusOfErrorTypes(bodyCodesOf(error));
      if (status !== undefined) return classifyHttpError(error, status, now);
      return saysAny(error, RATE_LIMIT_CODES) ? IN_BAND_RATE_LIMIT : FAILURE;
    }
    case 'status':
    case undefined:
      break;
  }
  const status = statusOf(error);
  if (status !== undefined) return classifyHttpError(error, status, now);
  if (hasNetworkCode(error) || isFetchTermination(error) || isMalformedStream(error))
    return FAILURE;
  const name = (error as { name?: unknown }).name;
  if (name === 'TimeoutError') return FAILURE; // AbortSignal.timeout()
  if (name === 'AbortError') return CALLER_ERROR; // the caller gave up
  if (isProgrammingError(error)) return CALLER_ERROR;
  return FAILURE;
}

/** The verdict for an error that carries the provider's HTTP status. */
function classifyHttpError(error: unknown, status: number, now: number | undefined): Verdict {
  if (!classifyStatus(status).failure) {
    // The caller's 4xx, unless its body says the model does not exist at this provider.
    return status >= 400 && saysAny(error, MISSING_MODEL_CODES) ? FAILURE : CALLER_ERROR;
  }
  const retryAfterMs = retryAfterOf(error, now ?? Date.now());
  // A used-up quota will not come back after a pause: an outage for this caller, not a rate limit.
  if (status === 429 && saysAny(error, QUOTA_EXHAUSTED_CODES))
    return classifyStatus(402, retryAfterMs);
  return classifyStatus(status, retryAfterMs);
}

/**
 * A `TypeError`, `RangeError`, `ReferenceError` or `SyntaxError` with no network code behind it is
 * a bug in the calling code, not a provider outage: failing over would hide it.
 */
function isProgrammingError(error: unknown): boolean {
  return (
    error instanceof TypeError ||
    error instanceof RangeError ||
    error instanceof ReferenceError ||
    error instanceof SyntaxError
  );
}

/** A rate limit reported inside a stream: no headers to read a wait from. */
const IN_BAND_RATE_LIMIT: Verdict = Object.freeze({
  failure: true,
  failover: true,
  rateLimited: true,
});
