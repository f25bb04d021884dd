/**
 * Every stream fault of the fake provider, as each official SDK sees it (no breaker involved):
 * the text that got through, the error the SDK throws, and what the fake's counters say. No
 * timing is asserted: delays that must not pass are a minute long and ended by the caller's abort.
 */
import Anthropic, { APIError as AnthropicAPIError } from '@anthropic-ai/sdk';
import { ApiError } from '@google/genai';
import { expect } from 'chai';
import OpenAI, { APIError as OpenAIAPIError } from 'openai';
import { CALLER_ERROR, FAILURE, codesOf, defaultClassify } from '../../lib/index.js';
import {
  startFakeProvider,
  type FakeProvider,
  type ProviderName,
} from '../../lib/testing/index.js';
import { chatBody, contentBody, googleFor, messagesBody } from './sdk-helpers.js';

/** One official SDK's streaming call, seen uniformly. */
interface SdkStream {
  readonly provider: ProviderName;
  readonly sdk: string;
  /** Events the SDK yields before the first content: OpenAI's role chunk; Anthropic's opening events. */
  readonly preamble: number;
  open(fake: FakeProvider, prompt: string, signal: AbortSignal): Promise<AsyncIterable<unknown>>;
  /** The content text an event carries, or `undefined` for one without content. */
  contentOf(event: unknown): string | undefined;
  /** What the SDK throws when the caller aborts mid-stream (`undefined`: it ends quietly). */
  readonly abortError: string | undefined;
  /** What the in-band error looks like through this SDK: its class, and the field naming the error. */
  inBand(error: unknown): { className: string; kind: unknown };
}

const SDKS: SdkStream[] = [
  {
    provider: 'openai',
    sdk: 'openai',
    preamble: 1,
    open: (fake, prompt, signal) =>
      new OpenAI({
        apiKey: 'k',
        baseURL: fake.openaiBaseURL,
        maxRetries: 0,
        logLevel: 'off',
      }).chat.completions.create({ ...chatBody(prompt), stream: true }, { signal }),
    contentOf: (event) =>
      (event as OpenAI.ChatCompletionChunk).choices[0]?.delta?.content || undefined,
    abortError: undefined,
    inBand: (error) => ({
      className: (error as Error).constructor.name,
      kind: (error as OpenAIAPIError).type,
    }),
  },
  {
    provider: 'anthropic',
    sdk: '@anthropic-ai/sdk',
    preamble: 2, // message_start, content_block_start (the SDK drops ping)
    open: (fake, prompt, signal) =>
      new Anthropic({
        apiKey: 'k',
        baseURL: fake.anthropicBaseURL,
        maxRetries: 0,
        logLevel: 'off',
      }).messages.create({ ...messagesBody(prompt), stream: true }, { signal }),
    contentOf: (event) => {
      const e = event as Anthropic.RawMessageStreamEvent;
      return e.type === 'content_block_delta' && e.delta.type === 'text_delta'
        ? e.delta.text
        : undefined;
    },
    abortError: undefined,
    inBand: (error) => ({
      className: (error as Error).constructor.name,
      kind: (error as AnthropicAPIError).type,
    }),
  },
  {
    provider: 'google',
    sdk: '@google/genai',
    preamble: 0, // Gemini's first chunk already carries text
    open: (fake, prompt, signal) =>
      googleFor(fake).models.generateContentStream(contentBody(prompt, signal)),
    contentOf: (event) => (event as { text?: string }).text || undefined,
    abortError: 'AbortError',
    inBand: (error) => ({
      className: (error as Error).constructor.name,
      kind: (error as ApiError).status,
    }),
  },
];

/** What reading a stream gave: the text, how many events, the error (if any). */
interface Reading {
  text: string;
  events: number;
  contents: number;
  error?: unknown;
}

/**
 * Reads a stream; `stopWhen` is asked after the stream opens and after every event, and the
 * caller's abort fires the first time it says yes.
 */
async function read(
  sdk: SdkStream,
  fake: FakeProvider,
  prompt: string,
  stopWhen: (reading: Reading) => boolean = () => false,
): Promise<Reading> {
  const controller = new AbortController();
  const reading: Reading = { text: '', events: 0, contents: 0 };
  const check = () => {
    if (!controller.signal.aborted && stopWhen(reading)) controller.abort();
  };
  try {
    const stream = await sdk.open(fake, prompt, controller.signal);
    check();
    for await (const event of stream) {
      reading.events++;
      const content = sdk.contentOf(event);
      if (content !== undefined) {
        reading.text += content;
        reading.contents++;
      }
      check();
    }
  } catch (error) {
    reading.error = error;
  }
  return reading;
}

