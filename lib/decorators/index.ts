export { CircuitBreaker, type CircuitBreakerOptions } from './circuit-breaker.js';
export type { StreamMethodOptions, StreamMethodDecorator } from './stream-options.js';
export { Fallback, type FallbackOptions } from './fallback.js';
export { getBreakerMetadata, type DecoratedMethod } from './get-breaker-metadata.js';
export { bindRegistry, boundRegistry } from './bound-registry.js';
export type { BreakerSpec, FallbackSpec } from './method-meta.js';
export type {
  AsyncMethod,
  GuardedReturn,
  AsyncMethodDecorator,
  FallbackFor,
  PlainFallbackFor,
  FallbackOf,
  FallbackByNameDecorator,
  FallbackByFunctionDecorator,
  FallbackMismatch,
} from './decorator-types.js';
