import FakeTimers from '@sinonjs/fake-timers';
import { expect } from 'chai';
import {
  Breaker,
  BreakerRegistry,
  isCallTimeoutError,
  isCircuitOpenError,
  isStreamEventError,
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

describe('breaker.stream: a streaming call through a breaker', () => {
  let clock: ReturnType<typeof FakeTimers.install>;
  beforeEach(() => {
    clock = FakeTimers.install({ now: 0 });
  });
  afterEach(() => clock.uninstall());

  it('returns an iterable at once and runs nothing until it is iterated; a stream that ends is a success', async () => {
    const breaker = new Breaker({ name: 'openai' });
    const provider = new ScriptedProvider(openAiAnswer('Hel', 'lo'));
    const stream = breaker.stream(provider.open);
    expect(provider.opened).to.equal(0);
    expect(breaker.stats.totalRequests).to.equal(0);
    const { chunks, ended } = await drain(stream);
    expect(ended).to.equal(true);
    expect(textOf(chunks)).to.equal('Hello');
    expect(chunks).to.have.length(4);
    expect(provider.signal).to.be.instanceOf(AbortSignal);
    expect(provider.signal!.aborted).to.equal(false);
    expect(breaker.snapshot()).to.include({
      totalRequests: 1,
      successfulRequests: 1,
      failedRequests: 0,
      inFlight: 0,
    });
  });

  it('accepts a promise of a stream, as the SDKs return', async () => {
    const breaker = new Breaker({ name: 'anthropic' });
    const provider = new ScriptedProvider([chunk('a'), chunk('b')]);
    const { chunks } = await drain(breaker.stream(async (signal) => provider.open(signal)));
    expect(chunks).to.deep.equal(['a', 'b']);
  });

  it('pulls lazily: one chunk from the provider per chunk the consumer asks for', async () => {
    const breaker = new Breaker({ name: 'lazy' });
    const provider = new ScriptedProvider([chunk(1), chunk(2), chunk(3), chunk(4)]);
    const iterator = breaker.stream(provider.open)[Symbol.asyncIterator]();
    expect((await iterator.next()).value).to.equal(1);
    expect(provider.pulled).to.equal(1);
    await clock.tickAsync(1_000);
    expect(provider.pulled).to.equal(1);
    expect((await iterator.next()).value).to.equal(2);
    expect(provider.pulled).to.equal(2);
    await iterator.return!();
  });

  it('counts a stream that throws as a failure judged by the classifier, and rethrows the error itself', async () => {
    const breaker = new Breaker({ name: 'p', failureThreshold: 2 });
    const error = httpError(503);
    for (let i = 0; i < 2; i++) {
      const provider = new ScriptedProvider([chunk('a'), fail(error)]);
      const result = await drain(breaker.stream(provider.open));
      expect(result.chunks).to.deep.equal(['a']);
      expect(result.error).to.equal(error);
    }
    expect(breaker.state).to.equal('open');
    const refused = await drain(breaker.stream(new ScriptedProvider([chunk('x')]).open));
    expect(isCircuitOpenError(refused.error)).to.equal(true);
    expect(refused.chunks).to.deep.equal([]);
    expect(breaker.snapshot()).to.include({ failedRequests: 2, rejectedRequests: 1 });
  });

  it("counts a SyntaxError raised while the stream is read as a malformed stream, the provider's failure", async () => {
    const breaker = new Breaker({ name: 'p', failureThreshold: 1 });
    let parseError: unknown;
    try {
      JSON.parse('{"type": "content_block_delta", "delta": {');
    } catch (error) {
      parseError = error;
    }
    const provider = new ScriptedProvider([chunk('a'), fail(parseError)]);
    const result = await drain(breaker.stream(provider.open));
    expect(result.error).to.equal(parseError);
    expect(breaker.state).to.equal('open');
    // the same error thrown by fn before any stream exists is a bug of the caller's
    const other = new Breaker({ name: 'q', failureThreshold: 1 });
    const bug = await drain(
      other.stream(() => {
        throw new SyntaxError('bad code');
      }),
    );
    expect(bug.error).to.be.instanceOf(SyntaxError);
    expect(other.state).to.equal('closed');
  });

  it('rethrows a caller error (a 400) without counting it', async () => {
    const breaker = new Breaker({ name: 'p', failureThreshold: 1 });
    const error = httpError(400);
    const result = await drain(breaker.stream(new ScriptedProvider([fail(error)]).open));
    expect(result.error).to.equal(error);
    expect(breaker.state).to.equal('closed');
    expect(breaker.snapshot()).to.include({ failedRequests: 0 });
  });

  it('refuses from the first next(), without calling fn', async () => {
    const breaker = new Breaker({ name: 'held' });
    breaker.isolate();
    let called = false;
    const iterator = breaker
      .stream(() => {
        called = true;
        return new ScriptedProvider([chunk(1)]).open();
      })
      [Symbol.asyncIterator]();
    const error = await iterator.next().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isCircuitOpenError(error)).to.equal(true);
    expect(called).to.equal(false);
    expect(await iterator.next()).to.deep.equal({ done: true, value: undefined });
  });

  it('throws a TypeError saying so when fn returns something that is not iterable', async () => {
    const breaker = new Breaker({ name: 'p', failureThreshold: 1 });
    const result = await drain(breaker.stream(() => 42 as unknown as AsyncIterable<number>));
    expect(result.error).to.be.instanceOf(TypeError);
    expect((result.error as Error).message).to.match(/must return an AsyncIterable.*got 42/);
    expect(breaker.state).to.equal('closed');
  });

  it('refuses a function that is not one, at once', () => {
    const breaker = new Breaker({ name: 'p' });
    expect(() => breaker.stream('nope' as never)).to.throw(TypeError, /needs a function.*"nope"/);
  });

  it('can be iterated once', async () => {
    const breaker = new Breaker({ name: 'p' });
    const stream = breaker.stream(new ScriptedProvider([chunk(1)]).open);
    await drain(stream);
    expect(() => stream[Symbol.asyncIterator]()).to.throw(TypeError, /iterated once/);
  });

  describe('deadlines', () => {
    it('ends with CallTimeoutError when the first chunk is late (firstChunkTimeout), aborting the signal', async () => {
      const breaker = new Breaker({ name: 'slow', firstChunkTimeout: 1_000, failureThreshold: 1 });
      const provider = new ScriptedProvider([wait(5_000), chunk('late')]);
      const result = drain(breaker.stream(provider.open));
      await clock.tickAsync(999);
      expect(provider.signal!.aborted).to.equal(false);
      await clock.tickAsync(1);
      const { error, chunks } = await result;
      expect(chunks).to.deep.equal([]);
      expect(isCallTimeoutError(error)).to.equal(true);
      expect((error as Error).message).to.match(/no chunk within 1000 ms \(firstChunkTimeout\)/);
      expect(provider.signal!.aborted).to.equal(true);
      expect(provider.signal!.reason).to.equal(error);
      expect(breaker.state).to.equal('open');
      expect(breaker.snapshot()).to.include({ timeouts: 1, failedRequests: 1, inFlight: 0 });
    });

    it('times the opening of the stream too (a promise that never resolves)', async () => {
      const breaker = new Breaker({ name: 'slow', firstChunkTimeout: 500 });
      const result = drain(breaker.stream(() => new Promise<AsyncIterable<string>>(() => {})));
      await clock.tickAsync(500);
      expect(isCallTimeoutError((await result).error)).to.equal(true);
    });

    it('ends a stream that stalls between chunks (idleTimeout) and closes the provider', async () => {
      const breaker = new Breaker({ name: 'stall', idleTimeout: 2_000, timeout: false });
      const provider = new ScriptedProvider([chunk('a'), wait(1_500), chunk('b'), stall]);
      const result = drain(breaker.stream(provider.open));
      await clock.tickAsync(1_500);
      await clock.tickAsync(1_999);
      expect(provider.signal!.aborted).to.equal(false);
      await clock.tickAsync(1);
      const { error, chunks } = await result;
      expect(chunks).to.deep.equal(['a', 'b']);
      expect(isCallTimeoutError(error)).to.equal(true);
      expect((error as Error).message).to.match(/2000 ms .*idleTimeout/);
      expect(provider.signal!.aborted).to.equal(true);
      await clock.tickAsync(0);
      expect(provider.closed).to.equal(true);
      expect(breaker.snapshot()).to.include({ timeouts: 1 });
    });

    it('never times out a slow consumer: the idle deadline runs from each next()', async () => {
      const breaker = new Breaker({ name: 'p', idleTimeout: 100, timeout: false });
      const provider = new ScriptedProvider([chunk(1), chunk(2), chunk(3)]);
      const iterator = breaker.stream(provider.open)[Symbol.asyncIterator]();
      const got: number[] = [];
      for (;;) {
        const step = await iterator.next();
        if (step.done === true) break;
        got.push(step.value);
        await clock.tickAsync(10_000); // the consumer takes its time
      }
      expect(got).to.deep.equal([1, 2, 3]);
      expect(breaker.snapshot()).to.include({ successfulRequests: 1, timeouts: 0 });
    });

    it('uses timeout for both deadlines unless they are given, and false turns them off', async () => {
      const byTimeout = new Breaker({ name: 'a', timeout: 300 });
      const late = drain(
        byTimeout.stream(new ScriptedProvider([chunk(1), wait(400), chunk(2)]).open),
      );
      await clock.tickAsync(300);
      expect(isCallTimeoutError((await late).error)).to.equal(true);
      const off = new Breaker({ name: 'b', timeout: 300, idleTimeout: false });
      const slow = drain(off.stream(new ScriptedProvider([chunk(1), wait(10_000), chunk(2)]).open));
      await clock.tickAsync(10_000);
      expect((await slow).chunks).to.deep.equal([1, 2]);
    });

    it('arms one timer per stream, not one per chunk', async () => {
      const breaker = new Breaker({ name: 'p', idleTimeout: 1_000, firstChunkTimeout: 5_000 });
      const steps = Array.from({ length: 200 }, (_, i) => chunk(i));
      const iterator = breaker.stream(new ScriptedProvider(steps).open)[Symbol.asyncIterator]();
      const set = clock.countTimers();
      let seen = 0;
      while ((await iterator.next()).done !== true) {
        seen++;
        expect(clock.countTimers() - set).to.be.at.most(1);
      }
      expect(seen).to.equal(200);
      expect(clock.countTimers()).to.equal(set);
    });
  });

  describe('errors inside a 200 stream', () => {
    it('counts an Anthropic overloaded_error event like a 529 and throws it as a StreamEventError', async () => {
      const breaker = new Breaker({ name: 'anthropic', failureThreshold: 1 });
      const provider = new ScriptedProvider<object>([
        chunk({ type: 'message_start', message: { id: 'm' } }),
        chunk({ type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } }),
        chunk({ type: 'message_stop' }),
      ]);
      const { error, chunks } = await drain(breaker.stream(provider.open));
      expect(chunks).to.have.length(1);
      expect(isStreamEventError(error)).to.equal(true);
      expect(error).to.include({ status: 529, type: 'overloaded_error', code: 'ESTREAMEVENT' });
      expect(breaker.state).to.equal('open');
      expect(provider.signal!.aborted).to.equal(true);
    });

    it('treats an in-band invalid_request_error as the caller error: rethrown, not counted', async () => {
      const breaker = new Breaker({ name: 'anthropic', failureThreshold: 1 });
      const provider = new ScriptedProvider<object>([
        chunk({ type: 'error', error: { type: 'invalid_request_error', message: 'bad' } }),
      ]);
      const { error } = await drain(breaker.stream(provider.open));
      expect(error).to.include({ status: 400 });
      expect(breaker.state).to.equal('closed');
    });

    it('opens as rate-limited on an in-band rate limit (OpenAI chunk with error)', async () => {
      const breaker = new Breaker({ name: 'openai', resetTimeout: 10_000 });
      const provider = new ScriptedProvider<object>([
        chunk(openAiChunk({ role: 'assistant' })),
        chunk({ error: { message: 'slow down', type: 'requests', code: 'rate_limit_exceeded' } }),
      ]);
      await drain(breaker.stream(provider.open));
      expect(breaker.snapshot()).to.include({ state: 'open' });
      expect(breaker.stats.rateLimited).to.equal(1);
    });

    it('fails on a Responses API response.failed event and a Google error chunk', async () => {
      const breaker = new Breaker({ name: 'p', failureThreshold: 2 });
      await drain(
        breaker.stream(
          new ScriptedProvider<object>([
            chunk({ type: 'response.created', response: {} }),
            chunk({
              type: 'response.failed',
              response: { error: { code: 'server_error', message: 'oops' } },
            }),
          ]).open,
        ),
      );
      const google = await drain(
        breaker.stream(
          new ScriptedProvider<object>([
            chunk({ error: { code: 503, message: 'unavailable', status: 'UNAVAILABLE' } }),
          ]).open,
        ),
      );
      expect(google.error).to.include({ status: 503 });
      expect(breaker.state).to.equal('open');
      expect(breaker.stats.failedRequests).to.equal(2);
    });
  });

  describe('stopping early', () => {
    it("a consumer's break aborts the provider's request, closes it, and counts as cancelled, not a failure", async () => {
      const breaker = new Breaker({ name: 'p', failureThreshold: 1 });
      const provider = new ScriptedProvider(openAiAnswer('a', 'b', 'c'));
      const seen: string[] = [];
      for await (const c of breaker.stream(provider.open)) {
        seen.push(JSON.stringify(c.choices[0]!.delta));
        if (seen.length === 2) break;
      }
      expect(provider.signal!.aborted).to.equal(true);
      expect((provider.signal!.reason as Error).name).to.equal('AbortError');
      await clock.tickAsync(0);
      expect(provider.closed).to.equal(true);
      expect(provider.pulled).to.equal(2);
      expect(breaker.snapshot()).to.include({
        cancelled: 1,
        failedRequests: 0,
        successfulRequests: 0,
        inFlight: 0,
        state: 'closed',
      });
    });

    it("the caller's signal aborts the stream: the pending next() rejects with its reason", async () => {
      const breaker = new Breaker({ name: 'p', timeout: false });
      const caller = new AbortController();
      const provider = new ScriptedProvider([chunk(1), stall]);
      const result = drain(breaker.stream(provider.open, caller.signal));
      await clock.tickAsync(100);
      const reason = new Error('user left');
      caller.abort(reason);
      const { error, chunks } = await result;
      expect(chunks).to.deep.equal([1]);
      expect(error).to.equal(reason);
      expect(provider.signal!.aborted).to.equal(true);
      expect(breaker.snapshot()).to.include({ cancelled: 1, failedRequests: 0 });
    });

    it('registry.close() aborts streams in flight after its grace period', async () => {
      const registry = new BreakerRegistry();
      const breaker = registry.get('p', { timeout: false });
      const provider = new ScriptedProvider([chunk(1), stall]);
      const result = drain(breaker.stream(provider.open));
      await clock.tickAsync(0);
      const closing = registry.close(1_000);
      await clock.tickAsync(1_000);
      await closing;
      const { error } = await result;
      expect((error as Error).name).to.equal('AbortError');
      expect(provider.signal!.aborted).to.equal(true);
      expect(breaker.inFlight).to.equal(0);
    });
  });

  it('shutdown aborts many streams at once, with no listener piled on a shared signal', async () => {
    const warnings: Error[] = [];
    const onWarning = (warning: Error) => warnings.push(warning);
    process.on('warning', onWarning);
    try {
      const breaker = new Breaker({ name: 'p', timeout: false });
      const providers = Array.from({ length: 50 }, () => new ScriptedProvider([chunk(1), stall]));
      const results = providers.map((p) => drain(breaker.stream(p.open)));
      await clock.tickAsync(0);
      expect(breaker.inFlight).to.equal(50);
      breaker.shutdown();
      const ended = await Promise.all(results);
      expect(ended.every((r) => (r.error as Error).name === 'AbortError')).to.equal(true);
      expect(providers.every((p) => p.signal!.aborted)).to.equal(true);
      expect(breaker.snapshot()).to.include({ inFlight: 0, cancelled: 50, failedRequests: 0 });
      await clock.tickAsync(0); // warnings come on the next tick (faked here)
      expect(warnings.map((w) => w.name)).to.not.include('MaxListenersExceededWarning');
    } finally {
      process.off('warning', onWarning);
    }
  });
});
