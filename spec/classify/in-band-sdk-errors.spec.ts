/**
 * Errors inside a 200 stream as the official clients throw them (an `APIError` without a status),
 * judged by the status their type stands for: the same verdict as before the stream began.
 */
import Anthropic from '@anthropic-ai/sdk';
import { expect } from 'chai';
import OpenAI from 'openai';
import { Breaker, CALLER_ERROR, defaultClassify, statusOfErrorTypes } from '../../lib/index.js';
import { startFakeProvider, type FakeProvider } from '../../lib/testing/index.js';

describe('in-band stream errors thrown by the SDKs', () => {
  let fake: FakeProvider;
  before(async () => {
    fake = await startFakeProvider();
  });
  after(() => fake.close());
  afterEach(() => fake.clearFaults());

  async function openaiError(type: string): Promise<unknown> {
    fake.setFault('openai', { kind: 'streamError', afterChunks: 1, type });
    const openai = new OpenAI({ apiKey: 'test', baseURL: fake.openaiBaseURL, maxRetries: 0 });
    try {
      const stream = await openai.chat.completions.create({
        model: 'gpt-4o-mini',
        messages: [{ role: 'user', content: 'hi there' }],
        stream: true,
      });
      for await (const _ of stream);
    } catch (error) {
      return error;
    }
    throw new Error('expected the stream to throw');
  }

  async function anthropicError(type: string): Promise<unknown> {
    fake.setFault('anthropic', { kind: 'streamError', afterChunks: 1, type });
    const anthropic = new Anthropic({
      apiKey: 'test',
      baseURL: fake.anthropicBaseURL,
      maxRetries: 0,
    });
    try {
      const stream = await anthropic.messages.create({
        model: 'claude-test',
        max_tokens: 64,
        messages: [{ role: 'user', content: 'hi there' }],
        stream: true,
      });
      for await (const _ of stream);
    } catch (error) {
      return error;
    }
    throw new Error('expected the stream to throw');
  }

  for (const [provider, thrown] of [
    ['openai', openaiError],
    ['anthropic', anthropicError],
  ] as const) {
    it(`${provider}: an in-band invalid_request_error is the caller's; overloaded and server errors are failures; a rate limit is one`, async () => {
      const invalid = await thrown('invalid_request_error');
      expect((invalid as { status?: unknown }).status).to.equal(undefined);
      expect(defaultClassify(invalid)).to.deep.equal(CALLER_ERROR);
      expect(defaultClassify(await thrown('overloaded_error'))).to.include({
        failure: true,
        failover: true,
      });
      expect(defaultClassify(await thrown('api_error'))).to.include({ failure: true });
      expect(defaultClassify(await thrown('rate_limit_error'))).to.include({ rateLimited: true });
      expect(defaultClassify(await thrown('mystery_error'))).to.include({ failure: true });
    });
  }

  it('a breaker streaming through the SDK does not count an in-band caller error', async () => {
    fake.setFault('anthropic', {
      kind: 'streamError',
      afterChunks: 0,
      type: 'invalid_request_error',
    });
    const anthropic = new Anthropic({
      apiKey: 'test',
      baseURL: fake.anthropicBaseURL,
      maxRetries: 0,
    });
    const breaker = new Breaker({ name: 'anthropic', failureThreshold: 1 });
    let error: unknown;
    try {
      for await (const _ of breaker.stream((signal) =>
        anthropic.messages.create(
          {
            model: 'claude-test',
            max_tokens: 64,
            messages: [{ role: 'user', content: 'x' }],
            stream: true,
          },
          { signal },
        ),
      ));
    } catch (e) {
      error = e;
    }
    expect(error).to.be.instanceOf(Error);
    expect(breaker.state).to.equal('closed');
    expect(breaker.snapshot()).to.include({ failedRequests: 0 });
  });

  it('maps error types to statuses', () => {
    expect(statusOfErrorTypes(['error', 'overloaded_error'])).to.equal(529);
    expect(statusOfErrorTypes([null, 'RESOURCE_EXHAUSTED'])).to.equal(429);
    expect(statusOfErrorTypes(['unknown'])).to.equal(undefined);
  });
});
