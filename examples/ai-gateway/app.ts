import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import { adminRouter, type ExpressAdminRouter } from '../../adapters/express/index.js';
import { clientSignal } from './client-signal.js';
import { internalErrorReply, notFoundReply, rootReply, writeReply } from './gateway-answers.js';
import { adminOptions, type GatewayServices } from './gateway-services.js';

/** The Express gateway app and its admin router (whose event streams end at shutdown). */
export interface ExpressGateway {
  readonly app: Express;
  readonly admin: ExpressAdminRouter;
}

/**
 * The AI gateway as an Express app:
 *
 * | route | |
 * |---|---|
 * | `POST /v1/chat/completions` | OpenAI-compatible chat: OpenAI, then Anthropic, then the cache, then a degraded answer; `x-served-by` names the tier |
 * | `/admin/...` | breakwater's admin router: dashboard, breakers, health, metrics, events |
 * | `/_control/...`, `POST /_demo/ask` | demo mode only: the fake providers' control route, and questions on demand (changes need the admin token) |
 * | `GET /` | where everything is |
 *
 * @example
 * const services = await GatewayServices.start(readGatewayConfig(process.env));
 * const { app, admin } = createGatewayApp(services);
 * app.listen(3000);
 */
export function createGatewayApp(services: GatewayServices): ExpressGateway {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  const admin = adminRouter(services.registry, adminOptions(services));
  app.use('/admin', admin);
  app.post('/v1/chat/completions', async function chatCompletions(req: Request, res: Response) {
    await services.endpoint.serve(req, res, clientSignal(res));
  });
  const demo = services.demoControls;
  if (demo !== null) {
    app.use(async function demoControls(req: Request, res: Response, next: NextFunction) {
      if (!demo.serves(req.path)) return next();
      writeReply(res, await demo.answer(req, req.path));
    });
  }
  app.get('/', function index(_req: Request, res: Response) {
    writeReply(res, rootReply(services));
  });
  app.use(function notFound(req: Request, res: Response) {
    writeReply(res, notFoundReply(req.method, req.path));
  });
  app.use(function failed(error: unknown, _req: Request, res: Response, _next: NextFunction) {
    services.log(`request failed: ${String(error)}`);
    writeReply(res, internalErrorReply());
  });
  return { app, admin };
}
