import FakeTimers from '@sinonjs/fake-timers';
import { expect } from 'chai';
import { BreakerRegistry, failoverStream, withOutcome } from '../../lib/index.js';
import {
  ScriptedProvider,
  drain,
  fail,
  httpError,
  openAiChunk,
  openAiAnswer,
  stall,
  textOf,
  wait,
  type OpenAiChunk,
  type Step,
} from './fixtures.js';

/**
 * A hedged stream chain of levels p1, p2, ...; level i follows `scripts[i][n]` on its n-th call
 * (its last script once they run out).
 */
function chain(scripts: Step<OpenAiChunk>[][][], hedge: object, registry = new BreakerRegistry()) {
  const opened = scripts.map(() => 0);
  const levels = scripts.map((perCall, i) => ({
    name: `p${i + 1}`,
    call: (signal: AbortSignal) =>
      new ScriptedProvider(perCall[Math.min(opened[i]!++, perCall.length - 1)]!).open(signal),
  }));
  const chat = failoverStream(levels as [(typeof levels)[0], ...typeof levels], {
    registry,
    hedge: hedge as never,
  });
  return { chat, registry, opened };
}

describe('failoverStream with hedge: refused hedges move on, delays are learnt per level', () => {
  let clock: ReturnType<typeof FakeTimers.install>;
  beforeEach(() => {
    clock = FakeTimers.install({ now: 0 });
  });
  afterEach(() => clock.uninstall());

  it('moves a hedge its open breaker refused on to the level after it, at once and within max', async () => {
    const { chat, registry, opened } = chain(
      [
        [[wait(300), ...openAiAnswer('first')]],
        [openAiAnswer('never')],
        [[wait(50), ...openAiAnswer('third')]],
        [openAiAnswer('fourth')],
      ],
      { delay: 100, max: 1 },
    );
    registry.get('p2').isolate();
    const result = withOutcome(() => drain(chat()));
    await clock.tickAsync(99);
    expect(opened).to.deep.equal([1, 0, 0, 0]);
    await clock.tickAsync(1); // the hedge: p2 refuses it, p3 takes it
    expect(opened).to.deep.equal([1, 0, 1, 0]);
    await clock.tickAsync(50);
    const { value, servedBy, attempts } = await result;
    expect(textOf(value.chunks)).to.equal('third');
    expect(servedBy).to.equal('p3');
    expect(attempts.map((a) => [a.name, a.outcome])).to.deep.equal([
      ['p2', 'rejected'],
      ['p1', 'cancelled'],
      ['p3', 'success'],
    ]);
    await clock.tickAsync(1_000);
    expect(opened[3]).to.equal(0); // one hedge (max 1), though it moved on
    expect(registry.get('p2').snapshot().hedges).to.deep.equal({ started: 0, won: 0 });
    expect(registry.get('p3').snapshot().hedges).to.deep.equal({ started: 1, won: 1 });
  });

  it('never sends a half-open level a hedge beyond its trial limit: the hedge moves on', async () => {
    const registry = new BreakerRegistry();
    const p2 = registry.get('p2', { failureThreshold: 1, resetTimeout: 1_000 });
    await p2.execute(() => Promise.reject(httpError(503))).catch(() => undefined);
    await clock.tickAsync(1_000);
    expect(p2.state).to.equal('half_open');
    let endTrial!: () => void;
    const trial = p2.execute(() => new Promise<void>((resolve) => (endTrial = resolve)));
    const { chat, opened } = chain(
      [
        [[wait(300), ...openAiAnswer('first')]],
        [openAiAnswer('never')],
        [[wait(50), ...openAiAnswer('third')]],
      ],
      { delay: 100 },
      registry,
    );
    const result = withOutcome(() => drain(chat()));
    await clock.tickAsync(100);
    expect(opened).to.deep.equal([1, 0, 1]);
    await clock.tickAsync(50);
    const { value, attempts } = await result;
    expect(textOf(value.chunks)).to.equal('third');
    expect(attempts.map((a) => [a.name, a.outcome])).to.deep.equal([
      ['p2', 'rejected'],
      ['p1', 'cancelled'],
      ['p3', 'success'],
    ]);
    expect(p2.state).to.equal('half_open'); // its one trial is still the other caller's
    endTrial();
    await trial;
    expect(p2.state).to.equal('closed');
  });

  it('learns an adaptive delay per level, from that level’s times to first content', async () => {
    const { chat, opened } = chain(
      [
        [[wait(100), ...openAiAnswer('a')], [stall], [stall]],
        [[wait(300), ...openAiAnswer('b')], [stall]],
        [openAiAnswer('c')],
      ],
      { delay: { percentile: 50, samples: 1, min: 0, max: 10_000, initial: 1_000 }, max: 2 },
    );
    // Call 1: p1 sends content after 100 ms; p1 has learnt 100.
    const first = drain(chat());
    await clock.tickAsync(100);
    expect(textOf((await first).chunks)).to.equal('a');

    // Call 2: p1 stalls; p2 starts after p1's 100 ms. p2 has learnt nothing: p3 would wait
    // p2's initial 1 s, and p2 sends content 300 ms after it started.
    const second = drain(chat());
    await clock.tickAsync(100);
    expect(opened).to.deep.equal([2, 1, 0]);
    await clock.tickAsync(300);
    expect(textOf((await second).chunks)).to.equal('b');
    expect(opened).to.deep.equal([2, 1, 0]);

    // Call 3: both stall; p2 starts after p1's 100 ms, p3 after p2's 300 ms.
    const third = drain(chat());
    await clock.tickAsync(100);
    expect(opened).to.deep.equal([3, 2, 0]);
    await clock.tickAsync(299);
    expect(opened[2]).to.equal(0);
    await clock.tickAsync(1);
    expect(opened[2]).to.equal(1);
    expect(textOf((await third).chunks)).to.equal('c');
  });
  it('never starts an unguarded last resort as a hedge, only once every level before it failed', async () => {
    const registry = new BreakerRegistry();
    let lastResort = 0;
    const p1 = new ScriptedProvider<OpenAiChunk>([wait(300), fail(httpError(503))]);
    const chat = failoverStream(
      [
        { name: 'p1', call: (signal: AbortSignal) => p1.open(signal) },
        async function* canned() {
          lastResort++;
          yield* [openAiChunk({ content: 'canned' })];
        },
      ],
      { registry, hedge: { delay: 100 } },
    );
    const result = drain(chat());
    await clock.tickAsync(299);
    expect(lastResort).to.equal(0); // the delay passed twice over: no hedge to it
    await clock.tickAsync(1);
    expect(textOf((await result).chunks)).to.equal('canned');
    expect(lastResort).to.equal(1);
  });
});
