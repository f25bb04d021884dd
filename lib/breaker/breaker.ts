import { defaultClassify } from '../classify/default-classifier.js';
import { CALLER_ERROR, FAILURE, type Verdict } from '../classify/verdict.js';
import { CallTimeoutError } from '../errors/call-timeout-error.js';
import { CapacityExceededError } from '../errors/capacity-exceeded-error.js';
import { CircuitOpenError } from '../errors/circuit-open-error.js';
import type { BreakerEvents } from '../events/breaker-events.js';
import { Emitter, type Disposable, type Listener } from '../events/emitter.js';
import { openDuration } from '../policies/backoff.js';
import { ConsecutiveFailures } from '../policies/consecutive-failures.js';
import { FailureRate } from '../policies/failure-rate.js';
import { RollingWindow } from '../policies/rolling-window.js';
import { SlowCallRate } from '../policies/slow-call-rate.js';
import type { TripPolicy } from '../policies/trip-policy.js';
import { BreakerStats } from '../stats/breaker-stats.js';
import type { SharedState, StateStore, StoreAttachment } from '../store/state-store.js';
import { GuardedCall, InFlightCalls, type CallOwner } from './guarded-call.js';
import type { BreakerOptions, Clock, ResolvedOptions } from './options.js';
import { buildSnapshot } from './build-snapshot.js';
import type { BreakerSnapshot } from './snapshot.js';
import { fromShared, toShared } from './shared-state.js';
import type { CircuitState, CircuitStateName, OpenReason } from './state.js';
import { validateOptions } from './validate-options.js';

/** The function a breaker guards. It receives a signal that aborts on timeout, caller abort and shutdown. */
export type Guarded<T> = (signal: AbortSignal) => T | PromiseLike<T>;

/** How a breaker joins a registry: where to share state and where to forward events. @internal */
export interface BreakerContext {
  readonly store?: StateStore;
  readonly events?: Emitter<BreakerEvents>;
  /** This replica's id in the store. */
  readonly origin?: string;
}

/**
 * Guards calls to one provider: refuses them at once while the provider is failing, lets a few
 * trial calls find out when it recovers, and measures everything.
 *
 * @example
 * const breaker = new Breaker({ name: 'openai', failureThreshold: 3, timeout: 10_000 });
 * const answer = await breaker.execute((signal) => client.chat.completions.create(body, { signal }));
 */
export class Breaker implements CallOwner {
  readonly name: string;
  readonly options: ResolvedOptions;
  /** Counters since the breaker was made or last reset. */
  readonly stats = new BreakerStats();
  /** @internal */ current: CircuitState;
  /** @internal Bumped at every state change; a call settling in another epoch only updates stats. */
  epoch = 0;
  /** @internal Successes since the last state change. */
  successCount = 0;
  /** @internal */ inFlight = 0;
  /** @internal */ readonly window: RollingWindow;
  /** @internal */ readonly consecutive: ConsecutiveFailures;
  private readonly clock: Clock;
  private readonly policies: TripPolicy[];
  private readonly timeout: number | false;
  private readonly slowMs: number;
  private readonly events: Emitter<BreakerEvents>;
  private calls: InFlightCalls | null = null;
  private attachment: StoreAttachment | null = null;
  private readonly origin: string;
  private version = 0;
  private drained: (() => void)[] | null = null;

  constructor(options?: BreakerOptions, context: BreakerContext = {}) {
    const o = (this.options = validateOptions(options));
    this.name = o.name;
    this.clock = o.clock;
    this.timeout = o.timeout;
    this.slowMs = o.slowCallDurationThreshold ?? Number.POSITIVE_INFINITY;
    this.events = new Emitter(context.events ?? null);
    this.origin = context.origin ?? 'local';
    const now = this.clock.now();
    this.current = o.enabled ? { kind: 'closed', since: now } : { kind: 'disabled', since: now };
    this.window = new RollingWindow(o.rollingCountTimeout, o.rollingCountBuckets, now);
    this.consecutive = new ConsecutiveFailures(o.failureThreshold === false ? Infinity : o.failureThreshold);
    this.policies = [this.consecutive];
    if (o.errorThresholdPercentage !== undefined) {
      this.policies.push(new FailureRate(this.window, o.errorThresholdPercentage, o.volumeThreshold));
    }
    if (o.slowCallRateThreshold !== undefined) {
      this.policies.push(new SlowCallRate(this.window, o.slowCallRateThreshold, o.volumeThreshold));
    }
    if (context.store !== undefined) {
      this.attachment = context.store.attach(this.name, (shared) => this.adopt(shared));
      if (this.attachment.initial !== undefined) this.adopt(this.attachment.initial);
    }
  }

