import { clampRetryAfter } from '../classify/retry-after.js';
import { CircuitOpenError } from '../errors/circuit-open-error.js';
import { openDuration } from '../policies/backoff.js';
import { ConsecutiveFailures } from '../policies/consecutive-failures.js';
import { FailureRate } from '../policies/failure-rate.js';
import { RollingWindow } from '../policies/rolling-window.js';
import { SlowCallRate } from '../policies/slow-call-rate.js';
import type { TripPolicy } from '../policies/trip-policy.js';
import type { SharedState, StateStore, StoreAttachment } from '../store/state-store.js';
import { ratePolicies } from './live-config.js';
import type { ResolvedOptions } from './options.js';
import { fromShared, toShared } from './shared-state.js';
import type { CircuitState, CircuitStateName, OpenReason } from './state.js';

/** Whoever announces a circuit's moves: the breaker. */
export interface MoveWatcher {
  circuitMoved(from: CircuitStateName, next: CircuitState, remote: boolean): void;
}

/**
 * A breaker's state machine: which state it is in, who may pass, and what moves it. It knows
 * nothing of running calls; the {@link Breaker} reports their outcomes here.
 *
 * - closed: outcomes feed the trip policies; the first that fires opens the circuit.
 * - open: refused until `until`; the first admission or read after that moves to half-open.
 *   No timer does it.
 * - half-open: at most `halfOpenMaxCalls` trials in flight (fleet-wide with a shared store);
 *   `successThreshold` successes close, any failure reopens with a doubled wait.
 * - isolated and disabled: set by an operator, left by `reset()`.
 *
 * Every move bumps `epoch`, so an outcome of a call admitted before the move can be told apart,
 * and is shared through the store unless it came from there.
 */
export class Circuit {
  current: CircuitState;
  /** Bumped at every move; a call settling in another epoch only updates statistics. */
  epoch = 0;
  /** Successes since the last move. */
  successCount = 0;
  /** Calls in the rolling window; rate policies read it, snapshots show it. */
  window: RollingWindow;
  /** Failures in a row; the snapshot's `failureCount`. Never trips when `failureThreshold` is false. */
  consecutive: ConsecutiveFailures;
  /** Policies beyond the consecutive count, `null` when none is configured (the default). */
  private rates: TripPolicy[] | null = null;
  private attachment: StoreAttachment | null = null;
  private version = 0;

  constructor(
    private readonly name: string,
    private options: ResolvedOptions,
    /** Told of every move, to announce it. */
    private readonly watcher: MoveWatcher,
    private readonly origin: string,
    now: number,
  ) {
    const o = options;
    this.current = o.enabled ? { kind: 'closed', since: now } : { kind: 'disabled', since: now };
    this.window = new RollingWindow(o.rollingCountTimeout, o.rollingCountBuckets, now);
    this.consecutive = new ConsecutiveFailures(
      o.failureThreshold === false ? Infinity : o.failureThreshold,
    );
    const rates: TripPolicy[] = [];
    if (o.errorThresholdPercentage !== undefined) {
      rates.push(new FailureRate(this.window, o.errorThresholdPercentage, o.volumeThreshold));
    }
    if (o.slowCallRateThreshold !== undefined) {
      rates.push(new SlowCallRate(this.window, o.slowCallRateThreshold, o.volumeThreshold));
    }
    if (rates.length > 0) this.rates = rates;
  }

  /**
   * Runs with `options` from now on, keeping the state, the window's counts and the failures in
   * a row (see `lib/breaker/live-config.ts`). An open circuit keeps its current wait.
   */
  reconfigure(options: ResolvedOptions, now: number): void {
    const before = this.options;
    this.options = options;
    if (
      options.rollingCountTimeout !== before.rollingCountTimeout ||
      options.rollingCountBuckets !== before.rollingCountBuckets
    ) {
      this.window = this.window.resized(
        options.rollingCountTimeout,
        options.rollingCountBuckets,
        now,
      );
    }
    const threshold = options.failureThreshold === false ? Infinity : options.failureThreshold;
    if (threshold !== this.consecutive.threshold) {
      const consecutive = new ConsecutiveFailures(threshold);
      consecutive.count = this.consecutive.count;
      this.consecutive = consecutive;
    }
    this.rates = ratePolicies(this.window, options);
  }

  /** Joins `store`, adopting the state the fleet already shares. */
  attach(store: StateStore): void {
    this.attachment = store.attach(this.name, (shared) => this.adopt(shared));
    if (this.attachment.initial !== undefined) this.adopt(this.attachment.initial);
  }

  /** Leaves the store. */
  detach(): void {
    this.attachment?.detach();
    this.attachment = null;
  }

  /** An open circuit whose wait is over moves to half-open: decided when read, not by a timer. */
  refresh(now: number): void {
    const state = this.current;
    if (state.kind === 'open' && now >= state.until) {
      this.moveTo({
        kind: 'half_open',
        since: now,
        reopenCount: state.reopenCount,
        trials: 0,
        successes: 0,
      });
    }
  }

