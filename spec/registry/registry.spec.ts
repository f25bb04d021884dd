import FakeTimers from '@sinonjs/fake-timers';
import { expect } from 'chai';
import { BreakerRegistry, defaultRegistry, type StateChangeEvent } from '../../lib/index.js';
import { ManualClock, fail503, rejection, repeat } from '../breaker/helpers.js';

describe('BreakerRegistry', () => {
  it('gets or creates breakers by name, with defaults under each breaker’s own options', () => {
    const registry = new BreakerRegistry({ defaults: { failureThreshold: 3, timeout: 5_000 } });
    const a = registry.get('openai', { timeout: 20_000 });
    expect(registry.get('openai')).to.equal(a);
    expect(a.options).to.include({ name: 'openai', failureThreshold: 3, timeout: 20_000 });
    expect(registry.get('anthropic').options.timeout).to.equal(5_000);
    expect(registry.has('openai')).to.equal(true);
    expect(registry.find('google')).to.equal(undefined);
    expect(registry.has('google')).to.equal(false);
  });

  it('snapshots every breaker as an array, in the order they were made', () => {
    const registry = new BreakerRegistry();
    registry.get('b');
    registry.get('a');
    const snaps = registry.snapshot();
    expect(snaps.map((s) => s.name)).to.deep.equal(['b', 'a']);
    expect(JSON.parse(JSON.stringify(snaps))).to.deep.equal(snaps);
  });

  it('resets one breaker or all of them, synchronously, and refuses an unknown name', async () => {
    const clock = new ManualClock();
    const registry = new BreakerRegistry({
      defaults: { failureThreshold: 1, timeout: false, clock },
    });
    await repeat(registry.get('a'), 1, fail503);
    await repeat(registry.get('b'), 1, fail503);
    registry.reset('a');
    expect(registry.get('a').state).to.equal('closed');
    expect(registry.get('b').state).to.equal('open');
    registry.reset();
    expect(registry.get('b').state).to.equal('closed');
    expect(() => registry.reset('nope')).to.throw(RangeError, /no breaker called "nope"/);
  });

  it('forwards every breaker’s events to registry listeners, and stops when disposed', async () => {
    const clock = new ManualClock();
    const registry = new BreakerRegistry({
      defaults: { failureThreshold: 1, timeout: false, clock },
    });
    const seen: string[] = [];
    const sub = registry.on('stateChange', (e: StateChangeEvent) =>
      seen.push(`${e.breaker}:${e.to}`),
    );
    await repeat(registry.get('a'), 1, fail503);
    await repeat(registry.get('b'), 1, fail503);
    sub.dispose();
    registry.reset();
    expect(seen).to.deep.equal(['a:open', 'b:open']);
  });

  it('refuses bad names', () => {
    const registry = new BreakerRegistry();
    expect(() => registry.get('')).to.throw(
      TypeError,
      /breaker name must be a non-empty string, got ""/,
    );
    expect(() => registry.get('x', 5 as never)).to.throw(
      TypeError,
      /options of breaker "x" must be an object, got 5/,
    );
  });

  it('close() waits for calls in flight, then aborts what is left, and makes no more breakers', async () => {
    const clock = FakeTimers.install({ now: 0 });
    try {
      const registry = new BreakerRegistry({ shutdownTimeout: 5_000 });
      const quick = registry.get('quick', { timeout: false });
      const stuck = registry.get('stuck', { timeout: 60_000 });
      let finishQuick!: () => void;
      const quickCall = quick.execute(
        () => new Promise<string>((r) => (finishQuick = () => r('done'))),
      );
      let stuckSignal!: AbortSignal;
      const stuckCall = rejection(
        stuck.execute((signal) => {
          stuckSignal = signal;
          return new Promise(() => undefined);
        }),
      );
      let closed = false;
      const closing = registry.close().then(() => (closed = true));
      await clock.tickAsync(1_000);
      finishQuick();
      expect(await quickCall).to.equal('done');
      await clock.tickAsync(3_000);
      expect(closed).to.equal(false);
      await clock.tickAsync(1_000);
      await closing;
      expect(stuckSignal.aborted).to.equal(true);
      expect(((await stuckCall) as Error).name).to.equal('AbortError');
      expect(registry.close()).to.equal(registry.close());
      expect(() => registry.get('late')).to.throw(/closed/);
    } finally {
      clock.uninstall();
    }
  });

  it('close(0) aborts every call in flight at once: timed, untimed, with a caller signal', async () => {
    const registry = new BreakerRegistry();
    const signals: AbortSignal[] = [];
    const hang = (signal: AbortSignal): Promise<never> => {
      signals.push(signal);
      return new Promise(() => undefined);
    };
    const calls = [
      registry.get('timed', { timeout: 60_000 }).execute(hang),
      registry.get('untimed', { timeout: false }).execute(hang),
      registry.get('caller', { timeout: 60_000 }).execute(hang, new AbortController().signal),
    ].map((call) => rejection(call));
    const closing = registry.close(0);
    expect(signals).to.have.length(3);
    expect(signals.every((signal) => signal.aborted)).to.equal(true);
    // The untimed call's caller gets `fn`'s own promise; the other two are given up at once.
    const [timed, , caller] = await Promise.all([calls[0], Promise.resolve(), calls[2]]);
    expect((timed as Error).name).to.equal('AbortError');
    expect((caller as Error).name).to.equal('AbortError');
    await closing;
    // A bad wait is refused through the promise, as main's close() does since the merge.
    const refused = await rejection(new BreakerRegistry().close(-1));
    expect(refused).to.be.instanceOf(RangeError);
    expect((refused as Error).message).to.match(/timeoutMs.*-1/);
  });

  it('removes a breaker on request', () => {
    const registry = new BreakerRegistry();
    registry.get('x');
    expect(registry.remove('x')).to.equal(true);
    expect(registry.remove('x')).to.equal(false);
    expect(registry.list()).to.deep.equal([]);
  });

  it('has a default registry that is an ordinary, resettable registry', () => {
    expect(defaultRegistry).to.be.instanceOf(BreakerRegistry);
    expect(() => defaultRegistry.reset()).not.to.throw();
  });
});
