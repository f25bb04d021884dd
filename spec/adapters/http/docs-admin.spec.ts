/**
 * The code of docs/admin.md, run as it is shown there (imports aside: the docs import from
 * `breakwater`, `breakwater/express`, `breakwater/koa` and `breakwater/prometheus`, this spec
 * from the sources; `answer` and `search` stand for the app's own handlers).
 */
import Router from '@koa/router';
import { expect } from 'chai';
import express, { type Request, type Response } from 'express';
import Koa from 'koa';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { resolve } from 'node:path';
import { Registry } from 'prom-client';
import request from 'supertest';
import { BreakerRegistry } from '../../../lib/index.js';
import * as onExpress from '../../../adapters/express/index.js';
import * as onKoa from '../../../adapters/koa/index.js';
import { collectBreakerMetrics } from '../../../adapters/prometheus/index.js';

const ADMIN_TOKEN = 'docs-admin-token';

describe('docs/admin.md', () => {
  let saved: string | undefined;
  let provider: 'up' | 'down';
  before(() => {
    saved = process.env['ADMIN_TOKEN'];
    process.env['ADMIN_TOKEN'] = ADMIN_TOKEN;
  });
  after(() => {
    if (saved === undefined) delete process.env['ADMIN_TOKEN'];
    else process.env['ADMIN_TOKEN'] = saved;
  });
  beforeEach(() => (provider = 'up'));

  /** The app's own handler: the spec's stand-in for a provider call. */
  const answer = async (_request: unknown) => {
    if (provider === 'down') throw Object.assign(new Error('upstream 503'), { status: 503 });
    return { text: 'hello' };
  };

  it('Express: the admin router and protect()', async () => {
    const { adminRouter, protect } = onExpress;
    // --- docs: express ---
    const registry = new BreakerRegistry({
      defaults: { failureThreshold: 5, resetTimeout: 30_000 },
    });
    const app = express();
    app.use('/admin', adminRouter(registry, { token: process.env.ADMIN_TOKEN }));
    app.post('/v1/chat', protect('chat-route', { registry, timeout: 20_000 }), async (req, res) => {
      res.json(await answer(req));
    });
    // --- end ---
    app.set('env', 'test');
    const server = createServer(app);
    await request(server).post('/v1/chat').expect(200, { text: 'hello' });
    provider = 'down';
    for (let i = 0; i < 5; i++) await request(server).post('/v1/chat').expect(503);
    const refused = await request(server).post('/v1/chat').expect(503);
    expect(refused.body.error).to.equal('circuit_open');
    expect(refused.headers['retry-after']).to.equal('30');
    const health = await request(server).get('/admin/health').expect(503);
    expect(health.body).to.deep.equal({ status: 'down', breakers: { 'chat-route': 'open' } });
    await request(server)
      .post('/admin/circuit-breakers/chat-route/reset')
      .set('authorization', `Bearer ${ADMIN_TOKEN}`)
      .expect(200);
    provider = 'up';
    await request(server).post('/v1/chat').expect(200);
  });

  it('Koa: the admin router and protect(), beside @koa/router', async () => {
    const { adminRouter, protect } = onKoa;
    const registry = new BreakerRegistry();
    // --- docs: koa ---
    const app = new Koa();
    const router = new Router();
    router.post('/v1/chat', protect('chat-route', { registry, timeout: 20_000 }), async (ctx) => {
      ctx.body = await answer(ctx.request);
    });
    app.use(adminRouter(registry, { prefix: '/admin', token: process.env.ADMIN_TOKEN }));
    app.use(router.routes()).use(router.allowedMethods());
    // --- end ---
    app.silent = true;
    const server = createServer(app.callback());
    await request(server).post('/v1/chat').expect(200, { text: 'hello' });
    const list = await request(server).get('/admin/circuit-breakers').expect(200);
    expect(list.body.breakers[0]).to.include({ name: 'chat-route', successfulRequests: 1 });
    await request(server)
      .post('/admin/circuit-breakers/chat-route/open')
      .set('authorization', `Bearer ${ADMIN_TOKEN}`)
      .expect(200);
    await request(server).post('/v1/chat').expect(503);
  });

  it('authorize: reading open, mutations for operators', async () => {
    const { adminRouter } = onExpress;
    const registry = new BreakerRegistry();
    registry.get('openai');
    const app = express();
    const sessions = { isOperator: async (req: Request) => req.get('x-operator') === 'yes' };
    // --- docs: authorize ---
    app.use(
      '/admin',
      adminRouter(registry, {
        authorize: async (req, access) =>
          access.action === 'read' || (await sessions.isOperator(req)),
      }),
    );
    // --- end ---
    const server = createServer(app);
    await request(server).get('/admin/circuit-breakers').expect(200);
    await request(server).post('/admin/circuit-breakers/openai/open').expect(403);
    await request(server)
      .post('/admin/circuit-breakers/openai/open')
      .set('x-operator', 'yes')
      .expect(200);
  });

  it('onReject: answering for an open circuit', async () => {
    const { protect } = onExpress;
    const registry = new BreakerRegistry();
    const app = express();
    const search = (_req: Request, res: Response) => {
      res.json({ results: ['a'], degraded: false });
    };
    // --- docs: onReject ---
    const guard = protect('search', {
      registry,
      onReject: (_error, _req, res) => {
        res.status(200).json({ results: [], degraded: true });
      },
    });
    app.get('/search', guard, search);
    // --- end ---
    const server = createServer(app);
    await request(server)
      .get('/search')
      .expect(200, { results: ['a'], degraded: false });
    registry.get('search').isolate();
    await request(server).get('/search').expect(200, { results: [], degraded: true });
  });

  it('Prometheus: the collector in your own prom-client registry', async () => {
    const registry = new BreakerRegistry();
    const app = express();
    registry.get('openai');
    // --- docs: prometheus ---
    const register = new Registry();
    collectBreakerMetrics(registry, { register, prefix: 'myapp_' });
    app.get('/metrics', async (_req, res) => {
      res.type(register.contentType).send(await register.metrics());
    });
    // --- end ---
    const res = await request(createServer(app)).get('/metrics').expect(200);
    expect(res.text).to.include('myapp_circuit_breaker_state{breaker="openai",state="closed"} 0');
  });

  it('panels: extra buttons on the dashboard', async () => {
    const { adminRouter } = onExpress;
    const registry = new BreakerRegistry();
    const token = ADMIN_TOKEN;
    const app = express();
    const router =
      // --- docs: panels ---
      adminRouter(registry, {
        token,
        panels: [
          {
            title: 'Fake OpenAI',
            buttons: [
              {
                label: '503 outage',
                method: 'PUT',
                url: '/_control/faults/openai',
                body: { kind: 'status', status: 503 },
              },
            ],
          },
        ],
      });
    // --- end ---
    app.use('/admin', router);
    const page = await request(createServer(app)).get('/admin/').expect(200);
    expect(page.text)
      .to.include('"title":"Fake OpenAI"')
      .and.to.include('"url":"/_control/faults/openai"');
  });

  it('shows in docs/admin.md exactly the code this spec runs', () => {
    const normal = (code: string) =>
      code
        .replace(/,(\s*[)\]}])/g, '$1')
        .replace(/\s+/g, ' ')
        .trim();
    const docs = readFileSync(resolve('docs/admin.md'), 'utf8');
    const blocks = [...docs.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => normal(m[1]!));
    const source = readFileSync(resolve('spec/adapters/http/docs-admin.spec.ts'), 'utf8');
    const snippets = [...source.matchAll(/\/\/ --- docs: (\w+) ---\n([\s\S]*?)\/\/ --- end ---/g)];
    expect(snippets.map((m) => m[1])).to.deep.equal([
      'express',
      'koa',
      'authorize',
      'onReject',
      'prometheus',
      'panels',
    ]);
    for (const [, name, code] of snippets) {
      expect(
        blocks.some((block) => block.includes(normal(code!))),
        `docs/admin.md shows the "${name}" snippet`,
      ).to.equal(true);
    }
  });
});
