import FakeTimers from '@sinonjs/fake-timers';
import { expect } from 'chai';
import {
  BreakerRegistry,
  CONTINUE_INSTRUCTION,
  MAX_HELD,
  isAllProvidersFailedError,
  isCallTimeoutError,
  isStreamInterruptedError,
  failoverStream,
  resumeOpenAiChat,
  withOutcome,
  type StreamInterruptedError,
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
  type OpenAiChunk,
  type Step,
} from './fixtures.js';

interface Body {
  readonly messages: readonly { role: string; content: string }[];
}
const body: Body = { messages: [{ role: 'user', content: 'Tell me a story' }] };

/** A chain of scripted providers named p1, p2, ... in a registry of its own. */
function chainOf(
  scripts: readonly (readonly Step<OpenAiChunk>[])[],
  extra: { resume?: boolean; options?: object } = {},
) {
  const registry = new BreakerRegistry();
  const providers = scripts.map((s) => new ScriptedProvider(s));
  const bodies: Body[][] = providers.map(() => []);
  const levels = providers.map((provider, i) => ({
    name: `p${i + 1}`,
    call: (b: Body, signal: AbortSignal) => {
      bodies[i]!.push(b);
      return provider.open(signal);
    },
    options: { failureThreshold: 1, ...extra.options },
    ...(extra.resume === true ? { resume: resumeOpenAiChat() } : {}),
  }));
  const chat = failoverStream(levels as [(typeof levels)[0], ...typeof levels], { registry });
  return { chat, registry, providers, bodies };
}

