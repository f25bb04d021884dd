import { expect } from 'chai';
import { LatencyHistogram, TimeSampler } from '../../lib/index.js';
import { ManualClock } from '../breaker/helpers.js';

describe('LatencyHistogram', () => {
  it('answers quantiles within a bucket and the exact mean, in bounded memory', () => {
    const h = new LatencyHistogram();
    for (let ms = 1; ms <= 1_000; ms++) h.record(ms);
    expect(h.count).to.equal(1_000);
    expect(h.mean()).to.be.closeTo(500.5, 1e-9);
    expect(h.quantile(0.5)).to.be.within(500, 500 * 1.13);
    expect(h.quantile(0.99)).to.be.within(990, 1_000);
    expect(h.quantile(1)).to.equal(1_000);
  });

  it('is exact below 16 ms and answers 0 when empty', () => {
    const h = new LatencyHistogram();
    expect(h.quantile(0.5)).to.equal(0);
    [3, 3, 3, 7].forEach((ms) => h.record(ms));
    expect(h.quantile(0.5)).to.equal(3);
    expect(h.quantile(1)).to.equal(7);
    h.clear();
    expect(h.count).to.equal(0);
  });

  it('copes with huge and negative durations', () => {
    const h = new LatencyHistogram();
    h.record(-5);
    h.record(1e12);
    expect(h.quantile(0)).to.equal(0);
    expect(h.quantile(1)).to.equal(1e12);
  });
});

describe('TimeSampler', () => {
  it('times every call when calls are far apart', () => {
    const clock = new ManualClock();
    const sampler = new TimeSampler();
    for (let i = 0; i < 20; i++) {
      expect(sampler.due()).to.equal(true);
      sampler.start(clock.now());
      clock.advance(50);
    }
  });

  it('times fewer calls (at most 1 in 64) when they come within a millisecond, and every call again after a pause', () => {
    const clock = new ManualClock();
    const sampler = new TimeSampler();
    let timed = 0;
    for (let i = 0; i < 6_400; i++) {
      if (sampler.due()) {
        sampler.start(clock.now());
        timed++;
      }
    }
    expect(timed).to.be.within(100, 120);
    clock.advance(1_000);
    expect(sampler.due() || true).to.equal(true);
    sampler.start(clock.now());
    expect(sampler.due()).to.equal(true);
  });
});
