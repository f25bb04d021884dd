import { expect } from 'chai';
import { AnswerCache, CacheMissError } from '../../examples/ai-gateway/answer-cache.js';
import type { ChatAnswer } from '../../examples/ai-gateway/chat-answer.js';
import { ChatRequestError, parseChatRequest } from '../../examples/ai-gateway/chat-request.js';
import {
  DEFAULT_DEGRADED_MESSAGE,
  readGatewayConfig,
} from '../../examples/ai-gateway/gateway-config.js';

describe('AI gateway configuration (environment variables)', () => {
  it('defaults: port 3000 on loopback, both providers faked, no admin token', () => {
    const config = readGatewayConfig({});
    expect(config).to.deep.include({
      port: 3000,
      host: '127.0.0.1',
      adminToken: undefined,
      timeoutMs: 2_000, // both providers are fakes, which answer at once
      failureThreshold: 3,
      resetTimeoutMs: 30_000,
      maxResetTimeoutMs: undefined,
      cacheMaxEntries: 1000,
      degradedMessage: DEFAULT_DEGRADED_MESSAGE,
      shutdownTimeoutMs: 10_000,
      fakePort: 0,
    });
    expect(config.openai).to.deep.equal({
      apiKey: undefined,
      baseURL: undefined,
      model: 'gpt-5.4-mini',
      fake: true,
    });
    expect(config.anthropic).to.deep.include({ fake: true, maxTokens: 1024 });
  });

  it('a key or a base URL makes a provider real; FAKE_PROVIDERS=always fakes it anyway', () => {
    const env = {
      OPENAI_API_KEY: 'sk-test',
      ANTHROPIC_BASE_URL: 'http://127.0.0.1:9999',
      OPENAI_MODEL: 'gpt-test',
    };
    const config = readGatewayConfig(env);
    expect(config.timeoutMs).to.equal(20_000);
    expect(config.openai).to.deep.equal({
      apiKey: 'sk-test',
      baseURL: undefined,
      model: 'gpt-test',
      fake: false,
    });
    expect(config.anthropic).to.deep.include({
      baseURL: 'http://127.0.0.1:9999',
      fake: false,
    });
    const forced = readGatewayConfig({ ...env, FAKE_PROVIDERS: 'always' });
    expect(forced.openai).to.deep.include({ apiKey: undefined, fake: true });
    expect(forced.anthropic).to.deep.include({ baseURL: undefined, fake: true });
  });

  const bad: [Record<string, string>, RegExp][] = [
    [{ PORT: 'abc' }, /^PORT must be an integer from 0 to 65535, got "abc"$/],
    [{ PORT: '70000' }, /^PORT must be an integer/],
    [{ PROVIDER_TIMEOUT_MS: '0' }, /^PROVIDER_TIMEOUT_MS must be an integer from 1/],
    [{ FAILURE_THRESHOLD: '2.5' }, /^FAILURE_THRESHOLD must be an integer/],
    [
      { RESET_TIMEOUT_MS: '5000', MAX_RESET_TIMEOUT_MS: '1000' },
      /^MAX_RESET_TIMEOUT_MS must be an integer from 5000/,
    ],
    [
      { OPENAI_BASE_URL: 'not a url' },
      /^OPENAI_BASE_URL must be an http\(s\) URL, got "not a url"$/,
    ],
    [{ FAKE_PROVIDERS: 'never' }, /^FAKE_PROVIDERS must be "auto" or "always", got "never"$/],
  ];
  for (const [env, message] of bad) {
    it(`refuses ${JSON.stringify(env)}, naming the variable and the value`, () => {
      expect(() => readGatewayConfig(env)).to.throw(message);
    });
  }
});

describe('AI gateway request parsing and cache tier', () => {
  it('reads text messages, text parts, stream and max_tokens', () => {
    const request = parseChatRequest({
      model: 'x',
      messages: [
        { role: 'system', content: 'be brief' },
        {
          role: 'user',
          content: [
            { type: 'text', text: 'hi ' },
            { type: 'text', text: 'there' },
          ],
        },
      ],
      stream: true,
      max_tokens: 64,
    });
    expect(request).to.deep.equal({
      model: 'x',
      messages: [
        { role: 'system', content: 'be brief' },
        { role: 'user', content: 'hi there' },
      ],
      stream: true,
      maxTokens: 64,
      temperature: undefined,
    });
  });

  it('refuses what it cannot forward, naming the parameter', () => {
    const param = (body: unknown) => {
      try {
        parseChatRequest(body);
      } catch (error) {
        expect(error).to.be.instanceOf(ChatRequestError);
        return (error as ChatRequestError).param;
      }
      return 'accepted';
    };
    expect(param({ messages: [] })).to.equal('messages');
    expect(param({ messages: [{ role: 'tool', content: 'x' }] })).to.equal('messages[0].role');
    expect(param({ messages: [{ role: 'user', content: [{ type: 'image_url' }] }] })).to.equal(
      'messages[0].content[0]',
    );
    expect(param({ messages: [{ role: 'user', content: 'x' }], max_tokens: 0 })).to.equal(
      'max_tokens',
    );
  });

  it('the cache keeps the last answer per conversation, bounded, least recent out first', () => {
    const cache = new AnswerCache(2);
    const ask = (text: string) => parseChatRequest({ messages: [{ role: 'user', content: text }] });
    const answer = (text: string): ChatAnswer => ({
      text,
      model: 'm',
      finishReason: 'stop',
      usage: null,
    });
    cache.remember(ask('a'), answer('A1'));
    cache.remember(ask('b'), answer('B'));
    cache.remember(ask('a'), answer('A2')); // the latest answer wins, and 'a' is now recent
    cache.remember(ask('c'), answer('C')); // over the bound: 'b' goes
    expect(cache.size).to.equal(2);
    expect(cache.recall(ask('a')).text).to.equal('A2');
    expect(cache.recall(ask('c')).text).to.equal('C');
    expect(() => cache.recall(ask('b'))).to.throw(CacheMissError);
  });
});