  /**
   * The refusal of an open or held-open circuit at `now`, taking nothing; `null` in the states
   * that may admit (closed, disabled, half-open).
   */
  refusal(now: number): CircuitOpenError | null {
    this.refresh(now);
    const state = this.current;
    if (state.kind === 'open')
      return CircuitOpenError.refusal(this.name, state.until - now, 'open');
    if (state.kind === 'isolated')
      return CircuitOpenError.refusal(this.name, undefined, 'isolated');
    return null;
  }

  /** Admission in every state but closed: `null` admits (as a trial, when half-open). */
  admit(now: number): CircuitOpenError | null {
    const refusal = this.refusal(now);
    if (refusal !== null) return refusal;
    const state = this.current;
    switch (state.kind) {
      case 'closed':
      case 'disabled':
      case 'open':
      case 'isolated':
        return null;
      case 'half_open': {
        const max = this.options.halfOpenMaxCalls;
        if (
          state.trials >= max ||
          (this.attachment !== null && !this.attachment.acquireTrial(this.version, max))
        ) {
          return CircuitOpenError.refusal(this.name, 0, 'half_open');
        }
        state.trials++;
        return null;
      }
    }
  }

  /** Gives back the trial permit of a call admitted in `epoch` that will not report an outcome. */
  releaseTrial(epoch: number): void {
    const state = this.current;
    if (state.kind !== 'half_open' || epoch !== this.epoch || state.trials === 0) return;
    state.trials--;
    this.attachment?.releaseTrial(this.version);
  }

  /** A call of the current epoch succeeded (or failed as the caller's fault) after `duration` ms. */
  onSuccess(now: number, duration: number): void {
    const state = this.current;
    this.successCount++;
    if (state.kind === 'closed') {
      this.consecutive.onSuccess();
      const rates = this.rates;
      if (rates === null) return;
      for (let i = 0; i < rates.length; i++) {
        if (rates[i]!.onSuccess(now, duration)) return this.trip(rates[i]!.reason, now);
      }
    } else if (state.kind === 'half_open') {
      this.releaseTrial(this.epoch);
      if (++state.successes >= this.options.successThreshold)
        this.moveTo({ kind: 'closed', since: now });
    }
  }

  /** A call of the current epoch failed after `duration` ms; the provider may have asked for a wait. */
  onFailure(now: number, duration: number, retryAfterMs: number | undefined): void {
    const state = this.current;
    if (state.kind === 'closed') {
      if (this.consecutive.onFailure()) {
        return this.trip(this.consecutive.reason, now, retryAfterMs);
      }
      const rates = this.rates;
      if (rates === null) return;
      for (let i = 0; i < rates.length; i++) {
        if (rates[i]!.onFailure(now, duration))
          return this.trip(rates[i]!.reason, now, retryAfterMs);
      }
    } else if (state.kind === 'half_open') {
      this.trip('trial_failed', now, retryAfterMs);
    }
  }

  /**
   * Opens from closed or half-open, for `resetTimeout` (doubled per reopening after a failed
   * trial, up to `maxResetTimeout`) and at least `atLeastMs` (what a provider or a custom
   * classifier asked for, clamped to `MAX_RETRY_AFTER_MS`: `Infinity` or NaN cannot make `until`
   * an invalid date).
   */
  trip(reason: OpenReason, now: number, atLeastMs = 0): void {
    const state = this.current;
    if (state.kind !== 'closed' && state.kind !== 'half_open') return;
    const reopenCount = state.kind === 'half_open' ? state.reopenCount + 1 : 0;
    const { resetTimeout, maxResetTimeout } = this.options;
    const wait = Math.max(
      openDuration(resetTimeout, maxResetTimeout, reopenCount),
      clampRetryAfter(atLeastMs) ?? 0,
    );
    this.moveTo({ kind: 'open', since: now, until: now + wait, reason, reopenCount });
  }

  /** Moves to `next`; a move that came from the store carries its version and is not shared back. */
  moveTo(next: CircuitState, remoteVersion?: number): void {
    const from = this.current.kind;
    const now = next.since;
    this.current = next;
    this.epoch++;
    this.successCount = 0;
    this.consecutive.reset();
    if (this.rates !== null) for (const policy of this.rates) policy.reset(now);
    if (next.kind === 'closed') this.window.clear(now);
    const remote = remoteVersion !== undefined;
    this.version = remote ? remoteVersion : this.version + 1;
    if (!remote) this.attachment?.publish(toShared(next, this.version, this.origin));
    this.watcher.circuitMoved(from, next, remote);
  }

  /** Adopts a newer state another replica shared. */
  private adopt(shared: SharedState): void {
    if (
      shared.version < this.version ||
      (shared.version === this.version && shared.origin <= this.origin)
    )
      return;
    this.moveTo(fromShared(shared), shared.version);
  }
}
