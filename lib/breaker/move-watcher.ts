import type { CircuitState, CircuitStateName } from '../core/circuit-state.js';

/** Whoever announces a circuit's moves: the breaker. */
export interface MoveWatcher {
  circuitMoved(from: CircuitStateName, next: CircuitState, remote: boolean): void;
  /**
   * Another replica shared an operator's config change: the seam through which the breaker
   * applies it (`configure`'s checks, without sharing it again).
   */
  configShared(config: Readonly<Record<string, unknown>>): void;
}
