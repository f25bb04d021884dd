import FakeTimers from '@sinonjs/fake-timers';
import { expect } from 'chai';
import {
  BreakerRegistry,
  bindRegistry,
  isStreamInterruptedError,
  withOutcome,
} from '../../lib/index.js';
import { StreamingLlm, type ChunkSource, type CompleteType } from './fixtures/streaming-llm.js';

/** Type check: the decorated method keeps the signature written, an async generator. */
const keepsType: CompleteType extends (prompt: string) => AsyncGenerator<string | object>
  ? true
  : false = true;

async function* chunks(
  ...items: (string | object | Error | number)[]
): AsyncGenerator<string | object> {
  for (const item of items) {
    if (item instanceof Error) throw item;
    if (typeof item === 'number') await new Promise((r) => setTimeout(r, item));
    else yield item;
  }
}

const down = (status: number) => Object.assign(new Error(`HTTP ${status}`), { status });

async function collect(stream: AsyncIterable<string | object>) {
  const got: (string | object)[] = [];
  try {
    for await (const c of stream) got.push(c);
    return { got, error: undefined };
  } catch (error) {
    return { got, error };
  }
}

/** `@CircuitBreaker` and `@Fallback` on `async *` methods, in one decorator mode. */
export function streamMethodSuite(mode: 'standard' | 'legacy'): void {
  describe(`decorated async * methods (${mode} decorators)`, () => {
    let clock: ReturnType<typeof FakeTimers.install>;
    beforeEach(() => {
      clock = FakeTimers.install({ now: 0 });
    });
    afterEach(() => clock.uninstall());

    function llm(openai: ChunkSource, anthropic: ChunkSource) {
      const registry = new BreakerRegistry();
      return { service: bindRegistry(new StreamingLlm(openai, anthropic), registry), registry };
    }

    it('keeps the method an async generator method with its own type', () => {
      expect(keepsType).to.equal(true);
      const { service } = llm(
        () => chunks('a'),
        () => chunks('b'),
      );
      const stream = service.complete('hi');
      expect(typeof stream[Symbol.asyncIterator]).to.equal('function');
      expect(StreamingLlm.prototype.complete.name).to.equal('complete');
    });

    it('streams through the breaker, and runs nothing until iterated', async () => {
      let opened = 0;
      const { service, registry } = llm(
        () => {
          opened++;
          return chunks({ type: 'message_start' }, 'Hel', 'lo');
        },
        () => chunks('never'),
      );
      const stream = service.complete('hi');
      expect(opened).to.equal(0);
      const { got } = await collect(stream);
      expect(got).to.deep.equal([{ type: 'message_start' }, 'Hel', 'lo']);
      expect(registry.get('openai').stats.successfulRequests).to.equal(1);
      expect(await service.count('four')).to.equal(4);
    });

    it('fails over before the first content chunk, invisibly, down to the degraded stream', async () => {
      const { service, registry } = llm(
        () => chunks({ type: 'message_start' }, down(529)),
        () => chunks(down(500)),
      );
      const { value, servedBy, attempts } = await withOutcome(() =>
        collect(service.complete('hi')),
      );
      expect(value.got).to.deep.equal(['Sorry, no answer to "hi" right now.']);
      expect(servedBy).to.equal('degraded');
      expect(attempts.map((a) => [a.name, a.outcome])).to.deep.equal([
        ['openai', 'failure'],
        ['anthropic', 'failure'],
        ['degraded', 'success'],
      ]);
      expect((service.degradedWith[0] as { status: number }).status).to.equal(500);
      expect(registry.get('openai').state).to.equal('open');
    });

    it('fails over when the first chunk is late', async () => {
      const { service } = llm(
        () => chunks(5_000, 'late'),
        () => chunks('from backup'),
      );
      const result = collect(service.complete('hi'));
      await clock.tickAsync(1_000);
      expect((await result).got).to.deep.equal(['from backup']);
    });

    it('ends with StreamInterruptedError when cut after content', async () => {
      const { service } = llm(
        () => chunks('Once', down(503)),
        () => chunks('never'),
      );
      const { got, error } = await collect(service.complete('hi'));
      expect(got).to.deep.equal(['Once']);
      expect(isStreamInterruptedError(error)).to.equal(true);
      expect(error).to.include({ breaker: 'openai' });
    });

    it('cancels on break: the generator is closed and nothing counts as a failure', async () => {
      let closed = false;
      const { service, registry } = llm(
        async function* () {
          try {
            yield 'a';
            yield 'b';
          } finally {
            closed = true;
          }
        },
        () => chunks('never'),
      );
      for await (const _ of service.complete('hi')) break;
      await clock.tickAsync(0);
      expect(closed).to.equal(true);
      expect(registry.get('openai').stats).to.include({ cancelled: 1, failedRequests: 0 });
    });

    it('gives an async * method its call context when its body starts: the signal aborts when the stream stalls', async () => {
      const { service } = llm(
        () => chunks('a', 60_000, 'b'),
        () => chunks('never'),
      );
      const result = collect(service.withSignal('hi'));
      await clock.tickAsync(1_000);
      const { got, error } = await result;
      expect(got).to.deep.equal(['a']);
      expect(isStreamInterruptedError(error)).to.equal(true); // after content, in a chain
      const cause = (error as Error).cause as Error;
      expect(cause.name).to.equal('CallTimeoutError');
      const [context] = service.contexts;
      expect(context).to.include({ level: 'with-signal', attempt: 0 });
      expect(context!.signal.aborted).to.equal(true);
      expect(context!.signal.reason).to.equal(cause);
    });

    it('reports a call without `this` from the first next()', async () => {
      const { service } = llm(
        () => chunks('a'),
        () => chunks('b'),
      );
      const detached = service.complete;
      const { error } = await collect(detached.call(undefined as never, 'hi'));
      expect(error).to.be.instanceOf(TypeError);
      expect((error as Error).message).to.match(/called on undefined/);
    });
  });
}
