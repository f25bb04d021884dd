/**
 * `breakwater/tsyringe`: a tsyringe container's own breaker registry, used by the decorated
 * services it resolves.
 */
export { registerBreakwater, type RegisterBreakwaterOptions } from './register-breakwater.js';
