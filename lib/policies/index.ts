export type { TripPolicy } from './trip-policy.js';
export { ConsecutiveFailures } from './consecutive-failures.js';
export { RollingWindow } from './rolling-window.js';
export { FailureRate } from './failure-rate.js';
export { SlowCallRate } from './slow-call-rate.js';
export { openDuration } from './backoff.js';
