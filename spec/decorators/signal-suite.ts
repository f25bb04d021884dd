/**
 * The signal and error contract of decorated methods, compiled in both decorator modes (from
 * decorators.spec.ts and spec/legacy/decorators.spec.ts).
 */
import FakeTimers from '@sinonjs/fake-timers';
import { expect } from 'chai';
import { BreakerRegistry, bindRegistry, isCallTimeoutError } from '../../lib/index.js';
import { HttpError } from './fixtures/fake-provider.js';
import { Shapes } from './fixtures/signal-shapes.js';

/** Answers per level: `ok`, `fail` (a 503) or `hang` (until the signal aborts). */
function behaviour(plan: Record<string, 'ok' | 'fail' | 'hang'>) {
  return (level: string, signal: AbortSignal): Promise<string> => {
    switch (plan[level] ?? 'ok') {
      case 'ok':
        return Promise.resolve(`${level}:ok`);
      case 'fail':
        return Promise.reject(new HttpError(503, `${level} down`));
      case 'hang':
        return new Promise((_, reject) =>
          signal.addEventListener('abort', () => reject(signal.reason), { once: true }),
        );
    }
  };
}

export function signalSuite(mode: string): void {
  describe(`decorated methods: signals and errors, whatever the parameters (${mode} decorators)`, () => {
    let clock: ReturnType<typeof FakeTimers.install>;
    let registry: BreakerRegistry;
    beforeEach(() => {
      clock = FakeTimers.install({ now: 0 });
      registry = new BreakerRegistry();
    });
    afterEach(() => clock.uninstall());

    it('gives a method with an optional parameter its signal, and aborts it at the timeout', async () => {
      const shapes = bindRegistry(new Shapes(behaviour({ ask: 'hang' })), registry);
      const answer = shapes.ask('hi');
      await clock.tickAsync(1_000);
      expect(await answer).to.equal('backup:ok');
      const [ask, backup] = shapes.seen;
      expect(ask!.args).to.deep.equal(['hi', undefined]);
      expect(ask!.context.signal.aborted).to.equal(true);
      expect(isCallTimeoutError(ask!.context.signal.reason)).to.equal(true);
      expect(ask!.context).to.include({ attempt: 0, level: 'shape-ask', error: undefined });
      // The fallback's optional parameter stays empty; the error is in its context.
      expect(backup!.args).to.deep.equal(['hi', undefined]);
      expect(isCallTimeoutError(backup!.context.error)).to.equal(true);
      expect(backup!.context).to.include({ attempt: 1, level: 'shape-backup' });
      expect(backup!.context.signal.aborted).to.equal(false);
    });

    it('never puts the error in an optional parameter, whether the caller passed it or not', async () => {
      const shapes = bindRegistry(new Shapes(behaviour({ ask: 'fail', backup: 'fail' })), registry);
      expect(await shapes.ask('a')).to.equal('last:a');
      expect(await shapes.ask('b', { temperature: 1 })).to.equal('last:b');
      const last = shapes.seen.filter((s) => s.level === 'last');
      expect(last.map((s) => s.args)).to.deep.equal([
        ['a', {}],
        ['b', { temperature: 1 }],
      ]);
      for (const { context } of last) {
        expect((context.error as HttpError).message).to.equal('backup down');
        expect(context.attempt).to.equal(2);
      }
    });

    it('keeps default and rest parameters as the caller passed them', async () => {
      const shapes = bindRegistry(new Shapes(behaviour({})), registry);
      expect(await shapes.joined(undefined, 'a', 'b')).to.equal('a b');
      expect(await shapes.joined('-', 'a', 'b', 'c')).to.equal('a-b-c');
      expect(await shapes.joined()).to.equal('');
      for (const { context } of shapes.seen) expect(context.signal).to.be.instanceOf(AbortSignal);
    });

    it('appends the error where every parameter is required (none here)', async () => {
      const shapes = bindRegistry(new Shapes(behaviour({ none: 'fail' })), registry);
      expect(await shapes.none()).to.equal('none-fallback');
      const fallback = shapes.seen.find((s) => s.level === 'noneFallback')!;
      expect((fallback.args[0] as HttpError).status).to.equal(503);
      expect(fallback.context.error).to.equal(fallback.args[0]);
    });

    it("works on a bound method, and obeys a caller's signal passed as the last argument", async () => {
      const shapes = bindRegistry(new Shapes(behaviour({ joined: 'hang' })), registry);
      const joined = shapes.joined.bind(shapes);
      const caller = new AbortController();
      const pending = joined('+', 'x', caller.signal as unknown as string).catch((e: unknown) => e);
      const reason = new Error('client left');
      caller.abort(reason);
      expect(await pending).to.equal(reason);
      const seen = shapes.seen[0]!;
      expect(seen.context.signal.aborted).to.equal(true);
      expect(registry.get('shape-rest').snapshot()).to.include({ cancelled: 1, failedRequests: 0 });
    });

    it('refuses callContext() outside the start of a guarded call', async () => {
      const { callContext } = await import('../../lib/index.js');
      expect(() => callContext()).to.throw(TypeError, /before its first await/);
    });
  });
}
