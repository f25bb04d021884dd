import FakeTimers from '@sinonjs/fake-timers';
import { expect } from 'chai';
import type OpenAI from 'openai';
import {
  Breaker,
  BreakerRegistry,
  callContext,
  failover,
  isCallTimeoutError,
  withOutcome,
} from '../../lib/index.js';
import { startFakeProvider, type FakeProvider } from '../../lib/testing/index.js';
import { chatBody, openaiFor } from '../testing/sdk-helpers.js';

/** Waits (without sleeping) until the fake provider sees no openai request in flight. */
async function settledUpstream(fake: FakeProvider): Promise<number> {
  for (let i = 0; i < 1_000 && fake.counters().openai.chatCompletions.inFlight > 0; i++) {
    await new Promise((resolve) => setImmediate(resolve));
  }
  return fake.counters().openai.chatCompletions.inFlight;
}

describe('failover and execute: every call shape gets its signal, every fallback its error', () => {
  describe('the official openai SDK against a hung provider', () => {
    let fake: FakeProvider;
    let openai: OpenAI;
    let clock: ReturnType<typeof FakeTimers.install> | undefined;
    beforeEach(async () => {
      fake = await startFakeProvider();
      openai = openaiFor(fake, { timeout: 600_000 });
      fake.setFault('openai', { kind: 'hang' });
    });
    afterEach(async () => {
      clock?.uninstall();
      clock = undefined;
      await fake.close();
    });

    /** Fake timers for the breaker's deadline only: HTTP runs on the real event loop. */
    function fakeTimeouts(): ReturnType<typeof FakeTimers.install> {
      return (clock = FakeTimers.install({ toFake: ['setTimeout', 'clearTimeout', 'Date'] }));
    }

    it('closes the hung request when a rest-parameter level times out (0 in flight)', async () => {
      const sdkCall = (prompt: string, signal: AbortSignal) =>
        openai.chat.completions
          .create(chatBody(prompt), { signal })
          .then((c) => c.choices[0]!.message.content ?? '');
      const complete = failover(
        [
          {
            name: 'sdk-rest',
            options: { timeout: 300 },
            call: (...args: [string, AbortSignal]) => sdkCall(...args),
          },
          function degraded(prompt: string, error: unknown) {
            return `degraded:${prompt}:${isCallTimeoutError(error)}`;
          },
        ],
        { registry: new BreakerRegistry() },
      );
      const timers = fakeTimeouts();
      const answer = complete('hi');
      await fake.received('openai');
      expect(fake.counters().openai.chatCompletions.inFlight).to.equal(1);
      await timers.tickAsync(300);
      expect(await answer).to.equal('degraded:hi:true');
      expect(await settledUpstream(fake)).to.equal(0);
    });

    it('closes it for a level with a default parameter, through { append: false } and callContext()', async () => {
      const complete = failover(
        [
          {
            name: 'sdk-optional',
            options: { timeout: 300 },
            call: (prompt: string, opts: { temperature?: number } = {}) =>
              openai.chat.completions
                .create(Object.assign(chatBody(prompt), opts), { signal: callContext().signal })
                .then((c) => c.choices[0]!.message.content ?? ''),
          },
          (prompt: string, opts?: { temperature?: number }) =>
            `fallback:${prompt}:${JSON.stringify(opts)}:${isCallTimeoutError(callContext().error)}`,
        ],
        { registry: new BreakerRegistry(), append: false },
      );
      const timers = fakeTimeouts();
      const answer = complete('hi');
      await fake.received('openai');
      await timers.tickAsync(300);
      // The optional parameter stays empty: the error is in the context.
      expect(await answer).to.equal('fallback:hi:undefined:true');
      expect(await settledUpstream(fake)).to.equal(0);
    });

    it('closes it for breaker.execute((...a) => ...) with a timeout', async () => {
      const breaker = new Breaker({ name: 'sdk-execute', timeout: 300 });
      const timers = fakeTimeouts();
      const answer = breaker
        .execute((...a: AbortSignal[]) =>
          openai.chat.completions.create(chatBody('hi'), { signal: a[0]! }),
        )
        .catch((e: unknown) => e);
      await fake.received('openai');
      await timers.tickAsync(300);
      expect(isCallTimeoutError(await answer)).to.equal(true);
      expect(await settledUpstream(fake)).to.equal(0);
    });
  });

  describe('shapes, without I/O', () => {
    let clock: ReturnType<typeof FakeTimers.install>;
    let registry: BreakerRegistry;
    beforeEach(() => {
      clock = FakeTimers.install({ now: 0 });
      registry = new BreakerRegistry();
    });
    afterEach(() => clock.uninstall());

    it('passes the signal to no-parameter, rest, bound and class-method levels alike', async () => {
      const seen: unknown[][] = [];
      class Client {
        constructor(readonly tag: string) {}
        answer(prompt: string, signal: AbortSignal): Promise<string> {
          seen.push([this.tag, prompt, signal]);
          return Promise.reject(new Error(`${this.tag} down`));
        }
      }
      const bound = new Client('bound');
      const method = new Client('method');
      const complete = failover(
        [
          {
            name: 'shape-none',
            call: function (this: unknown, _prompt: string): Promise<string> {
              // eslint-disable-next-line prefer-rest-params -- checks exactly what was passed
              seen.push(['none', ...arguments]);
              return Promise.reject(new Error('none down'));
            },
          },
          {
            name: 'shape-rest',
            call: (...args: unknown[]): Promise<string> => {
              seen.push(['rest', ...args]);
              return Promise.reject(new Error('rest down'));
            },
          },
          { name: 'shape-bound', call: bound.answer.bind(bound) },
          { name: 'shape-method', call: (p: string, s: AbortSignal) => method.answer(p, s) },
          (prompt: string, error: unknown) => `last:${prompt}:${(error as Error).message}`,
        ],
        { registry },
      );
      expect(await complete('q')).to.equal('last:q:method down');
      expect(seen.map((s) => s.slice(0, 2))).to.deep.equal([
        ['none', 'q'],
        ['rest', 'q'],
        ['bound', 'q'],
        ['method', 'q'],
      ]);
      for (const s of seen) expect(s[2]).to.be.instanceOf(AbortSignal);
    });

    it('refuses to compile the unsafe combinations', () => {
      const opts = { registry };
      const optional = { name: 'unsafe-optional', call: (p: string, o?: number) => `${p}${o}` };
      const withDefault = { name: 'unsafe-default', call: (p: string, o = 1) => `${p}${o}` };
      const rest = { name: 'unsafe-rest', call: (...parts: string[]) => parts.join() };
      const refused = [
        // @ts-expect-error -- an optional parameter would receive the signal
        () => failover([optional], opts),
        // @ts-expect-error -- a default parameter would receive the signal
        () => failover([withDefault], opts),
        // @ts-expect-error -- a rest parameter would take in the signal
        () => failover([rest], opts),
      ];
      // Each compiles in the explicit form, and at run time appends nothing.
      const allowed = failover(
        [{ name: 'safe-rest', call: (...parts: string[]) => parts.join('+') }],
        { registry, append: false },
      );
      expect(refused).to.have.length(3);
      return allowed('a', 'b').then((joined) => expect(joined).to.equal('a+b'));
    });

    it("stops the chain when the caller's signal (the last argument) aborts: no fallback runs", async () => {
      let fellBack = false;
      const complete = failover(
        [
          {
            name: 'caller-abort',
            call: (_p: string, _caller: AbortSignal, signal: AbortSignal) =>
              new Promise<string>((_, reject) =>
                signal.addEventListener('abort', () => reject(signal.reason)),
              ),
          },
          () => {
            fellBack = true;
            return 'fallback';
          },
        ],
        { registry },
      );
      const caller = new AbortController();
      const pending = withOutcome(() => complete('q', caller.signal)).catch((e: unknown) => e);
      const reason = new Error('client left');
      caller.abort(reason);
      expect(await pending).to.equal(reason);
      expect(fellBack).to.equal(false);
      expect(registry.get('caller-abort').snapshot()).to.include({
        cancelled: 1,
        failedRequests: 0,
      });
    });
  });
});
