import { BreakwaterError, hasBrand } from '../../lib/errors/breakwater-error.js';

const brand = Symbol.for('breakwater.RouteFailureError');

/**
 * What `protect()` records against its breaker when the guarded route answers 5xx, 408 or 429
 * (or throws a framework HTTP error with such a status): the answer itself reaches the client
 * unchanged. A `classify` option sees it with the status in `responseStatus`; it deliberately
 * has no `status` field, so the default classifier counts it as a plain failure rather than a
 * provider's rate limit.
 */
export class RouteFailureError extends BreakwaterError {
  readonly [brand] = true;
  override readonly name = 'RouteFailureError';
  readonly code = 'EROUTEFAILED';

  /**
   * @param responseStatus the status the route answered with
   * @param cause the framework error that carried it, when the route threw one
   */
  constructor(
    readonly responseStatus: number,
    cause?: unknown,
  ) {
    super(`The route answered ${responseStatus}`, cause === undefined ? undefined : { cause });
  }
}

/** True for a {@link RouteFailureError} from any copy of breakwater. */
export function isRouteFailureError(value: unknown): value is RouteFailureError {
  return hasBrand(value, brand);
}

/** Why `protect()` gave up on a call whose client disconnected before the answer: not a failure. */
export const CLIENT_GONE: unique symbol = Symbol('breakwater.clientGone');
