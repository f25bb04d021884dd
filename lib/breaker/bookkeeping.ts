import { defaultClassify } from '../classify/default-classifier.js';
import { isAbort } from '../classify/sdk-errors.js';
import { CALLER_ERROR, FAILURE, type Verdict } from '../classify/verdict.js';
import { CallTimeoutError } from '../errors/call-timeout-error.js';
import type { CapacityExceededError } from '../errors/capacity-exceeded-error.js';
import type { CircuitOpenError } from '../errors/circuit-open-error.js';
import type { BreakerEvents } from '../events/breaker-events.js';
import type { Emitter } from '../events/emitter.js';
import { BreakerStats } from '../stats/breaker-stats.js';
import type { StateStore } from '../store/state-store.js';
import { Circuit } from './circuit.js';
import type { CallOwner } from './guarded-call.js';
import type { MoveWatcher } from './move-watcher.js';
import type { BreakerOptions, ResolvedOptions } from './options.js';
import type { CircuitState, CircuitStateName } from '../core/circuit-state.js';
import { validateOptions } from './validate-options.js';

/** How a breaker joins a registry: where to share state and where to forward events. @internal */
export interface BreakerContext {
  readonly store?: StateStore | undefined;
  readonly events?: Emitter<BreakerEvents> | undefined;
  /** This replica's id in the store. */
  readonly origin?: string | undefined;
}

/**
 * A breaker's bookkeeping of settled calls: counters, the rolling window, the circuit's outcome
 * hooks and events. {@link Breaker} extends it with running calls and the public controls. A base
 * class rather than a helper object, so that a settling call reaches these methods in one frame
 * (and V8 inlines them as before), and an idle breaker pays no extra object for them.
 */
export abstract class Bookkeeping implements CallOwner, MoveWatcher {
  readonly name: string;
  /** The options in force; {@link Breaker.configure} replaces them. */
  readonly options: ResolvedOptions;
  /** Counters since the breaker was made or last reset. */
  readonly stats = new BreakerStats();
  /** @internal The state machine. */
  readonly circuit: Circuit;
  /** @internal */ inFlight = 0;
  /** @internal The breaker's own emitter, made on the first subscription; until then events go to the registry's. */
  protected ownEvents: Emitter<BreakerEvents> | null = null;
  private readonly registryEvents: Emitter<BreakerEvents> | null;
  /** @internal The last clock reading. */
  protected lastRead: number;
  private drained: (() => void)[] | null = null;

  constructor(options: BreakerOptions | undefined, context: BreakerContext) {
    const o = (this.options = validateOptions(options));
    this.name = o.name;
    this.registryEvents = context.events ?? null;
    this.lastRead = o.clock.now();
    this.circuit = new Circuit(this.name, o, this, context.origin ?? 'local', this.lastRead);
    if (context.store !== undefined) this.circuit.attach(context.store);
  }

  /** @internal The circuit moved: tell the listeners. */
  abstract circuitMoved(from: CircuitStateName, next: CircuitState, remote: boolean): void;
  /** @internal Another replica's operator changed the config. */
  abstract configShared(config: Readonly<Record<string, unknown>>): void;

  /**
   * What `error` means: counted against the provider? may a chain fail over? `errorFilter` first,
   * then `classify`, then {@link defaultClassify}. A breaker's own refusals never reach the
   * provider and are never counted; another breaker's refusal thrown from inside a call counts as
   * this provider's failure.
   */
  verdictOf(error: unknown): Verdict {
    const o = this.options;
    try {
      if (o.errorFilter !== undefined && o.errorFilter(error) === true) return CALLER_ERROR;
      return (o.classify !== undefined ? o.classify(error) : undefined) ?? defaultClassify(error);
    } catch {
      // A throwing classifier must not hide the provider's error: count it, as opossum would.
      return FAILURE;
    }
  }

  /** Resolves once no call is in flight. */
  drain(): Promise<void> {
    if (this.inFlight === 0) return Promise.resolve();
    return new Promise((resolve) => (this.drained ??= []).push(resolve));
  }

  /** @internal */
  timeoutError(): Error {
    return new CallTimeoutError(this.name, this.options.timeout as number);
  }

