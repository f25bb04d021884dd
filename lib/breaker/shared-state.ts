import type { SharedState, Stamp } from '../store/state-store.js';
import { MAX_TIMER_MS } from './own-options.js';
import type { CircuitState } from '../core/circuit-state.js';

/** The part of a state that replicas share, stamped with its place in the order of writes. */
export function toShared(
  state: CircuitState,
  stamp: Stamp,
  config: Readonly<Record<string, unknown>> | undefined,
): SharedState {
  const shared: SharedState = {
    state: state.kind,
    openUntil: state.kind === 'open' ? state.until : null,
    reopenCount: state.kind === 'open' || state.kind === 'half_open' ? state.reopenCount : 0,
    reason: state.kind === 'open' ? state.reason : null,
    changedAt: state.since,
    term: stamp.term,
    version: stamp.version,
    origin: stamp.origin,
  };
  return config === undefined ? shared : { ...shared, config };
}

/** The local state for a shared one another replica wrote. */
export function fromShared(shared: SharedState): CircuitState {
  const since = shared.changedAt;
  switch (shared.state) {
    case 'open':
      return {
        kind: 'open',
        since,
        // No replica of this library opens for longer than 2^31-1 ms: a longer wait read from a
        // shared store is a broken or hostile writer's, and would hold the circuit open for ever.
        until: Math.min(shared.openUntil ?? since, since + MAX_TIMER_MS),
        reason: shared.reason ?? 'remote',
        reopenCount: shared.reopenCount,
      };
    case 'half_open':
      return { kind: 'half_open', since, reopenCount: shared.reopenCount, trials: 0, successes: 0 };
    case 'closed':
    case 'isolated':
    case 'disabled':
      return { kind: shared.state, since };
  }
}
