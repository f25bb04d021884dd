import FakeTimers from '@sinonjs/fake-timers';
import { expect } from 'chai';
import {
  Breaker,
  CallTimeoutError,
  isCallTimeoutError,
  isCapacityExceededError,
  isCircuitOpenError,
} from '../../lib/index.js';
import { ManualClock, breakerOn, fail503, rejection, repeat, succeed } from './helpers.js';

describe('Breaker calls: timeouts, signals, capacity, trials', () => {
  let clock: ReturnType<typeof FakeTimers.install>;
  beforeEach(() => {
    clock = FakeTimers.install({ now: 0 });
  });
  afterEach(() => clock.uninstall());

  it('times a call out: the caller gets CallTimeoutError at once, the signal aborts, it counts as a failure', async () => {
    const breaker = new Breaker({ name: 'slow', timeout: 1_000, failureThreshold: 1 });
    let signalSeen!: AbortSignal;
    const pending = breaker.execute((signal) => {
      signalSeen = signal;
      return new Promise<string>(() => undefined);
    });
    const settled = rejection(pending);
    await clock.tickAsync(999);
    expect(signalSeen.aborted).to.equal(false);
    await clock.tickAsync(1);
    const error = await settled;
    expect(isCallTimeoutError(error)).to.equal(true);
    expect((error as CallTimeoutError).code).to.equal('ETIMEDOUT');
    expect(signalSeen.aborted).to.equal(true);
    expect(signalSeen.reason).to.equal(error);
    expect(breaker.state).to.equal('open');
    expect(breaker.snapshot()).to.include({ timeouts: 1, failedRequests: 1, inFlight: 0 });
  });

  it('drops a late result after a timeout', async () => {
    const breaker = new Breaker({ name: 'late', timeout: 100 });
    let finish!: (v: string) => void;
    const pending = rejection(
      breaker.execute(() => new Promise<string>((resolve) => (finish = resolve))),
    );
    await clock.tickAsync(100);
    expect(isCallTimeoutError(await pending)).to.equal(true);
    finish('too late');
    await clock.tickAsync(0);
    expect(breaker.snapshot()).to.include({ successfulRequests: 0, failedRequests: 1 });
  });

  it('expires many calls with one timer, oldest first, and arms no timer per call', async () => {
    const breaker = new Breaker({ name: 'many', timeout: 1_000, failureThreshold: false });
    const outcomes: string[] = [];
    for (let i = 0; i < 50; i++) {
      breaker.execute(() => new Promise(() => undefined)).catch(() => outcomes.push(`t${i}`));
      await clock.tickAsync(10);
    }
    expect(clock.countTimers()).to.equal(1);
    await clock.tickAsync(1_000);
    expect(outcomes).to.have.length(50);
    expect(outcomes[0]).to.equal('t0');
    expect(clock.countTimers()).to.equal(0);
  });

  it('re-aims its one timer when the clock it was aimed by is gone (fake timers replaced between tests)', async () => {
    const breaker = new Breaker({ name: 'long-lived', timeout: 1_000 });
    await breaker.execute(async () => 'armed the timer');
    clock.uninstall();
    clock = FakeTimers.install({ now: 0 });
    const hung = rejection(breaker.execute(() => new Promise(() => undefined)));
    await clock.tickAsync(1_000);
    expect(isCallTimeoutError(await hung)).to.equal(true);
  });

  it('gives every function a signal, whatever parameters it declares', async () => {
    const breaker = new Breaker({ name: 'signals', timeout: 1_000 });
    const seen: unknown[][] = [];
    await breaker.execute(function (this: unknown, ...rest: unknown[]) {
      seen.push(rest);
      return 1;
    });
    await breaker.execute((...rest: unknown[]) => seen.push(rest));
    const withDefault = (signal: AbortSignal | string = 'default'): number => seen.push([signal]);
    await breaker.execute(withDefault);
    await breaker.execute(withDefault.bind(null));
    class Client {
      constructor(private readonly log: unknown[][]) {}
      call(...rest: unknown[]): Promise<number> {
        return Promise.resolve(this.log.push(rest));
      }
    }
    const client = new Client(seen);
    await breaker.execute((signal) => client.call(signal));
    expect(seen).to.have.length(5);
    for (const args of seen) {
      expect(args).to.have.length(1);
      expect(args[0]).to.be.instanceOf(AbortSignal);
    }
  });

  it("obeys the caller's signal: aborts the call, rejects with the reason, and does not count it", async () => {
    const breaker = new Breaker({ name: 'abort', timeout: false, failureThreshold: 1 });
    const caller = new AbortController();
    let inner!: AbortSignal;
    const pending = rejection(
      breaker.execute((signal) => {
        inner = signal;
        return new Promise(() => undefined);
      }, caller.signal),
    );
    const reason = new Error('user went away');
    caller.abort(reason);
    expect(await pending).to.equal(reason);
    expect(inner.aborted).to.equal(true);
    expect(breaker.state).to.equal('closed');
    expect(breaker.snapshot()).to.include({ cancelled: 1, failedRequests: 0, inFlight: 0 });

    const already = AbortSignal.abort(new Error('before'));
    let ran = false;
    await rejection(
      breaker.execute(async () => {
        ran = true;
      }, already),
    );
    expect(ran).to.equal(false);
  });

  it('refuses calls beyond capacity with CapacityExceededError, not counted as a failure', async () => {
    const breaker = new Breaker({ name: 'cap', timeout: false, capacity: 2, failureThreshold: 1 });
    const release: (() => void)[] = [];
    const running = [0, 1].map(() =>
      breaker.execute(() => new Promise<void>((r) => release.push(r))),
    );
    const refused = await rejection(breaker.execute(succeed));
    expect(isCapacityExceededError(refused)).to.equal(true);
    expect((refused as { code: string }).code).to.equal('ESEMLOCKED');
    expect(breaker.state).to.equal('closed');
    release.forEach((r) => r());
    await Promise.all(running);
    expect(await breaker.execute(succeed)).to.equal('ok');
    expect(breaker.snapshot()).to.include({ rejectedRequests: 1, successfulRequests: 3 });
  });

  it('lets exactly halfOpenMaxCalls of 1,000 simultaneous calls reach a half-open provider', async () => {
    const manual = new ManualClock();
    const breaker = breakerOn(manual, {
      failureThreshold: 1,
      resetTimeout: 1_000,
      halfOpenMaxCalls: 2,
    });
    await repeat(breaker, 1, fail503);
    manual.advance(1_000);
    let reached = 0;
    const finish: (() => void)[] = [];
    const provider = (): Promise<string> => {
      reached++;
      return new Promise((resolve) => finish.push(() => resolve('ok')));
    };
    const calls = Array.from({ length: 1_000 }, () =>
      breaker.execute(provider).then(
        () => 'served',
        (e) => e,
      ),
    );
    expect(reached).to.equal(2);
    finish.forEach((f) => f());
    const outcomes = await Promise.all(calls);
    expect(outcomes.filter((o) => o === 'served')).to.have.length(2);
    expect(outcomes.filter((o) => isCircuitOpenError(o))).to.have.length(998);
    expect(breaker.state).to.equal('closed');
  });

  it('frees a trial permit when a trial is cancelled, so the next call may try', async () => {
    const manual = new ManualClock();
    const breaker = breakerOn(manual, { failureThreshold: 1, resetTimeout: 10 });
    await repeat(breaker, 1, fail503);
    manual.advance(10);
    const caller = new AbortController();
    const trial = rejection(breaker.execute(() => new Promise(() => undefined), caller.signal));
    expect(isCircuitOpenError(await rejection(breaker.execute(succeed)))).to.equal(true);
    caller.abort();
    await trial;
    expect(await breaker.execute(succeed)).to.equal('ok');
    expect(breaker.state).to.equal('closed');
  });

  it('drains: resolves once calls in flight settle', async () => {
    const breaker = new Breaker({ name: 'drain', timeout: false });
    let finish!: () => void;
    const call = breaker.execute(() => new Promise<void>((r) => (finish = r)));
    let drained = false;
    const draining = breaker.drain().then(() => (drained = true));
    await clock.tickAsync(0);
    expect(drained).to.equal(false);
    finish();
    await call;
    await draining;
    expect(drained).to.equal(true);
  });

  it('gives calls without a timeout or caller signal a shared signal that only shutdown aborts', async () => {
    const breaker = new Breaker({ name: 'untimed', timeout: false });
    const seen: AbortSignal[] = [];
    const hung = [0, 1].map(() =>
      breaker.execute(
        (signal) =>
          new Promise<string>((_, reject) => {
            seen.push(signal);
            signal.addEventListener('abort', () => reject(signal.reason));
          }),
      ),
    );
    expect(seen[0]).to.be.instanceOf(AbortSignal);
    expect(seen[0]).to.equal(seen[1]);
    expect(seen[0]!.aborted).to.equal(false);
    const reason = new Error('stopping');
    breaker.shutdown(reason);
    for (const call of hung) expect(await rejection(call)).to.equal(reason);
    let after!: AbortSignal;
    await breaker.execute((signal) => {
      after = signal;
      return 'ok';
    });
    expect(after.aborted).to.equal(false);
  });

  it('shutdown aborts calls that can be aborted', async () => {
    const breaker = new Breaker({ name: 'down', timeout: 60_000 });
    let inner!: AbortSignal;
    const pending = rejection(
      breaker.execute((signal) => {
        inner = signal;
        return new Promise(() => undefined);
      }),
    );
    breaker.shutdown();
    const error = (await pending) as DOMException;
    expect(error.name).to.equal('AbortError');
    expect(inner.aborted).to.equal(true);
  });
});
