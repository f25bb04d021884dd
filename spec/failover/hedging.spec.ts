import FakeTimers from '@sinonjs/fake-timers';
import { expect } from 'chai';
import { Registry } from 'prom-client';
import { BreakerRegistry, failover, withOutcome } from '../../lib/index.js';
import { collectBreakerMetrics } from '../../adapters/prometheus/index.js';
import { HedgeLostError } from '../../lib/failover/run-hedged.js';

/** A provider that answers `name:prompt` after `ms` (fake time), or rejects when its signal aborts. */
function provider(name: string, ms: () => number, log: string[]) {
  return (prompt: string, signal: AbortSignal): Promise<string> => {
    log.push(`${name}@${Date.now()}`);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(resolve, ms(), `${name}:${prompt}`);
      signal.addEventListener('abort', () => {
        clearTimeout(timer);
        reject(signal.reason);
      });
    });
  };
}

describe('failover hedging (fake timers)', () => {
  let clock: ReturnType<typeof FakeTimers.install>;
  let registry: BreakerRegistry;
  let log: string[];
  beforeEach(() => {
    clock = FakeTimers.install({ now: 0 });
    registry = new BreakerRegistry();
    log = [];
  });
  afterEach(() => clock.uninstall());

  it('starts the next level after the delay, keeps the first answer, cancels the loser', async () => {
    let primarySignal!: AbortSignal;
    const ask = failover(
      [
        {
          name: 'h-primary',
          call: (prompt: string, signal: AbortSignal) => {
            primarySignal = signal;
            return provider('primary', () => 1_000, log)(prompt, signal);
          },
        },
        { name: 'h-backup', call: provider('backup', () => 10, log) },
      ],
      { registry, hedge: { delay: 100 } },
    );
    const pending = withOutcome(() => ask('hi'));
    await clock.tickAsync(99);
    expect(log).to.deep.equal(['primary@0']);
    await clock.tickAsync(11);
    const { value, servedBy, attempts } = await pending;
    expect(value).to.equal('backup:hi');
    expect(servedBy).to.equal('h-backup');
    expect(log).to.deep.equal(['primary@0', 'backup@100']);
    expect(primarySignal.aborted).to.equal(true);
    expect(primarySignal.reason).to.be.instanceOf(HedgeLostError);
    await clock.tickAsync(0);
    expect(attempts.map((a) => [a.name, a.outcome])).to.deep.equal([
      ['h-backup', 'success'],
      ['h-primary', 'cancelled'],
    ]);
    const primary = registry.get('h-primary');
    expect(primary.state).to.equal('closed');
    expect(primary.snapshot()).to.include({ cancelled: 1, failedRequests: 0, inFlight: 0 });
    expect(registry.get('h-backup').stats).to.include({ hedgesStarted: 1, hedgesWon: 1 });
  });

  it('lets the first level win when it answers after the hedge started, and cancels the hedge', async () => {
    const ask = failover(
      [
        { name: 'h-first', call: provider('first', () => 150, log) },
        { name: 'h-second', call: provider('second', () => 500, log) },
      ],
      { registry, hedge: { delay: 100 } },
    );
    const pending = ask('q');
    await clock.tickAsync(150);
    expect(await pending).to.equal('first:q');
    expect(registry.get('h-second').snapshot()).to.include({ cancelled: 1, failedRequests: 0 });
    expect(registry.get('h-second').stats).to.include({ hedgesStarted: 1, hedgesWon: 0 });
  });

  it('starts at most hedge.max extra attempts', async () => {
    const levels = ['a', 'b', 'c', 'd'].map((n) => ({
      name: `h-max-${n}`,
      call: provider(n, () => 10_000, log),
    }));
    const ask = failover(levels as [(typeof levels)[0], ...typeof levels], {
      registry,
      hedge: { delay: 100, max: 2, budgetBurst: 5 },
    });
    const pending = ask('q');
    await clock.tickAsync(1_000);
    expect(log).to.deep.equal(['a@0', 'b@100', 'c@200']);
    await clock.tickAsync(10_000);
    expect(await pending).to.equal('a:q');
  });

  it('fails over at once on a failure, without spending a hedge', async () => {
    const ask = failover(
      [
        {
          name: 'h-fails',
          call: (_p: string, _s: AbortSignal): Promise<string> =>
            Promise.reject(Object.assign(new Error('down'), { status: 503 })),
        },
        { name: 'h-next', call: provider('next', () => 10, log) },
      ],
      { registry, hedge: { delay: 100 } },
    );
    const pending = ask('q');
    await clock.tickAsync(10);
    expect(await pending).to.equal('next:q');
    expect(log).to.deep.equal(['next@0']);
    expect(registry.get('h-next').stats.hedgesStarted).to.equal(0);
  });

  it('keeps hedges within the budget: a burst of 1, then 10 % of calls', async () => {
    const ask = failover(
      [
        { name: 'h-slow', call: provider('slow', () => 1_000, log) },
        { name: 'h-fast', call: provider('fast', () => 1, log) },
      ],
      { registry, hedge: { delay: 100, budgetPercent: 10, budgetBurst: 1 } },
    );
    const answers: string[] = [];
    for (let i = 0; i < 30; i++) {
      const pending = ask(`${i}`);
      await clock.tickAsync(1_000);
      answers.push(await pending);
    }
    const hedged = answers.filter((a) => a.startsWith('fast')).length;
    expect(hedged).to.be.within(3, 4);
    expect(answers[0]).to.equal('fast:0');
    expect(answers[1]).to.equal('slow:1');
  });

  it('never sends a half-open level more trials than its limit', async () => {
    const backup = registry.get('h-trial', { failureThreshold: 1, resetTimeout: 1_000 });
    await backup
      .execute(() => Promise.reject(Object.assign(new Error('x'), { status: 503 })))
      .catch(() => undefined);
    await clock.tickAsync(1_000);
    expect(backup.state).to.equal('half_open');
    // Another caller holds the only trial.
    let endTrial!: () => void;
    const trial = backup.execute(() => new Promise<void>((resolve) => (endTrial = resolve)));
    const ask = failover(
      [
        { name: 'h-main', call: provider('main', () => 300, log) },
        { name: 'h-trial', call: provider('trial', () => 1, log) },
      ],
      { registry, hedge: { delay: 100 } },
    );
    const pending = withOutcome(() => ask('q'));
    await clock.tickAsync(300);
    const { value, attempts } = await pending;
    expect(value).to.equal('main:q');
    expect(log).to.deep.equal(['main@1000']);
    expect(attempts.map((a) => [a.name, a.outcome])).to.deep.equal([
      ['h-trial', 'rejected'],
      ['h-main', 'success'],
    ]);
    endTrial();
    await trial;
  });

  it('counts hedges started and won in Prometheus (circuit_breaker_hedges_total)', async () => {
    const register = new Registry();
    const metrics = collectBreakerMetrics(registry, { register });
    const ask = failover(
      [
        { name: 'h-prom-slow', call: provider('slow', () => 1_000, log) },
        { name: 'h-prom-fast', call: provider('fast', () => 10, log) },
      ],
      { registry, hedge: { delay: 100, budgetBurst: 3 } },
    );
    for (let i = 0; i < 2; i++) {
      const pending = ask('q');
      await clock.tickAsync(1_000);
      expect(await pending).to.equal('fast:q');
    }
    const text = await register.metrics();
    expect(text).to.include('circuit_breaker_hedges_total{breaker="h-prom-fast",kind="started"} 2');
    expect(text).to.include('circuit_breaker_hedges_total{breaker="h-prom-fast",kind="won"} 2');
    metrics.dispose();
  });

  it('refuses bad hedge values before making any breaker', () => {
    expect(() =>
      failover([{ name: 'h-bad', call: (p: string, _s: AbortSignal) => p }], {
        registry,
        hedge: { delay: -5 },
      }),
    ).to.throw(RangeError, /hedge.delay must be a number of ms.*got -5/);
    expect(registry.has('h-bad')).to.equal(false);
  });
});
