import Router from '@koa/router';
import Koa, { type Context, type Next } from 'koa';
import { adminRouter, type KoaAdminRouter } from '../../../adapters/koa/index.js';
import type { HttpReply } from '../chat-wire.js';
import { clientSignal } from '../client-signal.js';
import { internalErrorReply, notFoundReply, rootReply } from '../gateway-answers.js';
import { adminOptions, type GatewayServices } from '../gateway-services.js';

/** The Koa gateway app and its admin router (whose event streams end at shutdown). */
export interface KoaGateway {
  readonly app: Koa;
  readonly admin: KoaAdminRouter;
}

/**
 * The AI gateway as a Koa app, with the same routes and answers as the Express one:
 * `POST /v1/chat/completions` (OpenAI, then Anthropic, then the cache, then a degraded answer;
 * `x-served-by` names the tier), the admin router under `/admin`, in demo mode the fake
 * providers' control route under `/_control` and `POST /_demo/ask`, and `GET /`.
 *
 * @example
 * const services = await GatewayServices.start(readGatewayConfig(process.env));
 * const { app } = createGatewayApp(services);
 * app.listen(3000);
 */
export function createGatewayApp(services: GatewayServices): KoaGateway {
  const app = new Koa();
  const admin = adminRouter(services.registry, { prefix: '/admin', ...adminOptions(services) });
  app.use(async function failed(ctx: Context, next: Next) {
    try {
      await next();
    } catch (error) {
      services.log(`request failed: ${String(error)}`);
      reply(ctx, internalErrorReply());
    }
  });
  app.use(admin);
  const demo = services.demoControls;
  if (demo !== null) {
    app.use(async function demoControls(ctx: Context, next: Next) {
      if (!demo.serves(ctx.path)) return next();
      reply(ctx, await demo.answer(ctx.req, ctx.path));
    });
  }
  const router = new Router();
  router.post('/v1/chat/completions', async function chatCompletions(ctx: Context) {
    ctx.respond = false; // the endpoint writes the answer itself, streamed as it arrives
    await services.endpoint.serve(ctx.req, ctx.res, clientSignal(ctx.res));
  });
  router.get('/', function index(ctx: Context) {
    reply(ctx, rootReply(services));
  });
  app.use(router.routes());
  app.use(function notFound(ctx: Context) {
    reply(ctx, notFoundReply(ctx.method, ctx.path));
  });
  return { app, admin };
}

function reply(ctx: Context, answer: HttpReply): void {
  ctx.status = answer.status;
  ctx.set(answer.headers as Record<string, string>);
  ctx.body = answer.body;
}
