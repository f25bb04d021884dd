/**
 * Both example gateways, driven over HTTP with the official `openai` SDK as the client, through
 * provider outages, rate limits, hangs and recovery. Breaker time moves only when the spec moves
 * the gateway's clock: no sleeps.
 */
import { expect } from 'chai';
import { BadRequestError } from 'openai';
import { DEFAULT_DEGRADED_MESSAGE } from '../../examples/ai-gateway/gateway-config.js';
import {
  FRAMEWORKS,
  PROVIDER_TIMEOUT,
  RESET_TIMEOUT,
  startTestGateway,
  type TestGateway,
} from './gateway-harness.js';

for (const framework of FRAMEWORKS) {
  describe(`AI gateway example (${framework})`, () => {
    let t: TestGateway;
    beforeEach(async () => {
      t = await startTestGateway(framework);
    });
    afterEach(() => t.close());

    const requests = (provider: 'openai' | 'anthropic') =>
      provider === 'openai'
        ? t.fake.counters().openai.chatCompletions.requests
        : t.fake.counters().anthropic.messages.requests;

    it('healthy: OpenAI serves, and the header and the body say so', async () => {
      const answer = await t.chat('hello');
      expect(answer).to.deep.include({
        content: '[openai] hello',
        servedBy: 'openai',
        bodyServedBy: 'openai',
        model: 'gpt-5.4-mini',
      });
      expect(answer.attempts.map((a) => [a.tier, a.outcome])).to.deep.equal([
        ['openai', 'success'],
      ]);
      expect(requests('anthropic')).to.equal(0);
    });

    it('OpenAI answers 500: Anthropic serves; after 3 failures OpenAI is not even called', async () => {
      t.fake.setFault('openai', { kind: 'status', status: 500 });
      for (let i = 0; i < 3; i++) {
        const answer = await t.chat('hello');
        expect(answer.servedBy).to.equal('anthropic');
        expect(answer.content).to.equal('[anthropic] hello');
        expect(answer.attempts.map((a) => a.outcome)).to.deep.equal(['failure', 'success']);
      }
      const open = await t.breaker('openai');
      expect(open).to.deep.include({ state: 'open', reason: 'consecutive_failures' });
      expect(open.failedRequests).to.equal(3);

      const refused = await t.chat('hello');
      expect(refused.servedBy).to.equal('anthropic');
      expect(refused.attempts.map((a) => [a.tier, a.outcome])).to.deep.equal([
        ['openai', 'rejected'],
        ['anthropic', 'success'],
      ]);
      expect(requests('openai')).to.equal(3);
      expect((await t.breaker('anthropic')).state).to.equal('closed');
    });

    it('both providers down: the cache serves the last good answer to the same prompt', async () => {
      const first = await t.chat('what is a breakwater?');
      expect(first.servedBy).to.equal('openai');
      t.fake.setFault('openai', { kind: 'status', status: 503 });
      t.fake.setFault('anthropic', { kind: 'status', status: 529 });

      const cached = await t.chat('what is a breakwater?');
      expect(cached.servedBy).to.equal('cache');
      expect(cached.bodyServedBy).to.equal('cache');
      expect(cached.content).to.equal(first.content);
      expect(cached.attempts.map((a) => [a.tier, a.outcome])).to.deep.equal([
        ['openai', 'failure'],
        ['anthropic', 'failure'],
        ['cache', 'success'],
      ]);
    });

    it('both down and nothing cached: the degraded answer, still a 200', async () => {
      t.fake.setFault('openai', { kind: 'reset' });
      t.fake.setFault('anthropic', { kind: 'status', status: 502 });
      const answer = await t.chat('never asked before');
      expect(answer.servedBy).to.equal('degraded');
      expect(answer.content).to.equal(DEFAULT_DEGRADED_MESSAGE);
      expect(answer.attempts.map((a) => [a.tier, a.outcome])).to.deep.equal([
        ['openai', 'failure'],
        ['anthropic', 'failure'],
        ['cache', 'failure'],
        ['degraded', 'success'],
      ]);
    });

    it('a 429 with retry-after opens OpenAI as rate limited, not ill, and Anthropic serves', async () => {
      t.fake.setFault('openai', { kind: 'status', status: 429, retryAfter: 120 });
      const answer = await t.chat('hello');
      expect(answer.servedBy).to.equal('anthropic');

      const openai = await t.breaker('openai');
      expect(openai).to.deep.include({
        state: 'open',
        reason: 'rate_limited',
        rateLimited: 1,
        failedRequests: 0,
        failureCount: 0,
        retryAfterMs: 120_000,
      });
      const next = await t.chat('hello');
      expect(next.attempts[0]).to.deep.include({ tier: 'openai', outcome: 'rejected' });
      expect(requests('openai')).to.equal(1);
    });

    it('OpenAI hangs: the breaker timeout ends the wait and Anthropic serves', async () => {
      t.fake.setFault('openai', { kind: 'hang' });
      const pending = t.chat('hello');
      await t.fake.received('openai');
      t.clock.advance(PROVIDER_TIMEOUT); // the breaker's deadline passes while OpenAI hangs
      const answer = await pending;
      expect(answer.servedBy).to.equal('anthropic');
      expect(answer.attempts.map((a) => [a.tier, a.outcome])).to.deep.equal([
        ['openai', 'timeout'],
        ['anthropic', 'success'],
      ]);
      expect((await t.breaker('openai')).timeouts).to.equal(1);
    });

    it('recovery: after the reset timeout the trial call goes to OpenAI, which serves again', async () => {
      t.fake.setFault('openai', { kind: 'status', status: 503 });
      for (let i = 0; i < 3; i++) await t.chat('hello');
      expect((await t.breaker('openai')).state).to.equal('open');
      t.fake.clearFaults();

      t.clock.advance(RESET_TIMEOUT - 1);
      expect((await t.chat('hello')).servedBy).to.equal('anthropic'); // still open: no call
      expect(requests('openai')).to.equal(3);

      t.clock.advance(1);
      const trial = await t.chat('hello');
      expect(trial.servedBy).to.equal('openai');
      expect(trial.attempts.map((a) => a.outcome)).to.deep.equal(['success']);
      expect((await t.breaker('openai')).state).to.equal('closed');
      expect((await t.chat('hello')).servedBy).to.equal('openai');
    });

    it("a caller's error (400) is passed on, not failed over and not counted", async () => {
      t.fake.setFault('openai', { kind: 'status', status: 400, message: 'messages too long' });
      const error = await t.chat('hello').then(
        () => null,
        (e: unknown) => e,
      );
      expect(error).to.be.instanceOf(BadRequestError);
      expect((error as BadRequestError).message).to.contain('messages too long');
      expect(requests('anthropic')).to.equal(0);
      const openai = await t.breaker('openai');
      expect(openai).to.deep.include({ state: 'closed', failureCount: 0, callerErrors: 1 });
    });

    it('a malformed request is a 400 in OpenAI shape, before any provider is called', async () => {
      const error = await t.client.chat.completions.create({ model: 'any', messages: [] }).then(
        () => null,
        (e: unknown) => e,
      );
      expect(error).to.be.instanceOf(BadRequestError);
      expect((error as BadRequestError).param).to.equal('messages');
      expect(requests('openai')).to.equal(0);
    });

    it('streams through the SDK, the tier named in the first chunk', async () => {
      t.fake.setFault('openai', { kind: 'status', status: 503 });
      const stream = await t.client.chat.completions.create({
        model: 'any',
        messages: [{ role: 'user', content: 'stream me' }],
        stream: true,
      });
      const pieces: string[] = [];
      const servedBy: unknown[] = [];
      for await (const chunk of stream) {
        pieces.push(chunk.choices[0]?.delta?.content ?? '');
        servedBy.push((chunk as unknown as { served_by?: string }).served_by);
      }
      expect(pieces.join('')).to.equal('[anthropic] stream me');
      expect(servedBy[0]).to.equal('anthropic');
    });

    it('the admin router: dashboard, breakers, health, metrics, and open/reset with the token', async () => {
      const admin = t.gateway.adminURL;
      const page = await fetch(`${admin}/`);
      expect(page.status).to.equal(200);
      const html = await page.text();
      expect(html).to.contain('<title>breakwater');
      // demo mode: the panels of the dashboard make traffic and switch the fakes' faults
      for (const text of [
        'Ask 10 questions',
        'Fake OpenAI',
        'Fake Anthropic',
        '/_control/faults/openai',
      ]) {
        expect(html).to.contain(text);
      }

      const list = (await (await fetch(`${admin}/circuit-breakers`)).json()) as {
        breakers: { name: string }[];
      };
      expect(list.breakers.map((b) => b.name)).to.deep.equal(['openai', 'anthropic', 'google']);
      const health = await fetch(`${admin}/health`);
      expect(health.status).to.equal(200);
      expect(await health.json()).to.deep.include({ status: 'ok' });
      const metrics = await (await fetch(`${admin}/metrics`)).text();
      expect(metrics).to.match(/circuit_breaker_state\{[^}]*breaker="openai"/);

      const refused = await fetch(`${admin}/circuit-breakers/openai/open`, { method: 'POST' });
      expect(refused.status).to.equal(401);
      const auth = { authorization: `Bearer ${t.gateway.services.adminToken}` };
      const held = await fetch(`${admin}/circuit-breakers/openai/open`, {
        method: 'POST',
        headers: auth,
      });
      expect(held.status).to.equal(200);
      expect(((await held.json()) as { state: string }).state).to.equal('isolated');
      expect((await t.chat('hello')).servedBy).to.equal('anthropic');

      const reset = await fetch(`${admin}/circuit-breakers/openai/reset`, {
        method: 'POST',
        headers: auth,
      });
      expect(reset.status).to.equal(200);
      expect((await t.chat('hello')).servedBy).to.equal('openai');
      const degraded = (await (await fetch(`${admin}/health`)).json()) as { status: string };
      expect(degraded.status).to.equal('ok');
    });

    it('demo mode: the fake providers are switched through the gateway, with the admin token', async () => {
      const url = `${t.gateway.url}/_control/faults/openai`;
      const body = JSON.stringify({ kind: 'status', status: 503 });
      const headers = { 'content-type': 'application/json' };
      const anonymous = await fetch(url, { method: 'PUT', headers, body });
      expect(anonymous.status).to.equal(401);
      expect(t.fake.faults().openai).to.equal(null);

      const auth = { ...headers, authorization: `Bearer ${t.gateway.services.adminToken}` };
      const set = await fetch(url, { method: 'PUT', headers: auth, body });
      expect(set.status).to.equal(200);
      expect(t.fake.faults().openai?.fault).to.deep.equal({ kind: 'status', status: 503 });
      expect((await t.chat('hello')).servedBy).to.equal('anthropic');

      const state = (await (await fetch(`${t.gateway.url}/_control`)).json()) as {
        counters: { openai: { chatCompletions: { faulted: number } } };
      };
      expect(state.counters.openai.chatCompletions.faulted).to.equal(1);
      const cleared = await fetch(url, { method: 'DELETE', headers: auth });
      expect(cleared.status).to.equal(200);
      expect(t.fake.faults().openai).to.equal(null);
    });

    it('demo mode: POST /_demo/ask makes traffic and says which tiers answered', async () => {
      const url = `${t.gateway.url}/_demo/ask`;
      const body = JSON.stringify({ count: 4 });
      const headers = { 'content-type': 'application/json' };
      expect((await fetch(url, { method: 'POST', headers, body })).status).to.equal(401);
      expect(requests('openai')).to.equal(0);

      t.fake.setFault('openai', { kind: 'status', status: 503, times: 2 });
      const auth = { ...headers, authorization: `Bearer ${t.gateway.services.adminToken}` };
      const res = await fetch(url, { method: 'POST', headers: auth, body });
      expect(res.status).to.equal(200);
      expect(await res.json()).to.deep.equal({
        served: { anthropic: 2, openai: 2 },
        message: '4 questions answered: 2 by anthropic, 2 by openai',
      });
      const tooMany = await fetch(url, {
        method: 'POST',
        headers: auth,
        body: JSON.stringify({ count: 51 }),
      });
      expect(tooMany.status).to.equal(400);
    });
  });
}
