/**
 * The code of docs/streams.md, run with the official SDKs against the fake provider. Each snippet
 * there names this file, and the last spec checks that every snippet is here, line for line.
 */
import Anthropic from '@anthropic-ai/sdk';
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import OpenAI from 'openai';
import {
  BreakerRegistry,
  CircuitBreaker,
  Fallback,
  bindRegistry,
  callContext,
  failoverStream,
  isStreamInterruptedError,
  resumeOpenAiChat,
  withOutcome,
} from '../../lib/index.js';
import { startFakeProvider, type FakeProvider } from '../../lib/testing/index.js';

const root = new URL('../../../', import.meta.url);

type Chat = { messages: { role: 'user' | 'assistant'; content: string }[] };

/** docs: decorators on async * methods */
class StoryTeller {
  @CircuitBreaker('openai', { firstChunkTimeout: 10_000, idleTimeout: 5_000 })
  @Fallback('claude')
  async *tell(prompt: string): AsyncGenerator<string> {
    const { signal } = callContext(); // read it before the first await
    const stream = await this.openai.chat.completions.create(
      { model: 'gpt-4o-mini', messages: [{ role: 'user', content: prompt }], stream: true },
      { signal },
    );
    for await (const chunk of stream) yield chunk.choices[0]?.delta.content ?? '';
  }

  @CircuitBreaker('anthropic')
  async *claude(prompt: string, _error?: unknown): AsyncGenerator<string> {
    const stream = await this.anthropic.messages.create({
      model: 'claude-opus-4-6',
      max_tokens: 1024,
      messages: [{ role: 'user', content: prompt }],
      stream: true,
    });
    for await (const event of stream) {
      if (event.type === 'content_block_delta' && event.delta.type === 'text_delta') {
        yield event.delta.text;
      }
    }
  }

  constructor(
    private readonly openai: OpenAI,
    private readonly anthropic: Anthropic,
  ) {}
}

describe('docs/streams.md examples', () => {
  let fake: FakeProvider;
  let openai: OpenAI;
  let anthropic: Anthropic;
  let registry: BreakerRegistry;
  let replies: Record<string, string>;
  beforeEach(async () => {
    replies = {};
    fake = await startFakeProvider({
      reply: (request) => replies[request.provider] ?? `[${request.provider}] ${request.prompt}`,
    });
    openai = new OpenAI({ apiKey: 'test', baseURL: fake.openaiBaseURL, maxRetries: 0 });
    anthropic = new Anthropic({ apiKey: 'test', baseURL: fake.anthropicBaseURL, maxRetries: 0 });
    registry = new BreakerRegistry();
  });
  afterEach(async () => {
    await registry.close(0);
    await fake.close();
  });

  it('guards one stream with breaker.stream', async () => {
    const breaker = registry.get('openai', { firstChunkTimeout: 10_000, idleTimeout: 5_000 });
    let text = '';
    const stream = breaker.stream((signal) =>
      openai.chat.completions.create(
        { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hello' }], stream: true },
        { signal },
      ),
    );
    for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';

    expect(text).to.equal('[openai] hello');
    expect(breaker.stats.successfulRequests).to.equal(1);

    fake.setFault('openai', { kind: 'streamError', afterChunks: 1, type: 'server_error' });
    let error: unknown;
    try {
      for await (const _ of breaker.stream((signal) =>
        openai.chat.completions.create(
          { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hello' }], stream: true },
          { signal },
        ),
      ));
    } catch (e) {
      error = e;
    }
    expect((error as { status?: unknown }).status).to.equal(undefined); // the SDK's in-band APIError
    expect(breaker.stats.failedRequests).to.equal(1);
  });

  it('fails over before content, and resumes on another provider after a cut', async () => {
    replies['openai'] = 'Once upon a time there was a fox';
    replies['anthropic'] = 'a time there was a fox who loved streams.';
    fake.setFault('openai', { kind: 'streamCut', afterChunks: 4 });

    const chat = failoverStream(
      [
        {
          name: 'openai',
          options: { firstChunkTimeout: 10_000, idleTimeout: 5_000 },
          resume: resumeOpenAiChat(), // continue on the next level from the partial text
          call: async function* (body: Chat, signal: AbortSignal) {
            const stream = await openai.chat.completions.create(
              { model: 'gpt-4o-mini', messages: body.messages, stream: true },
              { signal },
            );
            for await (const chunk of stream) yield chunk.choices[0]?.delta.content ?? '';
          },
        },
        {
          name: 'anthropic',
          call: async function* (body: Chat, signal: AbortSignal) {
            const stream = await anthropic.messages.create(
              {
                model: 'claude-opus-4-6',
                max_tokens: 1024,
                messages: body.messages,
                stream: true,
              },
              { signal },
            );
            for await (const event of stream) {
              if (event.type === 'content_block_delta' && event.delta.type === 'text_delta')
                yield event.delta.text;
            }
          },
        },
      ],
      { registry },
    );

    let story = '';
    const { servedBy, attempts } = await withOutcome(async () => {
      for await (const text of chat({ messages: [{ role: 'user', content: 'A story?' }] }))
        story += text;
    });
    // story: 'Once upon a time there was a fox who loved streams.'
    // servedBy: 'anthropic'; attempts: openai 'interrupted', anthropic 'success'

    expect(story).to.equal('Once upon a time there was a fox who loved streams.');
    expect(servedBy).to.equal('anthropic');
    expect(attempts.map((a) => a.outcome)).to.deep.equal(['interrupted', 'success']);

    // Without resume, the cut ends the stream with StreamInterruptedError.
    const plain = failoverStream(
      [
        {
          name: 'openai-plain',
          call: (prompt: string, signal: AbortSignal) =>
            openai.chat.completions.create(
              { model: 'gpt-4o-mini', messages: [{ role: 'user', content: prompt }], stream: true },
              { signal },
            ),
        },
      ],
      { registry },
    );
    let caught: unknown;
    try {
      for await (const _ of plain('hi'));
    } catch (error) {
      caught = error;
    }
    expect(isStreamInterruptedError(caught)).to.equal(true);
    expect(caught).to.include({ code: 'ESTREAMCUT', breaker: 'openai-plain' });
  });

  it('guards async * methods with the decorators', async () => {
    fake.setFault('openai', { kind: 'status', status: 529 });
    const teller = bindRegistry(new StoryTeller(openai, anthropic), registry);
    let text = '';
    for await (const piece of teller.tell('hello')) text += piece;
    expect(text).to.equal('[anthropic] hello');
  });

  it('shows only code that the specs run (every snippet is in the file it names)', () => {
    const doc = readFileSync(new URL('docs/streams.md', root), 'utf8');
    const snippets = [...doc.matchAll(/<!-- from (\S+) -->\s*```ts\n([\s\S]*?)```/g)];
    expect(snippets.length).to.be.greaterThan(2);
    for (const [, file, code] of snippets) {
      const source = normalise(readFileSync(new URL(file!, root), 'utf8'));
      expect(source.includes(normalise(code!)), `docs snippet from ${file}:\n${code}`).to.equal(
        true,
      );
    }
  });
});

/** Lines trimmed, blank lines and `// ...` elisions dropped, joined: indentation may differ. */
function normalise(text: string): string {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && line !== '// ...')
    .join('\n');
}
