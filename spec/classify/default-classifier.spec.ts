import * as anthropic from '@anthropic-ai/sdk';
import { ApiError as GoogleApiError } from '@google/genai';
import { expect } from 'chai';
import * as openai from 'openai/core/error';
import {
  CALLER_ERROR,
  CallTimeoutError,
  CapacityExceededError,
  CircuitOpenError,
  FAILURE,
  defaultClassify,
  type Verdict,
} from '../../lib/index.js';
import { connectionError, providerError, streamCutError } from '../../lib/testing/index.js';

const NOW = Date.parse('2026-01-01T00:00:00Z');
const rateLimited = (retryAfterMs?: number): Verdict =>
  retryAfterMs === undefined
    ? { failure: true, failover: true, rateLimited: true }
    : { failure: true, failover: true, rateLimited: true, retryAfterMs };
const failureAfter = (retryAfterMs: number): Verdict => ({
  failure: true,
  failover: true,
  retryAfterMs,
});

/** An openai status error exactly as the SDK builds it from a response. */
function openaiStatus(status: number, error: object = {}, headers: Record<string, string> = {}) {
  return openai.APIError.generate(
    status,
    { error: { message: 'x', ...error } },
    undefined,
    new Headers(headers),
  );
}

/** An @anthropic-ai/sdk status error exactly as the SDK builds it from a response. */
function anthropicStatus(status: number, type: string, headers: Record<string, string> = {}) {
  const body = { type: 'error', error: { type, message: 'x' } };
  return anthropic.APIError.generate(status, body, undefined, new Headers(headers));
}

/** @google/genai's ApiError as it throws it: the body as JSON in the message. */
function googleStatus(status: number, statusText: string, details: object[] = []) {
  const body = { error: { code: status, message: 'x', status: statusText, details } };
  return new GoogleApiError({ message: JSON.stringify(body), status });
}

const econnreset = () => Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' });

