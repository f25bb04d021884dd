import FakeTimers, { type Clock as InstalledClock } from '@sinonjs/fake-timers';
import { expect } from 'chai';
import { BreakerRegistry, RegistryHistory, failover } from '../../lib/index.js';

/** A provider answering `name:prompt` after `ms` of fake time, or rejecting when aborted. */
function provider(timers: InstalledClock, name: string, ms: number) {
  return (prompt: string, signal: AbortSignal): Promise<string> =>
    new Promise((resolve, reject) => {
      const timer = timers.setTimeout(() => resolve(`${name}:${prompt}`), ms);
      signal.addEventListener('abort', () => {
        timers.clearTimeout(timer);
        reject(signal.reason);
      });
    });
}

describe('hedge counts in snapshots and history (fake timers)', () => {
  let timers: InstalledClock;
  let history: RegistryHistory | undefined;
  beforeEach(() => {
    timers = FakeTimers.install({ now: Date.UTC(2026, 0, 1) });
  });
  afterEach(() => {
    history?.close();
    history = undefined;
    timers.uninstall();
  });

  function chain(registry: BreakerRegistry, slowMs: number) {
    return failover(
      [
        { name: 'primary', call: provider(timers, 'primary', slowMs) },
        { name: 'backup', call: provider(timers, 'backup', 20) },
      ],
      { registry, hedge: { delay: 100, budgetBurst: 10 } },
    );
  }

  it('snapshot().hedges counts hedges started at a level and those that won; reset zeroes them', async () => {
    const registry = new BreakerRegistry();
    expect(registry.get('backup').snapshot().hedges).to.deep.equal({ started: 0, won: 0 });
    const slow = chain(registry, 1_000);
    const pending = slow('a');
    await timers.tickAsync(1_000);
    expect(await pending).to.equal('backup:a');
    const close = chain(registry, 110); // the primary answers 10 ms into the hedge: it loses
    const second = close('b');
    await timers.tickAsync(1_000);
    expect(await second).to.equal('primary:b');
    expect(registry.get('backup').snapshot().hedges).to.deep.equal({ started: 2, won: 1 });
    expect(registry.get('primary').snapshot().hedges).to.deep.equal({ started: 0, won: 0 });
    const json = JSON.parse(JSON.stringify(registry.snapshot())) as { name: string }[];
    expect(json.find((s) => s.name === 'backup')).to.deep.include({
      hedges: { started: 2, won: 1 },
    });
    registry.get('backup').reset();
    expect(registry.get('backup').snapshot().hedges).to.deep.equal({ started: 0, won: 0 });
  });

  it("the history's hedges column counts hedges started per interval", async () => {
    const registry = new BreakerRegistry();
    const ask = chain(registry, 1_000);
    history = new RegistryHistory(registry, { intervalMs: 1_000 });
    // The first sample, taken at once, is the baseline; each interval then adds one.
    for (const n of [3, 0, 1]) {
      const calls = Array.from({ length: n }, (_, i) => ask(String(i)));
      await timers.tickAsync(1_000);
      expect(await Promise.all(calls)).to.have.length(n);
    }
    expect(history.of('backup')!.samples.hedges).to.deep.equal([3, 0, 1]);
    expect(history.of('primary')!.samples.hedges).to.deep.equal([0, 0, 0]);
  });
});
