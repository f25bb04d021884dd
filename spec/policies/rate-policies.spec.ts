import { expect } from 'chai';
import { RollingWindow } from '../../lib/index.js';
import { ManualClock, breakerOn, fail503, repeat, succeed } from '../breaker/helpers.js';

describe('Trip policies over the rolling window', () => {
  it('opens on a failure rate once the window holds volumeThreshold calls', async () => {
    const clock = new ManualClock();
    const breaker = breakerOn(clock, {
      failureThreshold: false,
      errorThresholdPercentage: 50,
      volumeThreshold: 10,
    });
    await repeat(breaker, 4, fail503);
    await repeat(breaker, 5, succeed);
    expect(breaker.state).to.equal('closed'); // 9 calls: under the volume
    await repeat(breaker, 1, fail503); // 10 calls, 5 failures: 50%
    expect(breaker.state).to.equal('open');
    expect(breaker.snapshot().reason).to.equal('failure_rate');
  });

  it('forgets failures that have aged out of the window', async () => {
    const clock = new ManualClock();
    const breaker = breakerOn(clock, {
      failureThreshold: false,
      errorThresholdPercentage: 50,
      volumeThreshold: 4,
      rollingCountTimeout: 10_000,
      rollingCountBuckets: 10,
    });
    await repeat(breaker, 3, fail503);
    clock.advance(10_000);
    await repeat(breaker, 3, succeed);
    await repeat(breaker, 1, fail503);
    expect(breaker.state).to.equal('closed');
    expect(breaker.snapshot().errorRate).to.be.closeTo(0.25, 1e-9);
  });

  it('keeps exact counts when only some calls are timed (many calls in one millisecond)', async () => {
    const clock = new ManualClock();
    const breaker = breakerOn(clock, {
      failureThreshold: false,
      errorThresholdPercentage: 10,
      volumeThreshold: 1000,
    });
    await repeat(breaker, 900, succeed);
    await repeat(breaker, 99, fail503);
    expect(breaker.state).to.equal('closed'); // 999 calls: under the volume
    expect(breaker.snapshot().windowRequests).to.equal(999);
    await repeat(breaker, 1, fail503); // 1,000 calls, 100 failures: 10%
    expect(breaker.state).to.equal('open');
    const snap = breaker.snapshot();
    expect(snap.successfulRequests).to.equal(900);
    expect(snap.latency.count).to.be.below(snap.totalRequests);
  });

  it('opens on a slow-call rate, timing every call', async () => {
    const clock = new ManualClock();
    const breaker = breakerOn(clock, {
      failureThreshold: false,
      slowCallDurationThreshold: 1_000,
      slowCallRateThreshold: 50,
      volumeThreshold: 4,
    });
    const slow = async (): Promise<string> => {
      clock.advance(1_500);
      return 'late but fine';
    };
    await repeat(breaker, 2, succeed);
    await repeat(breaker, 1, slow);
    expect(breaker.state).to.equal('closed');
    await repeat(breaker, 1, slow);
    expect(breaker.state).to.equal('open');
    const snap = breaker.snapshot();
    expect(snap.reason).to.equal('slow_call_rate');
    expect(snap.slowCalls).to.equal(2);
    expect(snap.latency.count).to.equal(4);
  });
});

describe('RollingWindow', () => {
  it('rotates slices by timestamps and keeps running totals', () => {
    const w = new RollingWindow(1_000, 4, 0);
    w.record(0, true, false);
    w.record(250, false, true);
    w.record(500, false, false);
    expect([w.totalCalls, w.totalFailures, w.totalSlow]).to.deep.equal([3, 1, 1]);
    w.rotate(1_000); // the slice of t=0 ages out
    expect([w.totalCalls, w.totalFailures, w.totalSlow]).to.deep.equal([2, 0, 1]);
    expect(w.errorRate(1_250)).to.equal(0);
    expect(w.totalCalls).to.equal(1);
    w.rotate(10_000);
    expect(w.totalCalls).to.equal(0);
  });

  it('places untimed successes at the next flush', () => {
    const w = new RollingWindow(1_000, 4, 0);
    w.countUntimed();
    w.countUntimed();
    expect(w.totalCalls).to.equal(0);
    expect(w.flush(300)).to.equal(2);
    expect(w.totalCalls).to.equal(2);
    expect(w.flush(300)).to.equal(0);
  });
});
