import type { Breaker } from '../../lib/breaker/breaker.js';
import type { CircuitState, CircuitStateName } from '../../lib/core/circuit-state.js';
import type { StateChangeEvent } from '../../lib/events/breaker-events.js';
import type { Disposable } from '../../lib/events/emitter.js';
import { halfOpenAt, openFor, resumeFrom } from './engine-link.js';
import type { ResolvedOptions, State } from './options.js';
import type { Status } from './status.js';

/**
 * opossum's states on the engine's: the engine's circuit holds the state (so an operator, the
 * admin router or another replica can move it), and this follows every move with opossum's
 * events (`open`, `halfOpen`, `close`), the timer that half-opens an open breaker on time, and
 * what `disable()` leaves for `enable()` to return to.
 */
export class StateFollower {
  /** Epoch ms of the last move to open (the breaker's birth until then): `lastTimerAt`. */
  lastOpenAt: number;
  private quiet = false;
  private halfOpenTimer: ReturnType<typeof setTimeout> | null = null;
  /** The state to return to on `enable()`. */
  private resume: CircuitState | null = null;
  private readonly moves: Disposable;

  constructor(
    private readonly engine: Breaker,
    private readonly options: ResolvedOptions<unknown[]>,
    private readonly status: Status,
    private readonly emit: (event: string, ...args: unknown[]) => void,
  ) {
    this.lastOpenAt = Date.now();
    this.moves = engine.on('stateChange', this.moved);
  }

  /** The state as opossum sees it: while disabled, the one `enable()` returns to. */
  kind(): CircuitStateName {
    const kind = this.engine.state;
    if (kind !== 'disabled') return kind;
    const back = this.resume;
    if (back === null) return 'closed';
    return back.kind === 'open' && Date.now() >= back.until ? 'half_open' : back.kind;
  }

  /** opossum's `open()`: open for `resetTimeout`; already open, nothing. */
  open(): void {
    const kind = this.engine.state;
    if (kind === 'open' || kind === 'isolated') return;
    const next = openFor(Date.now(), this.options.resetTimeout);
    if (kind === 'disabled') this.setResume(next);
    else this.engine.circuit.moveTo(next);
  }

  /** opossum's `close()`; already closed, nothing. */
  close(): void {
    const kind = this.engine.state;
    if (kind === 'closed') return;
    const next: CircuitState = { kind: 'closed', since: Date.now() };
    if (kind === 'disabled') this.setResume(next);
    else this.engine.circuit.moveTo(next);
  }

  disable(): void {
    if (this.engine.circuit.current.kind !== 'disabled') this.engine.disable();
  }

  /** Back to the state the breaker was in when disabled (closed if it started disabled). */
  enable(): void {
    const circuit = this.engine.circuit;
    if (circuit.current.kind !== 'disabled') return;
    const back = this.resume ?? { kind: 'closed', since: Date.now() };
    this.resume = null;
    circuit.moveTo(back);
  }

  /** Starts in the state `toJSON()` gave, as opossum restores it (without events: nobody listens yet). */
  restore(state: Partial<State>): void {
    const now = Date.now();
    const circuit = this.engine.circuit;
    const closed = state.closed !== false;
    const resetTimeout = this.options.resetTimeout;
    this.quiet = true;
    if (closed) {
      if (circuit.current.kind !== 'closed') circuit.moveTo({ kind: 'closed', since: now });
    } else if (state.halfOpen === true) {
      circuit.moveTo(halfOpenAt(now));
    } else if (typeof state.lastTimerAt === 'number' && now - state.lastTimerAt > resetTimeout) {
      circuit.moveTo(halfOpenAt(now));
    } else {
      circuit.moveTo(openFor(now, resetTimeout));
    }
    this.quiet = false;
  }

  /** Stops following: no more events, no timer. */
  stop(): void {
    this.clearTimer();
    this.moves.dispose();
  }

  /** `open()` or `close()` while disabled: remembered for `enable()`, announced now. */
  private setResume(next: CircuitState): void {
    const was = this.kind();
    this.resume = next;
    if (next.kind === 'open' && was !== 'open') {
      this.status.open();
      this.emit('open');
    } else if (next.kind === 'closed' && was !== 'closed') {
      this.status.close();
      this.emit('close');
    }
  }

  /** Every move of the engine (its own, an operator's, another replica's), in opossum's terms. */
  private readonly moved = (event: StateChangeEvent): void => {
    this.clearTimer();
    const { from, to } = event;
    const quiet = this.quiet || from === 'disabled';
    switch (to) {
      case 'open':
      case 'isolated': {
        this.lastOpenAt = event.at;
        const state = this.engine.circuit.current;
        if (state.kind === 'open') {
          this.halfOpenTimer = setTimeout(() => {
            this.halfOpenTimer = null;
            this.engine.circuit.refresh(Date.now());
          }, state.until - Date.now());
          this.halfOpenTimer.unref();
        }
        if (quiet || from === 'open' || from === 'isolated') return;
        this.status.open();
        return this.emit('open');
      }
      case 'half_open':
        this.renewAbortController();
        if (!quiet) this.emit('halfOpen', this.options.resetTimeout);
        return;
      case 'closed':
        this.renewAbortController();
        if (quiet || from === 'closed') return;
        this.status.close();
        return this.emit('close');
      case 'disabled':
        this.resume = resumeFrom(from, event.at, this.lastOpenAt, this.options.resetTimeout);
        return;
    }
  };

  private renewAbortController(): void {
    const o = this.options;
    if (o.autoRenewAbortController && o.abortController?.signal.aborted) {
      o.abortController = new AbortController();
    }
  }

  private clearTimer(): void {
    if (this.halfOpenTimer !== null) clearTimeout(this.halfOpenTimer);
    this.halfOpenTimer = null;
  }
}
