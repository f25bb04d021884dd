import { expect } from 'chai';
import { BreakerRegistry, type SharedState, type StateStore } from '../../lib/index.js';

/** A store that hands every breaker one state, as a broken or hostile replica wrote it. */
function storeWith(initial: SharedState): StateStore {
  return {
    attach: () => ({
      initial,
      publish: () => undefined,
      acquireTrial: () => true,
      releaseTrial: () => undefined,
      detach: () => undefined,
    }),
    close: () => Promise.resolve(),
  } as unknown as StateStore;
}

describe('a shared state from a broken or hostile replica', () => {
  it('cannot hold a breaker open longer than 2^31-1 ms, nor make its snapshot throw', () => {
    const since = Date.UTC(2026, 0, 1);
    const clock = { at: since, now: () => clock.at };
    const registry = new BreakerRegistry({
      store: storeWith({
        state: 'open',
        openUntil: 1e308,
        reopenCount: 0,
        reason: 'consecutive_failures',
        changedAt: since,
        version: 5,
        origin: 'zzz-hostile',
      }),
      defaults: { clock },
    });
    const breaker = registry.get('shared');
    const snapshot = breaker.snapshot();
    expect(snapshot.state).to.equal('open');
    expect(snapshot.retryAfterMs).to.equal(2 ** 31 - 1);
    expect(Date.parse(snapshot.openUntil!)).to.equal(since + 2 ** 31 - 1);
    clock.at = since + 2 ** 31 - 1;
    expect(breaker.state).to.equal('half_open');
  });
});
