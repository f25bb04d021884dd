/**
 * Every stream fault of the fake provider through breakwater's guarded streams, with the three
 * official SDKs: `breaker.stream`, `failoverStream` and decorated `async *` methods. Deadlines
 * are read from a clock the spec moves by hand, only once the fault has struck: no timing is
 * asserted, and a healthy stream can never time out however slow the machine.
 */
import { expect } from 'chai';
import {
  BreakerRegistry,
  CONTINUE_INSTRUCTION,
  bindRegistry,
  failoverStream,
  isStreamInterruptedError,
  resumeOpenAiChat,
  textOfChunk,
  textOfChunks,
  withOutcome,
  type Attempt,
} from '../../lib/index.js';
import {
  startFakeProvider,
  type Fault,
  type FakeProvider,
  type ProviderName,
} from '../../lib/testing/index.js';
import { body, sdkCalls, StreamingChat, type StreamCall } from './fixtures/sdk-levels.js';

/** Deadline of every breaker here, in ms of the hand-moved clock. */
const DEADLINE = 20;

/** What a consumer read, and how it ended. */
interface Read {
  chunks: unknown[];
  text: string;
  error?: unknown;
}

/**
 * Reads `stream`. With `stallAfter`, the clock jumps past the deadline once that many content
 * chunks are in and the next one has been asked for: the stall has begun. With `breakAfter`,
 * the consumer stops after that many content chunks.
 */
async function consume(
  stream: AsyncIterable<unknown>,
  options: { stallAfter?: number; breakAfter?: number; advance?: () => void } = {},
): Promise<Read> {
  const iterator = stream[Symbol.asyncIterator]();
  const chunks: unknown[] = [];
  let contents = 0;
  let advanced = false;
  try {
    for (;;) {
      const pending = iterator.next();
      if (!advanced && options.stallAfter !== undefined && contents === options.stallAfter) {
        advanced = true;
        options.advance?.();
      }
      const result = await pending;
      if (result.done) break;
      chunks.push(result.value);
      if (textOfChunk(result.value) !== '') contents++;
      if (options.breakAfter !== undefined && contents >= options.breakAfter) {
        await iterator.return?.();
        break;
      }
    }
    return { chunks, text: textOfChunks(chunks) };
  } catch (error) {
    return { chunks, text: textOfChunks(chunks), error };
  }
}

const outcomes = (attempts: readonly Attempt[]) => attempts.map((a) => [a.name, a.outcome]);

/** First and second level of each chain: every SDK is first once, and second once. */
const PAIRS: [ProviderName, ProviderName][] = [
  ['openai', 'anthropic'],
  ['anthropic', 'google'],
  ['google', 'openai'],
];

/** Faults that strike before any content, and the outcome the first level gets. */
const BEFORE_CONTENT: [string, Fault, string][] = [
  ['a 503', { kind: 'status', status: 503 }, 'failure'],
  ['a cut before content', { kind: 'streamCut', afterChunks: 0 }, 'failure'],
  ['an in-band overloaded error', { kind: 'streamError', afterChunks: 0 }, 'failure'],
  ['no answer at all (first-chunk deadline)', { kind: 'hang' }, 'timeout'],
];

/** Faults that strike after one word, and whether the clock must move (a stall). */
const AFTER_CONTENT: [string, Fault, boolean][] = [
  ['a cut', { kind: 'streamCut', afterChunks: 2 }, false],
  ['an in-band error', { kind: 'streamError', afterChunks: 2 }, false],
  ['a stall (idle deadline)', { kind: 'hang', afterChunks: 2 }, true],
];

const MALFORMED_BEFORE: [string, Fault, string] = [
  'a malformed SSE line',
  { kind: 'streamMalformed', afterChunks: 0 },
  'failure',
];
const MALFORMED_AFTER: [string, Fault, boolean] = [
  'a malformed SSE line',
  { kind: 'streamMalformed', afterChunks: 2 },
  false,
];

function setup() {
  const state = {} as {
    fake: FakeProvider;
    calls: Record<ProviderName, StreamCall>;
    registry: BreakerRegistry;
    now: number;
  };
  beforeEach(async () => {
    state.fake = await startFakeProvider();
    state.calls = sdkCalls(state.fake);
    state.now = 0;
    const clock = { now: () => state.now };
    state.registry = new BreakerRegistry({ defaults: { clock, timeout: DEADLINE } });
  });
  afterEach(() => state.fake.close());
  return state;
}

