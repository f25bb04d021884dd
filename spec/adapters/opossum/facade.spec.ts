/**
 * breakwater/opossum where it is more than opossum: breakwater's error classes, no timers while
 * idle, and the engine underneath. (What it shares with opossum runs against both in the other
 * specs of this folder.)
 */
import { expect } from 'chai';
import CircuitBreaker, { Status } from '../../../adapters/opossum/index.js';
import {
  isCallTimeoutError,
  isCapacityExceededError,
  isCircuitOpenError,
} from '../../../lib/index.js';
import { after, failing, fakeTime, swallow, type FakeClock } from './helpers.js';

describe('breakwater/opossum beyond opossum', () => {
  let clock: FakeClock;
  beforeEach(() => (clock = fakeTime()));
  afterEach(() => clock.uninstall());

  it("raises breakwater's errors, with opossum's codes", async () => {
    const breaker = new CircuitBreaker(after(500, 'late'), {
      name: 'llm',
      timeout: 100,
      capacity: 1,
      errorThresholdPercentage: 100,
    });
    const slow = breaker.fire().catch((e: unknown) => e);
    const locked = await breaker.fire().catch((e: unknown) => e);
    expect(isCapacityExceededError(locked)).to.equal(true);
    expect(locked).to.include({ code: 'ESEMLOCKED', breaker: 'llm' });
    await clock.tickAsync(100);
    const timedOut = await slow;
    expect(isCallTimeoutError(timedOut)).to.equal(true);
    expect(timedOut).to.include({ code: 'ETIMEDOUT', breaker: 'llm', timeoutMs: 100 });
    breaker.open();
    const refused = await breaker.fire().catch((e: unknown) => e);
    expect(isCircuitOpenError(refused)).to.equal(true);
    expect(refused).to.include({ code: 'EOPENBREAKER', breaker: 'llm', retryAfterMs: 30_000 });
    await clock.tickAsync(500);
    breaker.shutdown();
  });

  it('keeps no timer while idle: the window rolls on the next read, snapshots run only while heard', async () => {
    const breaker = new CircuitBreaker(after(0, 'ok'), {
      rollingCountTimeout: 1_000,
      timeout: false,
    });
    expect(clock.countTimers(), 'opossum keeps two intervals per breaker').to.equal(0);
    const call = breaker.fire();
    await clock.tickAsync(0);
    await call;
    await clock.tickAsync(5_000);
    expect(breaker.stats.fires, 'rolled out without a timer').to.equal(0);
    const listener = (): void => {};
    breaker.status.on('snapshot', listener);
    expect(clock.countTimers()).to.equal(1);
    breaker.status.removeListener('snapshot', listener);
    expect(clock.countTimers()).to.equal(0);
    breaker.open();
    expect(clock.countTimers(), 'the half-open timer, while open').to.equal(1);
    breaker.close();
    expect(clock.countTimers()).to.equal(0);
    breaker.shutdown();
  });

  it('clears its health checks at shutdown', async () => {
    const breaker = new CircuitBreaker(after(0, 'ok'));
    let checks = 0;
    breaker.healthCheck(async () => void checks++, 1_000);
    breaker.shutdown();
    await clock.tickAsync(5_000);
    expect(checks).to.equal(1);
    expect(clock.countTimers()).to.equal(0);
  });

  it('runs on a breakwater Breaker, which counts what the dashboard shows', async () => {
    const breaker = new CircuitBreaker(failing(), { name: 'search', volumeThreshold: 2 });
    breaker.fallback(() => []);
    await breaker.fire();
    await breaker.fire();
    await breaker.fire();
    expect(breaker.breaker.snapshot()).to.include({
      name: 'search',
      state: 'open',
      reason: 'failure_rate',
      totalRequests: 3,
      failedRequests: 2,
      rejectedRequests: 1,
      fallbacks: 3,
    });
    breaker.open();
    breaker.close();
    breaker.open();
    expect(breaker.breaker.snapshot().reason, 'opened by hand').to.equal('manual');
    breaker.shutdown();
  });

  it('times only a sample of successes on a busy breaker unless someone listens to success', async () => {
    const breaker = new CircuitBreaker(async () => 'ok', { timeout: false });
    for (let i = 0; i < 200; i++) await breaker.fire();
    expect(breaker.stats.successes, 'counts stay exact').to.equal(200);
    expect(breaker.stats.latencyTimes).to.have.length(200);
    const latencies: number[] = [];
    breaker.on('success', (_result: unknown, ms: number) => void latencies.push(ms));
    const slow = new CircuitBreaker(after(25, 'ok'));
    slow.on('success', (_result: unknown, ms: number) => void latencies.push(ms));
    for (let i = 0; i < 3; i++) {
      const call = slow.fire();
      await clock.tickAsync(25);
      await call;
    }
    expect(latencies).to.deep.equal([25, 25, 25]);
    breaker.shutdown();
    slow.shutdown();
  });

  it('Status counts fires against the clock without an interval, and primes from stats', () => {
    const status = new Status({ rollingCountBuckets: 2, rollingCountTimeout: 200 });
    status.increment('fires');
    status.increment('failures', 7);
    clock.tick(100);
    status.increment('fires');
    expect(status.window.map((b) => b.fires)).to.deep.equal([1, 1]);
    expect(status.stats).to.include({ fires: 2, failures: 1, latencyMean: 7 });
    clock.tick(100);
    expect(status.stats.fires).to.equal(1);
    status.shutdown();
  });

  it('a fallback set while a call is in flight runs, but the caller gets the error, never an unhandled rejection', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown): void => void unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      const breaker = new CircuitBreaker(
        () => new Promise<never>((_, reject) => setTimeout(() => reject(new Error('down')), 10)),
        { errorThresholdPercentage: 100 },
      );
      const outcome = breaker.fire().catch((e: Error) => e.message);
      let ran = 0;
      breaker.fallback(() => {
        ran++;
        return Promise.reject(new Error('fallback down too'));
      });
      await clock.tickAsync(10);
      expect(await outcome).to.equal('down');
      expect(ran).to.equal(1);
      await new Promise((resolve) => setImmediate(resolve));
      expect(unhandled).to.deep.equal([]);
      breaker.shutdown();
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });

  it('refuses a name already in its registry, and an action that is missing', () => {
    expect(() => new CircuitBreaker(null as never)).to.throw(TypeError, /No action provided/);
    expect(() => new CircuitBreaker(async () => 1, 'fast' as never)).to.throw(
      TypeError,
      /options must be an object/,
    );
    expect(
      () => new CircuitBreaker(async () => 1, { resetTimeout: -5 }),
      "the engine's checks name the option and the value",
    ).to.throw(RangeError, /resetTimeout must be a positive number of ms, got -5/);
    void swallow;
  });
});
