import { expect } from 'chai';
import FakeTimers, { type Clock as InstalledClock } from '@sinonjs/fake-timers';
import { BreakerRegistry, RegistryHistory, acquireHistory } from '../../lib/index.js';

/** A call that takes `ms` of the fake clock and then succeeds or fails. */
function call(timers: InstalledClock, ms: number, ok: boolean): () => Promise<string> {
  return () =>
    new Promise((resolve, reject) =>
      timers.setTimeout(() => (ok ? resolve('ok') : reject(new Error('down'))), ms),
    );
}

describe('RegistryHistory', () => {
  let timers: InstalledClock;
  let history: RegistryHistory | undefined;
  beforeEach(() => {
    timers = FakeTimers.install({
      now: Date.UTC(2026, 0, 1),
      toFake: ['setTimeout', 'setInterval', 'clearInterval', 'clearTimeout', 'Date'],
    });
  });
  afterEach(() => {
    history?.close();
    history = undefined;
    timers.uninstall();
  });

  async function traffic(
    registry: BreakerRegistry,
    name: string,
    calls: number,
    ms: number,
    ok: boolean,
  ): Promise<void> {
    const breaker = registry.get(name);
    const running = [];
    for (let i = 0; i < calls; i++)
      running.push(breaker.execute(call(timers, ms, ok)).catch(() => undefined));
    await timers.tickAsync(ms);
    await Promise.all(running);
  }

  it('samples on one timer: requests/s and a p95 that is windowed, so it falls after recovery', async () => {
    const registry = new BreakerRegistry({ defaults: { timeout: false, failureThreshold: false } });
    registry.get('openai');
    history = new RegistryHistory(registry, { intervalMs: 5_000 });
    await traffic(registry, 'openai', 20, 2_000, true); // slow: 2 s each
    await timers.tickAsync(3_000);
    await traffic(registry, 'openai', 40, 20, true); // recovered: 20 ms each
    await timers.tickAsync(5_000 - 20);
    const samples = history.of('openai')!.samples;
    expect(samples.t).to.have.length(2);
    expect(samples.requestsPerSecond).to.deep.equal([4, 8]);
    expect(samples.p95[0]).to.be.within(2_000, 2_400);
    expect(samples.p95[1]).to.be.within(20, 24);
    expect(
      registry.get('openai').snapshot().latency.p95,
      'the since-reset p95 stays high',
    ).to.be.above(1_000);
  });

  it('keeps state bands with their reasons, and marks config changes', async () => {
    const registry = new BreakerRegistry({
      defaults: { timeout: false, failureThreshold: 3, resetTimeout: 10_000 },
    });
    const breaker = registry.get('openai');
    history = new RegistryHistory(registry);
    const start = Date.now();
    await traffic(registry, 'openai', 3, 10, false);
    await timers.tickAsync(10_000);
    await breaker.execute(async () => 'trial');
    breaker.configure({ failureThreshold: 5, errorThresholdPercentage: 50 });
    breaker.isolate();
    const { bands, marks } = history.of('openai')!;
    expect(bands.map((b) => [b.state, b.reason])).to.deep.equal([
      ['closed', null],
      ['open', 'consecutive_failures'],
      ['half_open', 'wait_over'],
      ['closed', 'trials_passed'],
      ['isolated', 'operator'],
    ]);
    expect(bands[0]!.from).to.equal(start);
    expect(bands[1]!.from).to.equal(start + 10);
    expect(bands[1]!.to).to.equal(bands[2]!.from);
    expect(bands[4]!.to).to.equal(null);
    expect(marks).to.deep.equal([
      { t: Date.now(), text: 'config: failureThreshold 5, errorThresholdPercentage 50' },
    ]);
  });

  it('counts fallbacks and refusals per interval, and a reset does not make them negative', async () => {
    const registry = new BreakerRegistry({ defaults: { timeout: false, failureThreshold: 1 } });
    const breaker = registry.get('openai');
    history = new RegistryHistory(registry, { intervalMs: 1_000 });
    await traffic(registry, 'openai', 1, 10, false);
    for (let i = 0; i < 4; i++) {
      await breaker.execute(async () => 'x').catch(() => undefined);
      breaker.recordFallback(new Error('open'));
    }
    await timers.tickAsync(990);
    breaker.reset();
    await timers.tickAsync(1_000);
    const s = history.of('openai')!.samples;
    expect(s.rejections).to.deep.equal([4, 0]);
    expect(s.fallbacks).to.deep.equal([4, 0]);
    expect(s.hedges).to.deep.equal([0, 0]);
    expect(s.firstChunkP95).to.deep.equal([null, null]);
  });

  it("samples streams' time to first chunk from their streamFirstChunk events", async () => {
    const registry = new BreakerRegistry({ defaults: { timeout: false } });
    const breaker = registry.get('openai');
    history = new RegistryHistory(registry, { intervalMs: 1_000 });
    for (let i = 0; i < 3; i++) {
      const chunks = breaker.stream(async function* () {
        await new Promise((resolve) => timers.setTimeout(resolve, 300));
        yield { choices: [{ index: 0, delta: { content: 'hi' } }] };
      });
      const read = (async () => {
        for await (const chunk of chunks) expect(chunk).to.have.property('choices');
      })();
      await timers.tickAsync(300);
      await read;
    }
    await timers.tickAsync(100);
    expect(history.of('openai')!.samples.firstChunkP95).to.deep.equal([319]);
  });

  it('keeps a bounded ring: samples older than keepMs are dropped', async () => {
    const registry = new BreakerRegistry();
    registry.get('openai');
    history = new RegistryHistory(registry, { intervalMs: 1_000, keepMs: 10_000 });
    await timers.tickAsync(60_000);
    const t = history.of('openai')!.samples.t;
    expect(t).to.have.length(11);
    expect(t[0]).to.equal(Date.now() - 10_000);
  });

  it('is shared by admin routers of one registry and stops with the last release', () => {
    const registry = new BreakerRegistry();
    const a = acquireHistory(registry, { intervalMs: 2_000 });
    const b = acquireHistory(registry);
    expect(b.history).to.equal(a.history);
    expect(a.history.intervalMs).to.equal(2_000);
    a.release();
    a.release();
    expect(timers.countTimers()).to.equal(1);
    b.release();
    expect(timers.countTimers()).to.equal(0);
    expect(acquireHistory(registry).history).not.to.equal(a.history);
  });

  it('refuses bad options naming them', () => {
    const registry = new BreakerRegistry();
    expect(() => new RegistryHistory(registry, { interval: 5 } as never)).to.throw(
      TypeError,
      /history: unknown option "interval"; known options: intervalMs, keepMs/,
    );
    expect(() => new RegistryHistory(registry, { intervalMs: 0 })).to.throw(
      RangeError,
      /history intervalMs .* got 0/,
    );
    expect(() => new RegistryHistory(registry, { intervalMs: 10_000, keepMs: 1_000 })).to.throw(
      RangeError,
      /keepMs must be at least intervalMs \(10000\), got 1000/,
    );
  });
});
