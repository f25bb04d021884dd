import { expect } from 'chai';
import {
  BreakerRegistry,
  MemoryStore,
  isCircuitOpenError,
  type StateChangeEvent,
} from '../../lib/index.js';
import { ManualClock, fail503, rejection, repeat, succeed } from '../breaker/helpers.js';

/** Two registries on one store: two replicas of one service. */
function fleet(options = {}) {
  const clock = new ManualClock(1_000);
  const store = new MemoryStore();
  const defaults = {
    failureThreshold: 2,
    resetTimeout: 10_000,
    timeout: false as const,
    clock,
    ...options,
  };
  const a = new BreakerRegistry({ store, defaults });
  const b = new BreakerRegistry({ store, defaults });
  return { clock, a, b };
}

describe('Shared state through a StateStore', () => {
  it("opens every replica's breaker when one replica trips, with the same open-until", async () => {
    const { a, b } = fleet();
    const remote: StateChangeEvent[] = [];
    b.get('openai').on('stateChange', (e) => remote.push(e));
    await repeat(a.get('openai'), 2, fail503);
    expect(a.get('openai').state).to.equal('open');
    expect(b.get('openai').state).to.equal('open');
    expect(b.get('openai').snapshot().openUntil).to.equal(a.get('openai').snapshot().openUntil);
    expect(remote).to.have.length(1);
    expect(remote[0]).to.include({ to: 'open', remote: true, reason: 'consecutive_failures' });
  });

  it('keeps counts local: failures on two replicas do not add up to a trip', async () => {
    const { a, b } = fleet();
    await repeat(a.get('openai'), 1, fail503);
    await repeat(b.get('openai'), 1, fail503);
    expect(a.get('openai').state).to.equal('closed');
    expect(b.get('openai').state).to.equal('closed');
  });

  it('gives the fleet halfOpenMaxCalls trial permits, not each replica', async () => {
    const { clock, a, b } = fleet({ halfOpenMaxCalls: 1 });
    await repeat(a.get('openai'), 2, fail503);
    clock.advance(10_000);
    let finish!: () => void;
    const trial = a
      .get('openai')
      .execute(() => new Promise<string>((r) => (finish = () => r('ok'))));
    const refused = await rejection(b.get('openai').execute(succeed));
    expect(isCircuitOpenError(refused)).to.equal(true);
    finish();
    await trial;
    expect(a.get('openai').state).to.equal('closed');
    expect(b.get('openai').state).to.equal('closed');
  });

  it('shares an operator’s isolate and reset', () => {
    const { a, b } = fleet();
    a.get('openai');
    b.get('openai');
    a.get('openai').isolate();
    expect(b.get('openai').state).to.equal('isolated');
    b.reset('openai');
    expect(a.get('openai').state).to.equal('closed');
  });

  it('lets a replica that joins late adopt the shared state', async () => {
    const clock = new ManualClock(1_000);
    const store = new MemoryStore();
    const defaults = { failureThreshold: 1, timeout: false as const, clock };
    const a = new BreakerRegistry({ store, defaults });
    await repeat(a.get('openai'), 1, fail503);
    const late = new BreakerRegistry({ store, defaults });
    expect(late.get('openai').state).to.equal('open');
  });

  it('keeps registries with their own stores apart', async () => {
    const clock = new ManualClock();
    const defaults = { failureThreshold: 1, timeout: false as const, clock };
    const a = new BreakerRegistry({ defaults });
    const b = new BreakerRegistry({ defaults });
    await repeat(a.get('openai'), 1, fail503);
    expect(b.get('openai').state).to.equal('closed');
  });
});
