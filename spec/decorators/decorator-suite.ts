/**
 * The decorator behaviour specs, written once and compiled in both decorator modes: as standard
 * decorators from spec/decorators/decorators.spec.ts, and under `experimentalDecorators` from
 * spec/legacy/decorators.spec.ts. The classes under test come from ./fixtures, compiled likewise.
 */
import FakeTimers from '@sinonjs/fake-timers';
import { expect } from 'chai';
import {
  AllProvidersFailedError,
  BreakerRegistry,
  CallTimeoutError,
  CircuitBreaker,
  CircuitOpenError,
  Fallback,
  bindRegistry,
  defaultRegistry,
  isAllProvidersFailedError,
  withOutcome,
} from '../../lib/index.js';
import { LoopingChain, MissingFallback, TypeMismatches } from './fixtures/broken-chains.js';
import { HttpError, makeProviders, type Providers } from './fixtures/fake-provider.js';
import {
  CachedLlm,
  GUARDED,
  GuardedOnly,
  LLM_OPENAI,
  Llm,
  ReversedLlm,
  Single,
  StaticClient,
  WithFunctionFallback,
} from './fixtures/llm.js';

/**
 * Runs `make` then `call`: the mistake must surface in one of them. Standard decorators check the
 * chain when the first instance is made; `experimentalDecorators` have no such hook, so the first
 * call does.
 */
async function firstFailure(
  make: () => { call(): Promise<unknown> },
): Promise<{ at: string; error: Error }> {
  let made: { call(): Promise<unknown> };
  try {
    made = make();
  } catch (error) {
    return { at: 'construction', error: error as Error };
  }
  try {
    await made.call();
  } catch (error) {
    return { at: 'first call', error: error as Error };
  }
  throw new Error('expected construction or the first call to fail');
}

