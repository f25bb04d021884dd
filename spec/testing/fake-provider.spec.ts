import { APIConnectionError, AuthenticationError } from 'openai';
import { expect } from 'chai';
import { FAILURE, defaultClassify } from '../../lib/index.js';
import { startFakeProvider, validateFault, type FakeProvider } from '../../lib/testing/index.js';
import { anthropicFor, chatBody, messagesBody, openaiFor, rejectionOf } from './sdk-helpers.js';

describe('startFakeProvider', () => {
  let fake: FakeProvider;
  afterEach(() => fake?.close());

  it('listens on loopback only, and gives each SDK its base URL', async () => {
    fake = await startFakeProvider();
    expect(fake.url).to.equal(`http://127.0.0.1:${fake.port}`);
    expect(fake.openaiBaseURL).to.equal(`${fake.url}/v1`);
    expect(fake.anthropicBaseURL).to.equal(fake.url);
    expect(fake.controlURL).to.equal(`${fake.url}/_control`);
  });

  it('keeps providers apart: OpenAI down while Anthropic answers', async () => {
    fake = await startFakeProvider({ faults: { openai: { kind: 'status', status: 503 } } });
    const openaiError = await rejectionOf(openaiFor(fake).chat.completions.create(chatBody('a')));
    const message = await anthropicFor(fake).messages.create(messagesBody('a'));
    expect(defaultClassify(openaiError)).to.deep.equal(FAILURE);
    expect(message.content[0]).to.deep.equal({ type: 'text', text: '[anthropic] a' });
    const counters = fake.counters();
    expect(counters.openai.chatCompletions).to.include({ requests: 1, failed: 1, faulted: 1 });
    expect(counters.anthropic.messages).to.include({ requests: 1, succeeded: 1, faulted: 0 });
    expect(fake.faults()).to.deep.equal({
      openai: { fault: { kind: 'status', status: 503 }, left: null },
      anthropic: null,
      google: null,
    });
  });

  it('close() ends hung requests, so nothing keeps the process alive', async () => {
    fake = await startFakeProvider({
      faults: { openai: { kind: 'hang' }, anthropic: { kind: 'hang', afterChunks: 1 } },
    });
    const openaiCall = rejectionOf(openaiFor(fake).chat.completions.create(chatBody('a')));
    const anthropicStream = await anthropicFor(fake).messages.create({
      ...messagesBody('a b'),
      stream: true,
    });
    const anthropicCall = rejectionOf(
      (async () => {
        for await (const _ of anthropicStream) void _;
      })(),
    );
    await Promise.all([fake.received('openai'), fake.received('anthropic')]);
    expect(fake.counters().openai.chatCompletions.inFlight).to.equal(1);
    await fake.close();
    const error = await openaiCall;
    expect(error).to.be.instanceOf(APIConnectionError);
    expect(defaultClassify(error)).to.deep.equal(FAILURE);
    expect(defaultClassify(await anthropicCall)).to.deep.equal(FAILURE);
    expect(fake.counters().openai.chatCompletions).to.include({ inFlight: 0, failed: 1 });
    await fake.close(); // twice is fine
  });

  it('answers with a reply of your own', async () => {
    fake = await startFakeProvider({ reply: (r) => `${r.model} says ${r.prompt.toUpperCase()}` });
    const completion = await openaiFor(fake).chat.completions.create(chatBody('hi'));
    expect(completion.choices[0]!.message.content).to.equal('gpt-4o-mini says HI');
  });

  it('echoes the last user message, text parts joined', async () => {
    fake = await startFakeProvider();
    const completion = await openaiFor(fake).chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [
        { role: 'system', content: 'be brief' },
        { role: 'user', content: 'first' },
        { role: 'assistant', content: 'ok' },
        {
          role: 'user',
          content: [
            { type: 'text', text: 'sec' },
            { type: 'text', text: 'ond' },
          ],
        },
      ],
    });
    expect(completion.choices[0]!.message.content).to.equal('[openai] second');
  });

  it('checks the API key when given one', async () => {
    fake = await startFakeProvider({ apiKey: 'sk-right' });
    const error = await rejectionOf(
      openaiFor(fake, { apiKey: 'sk-wrong' }).chat.completions.create(chatBody('a')),
    );
    expect(error).to.be.instanceOf(AuthenticationError);
    const ok = await openaiFor(fake, { apiKey: 'sk-right' }).chat.completions.create(chatBody('a'));
    expect(ok.choices[0]!.message.content).to.equal('[openai] a');
    const anthropicOk = await anthropicFor(fake, { apiKey: 'sk-right' }).messages.create(
      messagesBody('b'),
    );
    expect(anthropicOk.content[0]).to.deep.equal({ type: 'text', text: '[anthropic] b' });
  });

  it('received() resolves once the request has arrived', async () => {
    fake = await startFakeProvider();
    const arrived = fake.received('anthropic', 2);
    let done = false;
    void arrived.then(() => (done = true));
    await anthropicFor(fake).messages.create(messagesBody('a'));
    await Promise.resolve();
    expect(done).to.equal(false);
    await anthropicFor(fake).messages.create(messagesBody('b'));
    await arrived;
    expect(fake.counters().anthropic.messages.requests).to.equal(2);
  });

  it('resetCounters() zeroes the counters', async () => {
    fake = await startFakeProvider();
    await openaiFor(fake).chat.completions.create(chatBody('a'));
    fake.resetCounters();
    expect(fake.counters().openai.chatCompletions.requests).to.equal(0);
  });

  it('answers unknown routes with a JSON 404 and wrong methods with 405', async () => {
    fake = await startFakeProvider();
    const missing = await fetch(`${fake.url}/v1/nothing`);
    expect(missing.status).to.equal(404);
    expect(((await missing.json()) as { error: { message: string } }).error.message).to.include(
      '/v1/nothing',
    );
    const wrong = await fetch(`${fake.openaiBaseURL}/chat/completions`);
    expect(wrong.status).to.equal(405);
    expect(wrong.headers.get('allow')).to.equal('POST');
  });

  describe('refuses bad options, naming the option and showing the value', () => {
    const table: [string, object, string][] = [
      ['a host that is not loopback', { host: '0.0.0.0' }, 'host must be a loopback address'],
      ['a negative port', { port: -1 }, 'port must be an integer from 0 to 65535, got -1'],
      ['an unknown option', { hots: '127.0.0.1' }, 'unknown option "hots"'],
      ['a reply that is not a function', { reply: 'hi' }, 'reply must be a function'],
      [
        'a control path with a trailing slash',
        { controlPath: '/x/' },
        'controlPath must be a path',
      ],
      [
        'a fault for an unknown provider',
        { faults: { mistral: { kind: 'hang' } } },
        'provider must be one of',
      ],
      ['an empty api key', { apiKey: '' }, 'apiKey must be a non-empty string'],
    ];
    for (const [label, options, message] of table) {
      it(label, async () => {
        const error = await rejectionOf(startFakeProvider(options as never));
        expect((error as Error).message).to.include(message);
      });
    }
  });
});

