import type { BreakerEvents } from '../events/breaker-events.js';
import type { Emitter } from '../events/emitter.js';
import type { CircuitState, CircuitStateName } from '../core/circuit-state.js';

/** Emits a move of breaker `breaker` to `next`: `stateChange`, then the event of the new state. */
export function announce(
  events: Emitter<BreakerEvents>,
  breaker: string,
  from: CircuitStateName,
  next: CircuitState,
  remote: boolean,
): void {
  const at = next.since;
  const reason = next.kind === 'open' ? next.reason : null;
  events.emit('stateChange', { breaker, from, to: next.kind, reason, at, remote });
  switch (next.kind) {
    case 'open':
      return events.emit('open', { breaker, reason: next.reason, retryAfterMs: next.until - at });
    case 'half_open':
      return events.emit('halfOpen', { breaker });
    case 'closed':
      return events.emit('close', { breaker });
    case 'isolated':
      return events.emit('isolate', { breaker });
    case 'disabled':
      return events.emit('disable', { breaker });
  }
}
