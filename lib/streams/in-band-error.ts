import { statusOfErrorTypes } from '../classify/error-types.js';
import { StreamEventError } from '../errors/stream-event-error.js';

/**
 * The error a chunk reports, when the chunk is an error event sent inside a stream the provider
 * had answered with 200; `undefined` for every other chunk. Recognises:
 *
 * - an OpenAI chat completion chunk carrying `error` (`{ error: { message, type, code } }`),
 * - the Responses API's `{ type: 'error', code, message }` and `{ type: 'response.failed',
 *   response: { error } }` events,
 * - Anthropic's `{ type: 'error', error: { type, message } }` event,
 * - a Google GenAI chunk carrying `error` (`{ error: { code: 503, message, status } }`).
 *
 * The {@link StreamEventError} has the HTTP status the same error would have had before the
 * stream began, so the breaker's classifier judges it as it would that status: an
 * `overloaded_error` is a 529 (the provider's failure), an `invalid_request_error` a 400 (the
 * caller's), a `rate_limit_error` a 429 (a rate limit).
 */
export function inBandError(chunk: unknown): StreamEventError | undefined {
  if (typeof chunk !== 'object' || chunk === null) return undefined;
  const c = chunk as Record<string, unknown>;
  const type = c['type'];
  if (type === 'error') {
    const inner = c['error'];
    const body = isObject(inner) ? inner : withoutType(c);
    return toError(body, chunk);
  }
  if (type === 'response.failed') {
    const response = c['response'];
    const inner = isObject(response) ? response['error'] : undefined;
    return toError(isObject(inner) ? inner : { code: 'response_failed' }, chunk);
  }
  const inner = c['error'];
  if (isObject(inner) && ('message' in inner || 'code' in inner || 'type' in inner)) {
    return toError(inner, chunk);
  }
  return undefined;
}

function toError(body: Record<string, unknown>, chunk: unknown): StreamEventError {
  let status: number | undefined;
  const code = body['code'];
  if (typeof code === 'number' && Number.isInteger(code) && code >= 400 && code < 600) {
    status = code;
  } else {
    status = statusOfErrorTypes([body['type'], body['code'], body['status']]);
  }
  const message = typeof body['message'] === 'string' ? body['message'] : 'error event';
  const label =
    [body['type'], body['code'], body['status']].find((v) => typeof v === 'string') ?? 'error';
  return new StreamEventError(
    `Error event inside the stream (${String(label)}): ${message}`,
    status,
    body,
    chunk,
  );
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function withoutType(c: Record<string, unknown>): Record<string, unknown> {
  const { type: _type, ...rest } = c;
  return rest;
}
