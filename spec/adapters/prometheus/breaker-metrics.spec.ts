import FakeTimers from '@sinonjs/fake-timers';
import { expect } from 'chai';
import { Registry } from 'prom-client';
import request from 'supertest';
import { BreakerRegistry, type Breaker } from '../../../lib/index.js';
import {
  collectBreakerMetrics,
  createBreakerMetricsRegistry,
} from '../../../adapters/prometheus/index.js';
import { buildApp, FRAMEWORKS } from '../http/frameworks.js';

const NAMES = [
  'circuit_breaker_state',
  'circuit_breaker_requests_total',
  'circuit_breaker_failures_total',
  'circuit_breaker_rejections_total',
  'circuit_breaker_call_duration_seconds',
];

/** One sample's value from prom-client's JSON, by metric name (and sample name) and labels. */
async function sample(
  register: Registry,
  metric: string,
  labels: Record<string, string>,
  sampleName = metric,
): Promise<number | undefined> {
  const all = await register.getMetricsAsJSON();
  const family = all.find((m) => m.name === metric);
  const values = (family?.values ?? []) as {
    metricName?: string;
    labels: Record<string, unknown>;
    value: number;
  }[];
  const hit = values.find(
    (v) =>
      (v.metricName ?? metric) === sampleName &&
      Object.entries(labels).every(([k, x]) => v.labels[k] === x),
  );
  return hit?.value;
}

async function run(breaker: Breaker, outcome: 'ok' | 'fail' | 'bug'): Promise<void> {
  const error = outcome === 'bug' ? new TypeError('caller bug') : new Error('provider down');
  await breaker
    .execute(() => (outcome === 'ok' ? Promise.resolve(1) : Promise.reject(error)))
    .catch(() => undefined);
}