const table: [string, () => unknown, Verdict][] = [
  // openai: status errors
  ['openai 400 BadRequestError', () => openaiStatus(400), CALLER_ERROR],
  ['openai 401 AuthenticationError', () => openaiStatus(401, { code: 'invalid_api_key' }), FAILURE],
  ['openai 403 PermissionDeniedError', () => openaiStatus(403), FAILURE],
  [
    'openai 404 NotFoundError model_not_found',
    () => openaiStatus(404, { code: 'model_not_found' }),
    FAILURE,
  ],
  [
    'openai 400 with code model_not_found',
    () => openaiStatus(400, { code: 'model_not_found' }),
    FAILURE,
  ],
  ['openai 409 ConflictError', () => openaiStatus(409), CALLER_ERROR],
  ['openai 413', () => openaiStatus(413), CALLER_ERROR],
  ['openai 422 UnprocessableEntityError', () => openaiStatus(422), CALLER_ERROR],
  [
    'openai 429 with retry-after seconds',
    () => openaiStatus(429, { code: 'rate_limit_exceeded' }, { 'retry-after': '2' }),
    rateLimited(2000),
  ],
  [
    'openai 429 with retry-after-ms (wins over retry-after)',
    () => openaiStatus(429, {}, { 'retry-after-ms': '1500', 'retry-after': '9' }),
    rateLimited(1500),
  ],
  [
    'openai 429 with an HTTP-date retry-after',
    () => openaiStatus(429, {}, { 'retry-after': new Date(NOW + 30_000).toUTCString() }),
    rateLimited(30_000),
  ],
  ['openai 429 without retry-after', () => openaiStatus(429), rateLimited()],
  [
    'openai 429 insufficient_quota is not a pause',
    () => openaiStatus(429, { code: 'insufficient_quota' }),
    FAILURE,
  ],
  ['openai 500 InternalServerError', () => openaiStatus(500), FAILURE],
  ['openai 502', () => openaiStatus(502), FAILURE],
  [
    'openai 503 with retry-after',
    () => openaiStatus(503, {}, { 'retry-after': '5' }),
    failureAfter(5000),
  ],
  ['openai 504', () => openaiStatus(504), FAILURE],
  ['openai 529', () => openaiStatus(529), FAILURE],
  // openai: no status
  ['openai APIConnectionTimeoutError', () => new openai.APIConnectionTimeoutError(), FAILURE],
  [
    'openai APIConnectionError (reset)',
    () => new openai.APIConnectionError({ cause: econnreset() }),
    FAILURE,
  ],
  ['openai APIConnectionError without cause', () => new openai.APIConnectionError({}), FAILURE],
  [
    'openai APIUserAbortError (the caller aborted)',
    () => new openai.APIUserAbortError(),
    CALLER_ERROR,
  ],
  [
    'openai in-band stream error (APIError, no status)',
    () =>
      new openai.APIError(
        undefined,
        { message: 'x', type: 'server_error' },
        undefined,
        new Headers(),
      ),
    FAILURE,
  ],
  [
    'openai in-band rate limit',
    () =>
      new openai.APIError(
        undefined,
        { message: 'x', code: 'rate_limit_exceeded' },
        undefined,
        new Headers(),
      ),
    rateLimited(),
  ],
  [
    'openai .stream() helper wrapping a cut (OpenAIError "terminated")',
    () => Object.assign(new openai.OpenAIError('terminated'), { cause: streamCutError() }),
    FAILURE,
  ],
  ['openai LengthFinishReasonError', () => new openai.LengthFinishReasonError(), CALLER_ERROR],
  [
    'openai ContentFilterFinishReasonError',
    () => new openai.ContentFilterFinishReasonError(),
    CALLER_ERROR,
  ],
  [
    'openai malformed SSE (its own SyntaxError)',
    () => new SyntaxError('Error reading response: malformed server-sent event JSON.'),
    FAILURE,
  ],
  // anthropic
  [
    'anthropic 400 invalid_request_error',
    () => anthropicStatus(400, 'invalid_request_error'),
    CALLER_ERROR,
  ],
  [
    'anthropic 401 authentication_error',
    () => anthropicStatus(401, 'authentication_error'),
    FAILURE,
  ],
  ['anthropic 402 billing_error', () => anthropicStatus(402, 'billing_error'), FAILURE],
  ['anthropic 403 permission_error', () => anthropicStatus(403, 'permission_error'), FAILURE],
  ['anthropic 404 not_found_error', () => anthropicStatus(404, 'not_found_error'), FAILURE],
  ['anthropic 408 RequestTimeoutError', () => anthropicStatus(408, 'timeout_error'), FAILURE],
  [
    'anthropic 413 request_too_large',
    () => anthropicStatus(413, 'request_too_large'),
    CALLER_ERROR,
  ],
  ['anthropic 422', () => anthropicStatus(422, 'invalid_request_error'), CALLER_ERROR],
  [
    'anthropic 429 rate_limit_error with retry-after',
    () => anthropicStatus(429, 'rate_limit_error', { 'retry-after': '3' }),
    rateLimited(3000),
  ],
  ['anthropic 500 api_error', () => anthropicStatus(500, 'api_error'), FAILURE],
  ['anthropic 503 ServiceUnavailableError', () => anthropicStatus(503, 'api_error'), FAILURE],
  ['anthropic 504 GatewayTimeoutError', () => anthropicStatus(504, 'timeout_error'), FAILURE],
  ['anthropic 529 OverloadedError', () => anthropicStatus(529, 'overloaded_error'), FAILURE],
  ['anthropic APIConnectionTimeoutError', () => new anthropic.APIConnectionTimeoutError(), FAILURE],
  [
    'anthropic APIConnectionError (reset)',
    () => new anthropic.APIConnectionError({ cause: econnreset() }),
    FAILURE,
  ],
  ['anthropic APIUserAbortError', () => new anthropic.APIUserAbortError(), CALLER_ERROR],
  [
    'anthropic in-band overloaded_error',
    () =>
      new anthropic.APIError(
        undefined,
        { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } },
        undefined,
        new Headers(),
      ),
    FAILURE,
  ],
  [
    'anthropic in-band rate_limit_error',
    () =>
      new anthropic.APIError(
        undefined,
        { type: 'error', error: { type: 'rate_limit_error', message: 'x' } },
        undefined,
        new Headers(),
      ),
    rateLimited(),
  ],
  [
    'anthropic MessageStream wrapping a cut (AnthropicError "terminated")',
    () => Object.assign(new anthropic.AnthropicError('terminated'), { cause: streamCutError() }),
    FAILURE,
  ],
  // google
  ['google 400 INVALID_ARGUMENT', () => googleStatus(400, 'INVALID_ARGUMENT'), CALLER_ERROR],
  ['google 404 NOT_FOUND', () => googleStatus(404, 'NOT_FOUND'), FAILURE],
  [
    'google 429 RESOURCE_EXHAUSTED with retryDelay',
    () =>
      googleStatus(429, 'RESOURCE_EXHAUSTED', [
        { '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '37s' },
      ]),
    rateLimited(37_000),
  ],
  ['google 503 UNAVAILABLE', () => googleStatus(503, 'UNAVAILABLE'), FAILURE],
  [
    'google in-stream error ("got status: ..." message)',
    () =>
      new GoogleApiError({
        message:
          'got status: RESOURCE_EXHAUSTED. {"error":{"code":429,"status":"RESOURCE_EXHAUSTED","details":[{"retryDelay":"1.5s"}]}}',
        status: 429,
      }),
    rateLimited(1500),
  ],
  // fetch / undici / node
  [
    'TypeError("terminated") with cause UND_ERR_SOCKET (stream cut)',
    () => streamCutError(),
    FAILURE,
  ],
  [
    'TypeError("terminated") with cause ECONNRESET',
    () => new TypeError('terminated', { cause: econnreset() }),
    FAILURE,
  ],
  ['TypeError("terminated") without a cause', () => new TypeError('terminated'), FAILURE],
  ['TypeError("fetch failed") with ECONNREFUSED', () => connectionError('ECONNREFUSED'), FAILURE],
  ['a node socket error ECONNRESET', () => econnreset(), FAILURE],
  [
    'DOMException AbortError (the caller aborted)',
    () => new DOMException('aborted', 'AbortError'),
    CALLER_ERROR,
  ],
  [
    'DOMException TimeoutError (AbortSignal.timeout)',
    () => new DOMException('timed out', 'TimeoutError'),
    FAILURE,
  ],
  [
    'an error with statusCode 503',
    () => Object.assign(new Error('x'), { statusCode: 503 }),
    FAILURE,
  ],
  [
    'an axios-like error: response.status 429, record headers',
    () =>
      Object.assign(new Error('x'), { response: { status: 429, headers: { 'Retry-After': '4' } } }),
    rateLimited(4000),
  ],
  [
    'simulated providerError(404, model_not_found)',
    () => providerError(404, { code: 'model_not_found' }),
    FAILURE,
  ],
  // breakwater's own
  ['CallTimeoutError', () => new CallTimeoutError('openai', 100), FAILURE],
  [
    "CircuitOpenError (another breaker's, from inside a call)",
    () => new CircuitOpenError('openai', 1000, 'open'),
    FAILURE,
  ],
  [
    "CapacityExceededError (another breaker's, from inside a call)",
    () => new CapacityExceededError('openai', 10),
    FAILURE,
  ],
  // the caller's bugs and the unknown
  ['TypeError from calling code', () => new TypeError('x.map is not a function'), CALLER_ERROR],
  ['RangeError from calling code', () => new RangeError('Invalid array length'), CALLER_ERROR],
  ['ReferenceError', () => new ReferenceError('foo is not defined'), CALLER_ERROR],
  [
    'SyntaxError from JSON.parse in calling code',
    () => new SyntaxError('Unexpected token'),
    CALLER_ERROR,
  ],
  ['a plain Error', () => new Error('boom'), FAILURE],
  ['a thrown string', () => 'boom', FAILURE],
  ['undefined', () => undefined, FAILURE],
];

describe('defaultClassify', () => {
  for (const [label, make, expected] of table) {
    it(`${label} -> ${describeVerdict(expected)}`, () => {
      expect(defaultClassify(make(), NOW)).to.deep.equal(expected);
    });
  }

  it('tells openai errors apart although every one has name "Error"', () => {
    const timeout = new openai.APIConnectionTimeoutError();
    const abort = new openai.APIUserAbortError();
    expect([timeout.name, abort.name]).to.deep.equal(['Error', 'Error']);
    expect(defaultClassify(timeout)).to.deep.equal(FAILURE);
    expect(defaultClassify(abort)).to.deep.equal(CALLER_ERROR);
  });
});

function describeVerdict(v: Verdict): string {
  if (!v.failure) return "the caller's";
  const parts = [v.rateLimited ? 'rate limit' : 'failure'];
  if (v.retryAfterMs !== undefined) parts.push(`retry after ${v.retryAfterMs} ms`);
  return parts.join(', ');
}
