import { ApiError } from '@google/genai';
import { expect } from 'chai';
import { CALLER_ERROR, FAILURE, codesOf, defaultClassify } from '../../lib/index.js';
import { startFakeProvider, type FakeProvider } from '../../lib/testing/index.js';
import { contentBody, googleFor, readGoogleStream, rejectionOf } from './sdk-helpers.js';

describe('fake provider + the official @google/genai client', () => {
  let fake: FakeProvider;
  beforeEach(async () => (fake = await startFakeProvider()));
  afterEach(() => fake.close());

  describe('healthy', () => {
    it('answers generateContent with the prompt echoed, and usage', async () => {
      const response = await googleFor(fake).models.generateContent(contentBody('hello there'));
      expect(response.text).to.equal('[google] hello there');
      expect(response.candidates![0]!.finishReason).to.equal('STOP');
      expect(response.usageMetadata).to.deep.equal({
        promptTokenCount: 2,
        candidatesTokenCount: 3,
        totalTokenCount: 5,
      });
      expect(response.modelVersion).to.equal('gemini-test');
      expect(fake.counters().google.generateContent).to.deep.equal({
        requests: 1,
        succeeded: 1,
        failed: 0,
        faulted: 0,
        inFlight: 0,
      });
    });

    it('streams the same answer word by word, the last chunk finishing with STOP', async () => {
      const chunks = [];
      const stream = await googleFor(fake).models.generateContentStream(contentBody('a b c'));
      for await (const chunk of stream) chunks.push(chunk);
      expect(chunks.map((c) => c.text ?? '')).to.deep.equal(['[google]', ' a', ' b', ' c', '']);
      expect(chunks.at(-1)!.candidates![0]!.finishReason).to.equal('STOP');
      expect(chunks.at(-1)!.usageMetadata!.candidatesTokenCount).to.equal(4);
    });

    it('echoes the last user turn of a conversation, parts joined', async () => {
      const response = await googleFor(fake).models.generateContent({
        model: 'gemini-test',
        contents: [
          { role: 'user', parts: [{ text: 'first' }] },
          { role: 'model', parts: [{ text: 'reply' }] },
          { role: 'user', parts: [{ text: 'second ' }, { text: 'question' }] },
        ],
      });
      expect(response.text).to.equal('[google] second question');
    });

    it('checks the API key when given one (x-goog-api-key)', async () => {
      await fake.close();
      fake = await startFakeProvider({ apiKey: 'right' });
      const wrong = await rejectionOf(
        googleFor(fake, { apiKey: 'wrong' }).models.generateContent(contentBody('a')),
      );
      expect((wrong as ApiError).status).to.equal(401);
      expect((wrong as ApiError).message).to.include('UNAUTHENTICATED');
      const right = await googleFor(fake, { apiKey: 'right' }).models.generateContent(
        contentBody('a'),
      );
      expect(right.text).to.equal('[google] a');
    });

    it('refuses a request without contents with a 400 INVALID_ARGUMENT', async () => {
      const response = await fetch(`${fake.url}/v1beta/models/gemini-test:generateContent`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ contents: [] }),
      });
      expect(response.status).to.equal(400);
      const body = (await response.json()) as { error: { code: number; status: string } };
      expect(body.error).to.include({ code: 400, status: 'INVALID_ARGUMENT' });
    });
  });

  describe('status faults', () => {
    const table: [number, string][] = [
      [400, 'INVALID_ARGUMENT'],
      [401, 'UNAUTHENTICATED'],
      [403, 'PERMISSION_DENIED'],
      [404, 'NOT_FOUND'],
      [429, 'RESOURCE_EXHAUSTED'],
      [500, 'INTERNAL'],
      [503, 'UNAVAILABLE'],
      [504, 'DEADLINE_EXCEEDED'],
    ];
    for (const [status, name] of table) {
      it(`${status}: the SDK throws ApiError ${status} with the ${name} body`, async () => {
        fake.setFault('google', { kind: 'status', status });
        const error = await rejectionOf(googleFor(fake).models.generateContent(contentBody('a')));
        expect(error).to.be.instanceOf(ApiError);
        expect((error as ApiError).status).to.equal(status);
        expect((error as ApiError).message).to.include(`"status":"${name}"`);
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

    it("a 429's retry delay travels in the body (RetryInfo), as Google sends it", async () => {
      fake.setFault('google', { kind: 'status', status: 429, retryAfter: 37 });
      const error = await rejectionOf(googleFor(fake).models.generateContent(contentBody('a')));
      expect((error as ApiError).message).to.include('"retryDelay":"37s"');
      expect(defaultClassify(error).retryAfterMs).to.equal(37_000);
    });

    it('a streaming request meets the same status fault before any chunk', async () => {
      fake.setFault('google', { kind: 'status', status: 503 });
      const { text, error } = await readGoogleStream(googleFor(fake), 'a');
      expect(text).to.equal('');
      expect((error as ApiError).status).to.equal(503);
      expect(defaultClassify(error)).to.deep.equal(FAILURE);
    });
  });

  describe('connection faults', () => {
    it('reset: a fetch failure whose cause chain ends in ECONNRESET -> failure', async () => {
      fake.setFault('google', { kind: 'reset' });
      const error = await rejectionOf(googleFor(fake).models.generateContent(contentBody('a')));
      expect(codesOf(error).at(-1)).to.equal('ECONNRESET');
      expect(defaultClassify(error)).to.deep.equal(FAILURE);
      expect(fake.counters().google.generateContent).to.include({ failed: 1, faulted: 1 });
    });

    it("hang + the caller's abort: an AbortError -> the caller's, and nothing left in flight", async () => {
      fake.setFault('google', { kind: 'hang' });
      const controller = new AbortController();
      const pending = rejectionOf(
        googleFor(fake).models.generateContent(contentBody('a', controller.signal)),
      );
      await fake.received('google');
      controller.abort();
      const error = await pending;
      expect((error as Error).name).to.equal('AbortError');
      expect(defaultClassify(error)).to.deep.equal(CALLER_ERROR);
      await fake.idle('google');
      expect(fake.counters().google.generateContent.inFlight).to.equal(0);
    });
  });
});
