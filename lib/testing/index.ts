/**
 * `breakwater/testing`: fault injection for your own tests. A fake OpenAI + Anthropic + Google server the
 * official SDKs talk to unchanged, with faults settable per provider; and {@link chaos} for
 * wrapping your own async functions.
 */
export { startFakeProvider, FakeProvider, type FakeProviderOptions } from './fake-provider.js';
export type {
  Fault,
  FaultKind,
  StatusFault,
  HangFault,
  SlowFault,
  ResetFault,
  StreamCutFault,
  StreamErrorFault,
  StreamDelayFault,
  StreamMalformedFault,
} from './faults.js';
export { validateFault } from './faults.js';
export type { FaultTiming } from './fault-schedule.js';
export type { ActiveFault } from './control-route.js';
export type { EndpointCounters, FakeProviderCounters } from './counters.js';
export type { ChatRequest, ProviderName } from './wire/provider-wire.js';
export {
  chaos,
  type ChaosFault,
  type ChaosError,
  type ChaosDelay,
  type ChaosHang,
  type ChaosControl,
  type ChaosFunction,
} from './chaos.js';
export {
  providerError,
  connectionError,
  streamCutError,
  type ProviderErrorOptions,
  type SimulatedProviderError,
} from './simulated-errors.js';
