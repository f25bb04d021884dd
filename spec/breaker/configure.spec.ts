import { expect } from 'chai';
import FakeTimers from '@sinonjs/fake-timers';
import {
  Breaker,
  CallTimeoutError,
  LIVE_OPTION_NAMES,
  type ConfigureEvent,
} from '../../lib/index.js';
import { ManualClock, breakerOn, fail503, rejection, repeat, succeed } from './helpers.js';

describe('Breaker.configure', () => {
  it('raises the consecutive threshold live, keeping the failures already counted', async () => {
    const clock = new ManualClock();
    const breaker = breakerOn(clock, { failureThreshold: 3 });
    await repeat(breaker, 2, fail503);
    const config = breaker.configure({ failureThreshold: 5 });
    expect(config.failureThreshold).to.equal(5);
    expect(breaker.snapshot().failureCount).to.equal(2);
    await repeat(breaker, 2, fail503);
    expect(breaker.state).to.equal('closed');
    await repeat(breaker, 1, fail503);
    expect(breaker.state).to.equal('open');
    expect(breaker.snapshot().reason).to.equal('consecutive_failures');
  });

  it('turns the failure-rate policy on over the calls already in the window, and off with null', async () => {
    const clock = new ManualClock();
    const breaker = breakerOn(clock, { failureThreshold: false, volumeThreshold: 4 });
    await breaker.execute(succeed);
    await repeat(breaker, 2, fail503);
    breaker.configure({ errorThresholdPercentage: 50 });
    expect(breaker.state).to.equal('closed');
    await repeat(breaker, 1, fail503); // 3 of 4 failed
    expect(breaker.state).to.equal('open');
    expect(breaker.snapshot().reason).to.equal('failure_rate');

    breaker.reset();
    breaker.configure({ errorThresholdPercentage: null });
    expect(breaker.options.errorThresholdPercentage).to.equal(undefined);
    await repeat(breaker, 10, fail503);
    expect(breaker.state).to.equal('closed');
  });

  it('keeps the window counts when the window is resized, and the state and counters', async () => {
    const clock = new ManualClock();
    const breaker = breakerOn(clock, { failureThreshold: false });
    await repeat(breaker, 3, succeed);
    await repeat(breaker, 1, fail503);
    breaker.isolate();
    breaker.configure({ rollingCountTimeout: 30_000, rollingCountBuckets: 30 });
    const snapshot = breaker.snapshot();
    expect(snapshot.state).to.equal('isolated');
    expect(snapshot.windowRequests).to.equal(4);
    expect(snapshot.errorRate).to.equal(0.25);
    expect(snapshot.totalRequests).to.equal(4);
    expect(snapshot.config.rollingCountTimeout).to.equal(30_000);
    clock.advance(30_000);
    expect(breaker.snapshot().windowRequests).to.equal(0);
  });

  it('applies a new timeout to the next call', async () => {
    const timers = FakeTimers.install({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    try {
      const breaker = new Breaker({ name: 'slow', timeout: 10_000 });
      breaker.configure({ timeout: 100 });
      const call = breaker.execute(
        (signal) => new Promise((_, reject) => signal.addEventListener('abort', reject)),
      );
      const settled = rejection(call);
      await timers.tickAsync(100);
      expect(await settled).to.be.instanceOf(CallTimeoutError);
      expect(breaker.snapshot().timeouts).to.equal(1);
    } finally {
      timers.uninstall();
    }
  });

  it('emits configure with the options that changed', () => {
    const clock = new ManualClock(5);
    const breaker = breakerOn(clock);
    const seen: ConfigureEvent[] = [];
    breaker.on('configure', (e) => seen.push(e));
    breaker.configure({ resetTimeout: 5_000, timeout: false, halfOpenMaxCalls: 1 });
    expect(seen).to.have.length(1);
    expect(seen[0]!.breaker).to.equal('provider');
    expect(seen[0]!.changed).to.deep.equal(['resetTimeout']);
    expect(seen[0]!.config.resetTimeout).to.equal(5_000);
    expect(seen[0]!.at).to.equal(5);
  });

  it('refuses bad values as the constructor does, and changes nothing', () => {
    const breaker = breakerOn(new ManualClock(), { resetTimeout: 10_000 });
    expect(() => breaker.configure({ failureThreshold: -1 })).to.throw(
      RangeError,
      /failureThreshold must be a positive integer, got -1/,
    );
    expect(() => breaker.configure({ timeout: '5s' as never })).to.throw(RangeError, /got "5s"/);
    expect(() => breaker.configure({ maxResetTimeout: 5_000 })).to.throw(
      RangeError,
      /maxResetTimeout must be at least resetTimeout \(10000\), got 5000/,
    );
    expect(() => breaker.configure({ slowCallRateThreshold: 50 })).to.throw(
      TypeError,
      /needs slowCallDurationThreshold/,
    );
    expect(() => breaker.configure({ failureTreshold: 3 } as never)).to.throw(
      TypeError,
      /unknown option "failureTreshold"; did you mean "failureThreshold"\?/,
    );
    expect(() => breaker.configure(null as never)).to.throw(TypeError, /must be an object/);
    expect(breaker.options.resetTimeout).to.equal(10_000);
    expect(breaker.options.failureThreshold).to.equal(5);
  });

  it('refuses options that cannot change live, saying why', () => {
    const breaker = breakerOn(new ManualClock());
    for (const [key, value, why] of [
      ['name', 'other', /name cannot change on a live breaker/],
      ['clock', { now: () => 0 }, /clock cannot change/],
      ['enabled', false, /use disable\(\) and enable\(\)/],
      ['classify', () => undefined, /classify cannot change/],
    ] as const) {
      expect(() => breaker.configure({ [key]: value } as never), key).to.throw(TypeError, why);
    }
    expect(LIVE_OPTION_NAMES).to.include('failureThreshold').and.not.include('name');
  });

  it('enable() ends a disable and keeps the counters; it leaves other states alone', async () => {
    const breaker = breakerOn(new ManualClock());
    breaker.disable();
    await repeat(breaker, 7, fail503);
    expect(breaker.state).to.equal('disabled');
    breaker.enable();
    expect(breaker.state).to.equal('closed');
    expect(breaker.snapshot().failedRequests).to.equal(7);
    breaker.isolate();
    breaker.enable();
    expect(breaker.state).to.equal('isolated');
  });
});
