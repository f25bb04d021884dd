import type { Context, Middleware, Next } from 'koa';
import type { Breaker } from '../../lib/breaker/breaker.js';
import { isFailureResponse } from '../../lib/classify/http-status.js';
import { isCallTimeoutError } from '../../lib/errors/call-timeout-error.js';
import {
  CLIENT_GONE,
  ClientSignal,
  unwatchClient,
  watchClient,
  httpErrorStatus,
  isRefusal,
  isRouteFailureError,
  refusalAnswer,
  resolveProtection,
  RouteFailureError,
  timeoutAnswer,
  type PlainAnswer,
  type ProtectOptions,
  type Refusal,
} from '../http/index.js';

/** Answers a request the breaker refused, instead of the default 503. */
export type KoaRejectHandler = (error: Refusal, ctx: Context) => void | Promise<void>;

/** Options of Koa's {@link protect}: the breaker's options, `registry` and `onReject`. */
export type KoaProtectOptions = ProtectOptions<KoaRejectHandler>;

/** Nothing was thrown. */
const NONE: unique symbol = Symbol('none');

/**
 * Guards the middleware after it with a circuit breaker. An error thrown downstream is judged by
 * the breaker's classifier (`classify`, `errorFilter`, or the default) and rethrown unchanged; a
 * Koa HTTP error (`ctx.throw(404)`) and the status the route sets are the route's answer, and
 * count as failures when 5xx, 408 or 429. While the circuit is open the route does not run: the
 * client gets 503 with `Retry-After` (seconds, rounded up) and a JSON body, or whatever
 * `onReject` answers. A route that does not finish within the breaker's `timeout` counts as a
 * failure and gets 504; a client that disconnects first counts as neither success nor failure.
 *
 * @param nameOrBreaker a breaker name (made in `options.registry`, default `defaultRegistry`,
 * with the breaker options given) or a `Breaker`
 * @example
 * import { protect } from 'breakwater/koa';
 *
 * router.post('/v1/chat', protect('llm-route', { failureThreshold: 5, timeout: 20_000 }), chatHandler);
 */
export function protect(nameOrBreaker: string | Breaker, options?: KoaProtectOptions): Middleware {
  const { breaker, onReject } = resolveProtection<KoaRejectHandler>(
    nameOrBreaker,
    options,
    'protect()',
  );

  return async function breakwaterProtect(ctx: Context, next: Next): Promise<void> {
    const client = new ClientSignal();
    let answer: unknown = NONE;
    let downstream: Promise<void> | null = null;
    const run = async (): Promise<void> => {
      let thrown: unknown = NONE;
      try {
        await (downstream = next());
      } catch (error) {
        thrown = error;
      } finally {
        // The route has answered: from now on a client leaving changes nothing.
        unwatchClient(client);
      }
      if (thrown !== NONE) {
        const status = httpErrorStatus(thrown);
        if (status === undefined) throw thrown;
        if (isFailureResponse(status)) throw new RouteFailureError(status, thrown);
        answer = thrown;
        return;
      }
      const status = ctx.res.headersSent ? ctx.res.statusCode : ctx.status;
      if (isFailureResponse(status)) throw new RouteFailureError(status);
    };
    watchClient(ctx.res, client);
    try {
      await breaker.execute(run, client.signal);
    } catch (error) {
      if (error === CLIENT_GONE) return;
      if (isRouteFailureError(error)) {
        if (error.cause !== undefined) throw error.cause;
        return;
      }
      if (isRefusal(error)) {
        if (onReject === undefined) return send(ctx, refusalAnswer(error, breaker));
        return await onReject(error, ctx);
      }
      if (isCallTimeoutError(error)) return send(ctx, timeoutAnswer(error));
      if (downstream === null) throw error;
      // The breaker let go of a running route (shut down): let the route finish and answer.
      await downstream;
    } finally {
      unwatchClient(client);
    }
    if (answer !== NONE) throw answer;
  };
}

function send(ctx: Context, answer: PlainAnswer): void {
  if (ctx.headerSent) return;
  ctx.status = answer.status;
  ctx.set(answer.headers as Record<string, string>);
  ctx.body = answer.body;
}
