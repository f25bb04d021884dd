import { expect } from 'chai';
import sinon from 'sinon';
import request from 'supertest';
import type { BreakerRegistry } from '../../../lib/index.js';
import { adminApp, clockedRegistry, fail, TOKEN } from './admin-fixtures.js';
import { FRAMEWORKS } from './frameworks.js';

for (const framework of FRAMEWORKS) {
  describe(`adminRouter under ${framework}: errors, health, metrics`, () => {
    const app = (registry: BreakerRegistry, admin?: Record<string, unknown>, prefix?: string) =>
      adminApp(framework, registry, admin, prefix);

    describe('bad input', () => {
      it('answers 405 with Allow for a wrong method', async () => {
        const { registry } = clockedRegistry();
        registry.get('openai');
        const server = app(registry).server;
        const res = await request(server).delete('/admin/circuit-breakers/openai').expect(405);
        expect(res.headers['allow']).to.equal('GET, HEAD');
        expect(res.body.error).to.equal('method_not_allowed');
        const post = await request(server).get('/admin/circuit-breakers/openai/reset').expect(405);
        expect(post.headers['allow']).to.equal('POST');
        await request(server)
          .put('/admin/circuit-breakers/reset')
          .expect(405)
          .expect('allow', 'GET, HEAD, POST');
        await request(server).post('/admin/health').expect(405);
      });

      it('answers 400 for malformed JSON, a body that is not an object, and bad percent-encoding', async () => {
        const { registry } = clockedRegistry();
        registry.get('openai');
        const server = app(registry).server;
        const auth = { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' };
        const malformed = await request(server)
          .post('/admin/circuit-breakers/openai/reset')
          .set(auth)
          .send('{"oops":')
          .expect(400);
        expect(malformed.body).to.deep.equal({
          error: 'bad_request',
          message: 'The request body is not valid JSON',
        });
        await request(server)
          .post('/admin/circuit-breakers/openai/reset')
          .set(auth)
          .send('[1,2]')
          .expect(400);
        const path = await request(server).get('/admin/circuit-breakers/%E0%A4%A').expect(400);
        expect(path.body.error).to.equal('bad_request');
      });

      it('answers 413 for a body over the limit, declared or streamed', async () => {
        const { registry } = clockedRegistry();
        registry.get('openai');
        const server = app(registry, { token: TOKEN, bodyLimit: 64 }).server;
        const big = JSON.stringify({ padding: 'x'.repeat(200) });
        const res = await request(server)
          .post('/admin/circuit-breakers/openai/reset')
          .set({ authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' })
          .send(big)
          .expect(413);
        expect(res.body).to.deep.equal({
          error: 'payload_too_large',
          message: 'The request body is larger than 64 bytes',
        });
        expect(registry.get('openai').state).to.equal('closed');
      });

      it('never shows a stack trace: a throwing authorize answers a bare 500 and is reported', async () => {
        const { registry } = clockedRegistry();
        const onError = sinon.spy();
        const server = app(registry, {
          authorize: () => {
            throw new Error('session store down');
          },
          onError,
        }).server;
        const res = await request(server).get('/admin/circuit-breakers').expect(500);
        expect(res.body).to.deep.equal({
          error: 'internal_error',
          message: 'The admin router failed to answer; see the server log',
        });
        expect(res.text).not.to.include('session store down');
        expect(res.text).not.to.include('at ');
        expect(onError.calledOnce).to.equal(true);
      });

      it('never echoes the token on any route', async () => {
        const { registry } = clockedRegistry();
        await fail(registry.get('openai'), 2);
        const server = app(registry).server;
        const auth = { authorization: `Bearer ${TOKEN}` };
        const bodies = await Promise.all([
          request(server).get('/admin/'),
          request(server).get('/admin/circuit-breakers'),
          request(server).get('/admin/circuit-breakers/openai'),
          request(server).get('/admin/health'),
          request(server).post('/admin/circuit-breakers/openai/open').set(auth),
          request(server)
            .post('/admin/circuit-breakers/openai/reset')
            .set({ authorization: 'Bearer wrong' }),
        ]);
        for (const res of bodies) expect(res.text).not.to.include(TOKEN);
      });
    });

    describe('GET /health', () => {
      it('is ok with no breakers and when every breaker is closed', async () => {
        const { registry } = clockedRegistry();
        const server = app(registry).server;
        await request(server).get('/admin/health').expect(200, { status: 'ok', breakers: {} });
        registry.get('openai');
        registry.get('cache', { enabled: false });
        await request(server)
          .get('/admin/health')
          .expect(200, { status: 'ok', breakers: { openai: 'closed', cache: 'disabled' } });
      });

      it('is degraded while some breaker is open or half-open, and 503 down when none can serve', async () => {
        const { registry, clock } = clockedRegistry();
        const server = app(registry).server;
        const openai = registry.get('openai');
        const anthropic = registry.get('anthropic');
        await fail(openai, 2);
        await request(server)
          .get('/admin/health')
          .expect(200, { status: 'degraded', breakers: { openai: 'open', anthropic: 'closed' } });
        anthropic.isolate();
        await request(server)
          .get('/admin/health')
          .expect(503, { status: 'down', breakers: { openai: 'open', anthropic: 'isolated' } });
        clock.t += 30_000;
        await request(server)
          .get('/admin/health')
          .expect(200, {
            status: 'degraded',
            breakers: { openai: 'half_open', anthropic: 'isolated' },
          });
      });
    });

    describe('GET /metrics', () => {
      it('serves a given prom-client registry as it is', async () => {
        const { registry } = clockedRegistry();
        const source = {
          contentType: 'text/plain; version=0.0.4; charset=utf-8',
          metrics: async () => 'my_metric 1\n',
        };
        const res = await request(app(registry, { metrics: source }).server)
          .get('/admin/metrics')
          .expect(200);
        expect(res.text).to.equal('my_metric 1\n');
        expect(res.headers['content-type']).to.equal(source.contentType);
      });

      it('answers 404 JSON when turned off', async () => {
        const { registry } = clockedRegistry();
        const res = await request(app(registry, { metrics: false }).server)
          .get('/admin/metrics')
          .expect(404);
        expect(res.body.error).to.equal('not_found');
      });
    });
  });
}
