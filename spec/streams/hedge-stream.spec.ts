import FakeTimers from '@sinonjs/fake-timers';
import { expect } from 'chai';
import {
  BreakerRegistry,
  failoverStream,
  isAllProvidersFailedError,
  withOutcome,
} from '../../lib/index.js';
import {
  ScriptedProvider,
  chunk,
  drain,
  fail,
  httpError,
  openAiAnswer,
  openAiChunk,
  stall,
  textOf,
  wait,
} from './fixtures.js';
import { hedged } from './hedged-chain.js';

describe('failoverStream with hedge: the first content chunk wins', () => {
  let clock: ReturnType<typeof FakeTimers.install>;
  beforeEach(() => {
    clock = FakeTimers.install({ now: 0 });
  });
  afterEach(() => clock.uninstall());

  it('starts the next level beside a slow one after the delay; the first content wins, the loser is aborted and recorded cancelled', async () => {
    const { chat, providers, registry } = hedged(
      [
        [
          chunk(openAiChunk({ role: 'assistant', content: '' })),
          wait(1_000),
          ...openAiAnswer('slow'),
        ],
        [wait(100), ...openAiAnswer('fast')],
      ],
      { delay: 200 },
    );
    const result = withOutcome(() => drain(chat()));
    await clock.tickAsync(199);
    expect(providers[1]!.opened).to.equal(0);
    await clock.tickAsync(1);
    expect(providers[1]!.opened).to.equal(1);
    await clock.tickAsync(100);
    const { value, servedBy, attempts } = await result;
    expect(textOf(value.chunks)).to.equal('fast');
    expect(value.chunks.filter((c) => 'role' in c.choices[0]!.delta)).to.have.length(1); // the winner's preamble only
    expect(servedBy).to.equal('p2');
    expect(attempts.map((a) => [a.name, a.outcome])).to.deep.equal([
      ['p1', 'cancelled'],
      ['p2', 'success'],
    ]);
    expect(providers[0]!.signal!.aborted).to.equal(true);
    expect(registry.get('p1').stats).to.include({ cancelled: 1, failedRequests: 0 });
  });

  it('does not hedge a level that sends content in time', async () => {
    const { chat, providers } = hedged(
      [[wait(150), ...openAiAnswer('quick')], openAiAnswer('never')],
      { delay: 200 },
    );
    const result = drain(chat());
    await clock.tickAsync(1_000);
    expect(textOf((await result).chunks)).to.equal('quick');
    expect(providers[1]!.opened).to.equal(0);
  });

  it('fails over at once when the running level fails before the delay', async () => {
    const { chat, providers } = hedged([[wait(50), fail(httpError(503))], openAiAnswer('backup')], {
      delay: 10_000,
    });
    const result = drain(chat());
    await clock.tickAsync(50);
    expect(providers[1]!.opened).to.equal(1);
    expect(textOf((await result).chunks)).to.equal('backup');
  });

  it('keeps racing when one of two running levels fails: the next starts at once, no more past max', async () => {
    const { chat, providers } = hedged(
      [
        [wait(300), ...openAiAnswer('first')],
        [fail(httpError(500))],
        [wait(400), ...openAiAnswer('third')],
        openAiAnswer('fourth'),
      ],
      { delay: 100, max: 1 },
    );
    const result = withOutcome(() => drain(chat()));
    await clock.tickAsync(100); // p2 starts beside p1 and fails at once: p3 starts; p1 still runs
    expect(providers.map((p) => p.opened)).to.deep.equal([1, 1, 1, 0]);
    await clock.tickAsync(200);
    const { value, servedBy, attempts } = await result;
    expect(textOf(value.chunks)).to.equal('first');
    expect(servedBy).to.equal('p1');
    expect(attempts.map((a) => [a.name, a.outcome])).to.deep.equal([
      ['p2', 'failure'],
      ['p3', 'cancelled'],
      ['p1', 'success'],
    ]);
    expect(providers[3]!.opened).to.equal(0);
  });

  it('lists the causes in chain order when every hedged level fails', async () => {
    const { chat } = hedged([[wait(300), fail(httpError(500))], [fail(httpError(502))]], {
      delay: 100,
    });
    const result = drain(chat());
    await clock.tickAsync(300);
    const { error } = await result;
    expect(isAllProvidersFailedError(error)).to.equal(true);
    expect((error as { causes: { name: string }[] }).causes.map((c) => c.name)).to.deep.equal([
      'p1',
      'p2',
    ]);
  });

  it('hedges within its budget only', async () => {
    const { chat, providers } = hedged(
      [[wait(500), ...openAiAnswer('slow')], openAiAnswer('fast')],
      { delay: 100, budgetBurst: 1, budgetPercent: 10 },
    );
    const first = drain(chat());
    await clock.tickAsync(500);
    expect(textOf((await first).chunks)).to.equal('fast');
    const second = drain(chat());
    await clock.tickAsync(500);
    expect(textOf((await second).chunks)).to.equal('slow'); // no token left: no hedge
    expect(providers[1]!.opened).to.equal(1);
  });

  it('a consumer that stops during the race aborts every running level', async () => {
    const { chat, providers } = hedged([[stall], [stall]], { delay: 100 });
    const iterator = chat()[Symbol.asyncIterator]();
    const pending = iterator.next();
    await clock.tickAsync(100);
    expect(providers[1]!.opened).to.equal(1);
    await iterator.return!();
    expect(await pending).to.deep.equal({ done: true, value: undefined });
    expect(providers.every((p) => p.signal!.aborted)).to.equal(true);
  });

  it('refuses bad hedge options, naming them', () => {
    const registry = new BreakerRegistry();
    const call = () => new ScriptedProvider([chunk(1)]).open();
    expect(() => failoverStream([{ name: 'a', call }], { registry, hedge: {} as never })).to.throw(
      TypeError,
      /hedge.delay is required/,
    );
    expect(() =>
      failoverStream([{ name: 'a', call }], { registry, hedge: { delay: -1 } }),
    ).to.throw(RangeError, /hedge.delay must be/);
  });
});
