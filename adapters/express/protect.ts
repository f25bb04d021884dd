import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { ServerResponse } from 'node:http';
import type { Breaker } from '../../lib/breaker/breaker.js';
import { isFailureResponse } from '../../lib/classify/http-status.js';
import { isCallTimeoutError } from '../../lib/errors/call-timeout-error.js';
import {
  CLIENT_GONE,
  ClientSignal,
  isRefusal,
  isRouteFailureError,
  refusalAnswer,
  resolveProtection,
  RouteFailureError,
  timeoutAnswer,
  unwatchClient,
  watchClient,
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
    const exchange = new Exchange(breaker, onReject, req, res, next);
    watchClient(res, exchange.client);
    breaker
      .execute(() => exchange.run(), exchange.client.signal)
      .then(
        () => exchange.settled(),
        (error: unknown) => exchange.refused(error),
      );
  };
}

/**
 * One guarded request: the call the breaker runs ({@link run} lets the route go on and settles
 * when its headers go out), the signal that aborts when the client leaves, and what to do with
 * the breaker's answer.
 */
class Exchange {
  /**
   * Aborts when the client leaves. A small object of its own: the connection's watch list and the
   * breaker hold it, and holding the whole exchange there measurably slows every request.
   */
  readonly client = new ClientSignal();
  /** The route was let run: it owns the response from then on. */
  private started = false;
  private resolve: (() => void) | null = null;
  private reject: ((error: unknown) => void) | null = null;

  constructor(
    private readonly breaker: Breaker,
    private readonly onReject: ExpressRejectHandler | undefined,
    private readonly req: Request,
    private readonly res: Response,
    private readonly next: NextFunction,
  ) {}

  /** The guarded call: hooks the headers, then lets the route run. */
  run(): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.started = true;
      this.resolve = resolve;
      this.reject = reject;
      onHeaders(this.res, this);
      this.next();
    });
  }

  /** The headers are going out with `status`: that is the route's outcome. */
  judge(status: number): void {
    const resolve = this.resolve;
    const reject = this.reject;
    if (resolve === null || reject === null) return;
    this.resolve = this.reject = null;
    if (isFailureResponse(status)) reject(new RouteFailureError(status));
    else resolve();
  }

  /** The route answered while its client was there. */
  settled(): void {
    unwatchClient(this.client);
  }

  /** The breaker refused, timed out, or the route's answer counted as a failure. */
  refused(error: unknown): void {
    unwatchClient(this.client);
    this.resolve = this.reject = null;
    if (error === CLIENT_GONE || isRouteFailureError(error)) return;
    if (isRefusal(error)) {
      if (this.onReject === undefined) return send(this.res, refusalAnswer(error, this.breaker));
      try {
        const answered = this.onReject(error, this.req, this.res, this.next);
        if (answered !== undefined) answered.then(undefined, this.next);
      } catch (thrown) {
        this.next(thrown);
      }
      return;
    }
    if (isCallTimeoutError(error)) return send(this.res, timeoutAnswer(error));
    // The breaker let go of a running route (shut down): the route still answers by itself.
    if (this.started) return;
    this.next(error);
  }
}

/**
 * Has `exchange` judge the response's status just before its headers go out, by putting a hook
 * in place of `res.writeHead` for this one response. The hook takes itself away before writing:
 * it deletes itself (taking back the last property added, V8 returns the response to the shape
 * Node and Express expect; a response left with an extra own property costs every later access
 * on it), or puts back a `writeHead` another middleware had put there before.
 */
function onHeaders(res: ServerResponse, exchange: Exchange): void {
  const own = Object.prototype.hasOwnProperty.call(res, 'writeHead');
  const original = res.writeHead as (this: ServerResponse, ...args: unknown[]) => ServerResponse;
  const hook = function (this: ServerResponse, statusCode: unknown): ServerResponse {
    if (this.writeHead === (hook as unknown)) {
      if (own) this.writeHead = original as ServerResponse['writeHead'];
      else delete (this as { writeHead?: unknown }).writeHead;
    }
    exchange.judge(typeof statusCode === 'number' ? statusCode : this.statusCode);
    // eslint-disable-next-line prefer-rest-params -- passes writeHead's overloads on as they came
    return original.apply(this, arguments as unknown as unknown[]);
  };
  res.writeHead = hook as ServerResponse['writeHead'];
}

function send(res: ServerResponse, answer: PlainAnswer): void {
  if (res.headersSent || res.writableEnded) return;
  res.statusCode = answer.status;
  for (const [name, value] of Object.entries(answer.headers)) res.setHeader(name, value);
  res.end(answer.body);
}