  /** The current state; an open breaker whose wait is over reads (and becomes) `half_open`. */
  get state(): CircuitStateName {
    this.refresh(this.clock.now());
    return this.current.kind;
  }

  /**
   * Runs `fn` through the breaker. Refused calls reject with {@link CircuitOpenError} or
   * {@link CapacityExceededError} without running `fn`; a call past `timeout` rejects with
   * {@link CallTimeoutError}; `fn`'s own errors are rethrown as they are.
   *
   * `fn` gets an `AbortSignal` when it declares a parameter (`(signal) => ...`): it aborts on
   * timeout, when `signal` aborts, and at shutdown. A breaker without a timeout runs a function
   * that takes no signal with nothing around it but the bookkeeping.
   */
  execute<T>(fn: Guarded<T>, signal?: AbortSignal): Promise<T> {
    this.stats.totalRequests++;
    if (this.current.kind !== 'closed') {
      const refusal = this.admit();
      if (refusal !== null) return this.refuse(refusal);
    }
    if (this.inFlight >= this.options.capacity) {
      this.releaseTrial(this.epoch);
      return this.refuse(new CapacityExceededError(this.name, this.options.capacity));
    }
    if (signal !== undefined && signal.aborted) {
      this.releaseTrial(this.epoch);
      this.stats.cancelled++;
      return Promise.reject(signal.reason);
    }
    this.inFlight++;
    if (this.timeout === false && signal === undefined && fn.length === 0) {
      return this.runPlain(fn as () => T | PromiseLike<T>, this.epoch);
    }
    const start = this.clock.now();
    const deadline = this.timeout === false ? Number.POSITIVE_INFINITY : start + this.timeout;
    const call = new GuardedCall<T>(this, (this.calls ??= new InFlightCalls(() => this.clock.now())), start, deadline, this.epoch);
    call.run(fn, fn.length > 0, signal);
    return call.promise;
  }

  /** Closes the breaker and clears its counters, windows and backoff. */
  reset(): void {
    this.stats.clear();
    this.moveTo({ kind: 'closed', since: this.clock.now() });
  }

  /** Holds the breaker open until {@link reset}: every call is refused. */
  isolate(): void {
    this.moveTo({ kind: 'isolated', since: this.clock.now() });
  }

  /** Lets every call through, still measured, until {@link reset}. */
  disable(): void {
    this.moveTo({ kind: 'disabled', since: this.clock.now() });
  }

  /** Subscribes to one of the breaker's {@link BreakerEvents}. */
  on<K extends keyof BreakerEvents>(event: K, listener: Listener<BreakerEvents, K>): Disposable {
    return this.events.on(event, listener);
  }

  /** The breaker as JSON, for admin routes, dashboards and logs. */
  snapshot(): BreakerSnapshot {
    const now = this.clock.now();
    this.refresh(now);
    return buildSnapshot(this, now);
  }

  /**
   * What `error` means: counted against the provider? may a chain fail over? Refusals by a breaker
   * may always fail over and never count.
   */
  verdictOf(error: unknown): Verdict {
    if (error instanceof CircuitOpenError || error instanceof CapacityExceededError) return REFUSAL;
    const o = this.options;
    try {
      if (o.errorFilter !== undefined && o.errorFilter(error) === true) return CALLER_ERROR;
      return (o.classify !== undefined ? o.classify(error) : undefined) ?? defaultClassify(error);
    } catch {
      // A throwing classifier must not hide the provider's error: count it, as opossum would.
      return FAILURE;
    }
  }

  /** Notes that a fallback answered for a call this breaker could not serve. */
  recordFallback(error: unknown): void {
    this.stats.fallbacks++;
    if (this.events.active) this.events.emit('fallback', { breaker: this.name, error });
  }

