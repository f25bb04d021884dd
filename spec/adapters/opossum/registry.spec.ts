/**
 * breakwater/opossum in a BreakerRegistry: the breaker shows on the admin router and its metrics
 * (over HTTP, Express and Koa), follows an operator's moves with opossum's events, and shares its
 * state with a fleet through a RedisStore on a real redis-server.
 */
import { expect } from 'chai';
import request from 'supertest';
import CircuitBreaker from '../../../adapters/opossum/index.js';
import { RedisStore } from '../../../adapters/redis/index.js';
import { BreakerRegistry } from '../../../lib/index.js';
import { adminApp, TOKEN } from '../http/admin-fixtures.js';
import { FRAMEWORKS } from '../http/frameworks.js';
import { redisServer, type RedisServer } from '../redis/redis-server.js';
import { eventually } from '../../store/fleet-behaviours.js';
import { failing, recorder, swallow } from './helpers.js';
import { Redis } from 'ioredis';

const auth = { authorization: `Bearer ${TOKEN}` };

describe('breakwater/opossum in a BreakerRegistry', () => {
  it('joins the registry under its name, with opossum’s options as the engine’s config', () => {
    const registry = new BreakerRegistry({ defaults: { failureThreshold: 1, timeout: 1 } });
    const breaker = new CircuitBreaker(async () => 'ok', {
      name: 'quotes',
      group: 'market',
      registry,
      resetTimeout: 12_000,
    });
    expect(registry.find('quotes')).to.equal(breaker.breaker);
    const snapshot = registry.snapshot()[0]!;
    expect(snapshot).to.include({ name: 'quotes', group: 'market', state: 'closed' });
    expect(snapshot.config).to.include({
      timeout: 10_000,
      resetTimeout: 12_000,
      failureThreshold: false,
    });
    expect(
      () => new CircuitBreaker(async () => 1, { name: 'quotes', registry }),
      'a name already taken',
    ).to.throw(RangeError, /already has a breaker named "quotes"/);
    breaker.shutdown();
    expect(registry.has('quotes'), 'shutdown leaves the registry').to.equal(false);
  });

  it('opossum’s rules decide, whatever the registry’s defaults: one failure of one does not open at 50 % + volume 2', async () => {
    const registry = new BreakerRegistry({
      defaults: {
        failureThreshold: 1,
        errorThresholdPercentage: 10,
        volumeThreshold: 1,
        slowCallDurationThreshold: 1,
        slowCallRateThreshold: 10,
        maxResetTimeout: 600_000,
        halfOpenMaxCalls: 3,
        errorFilter: () => true,
      },
    });
    const breaker = new CircuitBreaker(failing(), { name: 'p', registry, volumeThreshold: 2 });
    await breaker.fire().catch(swallow);
    expect(breaker.closed).to.equal(true);
    expect(registry.find('p')!.state).to.equal('closed');
    await breaker.fire().catch(swallow);
    expect(registry.find('p')!.state).to.equal('open');
    expect(registry.find('p')!.snapshot()).to.include({
      failedRequests: 2,
      reason: 'failure_rate',
    });
    expect(registry.find('p')!.snapshot().retryAfterMs, 'no backoff').to.be.within(29_000, 30_000);
    breaker.shutdown();
  });

  for (const framework of FRAMEWORKS) {
    it(`shows on the admin router under ${framework}, and follows an operator's reset, open and disable`, async () => {
      const registry = new BreakerRegistry();
      const breaker = new CircuitBreaker(failing('down'), {
        name: 'payments',
        registry,
        volumeThreshold: 1,
      });
      breaker.fallback(() => 'queued');
      const seen = recorder(breaker, ['open', 'close']);
      const server = adminApp(framework, registry, { token: TOKEN, metrics: undefined }).server;
      await request(server).get('/admin/metrics').expect(200);
      expect(await breaker.fire()).to.equal('queued');
      expect(breaker.opened).to.equal(true);

      const shown = await request(server).get('/admin/circuit-breakers/payments').expect(200);
      expect(shown.body).to.include({
        name: 'payments',
        state: 'open',
        failedRequests: 1,
        fallbacks: 1,
      });
      const metrics = await request(server).get('/admin/metrics').expect(200);
      expect(metrics.text).to.include('circuit_breaker_state{breaker="payments",state="open"} 2');
      expect(metrics.text).to.include('circuit_breaker_failures_total{breaker="payments"} 1');

      await request(server).post('/admin/circuit-breakers/payments/reset').set(auth).expect(200);
      expect(breaker.closed).to.equal(true);
      await request(server).post('/admin/circuit-breakers/payments/open').set(auth).expect(200);
      expect(breaker.opened).to.equal(true);
      expect(await breaker.fire(), 'held open: the fallback answers').to.equal('queued');
      registry.find('payments')!.disable();
      expect(breaker.enabled).to.equal(false);
      expect(await breaker.fire().catch((e: Error) => e.message)).to.equal('down');
      expect(seen.names).to.deep.equal(['open', 'close', 'open']);
      breaker.shutdown();
      await registry.close(0);
    });
  }

  describe('in a fleet sharing state through a RedisStore', () => {
    let server: RedisServer;
    const clients: Redis[] = [];
    before(async () => {
      server = await redisServer();
      await server.start();
    });
    after(async () => {
      for (const client of clients) client.disconnect();
      await server.dispose();
    });

    const replica = async (): Promise<{ registry: BreakerRegistry; store: RedisStore }> => {
      const redis = new Redis(server.port, '127.0.0.1', { maxRetriesPerRequest: 1 });
      redis.on('error', () => undefined);
      clients.push(redis);
      const store = await RedisStore.connect({ redis, keyPrefix: 'opossum-fleet:' });
      return { registry: new BreakerRegistry({ store }), store };
    };

    it('one replica opening opens the others, which emit open and refuse', async () => {
      const a = await replica();
      const b = await replica();
      const onA = new CircuitBreaker(failing(), { name: 'llm', registry: a.registry });
      const onB = new CircuitBreaker(async () => 'served by b', {
        name: 'llm',
        registry: b.registry,
      });
      const seenOnB = recorder(onB, ['open', 'close']);
      await onA.fire().catch(swallow);
      expect(onA.opened).to.equal(true);
      await eventually(() => onB.opened);
      expect(seenOnB.names).to.deep.equal(['open']);
      expect(await onB.fire().catch((e: { code?: string }) => e.code)).to.equal('EOPENBREAKER');
      onB.close();
      await eventually(() => onA.closed);
      expect(seenOnB.names).to.deep.equal(['open', 'close']);
      onA.shutdown();
      onB.shutdown();
      for (const { registry, store } of [a, b]) {
        await registry.close(0);
        await store.close();
      }
    });
  });
});
