export { BreakerRegistry, type RegistryOptions } from './breaker-registry.js';
export { defaultRegistry } from './default-registry.js';
export { providerStats, type ProviderStats, type ProviderStatsRow } from './provider-stats.js';
