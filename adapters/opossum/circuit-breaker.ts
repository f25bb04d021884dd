import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { Breaker } from '../../lib/breaker/breaker.js';
import { isCapacityExceededError, isCircuitOpenError } from '../../lib/errors/index.js';
import { isCallTimeoutError } from '../../lib/errors/call-timeout-error.js';
import { TimeSampler } from '../../lib/stats/time-sampler.js';
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
  type Counter,
  type Stats as OpossumStats,
  type StatusOptions as OpossumStatusOptions,
} from './status.js';

const NO_ARGS: unknown[] = [];

/** Events that report a call's latency: while any has a listener, every call is timed. */
const TIMED_EVENTS: readonly (string | symbol)[] = [
  'success',
  'failure',
  'timeout',
  'semaphoreLocked',
];

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- opossum's fallback signature
type AnyFunction = (...args: any[]) => any;

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
export class CircuitBreaker<TI extends unknown[] = unknown[], TR = unknown> extends EventEmitter {
  /** Whether the breaker raised `error` (open, timeout, semaphore, shutdown) rather than the action. */
  static isOurError(error: unknown): boolean {
    return isOurError(error);
  }

  /** A new {@link Status}, to prime a breaker with through the `status` option. */
  static newStatus(options: OpossumStatusOptions): StatusClass {
    return new StatusClass(options);
  }

  /** The options with opossum's defaults filled in. */
  readonly options: ResolvedOptions<TI>;
  /** The breakwater engine breaker underneath (in the registry, when one was given). */
  readonly breaker: Breaker;
  private readonly action: (...args: TI) => TR | PromiseLike<TR>;
  private readonly statusWindow: StatusClass;
  private readonly breakerName: string;
  private readonly groupName: string;
  private readonly warmUntil: number;
  private readonly volume: number;
  private readonly states: StateFollower;
  private readonly health = new HealthChecks();
  private readonly verdicts: ErrorVerdicts<TI> | null;
  private readonly sampler = new TimeSampler();
  /** Whether every success must be timed: someone listens to `success`, which reports latency. */
  private timesAll = false;
  /** Whether anyone listens to any of the breaker's events. */
  private listening = false;
  /** The latency of the last timed success, standing for successes that were not timed. */
  private lastLatency = 0;
  /** `options.cache || options.coalesce`, read on every call: the options object is the caller's. */
  private readonly keyed: boolean;
  private fallbackFn: AnyFunction | null = null;
  private shut = false;
  /** The context and arguments of the call being admitted: {@link invoke} reads them. */
  private nextContext: unknown = undefined;
  private nextArgs: TI | undefined = undefined;