/** `breaker.stream` and `failoverStream` with the official SDKs (decorator mode does not matter). */
export function sdkStreamSuite(): void {
  for (const [first, second] of PAIRS) {
    describe(`guarded SDK streams: ${first}, then ${second}`, () => {
      const s = setup();
      const advance = () => (s.now += DEADLINE + 1);

      it(`breaker.stream: ${first} streams through, a success; a cut after content is a failure`, async () => {
        const breaker = s.registry.get(first);
        const healthy = await consume(
          breaker.stream((signal) => s.calls[first](body('one two'), signal)),
        );
        expect(healthy.error).to.equal(undefined);
        expect(healthy.text).to.equal(`[${first}] one two`);
        s.fake.setFault(first, { kind: 'streamCut', afterChunks: 2 });
        const cut = await consume(
          breaker.stream((signal) => s.calls[first](body('one two'), signal)),
        );
        expect(cut.text).to.equal(`[${first}] one`);
        expect((cut.error as Error).message).to.equal('terminated');
        expect(breaker.snapshot()).to.include({ successfulRequests: 1, failedRequests: 1 });
      });

      it(`breaker.stream: a consumer that stops early aborts ${first}'s request, not a failure`, async () => {
        s.fake.setFault(first, { kind: 'hang', afterChunks: 1 });
        const breaker = s.registry.get(first);
        const read = await consume(
          breaker.stream((signal) => s.calls[first](body('one two'), signal)),
          { breakAfter: 1 },
        );
        expect(read.text).to.equal(`[${first}]`);
        await s.fake.idle(first);
        expect(breaker.snapshot().failedRequests).to.equal(0);
      });

      // A malformed line: openai throws a SyntaxError the classifier knows as a malformed stream;
      // @anthropic-ai/sdk and @google/genai throw JSON.parse's bare SyntaxError, which the stream
      // engine notes as raised while reading the provider's stream: a failure, not a caller's bug.
      const before = [...BEFORE_CONTENT, MALFORMED_BEFORE];
      const after = [...AFTER_CONTENT, MALFORMED_AFTER];

      for (const [label, fault, outcome] of before) {
        it(`failoverStream: ${label} from ${first} before content: ${second} serves, nothing of ${first} shows`, async () => {
          s.fake.setFault(first, fault);
          const chat = failoverStream(
            [
              { name: first, call: s.calls[first] },
              { name: second, call: s.calls[second] },
            ],
            { registry: s.registry },
          );
          const {
            value: read,
            servedBy,
            attempts,
          } = await withOutcome(async () => {
            const pending = consume(chat(body('one two')));
            if (fault.kind === 'hang') {
              await s.fake.received(first);
              advance();
            }
            return pending;
          });
          expect(read.error).to.equal(undefined);
          expect(read.text).to.equal(`[${second}] one two`);
          expect(servedBy).to.equal(second);
          expect(outcomes(attempts)).to.deep.equal([
            [first, outcome],
            [second, 'success'],
          ]);
          await s.fake.idle(first);
        });
      }

      for (const [label, fault, stall] of after) {
        it(`failoverStream: ${label} from ${first} after content ends with StreamInterruptedError`, async () => {
          s.fake.setFault(first, fault);
          const chat = failoverStream(
            [
              { name: first, call: s.calls[first] },
              { name: second, call: s.calls[second] },
            ],
            { registry: s.registry },
          );
          const { value: read, attempts } = await withOutcome(() =>
            consume(chat(body('one two three')), stall ? { stallAfter: 2, advance } : {}),
          );
          expect(read.text).to.equal(`[${first}] one`);
          expect(isStreamInterruptedError(read.error)).to.equal(true, String(read.error));
          const error = read.error as { breaker: string; delivered: unknown[] };
          expect(error.breaker).to.equal(first);
          expect(textOfChunks(error.delivered)).to.equal(`[${first}] one`);
          expect(outcomes(attempts)).to.deep.equal([[first, 'interrupted']]);
          expect(s.fake.counters()[second]).to.satisfy((c: object) =>
            Object.values(c).every((e: { requests: number }) => e.requests === 0),
          );
        });
      }

      // Through openai and @anthropic-ai/sdk, the in-band error is an APIError with a type and no
      // status, which the default classifier judges by the status its type stands for; Google's
      // carries its status (400).
      it(`failoverStream: an in-band invalid_request_error from ${first} is the caller's: rethrown, not failed over`, async () => {
        s.fake.setFault(first, { kind: 'streamError', afterChunks: 0, status: 400 });
        const chat = failoverStream(
          [
            { name: first, call: s.calls[first] },
            { name: second, call: s.calls[second] },
          ],
          { registry: s.registry },
        );
        const read = await consume(chat(body('a')));
        expect(read.text).to.equal('');
        expect(read.error).to.be.instanceOf(Error);
        expect(s.registry.get(first).snapshot().failedRequests).to.equal(0);
        expect(s.registry.get(second).snapshot().totalRequests).to.equal(0);
      });

      it(`failoverStream with resume: ${first} cut mid-answer, ${second} continues it`, async () => {
        s.fake.setFault(first, { kind: 'streamCut', afterChunks: 2 });
        const chat = failoverStream(
          [
            {
              name: first,
              call: s.calls[first],
              resume: resumeOpenAiChat(),
            },
            { name: second, call: s.calls[second] },
          ],
          { registry: s.registry },
        );
        const {
          value: read,
          servedBy,
          attempts,
        } = await withOutcome(() => consume(chat(body('one two three'))));
        expect(read.error).to.equal(undefined);
        // The fake echoes the last user turn: the request to continue.
        expect(read.text).to.equal(`[${first}] one[${second}] ${CONTINUE_INSTRUCTION}`);
        expect(servedBy).to.equal(second);
        expect(outcomes(attempts)).to.deep.equal([
          [first, 'interrupted'],
          [second, 'success'],
        ]);
      });

      it(`failoverStream: break after the first word cancels ${first}'s request`, async () => {
        s.fake.setFault(first, { kind: 'hang', afterChunks: 1 });
        const chat = failoverStream(
          [
            { name: first, call: s.calls[first] },
            { name: second, call: s.calls[second] },
          ],
          { registry: s.registry },
        );
        const { value: read, attempts } = await withOutcome(() =>
          consume(chat(body('one two')), { breakAfter: 1 }),
        );
        expect(read.text).to.equal(`[${first}]`);
        expect(outcomes(attempts)).to.deep.equal([[first, 'cancelled']]);
        await s.fake.idle(first);
        expect(s.registry.get(first).snapshot().failedRequests).to.equal(0);
      });
    });
  }
}

