import { isCallTimeoutError } from '../errors/call-timeout-error.js';
import { codesOf, headersOf, statusOf } from './error-facts.js';
import { classifyStatus } from './http-status.js';
import { NETWORK_ERROR_CODES } from './network.js';
import { retryAfterFromHeaders } from './retry-after.js';
import { CALLER_ERROR, FAILURE, type Verdict } from './verdict.js';

/** Error codes or types in a 4xx body that say the model does not exist at this provider. */
const MISSING_MODEL = new Set(['model_not_found', 'not_found_error', 'NOT_FOUND']);

/**
 * The classifier every breaker uses unless given `classify`:
 * - breakwater's own timeouts and network errors (anywhere on the `cause` chain) are failures;
 * - an error with an HTTP status follows {@link classifyStatus}, reading `Retry-After` from its
 *   headers; a 4xx whose code or type says the model does not exist is a failure too;
 * - a `TypeError`, `RangeError`, `ReferenceError` or `SyntaxError` without a network code is a
 *   bug in the calling code: rethrown, not counted, not failed over;
 * - any other error counts as a failure, as in opossum: an error the classifier cannot place is
 *   more likely the provider's than the caller's.
 */
export function defaultClassify(error: unknown): Verdict {
  if (isCallTimeoutError(error)) return FAILURE;
  const status = statusOf(error);
  if (status !== undefined) {
    if (status >= 400 && status < 500 && saysModelMissing(error)) return FAILURE;
    return classifyStatus(status, retryAfterFromHeaders(headersOf(error)));
  }
  if (codesOf(error).some((code) => NETWORK_ERROR_CODES.has(code))) return FAILURE;
  if (isProgrammingError(error)) return CALLER_ERROR;
  return FAILURE;
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

function saysModelMissing(error: unknown): boolean {
  const e = error as {
    code?: unknown;
    type?: unknown;
    error?: { code?: unknown; type?: unknown; status?: unknown; error?: { type?: unknown } };
  };
  const candidates = [e.code, e.type, e.error?.code, e.error?.type, e.error?.status, e.error?.error?.type];
  return candidates.some((c) => typeof c === 'string' && MISSING_MODEL.has(c));
}
