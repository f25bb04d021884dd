import Router from '@koa/router';
import { expect } from 'chai';
import express from 'express';
import Koa from 'koa';
import { createServer, request as httpRequest } from 'node:http';
import request from 'supertest';
import { BreakerRegistry } from '../../../lib/index.js';
import { adminRouter as expressAdmin } from '../../../adapters/express/index.js';
import { adminRouter as koaAdmin } from '../../../adapters/koa/index.js';
import { buildApp, FRAMEWORKS, listen, stop } from './frameworks.js';

const TOKEN = 'mounting-spec-token';
const auth = { authorization: `Bearer ${TOKEN}` };

describe('mounting the admin router', () => {
  it('express: works inside a nested express.Router', async () => {
    const registry = new BreakerRegistry();
    registry.get('openai');
    const app = express();
    const api = express.Router();
    api.use('/ops', expressAdmin(registry, { token: TOKEN, metrics: false }));
    app.use('/api', api);
    const server = createServer(app);
    const res = await request(server).get('/api/ops/circuit-breakers').expect(200);
    expect(res.body.breakers[0].name).to.equal('openai');
    await request(server).post('/api/ops/circuit-breakers/openai/open').set(auth).expect(200);
    expect(registry.get('openai').state).to.equal('isolated');
  });

  it("koa: works as a route of @koa/router, beside the app's own routes", async () => {
    const registry = new BreakerRegistry();
    registry.get('openai');
    const app = new Koa();
    const router = new Router();
    router.all(
      '/admin{/*rest}',
      koaAdmin(registry, { prefix: '/admin', token: TOKEN, metrics: false }),
    );
    router.get('/hello', (ctx) => {
      ctx.body = 'hi';
    });
    app.use(router.routes()).use(router.allowedMethods());
    const server = createServer(app.callback());
    await request(server).get('/hello').expect(200, 'hi');
    await request(server)
      .get('/admin')
      .expect(200)
      .expect('content-type', /text\/html/);
    await request(server).get('/admin/circuit-breakers/openai').expect(200);
    await request(server).post('/admin/circuit-breakers/openai/open').set(auth).expect(200);
    expect(registry.get('openai').state).to.equal('isolated');
  });

  it('express: accepts a body a parser already read, and checks it', async () => {
    const registry = new BreakerRegistry();
    registry.get('openai');
    const app = express();
    app.use(express.json());
    app.use('/admin', expressAdmin(registry, { token: TOKEN, metrics: false }));
    const server = createServer(app);
    await request(server)
      .post('/admin/circuit-breakers/openai/reset')
      .set(auth)
      .send({ reason: 'deploy' })
      .expect(200);
    const res = await request(server)
      .post('/admin/circuit-breakers/openai/reset')
      .set(auth)
      .send([1, 2])
      .expect(400);
    expect(res.body).to.deep.equal({
      error: 'bad_request',
      message: 'The request body must be empty or a JSON object',
    });
  });

  it('koa: accepts a body a parser already read, and checks it', async () => {
    const registry = new BreakerRegistry();
    registry.get('openai');
    const app = new Koa();
    app.use(async (ctx, next) => {
      (ctx.request as { body?: unknown }).body =
        ctx.get('x-body') === 'array' ? [1] : { reason: 'deploy' };
      await next();
    });
    app.use(koaAdmin(registry, { prefix: '/admin', token: TOKEN, metrics: false }));
    const server = createServer(app.callback());
    await request(server).post('/admin/circuit-breakers/openai/reset').set(auth).expect(200);
    await request(server)
      .post('/admin/circuit-breakers/openai/reset')
      .set(auth)
      .set('x-body', 'array')
      .expect(400);
  });

  for (const framework of FRAMEWORKS) {
    it(`${framework}: answers 413 to a chunked body that grows past the limit`, async () => {
      const registry = new BreakerRegistry();
      registry.get('openai');
      const app = buildApp(framework, registry, {
        admin: { token: TOKEN, bodyLimit: 1_000, metrics: false },
      });
      const url = new URL(await listen(app.server));
      try {
        const answer = await new Promise<{ status: number; body: string }>((resolve, reject) => {
          const req = httpRequest(
            {
              host: url.hostname,
              port: url.port,
              method: 'POST',
              path: '/admin/circuit-breakers/openai/reset',
              headers: {
                ...auth,
                'content-type': 'application/json',
                'transfer-encoding': 'chunked',
              },
            },
            (res) => {
              let body = '';
              res.setEncoding('utf8');
              res.on('data', (chunk: string) => (body += chunk));
              res.on('end', () => resolve({ status: res.statusCode!, body }));
            },
          );
          req.on('error', reject);
          req.write('{"padding":"' + 'x'.repeat(800));
          req.write('x'.repeat(800));
          req.end('"}');
        });
        expect(answer.status).to.equal(413);
        expect(JSON.parse(answer.body)).to.deep.equal({
          error: 'payload_too_large',
          message: 'The request body is larger than 1000 bytes',
        });
        expect(registry.get('openai').snapshot().state).to.equal('closed');
      } finally {
        await stop(app.server);
      }
    });
  }
});
