/**
 * The status of an HTTP error a web framework made (Koa's `ctx.throw(404)`, the `http-errors`
 * package, body parsers): such errors carry a boolean `expose` beside a 4xx/5xx `status`. They
 * are the route's own answer, so `protect()` judges them as answers (5xx, 408 and 429 count)
 * rather than as a provider's errors. Errors from provider SDKs carry no `expose`.
 */
export function httpErrorStatus(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const e = error as { expose?: unknown; status?: unknown; statusCode?: unknown };
  if (typeof e.expose !== 'boolean') return undefined;
  const status = typeof e.status === 'number' ? e.status : e.statusCode;
  return typeof status === 'number' && Number.isInteger(status) && status >= 400 && status <= 599
    ? status
    : undefined;
}