  /** Resolves once no call is in flight. */
  drain(): Promise<void> {
    if (this.inFlight === 0) return Promise.resolve();
    return new Promise((resolve) => (this.drained ??= []).push(resolve));
  }

  /** Aborts every call in flight that can be aborted, and leaves the store. */
  shutdown(reason: unknown = new DOMException(`Breaker "${this.name}" shut down`, 'AbortError')): void {
    this.calls?.cancelAll(reason);
    this.attachment?.detach();
    this.attachment = null;
  }

  /** @internal */
  timeoutError(): Error {
    return new CallTimeoutError(this.name, this.timeout as number);
  }

  /** @internal A call admitted in `epoch` succeeded. */
  settleSuccess(start: number, epoch: number): void {
    const now = this.clock.now();
    const duration = now - start;
    const stats = this.stats;
    stats.successfulRequests++;
    stats.lastSuccessTime = now;
    stats.recordLatency(duration);
    const slow = duration >= this.slowMs;
    if (slow) stats.slowCalls++;
    this.window.record(now, false, slow);
    this.settled();
    if (epoch === this.epoch) this.judgeSuccess(now, duration);
    if (this.events.active) this.events.emit('success', { breaker: this.name, durationMs: duration });
  }

  /** @internal A call admitted in `epoch` failed with `error`. */
  settleFailure(error: unknown, start: number, epoch: number, timedOut: boolean): void {
    const now = this.clock.now();
    const duration = now - start;
    const verdict = timedOut ? FAILURE : this.verdictOf(error);
    const stats = this.stats;
    stats.recordLatency(duration);
    this.settled();
    if (!verdict.failure) {
      stats.callerErrors++;
      if (epoch === this.epoch) this.judgeSuccess(now, duration);
    } else if (verdict.rateLimited === true) {
      stats.rateLimited++;
      if (epoch === this.epoch) this.trip('rate_limited', now, Math.max(this.options.resetTimeout, verdict.retryAfterMs ?? 0));
    } else {
      stats.failedRequests++;
      stats.lastFailureTime = now;
      if (timedOut) stats.timeouts++;
      const slow = duration >= this.slowMs;
      if (slow) stats.slowCalls++;
      this.window.record(now, true, slow);
      if (epoch === this.epoch) this.judgeFailure(now, duration, verdict.retryAfterMs);
    }
    if (this.events.active) {
      this.events.emit(timedOut ? 'timeout' : 'failure', { breaker: this.name, durationMs: duration, error, counted: verdict.failure });
    }
  }

  /** @internal A call admitted in `epoch` was given up by its caller or at shutdown. */
  settleCancelled(_start: number, epoch: number): void {
    this.stats.cancelled++;
    this.settled();
    if (epoch === this.epoch) this.releaseTrial(epoch);
  }

  private async runPlain<T>(fn: () => T | PromiseLike<T>, epoch: number): Promise<T> {
    const start = this.clock.now();
    let value: T;
    try {
      value = await fn();
    } catch (error) {
      this.settleFailure(error, start, epoch, false);
      throw error;
    }
    this.settleSuccess(start, epoch);
    return value;
  }

  private judgeSuccess(now: number, duration: number): void {
    const state = this.current;
    this.successCount++;
    if (state.kind === 'closed') {
      const policies = this.policies;
      for (let i = 0; i < policies.length; i++) {
        if (policies[i]!.onSuccess(now, duration)) return this.trip(policies[i]!.reason, now);
      }
    } else if (state.kind === 'half_open') {
      this.releaseTrial(this.epoch);
      if (++state.successes >= this.options.successThreshold) this.moveTo({ kind: 'closed', since: now });
    }
  }

  private judgeFailure(now: number, duration: number, retryAfterMs: number | undefined): void {
    const state = this.current;
    if (state.kind === 'closed') {
      const policies = this.policies;
      for (let i = 0; i < policies.length; i++) {
        if (policies[i]!.onFailure(now, duration)) return this.trip(policies[i]!.reason, now, retryAfterMs);
      }
    } else if (state.kind === 'half_open') {
      this.trip('trial_failed', now, retryAfterMs);
    }
  }

