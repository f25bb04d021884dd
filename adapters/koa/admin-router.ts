import type { Context, Middleware, Next } from 'koa';
import { show } from '../../lib/core/show.js';
import { BreakerRegistry } from '../../lib/registry/breaker-registry.js';
import { AdminCore, validateAdminOptions, type AdminOptions } from '../http/index.js';
import { loadPrometheusMetrics } from '../http/index.js';

/** Options of Koa's {@link adminRouter}: `authorize` gets Koa's `ctx`; `prefix` is where it serves. */
export interface KoaAdminOptions extends AdminOptions<Context> {
  /** The path the routes live under, such as `/admin`. Default: the root. */
  prefix?: string | undefined;
}

/** The admin router: one Koa middleware with a way to end its event streams. */
export interface KoaAdminRouter extends Middleware {
  /** Ends every `GET /events` stream and releases the router's metrics. */
  close(): Promise<void>;
  /** How many `GET /events` streams are open. */
  readonly eventStreams: number;
}

/**
 * Shows and steers every breaker of `registry` under `prefix`, as one Koa middleware: the same
 * routes and JSON as Express's `adminRouter` (see `breakwater/express`). Requests outside
 * `prefix`, and paths under it that are not admin routes, go on to `next()`. Works with Koa 2
 * and 3, beside `@koa/router` or any other router.
 *
 * @example
 * import Koa from 'koa';
 * import { adminRouter } from 'breakwater/koa';
 *
 * const app = new Koa();
 * app.use(adminRouter(registry, { prefix: '/admin', token: process.env.ADMIN_TOKEN }));
 */
export function adminRouter(registry: BreakerRegistry, options?: KoaAdminOptions): KoaAdminRouter {
  if (!(registry instanceof BreakerRegistry)) {
    throw new TypeError(
      `adminRouter(): the first argument must be a BreakerRegistry, got ${show(registry)}`,
    );
  }
  const resolved = validateAdminOptions<Context>(options, 'adminRouter()', ['prefix']);
  const prefix = checkPrefix(resolved.extra['prefix']);
  const core = new AdminCore<Context>(registry, resolved, () => loadPrometheusMetrics(registry));

  const router = async function breakwaterAdmin(ctx: Context, next: Next): Promise<void> {
    const path = relativePath(ctx.path, prefix);
    if (path === null) return next();
    const match = core.match(ctx.method, path);
    if (match === null) return next();
    const parsedBody = (ctx.request as { body?: unknown }).body;
    const answer = await core.answer(
      { method: ctx.method, path, raw: ctx, node: ctx.req, parsedBody },
      match,
    );
    if (answer.kind === 'events') {
      ctx.respond = false;
      core.openEvents(ctx.req, ctx.res);
      return;
    }
    ctx.status = answer.status;
    ctx.set(answer.headers as Record<string, string>);
    ctx.body = answer.body;
  };
  return Object.defineProperties(router, {
    close: { value: () => core.close() },
    eventStreams: { get: () => core.eventStreams },
  }) as KoaAdminRouter;
}

function checkPrefix(prefix: unknown): string {
  if (prefix === undefined || prefix === '' || prefix === '/') return '';
  if (
    typeof prefix !== 'string' ||
    !prefix.startsWith('/') ||
    prefix.includes('?') ||
    prefix.includes('#')
  ) {
    throw new TypeError(
      `adminRouter(): prefix must be a path starting with "/", got ${show(prefix)}`,
    );
  }
  return prefix.replace(/\/+$/, '');
}

/** The path under `prefix`, or `null` when the request is elsewhere. */
function relativePath(path: string, prefix: string): string | null {
  if (prefix === '') return path;
  if (path === prefix) return '/';
  return path.startsWith(prefix) && path[prefix.length] === '/' ? path.slice(prefix.length) : null;
}