describe('failoverStream: failover before the first content chunk, interruption after it', () => {
  let clock: ReturnType<typeof FakeTimers.install>;
  beforeEach(() => {
    clock = FakeTimers.install({ now: 0 });
  });
  afterEach(() => clock.uninstall());

  it('serves from the first level when it streams, chunk for chunk, unchanged', async () => {
    const { chat, providers } = chainOf([openAiAnswer('Once', ' upon'), openAiAnswer('never')]);
    const { chunks, ended } = await drain(chat(body));
    expect(ended).to.equal(true);
    expect(textOf(chunks)).to.equal('Once upon');
    expect(chunks[0]!.choices[0]!.delta).to.deep.equal({ role: 'assistant', content: '' });
    expect(providers[1]!.opened).to.equal(0);
  });

  it('moves on invisibly when a level fails after its preamble but before content; the next level preamble is delivered unchanged', async () => {
    const { chat, providers, registry } = chainOf([
      [chunk(openAiChunk({ role: 'assistant', content: '' })), fail(httpError(503))],
      openAiAnswer('Hello'),
    ]);
    const { chunks, ended } = await drain(chat(body));
    expect(ended).to.equal(true);
    expect(chunks).to.have.length(3);
    expect(chunks[0]!.choices[0]!.delta).to.deep.equal({ role: 'assistant', content: '' });
    expect(textOf(chunks)).to.equal('Hello');
    expect(providers[0]!.signal!.aborted).to.equal(true);
    expect(registry.get('p1').state).to.equal('open');
    expect(registry.get('p1').stats.fallbacks).to.equal(1);
  });

  it('holds the preamble back until content: nothing reaches the consumer while the level has not answered', async () => {
    const { chat } = chainOf([
      [
        chunk(openAiChunk({ role: 'assistant', content: '' })),
        wait(500),
        chunk(openAiChunk({ content: 'late' })),
      ],
    ]);
    const iterator = chat(body)[Symbol.asyncIterator]();
    let first: IteratorResult<OpenAiChunk> | undefined;
    const pending = iterator.next().then((r) => (first = r));
    await clock.tickAsync(499);
    expect(first).to.equal(undefined);
    await clock.tickAsync(1);
    await pending;
    expect(first!.value!.choices[0]!.delta).to.deep.equal({ role: 'assistant', content: '' });
    expect((await iterator.next()).value!.choices[0]!.delta).to.deep.equal({ content: 'late' });
  });

  it('skips a level whose breaker refuses, and one that times out before its first chunk', async () => {
    const { chat, registry, providers } = chainOf(
      [openAiAnswer('a'), [wait(10_000), ...openAiAnswer('b')], openAiAnswer('c')],
      { options: { firstChunkTimeout: 1_000 } },
    );
    registry.get('p1').isolate();
    const result = withOutcome(() => drain(chat(body)));
    await clock.tickAsync(1_000);
    const { value, servedBy, attempts } = await result;
    expect(textOf(value.chunks)).to.equal('c');
    expect(servedBy).to.equal('p3');
    expect(attempts.map((a) => [a.name, a.outcome])).to.deep.equal([
      ['p1', 'rejected'],
      ['p2', 'timeout'],
      ['p3', 'success'],
    ]);
    expect(providers[0]!.opened).to.equal(0);
    expect(providers[1]!.signal!.aborted).to.equal(true);
  });

  it('fails over on an error event inside the 200 stream before content (a Responses API quota error after response.created)', async () => {
    const registry = new BreakerRegistry();
    const primary = new ScriptedProvider<object>([
      chunk({ type: 'response.created', response: { id: 'r1' } }),
      chunk({ type: 'response.in_progress', response: { id: 'r1' } }),
      chunk({ type: 'error', code: 'insufficient_quota', message: 'You exceeded your quota' }),
    ]);
    const backup = new ScriptedProvider<object>([
      chunk({ type: 'response.created', response: { id: 'r2' } }),
      chunk({ type: 'response.output_text.delta', delta: 'Hi' }),
      chunk({ type: 'response.completed', response: { id: 'r2' } }),
    ]);
    const chat = failoverStream(
      [
        { name: 'openai', call: (_b: Body, signal: AbortSignal) => primary.open(signal) },
        { name: 'backup', call: (_b: Body, signal: AbortSignal) => backup.open(signal) },
      ],
      { registry },
    );
    const { chunks } = await drain(chat(body));
    expect(chunks.map((c) => (c as { type: string }).type)).to.deep.equal([
      'response.created',
      'response.output_text.delta',
      'response.completed',
    ]);
    expect((chunks[0] as { response: { id: string } }).response.id).to.equal('r2');
    expect(registry.get('openai').stats.failedRequests).to.equal(1);
  });

  it('rethrows a caller error (400) at once, without trying the next level', async () => {
    const error = httpError(400);
    const { chat, providers } = chainOf([[fail(error)], openAiAnswer('never')]);
    const result = await drain(chat(body));
    expect(result.error).to.equal(error);
    expect(providers[1]!.opened).to.equal(0);
  });

  it('throws AllProvidersFailedError with one cause per level when all fail before content', async () => {
    const { chat } = chainOf([[fail(httpError(500))], [fail(httpError(502))]]);
    const { error } = await drain(chat(body));
    expect(isAllProvidersFailedError(error)).to.equal(true);
    expect((error as { causes: { name: string }[] }).causes.map((c) => c.name)).to.deep.equal([
      'p1',
      'p2',
    ]);
  });

  it('ends with StreamInterruptedError after content when the level cannot resume', async () => {
    const cause = Object.assign(new TypeError('terminated'), { cause: { code: 'ECONNRESET' } });
    const { chat, providers } = chainOf([
      [...openAiAnswer('Once', ' upon').slice(0, 3), fail(cause)],
      openAiAnswer('never'),
    ]);
    const result = withOutcome(() => drain(chat(body)));
    const { value, attempts, servedBy } = await result;
    expect(textOf(value.chunks)).to.equal('Once upon');
    expect(isStreamInterruptedError(value.error)).to.equal(true);
    const error = value.error as StreamInterruptedError<OpenAiChunk>;
    expect(error.code).to.equal('ESTREAMCUT');
    expect(error.breaker).to.equal('p1');
    expect(error.cause).to.equal(cause);
    expect(error.delivered).to.deep.equal(value.chunks);
    expect(providers[1]!.opened).to.equal(0);
    expect(attempts.map((a) => [a.name, a.outcome])).to.deep.equal([['p1', 'interrupted']]);
    expect(servedBy).to.equal(null);
  });

  it('ends with StreamInterruptedError when a level stalls after content (idleTimeout)', async () => {
    const { chat } = chainOf([[...openAiAnswer('a').slice(0, 2), stall], openAiAnswer('b')], {
      options: { idleTimeout: 5_000 },
    });
    const result = drain(chat(body));
    await clock.tickAsync(5_000);
    const { error } = await result;
    expect(isStreamInterruptedError(error)).to.equal(true);
    expect(isCallTimeoutError((error as Error).cause)).to.equal(true);
  });

  it('resumes on the next level after a cut: the continuation request carries the partial text, and the repeated tail is removed', async () => {
    const { chat, bodies } = chainOf(
      [
        [...openAiAnswer('Once upon a time', ' there was a fox').slice(0, 3), fail(httpError(503))],
        [
          chunk(openAiChunk({ role: 'assistant', content: '' })),
          chunk(openAiChunk({ content: 'there was a fox' })),
          chunk(openAiChunk({ content: ' who loved ' })),
          chunk(openAiChunk({ content: 'streams.' })),
          chunk(openAiChunk({}, 'stop')),
        ],
      ],
      { resume: true },
    );
    const { value, servedBy, attempts } = await withOutcome(() => drain(chat(body)));
    expect(value.error).to.equal(undefined);
    expect(textOf(value.chunks)).to.equal('Once upon a time there was a fox who loved streams.');
    // one preamble only: the resumed level's role delta is not delivered again
    expect(value.chunks.filter((c) => 'role' in c.choices[0]!.delta)).to.have.length(1);
    expect(bodies[1]![0]!.messages).to.deep.equal([
      { role: 'user', content: 'Tell me a story' },
      { role: 'assistant', content: 'Once upon a time there was a fox' },
      { role: 'user', content: CONTINUE_INSTRUCTION },
    ]);
    expect(servedBy).to.equal('p2');
    expect(attempts.map((a) => [a.name, a.outcome])).to.deep.equal([
      ['p1', 'interrupted'],
      ['p2', 'success'],
    ]);
  });

  it('a resumed level that fails before content moves on to the next; when none is left, the stream is interrupted', async () => {
    const { chat } = chainOf(
      [
        [...openAiAnswer('part').slice(0, 2), fail(httpError(500))],
        [fail(httpError(500))],
        [fail(httpError(500))],
      ],
      { resume: true },
    );
    const { error, chunks } = await drain(chat(body));
    expect(textOf(chunks)).to.equal('part');
    expect(isStreamInterruptedError(error)).to.equal(true);
    expect((error as StreamInterruptedError).breaker).to.equal('p1');
  });

  it('gives up when resume returns undefined', async () => {
    const registry = new BreakerRegistry();
    const p1 = new ScriptedProvider([...openAiAnswer('x').slice(0, 2), fail(httpError(500))]);
    const p2 = new ScriptedProvider(openAiAnswer('y'));
    const seen: unknown[] = [];
    const chat = failoverStream(
      [
        {
          name: 'a',
          call: (_b: Body, signal: AbortSignal) => p1.open(signal),
          resume: (args, delivered) => {
            seen.push(args, delivered.length);
            return undefined;
          },
        },
        { name: 'b', call: (_b: Body, signal: AbortSignal) => p2.open(signal) },
      ],
      { registry },
    );
    const { error } = await drain(chat(body));
    expect(isStreamInterruptedError(error)).to.equal(true);
    expect(seen).to.deep.equal([[body], 2]);
    expect(p2.opened).to.equal(0);
  });

  it('a consumer that stops early aborts the level streaming, recorded cancelled, and it served what was read', async () => {
    const { chat, providers, registry } = chainOf([
      [fail(httpError(500))],
      openAiAnswer('a', 'b', 'c'),
    ]);
    const { attempts, servedBy } = await withOutcome(async () => {
      let n = 0;
      for await (const _ of chat(body)) if (++n === 2) break;
    });
    expect(attempts.map((a) => [a.name, a.outcome])).to.deep.equal([
      ['p1', 'failure'],
      ['p2', 'cancelled'],
    ]);
    expect(servedBy).to.equal('p2');
    expect(providers[1]!.signal!.aborted).to.equal(true);
    expect(registry.get('p2').stats.cancelled).to.equal(1);
    expect(registry.get('p2').stats.failedRequests).to.equal(0);
  });

  it('a trailing AbortSignal argument cancels the stream, as it does a chain call', async () => {
    const registry = new BreakerRegistry();
    const p1 = new ScriptedProvider<string>([chunk('a'), stall]);
    const p2 = new ScriptedProvider<string>([chunk('b')]);
    const chat = failoverStream(
      [
        {
          name: 'a',
          call: (_prompt: string, _caller: AbortSignal, signal: AbortSignal) => p1.open(signal),
        },
        {
          name: 'b',
          call: (_prompt: string, _caller: AbortSignal, signal: AbortSignal) => p2.open(signal),
        },
      ],
      { registry },
    );
    const caller = new AbortController();
    const result = drain(chat('hi', caller.signal));
    await clock.tickAsync(10);
    const reason = new Error('client went away');
    caller.abort(reason);
    const { chunks, error } = await result;
    expect(chunks).to.deep.equal(['a']);
    expect(error).to.equal(reason);
    expect(p1.signal!.aborted).to.equal(true);
    expect(p2.opened).to.equal(0);
    expect(registry.get('a').stats).to.include({ cancelled: 1, failedRequests: 0 });
    const late = await drain(chat('again', caller.signal));
    expect(late.error).to.equal(reason);
    expect(p1.opened).to.equal(1);
  });

  it('runs an unguarded last resort with the arguments and the last error', async () => {
    const registry = new BreakerRegistry();
    const down = new ScriptedProvider<string>([fail(httpError(503))]);
    let got: unknown[] = [];
    const chat = failoverStream(
      [
        { name: 'openai', call: (_b: Body, signal: AbortSignal) => down.open(signal) },
        async function* apology(...args: [Body, unknown]) {
          got = args;
          yield 'Sorry, ';
          yield 'try again later.';
        },
      ],
      { registry },
    );
    const { value, servedBy } = await withOutcome(() => drain(chat(body)));
    expect(value.chunks.join('')).to.equal('Sorry, try again later.');
    expect(got[0]).to.equal(body);
    expect((got[1] as { status: number }).status).to.equal(503);
    expect(servedBy).to.equal('apology');
  });

  it('uses a level content detector when given', async () => {
    const registry = new BreakerRegistry();
    const p1 = new ScriptedProvider<string>([chunk('#meta'), fail(httpError(500))]);
    const p2 = new ScriptedProvider<string>([chunk('#meta'), chunk('text')]);
    const isContent = (c: string) => !c.startsWith('#');
    const chat = failoverStream(
      [
        { name: 'a', call: (signal: AbortSignal) => p1.open(signal), isContent },
        { name: 'b', call: (signal: AbortSignal) => p2.open(signal), isContent },
      ],
      { registry },
    );
    expect((await drain(chat())).chunks).to.deep.equal(['#meta', 'text']);
  });

  it('reads no further ahead than the consumer once committed, and holds at most MAX_HELD chunks of preamble', async () => {
    const registry = new BreakerRegistry();
    const answer = new ScriptedProvider(openAiAnswer('a', 'b', 'c', 'd'));
    const chat = failoverStream(
      [{ name: 'p', call: (signal: AbortSignal) => answer.open(signal) }],
      { registry },
    );
    const iterator = chat()[Symbol.asyncIterator]();
    await iterator.next(); // the held role delta, delivered with the first content chunk
    expect(answer.pulled).to.equal(2);
    await iterator.next(); // 'a', already read
    expect(answer.pulled).to.equal(2);
    await iterator.next(); // 'b'
    expect(answer.pulled).to.equal(3);
    await iterator.return!();

    const pings = Array.from({ length: MAX_HELD + 5 }, () => chunk({ type: 'ping' }));
    const chatty = new ScriptedProvider<object>([...pings, fail(httpError(500))]);
    const backup = new ScriptedProvider<object>([chunk({ text: 'never' })]);
    const chain = failoverStream(
      [
        { name: 'chatty', call: (signal: AbortSignal) => chatty.open(signal) },
        { name: 'backup', call: (signal: AbortSignal) => backup.open(signal) },
      ],
      { registry },
    );
    const { chunks, error } = await drain(chain());
    expect(chunks).to.have.length(MAX_HELD + 5);
    expect(isStreamInterruptedError(error)).to.equal(true);
    expect(backup.opened).to.equal(0);
  });

  it('refuses bad levels and options at once, naming them', () => {
    const registry = new BreakerRegistry();
    const call = () => new ScriptedProvider([chunk(1)]).open();
    expect(() => failoverStream([] as never)).to.throw(TypeError, /non-empty array/);
    expect(() =>
      failoverStream([{ name: 'a', call, isContent: 3 as never }], { registry }),
    ).to.throw(TypeError, /isContent must be a function, got 3/);
    expect(() =>
      failoverStream([{ name: 'a', call, resume: 'x' as never }], { registry }),
    ).to.throw(TypeError, /resume must be a function/);
    expect(() => failoverStream([{ name: 'a', call, hedge: 1 } as never], { registry })).to.throw(
      TypeError,
      /unknown key "hedge"; known keys: name, call, options, isContent, resume/,
    );
    expect(() => failoverStream([{ name: 'a', call }], { registry, x: 1 } as never)).to.throw(
      TypeError,
      /failoverStream: unknown option "x"/,
    );
    expect(() =>
      failoverStream([{ name: 'a', call, options: { idleTimeout: -1 } }], { registry }),
    ).to.throw(RangeError, /idleTimeout must be a positive number of ms, got -1/);
    expect(() =>
      failoverStream(
        [
          { name: 'a', call },
          { name: 'a', call },
        ],
        { registry },
      ),
    ).to.throw(TypeError, /appears twice/);
  });
});