describe('breakwater/prometheus', () => {
  it("fills the user's own prom-client registry with every breaker's metrics", async () => {
    const registry = new BreakerRegistry({ defaults: { failureThreshold: 3, timeout: false } });
    const register = new Registry();
    collectBreakerMetrics(registry, { register });
    const openai = registry.get('openai');
    registry.get('anthropic');
    for (const outcome of ['ok', 'ok', 'bug', 'fail', 'fail', 'fail', 'ok'] as const)
      await run(openai, outcome);

    expect(
      await sample(register, 'circuit_breaker_state', { breaker: 'openai', state: 'open' }),
    ).to.equal(2);
    expect(
      await sample(register, 'circuit_breaker_state', { breaker: 'anthropic', state: 'closed' }),
    ).to.equal(0);
    const requests = (outcome: string) =>
      sample(register, 'circuit_breaker_requests_total', { breaker: 'openai', outcome });
    expect(await requests('success')).to.equal(2);
    expect(await requests('caller_error')).to.equal(1);
    expect(await requests('failure')).to.equal(3);
    expect(await requests('rejected')).to.equal(1);
    expect(
      await sample(register, 'circuit_breaker_failures_total', { breaker: 'openai' }),
    ).to.equal(3);
    expect(
      await sample(register, 'circuit_breaker_failures_total', { breaker: 'anthropic' }),
      'zero, not absent',
    ).to.equal(0);
    expect(
      await sample(register, 'circuit_breaker_rejections_total', {
        breaker: 'openai',
        reason: 'open',
      }),
    ).to.equal(1);
    const count = (outcome: string) =>
      sample(
        register,
        'circuit_breaker_call_duration_seconds',
        { breaker: 'openai', outcome },
        'circuit_breaker_call_duration_seconds_count',
      );
    expect(await count('success')).to.equal(2);
    expect(await count('failure')).to.equal(3);

    const text = await register.metrics();
    for (const name of NAMES) expect(text).to.include(`# TYPE ${name} `);
    expect(text).to.include('circuit_breaker_state{breaker="openai",state="open"} 2');
  });

  it('counts timeouts as failures, and refusals by reason', async () => {
    const timers = FakeTimers.install({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    try {
      const registry = new BreakerRegistry({ defaults: { failureThreshold: 1 } });
      const register = new Registry();
      collectBreakerMetrics(registry, { register });
      const slow = registry.get('slow', { timeout: 250 });
      const call = slow.execute(() => new Promise(() => undefined)).catch(() => undefined);
      await timers.tickAsync(250);
      await call;
      await run(slow, 'ok');
      registry.get('held').isolate();
      await run(registry.get('held'), 'ok');
      const full = registry.get('full', { capacity: 1, timeout: false });
      const hold = full.execute(() => new Promise<void>((resolve) => setTimeout(resolve, 10)));
      await run(full, 'ok');
      await timers.tickAsync(10);
      await hold;
      expect(
        await sample(register, 'circuit_breaker_requests_total', {
          breaker: 'slow',
          outcome: 'timeout',
        }),
      ).to.equal(1);
      expect(
        await sample(register, 'circuit_breaker_failures_total', { breaker: 'slow' }),
      ).to.equal(1);
      expect(
        await sample(register, 'circuit_breaker_rejections_total', {
          breaker: 'slow',
          reason: 'open',
        }),
      ).to.equal(1);
      expect(
        await sample(register, 'circuit_breaker_rejections_total', {
          breaker: 'held',
          reason: 'isolated',
        }),
      ).to.equal(1);
      expect(
        await sample(register, 'circuit_breaker_rejections_total', {
          breaker: 'full',
          reason: 'capacity',
        }),
      ).to.equal(1);
      expect(await sample(register, 'circuit_breaker_state', { breaker: 'held' })).to.equal(3);
      expect(
        await sample(
          register,
          'circuit_breaker_call_duration_seconds',
          { breaker: 'slow', outcome: 'timeout' },
          'circuit_breaker_call_duration_seconds_sum',
        ),
      ).to.equal(0.25);
    } finally {
      timers.uninstall();
    }
  });

  it('keeps counting across a breaker reset, and stops when disposed', async () => {
    const registry = new BreakerRegistry({ defaults: { timeout: false } });
    const register = new Registry();
    const metrics = collectBreakerMetrics(registry, { register, prefix: 'app_' });
    const breaker = registry.get('openai');
    await run(breaker, 'ok');
    breaker.reset();
    await run(breaker, 'ok');
    expect(
      await sample(register, 'app_circuit_breaker_requests_total', {
        breaker: 'openai',
        outcome: 'success',
      }),
    ).to.equal(2);
    const listeners = () =>
      (registry as unknown as { events: { listenerCount: number } }).events.listenerCount;
    expect(listeners()).to.equal(7);
    metrics.dispose();
    metrics.dispose();
    expect(listeners()).to.equal(0);
    expect(await register.metrics()).to.equal('\n');
    collectBreakerMetrics(registry, { register, prefix: 'app_' }).dispose();
  });

  it("makes a registry of its own, leaving prom-client's global one alone", async () => {
    const registry = new BreakerRegistry();
    registry.get('openai');
    const own = createBreakerMetricsRegistry(registry);
    const other = createBreakerMetricsRegistry(registry);
    expect(own.register).not.to.equal(other.register);
    expect(await own.register.metrics()).to.include(
      'circuit_breaker_state{breaker="openai",state="closed"} 0',
    );
    own.dispose();
    other.dispose();
  });

  it('validates its options, naming the option and the value', () => {
    const registry = new BreakerRegistry();
    expect(() => collectBreakerMetrics({} as never)).to.throw(
      TypeError,
      'registry must be a BreakerRegistry',
    );
    expect(() => collectBreakerMetrics(registry, { prefix: '1-bad' })).to.throw(
      TypeError,
      'prefix must be a valid metric name prefix, got "1-bad"',
    );
    expect(() => collectBreakerMetrics(registry, { buckets: [1, 0.5] })).to.throw(
      RangeError,
      'buckets must be increasing positive seconds, got [1,0.5]',
    );
    expect(() => collectBreakerMetrics(registry, { register: {} as never })).to.throw(
      TypeError,
      'register must be a prom-client Registry',
    );
    expect(() => collectBreakerMetrics(registry, { regster: new Registry() } as never)).to.throw(
      TypeError,
      'unknown option "regster"',
    );
  });

  for (const framework of FRAMEWORKS) {
    describe(`through the admin router's GET /metrics under ${framework}`, () => {
      it("serves breakwater's metrics from a registry of its own by default", async () => {
        const registry = new BreakerRegistry({ defaults: { timeout: false } });
        const app = buildApp(framework, registry, { admin: {} });
        const first = await request(app.server).get('/admin/metrics').expect(200);
        expect(first.headers['content-type']).to.equal('text/plain; version=0.0.4; charset=utf-8');
        await run(registry.get('openai'), 'ok');
        const res = await request(app.server).get('/admin/metrics').expect(200);
        for (const name of NAMES) expect(res.text).to.include(`# TYPE ${name} `);
        expect(res.text).to.include(
          'circuit_breaker_requests_total{breaker="openai",outcome="success"} 1',
        );
        expect(res.text).to.include('circuit_breaker_state{breaker="openai",state="closed"} 0');
        await app.admin!.close();
      });

      it("serves the user's registry when given one", async () => {
        const registry = new BreakerRegistry();
        const register = new Registry();
        const metrics = collectBreakerMetrics(registry, { register, prefix: 'shop_' });
        registry.get('payments').isolate();
        const app = buildApp(framework, registry, { admin: { metrics: register } });
        const res = await request(app.server).get('/admin/metrics').expect(200);
        expect(res.text).to.include(
          'shop_circuit_breaker_state{breaker="payments",state="isolated"} 3',
        );
        metrics.dispose();
      });
    });
  }
});
