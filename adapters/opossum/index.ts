/**
 * `breakwater/opossum`: opossum 10's `CircuitBreaker` on breakwater's engine. Change
 * `import CircuitBreaker from 'opossum'` to `import CircuitBreaker from 'breakwater/opossum'`
 * (or `require('breakwater/opossum')`) and keep the rest.
 */
import { CircuitBreaker } from './circuit-breaker.js';

export default CircuitBreaker;
export { CircuitBreaker };
export { Status, type Bucket, type Stats, type StatusOptions } from './status.js';
export { MemoryCache, type CacheTransport } from './memory-cache.js';
export type { CoalesceResetOn, Options, State } from './options.js';
export { isOurError } from './opossum-errors.js';
