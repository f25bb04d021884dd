import FakeTimers from '@sinonjs/fake-timers';
import { expect } from 'chai';
import { Registry } from 'prom-client';
import { collectBreakerMetrics } from '../../adapters/prometheus/index.js';
import { drain, fail, httpError, openAiAnswer, stall, textOf, wait } from './fixtures.js';
import { hedged } from './hedged-chain.js';

describe('failoverStream with hedge: hedges are counted as for promise chains', () => {
  let clock: ReturnType<typeof FakeTimers.install>;
  beforeEach(() => {
    clock = FakeTimers.install({ now: 0 });
  });
  afterEach(() => clock.uninstall());

  it('counts a hedge started beside a slow level, and won when it sends the first content', async () => {
    const { chat, events, hedges } = hedged(
      [
        [wait(1_000), ...openAiAnswer('slow')],
        [wait(100), ...openAiAnswer('fast')],
      ],
      { delay: 200 },
    );
    const result = drain(chat());
    await clock.tickAsync(199);
    expect(events).to.deep.equal([]);
    await clock.tickAsync(1); // p2 starts beside p1: admitted at once
    await clock.tickAsync(100);
    expect(textOf((await result).chunks)).to.equal('fast');
    expect(events).to.deep.equal(['p2 started', 'p2 won']);
    expect(hedges('p2')).to.deep.equal({ started: 1, won: 1 });
    expect(hedges('p1')).to.deep.equal({ started: 0, won: 0 }); // the first level is no hedge
  });

  it('counts a hedge that loses as started only', async () => {
    const { chat, events, hedges } = hedged(
      [
        [wait(300), ...openAiAnswer('first')],
        [wait(1_000), ...openAiAnswer('late')],
      ],
      { delay: 100 },
    );
    const result = drain(chat());
    await clock.tickAsync(300);
    expect(textOf((await result).chunks)).to.equal('first');
    expect(events).to.deep.equal(['p2 started']);
    expect(hedges('p2')).to.deep.equal({ started: 1, won: 0 });
    expect(hedges('p1')).to.deep.equal({ started: 0, won: 0 });
  });

  it('does not count a level started after a failure: that is failover, not a hedge', async () => {
    const { chat, events, hedges } = hedged(
      [[wait(50), fail(httpError(503))], openAiAnswer('backup')],
      { delay: 10_000 },
    );
    const result = drain(chat());
    await clock.tickAsync(50);
    expect(textOf((await result).chunks)).to.equal('backup');
    expect(events).to.deep.equal([]);
    expect(hedges('p2')).to.deep.equal({ started: 0, won: 0 });
  });

  it('does not count a hedge its breaker refused (held open)', async () => {
    const { chat, registry, providers, events, hedges } = hedged(
      [[wait(300), ...openAiAnswer('first')], openAiAnswer('never')],
      { delay: 100 },
    );
    registry.get('p2').isolate();
    const result = drain(chat());
    await clock.tickAsync(300);
    expect(textOf((await result).chunks)).to.equal('first');
    expect(providers[1]!.opened).to.equal(0);
    expect(events).to.deep.equal([]);
    expect(hedges('p2')).to.deep.equal({ started: 0, won: 0 });
    expect(registry.get('p2').stats.rejectedRequests).to.equal(1);
  });

  it('counts a hedge still running when the consumer leaves as started', async () => {
    const { chat, events } = hedged([[stall], [stall]], { delay: 100 });
    const iterator = chat()[Symbol.asyncIterator]();
    const pending = iterator.next();
    await clock.tickAsync(100);
    await iterator.return!();
    await pending;
    expect(events).to.deep.equal(['p2 started']);
  });

  it('counts stream hedges in Prometheus (circuit_breaker_hedges_total)', async () => {
    const { chat, registry } = hedged(
      [
        [wait(1_000), ...openAiAnswer('slow')],
        [wait(10), ...openAiAnswer('fast')],
      ],
      { delay: 100, budgetBurst: 3 },
    );
    const register = new Registry();
    const metrics = collectBreakerMetrics(registry, { register });
    for (let i = 0; i < 2; i++) {
      const result = drain(chat());
      await clock.tickAsync(1_000);
      expect(textOf((await result).chunks)).to.equal('fast');
    }
    const text = await register.metrics();
    expect(text).to.include('circuit_breaker_hedges_total{breaker="p2",kind="started"} 2');
    expect(text).to.include('circuit_breaker_hedges_total{breaker="p2",kind="won"} 2');
    metrics.dispose();
  });
});
