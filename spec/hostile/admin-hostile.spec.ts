/**
 * The admin router against breakers in absurd states and awkward requests, under Express and
 * Koa over real HTTP: snapshots that would once have thrown, `HEAD /events` with a request
 * pipelined behind it, and breaker names a path can hardly carry.
 */
import { expect } from 'chai';
import { connect } from 'node:net';
import { get } from 'node:http';
import request from 'supertest';
import { Breaker, BreakerRegistry, FAILURE, MAX_RETRY_AFTER_MS } from '../../lib/index.js';
import { buildApp, FRAMEWORKS, listen, stop } from '../adapters/http/frameworks.js';

const TOKEN = 'hostile-spec-token';

/** Fails a call through `breaker` (the failure is recorded synchronously). */
async function fail(breaker: Breaker, error: unknown = new Error('down')): Promise<void> {
  await breaker
    .execute(() => {
      throw error;
    })
    .catch(() => undefined);
}

/** Sends raw bytes and collects everything the server answers until it closes the connection. */
function raw(base: string, bytes: string): Promise<string> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => socket.end(bytes));
    let answer = '';
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => (answer += chunk));
    socket.on('end', () => resolve(answer));
    socket.on('error', reject);
  });
}

/** The first `GET /events` frame, then the stream is dropped. */
function firstEvent(base: string): Promise<{ status: number; frame: string }> {
  return new Promise((resolve, reject) => {
    const req = get(`${base}/admin/events`, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        text += chunk;
        const at = text.indexOf('event: snapshot');
        if (at >= 0 && text.indexOf('\n\n', at) > 0) {
          resolve({ status: res.statusCode!, frame: text.slice(at, text.indexOf('\n\n', at)) });
          req.destroy();
        }
      });
    });
    req.on('error', (error) => (req.destroyed ? undefined : reject(error)));
  });
}

