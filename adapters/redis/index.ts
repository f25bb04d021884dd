/**
 * `breakwater/redis`: {@link RedisStore}, the fleet-wide `StateStore` on Redis (ioredis).
 *
 * @example
 * import { RedisStore } from 'breakwater/redis';
 * const registry = new BreakerRegistry({ store: await RedisStore.connect({ redis }) });
 */
export { RedisStore } from './redis-store.js';
export type { RedisStoreOptions } from './redis-store-options.js';
export type { RedisStoreTraffic } from './redis-store.js';
