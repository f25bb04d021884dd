import { BreakerRegistry, type BreakerOptions } from 'breakwater';
import type { Redis } from 'ioredis';
import { RedisStore } from '../../adapters/redis/index.js';

/** One replica of a service: its breakers share their state with every replica on this Redis. */
export async function startReplica(redis: Redis, defaults: BreakerOptions = {}) {
  const store = await RedisStore.connect({
    redis, // your client; the store opens one subscriber connection of its own
    keyPrefix: 'checkout:', // one prefix per fleet
    onError: (error) => console.warn('breaker state sync:', error.message),
  });
  const registry = new BreakerRegistry({ store, defaults: { failureThreshold: 3, ...defaults } });
  return {
    registry,
    async stop() {
      await registry.close(); // settles calls in flight, leaves the store
      await store.close(); // closes the subscriber; your client stays open
    },
  };
}