  constructor(action: (...args: TI) => Promise<TR>, options: OpossumOptions<TI> = {}) {
    super();
    const o = (this.options = resolveOptions(options));
    if (!action) {
      throw new TypeError(
        'No action provided. Cannot construct a CircuitBreaker without an invocable action.',
      );
    }
    this.action = typeof action === 'function' ? action : () => action as TR;
    const now = Date.now();
    this.volume = Number.isInteger(o.volumeThreshold) ? o.volumeThreshold! : 0;
    this.warmUntil = o.allowWarmUp === true || o.state?.warmUp ? now + o.rollingCountTimeout : 0;
    this.statusWindow = statusFor(o as ResolvedOptions<unknown[]>);
    this.breakerName = o.name || (typeof action === 'function' && action.name) || randomUUID();
    this.groupName = o.group || this.breakerName;
    this.verdicts = options.errorFilter ? new ErrorVerdicts<TI>(o.errorFilter) : null;
    this.keyed = !!(o.cache || o.coalesce);
    const engine = engineOptions(
      this.breakerName,
      this.groupName,
      o as ResolvedOptions<unknown[]>,
      verdictBy((error) => this.verdicts !== null && this.verdicts.excusedForEngine(error)),
    );
    this.breaker = makeEngine({ ...engine, name: this.breakerName }, o.registry);
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
  /** Within `rollingCountTimeout` of construction with `allowWarmUp`: failures cannot open it. */
  get warmUp(): boolean {
    return Date.now() < this.warmUntil;
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
    if (this.fallbackFn !== null) {
      return admitted.then(
        (value) => this.succeeded(value, started, key, admitted),
        (error: unknown) => this.failed(error, args, started, key) ?? Promise.reject(error),
      );
    }
    // Without a fallback the answer is the engine's own promise: the caller awaits it directly
    // (one promise hop less), and the bookkeeping, registered first, runs before it resumes. An
    // untimed call that nobody listens to, filters, caches or coalesces needs nothing of its own
    // for that bookkeeping, so it is watched by two handlers made once per breaker.
    if (started !== started && !this.listening && this.verdicts === null && !this.keyed) {
      admitted.then(this.settledOk, this.settledFail);
    } else {
      admitted.then(
        (value) => void this.succeeded(value, started, key, admitted),
        (error: unknown) => void this.failed(error, args, started, key),
      );
    }
    if (this.keyed && o.coalesce) {
      const ttl = o.coalesceTTL;
      o.coalesceCache!.set(key, admitted, ttl !== false && ttl > 0 ? Date.now() + ttl : 0);
    }
    return admitted;
  }

  /** The watchers of an untimed call that needs nothing of its own (see {@link run}). */
  private readonly settledOk = (value: unknown): void =>
    void this.succeeded(value as TR, Number.NaN, '', null);
  private readonly settledFail = (error: unknown): void =>
    void this.failed(error, NO_ARGS as TI, Number.NaN, '');

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

  private succeeded(value: TR, started: number, key: string, settled: Promise<TR> | null): TR {
    let now = Number.NaN;
    let latency = this.lastLatency;
    if (started === started) latency = this.lastLatency = (now = Date.now()) - started;
    this.statusWindow.success(latency, now);
    if (this.listening) this.emit('success', value, latency);
    this.resetCoalesce(key, 'success');
    const o = this.options;
    if (this.keyed && o.cache) {
      o.cacheTransport!.set(key, settled, o.cacheTTL > 0 ? Date.now() + o.cacheTTL : 0);
    }
    return value;
  }

  /** A call failed: opossum's events and counts; the fallback's answer, or `null` to reject. */
  private failed(error: unknown, args: TI, started: number, key: string): Promise<TR> | null {
    const name = this.breakerName;
    if (
      (isCircuitOpenError(error) || isCapacityExceededError(error)) &&
      (error as { breaker?: unknown }).breaker === name
    ) {
      return this.refused(error, args, started, key);
    }
    const latency = this.latencySince(started);
    const timedOut = isCallTimeoutError(error) && error.breaker === name;
    if (timedOut) {
      this.statusWindow.increment('timeouts', latency);
      this.emit('timeout', error, latency, args);
    }
    const answer = this.settleError(error, args, latency);
    this.resetCoalesce(key, timedOut ? 'timeout' : 'error');
    if (timedOut) this.options.abortController?.abort();
    return answer;
  }

  /** A refusal: open (`reject`, then the fallback) or at capacity (`semaphoreLocked`, a failure). */
  private refused(error: Error, args: TI, started: number, key: string): Promise<TR> | null {
    if (isCircuitOpenError(error)) {
      this.statusWindow.increment('rejects');
      this.emit('reject', error);
      return this.runFallback(error, args);
    }
    const latency = this.latencySince(started);
    this.statusWindow.increment('semaphoreRejections');
    this.emit('semaphoreLocked', error, latency);
    const answer = this.settleError(error, args, latency);
    this.resetCoalesce(key);
    return answer;
  }

  /**
   * opossum's handling of an error: a filtered one is a `success` and is rethrown; any other is a
   * `failure` that may open the breaker and that the fallback answers. `null`: reject with it.
   */
  private settleError(error: unknown, args: TI, latency: number): Promise<TR> | null {
    if (this.verdicts !== null && this.verdicts.excused(error, args)) {
      this.statusWindow.increment('successes', latency);
      this.emit('success', error, latency);
      return null;
    }
    this.statusWindow.increment('failures', latency);
    this.emit('failure', error, latency, args);
    this.judgeRate();
    return this.runFallback(error, args);
  }

  /** opossum's rule: open when failures exceed the percentage of fires, once the volume is there. */
  private judgeRate(): void {
    if (this.warmUp) return;
    const kind = this.breaker.circuit.current.kind;
    const status = this.statusWindow;
    if (kind === 'half_open') return this.breaker.circuit.trip('trial_failed', Date.now());
    if (kind !== 'closed' || status.fires < this.volume) return;
    if ((status.failures / status.fires) * 100 > this.options.errorThresholdPercentage) {
      this.breaker.circuit.trip('failure_rate', Date.now());
    }
  }

  /** Ms since `started`, or since the last timed call began for a call that was not timed. */
  private latencySince(started: number): number {
    return started === started ? Date.now() - started : this.lastLatency;
  }

  private runFallback(error: unknown, args: TI): Promise<TR> | null {
    const fallback = this.fallbackFn;
    if (fallback === null) return null;
    try {
      const result = fallback.apply(fallback, [...args, error]);
      this.breaker.recordFallback(error);
      this.statusWindow.increment('fallbacks');
      this.emit('fallback', result, error);
      return result instanceof Promise ? result : Promise.resolve(result);
    } catch (thrown) {
      return Promise.reject(thrown);
    }
  }

  private passThrough(context: unknown, args: TI): Promise<TR> {
    try {
      const result = this.action.apply(context, args);
      return result instanceof Promise ? result : Promise.resolve(result);
    } catch (error) {
      return Promise.reject(error);
    }
  }

  private hit(counter: Counter, event: string, value: unknown): Promise<TR> {
    this.count(counter, event);
    return value as Promise<TR>;
  }

  private count(counter: Counter, event: string): void {
    this.statusWindow.increment(counter);
    this.emit(event);
  }

  private resetCoalesce(key: string, outcome?: 'error' | 'success' | 'timeout'): void {
    if (!this.keyed) return;
    const o = this.options;
    if (o.coalesceCache && (outcome === undefined || o.coalesceResetOn.includes(outcome))) {
      o.coalesceCache.delete(key);
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
