/**
 * Both example gateways streaming for real, driven over HTTP with the official `openai` SDK
 * (`stream: true`) as the client, the fake providers' stream faults behind them. Nothing here
 * asserts on time: a provider that must look stalled is held with a minute-long delay or a stall
 * that never ends, and the breakers' deadlines ({@link PROVIDER_TIMEOUT}) end such waits.
 */
import { expect } from 'chai';
import { APIError } from 'openai';
import { CONTINUE_INSTRUCTION } from '../../lib/index.js';
import {
  FRAMEWORKS,
  PROVIDER_TIMEOUT,
  startTestGateway,
  type TestGateway,
} from './gateway-harness.js';

/** What the client saw of one streamed answer. */
interface StreamedAnswer {
  /** The `x-served-by` header. */
  servedBy: string | null;
  /** The content of each chunk, in order ('' for chunks without). */
  pieces: string[];
  /** `served_by` of each chunk. */
  chunkTiers: (string | undefined)[];
  /** The last chunk's `attempts` (the summary chunk), if any. */
  attempts?: { tier: string; outcome: string }[];
  error?: unknown;
}

for (const framework of FRAMEWORKS) {
  describe(`AI gateway example (${framework}): streaming`, () => {
    let t: TestGateway;
    afterEach(() => t.close());

    /** Streams `prompt` through the gateway; `onChunk` may abort (the client going away). */
    async function stream(
      prompt: string,
      onChunk?: (answer: StreamedAnswer, abort: () => void) => void,
    ): Promise<StreamedAnswer> {
      const controller = new AbortController();
      const answer: StreamedAnswer = { servedBy: null, pieces: [], chunkTiers: [] };
      try {
        const { data, response } = await t.client.chat.completions
          .create(
            { model: 'any', messages: [{ role: 'user', content: prompt }], stream: true },
            { signal: controller.signal },
          )
          .withResponse();
        answer.servedBy = response.headers.get('x-served-by');
        for await (const chunk of data) {
          const extra = chunk as unknown as {
            served_by?: string;
            attempts?: StreamedAnswer['attempts'];
          };
          answer.pieces.push(chunk.choices[0]?.delta?.content ?? '');
          answer.chunkTiers.push(extra.served_by);
          if (extra.attempts !== undefined) answer.attempts = extra.attempts;
          onChunk?.(answer, () => controller.abort());
        }
      } catch (error) {
        answer.error = error;
      }
      return answer;
    }

    const text = (answer: StreamedAnswer) => answer.pieces.join('');
    const outcomes = (answer: StreamedAnswer) => answer.attempts?.map((a) => [a.tier, a.outcome]);

    describe('with the default configuration', () => {
      beforeEach(async () => (t = await startTestGateway(framework)));

      it("healthy: OpenAI's chunks word by word, the tier in the header, each chunk and the summary", async () => {
        const answer = await stream('one two three');
        expect(answer.error).to.equal(undefined);
        expect(answer.servedBy).to.equal('openai');
        expect(text(answer)).to.equal('[openai] one two three');
        // the role chunk, four words, the finish chunk, the usage chunk, the gateway's summary
        expect(answer.pieces.filter((p) => p !== '')).to.deep.equal([
          '[openai]',
          ' one',
          ' two',
          ' three',
        ]);
        expect(new Set(answer.chunkTiers)).to.deep.equal(new Set(['openai']));
        expect(outcomes(answer)).to.deep.equal([['openai', 'success']]);
      });

      it('passes chunks through as they arrive: the first words reach the client while OpenAI stalls', async () => {
        t.fake.setFault('openai', { kind: 'hang', afterChunks: 2 });
        const answer = await stream('one two three', (seen, abort) => {
          if (seen.pieces.join('') === '[openai] one') abort();
        });
        expect(answer.servedBy).to.equal('openai');
        expect(text(answer)).to.equal('[openai] one');
        await t.fake.idle('openai'); // the client went away: the provider's request is cancelled
        expect(t.fake.counters().openai.chatCompletions.inFlight).to.equal(0);
      });

      it('fails over before the first content: a 503, then a cut with no content, then an in-band error', async () => {
        t.fake.setFault('openai', { kind: 'status', status: 503 });
        const first = await stream('a b');
        expect([first.servedBy, text(first)]).to.deep.equal(['anthropic', '[anthropic] a b']);
        expect(outcomes(first)).to.deep.equal([
          ['openai', 'failure'],
          ['anthropic', 'success'],
        ]);
        t.fake.setFault('openai', { kind: 'streamCut', afterChunks: 0 });
        const second = await stream('c d');
        expect([second.servedBy, text(second)]).to.deep.equal(['anthropic', '[anthropic] c d']);
        t.fake.setFault('openai', { kind: 'streamError', afterChunks: 0 });
        const third = await stream('e f');
        expect([third.servedBy, text(third)]).to.deep.equal(['anthropic', '[anthropic] e f']);
        expect(third.error).to.equal(undefined);
        // OpenAI's role chunk was held and dropped with its level: nothing of OpenAI reached the client
        expect(third.chunkTiers.filter((tier) => tier === 'openai')).to.deep.equal([]);
      });

      it('a provider that sends nothing is left at its first-chunk deadline for the next tier', async () => {
        t.fake.setFault('openai', { kind: 'hang' });
        const pending = stream('late');
        // The deadline is read from the gateway's clock: it passes once the request is out.
        await t.fake.received('openai');
        t.clock.advance(PROVIDER_TIMEOUT + 1);
        const answer = await pending;
        expect(answer.servedBy).to.equal('anthropic');
        expect(text(answer)).to.equal('[anthropic] late');
        expect(outcomes(answer)).to.deep.equal([
          ['openai', 'timeout'],
          ['anthropic', 'success'],
        ]);
        await t.fake.idle('openai'); // the stalled request was aborted
      });

      it('Google is the third tier: OpenAI and Anthropic down, Gemini streams', async () => {
        t.fake.setFault('openai', { kind: 'status', status: 500 });
        t.fake.setFault('anthropic', { kind: 'status', status: 529 });
        const answer = await stream('third tier');
        expect(answer.servedBy).to.equal('google');
        expect(text(answer)).to.equal('[google] third tier');
        expect(outcomes(answer)).to.deep.equal([
          ['openai', 'failure'],
          ['anthropic', 'failure'],
          ['google', 'success'],
        ]);
      });

      it('all three providers down: the cache replays the last streamed answer, then degraded', async () => {
        await stream('remember me');
        for (const p of ['openai', 'anthropic', 'google'] as const)
          t.fake.setFault(p, { kind: 'status', status: 503 });
        const cached = await stream('remember me');
        expect([cached.servedBy, text(cached)]).to.deep.equal(['cache', '[openai] remember me']);
        const degraded = await stream('never asked');
        expect(degraded.servedBy).to.equal('degraded');
        expect(degraded.error).to.equal(undefined);
      });

      it('cut after content, no resume: the words so far, then an error event the SDK throws', async () => {
        t.fake.setFault('openai', { kind: 'streamCut', afterChunks: 2 });
        const answer = await stream('one two three');
        expect(answer.servedBy).to.equal('openai');
        expect(text(answer)).to.equal('[openai] one');
        expect(answer.error).to.be.instanceOf(APIError);
        expect((answer.error as APIError).code).to.equal('stream_interrupted');
        expect(t.fake.counters().anthropic.messages.requests).to.equal(0);
      });

      it('the client goes away mid-stream: the provider request is cancelled, not counted a failure', async () => {
        t.fake.setFault('openai', { kind: 'hang', afterChunks: 1 });
        const answer = await stream('one two', (seen, abort) => {
          if (seen.pieces.includes('[openai]')) abort();
        });
        expect(text(answer)).to.equal('[openai]');
        await t.fake.idle();
        expect(t.fake.counters().openai.chatCompletions).to.include({ requests: 1, inFlight: 0 });
        expect(t.fake.counters().anthropic.messages.requests).to.equal(0);
        const openai = await t.breaker('openai');
        expect(openai.failedRequests).to.equal(0);
        expect(openai.state).to.equal('closed');
      });
    });

    describe('a client that goes away before the first chunk', () => {
      beforeEach(async () => (t = await startTestGateway(framework)));

      it("cancels the provider's request it was waiting on, and tries no other tier", async () => {
        t.fake.setFault('openai', { kind: 'hang' });
        const controller = new AbortController();
        const pending = t.client.chat.completions
          .create(
            { model: 'any', messages: [{ role: 'user', content: 'never mind' }], stream: true },
            { signal: controller.signal },
          )
          .then(
            () => 'answered',
            (error: unknown) => (error as Error).constructor.name,
          );
        await t.fake.received('openai');
        controller.abort();
        expect(await pending).to.equal('APIUserAbortError');
        await t.fake.idle();
        expect(t.fake.counters().openai.chatCompletions).to.include({ requests: 1, inFlight: 0 });
        expect(t.fake.counters().anthropic.messages.requests).to.equal(0);
        expect((await t.breaker('openai')).failedRequests).to.equal(0);
      });
    });

    describe('with STREAM_RESUME=1', () => {
      beforeEach(async () => (t = await startTestGateway(framework, { STREAM_RESUME: '1' })));

      it('cut after content: the next provider continues the answer in the same stream', async () => {
        t.fake.setFault('openai', { kind: 'streamCut', afterChunks: 2 });
        const answer = await stream('one two three');
        expect(answer.error).to.equal(undefined);
        expect(answer.servedBy).to.equal('openai'); // the header names the tier that started
        // The fake echoes the last user turn: here the request to continue.
        expect(text(answer)).to.equal(`[openai] one[anthropic] ${CONTINUE_INSTRUCTION}`);
        expect(answer.chunkTiers).to.include('openai').and.to.include('anthropic');
        expect(answer.chunkTiers.at(-1)).to.equal('anthropic'); // the summary: who finished
        expect(outcomes(answer)).to.deep.equal([
          ['openai', 'interrupted'],
          ['anthropic', 'success'],
        ]);
      });
    });
  });
}
