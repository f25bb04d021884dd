/**
 * breakwater/opossum: every option of opossum 10, with opossum's defaults, run against the facade
 * and against opossum itself.
 */
import { expect } from 'chai';
import { EventEmitter } from 'node:events';
import type CircuitBreaker from '../../../adapters/opossum/index.js';
import { after, failing, breakerSuite, IMPLEMENTATIONS, recorder, swallow } from './helpers.js';

for (const [label, CircuitBreaker] of IMPLEMENTATIONS)
  describe(`${label}: options`, () => {
    const { make, clock } = breakerSuite(CircuitBreaker);

    describe('defaults', () => {
      it("fills opossum's defaults into the options: 10 s timeout, 30 s reset, 50 %", () => {
        const options: Record<string, unknown> = {};
        make(after(1, 1), options);
        expect(options).to.include({
          timeout: 10_000,
          resetTimeout: 30_000,
          errorThresholdPercentage: 50,
          rollingCountTimeout: 10_000,
          rollingCountBuckets: 10,
          rollingPercentilesEnabled: true,
          capacity: Number.MAX_SAFE_INTEGER,
          cacheTTL: 0,
          enableSnapshots: true,
        });
      });

      it('times a call out after 10 s', async () => {
        const breaker = make(after(20_000, 'late'));
        const outcome = breaker.fire().catch((e: { code?: string }) => e.code);
        await clock().tickAsync(9_999);
        expect(breaker.stats.timeouts).to.equal(0);
        await clock().tickAsync(1);
        expect(await outcome).to.equal('ETIMEDOUT');
        await clock().tickAsync(20_000);
      });

      it('opens above 50 % failures, and half-opens 30 s later', async () => {
        let fail = false;
        const breaker = make(async () => {
          if (fail) throw new Error('down');
          return 'ok';
        });
        await breaker.fire();
        fail = true;
        await breaker.fire().catch(swallow);
        expect(breaker.closed, '1 of 2 is 50 %, not above').to.equal(true);
        await breaker.fire().catch(swallow);
        expect(breaker.opened, '2 of 3').to.equal(true);
        await clock().tickAsync(29_999);
        expect(breaker.opened).to.equal(true);
        await clock().tickAsync(1);
        expect(breaker.halfOpen).to.equal(true);
      });
    });

    it('timeout: false (or 0) never times out', async () => {
      for (const timeout of [false, 0] as const) {
        const breaker = make(after(60_000, 'slow but fine'), { timeout });
        const answer = breaker.fire();
        await clock().tickAsync(60_000);
        expect(await answer).to.equal('slow but fine');
      }
    });

    it('resetTimeout: how long an opened breaker waits before half-opening', async () => {
      const breaker = make(failing(), { resetTimeout: 2_000 });
      await breaker.fire().catch(swallow);
      await clock().tickAsync(1_999);
      expect(breaker.opened).to.equal(true);
      await clock().tickAsync(1);
      expect(breaker.halfOpen).to.equal(true);
      await breaker.fire().catch(swallow);
      expect(breaker.opened, 'a failed trial reopens').to.equal(true);
      await clock().tickAsync(2_000);
      expect(breaker.halfOpen, 'for resetTimeout again').to.equal(true);
    });

    it('errorThresholdPercentage: opens only above the percentage of fires', async () => {
      let failNext = 0;
      const breaker = make(
        async () => {
          if (failNext-- > 0) throw new Error('down');
          return 'ok';
        },
        { errorThresholdPercentage: 25, volumeThreshold: 4 },
      );
      for (let i = 0; i < 3; i++) await breaker.fire();
      failNext = 1;
      await breaker.fire().catch(swallow);
      expect(breaker.closed, '1 of 4 is 25 %').to.equal(true);
      failNext = 1;
      await breaker.fire().catch(swallow);
      expect(breaker.opened, '2 of 5 is 40 %').to.equal(true);
    });

    it('volumeThreshold: no opening until the window holds that many fires', async () => {
      const breaker = make(failing(), { volumeThreshold: 3 });
      expect(breaker.volumeThreshold).to.equal(3);
      await breaker.fire().catch(swallow);
      await breaker.fire().catch(swallow);
      expect(breaker.closed).to.equal(true);
      await breaker.fire().catch(swallow);
      expect(breaker.opened).to.equal(true);
    });

    it('allowWarmUp: failures cannot open the breaker during the first rollingCountTimeout', async () => {
      const breaker = make(failing(), { allowWarmUp: true, rollingCountTimeout: 1_000 });
      expect(breaker.warmUp).to.equal(true);
      for (let i = 0; i < 5; i++) await breaker.fire().catch(swallow);
      expect(breaker.closed).to.equal(true);
      await clock().tickAsync(1_000);
      expect(breaker.warmUp).to.equal(false);
      await breaker.fire().catch(swallow);
      expect(breaker.opened).to.equal(true);
    });

    it('rollingCountTimeout and rollingCountBuckets: counts leave the window as it rolls', async () => {
      const breaker = make(after(0, 'ok'), { rollingCountTimeout: 1_000, rollingCountBuckets: 4 });
      expect(breaker.status.window).to.have.length(4);
      const first = breaker.fire();
      await clock().tickAsync(0);
      await first;
      await clock().tickAsync(250);
      const second = breaker.fire();
      await clock().tickAsync(0);
      await second;
      expect(breaker.status.window.map((b) => b.fires)).to.deep.equal([1, 1, 0, 0]);
      expect(breaker.stats.successes).to.equal(2);
      await clock().tickAsync(750);
      expect(breaker.stats.successes, 'the first slid out').to.equal(1);
      await clock().tickAsync(250);
      expect(breaker.stats.fires).to.equal(0);
    });

    it('rollingPercentilesEnabled: false reports the mean and the percentiles as -1', async () => {
      const on = make(after(30, 'ok'));
      const off = make(after(30, 'ok'), { rollingPercentilesEnabled: false });
      const calls = [on.fire(), off.fire()];
      await clock().tickAsync(30);
      await Promise.all(calls);
      expect(on.stats.latencyMean).to.equal(30);
      expect(on.stats.percentiles[0.5]).to.equal(30);
      expect(on.stats.latencyTimes).to.deep.equal([30]);
      expect(off.stats.latencyMean).to.equal(-1);
      expect(off.stats.percentiles[0.99]).to.equal(-1);
      expect(off.stats.latencyTimes).to.deep.equal([]);
    });

    it('enableSnapshots: a snapshot of the window at every slice; false, none', async () => {
      const on = make(after(1, 'ok'), { rollingCountTimeout: 1_000, rollingCountBuckets: 10 });
      const off = make(after(1, 'ok'), { enableSnapshots: false, rollingCountTimeout: 1_000 });
      const snapshots: CircuitBreaker.Stats[] = [];
      on.status.on('snapshot', (s) => snapshots.push(s));
      let silent = 0;
      off.status.on('snapshot', () => silent++);
      const call = on.fire();
      await clock().tickAsync(100);
      await call;
      expect(snapshots).to.have.length(1);
      expect(snapshots[0]).to.include({ fires: 1, successes: 1 });
      await clock().tickAsync(400);
      expect(snapshots).to.have.length(5);
      expect(silent).to.equal(0);
    });

    it('rotateBucketController: its rotate events roll the window, not time', async () => {
      const controller = new EventEmitter();
      const breaker = make(after(0, 'ok'), {
        rotateBucketController: controller,
        rollingCountBuckets: 2,
      });
      const call = breaker.fire();
      await clock().tickAsync(0);
      await call;
      await clock().tickAsync(60_000);
      expect(breaker.stats.fires, 'time alone does not roll it').to.equal(1);
      controller.emit('rotate');
      expect(breaker.status.window.map((b) => b.fires)).to.deep.equal([0, 1]);
      controller.emit('rotate');
      expect(breaker.stats.fires).to.equal(0);
      breaker.disable();
      expect(controller.listenerCount('rotate'), 'disabled: stops listening').to.equal(0);
      breaker.enable();
      expect(controller.listenerCount('rotate')).to.equal(1);
    });

    it('capacity: at most that many calls in flight', async () => {
      const breaker = make(after(10, 'ok'), { capacity: 2, errorThresholdPercentage: 100 });
      const calls = [breaker.fire(), breaker.fire(), breaker.fire().catch((e) => e.code)];
      await clock().tickAsync(10);
      expect(await Promise.all(calls)).to.deep.equal(['ok', 'ok', 'ESEMLOCKED']);
      const again = breaker.fire();
      await clock().tickAsync(10);
      expect(await again, 'released').to.equal('ok');
    });

    describe('errorFilter', () => {
      it('a filtered error is rethrown, emitted as a success, never opens and skips the fallback', async () => {
        const notFound = Object.assign(new Error('no such user'), { status: 404 });
        const seenArgs: unknown[][] = [];
        const breaker = make(
          async () => {
            throw notFound;
          },
          {
            volumeThreshold: 1,
            errorFilter: (error: { status?: number }, ...args: unknown[]) => {
              seenArgs.push(args);
              return error.status === 404;
            },
          },
        );
        breaker.fallback(() => 'fallback');
        const seen = recorder(breaker, ['success', 'failure', 'fallback']);
        const outcome = await breaker.fire('u1').catch((e: unknown) => e);
        expect(outcome).to.equal(notFound);
        expect(seen.calls).to.deep.equal([{ name: 'success', args: [notFound, 0] }]);
        expect(seenArgs).to.deep.equal([['u1']]);
        expect(breaker.closed).to.equal(true);
        expect(breaker.stats.failures).to.equal(0);
      });

      it('a filtered error in halfOpen closes the circuit', async () => {
        let error = new Error('down');
        const breaker = make(
          async () => {
            throw error;
          },
          { errorFilter: (e: Error) => e.message === 'bad request', resetTimeout: 1_000 },
        );
        await breaker.fire().catch(swallow);
        expect(breaker.opened).to.equal(true);
        await clock().tickAsync(1_000);
        expect(breaker.halfOpen).to.equal(true);
        error = new Error('bad request');
        await breaker.fire().catch(swallow);
        expect(breaker.closed).to.equal(true);
      });
    });

    describe('cache', () => {
      it('cacheTTL: a cached answer expires', async () => {
        let n = 0;
        const breaker = make(async () => ++n, { cache: true, cacheTTL: 1_000 });
        expect(await breaker.fire()).to.equal(1);
        await clock().tickAsync(999);
        expect(await breaker.fire()).to.equal(1);
        await clock().tickAsync(1);
        expect(await breaker.fire()).to.equal(2);
      });

      it('cacheGetKey: the key of a call; clearCache() empties the cache', async () => {
        let n = 0;
        const breaker = make(async (user: { id: string }) => `${user.id}:${++n}`, {
          cache: true,
          cacheGetKey: (user: { id: string }) => user.id,
        });
        expect(await breaker.fire({ id: 'a', extra: 1 })).to.equal('a:1');
        expect(await breaker.fire({ id: 'a', extra: 2 })).to.equal('a:1');
        breaker.clearCache();
        expect(await breaker.fire({ id: 'a' })).to.equal('a:2');
      });

      it('cacheTransport: get, set (key, promise, expiry time) and flush of your own store', async () => {
        const store = new Map<string, unknown>();
        const sets: [string, number][] = [];
        const transport = {
          get: (key: string) => store.get(key),
          set: (key: string, value: unknown, expiresAt: number) => {
            sets.push([key, expiresAt]);
            store.set(key, value);
          },
          flush: () => store.clear(),
        };
        const breaker = make(async (x: number) => x * 2, {
          cache: true,
          cacheTransport: transport,
          cacheTTL: 500,
        });
        expect(await breaker.fire(21)).to.equal(42);
        expect(sets).to.deep.equal([['[21]', Date.now() + 500]]);
        expect(await (store.get('[21]') as Promise<number>)).to.equal(42);
        breaker.clearCache();
        expect(store.size).to.equal(0);
        expect(() => make(after(1, 1), { cache: true, cacheTransport: { get() {} } })).to.throw(
          TypeError,
          /cacheTransport/,
        );
      });

      it('cacheSize: the in-memory cache evicts its oldest entry', async () => {
        let n = 0;
        const breaker = make(async (k: string) => `${k}${++n}`, { cache: true, cacheSize: 2 });
        await breaker.fire('a');
        await breaker.fire('b');
        await breaker.fire('c');
        expect(await breaker.fire('c')).to.equal('c3');
        expect(await breaker.fire('a'), 'evicted').to.equal('a4');
      });
    });

    describe('coalesce', () => {
      const slow = () => {
        let n = 0;
        return (key: string) =>
          new Promise<string>((resolve, reject) =>
            setTimeout(
              () => (key === 'bad' ? reject(new Error(`bad${++n}`)) : resolve(`${key}${++n}`)),
              100,
            ),
          );
      };

      it('coalesceTTL: a call is shared for that long, by default the timeout', async () => {
        const breaker = make(slow(), { coalesce: true, coalesceTTL: 50 });
        const a = breaker.fire('k');
        await clock().tickAsync(50);
        const b = breaker.fire('k');
        await clock().tickAsync(100);
        expect([await a, await b]).to.deep.equal(['k1', 'k2']);
        const defaults: Record<string, unknown> = { coalesce: true, timeout: 2_000 };
        make(after(1, 1), defaults);
        expect(defaults['coalesceTTL']).to.equal(2_000);
      });

      it('coalesceResetOn: an error ends the sharing at once', async () => {
        const keep = make(slow(), { coalesce: true });
        const reset = make(slow(), { coalesce: true, coalesceResetOn: ['error', 'bogus'] });
        for (const breaker of [keep, reset]) {
          const first = breaker.fire('bad').catch((e: Error) => e.message);
          await clock().tickAsync(100);
          const second = breaker.fire('bad').catch((e: Error) => e.message);
          await clock().tickAsync(100);
          await first;
          await second;
        }
        expect(keep.stats.coalesceCacheHits, 'shared the failed call').to.equal(1);
        expect(reset.stats.coalesceCacheHits).to.equal(0);
        expect(reset.options.coalesceResetOn).to.deep.equal(['error']);
      });

      it('coalesce with a fallback: the shared call carries the fallback answer', async () => {
        const breaker = make(slow(), { coalesce: true, errorThresholdPercentage: 100 });
        breaker.fallback(() => 'fallback');
        const calls = [breaker.fire('bad'), breaker.fire('bad')];
        await clock().tickAsync(100);
        expect(await Promise.all(calls)).to.deep.equal(['fallback', 'fallback']);
        expect(breaker.stats).to.include({ coalesceCacheHits: 1, failures: 1, fallbacks: 1 });
      });

      it('coalesceSize: the coalescing cache holds at most that many calls', async () => {
        const breaker = make(slow(), { coalesce: true, coalesceSize: 1 });
        const calls = [breaker.fire('a'), breaker.fire('b'), breaker.fire('a')];
        await clock().tickAsync(100);
        expect(await Promise.all(calls)).to.deep.equal(['a1', 'b2', 'a3']);
      });
    });

    it('abortController: aborted when a call times out; getSignal() gives its signal', async () => {
      const controller = new AbortController();
      const breaker = make(after(5_000, 'late'), { timeout: 100, abortController: controller });
      expect(breaker.getSignal()).to.equal(controller.signal);
      expect(breaker.getAbortController()).to.equal(controller);
      const outcome = breaker.fire().catch(swallow);
      await clock().tickAsync(100);
      await outcome;
      expect(controller.signal.aborted).to.equal(true);
      await clock().tickAsync(5_000);
    });

    it('autoRenewAbortController: a fresh controller when the breaker half-opens', async () => {
      const breaker = make(after(5_000, 'late'), {
        timeout: 100,
        resetTimeout: 1_000,
        autoRenewAbortController: true,
      });
      const first = breaker.getAbortController()!;
      expect(first).to.be.instanceOf(AbortController);
      const outcome = breaker.fire().catch(swallow);
      await clock().tickAsync(100);
      await outcome;
      expect(first.signal.aborted).to.equal(true);
      expect(breaker.opened).to.equal(true);
      await clock().tickAsync(1_000);
      expect(breaker.halfOpen).to.equal(true);
      expect(breaker.getAbortController()).to.not.equal(first);
      expect(breaker.getSignal()!.aborted).to.equal(false);
      await clock().tickAsync(5_000);
    });

    it("name: the option, else the action's name, else a UUID; group defaults to the name", () => {
      async function fetchQuote(): Promise<number> {
        return 1;
      }
      expect(make(fetchQuote, { name: 'quotes', group: 'market' })).to.include({
        name: 'quotes',
        group: 'market',
      });
      expect(make(fetchQuote)).to.include({ name: 'fetchQuote', group: 'fetchQuote' });
      expect(make(async () => 1, {}).name).to.match(
        /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
      );
    });

    it('enabled: false passes calls straight through, never opening, without the fallback', async () => {
      const breaker = make(failing('down'), { enabled: false, volumeThreshold: 1 });
      breaker.fallback(() => 'fallback');
      const seen = recorder(breaker, ['fire', 'failure', 'fallback', 'open']);
      expect(breaker.enabled).to.equal(false);
      for (let i = 0; i < 3; i++) {
        expect(await breaker.fire().catch((e: Error) => e.message)).to.equal('down');
      }
      expect(seen.names).to.deep.equal(['fire', 'fire', 'fire']);
      expect(breaker.closed).to.equal(true);
    });
  });
