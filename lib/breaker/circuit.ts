import { clampRetryAfter } from '../classify/retry-after.js';
import { CircuitOpenError } from '../errors/circuit-open-error.js';
import { openDuration } from '../policies/backoff.js';
import { ConsecutiveFailures } from '../policies/consecutive-failures.js';
import { FailureRate } from '../policies/failure-rate.js';
import { RollingWindow } from '../policies/rolling-window.js';
import { SlowCallRate } from '../policies/slow-call-rate.js';
import type { TripPolicy } from '../policies/trip-policy.js';
import {
  isNewer,
  type SharedState,
  type Stamp,
  type StateStore,
  type StoreAttachment,
} from '../store/state-store.js';
import { ratePolicies } from './live-config.js';
import type { ResolvedOptions } from './options.js';
import { fromShared, toShared } from './shared-state.js';
import type { MoveWatcher } from './move-watcher.js';
import type { CircuitState, HalfOpen, OpenReason } from '../core/circuit-state.js';

export type { MoveWatcher } from './move-watcher.js';
import { PastTrials, lateStamp } from './past-trials.js';

/** The stamp of a state nobody has written yet. */
const UNWRITTEN: Stamp = Object.freeze({ term: 0, version: 0, origin: '' });

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
 * and is shared through the store unless it came from there. Shared moves are ordered by their
 * {@link Stamp}: a remote state is adopted only when it is newer than the one held, so replicas
 * that saw the same writes hold the same state. The move from open to half-open is made by every
 * replica at the shared `openUntil` and not written; the half-open period is named by the open
 * state's stamp, and a trial's outcome counts in its period even if the circuit moved meanwhile.
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
  /** Where the state held stands in the fleet's order of writes: its own write or an adopted one. */
  private stamp: Stamp;
  /** The half-open period of the current epoch (the stamp of the open state it followed). */
  private period: Stamp | null = null;
  /** The stamp of this replica's last write. */
  private lastWrite: Stamp | null = null;
  /** Trials still in flight from half-open epochs that have ended: they count in their period. */
  /** Made when a half-open epoch ends with trials in flight (an idle breaker has none). */
  private past: PastTrials | null = null;
  /** Option changes an operator shared, carried by every later write; `undefined` when none. */
  config: Readonly<Record<string, unknown>> | undefined = undefined;

  constructor(
    private readonly name: string,
    private options: ResolvedOptions,
    /** Told of every move, to announce it. */
    private readonly watcher: MoveWatcher,
    private readonly origin: string,
    now: number,
  ) {
    const o = options;
    this.stamp = UNWRITTEN;
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

  /** Where the state held stands in the fleet's order of writes (while half-open: its period). */
  get stamped(): Stamp {
    return this.stamp;
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

  /**
   * An open circuit whose wait is over moves to half-open: decided when read, not by a timer. The
   * move is not written: every replica makes it at the same `openUntil`, and the period it opens
   * is named by the open state's stamp.
   */
  refresh(now: number): void {
    const state = this.current;
    if (state.kind === 'open' && now >= state.until) {
      this.enter(
        { kind: 'half_open', since: now, reopenCount: state.reopenCount, trials: 0, successes: 0 },
        false,
        this.stamp,
      );
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

  /**
   * Admission in every state but closed: `null` admits (as a trial, when half-open). A half-open
   * circuit whose store must ask the fleet for a permit answers with a promise that settles within
   * the store's bounded wait: `null` when admitted (or when the circuit closed meanwhile).
   */
  admit(now: number): CircuitOpenError | null | Promise<CircuitOpenError | null> {
    const refusal = this.refusal(now);
    if (refusal !== null) return refusal;
    const state = this.current;
    if (state.kind !== 'half_open') return null;
    const max = this.options.halfOpenMaxCalls;
    if (state.trials >= max) return CircuitOpenError.refusal(this.name, 0, 'half_open');
    const answer =
      this.attachment === null ? true : this.attachment.acquireTrial(this.period!, max);
    if (answer === true) {
      state.trials++;
      return null;
    }
    if (answer === false) return CircuitOpenError.refusal(this.name, 0, 'half_open');
    state.trials++; // held while the store asks, so this replica never asks for more than max
    return this.afterClaim(answer, state, this.epoch, this.period!);
  }

  /** Gives back the trial permit of a call admitted in `epoch` that will not report an outcome. */
  releaseTrial(epoch: number): void {
    const state = this.current;
    if (epoch === this.epoch) {
      if (state.kind !== 'half_open' || state.trials === 0) return;
      state.trials--;
      this.attachment?.releaseTrial(this.period!);
      return;
    }
    const past = this.past?.end(epoch);
    if (past !== undefined) this.attachment?.releaseTrial(past.period);
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
      if (state.trials > 0) state.trials--;
      if (++state.successes >= this.options.successThreshold) {
        this.moveTo({ kind: 'closed', since: now }, this.period!);
      } else {
        this.attachment?.releaseTrial(this.period!);
      }
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
   * The outcome of a trial admitted in `epoch`, a half-open epoch that has ended since. It counts
   * in its own period: a success that completes `successThreshold`, or a failure, is written as
   * the move from that period (one version past it), which the fleet's order of writes weighs
   * against the move that ended the period; the permit is given back with it.
   */
  lateTrial(epoch: number, success: boolean, now: number, retryAfterMs?: number): void {
    const past = this.past?.end(epoch);
    if (past === undefined) return;
    const period = past.period;
    const stamp = lateStamp(period, this.lastWrite, this.origin);
    const moves =
      (!success || ++past.successes >= this.options.successThreshold) &&
      stamp !== null &&
      isNewer(stamp, this.stamp);
    if (!moves) {
      this.attachment?.releaseTrial(period);
      return;
    }
    const next: CircuitState = success
      ? { kind: 'closed', since: now }
      : this.opened('trial_failed', now, past.reopenCount + 1, retryAfterMs ?? 0);
    this.write(next, stamp!, period);
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
    if (state.kind === 'half_open') {
      if (state.trials > 0) state.trials--; // this trial's outcome
      const next = this.opened(reason, now, state.reopenCount + 1, atLeastMs);
      return this.moveTo(next, this.period!);
    }
    this.moveTo(this.opened(reason, now, 0, atLeastMs));
  }

  /**
   * An automatic move to `next`, written one version past the state held. A move that a trial's
   * outcome made names the trial's period as `trialOf`, so the store gives its permit back in the
   * same step as the write.
   */
  moveTo(next: CircuitState, trialOf?: Stamp): void {
    this.write(next, this.next(0), trialOf);
  }

  /**
   * An operator's move (reset, isolate, disable): written in a new term, so it outranks every
   * automatic move made without knowing of it, during a Redis outage included.
   */
  operatorMove(next: CircuitState): void {
    this.write(next, this.next(1));
  }

  /** This replica's next stamp: one version on, in the same term or (an operator's) the next. */
  private next(terms: 0 | 1): Stamp {
    const { term, version } = this.stamp;
    return { term: term + terms, version: version + 1, origin: this.origin };
  }

  /**
   * Shares an operator's option changes (already applied here) with the fleet: an operator move
   * that keeps the state, counts and window. Every replica applies the changes through
   * {@link MoveWatcher.configShared}; later writes carry them, so they hold until the next config change.
   */
  shareConfig(config: Readonly<Record<string, unknown>>, now: number): void {
    this.config = { ...this.config, ...config };
    const state = this.current;
    const stamp = this.next(1);
    if (state.kind === 'half_open') {
      // a half-open write opens a period of its own: trials in flight count in the one before
      return this.write({ ...state, since: now, trials: 0, successes: 0 }, stamp);
    }
    this.stamp = stamp;
    this.lastWrite = stamp;
    this.attachment?.publish(toShared(state, stamp, this.config));
  }

  /** The open state for a trip at `now`, with its backoff. */
  private opened(
    reason: OpenReason,
    now: number,
    reopenCount: number,
    atLeastMs: number,
  ): CircuitState {
    const { resetTimeout, maxResetTimeout } = this.options;
    const wait = Math.max(
      openDuration(resetTimeout, maxResetTimeout, reopenCount),
      clampRetryAfter(atLeastMs) ?? 0,
    );
    return { kind: 'open', since: now, until: now + wait, reason, reopenCount };
  }

  /** Holds `next` as this replica's own write `stamp`, and shares it. */
  private write(next: CircuitState, stamp: Stamp, trialOf?: Stamp): void {
    this.stamp = stamp;
    this.lastWrite = stamp;
    this.enter(next, false, next.kind === 'half_open' ? stamp : null);
    this.attachment?.publish(toShared(next, stamp, this.config), trialOf);
  }

  /** Adopts a state another replica shared, if it is newer than the one held. */
  private adopt(shared: SharedState): void {
    if (!isNewer(shared, this.stamp)) return;
    const stamp = { term: shared.term, version: shared.version, origin: shared.origin };
    this.stamp = stamp;
    const config = shared.config;
    if (config !== undefined && JSON.stringify(config) !== JSON.stringify(this.config)) {
      this.config = config;
      this.watcher.configShared(config);
    }
    const state = this.current;
    if (
      shared.state === state.kind &&
      state.kind !== 'half_open' &&
      shared.changedAt === state.since &&
      (state.kind !== 'open' || shared.openUntil === state.until)
    ) {
      return; // the move this replica already made, written again with a config change
    }
    this.enter(fromShared(shared), true, shared.state === 'half_open' ? stamp : null);
  }

  /**
   * Enters `next` (in half-open `period`): a new epoch, fresh counts; trials of a half-open epoch
   * left in flight are kept to count in their period.
   */
  private enter(next: CircuitState, remote: boolean, period: Stamp | null): void {
    const previous = this.current;
    const now = next.since;
    if (previous.kind === 'half_open' && previous.trials > 0)
      (this.past ??= new PastTrials()).keep(this.epoch, this.period ?? this.stamp, previous);
    this.period = period;
    this.current = next;
    this.epoch++;
    this.successCount = 0;
    this.consecutive.reset();
    if (this.rates !== null) for (const policy of this.rates) policy.reset(now);
    if (next.kind === 'closed') this.window.clear(now);
    this.watcher.circuitMoved(previous.kind, next, remote);
  }

  /** A half-open admission that waited for the store's answer. */
  private async afterClaim(
    answer: Promise<boolean>,
    state: HalfOpen,
    epoch: number,
    period: Stamp,
  ): Promise<CircuitOpenError | null> {
    const granted = await answer.catch(() => false);
    if (epoch === this.epoch) {
      if (granted) return null;
      state.trials--;
      return CircuitOpenError.refusal(this.name, 0, 'half_open');
    }
    // The circuit moved while the store asked: the permit belongs to a period that is over.
    this.past?.end(epoch);
    if (granted) this.attachment?.releaseTrial(period);
    const kind = this.current.kind;
    if (kind === 'closed' || kind === 'disabled') return null;
    return CircuitOpenError.refusal(this.name, 0, 'half_open');
  }
}
