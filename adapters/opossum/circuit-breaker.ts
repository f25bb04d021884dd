import { randomUUID } from 'node:crypto';
import { TimeSampler } from '../../lib/stats/time-sampler.js';
import { CallOutcomes, type AnyFunction } from './call-outcomes.js';
import { engineOptions, makeEngine, verdictBy } from './engine-link.js';
import { ErrorVerdicts } from './error-verdicts.js';
import { HealthChecks } from './health-checks.js';
import type { CacheTransport, MemoryCache as MemoryCacheClass } from './memory-cache.js';
import { isOurError, ourError } from './opossum-errors.js';
import {
  resolveOptions,
  statusFor,
  type Options as OpossumOptions,
  type ResolvedOptions,
  type State as OpossumState,
} from './options.js';
import { StateFollower } from './state-follower.js';
import {
  Status as StatusClass,
  type Bucket as OpossumBucket,
  type Stats as OpossumStats,
  type StatusOptions as OpossumStatusOptions,
} from './status.js';

/** Events that report a call's latency: while any has a listener, every call is timed. */
const TIMED_EVENTS: readonly (string | symbol)[] = [
  'success',
  'failure',
  'timeout',
  'semaphoreLocked',
];

/**
 * opossum 10's `CircuitBreaker` on breakwater's engine: change `from 'opossum'` to
 * `from 'breakwater/opossum'` and keep the rest. Options, defaults, events, statistics and
 * errors are opossum's; underneath, a breakwater {@link Breaker} (`breaker.breaker`) admits, times
 * out and counts the calls, so the breaker can join a `BreakerRegistry` (`registry` option) and
 * show on its admin router, dashboard and metrics, and share state across a fleet.
 *
 * @example
 * import CircuitBreaker from 'breakwater/opossum';
 * const breaker = new CircuitBreaker(fetchQuote, { timeout: 3000, errorThresholdPercentage: 50 });
 * breaker.fallback(() => 'no quote today');
 * const quote = await breaker.fire('ACME');
 */
export class CircuitBreaker<TI extends unknown[] = unknown[], TR = unknown> extends CallOutcomes<
  TI,
  TR
