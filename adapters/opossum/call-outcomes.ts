import { EventEmitter } from 'node:events';
import type { Breaker } from '../../lib/breaker/breaker.js';
import { isCallTimeoutError } from '../../lib/errors/call-timeout-error.js';
import { isCapacityExceededError, isCircuitOpenError } from '../../lib/errors/index.js';
import type { ErrorVerdicts } from './error-verdicts.js';
import type { ResolvedOptions } from './options.js';
import type { Counter, Status } from './status.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- opossum's fallback signature
export type AnyFunction = (...args: any[]) => any;

const NO_ARGS: unknown[] = [];
const ignore = (): void => {};

/** What a breaker has made before its calls' outcomes can be handled. */
export interface OutcomeSetup<TI extends unknown[]> {
  readonly options: ResolvedOptions<TI>;
  readonly breaker: Breaker;
  readonly status: Status;
  readonly name: string;
  readonly verdicts: ErrorVerdicts<TI> | null;
  readonly volume: number;
  readonly warmUntil: number;
}

/**
 * The half of opossum's `CircuitBreaker` that handles a call's outcome the way opossum does:
 * the events and counts of a success, a failure, a timeout and a refusal, the error-rate rule
 * that opens the breaker, the fallback, the cache and the coalescing cache. `CircuitBreaker`
 * (the other half: the public API and the call itself) extends it.
 */
export abstract class CallOutcomes<TI extends unknown[], TR> extends EventEmitter {
  /** The options with opossum's defaults filled in. */
  readonly options: ResolvedOptions<TI>;
  /** The breakwater engine breaker underneath (in the registry, when one was given). */
  readonly breaker: Breaker;
  protected readonly statusWindow: Status;
  protected readonly breakerName: string;
  protected readonly verdicts: ErrorVerdicts<TI> | null;
  protected readonly volume: number;
  protected readonly warmUntil: number;
  /** `options.cache || options.coalesce`, read on every call: the options object is the caller's. */
  protected readonly keyed: boolean;
  /** Whether anyone listens to any of the breaker's events. */
  protected listening = false;
  /** The latency of the last timed success, standing for successes that were not timed. */
  protected lastLatency = 0;
  protected fallbackFn: AnyFunction | null = null;

  constructor(setup: OutcomeSetup<TI>) {
    super();
    this.options = setup.options;
    this.breaker = setup.breaker;
    this.statusWindow = setup.status;
    this.breakerName = setup.name;
    this.verdicts = setup.verdicts;
    this.volume = setup.volume;
    this.warmUntil = setup.warmUntil;
    this.keyed = !!(setup.options.cache || setup.options.coalesce);
  }

  /** Within `rollingCountTimeout` of construction with `allowWarmUp`: failures cannot open it. */
  get warmUp(): boolean {
    return Date.now() < this.warmUntil;
  }

  /** The watchers of an untimed call that needs nothing of its own (see `CircuitBreaker.call`). */
  protected readonly settledOk = (value: unknown): void =>
    void this.succeeded(value as TR, Number.NaN, '', null);
  protected readonly settledFail = (error: unknown): void =>
    this.failedBeside(error, NO_ARGS as TI, Number.NaN, '');

  /**
   * A failure watched beside the caller, who gets the error itself. A fallback set after the call
   * began still runs (and is announced), but cannot answer it; its rejection is not left unhandled.
   */
  protected failedBeside(error: unknown, args: TI, started: number, key: string): void {
    this.failed(error, args, started, key)?.catch(ignore);
  }

  protected succeeded(value: TR, started: number, key: string, settled: Promise<TR> | null): TR {
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
  protected failed(error: unknown, args: TI, started: number, key: string): Promise<TR> | null {
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
  protected refused(error: Error, args: TI, started: number, key: string): Promise<TR> | null {
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

  protected hit(counter: Counter, event: string, value: unknown): Promise<TR> {
    this.count(counter, event);
    return value as Promise<TR>;
  }

  protected count(counter: Counter, event: string): void {
    this.statusWindow.increment(counter);
    this.emit(event);
  }

  protected resetCoalesce(key: string, outcome?: 'error' | 'success' | 'timeout'): void {
    if (!this.keyed) return;
    const o = this.options;
    if (o.coalesceCache && (outcome === undefined || o.coalesceResetOn.includes(outcome))) {
      o.coalesceCache.delete(key);
    }
  }
}