for (const framework of FRAMEWORKS) {
  describe(`hostile states and requests on the admin router under ${framework}`, () => {
    it('serves snapshots and events of breakers whose open-until no Date can hold', async () => {
      const registry = new BreakerRegistry();
      const still = { now: () => Date.UTC(2026, 0, 1) };
      // A clock at the edge of what a Date holds: opening for a minute goes past it.
      const edge = registry.get('edge-of-time', {
        failureThreshold: 1,
        clock: { now: () => 8.64e15 - 1_000 },
      });
      await fail(edge);
      // A classifier asking for an infinite wait: clamped to an hour.
      const greedy = registry.get('greedy', {
        failureThreshold: 1,
        resetTimeout: 2 ** 31 - 1,
        clock: still,
        classify: () => ({ ...FAILURE, retryAfterMs: Infinity }),
      });
      await fail(greedy);
      const nan = registry.get('nan-wait', {
        failureThreshold: 1,
        clock: still,
        classify: () => ({ ...FAILURE, retryAfterMs: Number.NaN }),
      });
      await fail(nan);
      expect(edge.state).to.equal('open');
      expect(edge.snapshot().openUntil).to.equal('+275760-09-13T00:00:00.000Z');
      expect(greedy.snapshot().retryAfterMs).to.equal(2 ** 31 - 1);
      expect(nan.snapshot().retryAfterMs).to.equal(60_000);
      expect(MAX_RETRY_AFTER_MS).to.equal(3_600_000);

      const app = buildApp(framework, registry, { admin: { token: TOKEN } });
      const base = await listen(app.server);
      try {
        const list = await request(base).get('/admin/circuit-breakers').expect(200);
        expect(list.body.breakers.map((b: { state: string }) => b.state)).to.deep.equal([
          'open',
          'open',
          'open',
        ]);
        await request(base).get('/admin/circuit-breakers/edge-of-time').expect(200);
        await request(base).get('/admin/health').expect(503);
        const events = await firstEvent(base);
        expect(events.status).to.equal(200);
        expect(events.frame).to.include('"edge-of-time"');
        await request(base)
          .post('/admin/circuit-breakers/edge-of-time/reset')
          .set('authorization', `Bearer ${TOKEN}`)
          .expect(200);
      } finally {
        await app.admin!.close();
        await stop(app.server);
      }
    });

    it('keeps GET /events up, and the process alive, when a snapshot throws anyway', async () => {
      const registry = new BreakerRegistry();
      const broken = registry.get('broken');
      // Snapshots no longer throw; this stands for a future bug, which must not end the process.
      broken.snapshot = () => {
        throw new RangeError('Invalid time value');
      };
      const errors: unknown[] = [];
      const app = buildApp(framework, registry, {
        admin: { onError: (error: unknown) => errors.push(error), eventsInterval: 50 },
      });
      const base = await listen(app.server);
      try {
        const stream = await new Promise<{ status: number; destroy(): void }>((resolve, reject) => {
          const req = get(`${base}/admin/events`, (res) => {
            res.once('data', () =>
              resolve({ status: res.statusCode!, destroy: () => req.destroy() }),
            );
          });
          req.on('error', reject);
        });
        expect(stream.status).to.equal(200);
        await new Promise((resolve) => setImmediate(resolve));
        expect(errors.length, 'the failed frame was reported').to.be.at.least(1);
        stream.destroy();
        const list = await request(base).get('/admin/circuit-breakers').expect(500);
        expect(list.body).to.include({ error: 'internal_error' });
        await request(base).get('/admin/health').expect(200);
      } finally {
        await app.admin!.close();
        await stop(app.server);
      }
    });

    it('answers HEAD /events with the stream headers and no body, then the next request', async () => {
      const registry = new BreakerRegistry();
      registry.get('openai');
      const app = buildApp(framework, registry, { admin: {} });
      const base = await listen(app.server);
      try {
        const answer = await raw(
          base,
          'HEAD /admin/events HTTP/1.1\r\nHost: x\r\n\r\n' +
            'GET /admin/health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n',
        );
        const [head, ...rest] = answer.split('HTTP/1.1 ');
        expect(head).to.equal('');
        expect(rest).to.have.length(2);
        expect(rest[0]).to.match(/^200 /);
        expect(rest[0]!.toLowerCase()).to.include('content-type: text/event-stream');
        expect(rest[0]!.endsWith('\r\n\r\n'), 'no body after the headers').to.equal(true);
        expect(rest[1]).to.match(/^200 /);
        expect(rest[1]).to.include('"status":"ok"');
        expect(app.admin!.eventStreams).to.equal(0);
      } finally {
        await app.admin!.close();
        await stop(app.server);
      }
    });

    it('shows and steers breakers whose names a path can only carry encoded', async () => {
      const registry = new BreakerRegistry();
      const names = ['a/b', '100%', 'what?', 'x#y', 'späce name', '🙂', 'reset', '...', '%2F'];
      for (const name of names) registry.get(name);
      const app = buildApp(framework, registry, { admin: { token: TOKEN } });
      const base = await listen(app.server);
      try {
        for (const name of names) {
          const path = `/admin/circuit-breakers/${encodeURIComponent(name)}`;
          const shown = await request(base).get(path).expect(200);
          expect(shown.body.name, name).to.equal(name);
          const opened = await request(base)
            .post(`${path}/open`)
            .set('authorization', `Bearer ${TOKEN}`)
            .expect(200);
          expect(opened.body).to.include({ name, state: 'isolated' });
          await request(base)
            .post(`${path}/reset`)
            .set('authorization', `Bearer ${TOKEN}`)
            .expect(200);
          expect(registry.find(name)!.state, name).to.equal('closed');
        }
      } finally {
        await app.admin!.close();
        await stop(app.server);
      }
    });
  });
}

describe('breaker names no URL path can carry', () => {
  for (const name of ['.', '..']) {
    it(`refuses ${JSON.stringify(name)} when the breaker is made, saying why`, () => {
      expect(() => new Breaker({ name })).to.throw(TypeError, 'URL path');
      expect(() => new BreakerRegistry().get(name)).to.throw(TypeError, 'URL path');
    });
  }

  it('refuses control characters, which URL parsers drop', () => {
    expect(() => new Breaker({ name: 'a\nb' })).to.throw(TypeError, 'control characters');
  });
});
