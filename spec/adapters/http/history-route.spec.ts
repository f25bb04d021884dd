import { expect } from 'chai';
import { get } from 'node:http';
import request from 'supertest';
import { adminApp, clockedRegistry, fail, TOKEN } from './admin-fixtures.js';
import { FRAMEWORKS, listen, stop } from './frameworks.js';

/** The first `event: history` frame of `GET /admin/events`. */
function firstHistoryFrame(
  base: string,
): Promise<{ breakers: { name: string; bands: unknown[] }[] }> {
  return new Promise((resolve, reject) => {
    const req = get(`${base}/admin/events`, (response) => {
      let buffer = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        buffer += chunk;
        const found = /event: history\ndata: (.*)\n\n/.exec(buffer);
        if (found !== null) {
          req.destroy();
          resolve(JSON.parse(found[1]!));
        }
      });
    });
    req.on('error', (error) => (req.destroyed ? undefined : reject(error)));
  });
}

for (const framework of FRAMEWORKS) {
  describe(`history on the admin router under ${framework}`, () => {
    it('GET /circuit-breakers/:name/history shows the outage a page opened later must see', async () => {
      const { registry, clock } = clockedRegistry();
      const breaker = registry.get('openai');
      const app = adminApp(framework, registry);
      try {
        await fail(breaker, 2);
        clock.t += 10_000;
        await request(app.server)
          .post('/admin/circuit-breakers/openai/reset')
          .set('authorization', `Bearer ${TOKEN}`)
          .expect(200);
        await request(app.server)
          .patch('/admin/circuit-breakers/openai/config')
          .set('authorization', `Bearer ${TOKEN}`)
          .send({ failureThreshold: 4 })
          .expect(200);
        const res = await request(app.server)
          .get('/admin/circuit-breakers/openai/history')
          .expect(200);
        expect(res.body.name).to.equal('openai');
        expect(res.body.intervalMs).to.equal(5_000);
        expect(
          res.body.bands.map((b: { state: string; reason: string | null }) => [b.state, b.reason]),
        ).to.deep.equal([
          ['closed', null],
          ['open', 'consecutive_failures'],
          ['closed', 'operator'],
        ]);
        expect(res.body.marks.map((m: { text: string }) => m.text)).to.deep.equal([
          'config: failureThreshold 4',
        ]);
        expect(res.body.samples).to.have.keys(
          't',
          'requestsPerSecond',
          'errorRate',
          'p95',
          'firstChunkP95',
          'fallbacks',
          'rejections',
          'hedges',
        );
        await request(app.server).get('/admin/circuit-breakers/nope/history').expect(404);
      } finally {
        await app.admin!.close();
      }
    });

    it('GET /events sends every history when a client connects', async () => {
      const { registry } = clockedRegistry();
      await fail(registry.get('openai'), 2);
      const app = adminApp(framework, registry);
      const base = await listen(app.server);
      try {
        const frame = await firstHistoryFrame(base);
        expect(frame.breakers.map((b) => b.name)).to.deep.equal(['openai']);
        expect(frame.breakers[0]!.bands).to.have.length(1);
      } finally {
        await app.admin!.close();
        await stop(app.server);
      }
    });

    it('refuses bad history options when the router is made', () => {
      const { registry } = clockedRegistry();
      expect(() => adminApp(framework, registry, { history: { intervalMs: 0 } })).to.throw(
        RangeError,
        /history intervalMs must be a positive number of ms, got 0/,
      );
      expect(() => adminApp(framework, registry, { history: 'yes' })).to.throw(
        TypeError,
        /history must be false or an object, got "yes"/,
      );
    });

    it('history: false keeps none and answers 404', async () => {
      const { registry } = clockedRegistry();
      registry.get('openai');
      const app = adminApp(framework, registry, { token: TOKEN, history: false });
      const res = await request(app.server)
        .get('/admin/circuit-breakers/openai/history')
        .expect(404);
      expect(res.body.message).to.match(/history: false/);
      await app.admin!.close();
    });
  });
}
