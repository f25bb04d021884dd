/**
 * The code of docs/testing.md, run as it is shown there (imports aside: the docs import from
 * `breakwater` and `breakwater/testing`, this spec from the sources).
 */
import Anthropic from '@anthropic-ai/sdk';
import { expect } from 'chai';
import OpenAI from 'openai';
import { BreakerRegistry, failover, withOutcome } from '../../lib/index.js';
import { startFakeProvider, type FakeProvider } from '../../lib/testing/index.js';

describe('docs/testing.md', () => {
  const started: FakeProvider[] = [];
  afterEach(() => Promise.all(started.splice(0).map((fake) => fake.close())));

  it('quick start: OpenAI down, Anthropic answers, the breaker opens, OpenAI comes back', async () => {
    // --- docs: quick start ---
    const fake = await startFakeProvider(); // 127.0.0.1, a free port
    started.push(fake); // (spec only: closed even if an expectation fails)
    const openai = new OpenAI({ apiKey: 'test', baseURL: fake.openaiBaseURL, maxRetries: 0 });
    const anthropic = new Anthropic({
      apiKey: 'test',
      baseURL: fake.anthropicBaseURL,
      maxRetries: 0,
    });
    const registry = new BreakerRegistry();

    const complete = failover(
      [
        {
          name: 'openai',
          options: { failureThreshold: 3 },
          call: async (prompt: string, signal: AbortSignal) => {
            const chat = await openai.chat.completions.create(
              { model: 'gpt-4o-mini', messages: [{ role: 'user', content: prompt }] },
              { signal },
            );
            return chat.choices[0]?.message.content ?? '';
          },
        },
        {
          name: 'anthropic',
          call: async (prompt: string, signal: AbortSignal) => {
            const message = await anthropic.messages.create(
              {
                model: 'claude-test',
                max_tokens: 256,
                messages: [{ role: 'user', content: prompt }],
              },
              { signal },
            );
            return message.content[0]?.type === 'text' ? message.content[0].text : '';
          },
        },
      ],
      { registry },
    );

    expect(await complete('hello')).to.equal('[openai] hello');

    fake.setFault('openai', { kind: 'status', status: 503 }); // OpenAI down, Anthropic healthy
    for (let i = 0; i < 3; i++) {
      const { value, servedBy } = await withOutcome(() => complete('hello'));
      expect([value, servedBy]).to.deep.equal(['[anthropic] hello', 'anthropic']);
    }
    expect(registry.get('openai').state).to.equal('open'); // 3 failures in a row
    expect(fake.counters().openai.chatCompletions.requests).to.equal(4);

    await complete('hello'); // refused by the open breaker: OpenAI is not even called
    expect(fake.counters().openai.chatCompletions.requests).to.equal(4);

    fake.clearFaults();
    registry.reset('openai'); // or wait resetTimeout for the trial call
    expect(await complete('hello')).to.equal('[openai] hello');
    await fake.close();
    // --- end ---
  });
});
