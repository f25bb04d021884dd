import { expect } from 'chai';
import sinon from 'sinon';
import request from 'supertest';
import { BreakerRegistry } from '../../../lib/index.js';
import { adminApp, clockedRegistry, fail, TOKEN } from './admin-fixtures.js';
import { HOW_TO_ENABLE } from '../../../adapters/http/index.js';
import { adminRouter as expressAdmin } from '../../../adapters/express/index.js';
import { adminRouter as koaAdmin } from '../../../adapters/koa/index.js';
import { buildApp, FRAMEWORKS, type Framework } from './frameworks.js';

for (const framework of FRAMEWORKS) {
  describe(`adminRouter under ${framework}`, () => {
    const app = (registry: BreakerRegistry, admin?: Record<string, unknown>, prefix?: string) =>
      adminApp(framework, registry, admin, prefix);

    describe('reading', () => {
      it('GET /circuit-breakers lists every snapshot under "breakers"', async () => {
        const { registry } = clockedRegistry();
        registry.get('openai');
        registry.get('anthropic');
        const res = await request(app(registry).server).get('/admin/circuit-breakers').expect(200);
        expect(res.headers['content-type']).to.match(/^application\/json/);
        expect(res.body.breakers.map((b: { name: string }) => b.name)).to.deep.equal([
          'openai',
          'anthropic',
        ]);
        expect(res.body).to.deep.equal(
          JSON.parse(JSON.stringify({ breakers: registry.snapshot() })),
        );
      });

      it('GET /circuit-breakers/:name answers one snapshot with the documented fields', async () => {
        const { registry } = clockedRegistry();
        await fail(registry.get('openai'), 2);
        const res = await request(app(registry).server)
          .get('/admin/circuit-breakers/openai')
          .expect(200);
        expect(res.body).to.include({
          name: 'openai',
          state: 'open',
          failedRequests: 2,
          totalRequests: 2,
        });
        for (const field of [
          'failureCount',
          'successCount',
          'successfulRequests',
          'rejectedRequests',
          'timeouts',
          'fallbacks',
          'errorRate',
          'latency',
          'lastFailureTime',
          'lastSuccessTime',
          'stateChangedAt',
          'retryAfterMs',
          'config',
        ]) {
          expect(res.body, field).to.have.property(field);
        }
        expect(res.body.retryAfterMs).to.equal(30_000);
        expect(res.body.latency).to.have.keys('p50', 'p95', 'p99', 'mean', 'count');
      });

      it('decodes percent-encoded names, slashes included', async () => {
        const { registry } = clockedRegistry();
        registry.get('llm/openai gpt');
        const res = await request(app(registry).server)
          .get('/admin/circuit-breakers/llm%2Fopenai%20gpt')
          .expect(200);
        expect(res.body.name).to.equal('llm/openai gpt');
      });

      it('answers 404 JSON for an unknown breaker and never creates one', async () => {
        const { registry } = clockedRegistry();
        const server = app(registry).server;
        const res = await request(server).get('/admin/circuit-breakers/nope').expect(404);
        expect(res.body).to.deep.equal({ error: 'not_found', message: 'No breaker called "nope"' });
        await request(server)
          .post('/admin/circuit-breakers/nope/reset')
          .set('authorization', `Bearer ${TOKEN}`)
          .expect(404);
        await request(server)
          .post('/admin/circuit-breakers/nope/open')
          .set('authorization', `Bearer ${TOKEN}`)
          .expect(404);
        expect(registry.list()).to.have.length(0);
      });

      it('serves the dashboard at the prefix, with and without a trailing slash', async () => {
        const { registry } = clockedRegistry();
        const server = app(registry).server;
        for (const path of ['/admin', '/admin/']) {
          const res = await request(server).get(path).expect(200);
          expect(res.headers['content-type']).to.match(/^text\/html/);
          expect(res.headers['content-security-policy']).to.match(/script-src 'nonce-[^']+'/);
          expect(res.text).to.include("new EventSource(base + '/events')");
          expect(res.text, 'nothing loaded from elsewhere').not.to.match(/(?:src|href)="(?!data:)/);
        }
      });

      it('works under any prefix', async () => {
        const { registry } = clockedRegistry();
        registry.get('openai');
        const server = app(registry, { token: TOKEN }, '/ops/breakwater').server;
        const res = await request(server).get('/ops/breakwater/circuit-breakers').expect(200);
        expect(res.body.breakers).to.have.length(1);
        await request(server).get('/admin/circuit-breakers').expect(404);
      });

      it('lets paths that are not admin routes go on to the app', async () => {
        const { registry } = clockedRegistry();
        const server = app(registry, { token: TOKEN }, '/').server;
        await request(server).get('/app-route').expect(200, { app: true });
        await request(server).get('/circuit-breakers').expect(200, { breakers: [] });
      });

      it('accepts HEAD wherever GET is', async () => {
        const { registry } = clockedRegistry();
        const res = await request(app(registry).server).head('/admin/health').expect(200);
        expect(res.text ?? '').to.equal('');
      });
    });

    describe('mutating', () => {
      it('POST /circuit-breakers/:name/reset closes and clears, answering the snapshot', async () => {
        const { registry } = clockedRegistry();
        const breaker = registry.get('openai');
        await fail(breaker, 2);
        const res = await request(app(registry).server)
          .post('/admin/circuit-breakers/openai/reset')
          .set('authorization', `Bearer ${TOKEN}`)
          .expect(200);
        expect(res.body).to.include({ name: 'openai', state: 'closed', failedRequests: 0 });
        expect(breaker.state).to.equal('closed');
      });

      it('POST /circuit-breakers/:name/open leaves the breaker isolated', async () => {
        const { registry } = clockedRegistry();
        const breaker = registry.get('openai');
        const res = await request(app(registry).server)
          .post('/admin/circuit-breakers/openai/open')
          .set('authorization', `bearer ${TOKEN}`)
          .expect(200);
        expect(res.body).to.include({ name: 'openai', state: 'isolated' });
        expect(breaker.state).to.equal('isolated');
        await breaker
          .execute(() => 'never')
          .then(
            () => expect.fail('an isolated breaker must refuse'),
            (error: Error) => expect(error.name).to.equal('CircuitOpenError'),
          );
      });

      it('POST /circuit-breakers/reset resets every breaker and answers them all', async () => {
        const { registry } = clockedRegistry();
        await fail(registry.get('a'), 2);
        registry.get('b').isolate();
        const res = await request(app(registry).server)
          .post('/admin/circuit-breakers/reset')
          .set('authorization', `Bearer ${TOKEN}`)
          .send({})
          .expect(200);
        expect(res.body.breakers.map((b: { state: string }) => b.state)).to.deep.equal([
          'closed',
          'closed',
        ]);
      });

      it('answers 401 without a token and with a wrong one, changing nothing', async () => {
        const { registry } = clockedRegistry();
        const breaker = registry.get('openai');
        await fail(breaker, 2);
        const server = app(registry).server;
        const missing = await request(server)
          .post('/admin/circuit-breakers/openai/reset')
          .expect(401);
        expect(missing.body.error).to.equal('unauthorized');
        expect(missing.headers['www-authenticate']).to.equal('Bearer realm="breakwater"');
        const wrong = await request(server)
          .post('/admin/circuit-breakers/openai/reset')
          .set('authorization', `Bearer ${TOKEN}x`)
          .expect(401);
        expect(wrong.body.message).to.equal('The bearer token is not the admin token');
        await request(server)
          .post('/admin/circuit-breakers/reset')
          .set('authorization', 'Basic abc')
          .expect(401);
        expect(breaker.state).to.equal('open');
      });

      it('answers 403 saying how to enable mutations when neither token nor authorize is set', async () => {
        const { registry } = clockedRegistry();
        registry.get('openai');
        const res = await request(app(registry, {}).server)
          .post('/admin/circuit-breakers/openai/open')
          .expect(403);
        expect(res.body).to.deep.equal({ error: 'forbidden', message: HOW_TO_ENABLE });
        expect(res.body.message).to.include('token').and.to.include('authorize');
        expect(registry.get('openai').state).to.equal('closed');
      });

      it('asks authorize (possibly async) with the framework request and what is asked', async () => {
        const { registry } = clockedRegistry();
        registry.get('openai');
        const authorize = sinon.spy(async (req: unknown, access: { action: string }) => {
          const header =
            framework === 'express'
              ? (req as { get(h: string): string }).get('x-role')
              : (req as { get(h: string): string }).get('x-role');
          return access.action === 'read' || header === 'operator';
        });
        const server = app(registry, { authorize }).server;
        await request(server).post('/admin/circuit-breakers/openai/open').expect(403);
        await request(server)
          .post('/admin/circuit-breakers/openai/open')
          .set('x-role', 'operator')
          .expect(200);
        await request(server).get('/admin/circuit-breakers').expect(200);
        const [req, access] = authorize.lastCall.args;
        expect(access).to.deep.equal({ action: 'read', route: 'list' });
        if (framework === 'koa') expect(req).to.have.property('state');
        else expect(req).to.have.property('baseUrl', '/admin');
        expect(authorize.getCall(1).args[1]).to.deep.equal({
          action: 'write',
          route: 'open',
          breaker: 'openai',
        });
      });

      it('lets authorize close the reading routes too', async () => {
        const { registry } = clockedRegistry();
        const server = app(registry, { token: TOKEN, authorize: () => false }).server;
        const res = await request(server).get('/admin/circuit-breakers').expect(403);
        expect(res.body.error).to.equal('forbidden');
        await request(server).get('/admin/health').expect(403);
      });

      it('accepts the token when authorize refuses, and authorize when the token is absent', async () => {
        const { registry } = clockedRegistry();
        registry.get('openai');
        const server = app(registry, {
          token: TOKEN,
          authorize: (_r: unknown, a: { action: string }) => a.action === 'read',
        }).server;
        await request(server).post('/admin/circuit-breakers/openai/open').expect(401);
        await request(server)
          .post('/admin/circuit-breakers/openai/open')
          .set('authorization', `Bearer ${TOKEN}`)
          .expect(200);
        const open = buildApp(framework, registry, {
          admin: { metrics: false, token: TOKEN, authorize: () => true },
        }).server;
        await request(open).post('/admin/circuit-breakers/openai/reset').expect(200);
      });
    });
  });
}

describe('adminRouter under both frameworks', () => {
  it('answers the same JSON, byte for byte', async () => {
    const { registry } = clockedRegistry();
    await fail(registry.get('openai'), 2);
    registry.get('anthropic');
    const answers = async (framework: Framework) => {
      const server = buildApp(framework, registry, {
        admin: { metrics: false, token: TOKEN },
      }).server;
      return Promise.all(
        [
          '/admin/circuit-breakers',
          '/admin/circuit-breakers/openai',
          '/admin/health',
          '/admin/circuit-breakers/x',
        ].map(async (path) => {
          const res = await request(server).get(path);
          return [res.status, res.headers['content-type'], res.text];
        }),
      );
    };
    expect(await answers('express')).to.deep.equal(await answers('koa'));
  });

  it('validates options when called, naming the option and the value', () => {
    const registry = new BreakerRegistry();
    for (const make of [expressAdmin, koaAdmin] as const) {
      expect(() => make(registry, { token: '' })).to.throw(
        TypeError,
        'token must be a non-empty string, got an empty string',
      );
      expect(() => make(registry, { authorize: 'yes' as never })).to.throw(
        TypeError,
        'authorize must be a function, got "yes"',
      );
      expect(() => make(registry, { bodyLimit: -1 })).to.throw(
        RangeError,
        'bodyLimit must be a non-negative integer of bytes, got -1',
      );
      expect(() => make(registry, { eventsInterval: 0 })).to.throw(
        RangeError,
        'eventsInterval must be a number of ms >= 50, got 0',
      );
      expect(() => make(registry, { metrics: {} as never })).to.throw(
        TypeError,
        'metrics must be false or have contentType and metrics()',
      );
      expect(() => make(registry, { tokn: 'x' } as never)).to.throw(
        TypeError,
        'unknown option "tokn"',
      );
      expect(() => make({} as never)).to.throw(
        TypeError,
        'the first argument must be a BreakerRegistry',
      );
    }
    const button = { label: 'Go', method: 'POST' as const, url: '/go' };
    expect(() => expressAdmin(registry, { panels: {} as never })).to.throw(
      TypeError,
      'panels must be an array, got {}',
    );
    expect(() => koaAdmin(registry, { panels: [{ title: '', buttons: [] }] })).to.throw(
      TypeError,
      'panels[0] must have a non-empty title',
    );
    expect(() =>
      koaAdmin(registry, {
        panels: [{ title: 'T', buttons: [{ ...button, method: 'HEAD' as never }] }],
      }),
    ).to.throw(
      TypeError,
      'panels[0].buttons[0].method must be one of GET, POST, PUT, PATCH, DELETE, got "HEAD"',
    );
    expect(() =>
      expressAdmin(registry, {
        panels: [{ title: 'T', buttons: [{ ...button, url: '//evil.example/x' }] }],
      }),
    ).to.throw(
      TypeError,
      'panels[0].buttons[0].url must be a path on the app\'s own origin (one leading "/", no "\\", spaces or control characters), got "//evil.example/x"',
    );
    expect(() =>
      expressAdmin(registry, {
        panels: [{ title: 'T', buttons: [{ ...button, url: 'https://evil.example/x' }] }],
      }),
    ).to.throw(TypeError, "must be a path on the app's own origin");
    expect(() => expressAdmin(registry, { prefix: '/admin' } as never)).to.throw(
      TypeError,
      'unknown option "prefix"',
    );
    expect(() => koaAdmin(registry, { prefix: 'admin' })).to.throw(
      TypeError,
      'prefix must be a path starting with "/", got "admin"',
    );
    expect(expressAdmin(registry, { metrics: false }).name).to.equal('breakwaterAdmin');
    expect(koaAdmin(registry, { metrics: false }).name).to.equal('breakwaterAdmin');
  });
});
