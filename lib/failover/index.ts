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
} from './failover.js';
export type { LevelGuard } from './chain-level.js';