for (const sdk of SDKS) {
  const p = sdk.provider;
  const prefix = `[${p}]`;

  describe(`stream faults through the official ${sdk.sdk} client`, () => {
    let fake: FakeProvider;
    beforeEach(async () => (fake = await startFakeProvider()));
    afterEach(() => fake.close());

    const inFlight = () => (Object.values(fake.counters()[p])[0] as { inFlight: number }).inFlight;
    const counters = () =>
      Object.values(fake.counters()[p])[0] as unknown as Record<string, number>;

    it('streamDelay: headers and opening events at once, then no content until the delay', async () => {
      fake.setFault(p, { kind: 'streamDelay', delayMs: 60_000 });
      let openWhileWaiting: number | undefined;
      const reading = await read(sdk, fake, 'a b', (r) => {
        if (r.events < sdk.preamble) return false;
        openWhileWaiting = inFlight(); // the stream is open, only its content is late
        return true;
      });
      expect(openWhileWaiting).to.equal(1);
      expect(reading).to.include({ text: '', events: sdk.preamble, contents: 0 });
      expect((reading.error as Error | undefined)?.name).to.equal(sdk.abortError);
      if (reading.error !== undefined)
        expect(defaultClassify(reading.error)).to.deep.equal(CALLER_ERROR);
      await fake.idle(p);
      expect(counters()).to.include({ requests: 1, failed: 1, faulted: 1, inFlight: 0 });
    });

    it('streamDelay, short: the whole answer comes, late', async () => {
      fake.setFault(p, { kind: 'streamDelay', delayMs: 5, chunkDelayMs: 1 });
      const reading = await read(sdk, fake, 'late words');
      expect(reading.error).to.equal(undefined);
      expect(reading.text).to.equal(`${prefix} late words`);
      await fake.idle(p);
      expect(counters()).to.include({ succeeded: 1, faulted: 1 });
    });

    it('stall after 2 chunks: two words, then nothing while the connection stays open', async () => {
      fake.setFault(p, { kind: 'hang', afterChunks: 2 });
      let openAtStall: number | undefined;
      const reading = await read(sdk, fake, 'one two three', (r) => {
        if (r.contents < 2) return false;
        openAtStall = inFlight();
        return true;
      });
      expect(reading.text).to.equal(`${prefix} one`);
      expect(openAtStall).to.equal(1);
      expect((reading.error as Error | undefined)?.name).to.equal(sdk.abortError);
      await fake.idle(p);
      expect(counters()).to.include({ failed: 1, inFlight: 0 });
    });

    it("cut after 2 chunks: the text so far, then TypeError('terminated') -> failure", async () => {
      fake.setFault(p, { kind: 'streamCut', afterChunks: 2 });
      const reading = await read(sdk, fake, 'one two three');
      expect(reading.text).to.equal(`${prefix} one`);
      expect(reading.error).to.be.instanceOf(TypeError);
      expect((reading.error as Error).message).to.equal('terminated');
      expect(codesOf(reading.error)).to.include.oneOf(['UND_ERR_SOCKET', 'ECONNRESET']);
      expect(defaultClassify(reading.error)).to.deep.equal(FAILURE);
      await fake.idle(p);
      expect(counters()).to.include({ failed: 1, faulted: 1, inFlight: 0 });
    });

    it('in-band error after 1 chunk, in the provider shape -> failure', async () => {
      fake.setFault(p, { kind: 'streamError', afterChunks: 1 });
      const reading = await read(sdk, fake, 'a b c');
      expect(reading.text).to.equal(prefix);
      const expected = {
        openai: { className: 'APIError', kind: 'server_error' },
        anthropic: { className: 'APIError', kind: 'overloaded_error' },
        google: { className: 'ApiError', kind: 503 },
      }[p];
      expect(sdk.inBand(reading.error)).to.deep.equal(expected);
      expect(defaultClassify(reading.error)).to.deep.equal(FAILURE);
    });

    it("in-band error standing for a 400: the SDK sees the caller's error type", async () => {
      fake.setFault(p, { kind: 'streamError', afterChunks: 0, status: 400 });
      const reading = await read(sdk, fake, 'a b c');
      expect(reading.text).to.equal('');
      const expected = {
        openai: { className: 'APIError', kind: 'invalid_request_error' },
        anthropic: { className: 'APIError', kind: 'invalid_request_error' },
        google: { className: 'ApiError', kind: 400 },
      }[p];
      expect(sdk.inBand(reading.error)).to.deep.equal(expected);
      // Google's in-band error carries its status, so the call-level classifier already sees a
      // 400; OpenAI's and Anthropic's carry only a type, which the stream engine judges.
      if (p === 'google') expect(defaultClassify(reading.error)).to.deep.equal(CALLER_ERROR);
    });

    it('malformed SSE line after 1 chunk: the SDK throws a SyntaxError', async () => {
      fake.setFault(p, { kind: 'streamMalformed', afterChunks: 1 });
      const reading = await read(sdk, fake, 'a b c');
      expect(reading.text).to.equal(prefix);
      expect(reading.error).to.be.instanceOf(SyntaxError);
      await fake.idle(p);
      expect(inFlight()).to.equal(0);
    });

    it('is set over the control route like any fault', async () => {
      const put = await fetch(`${fake.controlURL}/faults/${p}`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ kind: 'streamCut', afterChunks: 1, times: 1 }),
      });
      expect(put.status).to.equal(200);
      const cut = await read(sdk, fake, 'a b');
      expect(cut.text).to.equal(prefix);
      expect(cut.error).to.be.instanceOf(TypeError);
      const healed = await read(sdk, fake, 'a b');
      expect(healed).to.include({ text: `${prefix} a b` });
      expect(healed.error).to.equal(undefined);
    });
  });
}
