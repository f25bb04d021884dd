import type { LiveOptionName } from '../core/live-option-names.js';
import type { ConfigSnapshot } from '../core/config-snapshot.js';
import type { CircuitStateName, OpenReason } from '../core/circuit-state.js';

/** A breaker's state moved. `remote` is true when another replica made the move (shared store). */
export interface StateChangeEvent {
  readonly breaker: string;
  readonly from: CircuitStateName;
  readonly to: CircuitStateName;
  /** Why it opened, for moves to `open`. */
  readonly reason: OpenReason | null;
  /** Epoch ms of the move. */
  readonly at: number;
  readonly remote: boolean;
}

/** The breaker opened and refuses calls for `retryAfterMs`. */
export interface OpenEvent {
  readonly breaker: string;
  readonly reason: OpenReason;
  readonly retryAfterMs: number;
}

/** A move with nothing more to say than the breaker's name. */
export interface BreakerEvent {
  readonly breaker: string;
}

/** A call settled: `durationMs` from admission to settlement. */
export interface OutcomeEvent {
  readonly breaker: string;
  readonly durationMs: number;
}

/** A call failed: the error and whether it counted against the provider. */
export interface FailureEvent extends OutcomeEvent {
  readonly error: unknown;
  /** False for the caller's own errors, which are rethrown but not counted. */
  readonly counted: boolean;
}

/** A call was refused without reaching the provider. */
export interface RejectEvent {
  readonly breaker: string;
  readonly error: Error;
}

/** A fallback answered for a call this breaker could not serve. */
export interface FallbackEvent {
  readonly breaker: string;
  readonly error: unknown;
}

/** A hedged chain started this breaker's level beside a slow one (`started`), or it won (`won`). */
export interface HedgeEvent {
  readonly breaker: string;
  readonly kind: 'started' | 'won';
}

/** An operator changed the breaker's options live (`breaker.configure`). */
export interface ConfigureEvent {
  readonly breaker: string;
  /** The options whose values changed. */
  readonly changed: readonly LiveOptionName[];
  /** The options now in force. */
  readonly config: ConfigSnapshot;
  /** Epoch ms of the change. */
  readonly at: number;
}

/** A stream ({@link Breaker.stream}) delivered its first content chunk, its first token. */
export interface StreamFirstChunkEvent {
  readonly breaker: string;
  /** From the start of the call to the first content chunk, in ms. */
  readonly durationMs: number;
}

/**
 * How a stream ended: it reached its end (`success`), failed (`failure`, or `caller_error` when
 * the classifier says the error is the caller's), stalled past a deadline (`timeout`), or was
 * stopped by its consumer, the caller's signal or shutdown (`cancelled`).
 */
export type StreamOutcome = 'success' | 'failure' | 'timeout' | 'caller_error' | 'cancelled';

/** A stream ended. */
export interface StreamEndEvent {
  readonly breaker: string;
  readonly outcome: StreamOutcome;
  /** From the start of the call to its end, in ms. */
  readonly durationMs: number;
  /** Chunks the consumer received. */
  readonly chunks: number;
  /** Whether content had reached the consumer before the end: a failure then is an interruption. */
  readonly afterContent: boolean;
  /** What ended a stream that did not succeed. */
  readonly error?: unknown | undefined;
}

/** Every event a breaker (and a registry, for all of its breakers) emits. */
export interface BreakerEvents {
  stateChange: StateChangeEvent;
  open: OpenEvent;
  halfOpen: BreakerEvent;
  close: BreakerEvent;
  isolate: BreakerEvent;
  disable: BreakerEvent;
  success: OutcomeEvent;
  failure: FailureEvent;
  timeout: OutcomeEvent;
  reject: RejectEvent;
  fallback: FallbackEvent;
  hedge: HedgeEvent;
  configure: ConfigureEvent;
  streamFirstChunk: StreamFirstChunkEvent;
  streamEnd: StreamEndEvent;
}
