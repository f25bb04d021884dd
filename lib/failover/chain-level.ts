import type { BreakerOptions } from '../breaker/options.js';
import type { BreakerRegistry } from '../registry/breaker-registry.js';

/** The breaker that guards a level of a chain, found in a registry when the level runs. */
export interface LevelGuard {
  /** The breaker's name in the registry. */
  readonly breaker: string;
  /** Options for the breaker when the registry makes it (`registry.get(name, options)`). */
  readonly options: BreakerOptions | undefined;
  /** A registry of the level's own; otherwise the chain call's registry. */
  readonly registry: BreakerRegistry | undefined;
}

/**
 * One level of a priority chain, as decorators and {@link failover} describe it to the chain
 * runner: what it is called, which breaker guards it (if any), and how to run it.
 * @internal
 */
export interface ChainLevel {
  /** The name attempts, causes and `servedBy` use: the breaker's, or the function's. */
  readonly name: string;
  /** `null` for an unguarded level (a last resort, a cache, a degraded answer). */
  readonly guard: LevelGuard | null;
  /**
   * Runs the level with the chain call's receiver and arguments. `lastError` is what the level
   * before it threw (`undefined` for the first level); `signal` is the call's (the breaker's, or
   * for an unguarded level the caller's). Whether either is appended to the arguments is the
   * level's rule; both are in `callContext()` too.
   */
  run(self: unknown, args: readonly unknown[], lastError: unknown, signal: AbortSignal): unknown;
}
