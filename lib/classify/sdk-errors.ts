/**
 * Recognises what the official provider SDKs throw, without importing them (they are optional):
 * by the names of the error's classes (`constructor.name` along the prototype chain) and its
 * `name`, never by `instanceof`. Every `openai` error has `name === 'Error'`, so the class chain
 * is what tells them apart; `@anthropic-ai/sdk` sets both.
 *
 * Measured with openai 7.57.0, @anthropic-ai/sdk 1.12.0 and @google/genai 2.32.0:
 * - status errors are `APIError` subclasses with `status` and `headers` (a `Headers`);
 * - `APIConnectionTimeoutError` extends `APIConnectionError` (so test it first);
 * - a reset connection is an `APIConnectionError` whose `cause` chain ends in `ECONNRESET`;
 * - a stream cut mid-way is a plain `TypeError('terminated')` whose cause has code
 *   `UND_ERR_SOCKET` or `ECONNRESET`, wrapped in the SDK's base error by the `.stream()` helpers;
 * - an in-band stream error event is an `APIError` whose `status` is `undefined`;
 * - `@google/genai` throws `ApiError` (`name === 'ApiError'`) with a numeric `status` and the
 *   error body as JSON in its message.
 */
import { statusOf } from './error-facts.js';

/** What an SDK error is, as far as a breaker cares. */
export type SdkErrorKind =
  /** The SDK's own timeout fired (`APIConnectionTimeoutError`). */
  | 'timeout'
  /** The connection failed or was reset before an answer (`APIConnectionError`). */
  | 'connection'
  /** The caller aborted the request (`APIUserAbortError`). */
  | 'aborted'
  /** An error event inside a stream that had started (`APIError` without a status). */
  | 'stream_error'
  /** The answer stopped on length or the content filter (openai's `*FinishReasonError`). */
  | 'finish_reason'
  /** The provider answered with an HTTP error status (`APIError` with `status`, Google's `ApiError`). */
  | 'status';

/**
 * What each SDK class name means. The prototype chain is walked from the most derived class, so
 * `APIConnectionTimeoutError` is met before its base `APIConnectionError`, and
 * `APIUserAbortError` before `APIError`.
 */
const KIND_BY_CLASS: ReadonlyMap<string, SdkErrorKind | 'api'> = new Map<
  string,
  SdkErrorKind | 'api'
>([
  ['APIConnectionTimeoutError', 'timeout'],
  ['APIConnectionError', 'connection'],
  ['APIUserAbortError', 'aborted'],
  ['LengthFinishReasonError', 'finish_reason'],
  ['ContentFilterFinishReasonError', 'finish_reason'],
  // The SDK classes that carry an HTTP exchange: without a status, the error came in-band.
  ['APIError', 'api'],
  ['ApiError', 'api'],
]);

/**
 * What kind of official-SDK error `error` is, or `undefined` when it is not one the SDKs
 * throw for these reasons. Reads the error's `name` (set by @anthropic-ai/sdk and
 * @google/genai), then its class names along the prototype chain (all `openai` has); allocates
 * nothing.
 */
export function sdkErrorKind(error: unknown): SdkErrorKind | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const name = (error as { name?: unknown }).name;
  let found = typeof name === 'string' ? KIND_BY_CLASS.get(name) : undefined;
  let proto: unknown = Object.getPrototypeOf(error);
  for (let depth = 0; found === undefined && depth < 16; depth++) {
    if (proto === null || proto === Object.prototype || proto === Error.prototype) break;
    const className = (proto as { constructor?: { name?: unknown } }).constructor?.name;
    if (typeof className === 'string') found = KIND_BY_CLASS.get(className);
    proto = Object.getPrototypeOf(proto);
  }
  if (found !== 'api') return found;
  return statusOf(error) === undefined ? 'stream_error' : 'status';
}

/**
 * Whether `error` is undici's (`fetch`'s) report of a connection that failed or closed while a
 * body was read: `TypeError('terminated')` or `TypeError('fetch failed')`, wherever it sits on
 * the `cause` chain (the SDKs' `.stream()` helpers wrap it). Usually a network code says the same;
 * this catches the case where the code is missing.
 */
export function isFetchTermination(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; depth < 8 && typeof current === 'object' && current !== null; depth++) {
    if (
      current instanceof TypeError &&
      (current.message === 'terminated' || current.message === 'fetch failed')
    ) {
      return true;
    }
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}

/** `SyntaxError`s raised while a provider's stream was read (see {@link noteStreamSyntaxError}). */
const raisedReadingStreams = new WeakSet<object>();

/**
 * @internal Notes that `error`, if a `SyntaxError`, was raised while breakwater read a provider's
 * stream: `@anthropic-ai/sdk` and `@google/genai` let `JSON.parse`'s own error out of a malformed
 * event, which would otherwise pass for a bug in the calling code.
 */
export function noteStreamSyntaxError(error: unknown): void {
  if (error instanceof SyntaxError) raisedReadingStreams.add(error);
}

/**
 * Whether `error` reports a malformed event in a provider's stream: the `openai` SDK's own
 * `SyntaxError` about it, or any `SyntaxError` raised while breakwater read the stream (the other
 * SDKs let `JSON.parse`'s out). The provider's fault, not a bug in the calling code.
 */
export function isMalformedStream(error: unknown): boolean {
  return (
    error instanceof SyntaxError &&
    (raisedReadingStreams.has(error) || error.message.startsWith('Error reading response'))
  );
}

/**
 * Whether `error` is a cancellation by the caller: an `AbortError` (`DOMException` or undici's),
 * or an SDK's `APIUserAbortError`. A `TimeoutError` (from `AbortSignal.timeout()`) is not one.
 */
export function isAbort(error: unknown): boolean {
  return (
    (error as { name?: unknown } | null)?.name === 'AbortError' || sdkErrorKind(error) === 'aborted'
  );
}
