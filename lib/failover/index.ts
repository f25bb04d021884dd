export { withOutcome } from './with-outcome.js';
export type { Attempt, AttemptOutcome, Outcome } from './attempt.js';
export {
  failover,
  type FailoverOptions,
  type FailoverLevel,
  type ProviderLevel,
  type LastResort,
  type ChainArgs,
  type ChainResult,
  type FixedArgs,
  type AppendRefused,
  type AppendSafe,
  type PlainLevel,
} from './failover.js';
export { callContext, type CallContext } from './call-context.js';
export type { LevelGuard } from './chain-level.js';
export {
  resolveHedge,
  type HedgeOptions,
  type HedgeDelay,
  type ResolvedHedge,
} from './hedge-options.js';
export { HedgeBudget } from './hedge-budget.js';
export { AdaptiveDelay } from './adaptive-delay.js';
