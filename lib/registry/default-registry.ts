import { BreakerRegistry } from './breaker-registry.js';

/**
 * The registry decorators and middleware use when not given one. It is an ordinary registry:
 * tests can `defaultRegistry.reset()` it, and apps that want isolation pass their own.
 */
export const defaultRegistry = new BreakerRegistry();