> {
  /** Whether the breaker raised `error` (open, timeout, semaphore, shutdown) rather than the action. */
  static isOurError(error: unknown): boolean {
    return isOurError(error);
  }

  /** A new {@link Status}, to prime a breaker with through the `status` option. */
  static newStatus(options: OpossumStatusOptions): StatusClass {
    return new StatusClass(options);
  }

  private readonly action: (...args: TI) => TR | PromiseLike<TR>;
  private readonly groupName: string;
  private readonly states: StateFollower;
  private readonly health = new HealthChecks();
  private readonly sampler = new TimeSampler();
  /** Whether every success must be timed: someone listens to `success`, which reports latency. */
  private timesAll = false;
  private shut = false;
  /** The context and arguments of the call being admitted: {@link invoke} reads them. */
  private nextContext: unknown = undefined;
  private nextArgs: TI | undefined = undefined;

  constructor(action: (...args: TI) => Promise<TR>, options: OpossumOptions<TI> = {}) {
    const filtered = typeof options === 'object' && options !== null && !!options.errorFilter;
    const o = resolveOptions(options);
    if (!action) {
      throw new TypeError(
        'No action provided. Cannot construct a CircuitBreaker without an invocable action.',
      );
    }
    const name = o.name || (typeof action === 'function' && action.name) || randomUUID();
    const group = o.group || name;
    const verdicts = filtered ? new ErrorVerdicts<TI>(o.errorFilter) : null;
    const engine = engineOptions(
      name,
      group,
      o as ResolvedOptions<unknown[]>,
      verdictBy((error) => verdicts !== null && verdicts.excusedForEngine(error)),
    );
    super({
      options: o,
      breaker: makeEngine({ ...engine, name }, o.registry),
      status: statusFor(o as ResolvedOptions<unknown[]>),
      name,
      verdicts,
      volume: Number.isInteger(o.volumeThreshold) ? o.volumeThreshold! : 0,
      warmUntil: o.allowWarmUp === true || o.state?.warmUp ? Date.now() + o.rollingCountTimeout : 0,
    });
    this.action = typeof action === 'function' ? action : () => action as TR;
    this.groupName = group;
    this.states = new StateFollower(
      this.breaker,
      o as ResolvedOptions<unknown[]>,
      this.statusWindow,
      (event, ...args) => void this.emit(event, ...args),
    );
    if (o.state) {
      this.states.restore(o.state);
      if (o.state.enabled === false) this.disable();
      if (o.state.shutdown) this.shutdown();
    }
    // Emitting costs even with no listener (an arguments array), so the hot path asks a flag.
    this.on('newListener', (event: string | symbol) => {
      if (event !== 'removeListener') this.listening = true;
      if (TIMED_EVENTS.includes(event)) this.timesAll = true;
    });
    this.on('removeListener', () => {
      this.listening = this.eventNames().some((e) => e !== 'newListener' && e !== 'removeListener');
      this.timesAll = TIMED_EVENTS.some((event) => this.listenerCount(event) > 0);
    });
  }

  /** The breaker's name: the `name` option, the action's name, or a UUID. */
  get name(): string {
    return this.breakerName;
  }
  /** The `group` option, or the name. */
  get group(): string {
    return this.groupName;
  }
  /** False once `disable()`d (or `enabled: false`): calls pass straight to the action. */
  get enabled(): boolean {
    return this.breaker.circuit.current.kind !== 'disabled';
  }
  /** Half-open with the one trial call not yet taken. */
  get pendingClose(): boolean {
    const state = this.breaker.circuit.current;
    return !this.shut && state.kind === 'half_open' && state.trials === 0;
  }
  get closed(): boolean {
    return !this.shut && this.states.kind() === 'closed';
  }
  get opened(): boolean {
    const kind = this.states.kind();
    return !this.shut && (kind === 'open' || kind === 'isolated');
  }
  get halfOpen(): boolean {
    return !this.shut && this.states.kind() === 'half_open';
  }
  get isShutdown(): boolean {
    return this.shut;
  }
  /** The rolling window of counters. */
  get status(): StatusClass {
    return this.statusWindow;
  }
  /** The rolling window summed (`status.stats`). */
  get stats(): OpossumStats {
    return this.statusWindow.stats;
  }
  get volumeThreshold(): number {
    return this.volume;
  }

  /** Sets the function (or another breaker) that answers when a call fails or is refused. */
  fallback(func: AnyFunction | CircuitBreaker<any, any>): this {
    this.fallbackFn =
      func instanceof CircuitBreaker ? (...args: unknown[]) => func.fire(...args) : func;
    return this;
  }

  /** Calls the action with `args` through the breaker. */
  fire(...args: TI): Promise<TR> {
    return this.run(this.action, args);
  }

  /**
   * Calls the action with `this` bound to `context`.
   *
   * On a busy breaker only some successes are timed (`Date.now()` costs more than the rest of a
   * call's bookkeeping; see breakwater's `TimeSampler`): an untimed success is counted at once and
   * reports the latency of the last timed one. Failures, and every call while anyone listens to
   * `success`, are always timed.
   */
  call(context: unknown, ...args: TI): Promise<TR> {
    return this.run(context, args);
  }

  /** Empties the cache and the coalescing cache. */
  clearCache(): void {
    if (this.options.cache) this.options.cacheTransport!.flush();
    this.options.coalesceCache?.flush();
  }

  private run(context: unknown, args: TI): Promise<TR> {
    if (this.shut) return Promise.reject(ourError('The circuit has been shutdown.', 'ESHUTDOWN'));
    const timed = this.sampler.due() || this.timesAll;
    const started = timed ? this.sampler.start(Date.now()) : Number.NaN;
    this.statusWindow.fire(started);
    if (this.listening) this.emit('fire', args);
    const engine = this.breaker;
    const kind = engine.circuit.current.kind;
    if (kind === 'disabled') return this.passThrough(context, args);
    const o = this.options;
    let key = '';
    if (this.keyed) {
      key = o.cacheGetKey.apply(this, args);
      if (o.cache) {
        const cached = o.cacheTransport!.get(key);
        if (cached) return this.hit('cacheHits', 'cacheHit', cached);
        this.count('cacheMisses', 'cacheMiss');
      }
      if (o.coalesce) {
        const shared = o.coalesceCache!.get(key);
        if (shared) return this.hit('coalesceCacheHits', 'coalesceCacheHit', shared);
        this.count('coalesceCacheMisses', 'coalesceCacheMiss');
      }
    }
    // The engine calls `invoke` before `execute` returns, so the arguments travel in two fields
    // rather than in a closure made for every call.
    this.nextContext = context;
    this.nextArgs = args;
    const admitted =
      kind === 'closed' ? engine.execute<TR>(this.invoke) : engine.attempt<TR>(this.invoke);
    this.nextContext = this.nextArgs = undefined;
    if (!(admitted instanceof Promise)) {
      return this.refused(admitted, args, started, key) ?? Promise.reject(admitted);
    }
    let result: Promise<TR> = admitted;
    if (this.fallbackFn !== null) {
      result = admitted.then(
        (value) => this.succeeded(value, started, key, admitted),
        (error: unknown) => this.failed(error, args, started, key) ?? Promise.reject(error),
      );
    } else if (started !== started && !this.listening && this.verdicts === null && !this.keyed) {
      // Without a fallback the answer is the engine's own promise: the caller awaits it directly
      // (one promise hop less), and the bookkeeping, registered first, runs before it resumes. An
      // untimed call that nobody listens to, filters, caches or coalesces needs nothing of its
      // own for that bookkeeping, so two handlers made once per breaker watch it.
      admitted.then(this.settledOk, this.settledFail);
    } else {
      admitted.then(
        (value) => void this.succeeded(value, started, key, admitted),
        (error: unknown) => this.failedBeside(error, args, started, key),
      );
    }
    if (this.keyed && o.coalesce) {
      const ttl = o.coalesceTTL;
      o.coalesceCache!.set(key, result, ttl !== false && ttl > 0 ? Date.now() + ttl : 0);
    }
    return result;
  }

  /** Opens the breaker for `resetTimeout` ms; already open, it does nothing. */
  open(): void {
    if (!this.shut) this.states.open();
  }

  /** Closes the breaker; already closed, it does nothing. */
  close(): void {
    if (!this.shut) this.states.close();
  }

  /** Lets every call straight through to the action, unmeasured, until `enable()`. */
  disable(): void {
    this.states.disable();
    this.statusWindow.removeRotateBucketControllerListener();
  }

  /** Ends `disable()`: the breaker returns to the state it was in. */
  enable(): void {
    if (this.shut) return;
    this.states.enable();
    this.statusWindow.startListeneningForRotateEvent();
  }

  /**
   * Refuses every later call with `ESHUTDOWN`, drops listeners, timers and caches, and stops the
   * engine breaker (leaving its registry).
   */
  shutdown(): void {
    this.emit('shutdown');
    this.disable();
    this.removeAllListeners();
    this.states.stop();
    this.health.stop();
    this.statusWindow.shutdown();
    this.shut = true;
    this.clearCache();
    const registry = this.options.registry;
    if (registry !== undefined && registry.find(this.breakerName) === this.breaker) {
      registry.remove(this.breakerName);
    } else this.breaker.shutdown();
  }

  /**
   * Runs `func` now and every `interval` ms (default 5000) with `this` the breaker; when its
   * promise rejects, emits `healthCheckFailed` and opens the breaker.
   */
  healthCheck(func: () => Promise<void>, interval?: number): void {
    this.health.add(this, func, interval, (error) => {
      this.emit('healthCheckFailed', error);
      this.open();
    });
  }

  /** The state and stats, to restore a breaker from through the `state` and `status` options. */
  toJSON(): { state: OpossumState; status: OpossumStats } {
    return {
      state: {
        name: this.name,
        enabled: this.enabled,
        closed: this.closed,
        open: this.opened,
        halfOpen: this.halfOpen,
        warmUp: this.warmUp,
        shutdown: this.shut,
        lastTimerAt: this.states.lastOpenAt,
      },
      status: this.statusWindow.stats,
    };
  }

  /** The signal of the `abortController` option, aborted when a call times out. */
  getSignal(): AbortSignal | undefined {
    return this.options.abortController?.signal;
  }

  getAbortController(): AbortController | undefined {
    return this.options.abortController;
  }

  override on(event: 'halfOpen', listener: (resetTimeout: number) => void): this;
  override on(
    event:
      | 'close'
      | 'open'
      | 'shutdown'
      | 'cacheHit'
      | 'cacheMiss'
      | 'coalesceCacheHit'
      | 'coalesceCacheMiss',
    listener: () => void,
  ): this;
  override on(event: 'fire', listener: (args: TI) => void): this;
  override on(
    event: 'reject' | 'semaphoreLocked',
    listener: (err: Error, latencyMs: number) => void,
  ): this;
  override on(event: 'timeout', listener: (err: Error, latencyMs: number, args: TI) => void): this;
  override on(event: 'healthCheckFailed', listener: (err: Error) => void): this;
  override on(event: 'success', listener: (result: TR, latencyMs: number) => void): this;
  override on(event: 'fallback', listener: (result: unknown, err: Error) => void): this;
  override on(event: 'failure', listener: (err: Error, latencyMs: number, args: TI) => void): this;
  override on(event: string | symbol, listener: AnyFunction): this;
  override on(event: string | symbol, listener: AnyFunction): this {
    return super.on(event, listener);
  }

  /** Runs the call being admitted; see {@link call}. */
  private readonly invoke = (): TR | PromiseLike<TR> => {
    const args = this.nextArgs!;
    const context = this.nextContext;
    if (this.verdicts === null) return this.action.apply(context, args);
    return this.verdicts.watch(() => this.action.apply(context, args), args);
  };

  private passThrough(context: unknown, args: TI): Promise<TR> {
    try {
      const result = this.action.apply(context, args);
      return result instanceof Promise ? result : Promise.resolve(result);
    } catch (error) {
      return Promise.reject(error);
    }
  }
}

/* eslint-disable @typescript-eslint/no-namespace -- merged with the class, as in @types/opossum */
/** opossum's type names, under the class as `@types/opossum` has them (`CircuitBreaker.Options`). */
export declare namespace CircuitBreaker {
  export type Options<TI extends unknown[] = unknown[]> = OpossumOptions<TI>;
  export type Status = StatusClass;
  export type StatusOptions = OpossumStatusOptions;
  export type Bucket = OpossumBucket;
  export type Window = OpossumBucket[];
  export type Stats = OpossumStats;
  export type State = OpossumState;
  export type MemoryCache = MemoryCacheClass;
  export type { CacheTransport };
}
