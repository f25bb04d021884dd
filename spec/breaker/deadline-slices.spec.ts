import FakeTimers from '@sinonjs/fake-timers';
import { expect } from 'chai';
import { Breaker, isCallTimeoutError } from '../../lib/index.js';
import { sliceWidth } from '../../lib/breaker/deadline-slices.js';

describe('DeadlineSlices: a burst of calls, then a quiet spell', () => {
  let clock: ReturnType<typeof FakeTimers.install>;
  beforeEach(() => {
    clock = FakeTimers.install({ now: 0 });
  });
  afterEach(() => {
    clock.uninstall();
  });

  it('times out calls that joined a slice without reading the clock at their own deadline, not at the next call’s', async () => {
    const timeout = 1_000;
    const width = sliceWidth(timeout);
    const breaker = new Breaker({ name: 'burst', timeout, failureThreshold: false });
    const quick = (): Promise<number> => Promise.resolve(1);
    // Warm up the timing sampler, so that calls of a burst join without reading the clock.
    for (let i = 0; i < 200; i++) await breaker.execute(quick);
    await clock.tickAsync(5_000);
    const started = Date.now();
    const ended: number[] = [];
    const hang = (): Promise<never> => new Promise(() => undefined);
    for (let i = 0; i < 10; i++) {
      breaker.execute(hang).catch((error: unknown) => {
        expect(isCallTimeoutError(error)).to.equal(true);
        ended.push(Date.now() - started);
      });
    }
    await clock.tickAsync(timeout / 2);
    await breaker.execute(quick); // the next reading comes half a timeout later
    await clock.tickAsync(timeout);
    expect(ended).to.have.length(10);
    for (const at of ended) expect(at).to.be.within(timeout, timeout + width);
  });
});
