import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { ServerResponse } from 'node:http';
import type { Breaker } from '../../lib/breaker/breaker.js';
import { isFailureResponse } from '../../lib/classify/http-status.js';
import { isCallTimeoutError } from '../../lib/errors/call-timeout-error.js';
import {
  CLIENT_GONE,
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
export type ExpressRejectHandler = (
  error: Refusal,
  req: Request,
  res: Response,
  next: NextFunction,
) => void | Promise<void>;

/** Options of Express's {@link protect}: the breaker's options, `registry` and `onReject`. */
export type ExpressProtectOptions = ProtectOptions<ExpressRejectHandler>;

/**
 * Guards the routes after it with a circuit breaker. The route's answer is judged when its
 * headers go out: 5xx, 408 and 429 count as failures, other answers as successes (a thrown error
 * counts through the answer Express's error handler sends). While the circuit is open the
 * route does not run: the client gets 503 with `Retry-After` (seconds, rounded up) and a JSON
 * body, or whatever `onReject` answers. A route that does not answer within the breaker's
 * `timeout` counts as a failure and gets 504; a client that disconnects before the answer
 * counts as neither success nor failure.
 *
 * @param nameOrBreaker a breaker name (made in `options.registry`, default `defaultRegistry`,
 * with the breaker options given) or a `Breaker`
 * @example
 * import { protect } from 'breakwater/express';
 *
 * app.post('/v1/chat', protect('llm-route', { failureThreshold: 5, timeout: 20_000 }), chatHandler);
 */
export function protect(
  nameOrBreaker: string | Breaker,
  options?: ExpressProtectOptions,
): RequestHandler {
  const { breaker, onReject } = resolveProtection<ExpressRejectHandler>(
    nameOrBreaker,
    options,
    'protect()',
  );

  return function breakwaterProtect(req: Request, res: Response, next: NextFunction): void {
    const client = new AbortController();
    let judge: ((status: number) => void) | null = null;
    const run = (): Promise<void> =>
      new Promise<void>((resolve, reject) => {
        judge = (status) => {
          judge = null;
          if (isFailureResponse(status)) reject(new RouteFailureError(status));
          else resolve();
        };
        onHeaders(res, (status) => judge?.(status));
        next();
      });
    res.once('close', () => {
      if (judge === null) return;
      judge = null;
      client.abort(CLIENT_GONE);
    });
    breaker.execute(run, client.signal).then(undefined, (error: unknown) => {
      if (error === CLIENT_GONE || isRouteFailureError(error)) return;
      judge = null;
      if (isRefusal(error)) {
        if (onReject === undefined) return send(res, refusalAnswer(error, breaker));
        try {
          const answered = onReject(error, req, res, next);
          if (answered !== undefined) answered.then(undefined, next);
        } catch (thrown) {
          next(thrown);
        }
        return;
      }
      if (isCallTimeoutError(error)) return send(res, timeoutAnswer(error));
      next(error);
    });
  };
}

type WriteHead = (this: ServerResponse, statusCode: number, ...rest: unknown[]) => ServerResponse;

/** Calls `listener` with the status just before the response's headers go out, once. */
function onHeaders(res: ServerResponse, listener: (status: number) => void): void {
  const original = res.writeHead as unknown as WriteHead;
  const patched: WriteHead = function (this: ServerResponse, statusCode, ...rest) {
    res.writeHead = original as unknown as ServerResponse['writeHead'];
    listener(typeof statusCode === 'number' ? statusCode : this.statusCode);
    return original.call(this, statusCode, ...rest);
  };
  res.writeHead = patched as unknown as ServerResponse['writeHead'];
}

function send(res: ServerResponse, answer: PlainAnswer): void {
  if (res.headersSent || res.writableEnded) return;
  res.statusCode = answer.status;
  for (const [name, value] of Object.entries(answer.headers)) res.setHeader(name, value);
  res.end(answer.body);
}
