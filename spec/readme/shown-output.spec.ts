/**
 * Output the docs show, checked against what the code gives: the snapshot in docs/engine.md,
 * the 503 answer and the health answer in docs/admin.md, the gateway's banner in
 * docs/gateway.md, and the environment variables that messages tell users to set. (The curl
 * walk-through's output is checked where it runs: spec/examples/readme-examples.spec.ts.)
 */
import { expect } from 'chai';
import express from 'express';
import { readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import request from 'supertest';
import { Breaker, BreakerRegistry } from '../../lib/index.js';
import { adminRouter, protect } from '../../adapters/express/index.js';
import { startGateway } from '../../examples/ai-gateway/index.js';
import { banner } from '../../examples/ai-gateway/command-line.js';
import { readGatewayConfig } from '../../examples/ai-gateway/gateway-config.js';
import { startFakeProvider } from '../../lib/testing/index.js';
import { chatBody, openaiFor } from '../testing/sdk-helpers.js';
import { differences, parseShown } from './shown-output.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const docs = (name: string) => readFileSync(join(root, 'docs', name), 'utf8');

/** The fenced block of `lang` in `markdown` whose text includes `marker`. */
function block(markdown: string, lang: string, marker: string): string {
  const found = [...markdown.matchAll(new RegExp('```' + lang + '\\n([\\s\\S]*?)```', 'g'))]
    .map((m) => m[1]!)
    .filter((text) => text.includes(marker));
  expect(found, `one ${lang} block with ${marker}`).to.have.length(1);
  return found[0]!;
}

/** Shown values that differ on every run: only their type is compared. */
const VARYING = new Set(['at', 'now', 'from']);

/** The `event:` / `data:` pairs of a server-sent event stream. */
function events(text: string): { event: string; data: string }[] {
  return [...text.matchAll(/^event: (.*)\ndata: (.*)$/gm)].map((m) => ({
    event: m[1]!,
    data: m[2]!,
  }));
}

/** A clock the spec moves. */
function manualClock() {
  let time = Date.UTC(2026, 10, 23, 10);
  return { now: () => time, advance: (ms: number) => void (time += ms) };
}

describe('output shown in the docs', () => {
  it('docs/engine.md: a snapshot has the keys shown, in that order, and the defaults shown', async () => {
    const shown = parseShown(block(docs('engine.md'), 'json', '"failureCount"')) as Record<
      string,
      unknown
    >;
    const clock = manualClock();
    const breaker = new Breaker({ name: 'openai', clock });
    for (let i = 0; i < 5; i++) {
      await breaker
        .execute(async () => {
          throw Object.assign(new Error('upstream 503'), { status: 503 });
        })
        .catch(() => undefined);
    }
    const actual = breaker.snapshot() as unknown as Record<string, unknown>;
    expect(actual['state']).to.equal('open');
    expect(Object.keys(shown)).to.deep.equal(Object.keys(actual));
    expect(differences(shown['config'], actual['config'])).to.deep.equal([]);
    expect(actual).to.include({ name: shown['name'], reason: shown['reason'] });
    expect(actual['failureCount'], 'failureCount of an open breaker').to.equal(
      shown['failureCount'],
    );
  });

  it("docs/admin.md: protect()'s 503 answer, 12 s into a 30 s open wait", async () => {
    const clock = manualClock();
    const registry = new BreakerRegistry();
    let status = 500;
    const app = express();
    app.set('env', 'test');
    app.get(
      '/v1/chat',
      protect('chat-route', { registry, clock, failureThreshold: 1, resetTimeout: 30_000 }),
      (_req, res) => {
        res.status(status).json({ status });
      },
    );
    const server = createServer(app);
    await request(server).get('/v1/chat').expect(500);
    status = 200;
    clock.advance(12_000);
    const refused = await request(server).get('/v1/chat').expect(503);
    expect(refused.headers['retry-after']).to.equal('18');
    const shown = parseShown(block(docs('admin.md'), 'json', '"circuit_open"'));
    expect(differences(shown, refused.body)).to.deep.equal([]);
    expect(Object.keys(refused.body)).to.deep.equal(Object.keys(shown as object));
  });

  it('docs/admin.md: GET /health with one breaker open and one closed', async () => {
    const registry = new BreakerRegistry();
    await registry
      .get('openai', { failureThreshold: 1 })
      .execute(async () => {
        throw Object.assign(new Error('upstream 503'), { status: 503 });
      })
      .catch(() => undefined);
    registry.get('anthropic');
    const app = express();
    app.use('/admin', adminRouter(registry));
    const shown = parseShown(block(docs('admin.md'), 'json', '"degraded"'));
    const health = await request(createServer(app)).get('/admin/health').expect(200);
    expect(health.body).to.deep.equal(shown);
  });

  it('docs/classification.md: the snapshot after a 429 with retry-after 120', async () => {
    const code = block(docs('classification.md'), 'ts', "reason: 'rate_limited'");
    const comment = /breaker\.snapshot\(\);\n((?:\/\/.*\n)+)/
      .exec(code)![1]!
      .replace(/^\/\/ ?/gm, '')
      .replace(/\s+--.*$/s, '');
    const shown = parseShown(comment.replace(/(\w+):/g, '"$1":').replaceAll("'", '"'));
    const fake = await startFakeProvider();
    try {
      fake.setFault('openai', { kind: 'status', status: 429, retryAfter: 120 });
      const openai = openaiFor(fake);
      const breaker = new Breaker({
        name: 'openai',
        resetTimeout: 60_000,
        failureThreshold: 5,
        timeout: false,
        clock: manualClock(),
      });
      await breaker.execute(() => openai.chat.completions.create(chatBody('a'))).catch(() => {});
      expect(differences(shown, breaker.snapshot())).to.deep.equal([]);
    } finally {
      await fake.close();
    }
  });

  it('docs/admin.md: the events GET /events sends', async () => {
    const registry = new BreakerRegistry();
    const openai = registry.get('openai', { failureThreshold: 1 });
    const app = express();
    const admin = adminRouter(registry);
    app.use('/admin', admin);
    const server = createServer(app);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const abort = new AbortController();
    try {
      const response = await fetch(`http://127.0.0.1:${port}/admin/events`, {
        signal: abort.signal,
      });
      const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
      let text = '';
      const until = async (event: string) => {
        while (!new RegExp(`^event: ${event}\\ndata: .*\\n\\n`, 'm').test(text)) {
          text += (await reader.read()).value ?? '';
        }
      };
      await until('snapshot');
      await until('history');
      await openai
        .execute(async () => {
          throw Object.assign(new Error('upstream 503'), { status: 503 });
        })
        .catch(() => undefined);
      await until('state');
      const sent = events(text);
      const shown = events(block(docs('admin.md'), 'text', 'event: snapshot'));
      expect(shown.map((e) => e.event)).to.deep.equal(['snapshot', 'state', 'history']);
      for (const { event, data } of shown) {
        const actual = sent.find((e) => e.event === event)!;
        expect(
          differences(parseShown(data), JSON.parse(actual.data), VARYING),
          event,
        ).to.deep.equal([]);
      }
    } finally {
      abort.abort();
      await admin.close();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('the 403 answer names the environment variable the docs use', async () => {
    const app = express();
    app.use('/admin', adminRouter(new BreakerRegistry()));
    const res = await request(createServer(app)).post('/admin/circuit-breakers/reset').expect(403);
    const named = /process\.env\.(\w+)/.exec(res.body.message as string)?.[1];
    expect(named).to.be.a('string');
    expect(docs('admin.md')).to.include(`token: process.env.${named} }`);
    expect(docs('gateway.md')).to.include(`| \`${named}\``);
  });

  it('every process.env.X a message names is a variable the docs name', () => {
    const text = ['lib', 'adapters', 'examples']
      .flatMap((dir) =>
        readdirSync(join(root, 'dist', dir), { recursive: true, withFileTypes: true })
          .filter((entry) => entry.isFile() && entry.name.endsWith('.js'))
          .map((entry) => readFileSync(join(entry.parentPath, entry.name), 'utf8')),
      )
      .join('\n');
    const inStrings = new Set(
      [...text.matchAll(/['"`][^'"`\n]*process\.env\.([A-Z][A-Z0-9_]*)/g)].map((m) => m[1]!),
    );
    expect(inStrings.size).to.be.greaterThan(0);
    const allDocs = readdirSync(join(root, 'docs'))
      .filter((name) => name.endsWith('.md'))
      .map(docs)
      .join('\n');
    const undocumented = [...inStrings].filter((name) => !allDocs.includes(name));
    expect(undocumented).to.deep.equal([]);
  });

  it('docs/gateway.md: the lines the gateway prints when it starts in demo mode', async () => {
    const gateway = await startGateway({
      config: readGatewayConfig({ PORT: '0', FAKE_PROVIDERS: 'always' }),
      log: () => undefined,
    });
    try {
      const mask = (line: string) =>
        line
          .replace(/:\d+/g, ':PORT')
          .replace(/admin token \S+/, 'admin token TOKEN')
          .trimEnd();
      const shown = block(docs('gateway.md'), 'text', 'listening on').trim().split('\n');
      const printed = banner(gateway).split('\n');
      expect(printed.slice(0, shown.length).map(mask)).to.deep.equal(shown.map(mask));
    } finally {
      await gateway.close();
    }
  });
});
