import { expect } from 'chai';
import { BreakerRegistry, MemoryStore } from '../../lib/index.js';
import { ManualClock, fail503, repeat } from '../breaker/helpers.js';
import { fleetBehaviours } from './fleet-behaviours.js';

describe('Shared state through a StateStore', () => {
  describe('registries on one MemoryStore', () => {
    fleetBehaviours(async (defaults) => {
      const store = new MemoryStore();
      const registries = [
        new BreakerRegistry({ store, defaults }),
        new BreakerRegistry({ store, defaults }),
      ];
      return {
        clock: defaults.clock as ManualClock,
        a: registries[0]!,
        b: registries[1]!,
        settle: async () => undefined,
        join: async () => {
          const late = new BreakerRegistry({ store, defaults });
          registries.push(late);
          return late;
        },
        close: async () => {
          await Promise.all(registries.map((r) => r.close()));
          await store.close();
        },
      };
    });
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
