import FakeTimers from '@sinonjs/fake-timers';
import { expect } from 'chai';
import { Breaker, isCircuitOpenError, type StreamEndEvent } from '../../lib/index.js';
import {
  ScriptedProvider,
  chunk,
  drain,
  fail,
  httpError,
  openAiAnswer,
  openAiChunk,
  stall,
  wait,
} from './fixtures.js';

describe('breaker.stream: half-open trials, events and what a breaker measures', () => {
  let clock: ReturnType<typeof FakeTimers.install>;
  beforeEach(() => {
    clock = FakeTimers.install({ now: 0 });
  });
  afterEach(() => clock.uninstall());

  describe('half-open trials', () => {
    it('settles a trial at its first content chunk, so the breaker closes while the stream goes on', async () => {
      const breaker = new Breaker({ name: 'p', failureThreshold: 1, resetTimeout: 1_000 });
      await drain(breaker.stream(new ScriptedProvider([fail(httpError(503))]).open));
      expect(breaker.state).to.equal('open');
      await clock.tickAsync(1_000);
      expect(breaker.state).to.equal('half_open');
      const provider = new ScriptedProvider(openAiAnswer('one', 'two'));
      const iterator = breaker.stream(provider.open)[Symbol.asyncIterator]();
      await iterator.next(); // role-only delta: not content, still a trial
      expect(breaker.state).to.equal('half_open');
      await iterator.next(); // 'one'
      expect(breaker.state).to.equal('closed');
      // another call is admitted while the trial stream is still going
      expect(await breaker.execute(async () => 'ok')).to.equal('ok');
      while ((await iterator.next()).done !== true);
      expect(breaker.snapshot()).to.include({ successfulRequests: 2, state: 'closed' });
    });

    it('a trial that fails before content reopens the breaker', async () => {
      const breaker = new Breaker({ name: 'p', failureThreshold: 1, resetTimeout: 1_000 });
      breaker.circuit.trip('consecutive_failures', Date.now());
      await clock.tickAsync(1_000);
      await drain(
        breaker.stream(
          new ScriptedProvider(
            openAiAnswer('x')
              .slice(0, 1)
              .concat([fail(httpError(500))]),
          ).open,
        ),
      );
      expect(breaker.state).to.equal('open');
    });

    it('a stream cut after its trial closed the breaker counts as a failure of the closed period', async () => {
      const breaker = new Breaker({ name: 'p', failureThreshold: 1, resetTimeout: 1_000 });
      breaker.circuit.trip('consecutive_failures', Date.now());
      await clock.tickAsync(1_000);
      const provider = new ScriptedProvider([chunk('content'), fail(httpError(502))]);
      const iterator = breaker.stream(provider.open)[Symbol.asyncIterator]();
      await iterator.next();
      expect(breaker.state).to.equal('closed');
      await iterator.next().catch(() => undefined);
      expect(breaker.state).to.equal('open');
    });

    it('a trial stream cancelled after its first content gives back no second permit', async () => {
      const breaker = new Breaker({
        name: 'p',
        failureThreshold: 1,
        resetTimeout: 1_000,
        successThreshold: 2,
        halfOpenMaxCalls: 1,
      });
      breaker.circuit.trip('consecutive_failures', Date.now());
      await clock.tickAsync(1_000);
      const first = breaker
        .stream(new ScriptedProvider([chunk(1), chunk(2)]).open)
        [Symbol.asyncIterator]();
      await first.next();
      expect(breaker.state).to.equal('half_open');
      const second = breaker.stream(new ScriptedProvider([stall]).open)[Symbol.asyncIterator]();
      const pending = second.next(); // admitted at once: takes the permit the first gave back
      await first.return!();
      const third = await drain(breaker.stream(new ScriptedProvider([chunk(1)]).open));
      expect(isCircuitOpenError(third.error)).to.equal(true);
      await second.return!();
      expect(await pending).to.deep.equal({ done: true, value: undefined });
    });
  });

  describe('events', () => {
    it('emits the time to the first content chunk and how each stream ended', async () => {
      const breaker = new Breaker({ name: 'p', timeout: false });
      const firsts: number[] = [];
      const ends: StreamEndEvent[] = [];
      breaker.on('streamFirstChunk', (e) => firsts.push(e.durationMs));
      breaker.on('streamEnd', (e) => ends.push(e));
      const provider = new ScriptedProvider([
        chunk(openAiChunk({ role: 'assistant' })),
        wait(250),
        chunk(openAiChunk({ content: 'hi' })),
        wait(1_000),
        chunk(openAiChunk({}, 'stop')),
      ]);
      const done = drain(breaker.stream(provider.open));
      await clock.tickAsync(1_250);
      await done;
      const cut = drain(
        breaker.stream(new ScriptedProvider([chunk('x'), fail(httpError(500))]).open),
      );
      await cut;
      expect(firsts).to.deep.equal([250, 0]);
      expect(ends.map((e) => [e.outcome, e.chunks, e.afterContent, e.durationMs])).to.deep.equal([
        ['success', 3, true, 1_250],
        ['failure', 1, true, 0],
      ]);
    });

    it('records the time to the first content chunk as the duration of a stream', async () => {
      const breaker = new Breaker({
        name: 'p',
        timeout: false,
        slowCallDurationThreshold: 1_000,
        slowCallRateThreshold: 50,
        volumeThreshold: 1,
      });
      const provider = new ScriptedProvider([wait(100), chunk('a'), wait(60_000), chunk('b')]);
      const done = drain(breaker.stream(provider.open));
      await clock.tickAsync(60_100);
      await done;
      expect(breaker.snapshot().latency.p50).to.be.at.most(110);
      expect(breaker.state).to.equal('closed');
    });
  });
});