export function decoratorSuite(mode: 'standard' | 'legacy'): void {
  const checkedAt = mode === 'standard' ? 'construction' : 'first call';
  describe(`decorators (${mode} decorators)`, () => {
    let registry: BreakerRegistry;
    let providers: Providers;

    beforeEach(() => {
      registry = new BreakerRegistry();
      providers = makeProviders();
    });
    afterEach(() => registry.close(0));

    describe('@CircuitBreaker', () => {
      it('runs the method through the named breaker with `this` intact', async () => {
        const llm = bindRegistry(new Llm(providers), registry);
        expect(await llm.complete('hi')).to.equal('openai:hi');
        expect(providers.openai.calls).to.deep.equal([['hi']]);
        const breaker = registry.find('openai');
        expect(breaker, 'breaker made on first call').to.not.equal(undefined);
        expect(breaker!.options.failureThreshold).to.equal(3);
        expect(breaker!.snapshot().successfulRequests).to.equal(1);
      });

      it('keeps the method name and declared length', () => {
        expect(Llm.prototype.complete.name).to.equal('complete');
        expect(Llm.prototype.complete.length).to.equal(1);
        expect(WithFunctionFallback.prototype.complete.length).to.equal(2);
      });

      it('keeps the exact declared type (checked by the compiler)', async () => {
        const llm = bindRegistry(new Llm(providers), registry);
        const answer: Promise<string> = llm.complete('typed');
        // @ts-expect-error -- complete() takes a string
        const wrong = () => llm.complete(42);
        expect(wrong).to.be.a('function');
        expect(await answer).to.equal('openai:typed');
      });

      it('shares one breaker between all instances of the class', async () => {
        const a = bindRegistry(new Single(providers), registry);
        const b = bindRegistry(new Single(providers), registry);
        providers.openai.behaviour = 'fail';
        expect(await a.complete('1').catch((e: unknown) => e)).to.be.instanceOf(HttpError);
        expect(await b.complete('2').catch((e: unknown) => e)).to.be.instanceOf(HttpError);
        expect(registry.get('openai').state, 'two failures from two objects open it').to.equal(
          'open',
        );
        providers.openai.behaviour = 'ok';
        const refused = await a.complete('3').catch((e: unknown) => e);
        expect(refused).to.be.instanceOf(CircuitOpenError);
        expect(providers.openai.calls).to.have.length(2);
        expect(registry.list()).to.have.length(1);
      });

      it('rethrows the error of a single-level chain as it is', async () => {
        const single = bindRegistry(new Single(providers), registry);
        providers.openai.behaviour = 'fail';
        const first = await single.complete('x').catch((e: unknown) => e);
        expect(first).to.be.instanceOf(HttpError).with.property('status', 503);
        registry.get('openai').isolate();
        const refused = await single.complete('x').catch((e: unknown) => e);
        expect(refused).to.be.instanceOf(CircuitOpenError).with.property('breaker', 'openai');
      });

      it('uses defaultRegistry unless a registry is bound or given', async () => {
        class DefaultUser {
          @CircuitBreaker('decorators-default-registry')
          async call(): Promise<string> {
            return 'ok';
          }
        }
        try {
          expect(await new DefaultUser().call()).to.equal('ok');
          expect(defaultRegistry.has('decorators-default-registry')).to.equal(true);
          expect(registry.has('decorators-default-registry')).to.equal(false);
        } finally {
          defaultRegistry.remove('decorators-default-registry');
        }
      });

      it('takes `registry` in its options, which wins over a bound registry', async () => {
        const own = new BreakerRegistry();
        class Pinned {
          @CircuitBreaker('pinned', { registry: own, failureThreshold: 7 })
          async call(): Promise<string> {
            return 'ok';
          }
        }
        try {
          expect(await bindRegistry(new Pinned(), registry).call()).to.equal('ok');
          expect(own.get('pinned').options.failureThreshold).to.equal(7);
          expect(registry.has('pinned')).to.equal(false);
        } finally {
          await own.close(0);
        }
      });

      it('refuses bad options when the class is defined, naming the option', () => {
        expect(() => CircuitBreaker('x', { failureThreshold: -1 })).to.throw(
          RangeError,
          /failureThreshold must be a positive integer, got -1/,
        );
        // @ts-expect-error -- unknown option
        expect(() => CircuitBreaker('x', { failureTreshold: 3 })).to.throw(
          TypeError,
          /failureTreshold/,
        );
        expect(() => CircuitBreaker('')).to.throw(TypeError, /breaker name/);
        // @ts-expect-error -- the name comes from the first argument
        expect(() => CircuitBreaker('x', { name: 'y' })).to.throw(TypeError, /options\.name/);
        // @ts-expect-error -- not a registry
        expect(() => CircuitBreaker('x', { registry: {} })).to.throw(
          TypeError,
          /registry must be a BreakerRegistry/,
        );
      });

      it('throws at once when applied to something that is not a method', () => {
        expect(() => {
          class WithField {
            // @ts-expect-error -- a field is not a method
            @CircuitBreaker('field')
            value = 1;
          }
          return WithField;
        }).to.throw(
          TypeError,
          /@CircuitBreaker\("field"\) applies to methods; it was applied to the (field|property) "value"/,
        );
        expect(() => {
          class WithAccessor {
            // @ts-expect-error -- an accessor is not a method
            @Fallback('other')
            get value(): Promise<number> {
              return Promise.resolve(1);
            }
            async other(): Promise<number> {
              return 2;
            }
          }
          return WithAccessor;
        }).to.throw(
          TypeError,
          /@Fallback\("other"\) applies to methods; it was applied to the (getter|accessor) "value"/,
        );
        const decorate = CircuitBreaker('class') as unknown as (...args: unknown[]) => unknown;
        expect(() => decorate(class Service {})).to.throw(
          TypeError,
          /applies to methods; it was applied to the class Service/,
        );
        expect(() => decorate(class Service {}, { kind: 'class', name: 'Service' })).to.throw(
          TypeError,
          /applies to methods; it was applied to the class "Service"/,
        );
      });

      it('refuses a second @CircuitBreaker or @Fallback on one method', () => {
        expect(() => {
          class Twice {
            @CircuitBreaker('one')
            @CircuitBreaker('two')
            async call(): Promise<void> {}
          }
          return Twice;
        }).to.throw(TypeError, /already has @CircuitBreaker\("two"\)/);
      });

      it('works on static methods, with the class as `this`', async () => {
        StaticClient.providers = providers;
        bindRegistry(StaticClient, registry);
        expect(await StaticClient.complete('s')).to.equal('openai:s');
        registry.get('openai').isolate();
        expect(await StaticClient.complete('s')).to.equal('static-offline:s');
      });

      it('rejects a call without an object as `this`', async () => {
        const { complete } = bindRegistry(new Llm(providers), registry);
        const error = await complete('x').catch((e: unknown) => e);
        expect(error).to.be.instanceOf(TypeError);
        expect((error as Error).message).to.match(
          /decorated method "complete" was called on undefined/,
        );
      });
    });

    describe('@Fallback', () => {
      it('answers when the breaker refuses, with the arguments and the refusal', async () => {
        const llm = bindRegistry(new Llm(providers), registry);
        await llm.complete('warm-up');
        registry.get('openai').isolate();
        expect(await llm.complete('hi')).to.equal('anthropic:hi');
        expect(providers.openai.calls).to.have.length(1);
        const [prompt, error] = providers.anthropic.calls[0]!;
        expect(prompt).to.equal('hi');
        expect(error).to.be.instanceOf(CircuitOpenError).with.property('breaker', 'openai');
        expect(registry.get('openai').snapshot().fallbacks).to.equal(1);
      });

      it('answers when the call fails in a way that may fail over', async () => {
        const llm = bindRegistry(new Llm(providers), registry);
        providers.openai.behaviour = 'fail';
        expect(await llm.complete('hi')).to.equal('anthropic:hi');
        const error = providers.anthropic.calls[0]![1];
        expect(error).to.be.instanceOf(HttpError).with.property('status', 503);
        expect(registry.get('openai').snapshot().failedRequests).to.equal(1);
      });

      it('rethrows a caller error (400) untouched, without falling back', async () => {
        const llm = bindRegistry(new Llm(providers), registry);
        providers.openai.behaviour = 'caller-error';
        const error = await llm.complete('bad').catch((e: unknown) => e);
        expect(error).to.be.instanceOf(HttpError).with.property('status', 400);
        expect(providers.anthropic.calls).to.have.length(0);
        expect(registry.get('openai').snapshot().failedRequests).to.equal(0);
      });

      it('works in either order and through a chain of any depth', async () => {
        const reversed = bindRegistry(new ReversedLlm(providers), registry);
        expect(await reversed.complete('a')).to.equal('openai:a');
        providers.openai.behaviour = 'fail';
        expect(await reversed.complete('b')).to.equal('cache:b');
        providers.cache.behaviour = 'fail';
        expect(await reversed.complete('c')).to.equal('last-resort:c:cache unavailable');
        expect(providers.cache.calls.map((args) => args[0])).to.deep.equal(['b', 'c']);
      });

      it('runs three levels: openai refused, anthropic failing, degraded answering', async () => {
        const llm = bindRegistry(new Llm(providers), registry);
        registry.get('openai', LLM_OPENAI).isolate();
        providers.anthropic.behaviour = 'fail';
        const { value, servedBy, attempts } = await withOutcome(() => llm.complete('deep'));
        expect(value).to.equal('degraded:deep');
        expect(servedBy).to.equal('degraded');
        expect(attempts.map((a) => [a.name, a.outcome])).to.deep.equal([
          ['openai', 'rejected'],
          ['anthropic', 'failure'],
          ['degraded', 'success'],
        ]);
        expect(attempts[0]!.error).to.be.instanceOf(CircuitOpenError);
        expect(attempts[1]!.error).to.be.instanceOf(HttpError);
        expect(attempts[2]).to.not.have.property('error');
        expect(llm.degradedCalls).to.have.length(1);
        expect(llm.degradedCalls[0]![1]).to.be.instanceOf(HttpError);
        expect(registry.get('openai').snapshot().fallbacks).to.equal(1);
        expect(registry.get('anthropic').snapshot().fallbacks).to.equal(1);
      });

      it('gives a fallback function `this`, the arguments and the error', async () => {
        const client = bindRegistry(new WithFunctionFallback(providers), registry);
        providers.openai.behaviour = 'fail';
        expect(await client.complete('p', 3)).to.equal('fn-fallback:p:3:openai unavailable');
        const { servedBy } = await withOutcome(() => client.complete('p', 4));
        expect(servedBy).to.equal('degrade');
      });

      it('follows a subclass override of the fallback method', async () => {
        const llm = bindRegistry(new CachedLlm(providers), registry);
        registry.get('openai', LLM_OPENAI).isolate();
        registry.get('anthropic', GUARDED).isolate();
        expect(await llm.complete('sub')).to.equal('subclass-degraded:sub');
        expect(await bindRegistry(new Llm(providers), registry).complete('base')).to.equal(
          'degraded:base',
        );
      });

      it('fails with AllProvidersFailedError, one cause per level in order, refusals included', async () => {
        const client = bindRegistry(new GuardedOnly(providers), registry);
        registry.get('openai', GUARDED).isolate();
        providers.anthropic.behaviour = 'fail';
        const error = await client.complete('x').catch((e: unknown) => e);
        expect(error).to.be.instanceOf(AllProvidersFailedError);
        expect(isAllProvidersFailedError(error)).to.equal(true);
        const { causes, code } = error as AllProvidersFailedError;
        expect(code).to.equal('EALLFAILED');
        expect(causes.map((c) => c.name)).to.deep.equal(['openai', 'anthropic']);
        expect(causes[0]!.error).to.be.instanceOf(CircuitOpenError);
        expect(causes[1]!.error).to.be.instanceOf(HttpError);
      });

      it('falls back when the call times out, and says so', async () => {
        const clock = FakeTimers.install({
          now: 1_000_000,
          toFake: ['setTimeout', 'clearTimeout', 'Date'],
        });
        try {
          const llm = bindRegistry(new Llm(providers), registry);
          providers.openai.behaviour = 'hang';
          const pending = withOutcome(() => llm.complete('slow'));
          await clock.tickAsync(5_000);
          const { value, attempts } = await pending;
          expect(value).to.equal('anthropic:slow');
          expect(attempts[0]).to.include({ name: 'openai', outcome: 'timeout', durationMs: 5_000 });
          expect(attempts[0]!.error).to.be.instanceOf(CallTimeoutError);
          expect(attempts[1]).to.include({ name: 'anthropic', outcome: 'success', durationMs: 0 });
        } finally {
          clock.uninstall();
        }
      });

      it('refuses an unknown fallback name at construction or first call, naming the chain', async () => {
        const { at, error } = await firstFailure(() => {
          const broken = new MissingFallback();
          return { call: () => broken.complete('x') };
        });
        expect(at).to.equal(checkedAt);
        expect(error).to.be.instanceOf(TypeError);
        expect(error.message).to.equal(
          '@Fallback("anthropc") on MissingFallback.complete: MissingFallback has no method "anthropc" (chain: complete -> anthropc)',
        );
      });

      it('refuses a loop (a -> b -> a) at construction or first call, naming the chain', async () => {
        const { at, error } = await firstFailure(() => {
          const looping = new LoopingChain();
          return { call: () => looping.first('x') };
        });
        expect(at).to.equal(checkedAt);
        expect(error).to.be.instanceOf(TypeError);
        expect(error.message).to.equal(
          '@Fallback chain of LoopingChain.first loops: first -> second -> first',
        );
      });

      it('accepts a fallback whose type fits', async () => {
        const checks = bindRegistry(new TypeMismatches(), registry);
        expect(await checks.fits('ok')).to.equal('ok');
      });
    });
  });
}
