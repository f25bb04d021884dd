export { BreakerRegistry, type RegistryOptions } from './breaker-registry.js';
export { defaultRegistry } from './default-registry.js';
