export { BreakerRegistry, type RegistryOptions } from './breaker-registry.js';
export { defaultRegistry } from './default-registry.js';
export { providerStats, type ProviderStats, type ProviderStatsRow } from './provider-stats.js';
export { RegistryHistory, acquireHistory, type HistoryOptions } from './registry-history.js';
export type {
  BandReason,
  BreakerHistoryJSON,
  HistoryMark,
  HistorySeries,
  StateBand,
} from './breaker-history.js';
