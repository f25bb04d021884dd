import FakeTimers from '@sinonjs/fake-timers';
import { expect } from 'chai';
import { getEventListeners } from 'node:events';
import { Breaker, isCallTimeoutError } from '../../lib/index.js';
import { sliceWidth } from '../../lib/breaker/deadline-slices.js';
import { rejection } from './helpers.js';

/** Runs `total` calls through `breaker`, `concurrency` at a time; `fn` leaks one abort listener per call. */
async function leakyCalls(
  breaker: Breaker,
  total: number,
  concurrency: number,
  seen: Set<AbortSignal>,
  callerSignal?: AbortSignal,
): Promise<void> {
  const leaky = (signal: AbortSignal): Promise<number> => {
    seen.add(signal);
    signal.addEventListener('abort', () => undefined); // as fetch does: removed only at GC
    return Promise.resolve(1);
  };
  for (let done = 0; done < total; done += concurrency) {
    await Promise.all(
      Array.from({ length: concurrency }, () => breaker.execute(leaky, callerSignal)),
    );
  }
}

function mostListeners(signals: Iterable<AbortSignal>): number {
  let most = 0;
  for (const signal of signals) most = Math.max(most, getEventListeners(signal, 'abort').length);
  return most;
}

describe('Breaker signals: one per call in effect, few made, nothing piles up', () => {
  let clock: ReturnType<typeof FakeTimers.install>;
  const warnings: Error[] = [];
  const onWarning = (warning: Error): void => {
    warnings.push(warning);
  };
  beforeEach(() => {
    clock = FakeTimers.install({ now: 0 });
    warnings.length = 0;
    process.on('warning', onWarning);
  });
  afterEach(() => {
    process.off('warning', onWarning);
    clock.uninstall();
  });

  it('10,000 untimed and 10,000 timed calls that leak a listener each: every signal keeps under 16, no warning', async () => {
    const seen = new Set<AbortSignal>();
    const untimed = new Breaker({ name: 'untimed-leaky', timeout: false });
    const timed = new Breaker({ name: 'timed-leaky', timeout: 5_000 });
    await leakyCalls(untimed, 10_000, 1, seen);
    await leakyCalls(timed, 10_000, 1, seen);
    await leakyCalls(untimed, 2_000, 50, seen);
    await leakyCalls(timed, 2_000, 50, seen);
    await clock.tickAsync(10); // process warnings are emitted on the next tick
    expect(mostListeners(seen)).to.be.at.most(16);
    expect(warnings.map((w) => w.name)).to.deep.equal([]);
    // Signals are shared while nobody listens: far fewer signals than calls even so.
    expect(seen.size).to.be.below(24_000 / 7);
  });

  it('shares one signal among calls that never listen to it', async () => {
    const seen = new Set<AbortSignal>();
    const breaker = new Breaker({ name: 'quiet', timeout: 5_000 });
    for (let i = 0; i < 1_000; i++) {
      await breaker.execute((signal) => {
        seen.add(signal);
        return i;
      });
    }
    expect(seen.size).to.equal(1);
  });

  it("puts ONE listener on a caller's signal shared by 100 calls, and takes it off when they settle", async () => {
    const breaker = new Breaker({ name: 'shared-caller', timeout: 5_000 });
    const caller = new AbortController();
    const finish: (() => void)[] = [];
    const calls = Array.from({ length: 100 }, () =>
      breaker.execute(() => new Promise<void>((resolve) => finish.push(resolve)), caller.signal),
    );
    expect(getEventListeners(caller.signal, 'abort')).to.have.length(1);
    finish.forEach((resolve) => resolve());
    await Promise.all(calls);
    expect(getEventListeners(caller.signal, 'abort')).to.have.length(0);

    const seen = new Set<AbortSignal>();
    await leakyCalls(breaker, 1_000, 20, seen, caller.signal);
    expect(mostListeners(seen)).to.be.at.most(1);
    await clock.tickAsync(10);
    expect(warnings).to.deep.equal([]);
  });

  it("cancels every call of a caller's signal when it aborts, each through its own signal", async () => {
    const breaker = new Breaker({ name: 'abort-many', timeout: 5_000 });
    const caller = new AbortController();
    const inner: AbortSignal[] = [];
    const calls = Array.from({ length: 20 }, () =>
      rejection(
        breaker.execute((signal) => {
          inner.push(signal);
          return new Promise(() => undefined);
        }, caller.signal),
      ),
    );
    const other = breaker.execute(() => new Promise((resolve) => setTimeout(resolve, 10, 'ok')));
    const reason = new Error('client left');
    caller.abort(reason);
    for (const call of calls) expect(await call).to.equal(reason);
    expect(inner.every((signal) => signal.aborted && signal.reason === reason)).to.equal(true);
    await clock.tickAsync(10);
    expect(await other).to.equal('ok');
    expect(breaker.snapshot()).to.include({ cancelled: 20, failedRequests: 0, inFlight: 0 });
  });

  it('aborts a timed call never before its deadline, and at most one slice width after it', async () => {
    const timeout = 2_000;
    const width = sliceWidth(timeout);
    expect(width).to.equal(20);
    const breaker = new Breaker({ name: 'late-by', timeout, failureThreshold: false });
    const aborts: { started: number; aborted: number; rejected: number }[] = [];
    for (let i = 0; i < 200; i++) {
      const started = Date.now();
      const record = { started, aborted: -1, rejected: -1 };
      aborts.push(record);
      breaker
        .execute(
          (signal) =>
            new Promise(() =>
              signal.addEventListener('abort', () => (record.aborted = Date.now())),
            ),
        )
        .catch((error: unknown) => {
          expect(isCallTimeoutError(error)).to.equal(true);
          record.rejected = Date.now();
        });
      // Busy at first (many calls a millisecond, most of them never reading the clock), then quiet.
      await clock.tickAsync(i < 150 ? (i % 10 === 0 ? 1 : 0) : 7);
    }
    await clock.tickAsync(timeout + 2 * width);
    for (const { started, aborted, rejected } of aborts) {
      expect(aborted - started).to.be.within(timeout, timeout + width);
      expect(rejected).to.equal(aborted);
    }
    expect(clock.countTimers()).to.equal(0);
  });

  it('keeps the deadline a call started with when the timeout changes live', async () => {
    const breaker = new Breaker({ name: 'retimed', timeout: 1_000, failureThreshold: false });
    const hang = (): Promise<never> => new Promise(() => undefined);
    const ended: string[] = [];
    void breaker.execute(hang).catch(() => ended.push(`old@${Date.now()}`));
    breaker.configure({ timeout: 100 });
    void breaker.execute(hang).catch(() => ended.push(`new@${Date.now()}`));
    await clock.tickAsync(1_000);
    expect(ended).to.deep.equal(['new@100', 'old@1000']);
  });

  it('aborts at shutdown the calls of every signal still in use, rotated ones included', async () => {
    const breaker = new Breaker({ name: 'rotated', timeout: false });
    const held: AbortSignal[] = [];
    const calls = Array.from({ length: 40 }, () =>
      rejection(
        breaker.execute((signal) => {
          held.push(signal);
          signal.addEventListener('abort', () => undefined);
          return new Promise(() => undefined);
        }),
      ),
    );
    expect(new Set(held).size).to.be.above(1);
    breaker.shutdown(new Error('bye'));
    expect(held.every((signal) => signal.aborted)).to.equal(true);
    void calls;
  });
});