/**
 * Decorated `async *` methods over the SDKs, in one decorator mode. OpenAI and Anthropic only:
 * a decorated method is cancelled through its generator's `return()`, which those SDKs turn
 * into an abort; `@google/genai`'s stream only releases its reader on `return()` (give it the
 * level's signal, as `failoverStream` does, to cancel it).
 */
export function decoratedSdkStreamSuite(mode: 'standard' | 'legacy'): void {
  const pairs: [ProviderName, ProviderName][] = [
    ['openai', 'anthropic'],
    ['anthropic', 'openai'],
  ];
  for (const [first, second] of pairs) {
    describe(`decorated async * methods over the SDKs (${mode}): ${first}, then ${second}`, () => {
      const s = setup();
      const service = () =>
        bindRegistry(new StreamingChat(s.calls[first], s.calls[second]), s.registry);

      it('fails over before content: an in-band error, then a 503 with the breaker open', async () => {
        s.fake.setFault(first, { kind: 'streamError', afterChunks: 0 });
        const chat = service();
        const a = await withOutcome(() => consume(chat.complete(body('a b'))));
        expect(a.value.text).to.equal(`[${second}] a b`);
        expect(outcomes(a.attempts)).to.deep.equal([
          ['primary', 'failure'],
          ['secondary', 'success'],
        ]);
        const b = await withOutcome(() => consume(chat.complete(body('c'))));
        expect(b.value.text).to.equal(`[${second}] c`);
        expect(outcomes(b.attempts)).to.deep.equal([
          ['primary', 'rejected'],
          ['secondary', 'success'],
        ]);
      });

      it('a cut after content ends with StreamInterruptedError from primary', async () => {
        s.fake.setFault(first, { kind: 'streamCut', afterChunks: 2 });
        const read = await consume(service().complete(body('one two three')));
        expect(read.text).to.equal(`[${first}] one`);
        expect(isStreamInterruptedError(read.error)).to.equal(true, String(read.error));
        expect((read.error as { breaker: string }).breaker).to.equal('primary');
      });

      it("break after the first word closes the SDK stream, which aborts the provider's request", async () => {
        s.fake.setFault(first, { kind: 'hang', afterChunks: 1 });
        const { value: read, attempts } = await withOutcome(() =>
          consume(service().complete(body('one two')), { breakAfter: 1 }),
        );
        expect(read.text).to.equal(`[${first}]`);
        expect(outcomes(attempts)).to.deep.equal([['primary', 'cancelled']]);
        await s.fake.idle(first);
      });
    });
  }
}
