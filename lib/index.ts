/**
 * breakwater: circuit breakers, failover chains and an operator's view for services that call
 * GenAI providers and other HTTP dependencies.
 */
export * from './breaker/index.js';
export * from './errors/index.js';
export * from './classify/index.js';
export * from './events/index.js';
export * from './policies/index.js';
export * from './registry/index.js';
export * from './stats/index.js';
export * from './store/index.js';
export * from './failover/index.js';
export * from './decorators/index.js';
export * from './streams/index.js';
