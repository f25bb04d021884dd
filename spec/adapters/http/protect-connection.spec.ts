import { expect } from 'chai';
import express from 'express';
import { Agent, createServer, get, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import request from 'supertest';
import { BreakerRegistry } from '../../../lib/index.js';
import { protect } from '../../../adapters/express/index.js';
import { buildApp, FRAMEWORKS, listen, stop } from './frameworks.js';

/** The requests protect() watches on a server-side connection (its private list). */
function watched(socket: Socket): number {
  const key = Object.getOwnPropertySymbols(socket).find(
    (s) => s.description === 'breakwater.pendingRequests',
  );
  return key === undefined ? 0 : (socket as unknown as Record<symbol, Set<unknown>>)[key]!.size;
}

for (const framework of FRAMEWORKS) {
  describe(`protect() on a keep-alive connection under ${framework}`, () => {
    it('forgets every answered request, so a long-lived connection holds nothing', async () => {
      const registry = new BreakerRegistry();
      const app = buildApp(framework, registry, {
        guarded: { target: 'route', behaviour: () => ({ kind: 'status', status: 200 }) },
      });
      const sockets: Socket[] = [];
      app.server.on('connection', (socket: Socket) => sockets.push(socket));
      const base = await listen(app.server);
      const agent = new Agent({ keepAlive: true, maxSockets: 1 });
      try {
        for (let i = 0; i < 50; i++) {
          await new Promise<void>((resolve, reject) => {
            get(`${base}/guarded`, { agent }, (res) => {
              res.resume();
              res.on('end', resolve);
            }).on('error', reject);
          });
        }
        expect(sockets, 'one connection carried every request').to.have.length(1);
        expect(watched(sockets[0]!)).to.equal(0);
        expect(registry.get('route').snapshot()).to.include({
          successfulRequests: 50,
          cancelled: 0,
        });
      } finally {
        agent.destroy();
        await stop(app.server);
      }
    });
  });
}

describe('protect() and the response under express', () => {
  it('leaves the response as it found it, and other writeHead hooks working', async () => {
    const registry = new BreakerRegistry({ defaults: { failureThreshold: 1 } });
    const app = express();
    const shapes: boolean[] = [];
    app.use((_req, res, next) => {
      const original = res.writeHead;
      const before = function (this: ServerResponse, ...args: unknown[]) {
        this.setHeader('x-before', 'kept');
        return (original as (...a: unknown[]) => ServerResponse).apply(this, args);
      } as typeof res.writeHead;
      res.writeHead = before;
      res.on('finish', () => shapes.push(res.writeHead === before));
      next();
    });
    app.get('/plain', protect('plain', { registry }), (_req, res) => {
      res.json({ ok: true });
    });
    app.get(
      '/after',
      protect('after', { registry }),
      (_req, res, next) => {
        const inner = res.writeHead;
        res.writeHead = function (this: ServerResponse, ...args: unknown[]) {
          this.setHeader('x-after', 'kept');
          return (inner as (...a: unknown[]) => ServerResponse).apply(this, args);
        } as typeof res.writeHead;
        next();
      },
      (_req, res) => {
        res.status(502).json({ ok: false });
      },
    );
    const server = createServer(app);
    const plain = await request(server).get('/plain').expect(200);
    expect(plain.headers['x-before']).to.equal('kept');
    const after = await request(server).get('/after').expect(502);
    expect(after.headers).to.include({ 'x-before': 'kept', 'x-after': 'kept' });
    expect(registry.get('after').state, 'the 502 was seen through both hooks').to.equal('open');
    expect(shapes[0], 'the earlier hook is put back').to.equal(true);
  });

  it('takes its hook off the response once the headers are out', async () => {
    const registry = new BreakerRegistry();
    const app = express();
    let own: boolean | undefined;
    app.get('/', protect('r', { registry }), (_req, res) => {
      res.on('finish', () => (own = Object.prototype.hasOwnProperty.call(res, 'writeHead')));
      res.json({ ok: true });
    });
    await request(createServer(app)).get('/').expect(200);
    expect(own).to.equal(false);
  });
});