  /** Opens from closed or half-open; a failed trial reopens with a doubled wait. */
  private trip(reason: OpenReason, now: number, atLeastMs = 0): void {
    const state = this.current;
    if (state.kind !== 'closed' && state.kind !== 'half_open') return;
    const reopenCount = state.kind === 'half_open' ? state.reopenCount + 1 : 0;
    const wait = Math.max(openDuration(this.options.resetTimeout, this.options.maxResetTimeout, reopenCount), atLeastMs);
    this.moveTo({ kind: 'open', since: now, until: now + wait, reason, reopenCount });
  }

  /** Admission for every state but closed: `null` admits (a trial, when half-open). */
  private admit(): CircuitOpenError | null {
    const now = this.clock.now();
    this.refresh(now);
    const state = this.current;
    switch (state.kind) {
      case 'closed':
      case 'disabled':
        return null;
      case 'open':
        return new CircuitOpenError(this.name, state.until - now, 'open');
      case 'isolated':
        return new CircuitOpenError(this.name, undefined, 'isolated');
      case 'half_open':
        if (state.trials >= this.options.halfOpenMaxCalls) return new CircuitOpenError(this.name, 0, 'half_open');
        if (this.attachment !== null && !this.attachment.acquireTrial(this.version, this.options.halfOpenMaxCalls)) {
          return new CircuitOpenError(this.name, 0, 'half_open');
        }
        state.trials++;
        return null;
    }
  }

  private refuse(error: CircuitOpenError | CapacityExceededError): Promise<never> {
    this.stats.rejectedRequests++;
    if (this.events.active) this.events.emit('reject', { breaker: this.name, error });
    return Promise.reject(error);
  }

  private releaseTrial(epoch: number): void {
    const state = this.current;
    if (state.kind !== 'half_open' || epoch !== this.epoch || state.trials === 0) return;
    state.trials--;
    this.attachment?.releaseTrial(this.version);
  }

  private settled(): void {
    if (--this.inFlight === 0 && this.drained !== null) {
      const waiting = this.drained;
      this.drained = null;
      for (const resolve of waiting) resolve();
    }
  }

  /** An open breaker whose wait is over moves to half-open: decided when read, not by a timer. */
  private refresh(now: number): void {
    const state = this.current;
    if (state.kind === 'open' && now >= state.until) {
      this.moveTo({ kind: 'half_open', since: now, reopenCount: state.reopenCount, trials: 0, successes: 0 });
    }
  }

  /** Adopts a newer state another replica shared. */
  private adopt(shared: SharedState): void {
    if (shared.version < this.version || (shared.version === this.version && shared.origin <= this.origin)) return;
    this.moveTo(fromShared(shared), shared.version);
  }

  private moveTo(next: CircuitState, remoteVersion?: number): void {
    const from = this.current.kind;
    const now = next.since;
    this.current = next;
    this.epoch++;
    this.successCount = 0;
    for (const policy of this.policies) policy.reset(now);
    if (next.kind === 'closed') this.window.clear(now);
    const remote = remoteVersion !== undefined;
    this.version = remote ? remoteVersion : this.version + 1;
    if (!remote) this.attachment?.publish(toShared(next, this.version, this.origin));
    if (this.events.active) this.announce(from, next, now, remote);
  }

  private announce(from: CircuitStateName, next: CircuitState, at: number, remote: boolean): void {
    const breaker = this.name;
    const reason = next.kind === 'open' ? next.reason : null;
    this.events.emit('stateChange', { breaker, from, to: next.kind, reason, at, remote });
    switch (next.kind) {
      case 'open':
        return this.events.emit('open', { breaker, reason: next.reason, retryAfterMs: next.until - at });
      case 'half_open':
        return this.events.emit('halfOpen', { breaker });
      case 'closed':
        return this.events.emit('close', { breaker });
      case 'isolated':
        return this.events.emit('isolate', { breaker });
      case 'disabled':
        return this.events.emit('disable', { breaker });
    }
  }
}

/** Refusals by a breaker: never the provider's failure, always worth trying the next level. */
const REFUSAL: Verdict = Object.freeze({ failure: false, failover: true });