  /**
   * @internal A call admitted in `epoch` succeeded. `start` is `NaN` for a call that was not
   * timed: its success is counted at once and put in the window at the next clock read.
   */
  settleSuccess(start: number, epoch: number): void {
    const stats = this.stats;
    stats.successfulRequests++;
    if (start !== start) {
      this.circuit.window.countUntimed();
      this.settled();
      if (this.isCurrent(epoch)) this.circuit.onSuccess(this.lastRead, 0);
      return;
    }
    const now = this.read();
    const duration = now - start;
    stats.lastSuccessTime = now;
    stats.recordLatency(duration);
    const slow = duration >= (this.options.slowCallDurationThreshold ?? Infinity);
    if (slow) stats.slowCalls++;
    this.circuit.window.record(now, false, slow);
    this.settled();
    if (this.isCurrent(epoch)) this.circuit.onSuccess(now, duration);
    else this.circuit.lateTrial(epoch, true, now);
    const events = this.events();
    if (events !== null && events.active) {
      events.emit('success', { breaker: this.name, durationMs: duration });
    }
  }

  /**
   * @internal A call admitted in `epoch` failed with `error`. `start` and `epoch` are `NaN` for a
   * call that was not timed.
   */
  settleFailure(error: unknown, start: number, epoch: number, timedOut: boolean): void {
    const now = this.read();
    const timed = start === start;
    const duration = timed ? now - start : 0;
    const verdict = timedOut ? FAILURE : this.verdictOf(error);
    const stats = this.stats;
    if (timed) stats.recordLatency(duration);
    this.settled();
    const current = this.isCurrent(epoch);
    const circuit = this.circuit;
    const aborted = !verdict.failure && isAbort(error);
    if (!current && !aborted) circuit.lateTrial(epoch, !verdict.failure, now, verdict.retryAfterMs);
    if (aborted) {
      // The caller gave up (a client that disconnected, an aborted SDK call): cancelled, neither
      // the provider's failure nor a success that could close a half-open breaker.
      stats.cancelled++;
      circuit.releaseTrial(epoch);
    } else if (!verdict.failure) {
      stats.callerErrors++;
      if (current) circuit.onSuccess(now, duration);
    } else if (verdict.rateLimited === true) {
      stats.rateLimited++;
      if (current)
        circuit.trip(
          'rate_limited',
          now,
          Math.max(this.options.resetTimeout, verdict.retryAfterMs ?? 0),
        );
    } else {
      stats.failedRequests++;
      stats.lastFailureTime = now;
      if (timedOut) stats.timeouts++;
      const slow = duration >= (this.options.slowCallDurationThreshold ?? Infinity);
      if (slow) stats.slowCalls++;
      circuit.window.record(now, true, slow);
      if (current) circuit.onFailure(now, duration, verdict.retryAfterMs);
    }
    const events = this.events();
    if (events !== null && events.active) {
      const payload = { breaker: this.name, durationMs: duration, error, counted: verdict.failure };
      events.emit(timedOut ? 'timeout' : 'failure', payload);
    }
  }

  /** @internal A call admitted in `epoch` was given up by its caller or at shutdown. */
  settleCancelled(epoch: number): void {
    this.stats.cancelled++;
    this.settled();
    this.circuit.releaseTrial(epoch);
  }

  /** @internal Counts and announces a refusal. */
  countRefusal<E extends CircuitOpenError | CapacityExceededError>(error: E): E {
    this.stats.rejectedRequests++;
    const events = this.events();
    if (events !== null && events.active) events.emit('reject', { breaker: this.name, error });
    return error;
  }

  /** @internal Where this breaker's events go: its own emitter (which forwards to the registry's), or the registry's. */
  events(): Emitter<BreakerEvents> | null {
    return this.ownEvents ?? this.registryEvents;
  }

  /** @internal The registry's emitter, which the breaker's own forwards to. */
  protected parentEvents(): Emitter<BreakerEvents> | null {
    return this.registryEvents;
  }

  /** Reads the clock, first putting untimed successes counted since the last read in the window. */
  protected read(): number {
    const now = (this.lastRead = this.options.clock.now());
    if (this.circuit.window.flush(now) > 0) this.stats.lastSuccessTime = now;
    return now;
  }

  /**
   * Whether an outcome of a call admitted in `epoch` may move the state. An untimed call was
   * admitted while closed and counts while the breaker is still closed; it carries no epoch, so
   * one that outlives a whole open, half-open, closed cycle counts in the new closed period.
   */
  private isCurrent(epoch: number): boolean {
    return (
      epoch === this.circuit.epoch || (epoch !== epoch && this.circuit.current.kind === 'closed')
    );
  }

  private settled(): void {
    if (--this.inFlight === 0 && this.drained !== null) {
      const waiting = this.drained;
      this.drained = null;
      for (const resolve of waiting) resolve();
    }
  }
}
