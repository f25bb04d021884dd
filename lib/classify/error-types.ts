/**
 * The HTTP status each provider error type or code stands for: OpenAI's `type`/`code`, Anthropic's
 * error `type`, Google's `status`. An error that arrives inside a stream carries no status of its
 * own; its type says which one the same error would have had before the stream began.
 */
export const STATUS_BY_ERROR_TYPE: ReadonlyMap<string, number> = new Map([
  ['invalid_request_error', 400],
  ['invalid_prompt', 400],
  ['context_length_exceeded', 400],
  ['INVALID_ARGUMENT', 400],
  ['FAILED_PRECONDITION', 400],
  ['authentication_error', 401],
  ['invalid_api_key', 401],
  ['UNAUTHENTICATED', 401],
  ['billing_error', 402],
  ['permission_error', 403],
  ['PERMISSION_DENIED', 403],
  ['not_found_error', 404],
  ['model_not_found', 404],
  ['NOT_FOUND', 404],
  ['request_too_large', 413],
  ['rate_limit_error', 429],
  ['rate_limit_exceeded', 429],
  ['insufficient_quota', 429],
  ['RESOURCE_EXHAUSTED', 429],
  ['server_error', 500],
  ['api_error', 500],
  ['INTERNAL', 500],
  ['UNAVAILABLE', 503],
  ['server_is_overloaded', 503],
  ['timeout_error', 504],
  ['DEADLINE_EXCEEDED', 504],
  ['overloaded_error', 529],
]);

/** The status the first of `codes` that names a known error type stands for, if any. */
export function statusOfErrorTypes(codes: readonly unknown[]): number | undefined {
  for (const code of codes) {
    if (typeof code !== 'string') continue;
    const status = STATUS_BY_ERROR_TYPE.get(code);
    if (status !== undefined) return status;
  }
  return undefined;
}
