import FakeTimers from '@sinonjs/fake-timers';
import { expect } from 'chai';
import { request as httpRequest } from 'node:http';
import sinon from 'sinon';
import request from 'supertest';
import { Breaker, BreakerRegistry, defaultRegistry } from '../../../lib/index.js';
import { protect as expressProtect } from '../../../adapters/express/index.js';
import { protect as koaProtect } from '../../../adapters/koa/index.js';
import { isRouteFailureError } from '../../../adapters/http/index.js';
import { buildApp, FRAMEWORKS, listen, stop, type RouteBehaviour } from './frameworks.js';

const START = Date.parse('2026-03-01T12:00:00Z');

/** A framework HTTP error as Koa's ctx.throw and the http-errors package make them. */
function httpError(status: number): Error {
  return Object.assign(new Error(`http ${status}`), {
    status,
    statusCode: status,
    expose: status < 500,
  });
}

for (const framework of FRAMEWORKS) {
  describe(`protect() under ${framework}`, () => {
    let registry: BreakerRegistry;
    let clock: { t: number; now: () => number };
    let behaviour: () => RouteBehaviour;

    beforeEach(() => {
      clock = { t: START, now: () => clock.t };
      registry = new BreakerRegistry({ defaults: { clock } });
      behaviour = () => ({ kind: 'status', status: 200 });
    });

    const guardedApp = (
      options: Record<string, unknown> = {},
      target: string | Breaker = 'route',
    ) =>
      buildApp(framework, registry, {
        guarded: {
          target,
          options: typeof target === 'string' ? { failureThreshold: 3, ...options } : options,
          behaviour: () => behaviour(),
        },
      });

    it('passes successful answers through and counts them', async () => {
      const app = guardedApp();
      await request(app.server).get('/guarded').expect(200, { status: 200 });
      const snap = registry.get('route').snapshot();
      expect(snap).to.include({ state: 'closed', successfulRequests: 1, failedRequests: 0 });
    });

    it('counts 5xx, 408 and 429 answers as failures and other 4xx as successes', async () => {
      const app = guardedApp({ failureThreshold: 100 });
      for (const status of [500, 502, 503, 408, 429, 400, 404, 409, 422, 201, 304]) {
        behaviour = () => ({ kind: 'status', status });
        await request(app.server).get('/guarded').expect(status);
      }
      const snap = registry.get('route').snapshot();
      expect(snap).to.include({ failedRequests: 5, successfulRequests: 6, rateLimited: 0 });
    });

    it('opens after the threshold and then answers 503 with Retry-After and JSON, without running the route', async () => {
      const app = guardedApp({ resetTimeout: 30_000 });
      behaviour = () => ({ kind: 'status', status: 503 });
      for (let i = 0; i < 3; i++) await request(app.server).get('/guarded').expect(503);
      expect(app.handled()).to.equal(3);
      clock.t += 12_400;
      const res = await request(app.server).get('/guarded').expect(503);
      expect(app.handled()).to.equal(3);
      expect(res.headers['retry-after']).to.equal('18');
      expect(res.headers['content-type']).to.match(/^application\/json/);
      expect(res.body).to.deep.equal({
        error: 'circuit_open',
        message: 'Service temporarily unavailable: circuit "route" is open',
        breaker: 'route',
        state: 'open',
        retryAfterMs: 18_000,
      });
      clock.t += 17_500;
      const last = await request(app.server).get('/guarded').expect(503);
      expect(last.headers['retry-after'], 'rounded up, at least 1').to.equal('1');
      expect(registry.get('route').snapshot().rejectedRequests).to.equal(2);
    });

    it('lets the trial through once the wait is over, and closes on its success', async () => {
      const app = guardedApp({ resetTimeout: 10_000 });
      behaviour = () => ({ kind: 'status', status: 500 });
      for (let i = 0; i < 3; i++) await request(app.server).get('/guarded').expect(500);
      clock.t += 10_000;
      behaviour = () => ({ kind: 'status', status: 200 });
      await request(app.server).get('/guarded').expect(200);
      expect(registry.get('route').state).to.equal('closed');
    });

    it('answers a held-open breaker with 503 and its resetTimeout as the hint', async () => {
      const app = guardedApp({ resetTimeout: 45_000 });
      registry.get('route').isolate();
      const res = await request(app.server).get('/guarded').expect(503);
      expect(res.headers['retry-after']).to.equal('45');
      expect(res.body.state).to.equal('isolated');
      expect(app.handled()).to.equal(0);
    });

    it('lets onReject answer instead', async () => {
      const onReject =
        framework === 'express'
          ? (
              error: { breaker: string },
              _req: unknown,
              res: { status(n: number): { json(v: unknown): void } },
            ) => res.status(429).json({ busy: error.breaker })
          : (error: { breaker: string }, ctx: { status: number; body: unknown }) => {
              ctx.status = 429;
              ctx.body = { busy: error.breaker };
            };
      const app = guardedApp({ onReject });
      registry.get('route').isolate();
      await request(app.server).get('/guarded').expect(429, { busy: 'route' });
      expect(app.handled()).to.equal(0);
    });

    it('counts a thrown error as a failure', async () => {
      const app = guardedApp();
      behaviour = () => ({ kind: 'throw', error: new Error('provider exploded') });
      await request(app.server).get('/guarded').expect(500);
      expect(registry.get('route').snapshot()).to.include({
        failedRequests: 1,
        successfulRequests: 0,
      });
    });

    it('judges framework HTTP errors as answers: a thrown 404 is not a failure, a thrown 429 a plain one', async () => {
      const app = guardedApp();
      behaviour = () => ({ kind: 'throw', error: httpError(404) });
      await request(app.server).get('/guarded').expect(404);
      behaviour = () => ({ kind: 'throw', error: httpError(429) });
      await request(app.server).get('/guarded').expect(429);
      const snap = registry.get('route').snapshot();
      expect(snap).to.include({ failedRequests: 1, rateLimited: 0, state: 'closed' });
    });

    it('refuses to take over a route that never answers: 504 after the timeout, counted as a failure', async () => {
      const timers = FakeTimers.install({
        toFake: ['setTimeout', 'clearTimeout', 'Date'],
        now: START,
      });
      try {
        let entered!: () => void;
        const inRoute = new Promise<void>((resolve) => (entered = resolve));
        behaviour = () => ({ kind: 'hang', entered });
        const local = new BreakerRegistry();
        registry = local;
        const app = guardedApp({ timeout: 5_000 });
        const url = await listen(app.server);
        const answer = fetch(`${url}/guarded`).then(async (res) => ({
          status: res.status,
          body: await res.json(),
        }));
        await inRoute;
        await timers.tickAsync(5_000);
        const res = await answer;
        expect(res.status).to.equal(504);
        expect(res.body).to.deep.equal({
          error: 'timeout',
          message: 'The route did not answer within 5000 ms',
          breaker: 'route',
        });
        expect(local.get('route').snapshot()).to.include({ timeouts: 1, failedRequests: 1 });
        await stop(app.server);
      } finally {
        timers.uninstall();
      }
    });

    it('judges a streamed answer by its headers: a long stream is not a timeout', async () => {
      const timers = FakeTimers.install({
        toFake: ['setTimeout', 'clearTimeout', 'Date'],
        now: START,
      });
      try {
        let entered!: () => void;
        const inRoute = new Promise<void>((resolve) => (entered = resolve));
        behaviour = () => ({ kind: 'stream', entered });
        const local = new BreakerRegistry();
        registry = local;
        const app = guardedApp({ timeout: 1_000 });
        const url = await listen(app.server);
        const controller = new AbortController();
        const res = await fetch(`${url}/guarded`, { signal: controller.signal });
        expect(res.status).to.equal(200);
        await inRoute;
        await timers.tickAsync(5_000);
        expect(local.get('route').snapshot()).to.include({
          successfulRequests: 1,
          timeouts: 0,
          failedRequests: 0,
        });
        controller.abort();
        await stop(app.server);
      } finally {
        timers.uninstall();
      }
    });

    it('does not count a client that disconnects before the answer', async () => {
      let entered!: () => void;
      let closed!: () => void;
      const inRoute = new Promise<void>((resolve) => (entered = resolve));
      const gone = new Promise<void>((resolve) => (closed = resolve));
      behaviour = () => ({ kind: 'hang', entered, closed });
      const app = guardedApp({ timeout: false });
      const url = new URL(await listen(app.server));
      const req = httpRequest({ host: url.hostname, port: url.port, path: '/guarded' });
      req.on('error', () => undefined);
      req.end();
      await inRoute;
      req.destroy();
      await gone;
      const snap = registry.get('route').snapshot();
      expect(snap).to.include({
        cancelled: 1,
        failedRequests: 0,
        successfulRequests: 0,
        inFlight: 0,
      });
      await stop(app.server);
    });

    it('lets a running route finish and answer when the registry shuts down', async () => {
      let entered!: () => void;
      let release!: () => void;
      const inRoute = new Promise<void>((resolve) => (entered = resolve));
      behaviour = () => ({
        kind: 'held',
        entered,
        release: new Promise<void>((resolve) => (release = resolve)),
      });
      const app = guardedApp({ timeout: false });
      const url = await listen(app.server);
      const answer = fetch(`${url}/guarded`).then(async (res) => [res.status, await res.json()]);
      await inRoute;
      await registry.close(0);
      expect(registry.get('route').snapshot().cancelled).to.equal(1);
      release();
      expect(await answer).to.deep.equal([200, { released: true }]);
      await stop(app.server);
    });

    it('guards a given Breaker', async () => {
      const breaker = new Breaker({ name: 'own', failureThreshold: 1, clock });
      const app = guardedApp({}, breaker);
      behaviour = () => ({ kind: 'status', status: 500 });
      await request(app.server).get('/guarded').expect(500);
      await request(app.server).get('/guarded').expect(503);
      expect(breaker.state).to.equal('open');
    });
  });
}

