/**
 * breakwater/opossum: every event opossum's README and API docs name, with the arguments they
 * document, in the order opossum emits them.
 */
import { expect } from 'chai';
import {
  after,
  failing,
  breakerSuite,
  recorder,
  swallow,
  EVENTS,
  IMPLEMENTATIONS,
} from './helpers.js';

for (const [label, CircuitBreaker] of IMPLEMENTATIONS)
  describe(`${label}: events`, () => {
    const { track, clock } = breakerSuite(CircuitBreaker);

    it('fire, then success with the result and the latency', async () => {
      const breaker = track(new CircuitBreaker(after(40, 'answer'), { name: 'quotes' }));
      const seen = recorder(breaker, EVENTS);
      const answer = breaker.fire('ACME', 3);
      await clock().tickAsync(40);
      expect(await answer).to.equal('answer');
      expect(seen.calls).to.deep.equal([
        { name: 'fire', args: [['ACME', 3]] },
        { name: 'success', args: ['answer', 40] },
      ]);
    });

    it('failure with the error, the latency and the arguments; the call rejects with the error', async () => {
      const breaker = track(new CircuitBreaker(failing('boom'), { errorThresholdPercentage: 100 }));
      const seen = recorder(breaker, EVENTS);
      const error = await breaker.fire('x').catch((e: Error) => e);
      expect((error as Error).message).to.equal('boom');
      expect(seen.names).to.deep.equal(['fire', 'failure']);
      expect(seen.calls[1]!.args).to.deep.equal([error, 0, ['x']]);
    });

    it('open when the failure rate passes the threshold, then reject for calls while open', async () => {
      const breaker = track(new CircuitBreaker(failing(), { volumeThreshold: 2 }));
      const seen = recorder(breaker, ['open', 'reject', 'failure']);
      await breaker.fire().catch(swallow);
      expect(breaker.opened, 'under the volume threshold').to.equal(false);
      await breaker.fire().catch(swallow);
      expect(breaker.opened).to.equal(true);
      const refused = await breaker.fire().catch((e: Error & { code?: string }) => e);
      expect((refused as { code?: string }).code).to.equal('EOPENBREAKER');
      expect(seen.names).to.deep.equal(['failure', 'failure', 'open', 'reject']);
      expect(seen.calls[3]!.args).to.deep.equal([refused]);
    });

    it('halfOpen after resetTimeout with the reset timeout, then close on a successful trial', async () => {
      let healthy = false;
      const breaker = track(
        new CircuitBreaker(
          async () => {
            if (!healthy) throw new Error('down');
            return 'up';
          },
          { resetTimeout: 5_000 },
        ),
      );
      const seen = recorder(breaker, ['open', 'halfOpen', 'close']);
      await breaker.fire().catch(swallow);
      expect(breaker.opened).to.equal(true);
      await clock().tickAsync(4_999);
      expect(seen.names).to.deep.equal(['open']);
      await clock().tickAsync(1);
      expect(seen.calls[1]).to.deep.equal({ name: 'halfOpen', args: [5_000] });
      expect(breaker.halfOpen && breaker.pendingClose).to.equal(true);
      healthy = true;
      expect(await breaker.fire()).to.equal('up');
      expect(seen.names).to.deep.equal(['open', 'halfOpen', 'close']);
      expect(breaker.closed).to.equal(true);
    });

    it('timeout with an ETIMEDOUT error and the latency, followed by failure', async () => {
      const breaker = track(new CircuitBreaker(after(10_000, 'late'), { timeout: 1_000 }));
      const seen = recorder(breaker, ['timeout', 'failure']);
      const outcome = breaker.fire('slow').catch((e: Error) => e);
      await clock().tickAsync(1_000);
      const error = (await outcome) as Error & { code: string };
      expect(error.code).to.equal('ETIMEDOUT');
      expect(CircuitBreaker.isOurError(error)).to.equal(true);
      expect(seen.names).to.deep.equal(['timeout', 'failure']);
      expect(seen.calls[0]!.args).to.deep.equal([error, 1_000, ['slow']]);
      await clock().tickAsync(10_000);
    });

    it('fallback with its result and the error, for a failure and for a refusal', async () => {
      const breaker = track(new CircuitBreaker(failing('down'), { volumeThreshold: 1 }));
      breaker.fallback((who: string, error: Error) => `fallback for ${who}: ${error.message}`);
      const seen = recorder(breaker, ['failure', 'fallback', 'reject']);
      expect(await breaker.fire('ada')).to.equal('fallback for ada: down');
      expect(breaker.opened).to.equal(true);
      expect(await breaker.fire('bob')).to.match(/^fallback for bob: Breaker .*is open/);
      expect(seen.names).to.deep.equal(['failure', 'fallback', 'reject', 'fallback']);
      expect(seen.calls[1]!.args[0]).to.equal('fallback for ada: down');
      expect((seen.calls[1]!.args[1] as Error).message).to.equal('down');
    });

    it('semaphoreLocked when capacity calls are in flight; the refused call is a failure', async () => {
      const breaker = track(
        new CircuitBreaker(after(100, 'ok'), { capacity: 1, errorThresholdPercentage: 100 }),
      );
      const seen = recorder(breaker, ['semaphoreLocked', 'failure', 'success']);
      const first = breaker.fire();
      const second = await breaker.fire().catch((e: Error & { code?: string }) => e);
      expect((second as { code?: string }).code).to.equal('ESEMLOCKED');
      expect(seen.names).to.deep.equal(['semaphoreLocked', 'failure']);
      expect(seen.calls[0]!.args[0]).to.equal(second);
      await clock().tickAsync(100);
      expect(await first).to.equal('ok');
      expect(breaker.stats.semaphoreRejections).to.equal(1);
      expect(breaker.stats.failures).to.equal(1);
    });

    it('healthCheckFailed with the error, and the breaker opens', async () => {
      const breaker = track(new CircuitBreaker(after(1, 'ok')));
      const seen = recorder(breaker, ['healthCheckFailed', 'open']);
      let healthy = true;
      breaker.healthCheck(async () => {
        if (!healthy) throw new Error('unhealthy');
      }, 1_000);
      await clock().tickAsync(2_000);
      expect(seen.names).to.deep.equal([]);
      healthy = false;
      await clock().tickAsync(1_000);
      expect(seen.names).to.deep.equal(['healthCheckFailed', 'open']);
      expect((seen.calls[0]!.args[0] as Error).message).to.equal('unhealthy');
      expect(breaker.opened).to.equal(true);
    });

    it('shutdown, after which calls reject with ESHUTDOWN and nothing is emitted', async () => {
      const breaker = new CircuitBreaker(after(1, 'ok'));
      const seen = recorder(breaker, EVENTS);
      breaker.shutdown();
      expect(seen.names).to.deep.equal(['shutdown']);
      const error = (await breaker.fire().catch((e: Error) => e)) as Error & { code: string };
      expect(error.code).to.equal('ESHUTDOWN');
      expect(error.message).to.equal('The circuit has been shutdown.');
      expect(CircuitBreaker.isOurError(error)).to.equal(true);
      expect(breaker.isShutdown).to.equal(true);
      expect(seen.names).to.deep.equal(['shutdown']);
    });

    it('cacheMiss then cacheHit; the cached answer skips the action', async () => {
      let calls = 0;
      const breaker = track(
        new CircuitBreaker(async (n: number) => `${n}:${++calls}`, { cache: true }),
      );
      const seen = recorder(breaker, ['cacheHit', 'cacheMiss', 'success']);
      expect(await breaker.fire(1)).to.equal('1:1');
      expect(await breaker.fire(1)).to.equal('1:1');
      expect(await breaker.fire(2)).to.equal('2:2');
      expect(seen.names).to.deep.equal([
        'cacheMiss',
        'success',
        'cacheHit',
        'cacheMiss',
        'success',
      ]);
    });

    it('coalesceCacheMiss then coalesceCacheHit: concurrent calls with one key share one call', async () => {
      let calls = 0;
      const breaker = track(
        new CircuitBreaker(
          (id: string) =>
            new Promise<string>((resolve) => setTimeout(() => resolve(`${id}#${++calls}`), 50)),
          { coalesce: true },
        ),
      );
      const seen = recorder(breaker, ['coalesceCacheHit', 'coalesceCacheMiss']);
      const a = breaker.fire('u1');
      const b = breaker.fire('u1');
      const c = breaker.fire('u2');
      await clock().tickAsync(50);
      expect(await Promise.all([a, b, c])).to.deep.equal(['u1#1', 'u1#1', 'u2#2']);
      expect(seen.names).to.deep.equal([
        'coalesceCacheMiss',
        'coalesceCacheHit',
        'coalesceCacheMiss',
      ]);
    });

    it('on() and removeListener() work as on any EventEmitter', async () => {
      const breaker = track(new CircuitBreaker(async () => 1));
      const results: unknown[] = [];
      const listener = (result: unknown): void => void results.push(result);
      breaker.on('success', listener);
      await breaker.fire();
      breaker.removeListener('success', listener);
      await breaker.fire();
      expect(results).to.deep.equal([1]);
    });
  });
