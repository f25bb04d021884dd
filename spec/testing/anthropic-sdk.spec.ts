import Anthropic, {
  APIConnectionError,
  APIConnectionTimeoutError,
  APIError,
  APIUserAbortError,
} from '@anthropic-ai/sdk';
import { expect } from 'chai';
import { CALLER_ERROR, FAILURE, classNamesOf, codesOf, defaultClassify } from '../../lib/index.js';
import { startFakeProvider, type FakeProvider } from '../../lib/testing/index.js';
import { anthropicFor, messagesBody, readAnthropicStream, rejectionOf } from './sdk-helpers.js';

describe('fake provider + the official @anthropic-ai/sdk client', () => {
  let fake: FakeProvider;
  let anthropic: Anthropic;
  beforeEach(async () => {
    fake = await startFakeProvider();
    anthropic = anthropicFor(fake);
  });
  afterEach(() => fake.close());

  describe('healthy', () => {
    it('answers messages with the prompt echoed, and usage', async () => {
      const message = await anthropic.messages.create(messagesBody('hello there'));
      expect(message.content).to.deep.equal([{ type: 'text', text: '[anthropic] hello there' }]);
      expect(message.stop_reason).to.equal('end_turn');
      expect(message.usage).to.include({ input_tokens: 2, output_tokens: 3 });
      expect(fake.counters().anthropic.messages).to.include({
        requests: 1,
        succeeded: 1,
        failed: 0,
      });
    });

    it('streams with the real event sequence', async () => {
      const { text, events, error } = await readAnthropicStream(anthropic, 'two words');
      expect(error).to.equal(undefined);
      expect(text).to.equal('[anthropic] two words');
      expect(events).to.deep.equal([
        'message_start',
        'content_block_start',
        'content_block_delta',
        'content_block_delta',
        'content_block_delta',
        'content_block_stop',
        'message_delta',
        'message_stop',
      ]);
    });

    it("works with the SDK's .stream() helper", async () => {
      const stream = anthropic.messages.stream(messagesBody('helper'));
      const texts: string[] = [];
      stream.on('text', (delta) => texts.push(delta));
      const final = await stream.finalMessage();
      expect(texts.join('')).to.equal('[anthropic] helper');
      expect(final.content).to.deep.equal([{ type: 'text', text: '[anthropic] helper' }]);
      expect(final.usage.output_tokens).to.equal(2);
    });
  });

  describe('status faults', () => {
    const table: [number, string, string][] = [
      [400, 'BadRequestError', 'invalid_request_error'],
      [401, 'AuthenticationError', 'authentication_error'],
      [403, 'PermissionDeniedError', 'permission_error'],
      [404, 'NotFoundError', 'not_found_error'],
      [429, 'RateLimitError', 'rate_limit_error'],
      [500, 'InternalServerError', 'api_error'],
      [502, 'InternalServerError', 'api_error'],
      [503, 'ServiceUnavailableError', 'api_error'],
      [504, 'GatewayTimeoutError', 'timeout_error'],
      [529, 'OverloadedError', 'overloaded_error'],
    ];
    for (const [status, className, type] of table) {
      it(`${status}: the SDK throws ${className} with type ${type}`, async () => {
        fake.setFault('anthropic', { kind: 'status', status });
        const error = await rejectionOf(anthropic.messages.create(messagesBody('hi')));
        expect(error).to.be.instanceOf(APIError);
        expect(classNamesOf(error)[0]).to.equal(className);
        expect((error as APIError).status).to.equal(status);
        expect((error as APIError).type).to.equal(type);
        expect((error as APIError).requestID).to.match(/^req_fake_/);
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

    it('429 with an HTTP-date retry-after', async () => {
      const at = new Date(Date.now() + 120_000).toUTCString();
      fake.setFault('anthropic', { kind: 'status', status: 429, retryAfter: at });
      const error = await rejectionOf(anthropic.messages.create(messagesBody('a')));
      const waitMs = defaultClassify(error).retryAfterMs!;
      expect(waitMs).to.be.within(110_000, 120_000); // an HTTP date has whole seconds
    });
  });

  describe('connection faults', () => {
    it('reset: APIConnectionError whose cause chain ends in ECONNRESET -> failure', async () => {
      fake.setFault('anthropic', { kind: 'reset' });
      const error = await rejectionOf(anthropic.messages.create(messagesBody('a')));
      expect(error).to.be.instanceOf(APIConnectionError);
      expect(codesOf(error).at(-1)).to.equal('ECONNRESET');
      expect(defaultClassify(error)).to.deep.equal(FAILURE);
    });

    it('hang + the SDK timeout: APIConnectionTimeoutError, a subclass of APIConnectionError -> failure', async () => {
      fake.setFault('anthropic', { kind: 'hang' });
      const error = await rejectionOf(
        anthropicFor(fake, { timeout: 40 }).messages.create(messagesBody('a')),
      );
      expect(error).to.be.instanceOf(APIConnectionTimeoutError).and.instanceOf(APIConnectionError);
      expect(defaultClassify(error)).to.deep.equal(FAILURE);
    });

    it("hang + the caller's abort: APIUserAbortError -> the caller's", async () => {
      fake.setFault('anthropic', { kind: 'hang' });
      const controller = new AbortController();
      const pending = rejectionOf(
        anthropic.messages.create(messagesBody('a'), { signal: controller.signal }),
      );
      await fake.received('anthropic');
      controller.abort();
      const error = await pending;
      expect(error).to.be.instanceOf(APIUserAbortError);
      expect(defaultClassify(error)).to.deep.equal(CALLER_ERROR);
    });

    it('slow streams: a delay before the headers and between chunks, the answer intact', async () => {
      fake.setFault('anthropic', { kind: 'slow', delayMs: 10, chunkDelayMs: 5 });
      const { text, error } = await readAnthropicStream(anthropic, 'slow words');
      expect(error).to.equal(undefined);
      expect(text).to.equal('[anthropic] slow words');
    });
  });

  describe('stream faults', () => {
    it("stream cut after 1 chunk: TypeError('terminated') with a socket code -> failure", async () => {
      fake.setFault('anthropic', { kind: 'streamCut', afterChunks: 1 });
      const { text, events, error } = await readAnthropicStream(anthropic, 'a b c');
      expect(text).to.equal('[anthropic]');
      expect(events).to.deep.equal(['message_start', 'content_block_start', 'content_block_delta']);
      expect(error).to.be.instanceOf(TypeError);
      expect(codesOf(error)).to.include.oneOf(['UND_ERR_SOCKET', 'ECONNRESET']);
      expect(defaultClassify(error)).to.deep.equal(FAILURE);
    });

    it('stream cut under MessageStream: AnthropicError with the TypeError as cause -> failure', async () => {
      fake.setFault('anthropic', { kind: 'streamCut', afterChunks: 1 });
      const error = await rejectionOf(
        anthropic.messages.stream(messagesBody('a b')).finalMessage(),
      );
      expect(classNamesOf(error)).to.deep.equal(['AnthropicError', 'Error']);
      expect((error as Error).cause).to.be.instanceOf(TypeError);
      expect(defaultClassify(error)).to.deep.equal(FAILURE);
    });

    it('in-band error event: APIError, status undefined, type overloaded_error -> failure', async () => {
      fake.setFault('anthropic', { kind: 'streamError', afterChunks: 2 });
      const { text, error } = await readAnthropicStream(anthropic, 'a b c');
      expect(text).to.equal('[anthropic] a');
      expect(error).to.be.instanceOf(APIError);
      expect((error as APIError).status).to.equal(undefined);
      expect((error as APIError).type).to.equal('overloaded_error');
      expect(defaultClassify(error)).to.deep.equal(FAILURE);
    });

    it('in-band rate_limit_error -> a rate limit', async () => {
      fake.setFault('anthropic', { kind: 'streamError', afterChunks: 0, type: 'rate_limit_error' });
      const { error } = await readAnthropicStream(anthropic, 'a');
      expect(defaultClassify(error)).to.deep.equal({
        failure: true,
        failover: true,
        rateLimited: true,
      });
    });
  });

  it('checks requests like the API: max_tokens is required', async () => {
    const body = { model: 'claude-x', messages: [{ role: 'user', content: 'a' }] };
    const error = await rejectionOf(anthropic.messages.create(body as never));
    expect(error).to.be.instanceOf(APIError);
    expect((error as APIError).status).to.equal(400);
    expect((error as APIError).message).to.include('max_tokens');
  });
});
