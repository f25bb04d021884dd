import { expect } from 'chai';
import { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from 'openai';
import {
  Breaker,
  CALLER_ERROR,
  FAILURE,
  classNamesOf,
  codesOf,
  defaultClassify,
} from '../../lib/index.js';
import { startFakeProvider, type FakeProvider } from '../../lib/testing/index.js';
import { chatBody, openaiFor, readOpenAIStream, rejectionOf } from './sdk-helpers.js';

describe('fake provider + the official openai client', () => {
  let fake: FakeProvider;
  beforeEach(async () => (fake = await startFakeProvider()));
  afterEach(() => fake.close());

  describe('healthy', () => {
    it('answers chat completions with the prompt echoed, and usage', async () => {
      const completion = await openaiFor(fake).chat.completions.create(chatBody('hello there'));
      expect(completion.choices[0]!.message.content).to.equal('[openai] hello there');
      expect(completion.choices[0]!.finish_reason).to.equal('stop');
      expect(completion.usage).to.deep.equal({
        prompt_tokens: 2,
        completion_tokens: 3,
        total_tokens: 5,
      });
      expect(fake.counters().openai.chatCompletions).to.deep.equal({
        requests: 1,
        succeeded: 1,
        failed: 0,
        faulted: 0,
        inFlight: 0,
      });
    });

    it('streams the same answer word by word', async () => {
      const { text, error } = await readOpenAIStream(openaiFor(fake), 'stream me please');
      expect(error).to.equal(undefined);
      expect(text).to.equal('[openai] stream me please');
    });

    it("works with the SDK's .stream() helper, usage included", async () => {
      const stream = openaiFor(fake).chat.completions.stream({
        ...chatBody('helper'),
        stream_options: { include_usage: true },
      });
      const final = await stream.finalChatCompletion();
      expect(final.choices[0]!.message.content).to.equal('[openai] helper');
      expect(final.usage?.completion_tokens).to.equal(2);
    });
  });

  describe('status faults', () => {
    const table: [number, string, string | null][] = [
      [400, 'BadRequestError', null],
      [401, 'AuthenticationError', 'invalid_api_key'],
      [403, 'PermissionDeniedError', 'unsupported_country_region_territory'],
      [404, 'NotFoundError', 'model_not_found'],
      [429, 'RateLimitError', 'rate_limit_exceeded'],
      [500, 'InternalServerError', null],
      [502, 'InternalServerError', null],
      [503, 'InternalServerError', null],
      [504, 'InternalServerError', null],
      [529, 'InternalServerError', null],
    ];
    for (const [status, className, code] of table) {
      it(`${status}: the SDK throws ${className} with the provider's error body`, async () => {
        fake.setFault('openai', { kind: 'status', status });
        const error = await rejectionOf(openaiFor(fake).chat.completions.create(chatBody('hi')));
        expect(error).to.be.instanceOf(APIError);
        expect(classNamesOf(error)[0]).to.equal(className);
        const e = error as APIError;
        expect(e.status).to.equal(status);
        expect(e.code ?? null).to.equal(code);
        expect(e.headers?.get('x-request-id')).to.match(/^req_fake_/);
        const verdict = defaultClassify(error);
        if (status === 400) expect(verdict).to.deep.equal(CALLER_ERROR);
        else if (status === 429)
          expect(verdict).to.deep.equal({
            failure: true,
            failover: true,
            rateLimited: true,
            retryAfterMs: 1000,
          });
        else expect(verdict).to.deep.equal(FAILURE);
      });
    }

    it('429 carries the retry-after and retry-after-ms it was given', async () => {
      fake.setFault('openai', { kind: 'status', status: 429, retryAfter: 30 });
      const seconds = await rejectionOf(openaiFor(fake).chat.completions.create(chatBody('a')));
      expect(defaultClassify(seconds).retryAfterMs).to.equal(30_000);
      fake.setFault('openai', {
        kind: 'status',
        status: 429,
        retryAfter: false,
        retryAfterMs: 250,
      });
      const ms = await rejectionOf(openaiFor(fake).chat.completions.create(chatBody('a')));
      expect((ms as APIError).headers?.get('retry-after')).to.equal(null);
      expect(defaultClassify(ms).retryAfterMs).to.equal(250);
    });

    it('a 400 whose code says model_not_found is a failure, other fields as given', async () => {
      fake.setFault('openai', {
        kind: 'status',
        status: 400,
        code: 'model_not_found',
        message: 'no such model',
      });
      const error = (await rejectionOf(
        openaiFor(fake).chat.completions.create(chatBody('a')),
      )) as APIError;
      expect(error.message).to.equal('400 no such model');
      expect(defaultClassify(error)).to.deep.equal(FAILURE);
    });

    it('a 429 saying insufficient_quota is a failure, not a rate limit', async () => {
      fake.setFault('openai', {
        kind: 'status',
        status: 429,
        code: 'insufficient_quota',
        retryAfter: false,
      });
      const error = await rejectionOf(openaiFor(fake).chat.completions.create(chatBody('a')));
      expect(defaultClassify(error)).to.deep.equal(FAILURE);
    });
  });

  describe('connection faults', () => {
    it('reset: APIConnectionError whose cause chain ends in ECONNRESET -> failure', async () => {
      fake.setFault('openai', { kind: 'reset' });
      const error = await rejectionOf(openaiFor(fake).chat.completions.create(chatBody('a')));
      expect(error).to.be.instanceOf(APIConnectionError);
      expect(error).not.to.be.instanceOf(APIConnectionTimeoutError);
      expect(codesOf(error).at(-1)).to.equal('ECONNRESET');
      expect(defaultClassify(error)).to.deep.equal(FAILURE);
      expect(fake.counters().openai.chatCompletions).to.include({
        requests: 1,
        failed: 1,
        faulted: 1,
      });
    });

    it('hang + the SDK timeout: APIConnectionTimeoutError -> failure', async () => {
      fake.setFault('openai', { kind: 'hang' });
      const error = await rejectionOf(
        openaiFor(fake, { timeout: 40 }).chat.completions.create(chatBody('a')),
      );
      expect(error).to.be.instanceOf(APIConnectionTimeoutError);
      expect(defaultClassify(error)).to.deep.equal(FAILURE);
    });

    it("hang + the caller's abort: APIUserAbortError -> the caller's, not counted", async () => {
      fake.setFault('openai', { kind: 'hang' });
      const controller = new AbortController();
      const pending = rejectionOf(
        openaiFor(fake).chat.completions.create(chatBody('a'), { signal: controller.signal }),
      );
      await fake.received('openai');
      controller.abort();
      const error = await pending;
      expect(error).to.be.instanceOf(APIUserAbortError);
      expect(defaultClassify(error)).to.deep.equal(CALLER_ERROR);
    });

    it('slow: the answer comes, late', async () => {
      fake.setFault('openai', { kind: 'slow', delayMs: 20 });
      const completion = await openaiFor(fake).chat.completions.create(chatBody('later'));
      expect(completion.choices[0]!.message.content).to.equal('[openai] later');
      expect(fake.counters().openai.chatCompletions).to.include({ succeeded: 1, faulted: 1 });
    });

    it('slow beyond the SDK timeout: APIConnectionTimeoutError', async () => {
      fake.setFault('openai', { kind: 'slow', delayMs: 60_000 });
      const error = await rejectionOf(
        openaiFor(fake, { timeout: 40 }).chat.completions.create(chatBody('a')),
      );
      expect(error).to.be.instanceOf(APIConnectionTimeoutError);
    });
  });

  describe('stream faults', () => {
    it("stream cut after 2 chunks: the text so far, then TypeError('terminated') -> failure", async () => {
      fake.setFault('openai', { kind: 'streamCut', afterChunks: 2 });
      const { text, error } = await readOpenAIStream(openaiFor(fake), 'one two three four');
      expect(text).to.equal('[openai] one');
      expect(error).to.be.instanceOf(TypeError);
      expect((error as Error).message).to.equal('terminated');
      expect(codesOf(error)).to.include.oneOf(['UND_ERR_SOCKET', 'ECONNRESET']);
      expect(defaultClassify(error)).to.deep.equal(FAILURE);
    });

    it('stream cut under the .stream() helper: the SDK base error, still a failure', async () => {
      fake.setFault('openai', { kind: 'streamCut', afterChunks: 1 });
      const error = await rejectionOf(
        openaiFor(fake).chat.completions.stream(chatBody('x y')).finalChatCompletion(),
      );
      expect(classNamesOf(error)).to.include('OpenAIError');
      expect(defaultClassify(error)).to.deep.equal(FAILURE);
    });

    it('in-band stream error: APIError with status undefined -> failure', async () => {
      fake.setFault('openai', { kind: 'streamError', afterChunks: 1 });
      const { text, error } = await readOpenAIStream(openaiFor(fake), 'a b c');
      expect(text).to.equal('[openai]');
      expect(error).to.be.instanceOf(APIError);
      expect((error as APIError).status).to.equal(undefined);
      expect(defaultClassify(error)).to.deep.equal(FAILURE);
    });

    it('stream faults leave non-streaming requests alone', async () => {
      fake.setFault('openai', { kind: 'streamCut', times: 1 });
      const completion = await openaiFor(fake).chat.completions.create(chatBody('plain'));
      expect(completion.choices[0]!.message.content).to.equal('[openai] plain');
      expect(fake.faults().openai).to.deep.equal({
        fault: { kind: 'streamCut', times: 1 },
        left: 1,
      });
    });

    it('a stream that stalls after its headers is ended by the breaker timeout', async () => {
      fake.setFault('openai', { kind: 'hang', afterChunks: 1 });
      const openai = openaiFor(fake); // the SDK's own timeout only covers the wait for headers
      // The breaker's deadline is read from this clock: it passes only once the stall has begun,
      // so the outcome does not depend on how fast the machine is.
      let now = 0;
      const breaker = new Breaker({ name: 'openai', timeout: 30, clock: { now: () => now } });
      const received: string[] = [];
      const error = await rejectionOf(
        breaker.execute(async (signal) => {
          const stream = await openai.chat.completions.create(
            { ...chatBody('x y'), stream: true },
            { signal },
          );
          for await (const chunk of stream) {
            received.push(chunk.choices[0]?.delta?.content ?? '');
            if (received.length === 2) now += 30; // the first words are in; then it stalls
          }
        }),
      );
      expect(received).to.deep.equal(['', '[openai]']);
      expect((error as Error).name).to.equal('CallTimeoutError');
      expect(breaker.snapshot().timeouts).to.equal(1);
    });
  });

  describe('timing', () => {
    it('times: fails the next N requests, then recovers by itself', async () => {
      fake.setFault('openai', { kind: 'status', status: 503, times: 2 });
      const openai = openaiFor(fake);
      const outcomes: (number | string)[] = [];
      for (let i = 0; i < 3; i++) {
        try {
          outcomes.push(
            (await openai.chat.completions.create(chatBody('a'))).choices[0]!.message.content!,
          );
        } catch (error) {
          outcomes.push((error as APIError).status!);
        }
      }
      expect(outcomes).to.deep.equal([503, 503, '[openai] a']);
      expect(fake.faults().openai).to.equal(null);
    });

    it('probability: a seeded share of requests, the same ones for the same seed', async () => {
      const openai = openaiFor(fake);
      const run = async () => {
        fake.setFault('openai', { kind: 'status', status: 500, probability: 0.5, seed: 42 });
        const failed: boolean[] = [];
        for (let i = 0; i < 16; i++) {
          failed.push(
            await openai.chat.completions.create(chatBody('a')).then(
              () => false,
              () => true,
            ),
          );
        }
        return failed;
      };
      const first = await run();
      const second = await run();
      expect(second).to.deep.equal(first);
      expect(first).to.include(true).and.to.include(false);
    });
  });
});
