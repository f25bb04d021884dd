/**
 * breakwater/opossum: the methods, accessors and statics of opossum 10's CircuitBreaker, run
 * against the facade and against opossum itself.
 */
import { expect } from 'chai';
import { after, failing, breakerSuite, IMPLEMENTATIONS, recorder, swallow } from './helpers.js';

for (const [label, CircuitBreaker] of IMPLEMENTATIONS)
  describe(`${label}: methods`, () => {
    const { make, clock } = breakerSuite(CircuitBreaker);

    it('refuses to be made without an action', () => {
      expect(() => new CircuitBreaker(undefined as never)).to.throw(TypeError, /No action/);
    });

    it('call(context, ...args) runs the action with that this', async () => {
      const account = {
        balance: 40,
        async add(this: { balance: number }, n: number) {
          return this.balance + n;
        },
      };
      const breaker = make(account.add);
      expect(await breaker.call(account, 2)).to.equal(42);
    });

    it('open() refuses calls (through the fallback) until resetTimeout; close() admits again', async () => {
      const breaker = make(async () => 'live', { resetTimeout: 1_000 });
      const seen = recorder(breaker, ['open', 'close', 'halfOpen']);
      breaker.open();
      breaker.open();
      expect(breaker.opened).to.equal(true);
      expect(await breaker.fire().catch((e: { code?: string }) => e.code)).to.equal('EOPENBREAKER');
      breaker.fallback(() => 'cached');
      expect(await breaker.fire()).to.equal('cached');
      breaker.close();
      breaker.close();
      expect(breaker.closed).to.equal(true);
      expect(await breaker.fire()).to.equal('live');
      await clock().tickAsync(5_000);
      expect(seen.names, 'once each; the cancelled half-open never comes').to.deep.equal([
        'open',
        'close',
      ]);
    });

    it('halfOpen admits one trial (pendingClose) and refuses the rest until it settles', async () => {
      const breaker = make(after(100, 'ok'), { resetTimeout: 1_000 });
      breaker.open();
      await clock().tickAsync(1_000);
      expect(breaker.pendingClose).to.equal(true);
      const trial = breaker.fire();
      expect(breaker.pendingClose).to.equal(false);
      const refused = await breaker.fire().catch((e: { code?: string }) => e.code);
      expect(refused).to.equal('EOPENBREAKER');
      await clock().tickAsync(100);
      expect(await trial).to.equal('ok');
      expect(breaker.closed).to.equal(true);
    });

    it('disable() lets calls through without protection; enable() restores the state', async () => {
      const breaker = make(failing('down'), { volumeThreshold: 1 });
      breaker.open();
      breaker.disable();
      expect(breaker.enabled).to.equal(false);
      expect(await breaker.fire().catch((e: Error) => e.message), 'reaches the action').to.equal(
        'down',
      );
      expect(breaker.stats.failures, 'not counted').to.equal(0);
      breaker.enable();
      expect(breaker.enabled).to.equal(true);
      expect(breaker.opened).to.equal(true);
      expect(await breaker.fire().catch((e: { code?: string }) => e.code)).to.equal('EOPENBREAKER');
    });

    it('fallback(breaker): another breaker answers, given the arguments and the error', async () => {
      const backup = make(
        async (city: string, error: Error) => `${city} from backup (${error.message})`,
      );
      const primary = make(failing('primary down'), { errorThresholdPercentage: 100 });
      expect(primary.fallback(backup)).to.equal(primary);
      expect(await primary.fire('Oslo')).to.equal('Oslo from backup (primary down)');
      expect(backup.stats.successes).to.equal(1);
      expect(primary.stats.fallbacks).to.equal(1);
    });

    it('a throwing fallback rejects the call with its own error', async () => {
      const breaker = make(failing('down'), { errorThresholdPercentage: 100 });
      breaker.fallback(() => {
        throw new Error('fallback broke');
      });
      expect(await breaker.fire().catch((e: Error) => e.message)).to.equal('fallback broke');
    });

    it('healthCheck(fn, interval): runs fn now and at every interval, this being the breaker', async () => {
      const breaker = make(after(1, 'ok'));
      const seenThis: unknown[] = [];
      breaker.healthCheck(async function (this: unknown) {
        seenThis.push(this);
      }, 500);
      expect(seenThis).to.have.length(1);
      await clock().tickAsync(1_000);
      expect(seenThis).to.have.length(3);
      expect(seenThis[0]).to.equal(breaker);
      expect(() => breaker.healthCheck('no' as never)).to.throw(TypeError, /must be a function/);
      expect(() => breaker.healthCheck(async () => {}, 'soon' as never)).to.throw(
        TypeError,
        /interval must be a number/,
      );
    });

    it('healthCheck defaults to every 5 s', async () => {
      const breaker = make(after(1, 'ok'));
      let checks = 0;
      breaker.healthCheck(async () => void checks++);
      await clock().tickAsync(4_999);
      expect(checks).to.equal(1);
      await clock().tickAsync(1);
      expect(checks).to.equal(2);
    });

    it('shutdown() stops timers and listeners, clears the cache and disables', async () => {
      let n = 0;
      const breaker = make(async () => ++n, { cache: true, resetTimeout: 1_000 });
      await breaker.fire();
      const seen = recorder(breaker, ['halfOpen']);
      breaker.open();
      breaker.shutdown();
      expect(breaker.isShutdown).to.equal(true);
      expect(breaker.enabled).to.equal(false);
      expect(breaker.listenerCount('halfOpen')).to.equal(0);
      await clock().tickAsync(2_000);
      expect(seen.names).to.deep.equal([]);
      expect(breaker.toJSON().state).to.include({
        shutdown: true,
        closed: false,
        open: false,
        halfOpen: false,
      });
    });

    it('toJSON() gives the state and the stats', async () => {
      const breaker = make(failing(), { name: 'payments', volumeThreshold: 1 });
      await breaker.fire().catch(swallow);
      const json = breaker.toJSON();
      expect(json.state).to.include({
        name: 'payments',
        enabled: true,
        closed: false,
        open: true,
        halfOpen: false,
        warmUp: false,
        shutdown: false,
      });
      expect(json.status).to.include({ fires: 1, failures: 1 });
      expect(JSON.parse(JSON.stringify(breaker)).status.fires).to.equal(1);
    });

    describe('restoring through the state and status options', () => {
      it('an open breaker starts open, with a full resetTimeout to wait', async () => {
        const breaker = make(failing(), { volumeThreshold: 1, resetTimeout: 1_000 });
        await breaker.fire().catch(swallow);
        const saved = breaker.toJSON();
        await clock().tickAsync(500);
        const restored = make(async () => 'ok', {
          resetTimeout: 1_000,
          state: saved.state,
          status: saved.status,
        });
        expect(restored.opened).to.equal(true);
        expect(restored.stats).to.include({ fires: 1, failures: 1 });
        await clock().tickAsync(999);
        expect(restored.opened).to.equal(true);
        await clock().tickAsync(1);
        expect(restored.halfOpen).to.equal(true);
      });

      it('an open state older than resetTimeout starts half-open', () => {
        const restored = make(async () => 'ok', {
          resetTimeout: 1_000,
          state: { closed: false, open: true, halfOpen: false, lastTimerAt: Date.now() - 5_000 },
        });
        expect(restored.halfOpen).to.equal(true);
        expect(restored.pendingClose).to.equal(true);
      });

      it('half-open, disabled and shut-down states are restored too', async () => {
        const half = make(async () => 'ok', { state: { closed: false, halfOpen: true } });
        expect(half.halfOpen).to.equal(true);
        expect(await half.fire()).to.equal('ok');
        expect(half.closed).to.equal(true);
        const disabled = make(async () => 'ok', { state: { enabled: false } });
        expect(disabled.enabled).to.equal(false);
        const shut = make(async () => 'ok', { state: { shutdown: true } });
        expect(shut.isShutdown).to.equal(true);
      });

      it('the status option takes a Status from CircuitBreaker.newStatus()', () => {
        const status = CircuitBreaker.newStatus({
          rollingCountBuckets: 5,
          rollingCountTimeout: 5_000,
          stats: { fires: 10, failures: 3, successes: 7, latencyTimes: [1, 2, 3] } as never,
        });
        const breaker = make(async () => 'ok', { status });
        expect(breaker.status).to.equal(status);
        expect(breaker.status.window).to.have.length(5);
        expect(breaker.stats).to.include({ fires: 10, failures: 3, successes: 7 });
        expect(breaker.stats.percentiles[1]).to.equal(3);
      });
    });

    it('isOurError tells the breaker’s errors from the action’s', async () => {
      const breaker = make(failing('mine'), { volumeThreshold: 1 });
      const own = await breaker.fire().catch((e: unknown) => e);
      const refused = await breaker.fire().catch((e: unknown) => e);
      expect(CircuitBreaker.isOurError(own as Error)).to.equal(false);
      expect(CircuitBreaker.isOurError(refused as Error)).to.equal(true);
    });

    it('stats percentiles and mean follow the latencies in the window', async () => {
      const breaker = make((ms: number) => after(ms, ms)(), { timeout: false });
      const listener = (): void => {};
      breaker.on('success', listener);
      for (const ms of [10, 20, 30, 40]) {
        const call = breaker.fire(ms);
        await clock().tickAsync(ms);
        await call;
      }
      const stats = breaker.stats;
      expect(stats.latencyTimes).to.deep.equal([10, 20, 30, 40]);
      expect(stats.latencyMean).to.equal(25);
      expect(stats.percentiles).to.include({ 0: 10, 0.25: 10, 0.5: 20, 0.75: 30, 0.9: 40, 1: 40 });
    });
  });