describe('validateFault', () => {
  const bad: [string, unknown, string][] = [
    ['not an object', 503, 'fault must be an object'],
    ['an unknown kind', { kind: 'explode' }, 'fault.kind must be one of'],
    [
      'a status that is not an error',
      { kind: 'status', status: 200 },
      'fault.status must be an integer from 400 to 599, got 200',
    ],
    ['a missing status', { kind: 'status' }, 'fault.status must be an integer'],
    ['a missing delay', { kind: 'slow' }, 'fault.delayMs must be an integer'],
    [
      'a field of another kind',
      { kind: 'reset', delayMs: 5 },
      'unknown field "delayMs" for kind "reset"',
    ],
    ['times of 0', { kind: 'hang', times: 0 }, 'fault.times must be a positive integer, got 0'],
    [
      'a probability above 1',
      { kind: 'hang', probability: 2 },
      'fault.probability must be a number from 0 to 1, got 2',
    ],
    ['a fractional seed', { kind: 'hang', seed: 1.5 }, 'fault.seed must be an integer, got 1.5'],
    [
      'a negative afterChunks',
      { kind: 'streamCut', afterChunks: -1 },
      'fault.afterChunks must be an integer',
    ],
    [
      'a retryAfter object',
      { kind: 'status', status: 429, retryAfter: {} },
      'fault.retryAfter must be seconds',
    ],
    ['a streamDelay without delayMs', { kind: 'streamDelay' }, 'fault.delayMs must be an integer'],
    [
      'a streamError status outside 400-599',
      { kind: 'streamError', status: 200 },
      'fault.status must be an integer from 400 to 599, got 200',
    ],
    [
      'a malformed line that spans two lines',
      { kind: 'streamMalformed', data: 'a\nb' },
      'fault.data must be a string on one line',
    ],
  ];
  for (const [label, fault, message] of bad) {
    it(`refuses ${label}`, () => {
      expect(() => validateFault(fault)).to.throw(message);
    });
  }

  it('accepts every kind with its fields', () => {
    const good = [
      {
        kind: 'status',
        status: 429,
        retryAfter: 'Wed, 21 Oct 2026 07:28:00 GMT',
        retryAfterMs: 5,
        times: 2,
      },
      { kind: 'hang', afterChunks: 3 },
      { kind: 'slow', delayMs: 10, chunkDelayMs: 1, probability: 0.5, seed: 9 },
      { kind: 'reset' },
      { kind: 'streamCut', afterChunks: 0 },
      { kind: 'streamError', type: 'overloaded_error', message: 'busy' },
      { kind: 'streamError', status: 400, afterChunks: 2 },
      { kind: 'streamDelay', delayMs: 50, chunkDelayMs: 1 },
      { kind: 'streamMalformed', afterChunks: 0, data: '{"x":' },
    ];
    for (const fault of good) expect(validateFault(fault)).to.deep.equal(fault);
  });
});
