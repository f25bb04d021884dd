/**
 * A client that disconnects while its request waits on a provider is cancelled: neither the
 * provider's failure nor the caller's error, on the route's breaker (protect) and on the
 * provider's breaker, which learns of it only through the SDK's abort error. Express and Koa, over
 * HTTP, with the official openai SDK against the fake provider.
 */
import { expect } from 'chai';
import express from 'express';
import Koa from 'koa';
import { createServer, request, type Server } from 'node:http';
import OpenAI from 'openai';
import { BreakerRegistry } from '../../lib/index.js';
import { startFakeProvider, type FakeProvider } from '../../lib/testing/index.js';
import * as onExpress from '../../adapters/express/index.js';
import * as onKoa from '../../adapters/koa/index.js';
import { FRAMEWORKS, listen, stop, type Framework } from '../adapters/http/frameworks.js';

/** Asks the provider through its breaker; the SDK call is aborted when the response closes. */
function askProvider(
  registry: BreakerRegistry,
  openai: OpenAI,
  res: { once(event: 'close', listener: () => void): unknown },
): Promise<unknown> {
  const gone = new AbortController();
  res.once('close', () => gone.abort());
  return registry
    .get('openai', { timeout: false })
    .execute(() =>
      openai.chat.completions.create(
        { model: 'gpt-test', messages: [{ role: 'user', content: 'hi' }] },
        { signal: gone.signal },
      ),
    );
}

function app(framework: Framework, registry: BreakerRegistry, openai: OpenAI): Server {
  if (framework === 'express') {
    const a = express();
    a.set('env', 'test');
    a.get('/chat', onExpress.protect('route', { registry }), async (_req, res, next) => {
      try {
        res.json(await askProvider(registry, openai, res));
      } catch (error) {
        next(error);
      }
    });
    return createServer(a);
  }
  const k = new Koa();
  k.silent = true;
  k.use(onKoa.protect('route', { registry }));
  k.use(async (ctx) => {
    ctx.body = await askProvider(registry, openai, ctx.res);
  });
  return createServer(k.callback());
}

/** Polls (on real I/O, not a timer race) until `ready()` holds. */
async function until(ready: () => boolean): Promise<void> {
  while (!ready()) await new Promise((resolve) => setImmediate(resolve));
}

for (const framework of FRAMEWORKS) {
  describe(`a client disconnect under ${framework}`, () => {
    let fake: FakeProvider;
    beforeEach(async () => {
      fake = await startFakeProvider({ faults: { openai: { kind: 'hang' } } });
    });
    afterEach(() => fake.close());

    it('is counted as cancelled on the route and on the provider, never as a caller error', async () => {
      const registry = new BreakerRegistry();
      const openai = new OpenAI({ apiKey: 'k', baseURL: fake.openaiBaseURL, maxRetries: 0 });
      const server = app(framework, registry, openai);
      const base = await listen(server);
      try {
        const client = request(`${base}/chat`);
        client.on('error', () => undefined);
        client.end();
        await until(() => fake.counters().openai.chatCompletions.inFlight === 1);
        client.destroy();
        await until(() => registry.get('openai').snapshot().inFlight === 0);
        await until(() => registry.get('route').snapshot().inFlight === 0);
        for (const name of ['route', 'openai']) {
          expect(registry.get(name).snapshot(), name).to.include({
            cancelled: 1,
            callerErrors: 0,
            failedRequests: 0,
            successfulRequests: 0,
            state: 'closed',
          });
        }
      } finally {
        await stop(server);
      }
    });
  });
}
