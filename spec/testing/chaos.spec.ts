import FakeTimers, { type Clock } from '@sinonjs/fake-timers';
import { expect } from 'chai';
import { Breaker, CircuitOpenError, defaultClassify } from '../../lib/index.js';
import { chaos, connectionError, providerError } from '../../lib/testing/index.js';
import { rejectionOf } from './sdk-helpers.js';

describe('chaos()', () => {
  let clock: Clock;
  beforeEach(
    () => (clock = FakeTimers.install({ toFake: ['setTimeout', 'clearTimeout', 'Date'] })),
  );
  afterEach(() => clock.uninstall());

  it('calls straight through until a fault is injected, keeping the name and this', async () => {
    const service = {
      prefix: '>',
      complete: chaos(async function complete(this: { prefix: string }, prompt: string) {
        return `${this.prefix} ${prompt}`;
      }),
    };
    expect(await service.complete('hi')).to.equal('> hi');
    expect(service.complete.name).to.equal('complete');
    expect(service.complete.chaos).to.include({ calls: 1, struck: 0, fault: undefined });
  });

  it('error with times: throws N times, then recovers by itself', async () => {
    const fn = chaos(async () => 'ok', {
      kind: 'error',
      error: () => providerError(503),
      times: 2,
    });
    const outcomes = [];
    for (let i = 0; i < 3; i++)
      outcomes.push(await fn().catch((e: { status: number }) => e.status));
    expect(outcomes).to.deep.equal([503, 503, 'ok']);
    expect(fn.chaos).to.include({ calls: 3, struck: 2, fault: undefined });
  });

  it('delay: waits on setTimeout (fake timers drive it), then calls through', async () => {
    const fn = chaos(async (x: number) => x * 2, { kind: 'delay', delayMs: 5_000 });
    let result: number | undefined;
    void fn(21).then((value) => (result = value));
    await clock.tickAsync(4_999);
    expect(result).to.equal(undefined);
    await clock.tickAsync(1);
    expect(result).to.equal(42);
  });

  it('hang: never settles, until the AbortSignal passed last aborts', async () => {
    const fn = chaos(async (_prompt: string, _signal: AbortSignal) => 'never', { kind: 'hang' });
    const controller = new AbortController();
    const pending = rejectionOf(fn('a', controller.signal));
    await clock.tickAsync(60_000);
    controller.abort(new Error('gave up'));
    expect(((await pending) as Error).message).to.equal('gave up');
  });

  it('probability + seed: the same calls fail for the same seed', async () => {
    const run = async () => {
      const fn = chaos(async () => true, {
        kind: 'error',
        error: new Error('x'),
        probability: 0.3,
        seed: 5,
      });
      const results: boolean[] = [];
      for (let i = 0; i < 20; i++) results.push(await fn().catch(() => false));
      return results;
    };
    const first = await run();
    expect(await run()).to.deep.equal(first);
    expect(first).to.include(true).and.to.include(false);
  });

  it('drives a real breaker: injected outages open it, heal() lets the trial through', async () => {
    const breaker = new Breaker({
      name: 'mine',
      failureThreshold: 3,
      resetTimeout: 10_000,
      timeout: false,
    });
    const call = chaos(async (prompt: string) => `answer to ${prompt}`);
    call.chaos.inject({ kind: 'error', error: () => connectionError('ECONNRESET') });
    for (let i = 0; i < 3; i++) await rejectionOf(breaker.execute(() => call('q')));
    expect(breaker.state).to.equal('open');
    expect(await rejectionOf(breaker.execute(() => call('q')))).to.be.instanceOf(CircuitOpenError);
    expect(call.chaos.calls).to.equal(3);
    call.chaos.heal();
    await clock.tickAsync(10_000);
    expect(await breaker.execute(() => call('q'))).to.equal('answer to q');
    expect(breaker.state).to.equal('closed');
  });

  it('throws errors the default classifier judges like the real ones', () => {
    expect(defaultClassify(providerError(429, { retryAfter: 2 }))).to.deep.equal({
      failure: true,
      failover: true,
      rateLimited: true,
      retryAfterMs: 2000,
    });
    expect(defaultClassify(providerError(400)).failure).to.equal(false);
  });

  it('refuses bad faults, naming the field', () => {
    const fn = chaos(async () => 1);
    expect(() => fn.chaos.inject({ kind: 'delay', delayMs: -1 })).to.throw(
      'chaos fault.delayMs must be a non-negative integer, got -1',
    );
    expect(() => fn.chaos.inject({ kind: 'explode' } as never)).to.throw(
      'chaos fault.kind must be one of',
    );
    expect(() => fn.chaos.inject({ kind: 'error' } as never)).to.throw(
      'chaos fault.error must be given',
    );
    expect(() => chaos('nope' as never)).to.throw(TypeError, 'chaos() needs a function');
  });
});
