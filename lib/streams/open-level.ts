import { systemClock } from '../breaker/options.js';
import { NEVER_ABORTED } from '../failover/call-context.js';
import type { ChainLevel } from '../failover/chain-level.js';
import type { BreakerRegistry } from '../registry/breaker-registry.js';
import { GuardedStream } from './guarded-stream.js';
import type { Runner } from './hedge-race.js';
import { lazyStream } from './lazy-stream.js';

/** What a level is called with. @internal */
export interface LevelCall {
  readonly self: unknown;
  readonly args: readonly unknown[];
  /** What the level before it threw; `undefined` for the first. */
  readonly lastError: unknown;
}

/**
 * Level `index` of a stream chain as a {@link Runner}, not yet started (it starts at its first
 * `next()`): a guarded level streams through its breaker ({@link GuardedStream}), an unguarded one
 * as it is ({@link lazyStream}); both with the level's `callContext()` while they start.
 * @internal
 */
export function openLevel<C>(
  level: ChainLevel,
  index: number,
  isContent: (chunk: C) => boolean,
  call: LevelCall,
  registry: BreakerRegistry,
  callerSignal: AbortSignal | undefined,
  label: string,
): Runner<C> {
  const { self, args, lastError } = call;
  const context = { error: lastError, attempt: index, level: level.name };
  const guard = level.guard;
  if (guard === null) {
    const signal = callerSignal ?? NEVER_ABORTED;
    const stream = lazyStream<C>(
      () => level.run(self, args, lastError, signal),
      `${label}: fallback "${level.name}"`,
      { ...context, signal },
    );
    return { index, stream, breaker: null, start: systemClock.now(), held: [] };
  }
  const breaker = (guard.registry ?? registry).get(guard.breaker, guard.options);
  const stream = new GuardedStream<C>(
    breaker,
    (signal) => level.run(self, args, lastError, signal) as AsyncIterable<C>,
    callerSignal,
    isContent,
    context,
  );
  return { index, stream, breaker, start: breaker.options.clock.now(), held: [] };
}
