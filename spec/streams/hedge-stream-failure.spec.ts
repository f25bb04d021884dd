import FakeTimers from '@sinonjs/fake-timers';
import { expect } from 'chai';
import { BreakerRegistry, failoverStream, withOutcome } from '../../lib/index.js';
import {
  ScriptedProvider,
  drain,
  fail,
  httpError,
  openAiAnswer,
  textOf,
  wait,
  type OpenAiChunk,
  type Step,
} from './fixtures.js';

/** A hedged stream chain of levels p1, p2, ... following `scripts[i]`; counts each level's opens. */
function chain(scripts: Step<OpenAiChunk>[][], hedge: object, lastResort?: Step<OpenAiChunk>[]) {
  const registry = new BreakerRegistry();
  const opened = scripts.map(() => 0);
  const levels: object[] = scripts.map((script, i) => ({
    name: `p${i + 1}`,
    call: (signal: AbortSignal) => {
      opened[i]!++;
      return new ScriptedProvider(script).open(signal);
    },
  }));
  let resortOpened = 0;
  if (lastResort !== undefined) {
    levels.push(() => {
      resortOpened++;
      return new ScriptedProvider(lastResort).open();
    });
  }
  const chat = failoverStream(levels as never, {
    registry,
    hedge: hedge as never,
  }) as unknown as () => AsyncIterable<OpenAiChunk>;
  return { chat, registry, opened, resortOpened: () => resortOpened };
}

describe('failoverStream with hedge: a running level that fails starts the next at once', () => {
  let clock: ReturnType<typeof FakeTimers.install>;
  beforeEach(() => {
    clock = FakeTimers.install({ now: 0 });
  });
  afterEach(() => clock.uninstall());

  it('starts the next level when a hedge fails beside a running level, without a token or max', async () => {
    const { chat, registry, opened } = chain(
      [
        [wait(300), ...openAiAnswer('first')],
        [wait(50), fail(httpError(503))],
        [wait(20), ...openAiAnswer('third')],
        openAiAnswer('fourth'),
      ],
      { delay: 100, max: 1 },
    );
    const result = withOutcome(() => drain(chat()));
    await clock.tickAsync(100); // the hedge: p2 beside p1
    expect(opened).to.deep.equal([1, 1, 0, 0]);
    await clock.tickAsync(50); // p2 fails while p1 still runs: p3 starts now, not at p1's end
    expect(opened).to.deep.equal([1, 1, 1, 0]);
    await clock.tickAsync(20);
    const { value, servedBy, attempts } = await result;
    expect(textOf(value.chunks)).to.equal('third');
    expect(servedBy).to.equal('p3');
    expect(attempts.map((a) => [a.name, a.outcome])).to.deep.equal([
      ['p2', 'failure'],
      ['p1', 'cancelled'],
      ['p3', 'success'],
    ]);
    await clock.tickAsync(1_000);
    expect(opened[3]).to.equal(0); // max 1 was spent by p2's hedge; p3 was no hedge
    expect(registry.get('p2').snapshot().hedges).to.deep.equal({ started: 1, won: 0 });
    expect(registry.get('p3').snapshot().hedges).to.deep.equal({ started: 0, won: 0 });
  });

  it('starts the next level at once when the first level fails beside a hedge', async () => {
    const { chat, opened } = chain(
      [
        [wait(150), fail(httpError(500))],
        [wait(300), ...openAiAnswer('second')],
        [wait(20), ...openAiAnswer('third')],
      ],
      { delay: 100, max: 1 },
    );
    const result = withOutcome(() => drain(chat()));
    await clock.tickAsync(100);
    expect(opened).to.deep.equal([1, 1, 0]);
    await clock.tickAsync(50);
    expect(opened).to.deep.equal([1, 1, 1]);
    await clock.tickAsync(20);
    const { value, servedBy } = await result;
    expect(textOf(value.chunks)).to.equal('third');
    expect(servedBy).to.equal('p3');
  });

  it('still holds a last resort back until every running level has failed', async () => {
    const { chat, opened, resortOpened } = chain(
      [
        [wait(300), fail(httpError(500))],
        [wait(50), fail(httpError(503))],
      ],
      { delay: 100, max: 1 },
      openAiAnswer('resort'),
    );
    const result = withOutcome(() => drain(chat()));
    await clock.tickAsync(150); // p2 (the hedge) failed; p1 still runs
    expect(opened).to.deep.equal([1, 1]);
    expect(resortOpened()).to.equal(0);
    await clock.tickAsync(150); // p1 fails: now the last resort
    expect(resortOpened()).to.equal(1);
    const { value, servedBy } = await result;
    expect(textOf(value.chunks)).to.equal('resort');
    expect(servedBy).to.not.be.oneOf(['p1', 'p2']);
  });
});
