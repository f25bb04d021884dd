import { expect } from 'chai';
import { CircuitOpenError, isCircuitOpenError, type StateChangeEvent } from '../../lib/index.js';
import {
  ManualClock,
  breakerOn,
  fail503,
  httpError,
  rejection,
  repeat,
  succeed,
} from './helpers.js';

describe('Breaker state machine', () => {
  it('replays the classic failback timeline: 5 failures open it, 60 s of refusals, one trial closes it', async () => {
    const clock = new ManualClock(0);
    const breaker = breakerOn(clock);
    const moves: string[] = [];
    breaker.on('stateChange', (e: StateChangeEvent) => moves.push(`${e.from}->${e.to}@${e.at}`));
    let reached = 0;
    const provider = async (): Promise<string> => {
      reached++;
      throw httpError(500);
    };
    for (let i = 0; i < 4; i++) await rejection(breaker.execute(provider));
    expect(breaker.state).to.equal('closed');
    await rejection(breaker.execute(provider));
    expect(breaker.state).to.equal('open');
    expect(reached).to.equal(5);

    for (let t = 1_000; t < 60_000; t += 1_000) {
      clock.time = t;
      const error = await rejection(breaker.execute(provider));
      expect(isCircuitOpenError(error)).to.equal(true);
      expect((error as CircuitOpenError).retryAfterMs).to.equal(60_000 - t);
    }
    expect(reached).to.equal(5);

    clock.time = 60_000;
    let trialReached = 0;
    const value = await breaker.execute(async () => {
      trialReached++;
      return 'recovered';
    });
    expect(value).to.equal('recovered');
    expect(trialReached).to.equal(1);
    expect(breaker.state).to.equal('closed');
    expect(moves).to.deep.equal([
      'closed->open@0',
      'open->half_open@60000',
      'half_open->closed@60000',
    ]);
  });

  it('counts only consecutive failures: a success starts the count again', async () => {
    const clock = new ManualClock();
    const breaker = breakerOn(clock, { failureThreshold: 3 });
    await repeat(breaker, 2, fail503);
    await breaker.execute(succeed);
    await repeat(breaker, 2, fail503);
    expect(breaker.state).to.equal('closed');
    expect(breaker.snapshot().failureCount).to.equal(2);
    await repeat(breaker, 1, fail503);
    expect(breaker.state).to.equal('open');
    expect(breaker.snapshot().reason).to.equal('consecutive_failures');
  });

  it('moves to half-open on read once the wait is over, without any timer', async () => {
    const clock = new ManualClock();
    const breaker = breakerOn(clock, { failureThreshold: 1, resetTimeout: 1_000 });
    await repeat(breaker, 1, fail503);
    clock.time = 999;
    expect(breaker.state).to.equal('open');
    expect(breaker.snapshot().retryAfterMs).to.equal(1);
    clock.time = 1_000;
    expect(breaker.state).to.equal('half_open');
    expect(breaker.snapshot().retryAfterMs).to.equal(null);
  });

  it('reopens on a failed trial, doubling the wait up to maxResetTimeout, and forgets the backoff on close', async () => {
    const clock = new ManualClock();
    const breaker = breakerOn(clock, {
      failureThreshold: 1,
      resetTimeout: 1_000,
      maxResetTimeout: 5_000,
    });
    const waits: number[] = [];
    breaker.on('open', (e) => waits.push(e.retryAfterMs));
    await repeat(breaker, 1, fail503);
    for (let i = 0; i < 4; i++) {
      clock.advance(waits[waits.length - 1]!);
      await repeat(breaker, 1, fail503); // the trial fails
    }
    expect(waits).to.deep.equal([1_000, 2_000, 4_000, 5_000, 5_000]);
    expect(breaker.snapshot().reason).to.equal('trial_failed');
    clock.advance(5_000);
    await breaker.execute(succeed);
    expect(breaker.state).to.equal('closed');
    await repeat(breaker, 1, fail503);
    expect(waits[waits.length - 1]).to.equal(1_000);
  });

  it('needs successThreshold trial successes to close', async () => {
    const clock = new ManualClock();
    const breaker = breakerOn(clock, {
      failureThreshold: 1,
      resetTimeout: 100,
      successThreshold: 3,
    });
    await repeat(breaker, 1, fail503);
    clock.advance(100);
    await breaker.execute(succeed);
    await breaker.execute(succeed);
    expect(breaker.state).to.equal('half_open');
    expect(breaker.snapshot().successCount).to.equal(2);
    await breaker.execute(succeed);
    expect(breaker.state).to.equal('closed');
  });

  it('stays open at least as long as the provider asked (Retry-After on the failure that trips)', async () => {
    const clock = new ManualClock();
    const breaker = breakerOn(clock, { failureThreshold: 1, resetTimeout: 1_000 });
    await rejection(
      breaker.execute(async () => Promise.reject(httpError(503, { 'retry-after': '30' }))),
    );
    expect(breaker.snapshot().retryAfterMs).to.equal(30_000);
  });

  it('treats a rate limit as its own reason: opens at once for the asked time, not counted as a failure', async () => {
    const clock = new ManualClock();
    const breaker = breakerOn(clock, { resetTimeout: 10_000 });
    await rejection(
      breaker.execute(async () => Promise.reject(httpError(429, { 'retry-after': '20' }))),
    );
    const snap = breaker.snapshot();
    expect(snap.state).to.equal('open');
    expect(snap.reason).to.equal('rate_limited');
    expect(snap.retryAfterMs).to.equal(20_000);
    expect(snap.rateLimited).to.equal(1);
    expect(snap.failedRequests).to.equal(0);
  });

  it('rethrows caller errors (400) untouched and does not count them against the provider', async () => {
    const clock = new ManualClock();
    const breaker = breakerOn(clock, { failureThreshold: 1 });
    const bad = httpError(400);
    expect(await rejection(breaker.execute(async () => Promise.reject(bad)))).to.equal(bad);
    expect(breaker.state).to.equal('closed');
    expect(breaker.snapshot()).to.include({ callerErrors: 1, failedRequests: 0 });
  });

  it("honours opossum's errorFilter and a classify option that defers with undefined", async () => {
    const clock = new ManualClock();
    const filtered = breakerOn(clock, {
      failureThreshold: 1,
      errorFilter: (e) => (e as Error).message === 'ignore me',
    });
    await repeat(filtered, 3, async () => Promise.reject(new Error('ignore me')));
    expect(filtered.state).to.equal('closed');
    const classified = breakerOn(clock, {
      failureThreshold: 1,
      classify: (e) =>
        (e as Error).message === 'fine' ? { failure: false, failover: false } : undefined,
    });
    await repeat(classified, 2, async () => Promise.reject(new Error('fine')));
    expect(classified.state).to.equal('closed');
    await repeat(classified, 1, fail503);
    expect(classified.state).to.equal('open');
  });

  it('counts a failure when the classifier itself throws, and still rethrows the original error', async () => {
    const clock = new ManualClock();
    const breaker = breakerOn(clock, {
      failureThreshold: 1,
      classify: () => {
        throw new Error('classifier bug');
      },
    });
    const original = new Error('provider down');
    expect(await rejection(breaker.execute(async () => Promise.reject(original)))).to.equal(
      original,
    );
    expect(breaker.state).to.equal('open');
  });

  it('isolates (held open, refusing with no retry time) and disables (pass-through, still measured) until reset', async () => {
    const clock = new ManualClock();
    const breaker = breakerOn(clock, { failureThreshold: 1 });
    breaker.isolate();
    clock.advance(10 * 60_000);
    const refusal = await rejection(breaker.execute(succeed));
    expect(refusal).to.be.instanceOf(CircuitOpenError);
    expect((refusal as CircuitOpenError).state).to.equal('isolated');
    expect((refusal as CircuitOpenError).retryAfterMs).to.equal(undefined);
    expect(breaker.state).to.equal('isolated');

    breaker.disable();
    await repeat(breaker, 5, fail503);
    expect(breaker.state).to.equal('disabled');
    expect(breaker.snapshot().failedRequests).to.equal(5);

    breaker.reset();
    expect(breaker.state).to.equal('closed');
    expect(breaker.snapshot()).to.include({ failedRequests: 0, totalRequests: 0, failureCount: 0 });
  });

  it('starts disabled with enabled: false', async () => {
    const breaker = breakerOn(new ManualClock(), { enabled: false, failureThreshold: 1 });
    await repeat(breaker, 3, fail503);
    expect(breaker.state).to.equal('disabled');
  });

  it('ignores outcomes of calls admitted before a move: a late failure cannot reopen a recovered breaker', async () => {
    const clock = new ManualClock();
    const breaker = breakerOn(clock, { failureThreshold: 1, resetTimeout: 100, timeout: 10_000 });
    let failLate!: (e: unknown) => void;
    const late = breaker.execute(() => new Promise((_, reject) => (failLate = reject)));
    await repeat(breaker, 1, fail503); // opens
    clock.advance(100);
    await breaker.execute(succeed); // trial closes it
    failLate(httpError(500));
    await rejection(late);
    expect(breaker.state).to.equal('closed');
    expect(breaker.snapshot().failedRequests).to.equal(2);
  });

  it('rejects a synchronous throw of fn and accepts a plain value', async () => {
    const breaker = breakerOn(new ManualClock(), { failureThreshold: 1 });
    expect(await breaker.execute(() => 7)).to.equal(7);
    const error = await rejection(
      breaker.execute(() => {
        throw httpError(502);
      }),
    );
    expect((error as { status: number }).status).to.equal(502);
    expect(breaker.state).to.equal('open');
  });
});
