/**
 * Decorated chains seen from outside: the priority-and-failback timeline, getBreakerMetadata and
 * withOutcome. Like decorator-suite.ts, written once and compiled in both decorator modes.
 */
import FakeTimers from '@sinonjs/fake-timers';
import { expect } from 'chai';
import { BreakerRegistry, bindRegistry, getBreakerMetadata, withOutcome } from '../../lib/index.js';
import { makeProviders, type Providers } from './fixtures/fake-provider.js';
import { CachedLlm, Llm, ReversedLlm, StaticClient, TimelineGateway } from './fixtures/llm.js';
import {
  TimelinePrimary,
  expectFailback,
  replayFailbackTimeline,
} from '../failover/failback-timeline.js';

export function chainOutcomeSuite(mode: 'standard' | 'legacy'): void {
  describe(`decorated chains (${mode} decorators)`, () => {
    let registry: BreakerRegistry;
    let providers: Providers;

    beforeEach(() => {
      registry = new BreakerRegistry();
      providers = makeProviders();
    });
    afterEach(() => registry.close(0));

    describe('priority and failback', () => {
      it('serves from the backup while the primary is open, and returns to the primary after its trial', async () => {
        const start = Date.UTC(2026, 0, 1);
        const clock = FakeTimers.install({
          now: start,
          toFake: ['setTimeout', 'clearTimeout', 'Date'],
        });
        try {
          const primary = new TimelinePrimary(start);
          const gateway = bindRegistry(new TimelineGateway(primary), registry);
          const report = await replayFailbackTimeline(
            clock,
            registry,
            primary,
            (prompt) => withOutcome(() => gateway.complete(prompt)),
            start,
          );
          expectFailback(report);
        } finally {
          clock.uninstall();
        }
      });
    });

    describe('getBreakerMetadata', () => {
      it('lists decorated methods with breaker names, options and fallbacks', () => {
        const listed = getBreakerMetadata(Llm).map((m) => ({
          method: m.method,
          breaker: m.breaker?.name,
          threshold: m.breaker?.options?.failureThreshold,
          fallback: m.fallback,
        }));
        expect(listed).to.deep.equal([
          { method: 'complete', breaker: 'openai', threshold: 3, fallback: 'anthropic' },
          { method: 'anthropic', breaker: 'anthropic', threshold: 3, fallback: 'degraded' },
        ]);
      });

      it('reads the same from an instance, inherited methods included', () => {
        const fromInstance = getBreakerMetadata(new CachedLlm(providers)).map((m) => m.method);
        expect(fromInstance).to.deep.equal(['complete', 'anthropic']);
        const reversed = getBreakerMetadata(ReversedLlm);
        expect(reversed.map((m) => [m.method, m.breaker?.name, typeof m.fallback])).to.deep.equal([
          ['complete', 'openai', 'string'],
          ['fromCache', undefined, 'function'],
        ]);
        expect(getBreakerMetadata(StaticClient)).to.deep.include({
          method: 'complete',
          static: true,
          breaker: getBreakerMetadata(StaticClient)[0]!.breaker,
          fallback: 'offline',
        });
      });

      it('refuses what is not a class or an object', () => {
        expect(() => getBreakerMetadata(42 as unknown as object)).to.throw(TypeError, /got 42/);
      });
    });

    describe('withOutcome', () => {
      it('never mixes the outcomes of concurrent calls', async () => {
        const llm = bindRegistry(new Llm(providers), registry);
        const makeCall = async (i: number) => {
          await new Promise((resolve) => setImmediate(resolve));
          return withOutcome(async () => {
            await Promise.resolve();
            if (i % 2 === 0) return llm.complete(`p${i}`);
            return llm.anthropic(`p${i}`, undefined);
          });
        };
        const outcomes = await Promise.all(Array.from({ length: 50 }, (_, i) => makeCall(i)));
        outcomes.forEach((outcome, i) => {
          const expected = i % 2 === 0 ? 'openai' : 'anthropic';
          expect(outcome.value).to.equal(`${expected}:p${i}`);
          expect(outcome.servedBy).to.equal(expected);
          expect(outcome.attempts.map((a) => a.name)).to.deep.equal([expected]);
        });
      });

      it('nests: the inner call sees its own attempts, the outer sees all', async () => {
        const llm = bindRegistry(new Llm(providers), registry);
        const outer = await withOutcome(async () => {
          const first = await llm.complete('one');
          registry.get('openai').isolate();
          const inner = await withOutcome(() => llm.complete('two'));
          return { first, inner };
        });
        expect(outer.value.inner.servedBy).to.equal('anthropic');
        expect(outer.value.inner.attempts.map((a) => a.name)).to.deep.equal([
          'openai',
          'anthropic',
        ]);
        expect(outer.attempts.map((a) => `${a.name}:${a.outcome}`)).to.deep.equal([
          'openai:success',
          'openai:rejected',
          'anthropic:success',
        ]);
        expect(outer.servedBy).to.equal('anthropic');
      });

      it('reports no provider when nothing ran through a chain', async () => {
        expect(await withOutcome(() => 7)).to.deep.equal({
          value: 7,
          servedBy: null,
          attempts: [],
        });
      });
    });
  });
}
