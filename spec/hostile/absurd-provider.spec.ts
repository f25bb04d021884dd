/**
 * A provider that answers with absurd headers and bodies: a huge, negative or far-future
 * `Retry-After`, a `retry-after-ms` past any date, garbage rate-limit headers, a 10 MB error body.
 * Through the official openai and @anthropic-ai/sdk clients and plain fetch, the breaker opens for
 * at most the documented hour, every snapshot and admin route stays sane, and the process lives.
 */
import Anthropic from '@anthropic-ai/sdk';
import { expect } from 'chai';
import express from 'express';
import OpenAI from 'openai';
import request from 'supertest';
import {
  BreakerRegistry,
  MAX_RETRY_AFTER_MS,
  type Breaker,
  type BreakerSnapshot,
} from '../../lib/index.js';
import { startFakeProvider, type FakeProvider, type Fault } from '../../lib/testing/index.js';
import { adminRouter } from '../../adapters/express/index.js';

const HOUR = MAX_RETRY_AFTER_MS;
const TEN_MB = 'x'.repeat(10 * 1024 * 1024);
const GARBAGE_RATE_LIMITS = {
  'x-ratelimit-reset-requests': 'NaNs',
  'x-ratelimit-reset-tokens': '-1e308ms',
  'x-ratelimit-remaining-requests': '-1',
  'anthropic-ratelimit-requests-reset': 'not-a-date',
  'anthropic-ratelimit-tokens-reset': '+275761-01-01T00:00:00Z',
  'retry-after-ms': 'soon',
};

/** Each absurd answer, and how long the breaker it strikes should stay open (ms, at most). */
const CASES: [string, Fault, (waitMs: number) => void][] = [
  [
    'a 429 with Retry-After of 10^20 seconds',
    { kind: 'status', status: 429, retryAfter: '100000000000000000000' },
    (wait) => expect(wait).to.be.within(HOUR - 5_000, HOUR),
  ],
  [
    'a 429 with Retry-After digits past Infinity',
    { kind: 'status', status: 429, retryAfter: '9'.repeat(400) },
    (wait) => expect(wait).to.be.within(HOUR - 5_000, HOUR),
  ],
  [
    'a 429 with retry-after-ms of MAX_SAFE_INTEGER',
    { kind: 'status', status: 429, retryAfter: false, retryAfterMs: Number.MAX_SAFE_INTEGER },
    (wait) => expect(wait).to.be.within(HOUR - 5_000, HOUR),
  ],
  [
    'a 429 with a Retry-After date in the year 9999',
    { kind: 'status', status: 429, retryAfter: 'Fri, 31 Dec 9999 23:59:59 GMT' },
    (wait) => expect(wait).to.be.within(HOUR - 5_000, HOUR),
  ],
  [
    'a 429 with a negative Retry-After (ignored: the resetTimeout)',
    { kind: 'status', status: 429, retryAfter: '-5' },
    (wait) => expect(wait).to.be.within(55_000, 60_000),
  ],
  [
    'a 429 with garbage rate-limit headers (ignored: the resetTimeout)',
    { kind: 'status', status: 429, retryAfter: 'tomorrow-ish', headers: GARBAGE_RATE_LIMITS },
    (wait) => expect(wait).to.be.within(55_000, 60_000),
  ],
  [
    'a 500 with a 10 MB error body',
    { kind: 'status', status: 500, message: TEN_MB },
    (wait) => expect(wait).to.be.within(55_000, 60_000),
  ],
];

/** Every field of a snapshot a dashboard reads, checked for sanity. */
function expectSane(snapshot: BreakerSnapshot): void {
  const json = JSON.stringify(snapshot);
  expect(json.length, 'no provider body leaks into a snapshot').to.be.below(4_000);
  expect(JSON.parse(json)).to.deep.equal(snapshot);
  for (const time of [snapshot.stateChangedAt, snapshot.openUntil, snapshot.lastFailureTime]) {
    if (time !== null) expect(Number.isNaN(Date.parse(time)), time).to.equal(false);
  }
  if (snapshot.retryAfterMs !== null) expect(snapshot.retryAfterMs).to.be.within(0, HOUR);
}

async function askFetch(fake: FakeProvider): Promise<unknown> {
  const res = await fetch(`${fake.openaiBaseURL}/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'm', messages: [{ role: 'user', content: 'hi' }] }),
  });
  const body = await res.text();
  if (!res.ok) {
    // What a hand-written client throws: the status and the headers, and (too much of) the body.
    throw Object.assign(new Error(`HTTP ${res.status}: ${body}`), {
      status: res.status,
      headers: res.headers,
    });
  }
  return JSON.parse(body);
}

describe('a provider answering with absurd headers and bodies', function () {
  this.timeout(20_000);
  let fake: FakeProvider;
  let openai: OpenAI;
  let anthropic: Anthropic;
  before(async () => {
    fake = await startFakeProvider();
    openai = new OpenAI({ apiKey: 'k', baseURL: fake.openaiBaseURL, maxRetries: 0 });
    anthropic = new Anthropic({ apiKey: 'k', baseURL: fake.anthropicBaseURL, maxRetries: 0 });
  });
  after(() => fake.close());

  const clients: Record<string, (breaker: Breaker) => Promise<unknown>> = {
    'openai SDK': (b) =>
      b.execute((signal) =>
        openai.chat.completions.create(
          { model: 'gpt-test', messages: [{ role: 'user', content: 'hi' }] },
          { signal },
        ),
      ),
    'anthropic SDK': (b) =>
      b.execute((signal) =>
        anthropic.messages.create(
          { model: 'claude-test', max_tokens: 8, messages: [{ role: 'user', content: 'hi' }] },
          { signal },
        ),
      ),
    fetch: (b) => b.execute(() => askFetch(fake)),
  };

  for (const [client, call] of Object.entries(clients)) {
    for (const [label, fault, expectWait] of CASES) {
      it(`${client}: ${label}`, async () => {
        const provider = client === 'anthropic SDK' ? 'anthropic' : 'openai';
        fake.setFault(provider, fault);
        const registry = new BreakerRegistry({ defaults: { failureThreshold: 1 } });
        const breaker = registry.get(provider);
        const error = await call(breaker).catch((e: unknown) => e);
        expect(error).to.be.instanceOf(Error);
        const snapshot = breaker.snapshot();
        expect(snapshot.state).to.equal('open');
        expectSane(snapshot);
        expectWait(snapshot.retryAfterMs!);
        const app = express().use('/admin', adminRouter(registry, { metrics: false }));
        const listed = await request(app).get('/admin/circuit-breakers').expect(200);
        expect(listed.body.breakers[0].name).to.equal(provider);
        await request(app).get('/admin/health').expect(503);
        fake.clearFaults();
      });
    }
  }
});
