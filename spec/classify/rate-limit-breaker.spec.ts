import { expect } from 'chai';
import { Breaker, CircuitOpenError } from '../../lib/index.js';
import { startFakeProvider, type FakeProvider } from '../../lib/testing/index.js';
import {
  anthropicFor,
  chatBody,
  messagesBody,
  openaiFor,
  rejectionOf,
} from '../testing/sdk-helpers.js';

/**
 * A 429 through the official SDK and a real Breaker: the breaker opens at once for what the
 * provider asked (at least resetTimeout), says `rate_limited`, and counts it apart from failures.
 */
describe('rate limits through a real SDK call and a real Breaker', () => {
  let fake: FakeProvider;
  let now: number;
  const clock = { now: () => now };
  beforeEach(async () => {
    fake = await startFakeProvider();
    now = Date.parse('2026-05-01T00:00:00Z');
  });
  afterEach(() => fake.close());

  const openaiBreaker = () =>
    new Breaker({
      name: 'openai',
      resetTimeout: 60_000,
      failureThreshold: 5,
      timeout: false,
      clock,
    });

  it("opens on the first 429 for the provider's retry-after when it is longer than resetTimeout", async () => {
    fake.setFault('openai', { kind: 'status', status: 429, retryAfter: 120 });
    const openai = openaiFor(fake);
    const breaker = openaiBreaker();
    await rejectionOf(breaker.execute(() => openai.chat.completions.create(chatBody('a'))));
    const snapshot = breaker.snapshot();
    expect(snapshot).to.include({
      state: 'open',
      reason: 'rate_limited',
      rateLimited: 1,
      failedRequests: 0,
      failureCount: 0,
      retryAfterMs: 120_000,
    });
    const refused = await rejectionOf(
      breaker.execute(() => openai.chat.completions.create(chatBody('a'))),
    );
    expect(refused).to.be.instanceOf(CircuitOpenError);
    expect((refused as CircuitOpenError).retryAfterMs).to.equal(120_000);
    expect(fake.counters().openai.chatCompletions.requests).to.equal(1);
  });

  it('stays open at least resetTimeout when the provider asks for less (retry-after-ms)', async () => {
    fake.setFault('openai', { kind: 'status', status: 429, retryAfter: false, retryAfterMs: 1500 });
    const openai = openaiFor(fake);
    const breaker = openaiBreaker();
    await rejectionOf(breaker.execute(() => openai.chat.completions.create(chatBody('a'))));
    expect(breaker.snapshot()).to.include({
      state: 'open',
      reason: 'rate_limited',
      retryAfterMs: 60_000,
    });
  });

  it('admits a trial once the wait is over, and closes when the provider answers', async () => {
    fake.setFault('openai', { kind: 'status', status: 429, retryAfter: 90, times: 1 });
    const openai = openaiFor(fake);
    const breaker = openaiBreaker();
    await rejectionOf(breaker.execute(() => openai.chat.completions.create(chatBody('a'))));
    now += 89_999;
    expect(breaker.state).to.equal('open');
    now += 1;
    const answer = await breaker.execute(() => openai.chat.completions.create(chatBody('back')));
    expect(answer.choices[0]!.message.content).to.equal('[openai] back');
    expect(breaker.snapshot()).to.include({ state: 'closed', rateLimited: 1, failedRequests: 0 });
  });

  it('counts an Anthropic 529 as ill health, not as a rate limit', async () => {
    fake.setFault('anthropic', { kind: 'status', status: 529 });
    const anthropic = anthropicFor(fake);
    const breaker = new Breaker({ name: 'anthropic', failureThreshold: 2, timeout: false, clock });
    for (let i = 0; i < 2; i++)
      await rejectionOf(breaker.execute(() => anthropic.messages.create(messagesBody('a'))));
    expect(breaker.snapshot()).to.include({
      state: 'open',
      reason: 'consecutive_failures',
      failedRequests: 2,
      rateLimited: 0,
    });
  });

  it("leaves the breaker closed and uncounted for the caller's 400", async () => {
    fake.setFault('openai', { kind: 'status', status: 400 });
    const openai = openaiFor(fake);
    const breaker = new Breaker({ name: 'openai', failureThreshold: 1, timeout: false, clock });
    await rejectionOf(breaker.execute(() => openai.chat.completions.create(chatBody('a'))));
    expect(breaker.snapshot()).to.include({ state: 'closed', failedRequests: 0, callerErrors: 1 });
  });
});
