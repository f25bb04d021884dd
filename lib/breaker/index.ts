export { Breaker, type Guarded, type BreakerContext } from './breaker.js';
export {
  type BreakerOptions,
  type ResolvedOptions,
  type Clock,
  systemClock,
  DEFAULTS,
} from './options.js';
export { validateOptions, OPTION_NAMES } from './validate-options.js';
export type { CircuitState, CircuitStateName, OpenReason } from '../core/circuit-state.js';
export type { BreakerSnapshot, LatencySnapshot, ConfigSnapshot, HedgeCounts } from './snapshot.js';
export {
  applyChanges,
  LIVE_OPTION_NAMES,
  type ConfigChanges,
  type LiveOptionName,
} from './live-config.js';
