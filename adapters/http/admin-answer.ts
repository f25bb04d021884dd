/** A complete answer of the admin router, written by the Express or Koa adapter as it is. */
export interface AdminAnswer {
  readonly kind: 'answer';
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/** The request is for `GET /events`: the adapter hands its Node request and response over. */
export interface EventStreamAnswer {
  readonly kind: 'events';
}

const JSON_HEADERS = Object.freeze({
  'content-type': 'application/json; charset=utf-8',
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
});

/** A JSON answer. */
export function jsonAnswer(
  status: number,
  value: unknown,
  headers?: Record<string, string>,
): AdminAnswer {
  return {
    kind: 'answer',
    status,
    headers: headers === undefined ? JSON_HEADERS : { ...JSON_HEADERS, ...headers },
    body: JSON.stringify(value),
  };
}

/**
 * A JSON error: `{ "error": code, "message": message }`. Never a stack trace, never the
 * error object itself.
 */
export function errorAnswer(
  status: number,
  code: string,
  message: string,
  headers?: Record<string, string>,
): AdminAnswer {
  return jsonAnswer(status, { error: code, message }, headers);
}
