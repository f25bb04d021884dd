import { expect } from 'chai';
import request from 'supertest';
import { LIVE_OPTION_NAMES } from '../../../lib/index.js';
import { adminApp, clockedRegistry, fail, TOKEN } from './admin-fixtures.js';
import { FRAMEWORKS } from './frameworks.js';

const AUTH = { authorization: `Bearer ${TOKEN}` };

for (const framework of FRAMEWORKS) {
  describe(`config and disable routes under ${framework}`, () => {
    it('GET /circuit-breakers/:name/config answers the live options as JSON, no functions', async () => {
      const { registry } = clockedRegistry();
      registry.get('openai', { classify: () => undefined, group: 'llm' });
      const res = await request(adminApp(framework, registry).server)
        .get('/admin/circuit-breakers/openai/config')
        .expect(200);
      expect(res.body.name).to.equal('openai');
      expect(res.body.config).to.include({
        failureThreshold: 2,
        resetTimeout: 30_000,
        timeout: 30_000,
        capacity: null,
        group: 'llm',
      });
      expect(res.body.config).not.to.have.any.keys('classify', 'clock', 'errorFilter');
      expect(res.body.changeable).to.deep.equal([...LIVE_OPTION_NAMES]);
    });

    it('PATCH changes the live breaker, keeps its counts, and answers the new config', async () => {
      const { registry } = clockedRegistry();
      const breaker = registry.get('openai');
      await fail(breaker, 1);
      const server = adminApp(framework, registry).server;
      const res = await request(server)
        .patch('/admin/circuit-breakers/openai/config')
        .set(AUTH)
        .send({ failureThreshold: 3, errorThresholdPercentage: 50, timeout: 5_000 })
        .expect(200);
      expect(res.body.config).to.include({
        failureThreshold: 3,
        errorThresholdPercentage: 50,
        timeout: 5_000,
      });
      expect(breaker.options.failureThreshold).to.equal(3);
      await fail(breaker, 1);
      expect(breaker.state).to.equal('closed');
      expect(breaker.snapshot().failedRequests).to.equal(2);
      const shown = await request(server).get('/admin/circuit-breakers/openai').expect(200);
      expect(shown.body.config.failureThreshold).to.equal(3);

      const off = await request(server)
        .patch('/admin/circuit-breakers/openai/config')
        .set(AUTH)
        .send({ errorThresholdPercentage: null })
        .expect(200);
      expect(off.body.config.errorThresholdPercentage).to.equal(null);
    });

    const bad: [Record<string, unknown>, string, RegExp][] = [
      [{ failureThreshold: -2 }, 'failureThreshold', /failureThreshold .* got -2/],
      [{ timeout: '5s' }, 'timeout', /timeout .* got "5s"/],
      [{ errorThresholdPercentage: 150 }, 'errorThresholdPercentage', /got 150/],
      [
        { resetTimeout: 60_000, maxResetTimeout: 1_000 },
        'maxResetTimeout',
        /maxResetTimeout must be at least resetTimeout \(60000\), got 1000/,
      ],
      [{ name: 'other' }, 'name', /name cannot change on a live breaker/],
      [{ failureTreshold: 3 }, 'failureTreshold', /did you mean "failureThreshold"/],
    ];
    for (const [body, option, message] of bad) {
      it(`PATCH answers 400 naming ${option} for ${JSON.stringify(body)}, and changes nothing`, async () => {
        const { registry } = clockedRegistry();
        const breaker = registry.get('openai');
        const res = await request(adminApp(framework, registry).server)
          .patch('/admin/circuit-breakers/openai/config')
          .set(AUTH)
          .send(body)
          .expect(400);
        expect(res.body.error).to.equal('bad_request');
        expect(res.body.option).to.equal(option);
        expect(res.body.message).to.match(message);
        expect(breaker.snapshot().config.failureThreshold).to.equal(2);
        expect(breaker.options.resetTimeout).to.equal(30_000);
      });
    }

    it('PATCH answers 400 for an empty body, a JSON array and broken JSON', async () => {
      const { registry } = clockedRegistry();
      registry.get('openai');
      const server = adminApp(framework, registry).server;
      const path = '/admin/circuit-breakers/openai/config';
      const empty = await request(server).patch(path).set(AUTH).expect(400);
      expect(empty.body.message).to.match(/failureThreshold/);
      await request(server)
        .patch(path)
        .set(AUTH)
        .set('content-type', 'application/json')
        .send('[1]')
        .expect(400);
      await request(server)
        .patch(path)
        .set(AUTH)
        .set('content-type', 'application/json')
        .send('{"failureThreshold":')
        .expect(400);
    });

    it('PATCH needs the token: 401 without or with a wrong one, 403 with no auth configured', async () => {
      const { registry } = clockedRegistry();
      const breaker = registry.get('openai');
      const path = '/admin/circuit-breakers/openai/config';
      const guarded = adminApp(framework, registry).server;
      const missing = await request(guarded).patch(path).send({ failureThreshold: 9 }).expect(401);
      expect(missing.headers['www-authenticate']).to.match(/^Bearer/);
      await request(guarded)
        .patch(path)
        .set('authorization', 'Bearer wrong')
        .send({ failureThreshold: 9 })
        .expect(401);
      const open = adminApp(framework, registry, {}).server;
      const refused = await request(open).patch(path).send({ failureThreshold: 9 }).expect(403);
      expect(refused.body.message).to.match(/token/);
      const denied = adminApp(framework, registry, { authorize: () => false }).server;
      await request(denied).patch(path).send({ failureThreshold: 9 }).expect(403);
      expect(breaker.options.failureThreshold).to.equal(2);
    });

    it('answers 404 for an unknown breaker and 405 for other methods', async () => {
      const { registry } = clockedRegistry();
      const server = adminApp(framework, registry).server;
      await request(server).get('/admin/circuit-breakers/nope/config').expect(404);
      await request(server)
        .patch('/admin/circuit-breakers/nope/config')
        .set(AUTH)
        .send({ failureThreshold: 3 })
        .expect(404);
      expect(registry.find('nope')).to.equal(undefined);
      const wrong = await request(server)
        .post('/admin/circuit-breakers/nope/config')
        .set(AUTH)
        .expect(405);
      expect(wrong.headers.allow).to.equal('GET, HEAD, PATCH');
    });

    it('POST /disable passes calls through, POST /enable closes it again keeping its counts', async () => {
      const { registry } = clockedRegistry();
      const breaker = registry.get('openai');
      const server = adminApp(framework, registry).server;
      const disabled = await request(server)
        .post('/admin/circuit-breakers/openai/disable')
        .set(AUTH)
        .expect(200);
      expect(disabled.body.state).to.equal('disabled');
      await fail(breaker, 3);
      expect(breaker.state).to.equal('disabled');
      await request(server).post('/admin/circuit-breakers/openai/enable').expect(401);
      const enabled = await request(server)
        .post('/admin/circuit-breakers/openai/enable')
        .set(AUTH)
        .expect(200);
      expect(enabled.body).to.include({ state: 'closed', failedRequests: 3 });
    });
  });
}
