import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { show } from '../../lib/core/show.js';
import { BreakerRegistry } from '../../lib/registry/breaker-registry.js';
import { AdminCore, pathOf, validateAdminOptions, type AdminOptions } from '../http/index.js';
import { loadPrometheusMetrics } from '../http/index.js';

/** Options of Express's {@link adminRouter}; `authorize` gets Express's `req`. */
export type ExpressAdminOptions = AdminOptions<Request>;

/** The admin router: an Express middleware with a way to end its event streams. */
export interface ExpressAdminRouter extends RequestHandler {
  /** Ends every `GET /events` stream and releases the router's metrics. */
  close(): Promise<void>;
  /** How many `GET /events` streams are open. */
  readonly eventStreams: number;
}

/**
 * Shows and steers every breaker of `registry`, mounted under any prefix:
 *
 * | route | answer |
 * |---|---|
 * | `GET /` | the live dashboard |
 * | `GET /circuit-breakers` | `{ "breakers": [snapshot, ...] }` |
 * | `GET /circuit-breakers/:name` | one snapshot; 404 JSON for an unknown name |
 * | `POST /circuit-breakers/reset`, `POST /circuit-breakers/:name/reset` | close and clear; 200 with the snapshot(s) |
 * | `POST /circuit-breakers/:name/open` | hold open (`isolated`); 200 with the snapshot |
 * | `POST /circuit-breakers/:name/disable`, `.../enable` | pass every call through, or end that; 200 with the snapshot |
 * | `GET`, `PATCH /circuit-breakers/:name/config` | the live options; change them (validated as at construction) |
 * | `GET /circuit-breakers/:name/history` | the last minutes: samples and state bands |
 * | `GET /health` | 200 `ok` / `degraded`, 503 `down`; each breaker's state |
 * | `GET /metrics` | Prometheus text (prom-client) |
 * | `GET /events` | server-sent events: state changes, periodic snapshots and history |
 *
 * Mutations need `token` or `authorize`; without either they answer 403 saying how to enable
 * them. Paths it does not serve go on to `next()`. Works with Express 4 and 5 (it is a plain
 * middleware). Mount it before body parsers or compression, which would read its bodies or
 * buffer its event streams.
 *
 * @example
 * import express from 'express';
 * import { adminRouter } from 'breakwater/express';
 *
 * const app = express();
 * app.use('/admin', adminRouter(registry, { token: process.env.ADMIN_TOKEN }));
 */
export function adminRouter(
  registry: BreakerRegistry,
  options?: ExpressAdminOptions,
): ExpressAdminRouter {
  if (!(registry instanceof BreakerRegistry)) {
    throw new TypeError(
      `adminRouter(): the first argument must be a BreakerRegistry, got ${show(registry)}`,
    );
  }
  const resolved = validateAdminOptions<Request>(options, 'adminRouter()');
  const core = new AdminCore<Request>(registry, resolved, () => loadPrometheusMetrics(registry));

  const router = function breakwaterAdmin(req: Request, res: Response, next: NextFunction): void {
    const path = pathOf(req.url);
    const match = core.match(req.method, path);
    if (match === null) return next();
    const request = {
      method: req.method,
      path,
      raw: req,
      node: req,
      parsedBody: (req as { body?: unknown }).body,
    };
    core
      .answer(request, match)
      .then((answer) => {
        if (answer.kind === 'events') return core.openEvents(req, res);
        if (res.headersSent) return;
        res.statusCode = answer.status;
        for (const [name, value] of Object.entries(answer.headers)) res.setHeader(name, value);
        res.end(answer.body);
      })
      // Whatever throws while writing goes to Express's error handling, never unhandled.
      .catch(next);
  };
  return Object.defineProperties(router, {
    close: { value: () => core.close() },
    eventStreams: { get: () => core.eventStreams },
  }) as ExpressAdminRouter;
}