describe('protect() factories', () => {
  afterEach(() => {
    defaultRegistry.remove('made-at-once');
  });

  for (const [framework, protect] of [
    ['express', expressProtect],
    ['koa', koaProtect],
  ] as const) {
    it(`${framework}: validates options when called, naming the option and the value`, () => {
      const registry = new BreakerRegistry();
      expect(() => protect('x', { registry, failureThreshold: -1 })).to.throw(
        RangeError,
        'failureThreshold must be a positive integer, got -1',
      );
      expect(() => protect('x', { registry, timout: 5 } as never)).to.throw(
        TypeError,
        'unknown option "timout"; did you mean "timeout"?',
      );
      expect(() => protect('x', { registry, onReject: 503 } as never)).to.throw(
        TypeError,
        'onReject must be a function, got 503',
      );
      expect(() => protect('x', { registry: {} } as never)).to.throw(
        TypeError,
        'registry must be a BreakerRegistry',
      );
      expect(() => protect('', { registry })).to.throw(
        TypeError,
        'must be a breaker name or a Breaker, got ""',
      );
      expect(() => protect(new Breaker(), { timeout: 5 })).to.throw(
        TypeError,
        'options timeout apply to a breaker made by name',
      );
      expect(() => protect('x', { registry, name: 'y' } as never)).to.throw(
        TypeError,
        "the breaker's name is the first argument",
      );
      expect(registry.has('x')).to.equal(false);
    });

    it(`${framework}: returns a named middleware and makes the breaker at once`, () => {
      const middleware = protect('made-at-once', { timeout: 1_000 });
      expect(middleware.name).to.equal('breakwaterProtect');
      expect(defaultRegistry.find('made-at-once')?.options.timeout).to.equal(1_000);
    });
  }

  it("koa: judges other thrown errors with the breaker's classifier and rethrows them unchanged", async () => {
    const registry = new BreakerRegistry();
    const thrown = new Error('quota');
    let error: unknown = thrown;
    const seen: unknown[] = [];
    const app = buildApp('koa', registry, {
      guarded: {
        target: 'r',
        options: { errorFilter: (e: unknown) => e === thrown },
        behaviour: () => ({ kind: 'throw', error }),
      },
    });
    app.server.prependListener('request', (_req, res) =>
      res.once('finish', () => seen.push(res.statusCode)),
    );
    await request(app.server).get('/guarded').expect(500);
    error = new TypeError('bug in the route');
    await request(app.server).get('/guarded').expect(500);
    error = Object.assign(new Error('upstream 401'), { status: 401 });
    await request(app.server).get('/guarded').expect(401);
    expect(seen).to.deep.equal([500, 500, 401]);
    expect(registry.get('r').snapshot()).to.include({ callerErrors: 2, failedRequests: 1 });
  });

  it('records route failures as RouteFailureError, which the default classifier counts as a plain failure', async () => {
    const classify = sinon.spy(() => undefined);
    const registry = new BreakerRegistry();
    const app = buildApp('express', registry, {
      guarded: {
        target: 'r',
        options: { classify },
        behaviour: () => ({ kind: 'status', status: 429 }),
      },
    });
    await request(app.server).get('/guarded').expect(429);
    const [error] = classify.firstCall.args as unknown[];
    expect(isRouteFailureError(error)).to.equal(true);
    expect(error).to.include({ responseStatus: 429, code: 'EROUTEFAILED' });
    expect(registry.get('r').snapshot()).to.include({
      failedRequests: 1,
      rateLimited: 0,
      state: 'closed',
    });
  });
});
