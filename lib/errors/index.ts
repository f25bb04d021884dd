export { BreakwaterError } from './breakwater-error.js';
export { CircuitOpenError, isCircuitOpenError } from './circuit-open-error.js';
export { CallTimeoutError, isCallTimeoutError } from './call-timeout-error.js';
export { CapacityExceededError, isCapacityExceededError } from './capacity-exceeded-error.js';
export {
  AllProvidersFailedError,
  isAllProvidersFailedError,
  type ProviderFailure,
} from './all-providers-failed-error.js';
export { StreamInterruptedError, isStreamInterruptedError } from './stream-interrupted-error.js';
export { StreamEventError, isStreamEventError } from './stream-event-error.js';
